// Reading the hunks behind a function context: what an added line replaced.
import type { FunctionContext } from './context.ts';
import type { FilePatch } from '../patch/types.ts';

export function filePatchOf(ctx: FunctionContext): FilePatch | undefined {
  return ctx.patch.files.find((f) => (f.newPath ?? f.oldPath) === ctx.file.path);
}

/** The removed lines of the change block (the run of del/add lines) that holds post-image line `newLine`. */
export function replacedBy(ctx: FunctionContext, newLine: number): string[] {
  const file = filePatchOf(ctx);
  if (!file) return [];
  for (const hunk of file.hunks) {
    const i = hunk.lines.findIndex((l) => l.kind === 'add' && l.newLine === newLine);
    if (i < 0) continue;
    let start = i;
    while (start > 0 && hunk.lines[start - 1]!.kind !== 'context') start--;
    let end = i;
    while (end + 1 < hunk.lines.length && hunk.lines[end + 1]!.kind !== 'context') end++;
    return hunk.lines.slice(start, end + 1).filter((l) => l.kind === 'del').map((l) => l.text);
  }
  return [];
}
