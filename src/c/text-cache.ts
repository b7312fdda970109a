// A bounded cache of pure results keyed by a text: least recently used first, bounded by the total length
// of the keys (a result's size follows its text's). For the C model's parse and normalisation, which are
// pure functions of their text and whose results nobody changes.

/**
 * PATCH_REVIEW_TEXT_CACHE_CHARS (read once, at load): the bound of the parse cache in characters of text
 * (default 262 144; the normalised texts' too); 0 turns every cross-review cache of the C model off (a
 * review then shares results within itself only through the memos of its own objects). For measuring what a
 * new patch costs; `clearModelCaches()` (src/c/index.ts) empties them between reviews instead.
 */
export const TEXT_CACHE_CHARS = ((): number => {
  const raw = process.env.PATCH_REVIEW_TEXT_CACHE_CHARS;
  const n = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isSafeInteger(n) && n >= 0 ? n : 1 << 18;
})();

const all = new Set<TextCache<unknown>>();

/** Empty every TextCache of the process. */
export function clearTextCaches(): void {
  for (const cache of all) cache.clear();
}

export class TextCache<V> {
  private readonly entries = new Map<string, V>();
  private chars = 0;

  /** `maxChars`: the bound on the keys' total length; a key above a quarter of it is not kept (0: nothing is). */
  constructor(private readonly maxChars: number) {
    all.add(this as TextCache<unknown>);
  }

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: V): void {
    if (key.length > this.maxChars >> 2 || this.entries.has(key)) return;
    this.entries.set(key, value);
    this.chars += key.length;
    for (const [oldest] of this.entries) {
      if (this.chars <= this.maxChars) break;
      this.entries.delete(oldest);
      this.chars -= oldest.length;
    }
  }

  clear(): void {
    this.entries.clear();
    this.chars = 0;
  }

  get size(): number {
    return this.entries.size;
  }
}
