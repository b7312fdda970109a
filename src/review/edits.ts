// Text edits on a post-image source that rules propose as rewrites. The simulator checks them
// before any becomes a fix.
import type { SyntaxNode } from '../c/parser.ts';
import type { FunctionImage } from '../c/types.ts';

import type { Edit } from './rule.ts';
import { styleOf } from './fix-check.ts';

export type { Edit };

const rowStartOf = (source: string, offset: number): number => source.lastIndexOf('\n', offset - 1) + 1;

/** Indentation of the row a node starts on. */
export function indentAt(image: FunctionImage, node: SyntaxNode): string {
  const start = rowStartOf(image.source, node.startIndex);
  return /^[ \t]*/.exec(image.source.slice(start, node.startIndex))?.[0] ?? '';
}

/** Removes nodes first..last (siblings) and, when they stand on rows of their own, those rows. */
export function removeRows(image: FunctionImage, first: SyntaxNode, last: SyntaxNode = first): Edit {
  const src = image.source;
  const rowStart = rowStartOf(src, first.startIndex);
  const ownRowStart = /^[ \t]*$/.test(src.slice(rowStart, first.startIndex));
  const lineEnd = src.indexOf('\n', last.endIndex);
  const restBlank = lineEnd >= 0 && /^[ \t]*$/.test(src.slice(last.endIndex, lineEnd));
  if (ownRowStart && restBlank) return { start: rowStart, end: lineEnd + 1, text: '' };
  return { start: first.startIndex, end: last.endIndex, text: '' };
}

/** Text to insert as new rows right after the row where `after` ends. */
export function insertRowsAfter(image: FunctionImage, after: SyntaxNode, rows: string[]): Edit {
  const lineEnd = image.source.indexOf('\n', after.endIndex);
  const at = lineEnd >= 0 ? lineEnd + 1 : image.source.length;
  return { start: at, end: at, text: rows.map((r) => `${r}\n`).join('') };
}

/** Re-indents a block of text: its first row's indentation becomes `to`, the others keep their offsets. */
export function reindent(text: string, from: string, to: string): string[] {
  return text.split('\n').map((row) => (row.startsWith(from) ? to + row.slice(from.length) : to + row.trimStart()));
}

/** The text of rows first..last as written in the source, starting at the first row's start. */
export function rowsText(image: FunctionImage, first: SyntaxNode, last: SyntaxNode = first): string {
  const start = rowStartOf(image.source, first.startIndex);
  return image.source.slice(start, last.endIndex);
}

/** One indentation step, as the function's visible lines indent. */
export function indentStep(image: FunctionImage): string {
  return styleOf(image).indent;
}
