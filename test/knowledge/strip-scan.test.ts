// blankCommentsAndLiterals (the knowledge scanner's stripC) jumps to the next character that can open a comment or a
// literal with a regular expression and blanks a comment in one replace, instead of a loop over every character
// (such loops run interpreted in a short CLI process). It must give the text of the loop it replaced, written out here
// as the reference, on any mix of comments, literals, escapes, newlines and code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { blankCommentsAndLiterals } from '../../src/knowledge/strip.ts';

function referenceBlank(text: string): string {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  let start = 0; // start of the current verbatim run
  const flush = (end: number): void => {
    if (end > start) out.push(text.slice(start, end));
  };
  const blank = (from: number, to: number): void => {
    // keep newlines so lines stay where they were
    for (let j = from; j < to; j++) out.push(text.charCodeAt(j) === 10 ? '\n' : ' ');
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 47 /* / */) {
      const d = text.charCodeAt(i + 1);
      if (d === 42 /* * */) {
        flush(i);
        let j = text.indexOf('*/', i + 2);
        j = j < 0 ? n : j + 2;
        blank(i, j);
        i = j;
        start = i;
        continue;
      }
      if (d === 47) {
        flush(i);
        let j = text.indexOf('\n', i + 2);
        // a line comment ending in a backslash continues (rare, but keeps line counts right anyway)
        if (j < 0) j = n;
        blank(i, j);
        i = j;
        start = i;
        continue;
      }
    } else if (c === 34 /* " */ || c === 39 /* ' */) {
      flush(i + 1);
      let j = i + 1;
      while (j < n) {
        const e = text.charCodeAt(j);
        if (e === 92 /* \ */) {
          j += 2;
          continue;
        }
        if (e === c || e === 10) break;
        j += 1;
      }
      blank(i + 1, Math.min(j, n));
      i = j < n && text.charCodeAt(j) === c ? j : j; // the closing quote stays verbatim
      start = i;
      if (i < n && text.charCodeAt(i) === c) {
        i += 1;
      }
      continue;
    }
    i += 1;
  }
  flush(n);
  return out.join('');
}


const piece = fc.constantFrom('x', 'if (a) {', '}', ' ', '\t', '\n', '\r\n', '/', '*', '/*', '*/', '/* c\n d */', '// l', '//', '"', "'", '"s"', "'c'", '"a\\"b"', '\\', '\\\n', 'é', '\u{1F600}', ';');
const source = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));

describe('blankCommentsAndLiterals against the character loop', () => {
  it('gives the same text', () => {
    fc.assert(
      fc.property(source, (text) => {
        assert.equal(blankCommentsAndLiterals(text), referenceBlank(text), JSON.stringify(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('examples', () => {
    assert.equal(blankCommentsAndLiterals('a = "x/*y"; /* c\nd */ b(\'/\'); // e'), 'a = "    ";     \n     b(\' \');     ');
  });
});
