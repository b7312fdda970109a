// Witness search, and the question rules ask most: can a failing call's error be swallowed?
import type { QueryAnswer, SimFunction, SimOptions, SimPath, SimResult, Witness } from '../types.ts';
import { simulate } from '../engine/simulate.ts';
import { canBe, NEG, intersect, TOP } from '../state/domain.ts';
import { resolve, show, symbolsOf } from '../state/value.ts';
import { WITNESS_FAILURE } from '../models/errno.ts';
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

/**
 * Whether the path, with the call's result forced negative, swallows it: returns 0, a non-negative
 * value, a value not derived from the result, or nothing (void, or falling off the end).
 * Returns the constraints that show it.
 */
export function swallows(p: SimPath, sym: string): Constraints | undefined {
  const d = p.constraints[sym] ?? TOP;
  if (!canBe(d, NEG)) return undefined;
  const failing = intersect(d, { cls: NEG, ne: [] });
  if (!failing) return undefined;
  // An unconstrained failure is shown as -EIO.
  const shown = failing.eq === undefined ? intersect(failing, { cls: NEG, eq: WITNESS_FAILURE, ne: [] }) ?? failing : failing;
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

export function mayReturnSuccessAfterFailure(fn: SimFunction, callSite: CallSiteRef, options: SimOptions = {}): QueryAnswer {
  try {
    const result = simulate(fn, options);
    let seen = false;
    let best: { p: SimPath; sym: string; c: Constraints } | undefined;
    for (const p of result.paths) {
      for (const sym of callSymbols(p, callSite)) {
        seen = true;
        const c = swallows(p, sym);
        // The simplest witness: fewest other assumptions, first in path order.
        if (c && (!best || p.assumptions.length < best.p.assumptions.length)) best = { p, sym, c };
      }
    }
    if (best) return { verdict: 'verified', witness: swallowWitness(fn, best.p, best.sym, best.c, callSite) };
    if (result.status !== 'complete') return { verdict: 'inconclusive', reason: result.reason ?? 'simulation incomplete' };
    if (!seen) return { verdict: 'inconclusive', reason: `no call to ${callSite.callee}() at line ${callSite.line} on any simulated path` };
    return { verdict: 'refuted', reason: `every path where ${callSite.callee}() fails reports the failure` };
  } catch (e) {
    return { verdict: 'inconclusive', reason: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function swallowWitness(fn: SimFunction, p: SimPath, sym: string, c: Constraints, site: CallSiteRef): Witness {
  const failText = show(resolve({ k: 'sym', id: sym, label: '', origin: 'call' }, c));
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
