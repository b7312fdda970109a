// How many touched functions a review actually read. The engine reports functions it could not
// review in `notReviewed` (with `stats.functionsNotReviewed`); older engines only left a `parse`
// warning per function, which is read the same way so numbers stay comparable across builds.
import type { Review } from '../review/types.ts';

export interface NotReviewed {
  file: string;
  function: string;
  reason: string;
  /** The line the reason is about, in the new version of the file, when the engine says. */
  line?: number;
  /** The code at the line the reason names, when eval could read it (precision runs). */
  code?: string;
}

/** The line a reason names ("parse error at line 442"), if any. */
export function reasonLine(reason: string): number | undefined {
  const m = /\bat line (\d+)/.exec(reason);
  return m ? Number(m[1]) : undefined;
}

interface ReviewWithCoverage {
  notReviewed?: NotReviewed[];
  stats: Review['stats'] & { functionsNotReviewed?: number };
  warnings: Review['warnings'];
}

// "f(): inconclusive: parse error at line 12 near ...; no rule ran on it" and "f(): not reviewed: <why>".
const NOT_REVIEWED_WARNING = /^(.+?)\(\): (?:inconclusive|not reviewed): (.*?)(?:; no rule ran on it)?$/s;

/**
 * A whole file skipped as imported upstream code (src/review/imported.ts): a policy, counted on its own, never as a
 * function the review failed to read (older engines mark it only by its reason).
 */
export const isImported = (n: { function: string; reason: string; imported?: boolean }): boolean =>
  n.imported === true || (n.function === '*' && /^imported upstream code\b/.test(n.reason));

/** Touched functions, the ones not reviewed (parse errors, limits), and the files skipped as imported upstream code. */
export function notReviewedOf(review: Review): { functions: number; notReviewed: NotReviewed[]; imported: NotReviewed[] } {
  const r = review as unknown as ReviewWithCoverage;
  const functions = r.stats.functions;
  if (Array.isArray(r.notReviewed)) {
    const strip = ({ imported: _, ...n }: NotReviewed & { imported?: boolean }): NotReviewed => n;
    return { functions, notReviewed: r.notReviewed.filter((n) => !isImported(n)), imported: r.notReviewed.filter(isImported).map(strip) };
  }
  const notReviewed: NotReviewed[] = [];
  for (const w of r.warnings) {
    if (w.code !== 'parse' && (w.code as string) !== 'time-limit') continue;
    const m = NOT_REVIEWED_WARNING.exec(w.message);
    if (m) notReviewed.push({ file: w.file ?? '', function: m[1]!, reason: m[2]! });
  }
  return { functions, notReviewed, imported: [] };
}
