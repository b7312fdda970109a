// Repairs repeated on many lines (every context line of a mangled quote) are one warning per file,
// naming the lines, so a reader sees what was repaired without a wall of notes.
import type { Warning, WarningCode } from './types.ts';

const FOLDED: Partial<Record<WarningCode, (n: number) => string>> = {
  'context-space-restored': (n) => `${n} context line${n === 1 ? '' : 's'} had lost ${n === 1 ? 'its' : 'their'} leading space; restored`,
  'line-rewrapped': (n) => `${n} long diff line${n === 1 ? ' was' : 's were'} wrapped by the mailer; joined`,
};

/** Folded codes whose lines are in hunks anyway: their list may be shortened. A joined wrap's rest is in no hunk: all named. */
const SHORTENED = new Set<WarningCode>(['context-space-restored']);

/** Ascending input lines as ranges (`3-5, 9`); more than six ranges are shortened with `...` unless `all`. */
export function ranges(lines: number[], all: boolean): string {
  const out: string[] = [];
  let start = lines[0]!;
  let prev = start;
  for (const l of [...lines.slice(1), Infinity]) {
    if (l === prev + 1) {
      prev = l;
      continue;
    }
    out.push(start === prev ? `${start}` : `${start}-${prev}`);
    start = prev = l;
  }
  return out.length > 6 && !all ? `${out.slice(0, 6).join(', ')}, ...` : out.join(', ');
}

export function foldWarnings(warnings: Warning[]): Warning[] {
  const groups = new Map<string, Warning[]>();
  const out: (Warning | string)[] = [];
  for (const w of warnings) {
    if (!FOLDED[w.code]) {
      out.push(w);
      continue;
    }
    const key = `${w.code}\0${w.file ?? ''}`;
    if (!groups.has(key)) {
      groups.set(key, []);
      out.push(key);
    }
    groups.get(key)!.push(w);
  }
  return out.map((entry) => {
    if (typeof entry !== 'string') return entry;
    const list = groups.get(entry)!;
    if (list.length === 1) return list[0]!;
    const first = list[0]!;
    const lines = list.map((w) => w.line).filter((l): l is number => typeof l === 'number').sort((a, b) => a - b);
    return {
      code: first.code,
      ...(first.file ? { file: first.file } : {}),
      ...(lines.length > 0 ? { line: lines[0] } : {}),
      message: `${FOLDED[first.code]!(list.length)} (input lines ${ranges(lines, !SHORTENED.has(first.code))})`,
    };
  });
}
