// Macros that expand to a type and stand where a type does: `XEN_GUEST_HANDLE_PARAM(void) arg`,
// `SLIST_ENTRY(node) link;`, `TAILQ_HEAD(, item) head = ...`. A call followed by a name is never
// an expression, so the call becomes one identifier of the same length (`XEN_GUEST_HANDLE_PARAM_void_`),
// which tree-sitter reads as a type name.
import { isName, isUpperCaseName, textAt, type CodeView } from '../code-view.ts';

// What may follow the declared name: the end of a parameter, a declaration or a declarator.
const AFTER_NAME = new Set([',', ')', ';', '=', '[', ':']);

export function rewriteTypeMacros(v: CodeView): void {
  for (let i = 0; i + 1 < v.tokens.length; i++) {
    const name = textAt(v, i);
    if (!isName(v, i) || !isUpperCaseName(name) || textAt(v, i + 1) !== '(') continue;
    const close = v.match[i + 1] ?? -1;
    if (close < 0) continue;
    // A pointer parameter (`(XEN_GUEST_HANDLE_PARAM(void) *uaddr,`): stars between the type and the name, only in a
    // parameter list outside any body (brace depth 0, after `(` or `,`), where `M(x) * y` cannot be a multiplication.
    let at = close + 1;
    if (v.depth[i] === 0 && ['(', ','].includes(textAt(v, i - 1))) while (textAt(v, at) === '*') at++;
    if (!isName(v, at) || !AFTER_NAME.has(textAt(v, at + 1))) continue;
    const first = v.tokens[i]!;
    const last = v.tokens[close]!;
    const text = v.rw.sourceBetween(first.start, last.end);
    if (/[\r\n]/.test(text)) continue;
    v.rw.write(first.start, last.end, text.replace(/[^A-Za-z0-9_]/g, '_'), 'type-argument');
    i = close;
  }
}
