// Annotation macros no table names: `static XSM_INLINE int cf_check f(...)`,
// `static const char *init_or_livepatch f(...)`, `struct cfg c __aligned_buf = { ... };`.
// tree-sitter takes the extra word for a type and fails on the real one. C allows one type in a
// declaration's specifiers, so words beyond it are annotations and become spaces.
import { C_KEYWORDS, isName, isUpperCaseName, splitArguments, textAt, type CodeView } from '../code-view.ts';

const TYPE_KEYWORDS = new Set(['void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned',
  '_Bool', 'bool', '_Complex', '__signed__']);
const TAG_KEYWORDS = new Set(['struct', 'union', 'enum']);
const SPECIFIER_END = new Set([';', '{', '}', ')', ',', ']']);

export function blankUnknownAnnotations(v: CodeView): void {
  for (let i = 0; i + 1 < v.tokens.length; i++) {
    if (v.depth[i] === 0 && isName(v, i) && textAt(v, i + 1) === '(') {
      const close = v.match[i + 1] ?? -1;
      if (close > 0 && isDefinitionBody(v, close + 1)) {
        blankHeadExtras(v, i);
        for (const [first, last] of splitArguments(v, i + 1, close)) {
          // `DEFAULT_ARG struct domain *d`: the same one-type rule per parameter (not `int (*f)(void)`).
          let hasParen = false;
          let name = -1;
          for (let j = first; j <= last; j++) {
            const t = v.tokens[j]!;
            if (t.text === '(') hasParen = true;
            else if (isName(v, j) && v.rw.isFree(t.start, t.end)) name = j;
          }
          if (!hasParen && name > first) blankHeadExtras(v, name);
        }
      }
      continue;
    }
    if (v.depth[i]! > 0) blankTrailingAnnotation(v, i);
  }
}

/** After a head's `)`: its `{`, maybe after annotations already blanked or still bare words. */
function isDefinitionBody(v: CodeView, from: number): boolean {
  for (let j = from; j < v.tokens.length && j < from + 6; j++) {
    const t = v.tokens[j]!;
    if (t.text === '{') return true;
    if (!v.rw.isFree(t.start, t.end)) continue;
    if (t.kind !== 'identifier' || C_KEYWORDS.has(t.text)) return false;
  }
  return false;
}

/** The specifiers before the function name at `nameAt`: blank every word past the one type. */
function blankHeadExtras(v: CodeView, nameAt: number): void {
  const words: number[] = [];
  let hasKeywordType = false;
  for (let j = nameAt - 1; j >= 0; j--) {
    const t = v.tokens[j]!;
    if (t.kind === 'directive' || SPECIFIER_END.has(t.text) || t.text === '(') break;
    if (t.text === '*' || !v.rw.isFree(t.start, t.end)) continue;
    if (t.kind !== 'identifier') return;
    if (TAG_KEYWORDS.has(textAt(v, j - 1))) {
      hasKeywordType = true;
      j--;
      continue;
    }
    if (TYPE_KEYWORDS.has(t.text) || TAG_KEYWORDS.has(t.text)) hasKeywordType = true;
    else if (!C_KEYWORDS.has(t.text)) words.unshift(j);
  }
  let extras = words;
  if (!hasKeywordType) {
    if (words.length < 2) return;
    // No keyword type: one word is the typedef; macros are spelt in capitals or with `__`.
    const typedefs = words.filter((j) => !isUpperCaseName(textAt(v, j)) && !textAt(v, j).startsWith('__'));
    const keep = typedefs[typedefs.length - 1] ?? words[words.length - 1]!;
    extras = words.filter((j) => j !== keep);
  }
  for (const j of extras) {
    const t = v.tokens[j]!;
    v.rw.blank(t.start, t.end, 'annotation');
  }
}

/** `T name __attr = ...;`, `T buf[N] __attr;`: a `__` word after a complete declarator. */
function blankTrailingAnnotation(v: CodeView, i: number): void {
  const word = textAt(v, i);
  if (!word.startsWith('__') || !isName(v, i)) return;
  if (!['=', ';', ',', '['].includes(textAt(v, i + 1)) && !isName(v, i + 1)) return;
  const prev = textAt(v, i - 1);
  const isAfterDeclarator = prev === ']' || (isName(v, i - 1) && (isName(v, i - 2) || TYPE_KEYWORDS.has(textAt(v, i - 2)) || textAt(v, i - 2) === '*'));
  // `struct cfg __aligned_x c = { ... };`: between the type and the declared name.
  const isBeforeDeclarator = isName(v, i - 1) && isName(v, i + 1) && ['=', ';', ',', '['].includes(textAt(v, i + 2));
  const t = v.tokens[i]!;
  if (isAfterDeclarator || isBeforeDeclarator) v.rw.blank(t.start, t.end, 'annotation');
}
