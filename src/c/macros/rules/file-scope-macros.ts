// Declaration macros at file scope: `custom_param("iommu", parse_iommu_param)` with no semicolon,
// `DEFINE_PER_CPU(struct list_head, dpci_list);`, `static LIST_HEAD(pending);`. Such a macro is
// blanked whole, because leaving it makes tree-sitter glue it to the function that follows.
import { callEnd, looksLikeType, splitArguments, textAt, type CodeView } from '../code-view.ts';

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
    // A bare `f(x);` may be a statement of a fragment that starts inside a body: only a known
    // macro, or one with a type argument (which tree-sitter cannot read), is a declaration.
    const hasTypeArgument = (): boolean => splitArguments(v, j + 1, close).some(([a, b]) => looksLikeType(v, a, b));
    if (next?.text === ';' && (isKnown || hasTypeArgument())) end = next.end;
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
