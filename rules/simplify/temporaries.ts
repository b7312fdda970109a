// Shapes shared by the temporary-variable rules.
import type { SyntaxNode } from '../../src/c/parser.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import {
  assignedCall, bodyStatements, conditionOf, declaredNames, descendants, statementsOf, testedVariable,
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
}

/** `v = f(); if ( v ) <one statement>` with no else. */
export function carriedResults(ctx: FunctionContext): CarriedResult[] {
  const out: CarriedResult[] = [];
  for (const test of descendants(ctx.post.node, 'if_statement')) {
    if (test.childForFieldName('alternative')) continue;
    const variable = testedVariable(conditionOf(test));
    const guarded = bodyStatements(test.childForFieldName('consequence'));
    if (!variable || guarded.length !== 1 || !test.parent || test.parent.type !== 'compound_statement') continue;
    const list = statementsOf(test.parent);
    const prev = list[list.findIndex((s) => s.id === test.id) - 1];
    const assigned = prev ? assignedCall(prev) : null;
    if (!assigned || assigned.variable !== variable) continue;
    out.push({ assign: prev!, call: assigned.call, variable, test, guarded: guarded[0]! });
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
