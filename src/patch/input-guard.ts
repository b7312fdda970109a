// Limits and sanity checks applied before any parsing, so hostile input stays cheap (docs/limits.md).

import { InputTooLargeError, NoPatchError, type PatchSet, type Warning } from './types.ts';

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
/** Physical lines (LF, CRLF or a lone CR each end one), counted before the input is split. */
export const DEFAULT_MAX_LINES = 500_000;
/** Characters of one diff line taken into its hunk; the rest is cut, and said. */
export const DEFAULT_MAX_LINE_LENGTH = 16 * 1024;
/** Hunks of the whole input (every patch of a series), counted after the diff is read. */
export const DEFAULT_MAX_HUNKS = 2_000;

export interface InputLimits {
  /** Inputs above this many bytes are rejected with InputTooLargeError (default 20 MiB). */
  maxBytes?: number;
  /** Inputs of more lines are rejected with InputTooLargeError (default 500 000). */
  maxLines?: number;
  /** Diff lines longer than this many characters are cut to it, with a `limit` warning (default 16 384). */
  maxLineLength?: number;
  /** Inputs of more hunks are rejected with InputTooLargeError (default 2 000). */
  maxHunks?: number;
}

/** Rejects oversize input and binary data; returns the text to parse. */
export function guardInput(input: string | Buffer, limits: InputLimits = {}): string {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > maxBytes) throw new InputTooLargeError(size, maxBytes);
  const text = typeof input === 'string' ? input : input.toString('utf8');
  if (text.trim() === '') throw new NoPatchError('the input is empty', 'an empty input');
  if (looksBinary(text)) throw new NoPatchError('the input is binary data, not a patch', 'binary data');
  const maxLines = limits.maxLines ?? DEFAULT_MAX_LINES;
  const lines = countLines(text);
  if (lines > maxLines) throw new InputTooLargeError(lines, maxLines, 'lines');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Lines as splitSourceLines numbers them (LF, CRLF, CR CR LF and a lone CR each end one; a last unended line counts). */
export function countLines(text: string): number {
  // indexOf and a regular expression scan natively: a loop over every character runs interpreted in a short
  // CLI process (~5 ms for a 20 KB mail; see splitSourceLines).
  let n = 0;
  if (text.indexOf('\r') < 0) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  } else {
    const end = /\r\r\n|\r\n|\r|\n/g;
    while (end.exec(text)) n++;
  }
  const last = text.charCodeAt(text.length - 1);
  return last === 10 || last === 13 ? n : n + 1;
}

/**
 * The limits that apply once the diff is read: too many hunks reject the input; a diff line longer
 * than maxLineLength keeps only its first maxLineLength characters (HunkLine.cut says how long it
 * was) and a `limit` warning names it, so no later stage pays for it and nothing is cut silently.
 */
export function guardParsed(set: PatchSet, limits: InputLimits = {}): PatchSet {
  const maxHunks = limits.maxHunks ?? DEFAULT_MAX_HUNKS;
  const maxLength = limits.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  let hunks = 0;
  for (const patch of set.patches) for (const file of patch.files) hunks += file.hunks.length;
  if (hunks > maxHunks) throw new InputTooLargeError(hunks, maxHunks, 'hunks');
  for (const patch of set.patches) {
    const cut: Warning[] = [];
    for (const file of patch.files) {
      const path = file.newPath ?? file.oldPath ?? undefined;
      for (const hunk of file.hunks) {
        for (const line of hunk.lines) {
          if (line.text.length <= maxLength) continue;
          line.cut = line.text.length;
          line.text = line.text.slice(0, maxLength);
          cut.push({
            code: 'limit',
            line: line.sourceLine,
            ...(path ? { file: path } : {}),
            message: `input line ${line.sourceLine} is ${line.cut} characters long, above the limit of ${maxLength}: only its first ${maxLength} characters were read${file.isC ? ', and the function holding it is not reviewed' : ''}`,
          });
        }
      }
    }
    patch.warnings.push(...cut);
  }
  return set;
}

/** NUL bytes or many control/replacement characters in the first 8 KiB mean binary data. */
function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 8192);
  const head = n < text.length ? text.slice(0, n) : text;
  if (head.includes('\0')) return true;
  // control characters other than tab, LF, form feed and CR (NUL is handled above), and U+FFFD
  // eslint-disable-next-line no-control-regex
  const odd = head.match(/[\x01-\x08\x0b\x0e-\x1f\ufffd]/g)?.length ?? 0;
  return odd > n * 0.1;
}
