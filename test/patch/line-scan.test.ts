// splitSourceLines, countLines and guardInput's binary test find line ends and control characters with indexOf and
// regular expressions (a loop over every character runs interpreted in a short CLI process). They must answer as
// the character loops they replaced, written out here as the reference, on any mix of CR, LF, NUL and text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { splitSourceLines } from '../../src/patch/source-lines.ts';
import { countLines, guardInput } from '../../src/patch/input-guard.ts';

function referenceSplit(text: string, firstLine = 1): { text: string; line: number }[] {
  const lines: { text: string; line: number }[] = [];
  let start = 0;
  let n = firstLine;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      lines.push({ text: text.slice(start, i), line: n++ });
      if (c === 13 && text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10) i += 2;
      else if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  if (start < text.length) lines.push({ text: text.slice(start), line: n });
  return lines;
}

function referenceCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10) i += 2;
      else if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  const last = text.charCodeAt(text.length - 1);
  return last === 10 || last === 13 ? n : n + 1;
}

function referenceBinary(text: string): boolean {
  const n = Math.min(text.length, 8192);
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) odd++;
  }
  return odd > n * 0.1;
}

/** Text made of the characters that matter: line ends, control characters, U+FFFD, letters. */
const pieces = fc.constantFrom('\n', '\r', '\r\n', '\r\r\n', '\r\r', 'a', 'bc', ' ', '\t', '\f', '\v', '\0', '\x01', '\x1f', '\ufffd', 'é');
const texts = fc.array(pieces, { maxLength: 60 }).map((a) => a.join(''));

describe('line and control-character scans', () => {
  it('splitSourceLines splits as the character loop does', () => {
    fc.assert(fc.property(texts, fc.integer({ min: 1, max: 5 }), (t, first) => assert.deepEqual(splitSourceLines(t, first), referenceSplit(t, first))), { numRuns: 3000 });
  });

  it('countLines counts as the character loop does', () => {
    fc.assert(fc.property(texts, (t) => assert.equal(countLines(t), referenceCount(t))), { numRuns: 3000 });
  });

  it('guardInput calls the same inputs binary, also past its first 8 KiB', () => {
    const verdict = (t: string): string => {
      try {
        guardInput(t);
        return 'text';
      } catch (error) {
        return (error as Error).message;
      }
    };
    const expected = (t: string): string => (t.trim() === '' ? 'the input is empty' : referenceBinary(t) ? 'the input is binary data, not a patch' : 'text');
    fc.assert(fc.property(texts, (t) => assert.equal(verdict(t), expected(t))), { numRuns: 3000 });
    const long = (head: string, tail: string): string => head.padEnd(8192, 'x') + tail;
    for (const t of [long('', '\0'), long('\x01'.repeat(820), ''), long('\x01'.repeat(819), '\x01'.repeat(5000)), long('a\0', '')]) assert.equal(verdict(t), expected(t));
  });
});
