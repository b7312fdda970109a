// b4's external check command protocol (b4 review: b4.review-perpatch-check-cmd): one patch mail on
// stdin, a JSON array of `{ tool, status, summary, url, details }` on stdout, status `pass`, `warn` or
// `fail`. A verified error fails; any other finding warns. (b4 prep --check and b4 am --check read
// lines instead: use `--format checkpatch --terse --no-summary` there.)
import type { Review } from '../review/types.ts';
import { formatText } from './text.ts';
import { countFindings, plural } from './series.ts';

export function formatB4(review: Review): string {
  // A cover letter (b4 pipes one to series check commands) has nothing to check: b4 reads [] as that.
  if (review.patches.every((p) => p.isCoverLetter || p.files.length === 0)) return '[]\n';
  const counts = countFindings(review.findings);
  const hasVerifiedError = review.findings.some((f) => f.verdict === 'verified' && f.severity === 'error');
  const status = hasVerifiedError ? 'fail' : review.findings.length > 0 ? 'warn' : 'pass';
  const summary =
    review.findings.length === 0
      ? review.stats.files === 0
        ? 'no C changes to review'
        : `no findings in ${plural(review.stats.functions, 'function')}`
      : `${plural(review.findings.length, 'finding')}: ${counts.verified} verified, ${counts.inconclusive} inconclusive` +
        ` (${counts.bySeverity.error} errors, ${counts.bySeverity.warning} warnings, ${counts.bySeverity.info} info)`;
  const result = { tool: 'patch-review', status, summary, details: formatText(review, { quiet: true }) };
  return `${JSON.stringify([result], null, 2)}\n`;
}
