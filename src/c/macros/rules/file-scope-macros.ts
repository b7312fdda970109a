// Declaration macros at file scope: `custom_param("iommu", parse_iommu_param)` with no semicolon,
// `DEFINE_PER_CPU(struct list_head, dpci_list);`, `static LIST_HEAD(pending);`. C allows no bare
// call at file scope, so a `NAME(...)` that starts a declaration is a macro; it is blanked whole,
// because leaving it makes tree-sitter glue it to the function that follows.
import { callEnd, isUpperCaseName, textAt, type CodeView } from '../code-view.ts';

const PREFIX_WORDS = new Set(['static', 'extern', 'const', 'volatile']);

export function blankFileScopeMacros(v: CodeView): void {
  let declarationStart = true;
  for (let i = 0; i < v.tokens.length; i++) {
    const startsHere = declarationStart;
    const tok = v.tokens[i];
    declarationStart = false;
    if (!tok) continue;
    // `depth` is taken before the token, so the `}` closing a function body is at depth 1.
    if ((tok.text === ';' && v.depth[i] === 0) || (tok.text === '}' && v.depth[i] === 1)) {
      declarationStart = true;
      continue;
    }
    if (v.depth[i] !== 0) continue;
    if (!startsHere) continue;
    let j = i;
    while (PREFIX_WORDS.has(textAt(v, j)) || v.macros.annotations.has(textAt(v, j))) j++;
    const close = callEnd(v, j);
    if (close < 0) continue;
    const name = textAt(v, j);
    if (v.macros.annotationCalls.has(name)) continue; // `} __attribute__((packed));` ends a struct
    const isKnown = v.macros.declarationMacros.has(name);
    const next = v.tokens[close + 1];
    const closeTok = v.tokens[close];
    if (!closeTok) continue;
    const newLineFollows = !next || /\n/.test(v.rw.sourceBetween(closeTok.end, next.start));
    let end = -1;
    if (next?.text === ';' && (j === i || isKnown || isUpperCaseName(name))) end = next.end;
    else if (next?.text !== '{' && next?.text !== ';' && (isKnown || (newLineFollows && (!next || next.kind === 'identifier')))) {
      end = closeTok.end;
    }
    if (end < 0) continue;
    if (v.rw.blank(tok.start, end, 'statement-macro')) {
      i = next?.text === ';' && end === next.end ? close + 1 : close;
      declarationStart = true;
    }
  }
}
