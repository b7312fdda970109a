// Section, sparse and attribute annotations: `static void __init f(...)`, `char *__user p`.
// tree-sitter takes an unknown word before the declarator for a type and then fails on the name.
import { callEnd, isName, textAt, type CodeView } from '../code-view.ts';

// `__init`, `__hwdom_init`, `__initdata`, `__exitconst`: Xen and Linux name every section
// annotation this way; a table entry is needed only for the other shapes.
const SECTION_WORD = /^__\w*(?:init|exit)(?:data|const)?$/;
// Before a section word in a declaration: a type, a `*`, a `)` of a declarator, or another annotation.
const DECLARATION_CONTEXT = /^(?:[A-Za-z_]\w*|\*|\))$/;
const NOT_DECLARATION = new Set(['return', 'case', 'sizeof', 'goto']);

export function blankAnnotations(v: CodeView): void {
  const { annotations, annotationCalls } = v.macros;
  for (let i = 0; i < v.tokens.length; i++) {
    const tok = v.tokens[i];
    if (tok?.kind !== 'identifier') continue;
    if (annotationCalls.has(tok.text)) {
      const close = callEnd(v, i);
      const closing = v.tokens[close];
      if (closing) {
        v.rw.blank(tok.start, closing.end, 'annotation');
        i = close;
      }
      continue;
    }
    if (textAt(v, i + 1) === '(') continue;
    const prev = textAt(v, i - 1);
    const isSectionWord = SECTION_WORD.test(tok.text) && isName(v, i)
      && DECLARATION_CONTEXT.test(prev) && !NOT_DECLARATION.has(prev);
    if (annotations.has(tok.text) || isSectionWord) v.rw.blank(tok.start, tok.end, 'annotation');
  }
}
