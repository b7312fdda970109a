// Iteration macros used as loop heads: `for_each_vcpu ( d, v ) stmt`, `list_for_each_entry(p, h, m) {`.
// tree-sitter sees a call followed by a statement with no `;` between. The name becomes `while`
// (with ITER_MARK when it fits) so the tree is a while_statement whose condition is the macro's
// arguments and whose body is the real body; the simulator reads the mark as "runs 0..n times".
import { ITER_MARK } from '../../markers.ts';
import { callEnd, textAt, type CodeView } from '../code-view.ts';

// `uclass_id_foreach_dev(id, dev, uc)`: `foreach` may stand inside the name too.
const LOOP_NAME = /for_each|_foreach(?:_|$)|^foreach_|FOREACH/;
const MARKED_HEAD = `while${ITER_MARK}`;
const STATEMENT_STARTERS = new Set([';', '{', '}', ':']);
const CONTROL_WORDS = new Set(['if', 'while', 'for', 'switch']);

export function rewriteIterators(v: CodeView): void {
  // Heads already rewritten, so nested macros (`for_each_a(x) for_each_b(y) stmt`) both count.
  const loopHeads = new Set<number>();
  const isStatementStart = (i: number): boolean => {
    const prev = textAt(v, i - 1);
    if (i === 0 || STATEMENT_STARTERS.has(prev) || prev === 'else' || prev === 'do') return true;
    if (prev !== ')') return false;
    const open = v.match[i - 1] ?? -1;
    return open > 0 && (CONTROL_WORDS.has(textAt(v, open - 1)) || loopHeads.has(open - 1));
  };
  for (let i = 0; i < v.tokens.length; i++) {
    const name = v.tokens[i];
    if (!name) continue;
    if (!v.macros.iterators.has(name.text) && !LOOP_NAME.test(name.text)) continue;
    const close = callEnd(v, i);
    const body = v.tokens[close + 1];
    if (close < 0 || !body || !(body.text === '{' || body.kind === 'identifier')) continue;
    if (!isStatementStart(i)) continue;
    const paren = v.tokens[i + 1];
    if (!paren) continue;
    const region = v.rw.sourceBetween(name.start, paren.start);
    const room = region.search(/[\r\n]/) < 0 ? region.length : region.search(/[\r\n]/);
    const head = room >= MARKED_HEAD.length ? MARKED_HEAD : 'while';
    if (room >= head.length && v.rw.write(name.start, paren.start, head, 'iterator')) loopHeads.add(i);
  }
}
