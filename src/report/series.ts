// Shared by the renderers: how a patch of a series is named, and counts for summaries.
import type { Finding, Review, Severity } from '../review/types.ts';

/** `[PATCH 2/5] subject` for a patch of a series; the subject alone for a single patch. */
export function patchLabel(review: Review, index: number): string {
  const p = review.patches[index];
  // Subjects may keep their [PATCH ...] tag; the label states it once, from the parsed numbers.
  const subject = (p?.meta.subject ?? '(no subject)').replace(/^\s*\[[^\]]*\]\s*/, '') || '(no subject)';
  const total = p?.meta.total ?? (review.patches.length > 1 ? review.patches.length : undefined);
  const number = p?.meta.number ?? (total !== undefined ? index + 1 : undefined);
  const version = p?.meta.version && p.meta.version > 1 ? ` v${p.meta.version}` : '';
  return number !== undefined && total !== undefined ? `[PATCH${version} ${number}/${total}] ${subject}` : subject;
}

/** Whether findings should be grouped under their patch's label (a series, or a numbered patch). */
export const isSeries = (review: Review): boolean => review.patches.filter((p) => !p.isCoverLetter).length > 1;

export interface Counts {
  bySeverity: Record<Severity, number>;
  verified: number;
  inconclusive: number;
}

export function countFindings(findings: readonly Finding[]): Counts {
  const counts: Counts = { bySeverity: { error: 0, warning: 0, info: 0 }, verified: 0, inconclusive: 0 };
  for (const f of findings) {
    counts.bySeverity[f.severity]++;
    if (f.verdict === 'verified') counts.verified++;
    else if (f.verdict === 'inconclusive') counts.inconclusive++;
  }
  return counts;
}

export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

/** Functions the C model could not review (parse errors, unsupported constructs), from stats when present. */
export function functionsNotReviewed(review: Review): number {
  const stats = review.stats as Review['stats'] & { functionsNotReviewed?: number };
  if (typeof stats.functionsNotReviewed === 'number') return stats.functionsNotReviewed;
  return review.warnings.filter((w) => w.code === 'parse' && /no rule ran on it/.test(w.message)).length;
}

/** The rule's section of the rules reference, when the review carries it. */
export const helpUriOf = (review: Review, ruleId: string): string | undefined => review.rules?.find((r) => r.id === ruleId)?.helpUri;

/** Post-image lines of a fix as a small unified diff (no context: the replaced lines and their rewrite). */
export function fixDiff(finding: Finding): string[] {
  if (!finding.fix) return [];
  const out = [`--- a/${finding.fix.file}`, `+++ b/${finding.fix.file}`];
  for (const r of finding.fix.replacements) {
    const oldLines = r.original !== undefined ? r.original.split('\n') : undefined;
    const newLines = r.text === '' ? [] : r.text.split('\n');
    const oldCount = oldLines ? oldLines.length : r.endLine - r.startLine + 1;
    out.push(`@@ -${r.startLine},${oldCount} +${r.startLine},${newLines.length} @@`);
    if (oldLines) for (const l of oldLines) out.push(`-${l}`);
    else out.push(`-(lines ${r.startLine}-${r.endLine} of the patched file)`);
    for (const l of newLines) out.push(`+${l}`);
  }
  return out;
}
