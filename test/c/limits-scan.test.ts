// deepestRow (the nesting limit) finds brackets, quotes and comment marks with a regular expression instead of a loop
// over every character (such loops run interpreted in a short CLI process). It must answer as the loop it replaced,
// written out here as the reference, on any mix of brackets, literals, escapes and comments across rows.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deepestRow } from '../../src/c/limits.ts';

function referenceDeepest(rows: { text: string; line: number }[], limit: number): { depth: number; line: number } | undefined {
  let depth = 0;
  let inComment = false;
  for (const row of rows) {
    const t = row.text;
    let max = 0;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (inComment) {
        if (c === 42 && t.charCodeAt(i + 1) === 47) {
          inComment = false;
          i++;
        }
        continue;
      }
      if (c === 47) {
        const next = t.charCodeAt(i + 1);
        if (next === 42) {
          inComment = true;
          i++;
          continue;
        }
        if (next === 47) break;
      } else if (c === 34 || c === 39) {
        i++;
        while (i < t.length && t.charCodeAt(i) !== c) i += t.charCodeAt(i) === 92 ? 2 : 1;
      } else if (c === 40 || c === 91 || c === 123) {
        if (++depth > max) max = depth;
      } else if (c === 41 || c === 93 || c === 125) {
        if (depth > 0) depth--;
      }
    }
    if (max > limit) return { depth: max, line: row.line };
  }
  return undefined;
}

const piece = fc.constantFrom('(', '[', '{', ')', ']', '}', 'x', ' ', '/', '*', '/*', '*/', '/*/', '//', '"', "'", '\\', '\\"', '"a(b"', "'('", 'f(a[1]', '*/)');
const rows = fc.array(fc.array(piece, { maxLength: 16 }).map((p) => p.join('')), { maxLength: 8 }).map((texts) => texts.map((text, k) => ({ text, line: k + 1 })));

describe('deepestRow against the character loop', () => {
  it('finds the same row and depth', () => {
    fc.assert(
      fc.property(rows, fc.integer({ min: 0, max: 4 }), (r, limit) => {
        assert.deepEqual(deepestRow({ rows: r as never }, limit), referenceDeepest(r, limit), JSON.stringify(r));
      }),
      { numRuns: 5000 },
    );
  });

  it('examples', () => {
    const r = (texts: string[]) => ({ rows: texts.map((text, k) => ({ text, line: k + 1, isChanged: false, isSynthetic: false })) });
    assert.deepEqual(deepestRow(r(['f(a[b{', '"((((" /* (((( */ ((']), 3), { depth: 5, line: 2 });
    assert.equal(deepestRow(r(['/* ((((', '(((( */ x']), 1), undefined);
  });
});
