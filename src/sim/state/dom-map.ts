// The domains a path has given its symbols, as a persistent map: a shared base plus a small delta of
// recent refinements. A fork copies the delta only; the delta is folded into a new base once it grows
// past about the square root of the base, so an update costs O(sqrt n) copies instead of O(n).
import type { Domain } from '../types.ts';

export class DomMap {
  private constructor(
    private readonly base: Readonly<Record<string, Domain>>,
    private readonly baseSize: number,
    private readonly delta: Readonly<Record<string, Domain>>,
    private readonly deltaSize: number,
  ) {}

  static readonly EMPTY = new DomMap({}, 0, {}, 0);

  get(id: string): Domain | undefined {
    const d = this.delta[id];
    return d !== undefined ? d : this.base[id];
  }

  set(id: string, d: Domain): DomMap {
    const fresh = this.delta[id] === undefined && this.base[id] === undefined;
    if (this.deltaSize < 8 || this.deltaSize * this.deltaSize < 2 * this.baseSize) {
      const inDelta = this.delta[id] !== undefined;
      return new DomMap(this.base, this.baseSize, { ...this.delta, [id]: d }, this.deltaSize + (inDelta ? 0 : 1));
    }
    return new DomMap({ ...this.base, ...this.delta, [id]: d }, this.size + (fresh ? 1 : 0), {}, 0);
  }

  /** Distinct symbols. */
  get size(): number {
    let n = this.baseSize;
    for (const k in this.delta) if (this.base[k] === undefined) n++;
    return n;
  }

  /** Every symbol's domain, keys sorted. */
  toRecord(): Record<string, Domain> {
    const keys = Object.keys(this.base);
    for (const k of Object.keys(this.delta)) if (this.base[k] === undefined) keys.push(k);
    keys.sort();
    const out: Record<string, Domain> = {};
    for (const k of keys) out[k] = this.get(k)!;
    return out;
  }
}

/** What `resolve` and friends read domains from: a path's map, or a plain record (a SimPath's constraints). */
export type Doms = DomMap | Readonly<Record<string, Domain>>;

export const domIn = (doms: Doms, id: string): Domain | undefined => (doms instanceof DomMap ? doms.get(id) : doms[id]);
