// Reading the hunks behind a function context: what an added line replaced.
import type { FunctionContext } from './context.ts';
import type { FilePatch, Hunk } from '../patch/types.ts';

export function filePatchOf(ctx: FunctionContext): FilePatch | undefined {
  return ctx.patch.files.find((f) => (f.newPath ?? f.oldPath) === ctx.file.path);
}

const same = (a: string, b: string): boolean => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();

/**
 * The removed lines of the change block (the run of del/add lines) that holds post-image line `newLine`.
 * In tree mode the hunks may sit at an offset from their headers (a quoted patch that elides earlier hunks),
 * so the hunk line is found by the function's own text around it, not by the header's numbers alone.
 */
export function replacedBy(ctx: FunctionContext, newLine: number): string[] {
  const file = filePatchOf(ctx);
  if (!file) return [];
  const image = ctx.post;
  const textAt = new Map<number, string>();
  image.lineMap.forEach((line, row) => {
    if (line) textAt.set(line, image.rawLines[row] ?? '');
  });
  const wanted = textAt.get(newLine);
  let best: { hunk: Hunk; index: number; score: number } | undefined;
  for (const hunk of file.hunks) {
    hunk.lines.forEach((l, index) => {
      if (l.kind !== 'add' || l.newLine === undefined) return;
      if (ctx.fn.mode === 'fragment' ? l.newLine !== newLine : wanted === undefined || !same(l.text, wanted)) return;
      const shift = newLine - l.newLine;
      let score = 0;
      for (const other of hunk.lines) {
        if (other.kind === 'del' || other.newLine === undefined) continue;
        const text = textAt.get(other.newLine + shift);
        if (text === undefined) continue;
        if (!same(text, other.text)) return; // the hunk does not sit here
        score++;
      }
      if (!best || score > best.score) best = { hunk, index, score };
    });
  }
  if (!best) return [];
  const lines = best.hunk.lines;
  let start = best.index;
  while (start > 0 && lines[start - 1]!.kind !== 'context') start--;
  let end = best.index;
  while (end + 1 < lines.length && lines[end + 1]!.kind !== 'context') end++;
  return lines.slice(start, end + 1).filter((l) => l.kind === 'del').map((l) => l.text);
}
