// checkpatch-like text: `file:line:col: severity: message [rule-id]`, the evidence indented under it.
import type { Finding, Review } from '../review/types.ts';

const indent = (text: string, by = '    '): string =>
  text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');

function formatFinding(f: Finding): string {
  const out = [`${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.ruleId}]`];
  out.push(indent(`in ${f.function}(): ${f.snippet}`));
  const verdict = f.verdict === 'verified' ? 'verified' : f.verdict === 'refuted' ? 'refuted' : 'inconclusive';
  if (f.evidence.story) out.push(indent(`${verdict}: ${f.evidence.story}`));
  else out.push(indent(verdict));
  for (const a of f.evidence.assumptions) out.push(indent(`assumes: ${a}`));
  for (const r of f.evidence.reliedOn) out.push(indent(`can fail: ${r}`));
  for (const a of f.alsoReported ?? []) out.push(indent(`also [${a.ruleId}]: ${a.message}`));
  if (f.fix) {
    out.push(indent(`suggested, proven equivalent (${f.fix.description}):`));
    for (const r of f.fix.replacements) {
      out.push(indent(`lines ${r.startLine}-${r.endLine} become:`, '      '));
      out.push(indent(r.text, '        '));
    }
  }
  return out.join('\n');
}

export function formatText(review: Review): string {
  const out: string[] = [];
  for (const f of review.findings) out.push(formatFinding(f));
  if (review.refuted && review.refuted.length > 0) {
    out.push('', 'Refuted by simulation (not reported):');
    for (const f of review.refuted) out.push(formatFinding(f));
  }
  const notes = review.warnings.filter((w) => w.code !== 'not-c');
  if (notes.length > 0) {
    out.push('', 'Notes:');
    for (const w of notes) out.push(`  ${w.file ? `${w.file}: ` : ''}${w.line ? `line ${w.line}: ` : ''}${w.message}`);
  }
  const s = review.stats;
  const n = review.findings.length;
  out.push(
    '',
    `${n} finding${n === 1 ? '' : 's'} (${review.findings.filter((f) => f.verdict === 'verified').length} verified) in ${s.functions} function${s.functions === 1 ? '' : 's'} of ${s.files} file${s.files === 1 ? '' : 's'}; ${s.pathsSimulated} paths simulated in ${Math.round(s.times.totalMs)} ms`,
  );
  return `${out.join('\n').replace(/^\n+/, '')}\n`;
}
