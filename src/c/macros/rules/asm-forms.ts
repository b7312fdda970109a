// GNU asm statements written with macros tree-sitter cannot see through:
// - `asm_inline` (Linux and Xen spell `asm inline` so, for compilers without it) becomes `__asm__` padded to the
//   same length, qualifiers and all (`asm_inline volatile (`, `asm_inline goto (`);
// - a template that is a macro expanding to a string (`asm volatile ( safe_swapgs )`, `asm ( CLAC : : : "memory" )`)
//   becomes a same-length literal: C has no other thing to put first in an asm's parentheses.
import { isName, textAt, type CodeView } from '../code-view.ts';

const ASM = new Set(['asm', '__asm__', '__asm']);
const QUALIFIERS = new Set(['volatile', '__volatile__', '__volatile', 'inline', '__inline__', '__inline', 'goto']);

export function rewriteAsmForms(v: CodeView): void {
  for (let i = 0; i < v.tokens.length; i++) {
    const t = v.tokens[i]!;
    if (t.text === 'asm_inline' && v.rw.write(t.start, t.end, '__asm__'.padEnd(t.text.length), 'asm')) {
      // rewritten: read on as an asm
    } else if (!ASM.has(t.text)) continue;
    let j = i + 1;
    while (QUALIFIERS.has(textAt(v, j))) j++;
    if (textAt(v, j) !== '(' || !isName(v, j + 1)) continue;
    const name = v.tokens[j + 1]!;
    const next = textAt(v, j + 2);
    if ((next === ')' || next === ':') && name.end - name.start >= 2) {
      v.rw.write(name.start, name.end, `"${' '.repeat(name.end - name.start - 2)}"`, 'asm');
    }
  }
}
