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

function normalise(d: Domain): Domain | undefined {
  let { cls } = d;
  if (d.ne.includes(0)) cls &= ~ZERO;
  if (d.eq !== undefined) {
    if ((cls & classOf(d.eq)) === 0 || d.ne.includes(d.eq)) return undefined;
    cls = classOf(d.eq);
  }
  if (cls === 0) return undefined;
  const ne = d.ne.filter((n) => n !== 0 && (cls & classOf(n)) !== 0).sort((x, y) => x - y);
  return d.eq !== undefined ? { cls, eq: d.eq, ne: [] } : { cls, ne };
}

export function intersect(a: Domain, b: Domain): Domain | undefined {
  if (a.eq !== undefined && b.eq !== undefined && a.eq !== b.eq) return undefined;
  return normalise({ cls: a.cls & b.cls, eq: a.eq ?? b.eq, ne: [...new Set([...a.ne, ...b.ne])] });
}

/**
 * Constrain `S op c` to be `truth`. Returns the domain, `undefined` when unsatisfiable, or `null` when
 * the relation is not expressible in this domain (the caller treats the test as an opaque atom).
 */
export function refine(d: Domain, o: string, c: number, truth: boolean): Domain | undefined | null {
  const eff = truth ? o : negate(o);
  if (eff === undefined) return null;
  if (eff === '==') return intersect(d, { cls: ANY, eq: c, ne: [] });
  if (eff === '!=') return intersect(d, { cls: ANY, ne: [c] });
  if (c === 0) {
    const cls = eff === '<' ? NEG : eff === '<=' ? NEG | ZERO : eff === '>' ? POS : POS | ZERO;
    return intersect(d, { cls, ne: [] });
  }
  // Non-zero bounds: only the implied sign is kept when it is implied at all; otherwise opaque.
  if (c > 0 && (eff === '>' || eff === '>=')) return null;
  if (c < 0 && (eff === '<' || eff === '<=')) return null;
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
  const ne = d.ne.map((n) => `!= ${showConst(n)}`);
  return [base === 'unconstrained' && ne.length ? '' : base, ...ne].filter(Boolean).join(', ');
}
