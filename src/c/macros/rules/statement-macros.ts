// Macros used as statement heads or labels inside a function body:
//   `with_seq_write(&s) { ... }`  a call followed by a block: a scoped-block macro. It becomes a
//                                 loop head like an iterator (`while/*I*/(&s)`), which runs its
//                                 block an unknown number of times.
//   `CASE_OP(0x0f, 0x2e):`        an upper-case call followed by `:` is a macro of case labels. Its
//                                 name becomes `case` and spaces, so the label's value is the
//                                 parenthesised argument list (unknown to the simulator).
// Neither shape is valid C as written, so the rewrite never changes code that parses.
import { ITER_MARK } from '../../markers.ts';
import { isName, isUpperCaseName, textAt, type CodeView } from '../code-view.ts';

const STATEMENT_STARTERS = new Set([';', '{', '}', ':']);

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
      v.rw.write(name.start, name.end, 'case', 'other');
    }
    i = close;
  }
}
