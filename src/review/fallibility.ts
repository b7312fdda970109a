// Which calls can fail, and why the tool believes so. Every reason is said in a finding's evidence.
import type { CModel, FunctionImage } from '../c/types.ts';
import type { SyntaxNode } from '../c/parser.ts';
import { descendants, errnoReturned, fold, onlyLogs } from './ast.ts';
import { fallibilityKey, resultUse } from './calls.ts';
import { STATUS_RETURN_TYPES, type ApiFact } from './api-data.ts';
import { describeFailure, isFallibleConvention, isUsuallyIgnored, type Knowledge } from '../knowledge/index.ts';

export interface FallibleReason {
  kind: 'converted' | 'checked-in-patch' | 'returns-errno' | 'declared' | 'must-check' | 'known-api';
  text: string;
  /** Where the evidence stands, when it is one place. */
  at?: { file: string; line: number };
}

export interface Fallibility {
  /** Why the callee (keyed by `fallibilityKey`) can fail, one reason per kind; evidence at `except` is not used. */
  reasons(callee: string, except?: { file: string; line: number }): FallibleReason[];
  canFail(callee: string): boolean;
  /** The call's success convention when it returns non-zero on success (1/true) and 0 on failure. */
  booleanSuccess(callee: string): ApiFact | undefined;
}

/** The result reaches a real check or the caller: `return f();`, `if ( f() )` with a branch that does more
 * than print, or `v = f();` followed by an `if` that tests v itself (a mere mention of v is not a check). */
function isPropagatedOrChecked(call: SyntaxNode): boolean {
  const use = resultUse(call);
  switch (use.kind) {
    case 'returned':
      return true;
    case 'tested':
      return use.statement?.type !== 'if_statement' || !onlyLogs(use.statement.childForFieldName('consequence'));
    case 'assigned':
      return !!use.checkedBy && !(use.checkedBy.type === 'if_statement' && onlyLogs(use.checkedBy.childForFieldName('consequence')));
    default:
      return false;
  }
}

export function buildFallibility(
  model: CModel,
  images: { image: FunctionImage; added: Set<number>; removed?: Set<number>; file: string }[],
  /** The project's knowledge base (src/knowledge): its config, tree, saved kb and the built-in API data. */
  knowledge?: Knowledge,
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
  for (const { image, added, removed, file } of images) {
    if (image.side === 'pre') {
      // A check the patch deletes is evidence too: the old code thought the call could fail (kb).
      for (const call of descendants(image.node, 'call_expression')) {
        const line = image.lineMap[call.startPosition.row] ?? 0;
        if (!removed?.has(line) || !isPropagatedOrChecked(call)) continue;
        const name = fallibilityKey(call);
        add(name, { kind: 'checked-in-patch', text: `the code this patch removes checked the result of ${name}() (old ${file}:${line})` });
      }
      continue;
    }
    if (image.side !== 'post') continue;
    const rowAdded = (n: SyntaxNode): boolean => added.has(image.lineMap[n.startPosition.row] ?? 0);
    for (const call of descendants(image.node, 'call_expression')) {
      if (!rowAdded(call) || !isPropagatedOrChecked(call)) continue;
      const name = fallibilityKey(call);
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
  // Tree mode: one declarations lookup per name and patch (a lookup may scan the tree's files).
  const decls = new Map<string, ReturnType<NonNullable<CModel['declarations']>['lookup']>>();
  const declared = (name: string): ReturnType<NonNullable<CModel['declarations']>['lookup']> => {
    if (!decls.has(name)) decls.set(name, model.declarations?.lookup(name));
    return decls.get(name);
  };
  return {
    reasons(callee, except) {
      const own: FallibleReason[] = [];
      for (const r of table.get(callee) ?? []) {
        const here = except && r.at && r.at.file === except.file && r.at.line === except.line;
        if (!here && !own.some((o) => o.kind === r.kind)) own.push(r);
      }
      const fact = knowledge?.lookup(callee);
      // The project's own callers mostly drop it (cache maintenance, best-effort calls): not evidence (kb).
      if (fact && isFallibleConvention(fact.convention) && !isUsuallyIgnored(fact) && !own.some((o) => o.kind === 'known-api')) {
        own.push({ kind: 'known-api', text: `${callee}() ${describeFailure(fact)}: ${fact.source}` });
      }
      const decl = declared(callee);
      if (!decl) return fact?.mustCheck ? [...own, { kind: 'must-check', text: `${callee}() is declared __must_check (${fact.source})` }] : own;
      const fromTree: FallibleReason[] = [];
      if (decl.mustCheck) fromTree.push({ kind: 'must-check', text: `${callee}() is declared __must_check at ${decl.file}:${decl.line}` });
      // A declared int is evidence only when the knowledge base has nothing better: it knows snprintf() returns a length.
      else if (STATUS_RETURN_TYPES.includes(decl.returnType.trim()) && (!fact || fact.convention === 'unknown')) {
        fromTree.push({ kind: 'declared', text: `${callee}() is declared to return ${decl.returnType} at ${decl.file}:${decl.line}` });
      }
      return [...own, ...fromTree];
    },
    canFail(callee) {
      return this.reasons(callee).length > 0;
    },
    booleanSuccess(callee) {
      const fact = knowledge?.lookup(callee);
      return fact?.convention === 'bool-success' ? { name: callee, note: describeFailure(fact), source: fact.source } : undefined;
    },
  };
}
