// Macros that take a type: `xzalloc(struct p2m_domain)`, `min_t(unsigned long, a, b)`,
// `container_of(p, struct foo, list)`. tree-sitter parses arguments as expressions and fails on a
// type, so the type becomes `0` (the call keeps its shape and its other arguments). `typeof(x)`
// is a type itself and becomes `int`, which parses wherever a type may stand.
import { callEnd, looksLikeType, splitArguments, textAt, writeTokens, type CodeView } from '../code-view.ts';

const TYPEOF = new Set(['typeof', '__typeof__', '__typeof']);
// Type-taking built-ins tree-sitter already knows; rewriting them would break them.
const NATIVE = new Set(['sizeof', '_Alignof', 'alignof', '__alignof__', '__alignof', 'offsetof', '__builtin_offsetof',
  'va_arg', '__builtin_va_arg', '_Generic', '__builtin_types_compatible_p']);
// Before a call in an expression. After a name or `*` the parenthesis is a declarator's, as in
// a local prototype `int f(struct s *);`.
const DECLARATOR_BEFORE = /^(?:[A-Za-z_]\w*|\*)$/;
const EXPRESSION_WORDS = new Set(['return', 'case', 'else', 'do', 'sizeof']);

export function rewriteTypeArguments(v: CodeView): void {
  for (let i = 0; i < v.tokens.length; i++) {
    // Only a name with a `(` after it takes arguments: most tokens are passed over here.
    if (textAt(v, i + 1) !== '(') continue;
    const name = textAt(v, i);
    // typeof is a keyword to isName, so its parentheses are matched here.
    const close = TYPEOF.has(name) && textAt(v, i + 1) === '(' ? (v.match[i + 1] ?? -1) : callEnd(v, i);
    if (close < 0 || NATIVE.has(name)) continue;
    const closeTok = v.tokens[close];
    const nameTok = v.tokens[i];
    if (!closeTok || !nameTok) continue;
    if (TYPEOF.has(name)) {
      v.rw.write(nameTok.start, closeTok.end, 'int', 'type-argument');
      i = close;
      continue;
    }
    const args = splitArguments(v, i + 1, close);
    const known = v.macros.typeArguments.get(name);
    if (known) {
      for (const k of known) {
        const arg = args[k];
        if (arg) writeTokens(v, arg[0], arg[1], '0', 'type-argument');
      }
      continue;
    }
    // Unknown macros: never a declarator, which has a type before its name or a body after it.
    // File scope counts too: a fragment of a patch may start in the middle of a body.
    const prev = textAt(v, i - 1);
    if ((DECLARATOR_BEFORE.test(prev) && !EXPRESSION_WORDS.has(prev)) || textAt(v, close + 1) === '{') continue;
    for (const [first, last] of args) {
      if (looksLikeType(v, first, last)) writeTokens(v, first, last, '0', 'type-argument');
    }
  }
}
