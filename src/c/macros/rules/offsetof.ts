// `offsetof(struct diag, wo_cbuf.buf)`, `offsetof(struct s, arr[2])`: tree-sitter-c 0.24 parses
// offsetof with a single field name only. A nested member designator becomes one identifier of the
// same length (`wo_cbuf_buf`): the result is a compile-time integer either way, which is all the
// model needs of it.
import { textAt, splitArguments, writeTokens, type CodeView } from '../code-view.ts';

const OFFSETOF = new Set(['offsetof', '__builtin_offsetof']);

export function rewriteOffsetof(v: CodeView): void {
  for (let i = 0; i + 1 < v.tokens.length; i++) {
    if (!OFFSETOF.has(textAt(v, i)) || textAt(v, i + 1) !== '(') continue;
    const close = v.match[i + 1] ?? -1;
    if (close < 0) continue;
    const args = splitArguments(v, i + 1, close);
    if (args.length !== 2) continue;
    const [first, last] = args[1]!;
    if (last <= first || v.tokens[first]!.kind !== 'identifier') continue;
    const text = v.rw.sourceBetween(v.tokens[first]!.start, v.tokens[last]!.end);
    if (/[\r\n]/.test(text)) continue;
    writeTokens(v, first, last, text.replace(/\W/g, '_'), 'other');
  }
}
