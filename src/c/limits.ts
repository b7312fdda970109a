// The C model's own limits (docs/limits.md): a function the model would pay too much for, or could
// only read in part, is not reviewed, and the reason says which limit it reached.
import type { Segment } from './segment.ts';

/**
 * Brackets (`(`, `[`, `{`) open at once inside one function. Real code stays far below; tree-sitter
 * finds a node's parent by walking down from the root, so every question about a node costs its
 * depth, and a function nested thousands deep (`f(f(f(...`) would cost its size squared.
 */
export const MAX_NESTING = 256;

/** Lines of one side cut by the patch parser's line-length limit: line number -> original length. */
export type CutLines = Map<number, number>;

/** Why a function's segment is beyond the model's limits, or undefined when it is within them. */
export function segmentOverLimit(segment: Segment, cut: CutLines): { reason: string; line: number } | undefined {
  if (cut.size > 0) {
    for (const row of segment.rows) {
      if (row.isSynthetic) continue;
      const length = cut.get(row.line);
      if (length !== undefined) return { reason: `line ${row.line} is ${length} characters long, above the line-length limit: only its start was read`, line: row.line };
    }
  }
  const deep = deepestRow(segment);
  if (deep) return { reason: `brackets nested ${deep.depth} deep at line ${deep.line}, above the limit of ${MAX_NESTING}`, line: deep.line };
  return undefined;
}

/** Where nesting can change: a comment, a literal or a bracket. */
const NESTING_MARK = /[/"'([{)\]}]/g;

/**
 * The first row where more than `limit` brackets are open (comments and literals skipped). The marks are found with a
 * regular expression, comment ends with indexOf (same answers as a loop over every character, test/c/limits-scan.test.ts).
 */
export function deepestRow(segment: Pick<Segment, 'rows'>, limit = MAX_NESTING): { depth: number; line: number } | undefined {
  let depth = 0;
  let inComment = false;
  for (const row of segment.rows) {
    const t = row.text;
    let max = 0;
    let i = 0;
    while (i < t.length) {
      if (inComment) {
        const close = t.indexOf('*/', i);
        if (close < 0) break;
        inComment = false;
        i = close + 2;
        continue;
      }
      NESTING_MARK.lastIndex = i;
      const m = NESTING_MARK.exec(t);
      if (!m) break;
      i = m.index;
      const c = t.charCodeAt(i);
      if (c === 47 /* / */) {
        const next = t.charCodeAt(i + 1);
        if (next === 42) {
          inComment = true;
          i += 2;
          continue;
        }
        if (next === 47) break;
      } else if (c === 34 /* " */ || c === 39 /* ' */) {
        i++;
        while (i < t.length && t.charCodeAt(i) !== c) i += t.charCodeAt(i) === 92 /* \ */ ? 2 : 1;
      } else if (c === 40 || c === 91 || c === 123) {
        if (++depth > max) max = depth;
      } else if (depth > 0) depth--;
      i++;
    }
    if (max > limit) return { depth: max, line: row.line };
  }
  return undefined;
}
