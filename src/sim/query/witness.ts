// Witness search, and the question rules ask most: can a failing call's error be swallowed?
import type { QueryAnswer, SimFunction, SimOptions, SimPath, SimResult, Value, Witness } from '../types.ts';
import { simulate } from '../engine/simulate.ts';
import { ANY, canBe, NEG, POS, ZERO, intersect, TOP } from '../state/domain.ts';
import { isAllocCall } from '../models/queries.ts';
import { resolve, show, symbolsOf } from '../state/value.ts';
import { errnoValue, WITNESS_FAILURE } from '../models/errno.ts';
import { merge, type Constraints } from './compat.ts';
import { callName, phrase, joinPhrases, stepsOf } from './story.ts';
import { isBoolType } from '../../c/declarator.ts';

/** The first path (in the result's stable order) that satisfies `predicate`, as a witness. */
export function findWitness(result: SimResult, predicate: (p: SimPath) => boolean, fn?: SimFunction): Witness | undefined {
  const path = result.paths.find(predicate);
  if (!path) return undefined;
  const story = `when ${joinPhrases(path.assumptions.map(phrase))}, ${result.functionName}() ${endPhrase(path, path.constraints)}`;
  return { path, story, steps: fn ? stepsOf(fn, path) : path.trace.map((line) => ({ line, text: '' })) };
}

export function endPhrase(p: SimPath, c: Readonly<Constraints>): string {
  switch (p.end.kind) {
    case 'return': return p.end.value ? `returns ${show(resolve(p.end.value, c))}` : 'returns without a value';
    case 'fallthrough': return 'returns at the end of its body without a value';
    case 'unseen': return p.end.gap !== undefined && p.end.gap >= 0 ? `goes on into code the patch does not show (gap ${p.end.gap})` : `goes on into code the patch does not show (${p.end.reason ?? ''})`;
    case 'abort': return `aborts (${p.end.reason ?? 'BUG'})`;
    case 'cut': return 'keeps looping past the loop bound';
  }
}

/** The failure a witness names: the convention's name for the value swallows() chose; a value the path itself pins as is. */
export function failureText(sym: string, c: Readonly<Constraints>, shape: FailureShape): string {
  if (shape.errPtr) return shape.text ?? 'an error pointer';
  const v = resolve({ k: 'sym', id: sym, label: '', origin: 'call' }, c);
  if (v.k === 'num' && (v.n !== shape.eq || !shape.text)) return show(v);
  return shape.text ?? 'a failure value';
}

export interface CallSiteRef {
  callee: string;
  line: number;
}

/** The call symbols of `site` on `p` (one per dynamic call at that line). */
export function callSymbols(p: SimPath, site: CallSiteRef): string[] {
  return p.effects.filter((e) => e.kind === 'call' && e.target === site.callee && e.line === site.line && e.symbol).map((e) => e.symbol!);
}

/** How a callee's failure looks: its sign class, the value shown, and its name when a number cannot say it. */
export interface FailureShape {
  cls: number;
  eq?: number;
  text?: string;
  /** err-ptr: failure is IS_ERR() of the result, not a sign class of it. */
  errPtr?: boolean;
  /** The convention was not known: the witness says so instead of presenting a guess as fact. */
  guessed?: boolean;
}

/**
 * Without a known convention the failure is taken to be a negative value (pinned internally to a
 * representative so returned expressions fold), and every witness says the convention is not known.
 */
const UNKNOWN_FAILURE: FailureShape = { cls: NEG, eq: WITNESS_FAILURE, text: 'a negative value (its failure convention is not known)', guessed: true };

export type ConventionFact = { convention: string; failValues?: string[]; returnType?: string } | undefined;

/**
 * The failure a convention implies (SimOptions.conventionOf): -ENOMEM for errno, 0 for bool-success,
 * NULL... `undefined` when the callee is not fallible at all (a plain value).
 */
export function failureShape(conv: ConventionFact, callee?: string): FailureShape | undefined {
  if (!conv || conv.convention === 'unknown') {
    return callee && isAllocCall(callee) ? { cls: ZERO, eq: 0, text: 'NULL' } : UNKNOWN_FAILURE;
  }
  const values = conv.failValues ?? [];
  switch (conv.convention) {
    case 'errno': {
      const named = values.find((v) => /^-E[A-Z0-9]+$/.test(v) && errnoValue(v.slice(1)) !== undefined);
      if (named) return { cls: NEG, eq: -errnoValue(named.slice(1))! };
      const number = values.find((v) => /^-\d+$/.test(v));
      if (number) return { cls: NEG, eq: Number(number) };
      // a named status code (TEE_ERROR_*): non-zero, shown by name
      return values[0] ? { cls: NEG, eq: WITNESS_FAILURE, text: values[0] } : { cls: NEG, eq: WITNESS_FAILURE, text: 'a negative errno' };
    }
    case 'bool-success':
      // true on success: a bool's failure is false, not a 0 that reads as success; an int's is 0
      return { cls: ZERO, eq: 0, text: isBoolType(conv.returnType) ? 'false' : '0' };
    case 'zero-fail':
      return { cls: ZERO, eq: 0, text: '0' };
    case 'null':
      return { cls: ZERO, eq: 0, text: 'NULL' };
    case 'err-ptr': {
      const shown = values.find((v) => /^ERR_PTR\(/.test(v));
      return { cls: ANY, errPtr: true, text: shown ?? 'an error pointer (ERR_PTR())' };
    }
    case 'count':
      return { cls: POS, eq: 1, text: 'a non-zero count' };
    case 'value':
      return undefined;
    default:
      return UNKNOWN_FAILURE;
  }
}

/** The id of the IS_ERR() atom of a call symbol (models/err-ptr.ts names it so). */
const isErrId = (sym: string): string => `iserr:$${sym}`;

/** Does `v` carry the call's result (the result itself, or PTR_ERR()/IS_ERR() of it)? */
const derivedFrom = (v: Value, sym: string): boolean => [...symbolsOf(v)].some((s) => s === sym || s.includes(`$${sym}`));

/**
 * Whether the path, with the call's result forced to fail (negative unless `shape` says otherwise), swallows it: returns 0, a non-negative
 * value, a value not derived from the result, or nothing (void, or falling off the end).
 * Returns the constraints that show it.
 */
export function swallows(
  p: SimPath,
  sym: string,
  shape: FailureShape = UNKNOWN_FAILURE,
  /** Named constants that spell a failure (`TEE_ERROR_GENERIC`): returning one reports a failure, if not this one. */
  namedStatus?: SimOptions['namedStatus'],
): Constraints | undefined {
  let c: Constraints | undefined;
  if (shape.errPtr) {
    const d = p.constraints[isErrId(sym)] ?? TOP;
    const failing = intersect(d, { cls: NEG | POS, ne: [] });
    c = failing ? merge(p.constraints, { [isErrId(sym)]: failing }) : undefined;
  } else {
    const d = p.constraints[sym] ?? TOP;
    if (!canBe(d, shape.cls)) return undefined;
    const failing = intersect(d, { cls: shape.cls, ne: [] });
    if (!failing) return undefined;
    // An unconstrained failure is shown as the convention's representative.
    const shown = failing.eq === undefined && shape.eq !== undefined ? intersect(failing, { cls: shape.cls, eq: shape.eq, ne: [] }) ?? failing : failing;
    c = merge(p.constraints, { [sym]: shown });
  }
  if (!c) return undefined;
  if (p.end.kind !== 'fallthrough' && p.end.kind !== 'return') return undefined;
  if (p.end.kind === 'fallthrough' || !p.end.value) return reportsThroughMemory(p, sym, namedStatus) ? undefined : c;
  const v = resolve(p.end.value, c);
  if (v.k === 'num') return v.n >= 0 ? c : undefined;
  if (v.k === 'void') return c;
  // `return TEE_ERROR_GENERIC;` on the unwind path: the function reports a failure of its own, nothing is swallowed.
  if (v.k === 'sym' && v.origin === 'input' && v.id === `in:${v.label}` && namedStatus?.(v.label) === 'failure') return undefined;
  return derivedFrom(v, sym) ? undefined : c;
}

/**
 * A function with no result to return that, after the call, stores a named failure where its caller reads it
 * (`data->ret = -EINVAL;`, `*res = TEE_ERROR_GENERIC;`): it reports a failure through memory, as a callback run on
 * another CPU does. The failure is not swallowed (the call may fail while the function handles another failure).
 */
function reportsThroughMemory(p: SimPath, sym: string, namedStatus?: SimOptions['namedStatus']): boolean {
  const at = p.effects.findIndex((e) => e.symbol === sym);
  if (at < 0) return false;
  return p.effects.slice(at + 1).some((e) => {
    if (e.kind !== 'write') return false;
    const text = (e.argText[0] ?? '').replace(/[\s()]/g, '');
    if (/^-E[A-Z0-9]+$/.test(text)) return Number(e.values[0]) < 0;
    return /^[A-Z][A-Z0-9_]*$/.test(text) && namedStatus?.(text) === 'failure';
  });
}

/**
 * The path ends returning a value it computes (not a constant) after a later call's result was found in that call's
 * failure class (errno and unknown conventions: not 0; NULL, 0 and false conventions and pointers tested against NULL:
 * 0). Such a path is the function's exit for that other failure: its value is whatever reports it (the other call's
 * status, a reporting helper's result), so it shows nothing about this call's failure being swallowed. A path that
 * returns a constant success after handling another failure still counts (`if ( g() ) return 0;`).
 */
export function handlesOtherFailure(p: SimPath, sym: string, c: Readonly<Constraints>, conventionOf?: SimOptions['conventionOf']): boolean {
  if (p.end.kind !== 'return' || !p.end.value) return false;
  const v = resolve(p.end.value, c);
  if (v.k === 'num' || v.k === 'void') return false;
  const pointers = new Set(p.assumptions.filter((a) => a.isPointer).map((a) => a.symbol));
  const at = p.effects.findIndex((e) => e.symbol === sym);
  // Only calls made after this one: the function went on past this failure and left through a later one's exit.
  for (const e of p.effects.slice(at + 1)) {
    if (e.kind !== 'call' || !e.symbol || e.symbol === sym) continue;
    const d = p.constraints[e.symbol];
    if (!d) continue;
    const conv = conventionOf?.(e.target)?.convention;
    if (conv === 'value' || conv === 'count' || conv === 'err-ptr') continue;
    const zeroFails = pointers.has(e.symbol) || conv === 'null' || conv === 'zero-fail' || conv === 'bool-success';
    if (zeroFails ? !canBe(d, NEG | POS) : !canBe(d, ZERO)) return true;
  }
  return false;
}

/** `result`: the caller's cached simulation of `fn` under the same options (reused, not re-run). */
export function mayReturnSuccessAfterFailure(fn: SimFunction, callSite: CallSiteRef, options: SimOptions = {}, result?: SimResult): QueryAnswer {
  try {
    result ??= simulate(fn, options);
    let seen = false;
    let best: { p: SimPath; sym: string; c: Constraints } | undefined;
    const shape = failureShape(options.conventionOf?.(callSite.callee), callSite.callee);
    if (!shape) return { verdict: 'refuted', reason: `${callSite.callee}() returns a plain value, not a failure report: there is no failure to swallow` };
    const boolFn = isBoolType(fn.returnType);
    for (const p of result.paths) {
      for (const sym of callSymbols(p, callSite)) {
        seen = true;
        const c = swallows(p, sym, shape, options.namedStatus);
        // The function leaves with a computed value while handling another call's failure: what it returns there
        // is that failure's report (`if ( unmap(..) ) return fail(..);`), not a success that hides this one.
        if (c && handlesOtherFailure(p, sym, c, options.conventionOf)) continue;
        // The simplest witness: fewest other assumptions, first in path order. A bool function's `return false;` is
        // how it reports a failure at all: a path that returns true (or a value it computes) is the witness shown first.
        const reports = (q: SimPath, k: Constraints): boolean => boolFn && q.end.kind === 'return' && !!q.end.value && (() => { const v = resolve(q.end.value!, k); return v.k === 'num' && v.n === 0; })();
        if (c && (!best || (reports(best.p, best.c) && !reports(p, c)) || (reports(best.p, best.c) === reports(p, c) && p.assumptions.length < best.p.assumptions.length))) best = { p, sym, c };
      }
    }
    if (best) return { verdict: 'verified', witness: swallowWitness(fn, best.p, best.sym, best.c, callSite, shape) };
    if (result.status !== 'complete') return { verdict: 'inconclusive', reason: result.reason ?? 'simulation incomplete' };
    if (!seen) return { verdict: 'inconclusive', reason: `no call to ${callSite.callee}() at line ${callSite.line} on any simulated path` };
    return { verdict: 'refuted', reason: `every path where ${callSite.callee}() fails reports the failure` };
  } catch (e) {
    return { verdict: 'inconclusive', reason: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function swallowWitness(fn: SimFunction, p: SimPath, sym: string, c: Constraints, site: CallSiteRef, shape: FailureShape = UNKNOWN_FAILURE): Witness {
  const failText = failureText(sym, c, shape);
  const call = `${site.callee}()`;
  const callIdx = p.effects.findIndex((e) => e.symbol === sym);
  const logs = p.effects.slice(callIdx + 1).some((e) => e.kind === 'log');
  const when = [`${call} returns ${failText}`];
  const value = p.end.kind === 'return' && p.end.value ? resolve(p.end.value, c) : undefined;
  const end = p.end.kind === 'fallthrough' || (p.end.kind === 'return' && !p.end.value)
    ? 'returns without reporting it'
    // a bool function's 0 and 1 are false and true, not a status 0 that reads as success
    : isBoolType(fn.returnType) && value?.k === 'num' && (value.n === 0 || value.n === 1) ? `returns ${value.n === 1 ? 'true' : 'false'}`
    : endPhrase(p, c);
  const story = `when ${joinPhrases(when)}, ${fn.name}() ${logs ? 'prints a warning and ' : ''}${end}`;
  const notes = new Map<number, string>([[site.line, `${callName(call)} returns ${failText}`]]);
  return { path: { ...p, constraints: c }, story, steps: stepsOf(fn, { ...p, assumptions: p.assumptions.filter((a) => a.symbol !== sym) }, notes) };
}
