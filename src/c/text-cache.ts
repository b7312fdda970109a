// A bounded cache of pure results keyed by a text: least recently used first, bounded by the total length
// of the keys (a result's size follows its text's). For the C model's parse and normalisation, which are
// pure functions of their text and whose results nobody changes.

export class TextCache<V> {
  private readonly entries = new Map<string, V>();
  private chars = 0;

  /** `maxChars`: the bound on the keys' total length; a key above a quarter of it is not kept. */
  constructor(private readonly maxChars: number) {}

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
