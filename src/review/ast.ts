// Small tree queries the rules share. Rules never walk raw cursors themselves.
import type { SyntaxNode } from '../c/parser.ts';
import { GAP_CALL, UNKNOWN_COND_CALL } from '../c/markers.ts';
import { isLogCall } from '../sim/index.ts';
import { calleeName } from './calls.ts';

export const fold = (text: string): string => text.replace(/\s+/g, ' ').trim();
/** Whitespace-insensitive key for comparing statements. */
export const squash = (text: string): string => text.replace(/\s+/g, '');

const descendantsMemo = new WeakMap<object, Map<string, readonly SyntaxNode[]>>();

/**
 * Named descendants of node (not node itself) in document order, optionally of some types. With types, the
 * list is remembered per tree (the rules ask the same function for the same node types many times) and handed
 * out as it is, read-only: no generator and no result object per node.
 */
export function descendants(node: SyntaxNode, type?: string | Set<string>): Iterable<SyntaxNode> {
  if (!type) return allNamedDescendants(node);
  const tree = (node as { tree?: object }).tree;
  if (!tree) return node.descendantsOfType(typeof type === 'string' ? type : [...type]).filter((n) => n.id !== node.id);
  const types = typeof type === 'string' ? type : [...type].sort().join(',');
  let perTree = descendantsMemo.get(tree);
  if (!perTree) descendantsMemo.set(tree, (perTree = new Map()));
  const key = `${node.id}\0${types}`;
  let found = perTree.get(key);
  if (!found) {
    found = node.descendantsOfType(typeof type === 'string' ? type : [...type]).filter((n) => n.id !== node.id);
    perTree.set(key, found);
  }
  return found;
}

function* allNamedDescendants(node: SyntaxNode): Generator<SyntaxNode> {
  const cursor = node.walk();
  let depth = 0;
  for (;;) {
    if (depth > 0 && cursor.nodeIsNamed) yield cursor.currentNode;
    if (cursor.gotoFirstChild()) {
      depth++;
      continue;
    }
    while (depth > 0 && !cursor.gotoNextSibling()) {
      cursor.gotoParent();
      depth--;
    }
    if (depth === 0) return;
  }
}

/** The named children of a block that are statements or declarations (comments left out). */
export function statementsOf(block: SyntaxNode): SyntaxNode[] {
  return block.namedChildren.filter((c) => c.type !== 'comment');
}

/** A block's statements, or the single statement itself when the body has no braces. */
export function bodyStatements(body: SyntaxNode | null): SyntaxNode[] {
  if (!body) return [];
  return body.type === 'compound_statement' ? statementsOf(body) : [body];
}

/** The condition expression of an if/while, without its parentheses. */
export function conditionOf(stmt: SyntaxNode): SyntaxNode | null {
  const c = stmt.childForFieldName('condition');
  if (!c) return null;
  return c.type === 'parenthesized_expression' && c.namedChildCount === 1 ? c.namedChild(0) : c;
}

export { calleeName };
export { carriesNoStatus, isBoolType } from '../c/declarator.ts';

export const isMarker = (call: SyntaxNode): boolean => {
  const name = calleeName(call);
  return name === GAP_CALL || name === UNKNOWN_COND_CALL;
};

/** `__pr_unseen(n);`: a statement standing for code the patch does not show. */
export function isMarkerStatement(stmt: SyntaxNode): boolean {
  const call = callOfStatement(stmt);
  return !!call && isMarker(call);
}

/** `return -EINVAL;` gives "EINVAL"; any other return gives null. */
export function errnoReturned(ret: SyntaxNode): string | null {
  return /^-\s*(E[A-Z0-9]+)$/.exec(fold(ret.namedChild(0)?.text ?? ''))?.[1] ?? null;
}

/** A branch (block or single statement) that does nothing but print. */
export function onlyLogs(branch: SyntaxNode | null): boolean {
  const list = bodyStatements(branch);
  return list.length > 0 && list.every((s) => {
    const call = callOfStatement(s);
    return !!call && isLogCall(calleeName(call));
  });
}

/** The call an expression statement consists of (`f(x);`), if any. */
export function callOfStatement(stmt: SyntaxNode): SyntaxNode | null {
  if (stmt.type !== 'expression_statement') return null;
  let e = stmt.namedChild(0);
  while (e && (e.type === 'cast_expression' || e.type === 'parenthesized_expression')) {
    e = e.type === 'cast_expression' ? e.childForFieldName('value') : e.namedChild(0);
  }
  return e && e.type === 'call_expression' ? e : null;
}

/** `v = f(...);` or `int v = f(...);` as the variable, the call and the node that assigns. */
export function assignedCall(stmt: SyntaxNode): { variable: string; call: SyntaxNode; assignment: SyntaxNode } | null {
  if (stmt.type === 'declaration') {
    const names = declaredNames(stmt);
    const only = names.length === 1 ? names[0]! : null;
    return only?.init?.type === 'call_expression' ? { variable: only.name, call: only.init, assignment: only.declarator } : null;
  }
  if (stmt.type !== 'expression_statement') return null;
  const e = stmt.namedChild(0);
  if (!e || e.type !== 'assignment_expression' || e.childForFieldName('operator')?.text !== '=') return null;
  const left = e.childForFieldName('left');
  const right = e.childForFieldName('right');
  if (!left || left.type !== 'identifier' || !right || right.type !== 'call_expression') return null;
  return { variable: left.text, call: right, assignment: e };
}

/** `if ( v )` / `if ( v != 0 )` / `if ( v < 0 )`: the tested variable when the condition only tests it for failure. */
export function testedVariable(cond: SyntaxNode | null): string | null {
  if (!cond) return null;
  if (cond.type === 'identifier') return cond.text;
  if (cond.type === 'binary_expression') {
    const op = cond.childForFieldName('operator')?.text;
    const l = cond.childForFieldName('left');
    const r = cond.childForFieldName('right');
    if (l?.type === 'identifier' && r?.text === '0' && (op === '!=' || op === '<')) return l.text;
  }
  return null;
}

/** Identifiers read or written anywhere under node. */
export function mentions(node: SyntaxNode, name: string): boolean {
  for (const id of descendants(node, 'identifier')) if (id.text === name) return true;
  return node.type === 'identifier' && node.text === name;
}

const LOOPS = new Set(['while_statement', 'for_statement', 'do_statement']);
export const isLoop = (n: SyntaxNode): boolean => LOOPS.has(n.type);

export type Continuation =
  | { kind: 'statements'; statements: SyntaxNode[] }
  | { kind: 'loop'; loop: SyntaxNode }
  | { kind: 'end' };

/**
 * What runs after `stmt` when it completes normally: the statements after it in its block, or,
 * climbing out of if/else arms and blocks, the statements after the enclosing statement.
 * Stops at loops (the body repeats) and at the function end.
 */
export function continuationAfter(stmt: SyntaxNode): Continuation {
  let cur = stmt;
  for (;;) {
    const parent = cur.parent;
    if (!parent) return { kind: 'end' };
    if (parent.type === 'compound_statement') {
      const list = statementsOf(parent);
      const i = list.findIndex((s) => s.id === cur.id);
      const rest = list.slice(i + 1);
      if (rest.length > 0) return { kind: 'statements', statements: rest };
      if (parent.parent?.type === 'function_definition') return { kind: 'end' };
      cur = parent;
      continue;
    }
    if (parent.type === 'if_statement' || parent.type === 'else_clause') {
      cur = parent.type === 'else_clause' ? parent.parent! : parent;
      continue;
    }
    if (LOOPS.has(parent.type)) return { kind: 'loop', loop: parent };
    if (parent.type === 'labeled_statement' || parent.type === 'case_statement') {
      cur = parent;
      continue;
    }
    return { kind: 'end' };
  }
}

/** The function_definition enclosing node. */
export function enclosingFunction(node: SyntaxNode): SyntaxNode | null {
  let n: SyntaxNode | null = node;
  while (n && n.type !== 'function_definition') n = n.parent;
  return n;
}

/** The declarator names of a declaration (`int rc = 0, ret = 0;` gives rc and ret). */
export function declaredNames(decl: SyntaxNode): { name: string; declarator: SyntaxNode; init: SyntaxNode | null }[] {
  const out: { name: string; declarator: SyntaxNode; init: SyntaxNode | null }[] = [];
  for (const d of decl.childrenForFieldName('declarator')) {
    if (d.type === 'init_declarator') {
      const name = d.childForFieldName('declarator');
      if (name?.type === 'identifier') out.push({ name: name.text, declarator: d, init: d.childForFieldName('value') });
    } else if (d.type === 'identifier') {
      out.push({ name: d.text, declarator: d, init: null });
    }
  }
  return out;
}

/** `if (..) {..} else {..}`: the then-block and the else-block, when both are blocks. */
export function ifElseBlocks(ifs: SyntaxNode): [SyntaxNode, SyntaxNode] | null {
  const then = ifs.childForFieldName('consequence');
  const elseBlock = ifs.childForFieldName('alternative')?.namedChildren.find((c) => c.type === 'compound_statement');
  return then?.type === 'compound_statement' && elseBlock ? [then, elseBlock] : null;
}

export const isExitStatement = (s: SyntaxNode): boolean =>
  s.type === 'return_statement' || s.type === 'goto_statement' || s.type === 'break_statement' || s.type === 'continue_statement';
