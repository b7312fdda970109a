// Witness search, and the question rules ask most: can a failing call's error be swallowed?
import type { QueryAnswer, SimFunction, SimOptions, SimPath, SimResult, Witness } from '../types.ts';
import { simulate } from '../engine/simulate.ts';
import { canBe, NEG, POS, ZERO, intersect, TOP } from '../state/domain.ts';
import { resolve, show, symbolsOf } from '../state/value.ts';
import { errnoValue, WITNESS_FAILURE } from '../models/errno.ts';
import { merge, type Constraints } from './compat.ts';
import { callName, phrase, joinPhrases, stepsOf } from './story.ts';

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
}

const DEFAULT_FAILURE: FailureShape = { cls: NEG, eq: WITNESS_FAILURE };

/** The failure a convention implies (SimOptions.conventionOf): -ENOMEM for errno, 0 for bool-success, NULL... */
export function failureShape(conv: { convention: string; failValues?: string[] } | undefined): FailureShape {
  if (!conv) return DEFAULT_FAILURE;
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
    case 'zero-fail':
      return { cls: ZERO, eq: 0, text: '0' };
    case 'null':
      return { cls: ZERO, eq: 0, text: 'NULL' };
    case 'count':
      return { cls: POS, eq: 1, text: 'a non-zero count' };
    default:
      return DEFAULT_FAILURE;
  }
}

/**
 * Whether the path, with the call's result forced to fail (negative unless `shape` says otherwise), swallows it: returns 0, a non-negative
 * value, a value not derived from the result, or nothing (void, or falling off the end).
 * Returns the constraints that show it.
 */
export function swallows(p: SimPath, sym: string, shape: FailureShape = DEFAULT_FAILURE): Constraints | undefined {
  const d = p.constraints[sym] ?? TOP;
  if (!canBe(d, shape.cls)) return undefined;
  const failing = intersect(d, { cls: shape.cls, ne: [] });
  if (!failing) return undefined;
  // An unconstrained failure is shown as the convention's (-EIO when none is known).
  const shown = failing.eq === undefined && shape.eq !== undefined ? intersect(failing, { cls: shape.cls, eq: shape.eq, ne: [] }) ?? failing : failing;
  const c = merge(p.constraints, { [sym]: shown });
  if (!c) return undefined;
  if (p.end.kind === 'fallthrough') return c;
  if (p.end.kind !== 'return') return undefined;
  if (!p.end.value) return c;
  const v = resolve(p.end.value, c);
  if (v.k === 'num') return v.n >= 0 ? c : undefined;
  if (v.k === 'void') return c;
  return symbolsOf(v).has(sym) ? undefined : c;
}

/** `result`: the caller's cached simulation of `fn` under the same options (reused, not re-run). */
export function mayReturnSuccessAfterFailure(fn: SimFunction, callSite: CallSiteRef, options: SimOptions = {}, result?: SimResult): QueryAnswer {
  try {
    result ??= simulate(fn, options);
    let seen = false;
    let best: { p: SimPath; sym: string; c: Constraints } | undefined;
    const shape = failureShape(options.conventionOf?.(callSite.callee));
    for (const p of result.paths) {
      for (const sym of callSymbols(p, callSite)) {
        seen = true;
        const c = swallows(p, sym, shape);
        // The simplest witness: fewest other assumptions, first in path order.
        if (c && (!best || p.assumptions.length < best.p.assumptions.length)) best = { p, sym, c };
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

function swallowWitness(fn: SimFunction, p: SimPath, sym: string, c: Constraints, site: CallSiteRef, shape: FailureShape = DEFAULT_FAILURE): Witness {
  const v = resolve({ k: 'sym', id: sym, label: '', origin: 'call' }, c);
  // The convention's name for the value swallows() chose; a value the path itself pins is shown as is.
  const failText = shape.text && v.k === 'num' && v.n === shape.eq ? shape.text : show(v);
  const call = `${site.callee}()`;
  const callIdx = p.effects.findIndex((e) => e.symbol === sym);
  const logs = p.effects.slice(callIdx + 1).some((e) => e.kind === 'log');
  const when = [`${call} returns ${failText}`];
  const end = p.end.kind === 'fallthrough' || (p.end.kind === 'return' && !p.end.value)
    ? 'returns without reporting it'
    : endPhrase(p, c);
  const story = `when ${joinPhrases(when)}, ${fn.name}() ${logs ? 'prints a warning and ' : ''}${end}`;
  const notes = new Map<number, string>([[site.line, `${callName(call)} returns ${failText}`]]);
  return { path: { ...p, constraints: c }, story, steps: stepsOf(fn, { ...p, assumptions: p.assumptions.filter((a) => a.symbol !== sym) }, notes) };
}
