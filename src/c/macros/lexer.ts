// A small C lexer for the normaliser. It only needs token boundaries, not meaning: the rewrite
// rules work on identifiers, literals and punctuation, and must never look inside comments or
// strings. One pass, no backtracking, so a megabyte of source lexes in milliseconds.

export type TokenKind = 'identifier' | 'number' | 'string' | 'char' | 'punct' | 'comment' | 'directive';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  text: string;
}

const isIdentStart = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c > 127;
const isIdentPart = (c: number): boolean => isIdentStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
// Runs of the same characters, found natively from a position (a loop over each character runs interpreted in a
// short CLI process; test/c/lexer-scan.test.ts checks the answers against that loop).
const BLANKS = /[ \t\r\v\f]+/y;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]+/y;

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

export function lexC(src: string): Token[] {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, start: number, end: number): void => {
    tokens.push({ kind, start, end, text: src.slice(start, end) });
  };
  let atLineStart = true;
  let i = 0;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === 10) {
      atLineStart = true;
      i++;
      continue;
    }
    if (isSpace(c)) {
      BLANKS.lastIndex = i;
      BLANKS.test(src);
      i = BLANKS.lastIndex;
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
      IDENT_PART.lastIndex = i;
      IDENT_PART.test(src);
      i = IDENT_PART.lastIndex;
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
