// Shapes shared by the temporary-variable rules.
import type { SyntaxNode } from '../../src/c/parser.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import {
  assignedCall, bodyStatements, conditionOf, declaredNames, descendants, fold, statementsOf, testedVariable,
} from '../../src/review/ast.ts';
import { removeRows, type Edit } from '../../src/review/edits.ts';

export interface CarriedResult {
  /** `v = f(...);` */
  assign: SyntaxNode;
  call: SyntaxNode;
  variable: string;
  /** `if ( v ) ...` right after it. */
  test: SyntaxNode;
  /** The single statement the test guards. */
  guarded: SyntaxNode;
  /** The success value the test names: `K` for `if ( v != K )`; absent (0) for a plain truth test. */
  success?: string;
}

const CONSTANT = /^(\d+[uUlL]*|[A-Z][A-Z0-9_]*)$/;

/** `v != K` / `K != v` with K a number or an upper-case constant: v and K. */
function testedAgainst(cond: SyntaxNode | null): { variable: string; success: string } | null {
  if (cond?.type !== 'binary_expression' || cond.childForFieldName('operator')?.text !== '!=') return null;
  const l = cond.childForFieldName('left');
  const r = cond.childForFieldName('right');
  if (l?.type === 'identifier' && r && CONSTANT.test(r.text)) return { variable: l.text, success: r.text };
  if (r?.type === 'identifier' && l && CONSTANT.test(l.text)) return { variable: r.text, success: l.text };
  return null;
}

/**
 * `v = f(); if ( v ) <one statement>` with no else; with `namedSuccess` also `if ( v != K )`, K a constant the
 * test names as the success value.
 */
export function carriedResults(ctx: FunctionContext, options: { namedSuccess?: boolean } = {}): CarriedResult[] {
  const out: CarriedResult[] = [];
  for (const test of descendants(ctx.post.node, 'if_statement')) {
    if (test.childForFieldName('alternative')) continue;
    const plain = testedVariable(conditionOf(test));
    const named = plain || !options.namedSuccess ? null : testedAgainst(conditionOf(test));
    const variable = plain ?? named?.variable;
    const guarded = bodyStatements(test.childForFieldName('consequence'));
    if (!variable || guarded.length !== 1 || !test.parent || test.parent.type !== 'compound_statement') continue;
    const list = statementsOf(test.parent);
    const prev = list[list.findIndex((s) => s.id === test.id) - 1];
    const assigned = prev ? assignedCall(prev) : null;
    if (!assigned || assigned.variable !== variable) continue;
    out.push({ assign: prev!, call: assigned.call, variable, test, guarded: guarded[0]!, ...(named ? { success: named.success } : {}) });
  }
  return out;
}

/** The declaration of a local in the visible function. */
export function declarationOf(ctx: FunctionContext, name: string) {
  for (const decl of descendants(ctx.post.node, 'declaration')) {
    const hit = declaredNames(decl).find((d) => d.name === name);
    if (hit) return { decl, ...hit, all: declaredNames(decl) };
  }
  return undefined;
}

/** Identifier uses of `name` outside the given nodes (and outside its declaration). */
export function usesOutside(ctx: FunctionContext, name: string, inside: SyntaxNode[]): SyntaxNode[] {
  const decl = declarationOf(ctx, name)?.decl;
  const within = (n: SyntaxNode): boolean =>
    [...inside, ...(decl ? [decl] : [])].some((o) => n.startIndex >= o.startIndex && n.endIndex <= o.endIndex);
  return [...descendants(ctx.post.node, 'identifier')].filter((id) => id.text === name && !within(id));
}

/** Removes a local's declaration when it declares only that name. */
export function dropDeclaration(ctx: FunctionContext, name: string): Edit | undefined {
  const d = declarationOf(ctx, name);
  if (!d || d.all.length !== 1) return undefined;
  return removeRows(ctx.post, d.decl);
}

/**
 * `return f(...);` for a call assigned in `stmt`: a call written on one row is folded; one written over several rows
 * keeps its rows, the continuation rows moved by the width `return ` takes instead of what stood before the call.
 */
export function returnCallText(call: SyntaxNode, stmt: SyntaxNode): string {
  if (!call.text.includes('\n')) return `return ${fold(call.text)};`;
  const delta = 'return '.length - (call.startIndex - stmt.startIndex);
  const rows = call.text.split('\n').map((row, i) => {
    if (i === 0 || delta === 0) return row;
    if (delta > 0) return row.replace(/^[ \t]*/, (ws) => ws + ' '.repeat(delta));
    return row.replace(new RegExp(`^([ \\t]*) {${-delta}}(?=\\S)`), '$1');
  });
  return `return ${rows.join('\n')};`;
}
