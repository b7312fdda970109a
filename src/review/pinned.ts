// Argument-pinned failures (issue 8): a call of the patch's own function whose only failure comes from one inner
// call fed by a parameter, where this call pins that parameter to a constant the patch itself passes to the inner
// call while dropping its result. The author's own code says the inner call does not fail with that argument, so
// the wrapper's call with the same constant does not either: a wait with timeout 0 (wait forever) cannot time out.
//
//   static TEE_Result __wait_timeout(struct cv *cv, uint32_t timeout_ms)
//   {   TEE_Result res = TEE_SUCCESS; .. res = wq_wait(&cv->wq, timeout_ms); .. return res; }
//   void cv_wait(struct cv *cv) { __wait_timeout(cv, 0); }         <- pinned: not a lost failure
//   .. wq_wait(&m->wq, 0); ..                                       <- the patch's own drop with the same constant
//
// Everything is read from the post images the patch shows; the callee's every value return must be visible and be
// either a success constant or a variable whose every visible assignment is a success constant or that one call.
import type { SyntaxNode } from '../c/parser.ts';
import type { CModel, FunctionImage } from '../c/types.ts';
import { declaredNames, descendants } from './ast.ts';
import { argumentsOf, calleeName, peel, resultUse } from './calls.ts';
import { STATUS_TYPES } from '../knowledge/status-types.ts';

// 0 and the status types' success constants (knowledge/status-types.ts: TEE_SUCCESS, AE_OK, EFI_SUCCESS, ..).
const SUCCESS = new Set(['0', ...STATUS_TYPES.map((s) => s.success)]);
const isSuccess = (n: SyntaxNode | null): boolean => !!n && SUCCESS.has(peel(n)?.text ?? '');
const squash = (s: string): string => s.replace(/\s+/g, '');

/** The value of a return statement (none for `return;`). */
const returned = (r: SyntaxNode): SyntaxNode | null => r.namedChildren.find((c) => c.type !== 'comment') ?? null;

/** Post images the patch shows, by function name (changed and context-only). */
function postImages(model: CModel): Map<string, FunctionImage> {
  const out = new Map<string, FunctionImage>();
  for (const f of model.files) {
    for (const fn of f.functions) if (fn.post && !out.has(fn.name)) out.set(fn.name, fn.post);
    for (const image of f.contextImages ?? []) if (!out.has(image.name)) out.set(image.name, image);
  }
  return out;
}

/**
 * The inner call a function's failures all come from, and the index of the parameter that feeds the argument at
 * `position` of it: `res = g(.., p, ..); .. return res;` with every other value returned a success constant.
 */
function singleFailureSource(fn: FunctionImage): { callee: string; position: number; param: number } | undefined {
  const returns = [...descendants(fn.node, 'return_statement')].map(returned);
  const carriers = new Set<string>();
  for (const v of returns) {
    if (!v || isSuccess(v)) continue;
    const n = peel(v);
    if (n?.type !== 'identifier') return undefined;
    carriers.add(n.text);
  }
  if (carriers.size !== 1) return undefined;
  const carrier = [...carriers][0]!;
  const values: SyntaxNode[] = [];
  for (const decl of descendants(fn.node, 'declaration')) for (const d of declaredNames(decl)) if (d.name === carrier && d.init) values.push(d.init);
  for (const a of descendants(fn.node, 'assignment_expression')) {
    if (a.childForFieldName('left')?.text !== carrier) continue;
    if (a.childForFieldName('operator')?.text !== '=') return undefined;
    values.push(a.childForFieldName('right')!);
  }
  // Taken by address (`f(&res)`): written where the patch cannot tell.
  for (const p of descendants(fn.node, 'pointer_expression')) if (p.text.replace(/\s+/g, '') === `&${carrier}`) return undefined;
  const calls = values.filter((v) => !isSuccess(v));
  if (calls.length !== 1) return undefined;
  const call = peel(calls[0]!);
  if (call?.type !== 'call_expression') return undefined;
  const params = fn.params.map((p) => p.name);
  let found: { position: number; param: number } | undefined;
  argumentsOf(call).forEach((arg, position) => {
    const param = params.indexOf(peel(arg)?.text ?? '');
    if (param >= 0 && !found) found = { position, param };
  });
  return found ? { callee: calleeName(call), ...found } : undefined;
}

/**
 * Why this call's failure is pinned away (a sentence), or undefined: the callee is the patch's own function whose
 * failures all come from one inner call through a parameter this call passes a constant for, and the patch drops
 * that inner call's result where it passes the same constant in the same place.
 */
export function pinnedQuiet(model: CModel, call: SyntaxNode): string | undefined {
  const images = postImages(model);
  const callee = calleeName(call);
  const fn = images.get(callee);
  if (!fn) return undefined;
  const source = singleFailureSource(fn);
  if (!source) return undefined;
  const arg = argumentsOf(call)[source.param];
  const constant = peel(arg ?? null);
  if (!constant || !/^(?:-?\d+[uUlL]*|[A-Z][A-Z0-9_]*|NULL|true|false)$/.test(constant.text)) return undefined;
  for (const image of images.values()) {
    for (const c of descendants(image.node, 'call_expression')) {
      if ((image.lineMap[c.startPosition.row] ?? 0) === 0 || calleeName(c) !== source.callee || resultUse(c).kind !== 'dropped') continue;
      const same = argumentsOf(c)[source.position];
      if (same && squash(peel(same)?.text ?? '') === squash(constant.text)) {
        return `${callee}() fails only when ${source.callee}() does, through its parameter ${fn.params[source.param]!.name}, and this patch drops ${source.callee}() itself where it passes ${constant.text} there`;
      }
    }
  }
  return undefined;
}

/** Calls that say "this cannot happen" (Xen ASSERT_UNREACHABLE(), BUG(), Linux unreachable(), assert(0)). */
const UNREACHABLE = /^(?:ASSERT_UNREACHABLE|BUG|unreachable|__builtin_unreachable)$/;
const saysUnreachable = (st: SyntaxNode | null | undefined): boolean => {
  const e = st?.type === 'expression_statement' ? peel(st.namedChild(0)) : null;
  if (e?.type !== 'call_expression') return false;
  const name = calleeName(e);
  return UNREACHABLE.test(name) || (name === 'assert' && ['0', 'false'].includes(peel(argumentsOf(e)[0] ?? null)?.text ?? ''));
};

/**
 * Why this call cannot fail (a sentence), or undefined: the callee is the patch's own function, shown whole, and its
 * every failure return (`return false;`, a negative number or error constant, NULL) comes right after a statement that
 * says the point is unreachable (`default: ASSERT_UNREACHABLE(); return false;` for a size it does not handle). The
 * author says no correct call gets there; a caller dropping the result is not losing a failure.
 */
export function failsOnlyUnreachably(model: CModel, call: SyntaxNode): string | undefined {
  const callee = calleeName(call);
  const fn = postImages(model).get(callee);
  if (!fn || fn.startsInside || fn.gaps.length > 0) return undefined;
  const boolType = /\bbool\b|\b_Bool\b/.test(fn.returnType);
  const failure = (v: SyntaxNode | null): boolean => {
    const t = peel(v)?.text ?? '';
    if (boolType) return t === 'false' || t === '0';
    return /^-/.test(t) || t === 'NULL' || /^[A-Z][A-Z0-9]*_ERR(?:OR)?_[A-Z0-9_]+$/.test(t);
  };
  let failures = 0;
  for (const r of descendants(fn.node, 'return_statement')) {
    const v = returned(r);
    if (!v) continue;
    if (!failure(v)) {
      // Anything else it returns must be a plain success: a computed value may be a failure the patch cannot see.
      const t = peel(v)?.text ?? '';
      if (!(boolType ? t === 'true' || t === '1' : isSuccess(v))) return undefined;
      continue;
    }
    let before = r.previousNamedSibling;
    while (before?.type === 'comment') before = before.previousNamedSibling;
    if (!saysUnreachable(before)) return undefined;
    failures++;
  }
  return failures > 0 ? `${callee}() fails only where it says the point is unreachable (${fn.name} as this patch shows it)` : undefined;
}
