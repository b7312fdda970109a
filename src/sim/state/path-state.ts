// Immutable path state. Every update returns a new state; forks share structure.
import type { Assumption, Domain, Effect, LostValue, UninitRead, Value } from '../types.ts';
import { push, type List } from './list.ts';
import type { DomMap } from './dom-map.ts';
import { PMap } from './pmap.ts';

export interface Var {
  value: Value;
  /** Declared in the visible function (false: an input the function wrote). */
  declared: boolean;
  isPointer: boolean;
}

export interface PathState {
  readonly env: Readonly<Record<string, Var>>;
  /** Domains of the symbols the path branched on (read with `.get(id)`). */
  readonly doms: DomMap;
  readonly assumptions: List<Assumption>;
  readonly effects: List<Effect>;
  readonly uninit: List<UninitRead>;
  readonly trace: List<number>;
  /** Opaque locations written on this path (`hd->arch.x`, `*pte`, `this_cpu(v)`), by key. */
  readonly locs: Readonly<Record<string, Value>>;
  /** Bumped when unseen code runs: locations read afterwards are new symbols. */
  readonly epoch: number;
  /** Occurrence counters: call identities, unknown conditions, label visits. */
  readonly counts: Counts;
  /** Inlining depth of the frame being executed. */
  readonly depth: number;
  /** Call results read by something that can act on them (a test, a call, a store, unseen code), in order. */
  readonly uses: List<string>;
  /** Call results whose last holder was overwritten or went out of scope before any use. */
  readonly kills: List<Kill>;
  /** Call results read by a condition (and where), in order: a test alone may not act on a failure. */
  readonly tested: List<{ id: string; line: number }>;
}

/** A call's result lost on the way (the path's lost values before its end adds the rest). */
export type Kill = LostValue;

/**
 * The one shape of every path state. A state is never changed once handed out: `derive(s)` copies it into a fresh
 * object that the caller changes before handing it out. (A class: `{ ...s, x }` of a 13-field object is a runtime
 * call that costs ~25x a constructor, and the engine makes a new state several times per step.)
 */
class State implements PathState {
  constructor(
    public env: Readonly<Record<string, Var>>,
    public doms: DomMap,
    public assumptions: List<Assumption>,
    public effects: List<Effect>,
    public uninit: List<UninitRead>,
    public trace: List<number>,
    public locs: Readonly<Record<string, Value>>,
    public epoch: number,
    public counts: Counts,
    public depth: number,
    public uses: List<string>,
    public kills: List<Kill>,
    public tested: List<{ id: string; line: number }>,
  ) {}
}

/** A writable copy of `s`: change its fields, then hand it out as a PathState (never change it afterwards). */
export type Draft = { -readonly [K in keyof PathState]: PathState[K] };

export function derive(s: PathState): Draft {
  return new State(s.env, s.doms, s.assumptions, s.effects, s.uninit, s.trace, s.locs, s.epoch, s.counts, s.depth, s.uses, s.kills, s.tested);
}

export const initialState = (): PathState => new State({}, PMap.empty(), null, null, null, null, {}, 0, PMap.empty(), 0, null, null, null);

const isCallSymbol = (id: string): boolean => id.startsWith('call:');

const NO_SYMBOLS: readonly string[] = Object.freeze([]);
/** Call symbols of a symbol id, by id (ids repeat across paths; values are rebuilt per read). Bounded. */
const idSymbols = new Map<string, readonly string[]>();

/**
 * Call symbols a value carries, also inside derived symbols (`iserr:$call:f()#0`, atoms over two values).
 * The array may be shared: read it, never change it.
 */
export function callSymbolsIn(v: Value): readonly string[] {
  if (v.k === 'sym') return symbolsOfId(v.id);
  if (v.k !== 'op') return NO_SYMBOLS;
  const out: string[] = [];
  collectCallSymbols(v, out);
  return out.length ? out : NO_SYMBOLS;
}

/** Forget the call symbols found in ids (they outlive a review). */
export function clearIdSymbols(): void {
  idSymbols.clear();
}

function symbolsOfId(id: string): readonly string[] {
  if (!isCallSymbol(id) && !id.includes('$call:')) return NO_SYMBOLS;
  let hit = idSymbols.get(id);
  if (!hit) {
    if (idSymbols.size >= 100_000) idSymbols.clear();
    hit = isCallSymbol(id) ? [id] : [...id.matchAll(/\$(call:.*?#\d+)/g)].map((m) => m[1]!);
    idSymbols.set(id, hit);
  }
  return hit;
}

function collectCallSymbols(v: Value, out: string[]): void {
  if (v.k === 'sym') {
    const ids = symbolsOfId(v.id);
    for (let i = 0; i < ids.length; i++) out.push(ids[i]!);
  } else if (v.k === 'op') for (let i = 0; i < v.args.length; i++) collectCallSymbols(v.args[i]!, out);
}

function hasUse(s: PathState, id: string): boolean {
  for (let c = s.uses; c; c = c.tail) if (c.head === id) return true;
  return false;
}

/** Record that the call results in `v` were used (tested, passed on, stored, returned). */
export function noteUse(s: PathState, v: Value): PathState {
  const ids = callSymbolsIn(v);
  if (!ids.length) return s;
  let uses = s.uses;
  for (let i = 0; i < ids.length; i++) if (!hasUse(s, ids[i]!)) uses = push(uses, ids[i]!);
  if (uses === s.uses) return s;
  const d = derive(s);
  d.uses = uses;
  return d;
}

/**
 * A callee can read every variable the function does not declare (a global, or a local of code the patch
 * does not show): the call results they hold are used by the call.
 */
export function noteUndeclaredRead(s: PathState): PathState {
  let out = s;
  for (const name in s.env) {
    const b = s.env[name]!;
    if (!b.declared) out = noteUse(out, b.value);
  }
  return out;
}

/** Record that the call results in `v` were read by a condition at `line` (a use only if the test acts on them). */
export function noteTest(s: PathState, v: Value, line: number): PathState {
  const ids = callSymbolsIn(v);
  if (!ids.length) return s;
  let tested = s.tested;
  for (let i = 0; i < ids.length; i++) if (!testedAt(s, ids[i]!, line)) tested = push(tested, { id: ids[i]!, line });
  if (tested === s.tested) return s;
  const d = derive(s);
  d.tested = tested;
  return d;
}

/** Whether a condition at `line` already read `id` on this path (no list built: this runs on every test). */
function testedAt(s: PathState, id: string, line: number): boolean {
  for (let c = s.tested; c; c = c.tail) if (c.head.id === id && c.head.line === line) return true;
  return false;
}

/** Lines of the conditions that read `id` on this path, in order. */
export function testLines(s: PathState, id: string): number[] {
  const out: number[] = [];
  for (let c = s.tested; c; c = c.tail) if (c.head.id === id) out.unshift(c.head.line);
  return out;
}

/** How many lines the path has visited. */
export function traceLength(s: PathState): number {
  return s.trace?.size ?? 0;
}

const holds = (v: Value, id: string): boolean => callSymbolsIn(v).includes(id);

/**
 * `old` was just replaced in `name` (or `name` went out of scope): the call results it held that nothing
 * used and nothing else still holds are lost here.
 */
export function noteKill(s: PathState, old: Value | undefined, name: string, line: number, how: Kill['how']): PathState {
  if (!old) return s;
  const ids = callSymbolsIn(old);
  if (!ids.length) return s;
  let kills = s.kills;
  for (const id of ids) {
    if (hasUse(s, id)) continue;
    // Called after the write or the drop: whatever still holds the value keeps it alive.
    const still = Object.values(s.env).some((b) => holds(b.value, id)) || Object.values(s.locs).some((v) => holds(v, id));
    if (still) continue;
    const testedAt = testLines(s, id);
    kills = push(kills, { symbol: id, variable: name, line, how, at: traceLength(s), ...(testedAt.length ? { testedAt } : {}) });
  }
  if (kills === s.kills) return s;
  const d = derive(s);
  d.kills = kills;
  return d;
}

export function setVar(s: PathState, name: string, v: Var): PathState {
  const d = derive(s);
  d.env = { ...s.env, [name]: v };
  return d;
}

export function dropVar(s: PathState, name: string, restore: Var | undefined): PathState {
  const env = { ...s.env };
  if (restore) env[name] = restore;
  else delete env[name];
  const d = derive(s);
  d.env = env;
  return d;
}

export function setDom(s: PathState, id: string, dom: Domain): PathState {
  const d = derive(s);
  d.doms = s.doms.set(id, dom);
  return d;
}
export function assume(s: PathState, a: Assumption): PathState {
  const d = derive(s);
  d.assumptions = push(s.assumptions, a);
  return d;
}
export function addEffect(s: PathState, e: Effect): PathState {
  const d = derive(s);
  d.effects = push(s.effects, e);
  return d;
}
export function addUninit(s: PathState, u: UninitRead): PathState {
  const d = derive(s);
  d.uninit = push(s.uninit, u);
  return d;
}
export function setLoc(s: PathState, k: string, v: Value): PathState {
  const d = derive(s);
  d.locs = { ...s.locs, [k]: v };
  return d;
}

export function visit(s: PathState, line: number): PathState {
  if (s.trace && s.trace.head === line) return s;
  const d = derive(s);
  d.trace = push(s.trace, line);
  return d;
}

/** Occurrence counters (call identities, unknown conditions, label visits) as a persistent map. */
export type Counts = PMap<number>;

/** Bump the occurrence counter of `k`; returns the new state and the occurrence index (0-based). */
export function occurrence(s: PathState, k: string): [PathState, number] {
  const n = s.counts.get(k) ?? 0;
  const d = derive(s);
  d.counts = s.counts.set(k, n + 1);
  return [d, n];
}
