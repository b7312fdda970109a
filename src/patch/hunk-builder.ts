// Collects the lines of one hunk as it was quoted (possibly cut by comments and
// [...] elisions) and turns it into the hunks that can honestly be claimed.

import type { Hunk, HunkLine, Warning } from './types.ts';
import type { HunkHeader } from './hunk-header.ts';
import { ranges } from './fold-warnings.ts';

export type BreakKind = 'comment' | 'elision';

interface Segment {
  breakBefore?: BreakKind;
  lines: HunkLine[];
}

/** A dropped re-quoted line -> the hunk line before it, where a comment after it is placed instead. */
export const requotedAnchor = new WeakMap<HunkLine, HunkLine>();

export class HunkBuilder {
  private readonly segments: Segment[] = [{ lines: [] }];
  private pendingBreak: BreakKind | undefined;

  constructor(
    readonly header: HunkHeader,
    readonly sourceLine: number,
    readonly depth: number,
  ) {}

  get lastLine(): HunkLine | undefined {
    const seg = this.segments[this.segments.length - 1]!;
    return seg.lines[seg.lines.length - 1];
  }

  /** Lines counted so far, to know whether the header's counts are satisfied. */
  oldSeen = 0;
  newSeen = 0;

  get isComplete(): boolean {
    return this.oldSeen >= this.header.oldCount && this.newSeen >= this.header.newCount;
  }

  get isEmpty(): boolean {
    return this.segments.every((s) => s.lines.length === 0);
  }

  push(line: HunkLine): void {
    if (this.pendingBreak) {
      const last = this.segments[this.segments.length - 1]!;
      if (last.lines.length === 0) last.breakBefore ??= this.pendingBreak;
      else this.segments.push({ breakBefore: this.pendingBreak, lines: [] });
      this.pendingBreak = undefined;
    }
    this.segments[this.segments.length - 1]!.lines.push(line);
    if (line.kind !== 'add') this.oldSeen++;
    if (line.kind !== 'del') this.newSeen++;
  }

  /** A comment or an elision interrupts the quote; an elision always wins. */
  interrupt(kind: BreakKind): void {
    if (this.pendingBreak !== 'elision') this.pendingBreak = kind;
  }

  /**
   * @param endedHard the next thing after the last quoted line was a hunk or file
   *   header, so the tail of the hunk was quoted up to its real end.
   */
  finish(endedHard: boolean, file: string, warnings: Warning[]): Hunk[] {
    const closedHard = endedHard && this.pendingBreak === undefined;
    this.dropRequoted(file, warnings);
    const groups = this.group(closedHard);
    const h = this.header;
    const hunks: Hunk[] = [];
    let oldNext = h.oldStart;
    let newNext = h.newStart;
    let mismatch = false;
    groups.forEach((lines, gi) => {
      const oldCount = lines.filter((l) => l.kind !== 'add').length;
      const newCount = lines.filter((l) => l.kind !== 'del').length;
      let oldStart = oldNext;
      let newStart = newNext;
      if (gi > 0 && gi === groups.length - 1 && closedHard) {
        // The tail was quoted up to the real end of the hunk: anchor it there.
        const o = h.oldStart + h.oldCount - oldCount;
        const n = h.newStart + h.newCount - newCount;
        if (o >= oldNext && n >= newNext) {
          oldStart = o;
          newStart = n;
        }
      }
      if (gi === 0) {
        oldStart = h.oldStart;
        newStart = h.newStart;
      }
      let o = oldStart;
      let n = newStart;
      for (const l of lines) {
        if (l.kind !== 'add') l.oldLine = o++;
        if (l.kind !== 'del') l.newLine = n++;
      }
      const recounted = oldCount !== h.oldCount || newCount !== h.newCount;
      if (recounted) mismatch = true;
      const hunk: Hunk = {
        oldStart,
        oldCount,
        newStart,
        newCount,
        section: h.section,
        lines,
        sourceLine: gi === 0 ? this.sourceLine : lines[0]!.sourceLine,
      };
      if (recounted) hunk.recounted = true;
      if (gi > 0) hunk.gapBefore = true;
      if (gi === groups.length - 1 && !closedHard) {
        const tail = { old: h.oldStart + h.oldCount - (oldStart + oldCount), new: h.newStart + h.newCount - (newStart + newCount) };
        if (tail.old > 0 || tail.new > 0) hunk.unseenTail = { old: Math.max(0, tail.old), new: Math.max(0, tail.new) };
      }
      hunks.push(hunk);
      oldNext = oldStart + oldCount;
      newNext = newStart + newCount;
    });
    if (mismatch) {
      warnings.push({
        code: 'hunk-count-mismatch',
        message: `hunk @@ -${h.oldStart},${h.oldCount} +${h.newStart},${h.newCount} @@ does not hold the lines its header counts; recounted`,
        line: this.sourceLine,
        file,
      });
    }
    return hunks;
  }

  /**
   * A reply page that lost its quote markers shows the answer's own code after a comment like more context.
   * Context-only segments after a comment that overfill the header's old count while the lines it adds are still
   * short cannot be the hunk's own lines: they are left out, and said so.
   */
  private dropRequoted(file: string, warnings: Warning[]): void {
    const netShort = this.newSeen - this.oldSeen < this.header.newCount - this.header.oldCount;
    if (this.depth !== 0 || this.oldSeen <= this.header.oldCount || !netShort) return;
    const requoted = (s: Segment, i: number): boolean => i > 0 && s.breakBefore === 'comment' && s.lines.length > 0 && s.lines.every((l) => l.kind === 'context');
    const dropped = this.segments.filter(requoted);
    const lines = dropped.reduce((n, s) => n + s.lines.length, 0);
    if (lines === 0) return;
    const first = dropped[0]!.lines[0]!.sourceLine;
    const sourceLines = dropped.flatMap((s) => s.lines.map((l) => l.sourceLine));
    // Every one named: they are in no hunk.
    const where = `${sourceLines.length === 1 ? 'line' : 'lines'} ${ranges(sourceLines, true)}`;
    let anchor: HunkLine | undefined;
    for (const s of this.segments) {
      if (!dropped.includes(s)) {
        anchor = s.lines.at(-1) ?? anchor;
        continue;
      }
      if (anchor) for (const l of s.lines) requotedAnchor.set(l, anchor);
    }
    for (const s of dropped) {
      this.oldSeen -= s.lines.length;
      this.newSeen -= s.lines.length;
      s.lines = [];
    }
    warnings.push({
      code: 'hunk-count-mismatch',
      message: `${lines} unmarked line(s) after a comment (input ${where}) do not fit the hunk's counts (too many old lines, too few added ones): read as the reply's own text, not the patch`,
      line: first,
      file,
    });
  }

  /** Splits the quoted segments into the hunks that are contiguous in the file. */
  private group(closedHard: boolean): HunkLine[][] {
    const segs = this.segments.filter((s) => s.lines.length > 0);
    if (segs.length === 0) return [[]];
    const hasElision = segs.some((s, i) => i > 0 && s.breakBefore === 'elision');
    const total = segs.reduce((acc, s) => acc + s.lines.length, 0);
    const short = this.oldSeen < this.header.oldCount || this.newSeen < this.header.newCount;
    // Without a [...], a short hunk whose tail reaches the next header lost its lines
    // where the reviewer cut in: split at the last comment.
    const splitAtLastComment = !hasElision && short && closedHard && segs.length > 1 && total > 0;
    const groups: HunkLine[][] = [];
    segs.forEach((s, i) => {
      const split =
        i > 0 && (s.breakBefore === 'elision' || (splitAtLastComment && i === segs.length - 1));
      if (groups.length === 0 || split) groups.push([]);
      const target = groups[groups.length - 1]!;
      for (const l of s.lines) target.push(l);
    });
    return groups;
  }
}
