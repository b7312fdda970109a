// GitHub Actions workflow commands (`::warning file=...,line=...::message`), for jobs that do not upload
// SARIF: the runner turns each into an annotation on the pull request's diff.
import type { Review, Severity } from '../review/types.ts';
import { isSeries, patchLabel } from './series.ts';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

/** Escaping as the runner expects: data loses %, CR, LF; property values also : and ,. */
const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function formatGithub(review: Review): string {
  const series = isSeries(review);
  return review.findings
    .map((f) => {
      const title = `${f.ruleId} (${f.verdict})${series ? ` in ${patchLabel(review, f.patch)}` : ''}`;
      const props = [`file=${escapeProperty(f.file)}`, `line=${f.line}`, `col=${f.column}`, `title=${escapeProperty(title)}`].join(',');
      const body = `${f.message}\n${f.verdict}: ${f.evidence.story}`;
      return `::${COMMAND[f.severity]} ${props}::${escapeData(body)}\n`;
    })
    .join('');
}
