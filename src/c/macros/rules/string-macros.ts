// Macros that expand to string literals, juxtaposed with literals: `printk(XENLOG_ERR VTDPREFIX
// "...")`, `"%" PRIx64`, and in asm `"2:\n" _ASM_EXTABLE(1b, 2b)`. Each becomes a same-length
// literal (`"   "`, or `""` and spaces when it spans lines), so tree-sitter sees one
// concatenated_string.
import { isName, isUpperCaseName, textAt, type CodeView } from '../code-view.ts';

/** `NAME` or `NAME(args)` that may expand to a string, with the index of its last token. */
interface Piece {
  first: number;
  last: number;
}

export function rewriteStringMacros(v: CodeView): void {
  const isStringMacroName = (s: string): boolean => v.macros.stringMacros.has(s) || /^PRI/.test(s) || isUpperCaseName(s);
  const isString = (i: number): boolean => v.tokens[i]?.kind === 'string';

  // A bare name that touches a literal is a string macro whatever its spelling: C has no other
  // way to put a name there. Names further away must look like macros.
  const pieceLeftOf = (edge: number): Piece | undefined => {
    const i = edge - 1;
    if (isName(v, i)) return isString(edge) || isStringMacroName(textAt(v, i)) ? { first: i, last: i } : undefined;
    if (textAt(v, i) === ')') {
      const open = v.match[i] ?? -1;
      if (open > 0 && isName(v, open - 1) && isUpperCaseName(textAt(v, open - 1))) return { first: open - 1, last: i };
    }
    return undefined;
  };
  const pieceRightOf = (edge: number): Piece | undefined => {
    const i = edge + 1;
    if (!isName(v, i)) return undefined;
    if (textAt(v, i + 1) === '(') {
      const close = v.match[i + 1] ?? -1;
      return close > 0 && isUpperCaseName(textAt(v, i)) ? { first: i, last: close } : undefined;
    }
    return isString(edge) || isStringMacroName(textAt(v, i)) ? { first: i, last: i } : undefined;
  };

  // Known string macros juxtaposed with each other and no literal: `dprintk(XENLOG_WARNING VTDPREFIX, "...")`.
  // Two names side by side are never an expression, so only table names (or PRI*) take part.
  const isKnownStringMacro = (i: number): boolean => isName(v, i) && (v.macros.stringMacros.has(textAt(v, i)) || /^PRI/.test(textAt(v, i)));
  for (let i = 0; i + 1 < v.tokens.length; i++) {
    if (!isKnownStringMacro(i) || !isKnownStringMacro(i + 1) || isString(i - 1)) continue;
    let last = i + 1;
    while (isKnownStringMacro(last + 1)) last++;
    if (isString(last + 1)) continue; // the literal pass below takes the whole run
    writeLiteral(v, { first: i, last });
    i = last;
  }

  for (let i = 0; i < v.tokens.length; i++) {
    if (!isString(i)) continue;
    const pieces: Piece[] = [];
    let left = i;
    for (;;) {
      if (isString(left - 1)) left--;
      else {
        const p = pieceLeftOf(left);
        if (!p) break;
        pieces.push(p);
        left = p.first;
      }
    }
    let right = i;
    for (;;) {
      if (isString(right + 1)) right++;
      else {
        const p = pieceRightOf(right);
        if (!p) break;
        pieces.push(p);
        right = p.last;
      }
    }
    for (const p of pieces) writeLiteral(v, p);
    i = right;
  }
}

function writeLiteral(v: CodeView, p: Piece): void {
  const a = v.tokens[p.first];
  const b = v.tokens[p.last];
  if (!a || !b) return;
  const width = b.end - a.start;
  if (width < 2) return;
  const text = v.rw.sourceBetween(a.start, b.end);
  const literal = /[\r\n]/.test(text) ? '""' : `"${' '.repeat(width - 2)}"`;
  v.rw.write(a.start, b.end, literal, /ASM/.test(a.text) ? 'asm' : 'string-macro');
}
