// Limits and sanity checks applied before any parsing, so hostile input stays cheap.

import { InputTooLargeError, NoPatchError } from './types.ts';

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

/** Rejects oversize input and binary data; returns the text to parse. */
export function guardInput(input: string | Buffer, maxBytes: number): string {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > maxBytes) throw new InputTooLargeError(size, maxBytes);
  const text = typeof input === 'string' ? input : input.toString('utf8');
  if (text.trim() === '') throw new NoPatchError('the input is empty', 'an empty input');
  if (looksBinary(text)) throw new NoPatchError('the input is binary data, not a patch', 'binary data');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** NUL bytes or many control/replacement characters in the first 8 KiB mean binary data. */
function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 8192);
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) odd++;
  }
  return odd > n * 0.1;
}
