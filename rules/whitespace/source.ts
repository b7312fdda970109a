// The thread this pack comes from, and the rows helpers its rules share (what the patch added, as written).
import type { SyntaxNode } from '../../src/c/parser.ts';
import type { Patch } from '../../src/patch/index.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import type { Edit } from '../../src/review/rule.ts';

export const APPLY_THREAD = {
  list: 'xen-devel',
  thread: 'Re: [Xen-devel] [PATCH 2/2] xen/privcmd: add PRIVCMD_MMAPBATCH_V2 ioctl',
  date: '2012-09-05',
  reviewer: 'Konrad Rzeszutek Wilk',
} as const;

export interface Row {
  /** 0-based row in the post-image source. */
  row: number;
  line: number;
  raw: string;
  added: boolean;
}

/** The visible rows of the function's post-image (synthetic rows of unseen code left out). */
export function visibleRows(ctx: FunctionContext): Row[] {
  const added = new Set(ctx.fn.addedLines);
  const out: Row[] = [];
  ctx.post.lineMap.forEach((line, row) => {
    if (line) out.push({ row, line, raw: ctx.post.rawLines[row] ?? '', added: added.has(line) });
  });
  return out;
}

/** A node that starts on the row (the finding's anchor). */
export function nodeOnRow(ctx: FunctionContext, row: number): SyntaxNode {
  const text = ctx.post.source.split('\n')[row] ?? '';
  const column = /^[ \t]*/.exec(text)![0].length;
  return ctx.post.tree.rootNode.descendantForPosition({ row, column });
}

/** Offset of the row's first character in the post-image source. */
export function rowOffset(ctx: FunctionContext, row: number): number {
  const rows = ctx.post.source.split('\n');
  let offset = 0;
  for (let i = 0; i < row; i++) offset += rows[i]!.length + 1;
  return offset;
}

/** An edit replacing `length` characters at `column` of a row. */
export function rowEdit(ctx: FunctionContext, row: number, column: number, length: number, text: string): Edit {
  const start = rowOffset(ctx, row) + column;
  return { start, end: start + length, text };
}

/** The source row's text (what the simulator reads) matches the raw row: whitespace edits are safe. */
export const sameAsRaw = (ctx: FunctionContext, r: Row): boolean => ctx.post.source.split('\n')[r.row] === r.raw;

const removedByPatch = new WeakMap<Patch, Set<string>>();

/**
 * Lines the patch moves: an added line whose text (as written, indentation and line end included) the patch
 * removes somewhere too, in any file. Moved code (a function split out to a new file, a helper moved to a
 * library) keeps the style it had; the author did not write it this way.
 */
export function moved(ctx: FunctionContext, raw: string): boolean {
  let removed = removedByPatch.get(ctx.patch);
  if (!removed) {
    removed = new Set(ctx.patch.files.flatMap((f) => f.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'del').map((l) => l.text))));
    removedByPatch.set(ctx.patch, removed);
  }
  return raw.trim() !== '' && removed.has(raw);
}

const toleratedByPatch = new WeakMap<Patch, Map<string, boolean>>();

/**
 * The project's own habit as far as the review sees it: an unchanged line of the patch (context or removed, in any
 * of its files) or, in tree mode, a line of the file as it was, that matches `re` with code on it. What the project
 * already carries is not a change of style the author brings in.
 */
export function projectCarries(ctx: FunctionContext, key: string, re: RegExp): boolean {
  let known = toleratedByPatch.get(ctx.patch);
  if (!known) {
    known = new Map();
    toleratedByPatch.set(ctx.patch, known);
  }
  let answer = known.get(key);
  if (answer === undefined) {
    answer = ctx.patch.files.some((f) => f.isC && f.hunks.some((h) => h.lines.some((l) => l.kind !== 'add' && l.text.trim() !== '' && re.test(l.text))));
    known.set(key, answer);
  }
  if (answer) return true;
  return (ctx.treeText() ?? '').split('\n').some((l) => l.trim() !== '' && re.test(l));
}
