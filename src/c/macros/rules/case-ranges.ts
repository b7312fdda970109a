// GNU case ranges: `case A ... B:`. tree-sitter-c 0.24 does not parse them, and one breaks the
// whole switch. The `...` becomes `||` (same length, padded), the lowest-precedence binary
// operator, so the label parses as `case A || B:` with A and B as the binary expression's left and
// right operands. The raw text still says `...` at that column: caseRange() in src/c/switch.ts
// reads it back, so the simulator can match the range rather than the `||`.
import { textAt, type CodeView } from '../code-view.ts';

export const CASE_RANGE_OPERATOR = '||';

export function rewriteCaseRanges(v: CodeView): void {
  for (let i = 0; i < v.tokens.length; i++) {
    if (textAt(v, i) !== 'case') continue;
    // The label runs to the first `:` outside parentheses; a `?` (conditional) takes one `:` along.
    let level = 0;
    let ternaries = 0;
    for (let j = i + 1; j < v.tokens.length; j++) {
      const s = textAt(v, j);
      if (s === '(' || s === '[') level++;
      else if (s === ')' || s === ']') level--;
      else if (s === ';' || s === '{' || s === '}' || level < 0) break;
      else if (s === '?') ternaries++;
      else if (s === ':' && level === 0) {
        if (ternaries === 0) break;
        ternaries--;
      } else if (s === '...' && level === 0) {
        const t = v.tokens[j]!;
        v.rw.write(t.start, t.end, CASE_RANGE_OPERATOR, 'case-range');
        break;
      }
    }
  }
}
