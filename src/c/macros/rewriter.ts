// Same-length edits over the source. Every write keeps the length and every newline in place, so
// tree-sitter's rows, columns and offsets stay those of the real text; overlapping edits are
// refused, which lets rules run in any order without corrupting each other.
import type { Replacement } from '../normalize.ts';

export type ReplacementKind = Replacement['kind'];

export class Rewriter {
  private readonly taken: Uint8Array;
  private readonly edits: Array<{ start: number; text: string }> = [];
  readonly replacements: Replacement[] = [];

  constructor(private readonly source: string) {
    this.taken = new Uint8Array(source.length);
  }

  isFree(start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (this.taken[i]) return false;
    return true;
  }

  /** Replace [start, end) by spaces, keeping line breaks. */
  blank(start: number, end: number, kind: ReplacementKind): boolean {
    return this.write(start, end, '', kind);
  }

  /**
   * Write `text` at `start`, padding with spaces up to `end`; newlines in the range are kept and
   * `text` must fit before the first of them.
   */
  write(start: number, end: number, text: string, kind: ReplacementKind): boolean {
    if (start >= end || !this.isFree(start, end)) return false;
    const firstBreak = this.source.slice(start, end).search(/[\r\n]/);
    const room = firstBreak < 0 ? end - start : firstBreak;
    if (text.length > room) return false;
    const original = this.source.slice(start, end);
    this.edits.push({ start, text: text + original.slice(text.length).replace(/[^\r\n]/g, ' ') });
    this.taken.fill(1, start, end);
    this.replacements.push({ start, end, original, kind });
    return true;
  }

  sourceBetween(start: number, end: number): string {
    return this.source.slice(start, end);
  }

  text(): string {
    const parts: string[] = [];
    let at = 0;
    for (const e of [...this.edits].sort((a, b) => a.start - b.start)) {
      parts.push(this.source.slice(at, e.start), e.text);
      at = e.start + e.text.length;
    }
    parts.push(this.source.slice(at));
    return parts.join('');
  }
}
