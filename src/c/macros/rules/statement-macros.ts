// Macros used as statement heads or labels inside a function body:
//   `with_seq_write(&s) { ... }`  a call followed by a block: a scoped-block macro. It becomes a
//                                 loop head like an iterator (`while/*I*/(&s)`), which runs its
//                                 block an unknown number of times.
//   `CASE_OP(0x0f, 0x2e):`        an upper-case call followed by `:` is a macro of case labels: it
//                                 becomes `case 0` and spaces (the values are unknown to the model).
//   `must_have(3dnow)`            a pp-number that is no C number (a macro argument pasted into a
//                                 name): its first digit becomes `_`, so it reads as an identifier.
// Neither shape is valid C as written, so the rewrite never changes code that parses.
import { ITER_MARK } from '../../markers.ts';
import { isName, isUpperCaseName, textAt, type CodeView } from '../code-view.ts';

const STATEMENT_STARTERS = new Set([';', '{', '}', ':']);

const C_NUMBER = /^(?:0[xX][0-9a-fA-F]+|0[bB][01]+|\d+)(?:[uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)?$|^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?[fFlL]?$|^0[xX][0-9a-fA-F.]+[pP][-+]?\d+[fFlL]?$/;

/** Runs last: other rules (asm string macros with `1b` labels) claim their numbers first. */
export function rewriteOddNumbers(v: CodeView): void {
  for (const t of v.tokens) {
    if (t.kind === 'number' && /^\d\w*[A-Za-z_]\w*$/.test(t.text) && !C_NUMBER.test(t.text)) v.rw.write(t.start, t.start + 1, '_', 'other');
  }
}

export function rewriteStatementMacros(v: CodeView): void {
  for (let i = 0; i + 1 < v.tokens.length; i++) {
    if (v.depth[i]! < 1 || !isName(v, i) || textAt(v, i + 1) !== '(') continue;
    const prev = textAt(v, i - 1);
    if (i > 0 && !STATEMENT_STARTERS.has(prev) && prev !== 'else') continue;
    const close = v.match[i + 1] ?? -1;
    if (close < 0) continue;
    const after = textAt(v, close + 1);
    const name = v.tokens[i]!;
    if (after === '{') {
      const head = name.text.length >= `while${ITER_MARK}`.length ? `while${ITER_MARK}` : 'while';
      if (name.text.length >= head.length) v.rw.write(name.start, name.end, head, 'iterator');
    } else if (after === ':' && isUpperCaseName(name.text) && name.text.length >= 4) {
      // `case 0` over the whole call when it fits on its line (arguments may be empty, as in
      // `CASE_OPS(, 0x0f, 0x2c):`); else only the name becomes `case`.
      const closeTok = v.tokens[close]!;
      if (!v.rw.write(name.start, closeTok.end, 'case 0', 'other')) v.rw.write(name.start, name.end, 'case', 'other');
    }
    i = close;
  }
}
