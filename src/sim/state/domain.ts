// What a path knows about one symbol: its sign classes, and equalities with named constants.
import type { Domain } from '../types.ts';

export const NEG = 1;
export const ZERO = 2;
export const POS = 4;
export const ANY = 7;
export const TOP: Domain = { cls: ANY, ne: [] };

export const classOf = (n: number): number => (n < 0 ? NEG : n === 0 ? ZERO : POS);

/** The single value a domain allows, if any. */
export function pinned(d: Domain): number | undefined {
  if (d.eq !== undefined) return d.eq;
  return d.cls === ZERO ? 0 : undefined;
}

/** Smallest / largest value the sign classes allow on their own. */
const clsLo = (cls: number): number => (cls & NEG ? -Infinity : cls & ZERO ? 0 : 1);
const clsHi = (cls: number): number => (cls & POS ? Infinity : cls & ZERO ? 0 : -1);

/**
 * The canonical form of a domain, or undefined when no integer satisfies it. Bounds (`lo`, `hi`, both
 * included) are kept only where the sign classes do not already imply them; a bound equal to an
 * excluded value moves past it.
 */
function normalise(d: Domain): Domain | undefined {
  let { cls } = d;
  let lo = d.lo ?? -Infinity;
  let hi = d.hi ?? Infinity;
  // The excluded values: a handful at most, read as an array (no Set per refinement).
  const ne = d.ne;
  if (ne.includes(0)) cls &= ~ZERO;
  for (let changed = true; changed;) {
    changed = false;
    lo = Math.max(lo, clsLo(cls));
    hi = Math.min(hi, clsHi(cls));
    while (ne.includes(lo)) { lo++; changed = true; }
    while (ne.includes(hi)) { hi--; changed = true; }
    if (lo > hi) return undefined;
    const c2 = cls & (lo > 0 ? POS : lo === 0 ? ZERO | POS : ANY) & (hi < 0 ? NEG : hi === 0 ? NEG | ZERO : ANY);
    if (c2 !== cls) { cls = c2; changed = true; }
    if (cls === 0) return undefined;
  }
  let eq = d.eq;
  if (eq === undefined && lo === hi) eq = lo;
  if (eq !== undefined) {
    if (eq < lo || eq > hi || ne.includes(eq) || (cls & classOf(eq)) === 0) return undefined;
    return { cls: classOf(eq), eq, ne: [] };
  }
  const kept = ne.length === 0 ? ne : ne.filter((n, i) => n !== 0 && n > lo && n < hi && (cls & classOf(n)) !== 0 && ne.indexOf(n) === i).sort((x, y) => x - y);
  const out: Domain = { cls, ne: kept === d.ne ? [] : kept };
  if (lo > clsLo(cls)) out.lo = lo;
  if (hi < clsHi(cls)) out.hi = hi;
  return out;
}

export function intersect(a: Domain, b: Domain): Domain | undefined {
  if (a.eq !== undefined && b.eq !== undefined && a.eq !== b.eq) return undefined;
  // The excluded values of both (read only: normalise filters them into a new array).
  const d: Domain = { cls: a.cls & b.cls, ne: a.ne.length === 0 ? b.ne : b.ne.length === 0 ? a.ne : a.ne.concat(b.ne) };
  const eq = a.eq ?? b.eq;
  if (eq !== undefined) d.eq = eq;
  const lo = Math.max(a.lo ?? -Infinity, b.lo ?? -Infinity);
  const hi = Math.min(a.hi ?? Infinity, b.hi ?? Infinity);
  if (lo > -Infinity) d.lo = lo;
  if (hi < Infinity) d.hi = hi;
  return normalise(d);
}

/**
 * Constrain `S op c` to be `truth`. Returns the domain, `undefined` when unsatisfiable, or `null` when
 * the relation is not expressible in this domain (the caller treats the test as an opaque atom).
 * Values are integers: `S > 5` is `S >= 6`.
 */
export function refine(d: Domain, o: string, c: number, truth: boolean): Domain | undefined | null {
  const eff = truth ? o : negate(o);
  if (eff === undefined) return null;
  if (eff === '==') return intersect(d, { cls: ANY, eq: c, ne: [] });
  if (eff === '!=') return intersect(d, { cls: ANY, ne: [c] });
  if (!Number.isSafeInteger(c)) return null;
  switch (eff) {
    case '<': return intersect(d, { cls: ANY, ne: [], hi: c - 1 });
    case '<=': return intersect(d, { cls: ANY, ne: [], hi: c });
    case '>': return intersect(d, { cls: ANY, ne: [], lo: c + 1 });
    case '>=': return intersect(d, { cls: ANY, ne: [], lo: c });
  }
  return null;
}

function negate(o: string): string | undefined {
  return ({ '==': '!=', '!=': '==', '<': '>=', '>=': '<', '>': '<=', '<=': '>' } as Record<string, string>)[o];
}

export const canBe = (d: Domain, cls: number): boolean => (d.cls & cls) !== 0 && (d.eq === undefined || (classOf(d.eq) & cls) !== 0);

/** `!= 0`, `== 0`, `< 0`, `> 0`, `== -ENOENT` for people. */
export function describe(d: Domain, showConst: (n: number) => string): string {
  if (d.eq !== undefined) return `== ${showConst(d.eq)}`;
  const base = ({ 1: '< 0', 2: '== 0', 3: '<= 0', 4: '> 0', 5: '!= 0', 6: '>= 0', 7: 'unconstrained' } as Record<number, string>)[d.cls]!;
  const bounds = [...(d.lo !== undefined ? [`>= ${showConst(d.lo)}`] : []), ...(d.hi !== undefined ? [`<= ${showConst(d.hi)}`] : [])];
  const ne = d.ne.map((n) => `!= ${showConst(n)}`);
  const keepBase = base !== 'unconstrained' && !(bounds.length && (base === '> 0' || base === '>= 0' || base === '< 0' || base === '<= 0'));
  const parts = [...(keepBase ? [base] : []), ...bounds, ...ne];
  return parts.length ? parts.join(', ') : 'unconstrained';
}
