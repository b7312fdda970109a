// Comparing paths: whether two paths' assumptions can hold together, and their outcomes under them.
import type { Domain, OutcomeSummary, SimPath, Value } from '../types.ts';
import { intersect } from '../state/domain.ts';
import { key, resolve, show } from '../state/value.ts';

export type Constraints = Record<string, Domain>;

/** intersect() results by pair of domain objects (one comparison's: paths share their domain objects). */
export type IntersectMemo = Map<Domain, Map<Domain, Domain | null>>;

/**
 * Both sets of constraints at once, or undefined when no input satisfies both. With a memo, each pair of domain
 * objects is intersected once (domains are never changed once made, so the remembered one is the same value).
 */
export function merge(a: Readonly<Constraints>, b: Readonly<Constraints>, memo?: IntersectMemo): Constraints | undefined {
  const out: Constraints = { ...a };
  for (const k of Object.keys(b)) {
    const mine = out[k];
    if (!mine) { out[k] = b[k]!; continue; }
    const d = memo ? intersectOnce(memo, mine, b[k]!) : intersect(mine, b[k]!);
    if (!d) return undefined;
    out[k] = d;
  }
  return out;
}

function intersectOnce(memo: IntersectMemo, a: Domain, b: Domain): Domain | undefined {
  let row = memo.get(a);
  if (!row) memo.set(a, (row = new Map()));
  let d = row.get(b);
  if (d === undefined) row.set(b, (d = intersect(a, b) ?? null));
  return d ?? undefined;
}

export const valueKey = (v: Value | undefined, c: Readonly<Constraints>): string | undefined => (v ? key(resolve(v, c)) : undefined);
export const valueText = (v: Value | undefined, c: Readonly<Constraints>): string | undefined => (v ? show(resolve(v, c)) : undefined);

export function effectText(p: SimPath): string[] {
  return p.effects.map((e) => (e.kind === 'write' ? `${e.target} = ${e.argText[0] ?? ''}` : `${e.target}(${e.argText.join(', ')})`));
}

const effectKeysMemo = new WeakMap<SimPath, readonly string[]>();

/** What comparisons read of a path's effects, one key per effect (remembered per path: a path is paired many times). */
export function effectKeys(p: SimPath): readonly string[] {
  let hit = effectKeysMemo.get(p);
  if (!hit) effectKeysMemo.set(p, (hit = p.effects.map((e) => `${e.kind}:${e.target}(${e.values.join(',')})`)));
  return hit;
}

export function summarise(p: SimPath, c: Readonly<Constraints>, vars?: string[]): OutcomeSummary {
  const s: OutcomeSummary = { end: p.end.kind, line: p.end.line, effects: effectText(p), uninitReads: p.uninitReads };
  const v = valueText(p.end.value, c);
  if (v !== undefined) s.value = v;
  if (vars) {
    s.vars = {};
    for (const n of vars) s.vars[n] = valueText(p.finalVars[n], c) ?? '(as it was)';
  }
  return s;
}

/** Counts the work a query does (path pairs compared) against a step budget; deterministic. */
export class QueryBudget {
  used = 0;
  constructor(readonly limit: number) {}
  /** False once the budget is spent. */
  take(n = 1): boolean {
    this.used += n;
    return this.used <= this.limit;
  }
  get exhausted(): boolean {
    return this.used > this.limit;
  }
}

const domKeyMemo = new WeakMap<Domain, string>();
/** A domain's identity text; paths share domain objects, so it is remembered per object. */
const domKey = (d: Domain): string => {
  let k = domKeyMemo.get(d);
  if (k === undefined) domKeyMemo.set(d, (k = `${d.cls}|${d.eq ?? ''}|${d.lo ?? ''}|${d.hi ?? ''}|${d.ne.join(',')}`));
  return k;
};

/**
 * Visit every pair (i, j) whose constraints can hold together, in (i, j) order, with the merged
 * constraints. `visit` returns true to stop. Pairs are found through a per-symbol index (bitsets of
 * the right-hand paths compatible with each domain), so the cost follows the compatible pairs rather
 * than every pair. Each candidate pair costs one unit of `budget`; returns false when it ran out.
 */
export function forEachCompatiblePair(
  as: readonly (Readonly<Constraints> | undefined)[],
  bs: readonly (Readonly<Constraints> | undefined)[],
  budget: QueryBudget,
  visit: (i: number, j: number, c: Constraints) => boolean | void,
): boolean {
  const words = Math.ceil(bs.length / 32);
  const all = new Uint32Array(words);
  bs.forEach((c, j) => { if (c) all[j >>> 5]! |= 1 << (j & 31); });
  // symbol -> (domain key -> bitset of b paths with that domain); bitset of b paths without it.
  const groups = new Map<string, Map<string, { d: Domain; bits: Uint32Array }>>();
  bs.forEach((c, j) => {
    if (!c) return;
    for (const s of Object.keys(c)) {
      let g = groups.get(s);
      if (!g) groups.set(s, (g = new Map()));
      const d = c[s]!;
      const k = domKey(d);
      let e = g.get(k);
      if (!e) g.set(k, (e = { d, bits: new Uint32Array(words) }));
      e.bits[j >>> 5]! |= 1 << (j & 31);
    }
  });
  // By symbol, then by domain object (paths share domain objects; an equal domain in another object is
  // computed again, to the same bits).
  const compatibleCache = new Map<string, Map<Domain, Uint32Array>>();
  const memo: IntersectMemo = new Map();
  const compatibleWith = (s: string, d: Domain): Uint32Array | undefined => {
    const g = groups.get(s);
    if (!g) return undefined; // no b path constrains s
    let bySym = compatibleCache.get(s);
    if (!bySym) compatibleCache.set(s, (bySym = new Map()));
    const hit = bySym.get(d);
    if (hit) return hit;
    // Paths that do not constrain s, plus those whose domain intersects d.
    const bits = all.slice();
    for (const e of g.values()) for (let w = 0; w < words; w++) bits[w]! &= ~e.bits[w]!;
    for (const e of g.values()) if (intersect(e.d, d)) for (let w = 0; w < words; w++) bits[w]! |= e.bits[w]!;
    bySym.set(d, bits);
    return bits;
  };
  for (let i = 0; i < as.length; i++) {
    const ca = as[i];
    if (!ca) continue;
    const cand = all.slice();
    for (const s of Object.keys(ca)) {
      const bits = compatibleWith(s, ca[s]!);
      if (bits) for (let w = 0; w < words; w++) cand[w]! &= bits[w]!;
    }
    if (!budget.take(1)) return false;
    for (let w = 0; w < words; w++) {
      let word = cand[w]!;
      while (word !== 0) {
        const bit = 31 - Math.clz32(word & -word);
        word &= word - 1;
        const j = (w << 5) + bit;
        if (!budget.take(1)) return false;
        const c = merge(ca, bs[j]!, memo);
        if (!c) continue; // cannot happen: the index is exact per symbol
        if (visit(i, j, c) === true) return true;
      }
    }
  }
  return true;
}
