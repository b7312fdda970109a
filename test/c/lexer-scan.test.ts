// lexC skips runs of blanks and reads identifiers with sticky regular expressions instead of a loop over every
// character (such loops run interpreted in a short CLI process). It must give the tokens of the loop it replaced,
// written out here as the reference, on any mix of blanks, newlines, names, numbers, literals, comments and directives.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lexC, type Token, type TokenKind } from '../../src/c/macros/lexer.ts';

const isIdentStart = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c > 127;
const isIdentPart = (c: number): boolean => isIdentStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;

// Longest first, so `>>=` wins over `>>` and `>`.
const PUNCTUATORS = ['...', '<<=', '>>=', '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||',
  '+=', '-=', '*=', '/=', '%=', '&=', '^=', '|=', '##'];

const MULTI_START = new Set(PUNCTUATORS.map((op) => op.charCodeAt(0)));

/** End of a quoted literal starting at `i` (the opening quote); stops at an unescaped newline. */
function quotedEnd(src: string, i: number, quote: number): number {
  let j = i + 1;
  while (j < src.length) {
    const c = src.charCodeAt(j);
    if (c === 92) j += 2;
    else if (c === quote) return j + 1;
    else if (c === 10) return j;
    else j++;
  }
  return src.length;
}

/** End of a directive: the line, continued by backslashes, with block comments skipped whole. */
function directiveEnd(src: string, i: number): number {
  let j = i;
  while (j < src.length) {
    const c = src.charCodeAt(j);
    if (c === 10) return j;
    if (c === 92 && src.charCodeAt(j + 1) === 10) j += 2;
    else if (c === 92 && src.charCodeAt(j + 1) === 13 && src.charCodeAt(j + 2) === 10) j += 3;
    else if (c === 47 && src.charCodeAt(j + 1) === 42) {
      const close = src.indexOf('*/', j + 2);
      j = close < 0 ? src.length : close + 2;
    } else if (c === 34 || c === 39) j = quotedEnd(src, j, c);
    else j++;
  }
  return src.length;
}

function referenceLex(src: string): Token[] {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, start: number, end: number): void => {
    tokens.push({ kind, start, end, text: src.slice(start, end) });
  };
  let atLineStart = true;
  let i = 0;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (isSpace(c)) {
      if (c === 10) atLineStart = true;
      i++;
      continue;
    }
    if (c === 92 && (src.charCodeAt(i + 1) === 10 || src.charCodeAt(i + 1) === 13)) {
      i++; // a line continuation outside a directive is just whitespace
      continue;
    }
    const start = i;
    if (c === 35 && atLineStart) {
      i = directiveEnd(src, i);
      push('directive', start, i);
      continue;
    }
    const isComment = c === 47 && (src.charCodeAt(i + 1) === 47 || src.charCodeAt(i + 1) === 42);
    // Comments do not end "line start": `/* x */ #if` is still a directive.
    if (!isComment) atLineStart = false;
    if (c === 47 && src.charCodeAt(i + 1) === 47) {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? src.length : nl;
      push('comment', start, i);
    } else if (c === 47 && src.charCodeAt(i + 1) === 42) {
      const close = src.indexOf('*/', i + 2);
      i = close < 0 ? src.length : close + 2;
      push('comment', start, i);
    } else if (c === 34) {
      i = quotedEnd(src, i, 34);
      push('string', start, i);
    } else if (c === 39) {
      i = quotedEnd(src, i, 39);
      push('char', start, i);
    } else if (isIdentStart(c)) {
      while (i < src.length && isIdentPart(src.charCodeAt(i))) i++;
      // Encoding prefixes belong to the literal that follows: L"x", u8"x", U'x'.
      const q = src.charCodeAt(i);
      const word = src.slice(start, i);
      if ((q === 34 || q === 39) && (word === 'L' || word === 'u' || word === 'U' || word === 'u8')) {
        i = quotedEnd(src, i, q);
        push(q === 34 ? 'string' : 'char', start, i);
      } else {
        push('identifier', start, i);
      }
    } else if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(i + 1)))) {
      // pp-number: digits, letters, dots, and signs after an exponent letter.
      i++;
      while (i < src.length) {
        const d = src.charCodeAt(i);
        if (isIdentPart(d) || d === 46) i++;
        else if ((d === 43 || d === 45) && /[eEpP]/.test(src[i - 1] ?? '')) i++;
        else break;
      }
      push('number', start, i);
    } else {
      const p = MULTI_START.has(c) ? PUNCTUATORS.find((op) => src.startsWith(op, i)) : undefined;
      i += p ? p.length : 1;
      push('punct', start, i);
    }
  }
  return tokens;
}

const piece = fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '\v', '\f', '\\\n', 'x', 'foo_bar', '$a', 'é', 'ü1', '\u{1F600}', '0x1fU', '1e+5', '.5', 'L', 'u8',
  '"s\\"t"', "'c'", '"open', '/* c */', '/*', '*/', '// l', '#if X', '#define A(x) \\', '->', '>>=', '...', '+', '(', ')', '{', '}', ';', ',', '#');
const source = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));

describe('lexC against the character loop', () => {
  it('gives the same tokens', () => {
    fc.assert(
      fc.property(source, (src) => {
        assert.deepEqual(lexC(src), referenceLex(src), JSON.stringify(src));
      }),
      { numRuns: 5000 },
    );
  });

  it('examples', () => {
    const kinds = (src: string): [TokenKind, string][] => lexC(src).map((t: Token) => [t.kind, t.text]);
    assert.deepEqual(kinds('  int\tx_1é = 0;\n #if A\n'), [['identifier', 'int'], ['identifier', 'x_1é'], ['punct', '='], ['number', '0'], ['punct', ';'], ['directive', '#if A']]);
    assert.deepEqual(kinds('a /* c */ #b'), [['identifier', 'a'], ['comment', '/* c */'], ['punct', '#'], ['identifier', 'b']]);
  });
});
