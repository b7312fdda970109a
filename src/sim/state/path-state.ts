// Immutable path state. Every update returns a new state; forks share structure.
import type { Assumption, Domain, Effect, UninitRead, Value } from '../types.ts';
import { push, type List } from './list.ts';

export interface Var {
  value: Value;
  /** Declared in the visible function (false: an input the function wrote). */
  declared: boolean;
  isPointer: boolean;
}

export interface PathState {
  readonly env: Readonly<Record<string, Var>>;
  readonly doms: Readonly<Record<string, Domain>>;
  readonly assumptions: List<Assumption>;
  readonly effects: List<Effect>;
  readonly uninit: List<UninitRead>;
  readonly trace: List<number>;
  /** Opaque locations written on this path (`hd->arch.x`, `*pte`, `this_cpu(v)`), by key. */
  readonly locs: Readonly<Record<string, Value>>;
  /** Bumped when unseen code runs: locations read afterwards are new symbols. */
  readonly epoch: number;
  /** Occurrence counters: call identities, unknown conditions, label visits. */
  readonly counts: Readonly<Record<string, number>>;
  /** Inlining depth of the frame being executed. */
  readonly depth: number;
}

export const initialState = (): PathState => ({
  env: {}, doms: {}, assumptions: null, effects: null, uninit: null, trace: null,
  locs: {}, epoch: 0, counts: {}, depth: 0,
});

export const setVar = (s: PathState, name: string, v: Var): PathState => ({ ...s, env: { ...s.env, [name]: v } });

export function dropVar(s: PathState, name: string, restore: Var | undefined): PathState {
  const env = { ...s.env };
  if (restore) env[name] = restore;
  else delete env[name];
  return { ...s, env };
}

export const setDom = (s: PathState, id: string, d: Domain): PathState => ({ ...s, doms: { ...s.doms, [id]: d } });
export const assume = (s: PathState, a: Assumption): PathState => ({ ...s, assumptions: push(s.assumptions, a) });
export const addEffect = (s: PathState, e: Effect): PathState => ({ ...s, effects: push(s.effects, e) });
export const addUninit = (s: PathState, u: UninitRead): PathState => ({ ...s, uninit: push(s.uninit, u) });
export const setLoc = (s: PathState, k: string, v: Value): PathState => ({ ...s, locs: { ...s.locs, [k]: v } });

export function visit(s: PathState, line: number): PathState {
  return s.trace && s.trace.head === line ? s : { ...s, trace: push(s.trace, line) };
}

/** Bump the occurrence counter of `k`; returns the new state and the occurrence index (0-based). */
export function occurrence(s: PathState, k: string): [PathState, number] {
  const n = s.counts[k] ?? 0;
  return [{ ...s, counts: { ...s.counts, [k]: n + 1 } }, n];
}
