// Which calls can fail, and why the tool believes so. Every reason is said in a finding's evidence.
import type { CModel, FunctionImage } from '../c/types.ts';
import type { SyntaxNode } from '../c/parser.ts';
import { calleeName, conditionOf, descendants, errnoReturned, fold, onlyLogs, statementsOf } from './ast.ts';

export interface FallibleReason {
  kind: 'converted' | 'checked-in-patch' | 'returns-errno' | 'declared' | 'must-check' | 'known-api';
  text: string;
  /** Where the evidence stands, when it is one place. */
  at?: { file: string; line: number };
}

export interface Fallibility {
  /** Why the callee can fail, one reason per kind; evidence standing at `except` is not used. */
  reasons(callee: string, except?: { file: string; line: number }): FallibleReason[];
  canFail(callee: string): boolean;
}

/** A known fallible API from a rule pack's list. */
export interface KnownFallible {
  name: string;
  note: string;
}

/** True when the call's value decides a condition (`if ( f() )`, `if ( !f() )`, `if ( f() < 0 )`). */
export function isTestedCall(call: SyntaxNode): boolean {
  let n: SyntaxNode = call;
  for (let p = n.parent; p; n = p, p = p.parent) {
    if (p.type === 'parenthesized_expression' || p.type === 'unary_expression' || p.type === 'binary_expression') continue;
    if (p.type === 'call_expression' && /^(un)?likely$/.test(calleeName(p))) continue;
    if (p.type === 'argument_list') {
      const call2 = p.parent;
      if (call2 && /^(un)?likely$/.test(calleeName(call2))) continue;
      return false;
    }
    return (
      (p.type === 'if_statement' || p.type === 'while_statement' || p.type === 'conditional_expression') &&
      p.childForFieldName('condition')?.id === n.id
    );
  }
  return false;
}

/** The if a tested call decides, when its branch does nothing but print: a check in name only. */
function onlyLogsOnResult(call: SyntaxNode): boolean {
  let n: SyntaxNode | null = call.parent;
  while (n && n.type !== 'if_statement' && n.type !== 'function_definition') n = n.parent;
  return n?.type === 'if_statement' && onlyLogs(n.childForFieldName('consequence'));
}

/** `v = f(); if ( v ... )` or `return f();`: the result reaches a real check or the caller. */
function isPropagatedOrChecked(call: SyntaxNode): boolean {
  if (isTestedCall(call)) return !onlyLogsOnResult(call);
  const parent = call.parent;
  if (parent?.type === 'return_statement') return true;
  if (parent?.type === 'assignment_expression' || parent?.type === 'init_declarator') {
    const target = (parent.childForFieldName('left') ?? parent.childForFieldName('declarator'))?.text;
    const stmt = parent.parent?.type === 'expression_statement' || parent.parent?.type === 'declaration' ? parent.parent : null;
    const block = stmt?.parent;
    if (!target || !stmt || !block) return false;
    const list = statementsOf(block);
    const next = list[list.findIndex((s) => s.id === stmt.id) + 1];
    const cond = next && (next.type === 'if_statement' ? conditionOf(next) : null);
    return !!cond && [...descendants(cond, 'identifier')].some((id) => id.text === target) || cond?.text === target;
  }
  return false;
}

export function buildFallibility(
  model: CModel,
  images: { image: FunctionImage; added: Set<number>; file: string }[],
  known: KnownFallible[],
): Fallibility {
  const table = new Map<string, FallibleReason[]>();
  const add = (name: string, reason: FallibleReason): void => {
    table.set(name, [...(table.get(name) ?? []), reason]);
  };
  for (const change of model.signatureChanges) {
    if (change.from.trim() === 'void' && change.to.trim() !== 'void') {
      add(change.name, {
        kind: 'converted',
        text: `${change.name}() returns ${change.to} since this patch (it was void), ${change.file}:${change.line}`,
      });
    }
  }
  for (const { image, added, file } of images) {
    if (image.side !== 'post') continue;
    const rowAdded = (n: SyntaxNode): boolean => added.has(image.lineMap[n.startPosition.row] ?? 0);
    for (const call of descendants(image.node, 'call_expression')) {
      if (!rowAdded(call) || !isPropagatedOrChecked(call)) continue;
      const name = calleeName(call);
      const line = image.lineMap[call.startPosition.row] ?? 0;
      add(name, { kind: 'checked-in-patch', text: `this patch checks the result of ${name}() at ${file}:${line}`, at: { file, line } });
    }
    if (image.returnType && image.returnType !== 'void') {
      for (const ret of descendants(image.node, 'return_statement')) {
        if (errnoReturned(ret)) {
          add(image.name, {
            kind: 'returns-errno',
            text: `${image.name}() returns ${fold(ret.namedChild(0)!.text)} at ${file}:${image.lineMap[ret.startPosition.row]}`,
          });
          break;
        }
      }
    }
  }
  for (const k of known) add(k.name, { kind: 'known-api', text: `${k.name}() ${k.note}` });
  return {
    reasons(callee, except) {
      const own: FallibleReason[] = [];
      for (const r of table.get(callee) ?? []) {
        const here = except && r.at && r.at.file === except.file && r.at.line === except.line;
        if (!here && !own.some((o) => o.kind === r.kind)) own.push(r);
      }
      const decl = model.declarations?.lookup(callee);
      if (!decl) return own;
      const fromTree: FallibleReason[] = [];
      if (decl.mustCheck) fromTree.push({ kind: 'must-check', text: `${callee}() is declared __must_check at ${decl.file}:${decl.line}` });
      else if (/^(int|long|s32|s64)$/.test(decl.returnType.trim())) {
        fromTree.push({ kind: 'declared', text: `${callee}() is declared to return ${decl.returnType} at ${decl.file}:${decl.line}` });
      }
      return [...own, ...fromTree];
    },
    canFail(callee) {
      return this.reasons(callee).length > 0;
    },
  };
}
