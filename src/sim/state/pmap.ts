// A persistent string-keyed map for path states: a shared base (a Map, never changed once built) plus
// a short chain of recent writes, newest first. A fork shares both; a write adds one link. The chain
// is folded into a new base once it grows past about the square root of the base, so a write costs
// O(sqrt n) amortised copies and a read O(sqrt n) link checks plus one hash look-up, where a copied
// record costs O(n) per write. Keys are built at run time (symbol ids, call identities): a Map hashes
// them once, where an object's keys would be internalised on every read.

function copyInto<V>(this: Map<string, V>, v: V, k: string): void {
  this.set(k, v);
}

interface Link<V> {
  readonly k: string;
  readonly v: V;
  readonly next: Link<V> | null;
}

export class PMap<V> {
  private constructor(
    private readonly base: ReadonlyMap<string, V>,
    private readonly delta: Link<V> | null,
    /** Links in `delta` (a key written twice counts twice). */
    private readonly deltaLength: number,
  ) {}

  private static readonly NONE = new PMap<unknown>(new Map<string, unknown>(), null, 0);

  static empty<V>(): PMap<V> {
    return PMap.NONE as PMap<V>;
  }

  get(k: string): V | undefined {
    for (let l = this.delta; l; l = l.next) if (l.k === k) return l.v;
    return this.base.get(k);
  }

  set(k: string, v: V): PMap<V> {
    const n = this.deltaLength + 1;
    if (n <= 8 || n * n <= 2 * this.base.size) return new PMap(this.base, { k, v, next: this.delta }, n);
    // forEach, not `new Map(base)`: the constructor walks an iterator that allocates an entry pair per key.
    const base = new Map<string, V>();
    this.base.forEach(copyInto, base);
    // Oldest first, so the newest write of a key wins.
    const links: Link<V>[] = [];
    for (let l: Link<V> | null = this.delta; l; l = l.next) links.push(l);
    for (let i = links.length - 1; i >= 0; i--) base.set(links[i]!.k, links[i]!.v);
    base.set(k, v);
    return new PMap(base, null, 0);
  }

  /** Every key's value, keys sorted. */
  toRecord(): Record<string, V> {
    const keys = [...this.base.keys()];
    for (let l = this.delta; l; l = l.next) if (!this.base.has(l.k) && !keys.includes(l.k)) keys.push(l.k);
    keys.sort();
    const out: Record<string, V> = {};
    for (const k of keys) out[k] = this.get(k)!;
    return out;
  }
}
