// Rows of a text by offset: where each row starts, and which row holds an offset (rows split at '\n' only, as
// tree-sitter counts them; offsets in UTF-16 units).

/** Offsets at which each row of `text` starts (row 0 at index 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The 0-based row holding `offset`, by binary search over `lineStarts()`. */
export function rowAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
