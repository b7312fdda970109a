// The "@@ -a,b +c,d @@ section" line, parsed without regular expressions.

export interface HunkHeader {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  section: string;
}

/** Reads "-12,3" or "+7"; returns the index after it, or -1. */
function readRange(s: string, i: number, sign: string, out: number[]): number {
  if (s[i] !== sign) return -1;
  i++;
  const startAt = i;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  if (i === startAt || i - startAt > 9) return -1;
  out.push(Number(s.slice(startAt, i)));
  if (s[i] === ',') {
    const countAt = ++i;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === countAt || i - countAt > 9) return -1;
    out.push(Number(s.slice(countAt, i)));
  } else {
    out.push(1);
  }
  return i;
}

export function parseHunkHeader(body: string): HunkHeader | null {
  if (!body.startsWith('@@ ')) return null;
  const nums: number[] = [];
  let i = readRange(body, 3, '-', nums);
  if (i < 0 || body[i] !== ' ') return null;
  i = readRange(body, i + 1, '+', nums);
  if (i < 0 || !body.startsWith(' @@', i)) return null;
  // A header whose closing @@ was cut off by a wrap is rare; we only accept the complete form.
  const section = body.slice(i + 3).trim();
  return { oldStart: nums[0]!, oldCount: nums[1]!, newStart: nums[2]!, newCount: nums[3]!, section };
}

export function isHunkHeader(body: string): boolean {
  return parseHunkHeader(body) !== null;
}

/** What a damaged header (`@@ -abc,7 +12,9999 @@ f(`) still says; absent fields were unreadable. */
export interface LooseHunkHeader {
  oldStart?: number;
  newStart?: number;
  section: string;
  /** The header text up to its closing @@, for warnings. */
  text: string;
}

const readNumber = (s: string | undefined): number | undefined =>
  s !== undefined && /^\d{1,9}$/.test(s) ? Number(s) : undefined;

/** A line shaped like a hunk header whose ranges do not parse: `@@ <old> <new> @@ section`, or one cut before its `@@`. */
export function parseLooseHunkHeader(body: string): LooseHunkHeader | null {
  if (!body.startsWith('@@ ')) return null;
  // A header cut before its closing @@ (`@@ -1,3 +1`) still says what its ranges say.
  const close = body.indexOf(' @@', 2) < 0 ? body.length : body.indexOf(' @@', 2);
  const ranges = body.slice(3, close).trim().split(/\s+/);
  const old = ranges.find((r) => r.startsWith('-'));
  const now = ranges.find((r) => r.startsWith('+'));
  return {
    oldStart: readNumber(old?.slice(1).split(',')[0]),
    newStart: readNumber(now?.slice(1).split(',')[0]),
    section: body.slice(close + 3).trim(),
    text: body.slice(0, close + 3).trimEnd(),
  };
}
