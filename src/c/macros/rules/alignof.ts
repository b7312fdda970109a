// `alignof(*d)`, `__alignof__(x.field)`: tree-sitter-c 0.24 parses alignof over a type only. The
// operator becomes `sizeof` (padded to the same length), which takes a type or an expression; both
// are compile-time integers, which is all the model needs of them.
import { textAt, type CodeView } from '../code-view.ts';

const ALIGNOF = new Set(['alignof', '_Alignof', '__alignof__', '__alignof']);

export function rewriteAlignof(v: CodeView): void {
  for (let i = 0; i + 1 < v.tokens.length; i++) {
    const t = v.tokens[i]!;
    if (!ALIGNOF.has(t.text) || textAt(v, i + 1) !== '(') continue;
    v.rw.write(t.start, t.end, 'sizeof', 'other');
  }
}
