// Reviewdog Diagnostic Format (rdjson: one DiagnosticResult; rdjsonl: one Diagnostic per line), so
// reviewdog posts findings on GitHub, GitLab and Gerrit reviews. Proven fixes become suggestions,
// witness steps related locations. Positions are 1-based; a range's end is exclusive.
import type { Finding, Review, Severity } from '../review/types.ts';
import { helpUriOf, patchLabel, isSeries } from './series.ts';

const SEVERITY: Record<Severity, 'ERROR' | 'WARNING' | 'INFO'> = { error: 'ERROR', warning: 'WARNING', info: 'INFO' };
const SOURCE = { name: 'patch-review' };

function diagnostic(f: Finding, review: Review): object {
  const url = helpUriOf(review, f.ruleId);
  const verdict = f.verdict === 'verified' ? `verified: ${f.evidence.story}` : `${f.verdict}: ${f.evidence.story}`;
  const series = isSeries(review) ? `${patchLabel(review, f.patch)}: ` : '';
  const suggestions =
    f.fix?.replacements.map((r) => ({
      // Whole lines: from the first replaced line's start to the start of the line after the last.
      range: { start: { line: r.startLine, column: 1 }, end: { line: r.endLine + 1, column: 1 } },
      text: r.text === '' ? '' : `${r.text}\n`,
    })) ?? [];
  const related = f.evidence.steps
    .filter((s) => s.line > 0)
    .map((s) => ({ message: s.text, location: { path: s.file, range: { start: { line: s.line } } } }))
    .concat((f.related ?? []).map((r) => ({ message: `same: ${r.snippet}`, location: { path: r.file, range: { start: { line: r.line } } } })));
  return {
    message: `${series}${f.message}\n\n${verdict}${f.evidence.assumptions.map((a) => `\nassumes: ${a}`).join('')}`,
    location: { path: f.file, range: { start: { line: f.line, column: f.column } } },
    severity: SEVERITY[f.severity],
    source: SOURCE,
    code: { value: f.ruleId, ...(url ? { url } : {}) },
    ...(suggestions.length > 0 ? { suggestions } : {}),
    ...(related.length > 0 ? { related_locations: related } : {}),
  };
}

export function formatRdjson(review: Review): string {
  return `${JSON.stringify({ source: SOURCE, diagnostics: review.findings.map((f) => diagnostic(f, review)) }, null, 2)}\n`;
}

export function formatRdjsonl(review: Review): string {
  return review.findings.map((f) => `${JSON.stringify(diagnostic(f, review))}\n`).join('');
}
