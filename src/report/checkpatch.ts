// The layout kernel scripts already parse (checkpatch.pl's): `WARNING:TYPE: message`, then
// `#N: FILE: path:line:` (N the line in the patch input), the quoted `+` line, and
// `total: N errors, M warnings, L lines checked`. --terse keeps the first line of each report with a
// `path:line:` prefix (as checkpatch --terse --showfile); --emacs prefixes `INPUT:N:` instead.
import type { Finding, Review, Severity } from '../review/types.ts';
import type { FormatOptions } from './index.ts';
import { isSeries, patchLabel } from './series.ts';

/** checkpatch's levels: ERROR, WARNING, and CHECK for what only --strict shows. */
const LEVEL: Record<Severity, 'ERROR' | 'WARNING' | 'CHECK'> = { error: 'ERROR', warning: 'WARNING', info: 'CHECK' };

/** A stable TYPE as checkpatch's: the rule id in upper snake case (`dropped-error` -> `DROPPED_ERROR`). */
export const checkpatchType = (ruleId: string): string => (ruleId.split('/').pop() ?? ruleId).toUpperCase().replace(/[^A-Z0-9]+/g, '_');

function report(f: Finding, review: Review, options: FormatOptions): string {
  const verdict = f.verdict === 'verified' ? '' : ` (${f.verdict}: ${f.evidence.story || 'the simulation could not decide'})`;
  const first = `${LEVEL[f.severity]}:${checkpatchType(f.ruleId)}: ${f.message}${verdict}`;
  const input = review.input.name ?? '-';
  if (options.terse || options.emacs) {
    const prefix = options.emacs ? `${input}:${f.inputLine ?? f.line}: ` : `${f.file}:${f.line}: `;
    if (options.terse) return prefix + first;
    return [prefix + first, `#${f.inputLine ?? '?'}: FILE: ${f.file}:${f.line}:`, `+${f.snippet}`, ''].join('\n');
  }
  // checkpatch quotes the line as the patch has it; the review keeps its text without indentation.
  return [first, `#${f.inputLine ?? '?'}: FILE: ${f.file}:${f.line}:`, `+${f.snippet}`, ''].join('\n');
}

export function formatCheckpatch(review: Review, options: FormatOptions = {}): string {
  const out: string[] = [];
  const series = isSeries(review) && !options.terse;
  let current = -1;
  for (const f of review.findings) {
    if (series && f.patch !== current) {
      current = f.patch;
      out.push('-'.repeat(40), patchLabel(review, f.patch), '-'.repeat(40));
    }
    out.push(report(f, review, options));
  }
  if (!options.noSummary) {
    const count = (s: Severity): number => review.findings.filter((f) => f.severity === s).length;
    const checks = count('info');
    const lines = review.input.lines ?? 0;
    out.push(`total: ${count('error')} errors, ${count('warning')} warnings, ${checks > 0 ? `${checks} checks, ` : ''}${lines} lines checked`);
    if (!options.terse) {
      const name = review.input.name ?? 'Your patch';
      const verified = review.findings.filter((f) => f.verdict === 'verified').length;
      out.push(
        '',
        review.findings.length === 0
          ? `${name} has no problems the simulation could find.`
          : `${name} has ${verified > 0 ? 'problems the simulation verified' : 'possible problems the simulation could not decide'}, please review.`,
      );
    }
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}
