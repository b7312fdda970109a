// One home for a call: its name (as the simulator names it, so `ops -> suspend(1)` and a call split
// after `->` are the same call) and how its result is used, including which `if` really checks it.
import type { SyntaxNode } from '../c/parser.ts';
import { useOf } from '../c/calls.ts';
import { calleeText, modelFor } from '../sim/index.ts';
import { dispatchedMember, dispatchedMemberName } from './api-data.ts';

/** The callee as written, normalised the way the simulator records it (`ops->suspend`, `(*fn)` as `fn`). */
export function calleeName(call: SyntaxNode): string {
  return call.childForFieldName('function') ? calleeText(call) : '';
}

/**
 * The name a call's failure behaviour is known by. A dispatch macro (`iommu_call(ops, suspend, d)`) is
 * keyed by the operation it dispatches (`suspend`), never by the macro's own name, which every operation shares.
 */
export function fallibilityKey(call: SyntaxNode): string {
  const name = calleeName(call);
  const member = dispatchedMember(name);
  if (member === undefined) return name;
  const arg = argumentsOf(call)[member];
  // `iommu_call(ops, suspend, d)` names the member; `alternative_call(hvm_funcs.suspend, v)` reads it from the struct
  const op = arg?.type === 'identifier' || arg?.type === 'field_identifier' ? arg.text : arg?.type === 'field_expression' ? dispatchedMemberName(arg.text) : undefined;
  return op ? `${name}:${op}` : `${name}:?`;
}

export function argumentsOf(call: SyntaxNode): SyntaxNode[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((c) => c.type !== 'comment');
}

/** A call the simulator models as returning its argument unchanged (likely, unlikely, READ_ONCE). */
const isTransparent = (call: SyntaxNode): boolean => modelFor(calleeName(call))?.behaviour.kind === 'transparent';
/** IS_ERR(p) and friends: a test of an error pointer. */
const isErrorPointerTest = (call: SyntaxNode): boolean => modelFor(calleeName(call))?.behaviour.kind === 'is-err';

/** The expression with parentheses, casts and transparent hints (`unlikely(...)`) peeled off. */
export function peel(e: SyntaxNode | null): SyntaxNode | null {
  while (e) {
    if (e.type === 'parenthesized_expression' && e.namedChildCount === 1) e = e.namedChild(0);
    else if (e.type === 'call_expression' && isTransparent(e)) e = argumentsOf(e)[0] ?? null;
    else return e;
  }
  return e;
}

/**
 * Whether `cond` tests `value` for failure or success as a whole: `v`, `!v`, `v < 0`, `v != 0`, `v == NULL`,
 * `IS_ERR(v)`, each possibly inside `unlikely()`/parentheses, or joined with `||`/`&&` to other tests.
 * A mere mention (`if ( x == v->len )`, `if ( f(v) )`) is not a check of the call that produced v.
 */
export function testsValue(cond: SyntaxNode | null, value: string): boolean {
  const e = peel(cond);
  if (!e) return false;
  const same = (n: SyntaxNode | null): boolean => !!n && squashText(peel(n)?.text ?? '') === squashText(value);
  if (same(e)) return true;
  if (e.type === 'unary_expression' && e.childForFieldName('operator')?.text === '!') return same(e.childForFieldName('argument'));
  if (e.type === 'call_expression' && isErrorPointerTest(e)) return same(argumentsOf(e)[0] ?? null);
  if (e.type === 'binary_expression') {
    const op = e.childForFieldName('operator')?.text ?? '';
    const l = e.childForFieldName('left');
    const r = e.childForFieldName('right');
    if (op === '||' || op === '&&') return testsValue(l, value) || testsValue(r, value);
    if (!['<', '<=', '>', '>=', '==', '!='].includes(op)) return false;
    // A number, an errno, or a constant macro (NULL, TEE_SUCCESS, X86EMUL_OKAY): a test of the value itself.
    const constant = (n: SyntaxNode | null): boolean => !!n && /^(-?\s*\(?\s*-?\s*(\d+[uUlL]*|[A-Z][A-Z0-9_]*)\s*\)?|false|true)$/.test(peel(n)?.text ?? '');
    return (same(l) && constant(r)) || (same(r) && constant(l));
  }
  return false;
}

const squashText = (s: string): string => s.replace(/\s+/g, '');

export type ResultUse =
  /** `f(x);`: the result is thrown away. */
  | { kind: 'dropped' }
  /** `(void)f(x);`: thrown away on purpose. */
  | { kind: 'discarded' }
  /** `if ( f(x) )`, `while ( !f(x) )`, `f(x) ? a : b`. */
  | { kind: 'tested'; statement: SyntaxNode | null }
  /** `return f(x);` */
  | { kind: 'returned' }
  /** `v = f(x);` / `T v = f(x);`, with the statement that checks v next, if the very next one does. */
  | { kind: 'assigned'; variable: string; statement: SyntaxNode; checkedBy: SyntaxNode | null }
  /** An argument, an operand, anything else. */
  | { kind: 'other' };

const resultUseMemo = new WeakMap<SyntaxNode, ResultUse>();

/**
 * How `call`'s result is used. The one place rules and fallibility evidence learn it. Remembered per node
 * object (a parsed tree does not change; `descendants()` hands rules the same node objects), so rules that
 * ask about every call of a large function once per call do not walk the native tree again (perf).
 */
export function resultUse(call: SyntaxNode): ResultUse {
  let hit = resultUseMemo.get(call);
  if (!hit) resultUseMemo.set(call, (hit = resultUseOf(call)));
  return hit;
}

function resultUseOf(call: SyntaxNode): ResultUse {
  const use = useOf(call);
  switch (use) {
    case 'dropped': {
      let top: SyntaxNode = call;
      while (top.parent && top.parent.type !== 'expression_statement') top = top.parent;
      return top.type === 'cast_expression' ? { kind: 'discarded' } : { kind: 'dropped' };
    }
    case 'returned':
      return { kind: 'returned' };
    case 'condition': {
      let n: SyntaxNode | null = call.parent;
      while (n && !/_statement$|conditional_expression/.test(n.type)) n = n.parent;
      return { kind: 'tested', statement: n };
    }
    case 'assigned': {
      let holder: SyntaxNode | null = call.parent;
      while (holder && holder.type === 'parenthesized_expression') holder = holder.parent;
      if (!holder) return { kind: 'other' };
      const target = holder.type === 'init_declarator' ? holder.childForFieldName('declarator') : holder.childForFieldName('left');
      const statement = holder.type === 'init_declarator' ? holder.parent : holder.parent?.type === 'expression_statement' ? holder.parent : null;
      if (!target || !statement) return { kind: 'other' };
      const next = nextStatement(statement);
      const cond = next && (next.type === 'if_statement' || next.type === 'while_statement') ? next.childForFieldName('condition') : null;
      return { kind: 'assigned', variable: target.text, statement, checkedBy: cond && testsValue(cond, target.text) ? next : null };
    }
    default:
      return { kind: 'other' };
  }
}

/** The statement after `stmt` in its block, if any. */
export function nextStatement(stmt: SyntaxNode): SyntaxNode | null {
  const block = stmt.parent;
  if (!block || block.type !== 'compound_statement') return null;
  // The next named sibling, not a search of the block's children: a block of n statements stays linear.
  let next = stmt.nextNamedSibling;
  while (next && next.type === 'comment') next = next.nextNamedSibling;
  return next;
}
