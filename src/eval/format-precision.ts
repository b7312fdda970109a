// Renderers for a precision run: pure functions of the report. Markdown is what the team reads
// (every finding with its code); text is the terminal summary; JSON is the report itself.
import type { PrecisionFinding, PrecisionReport, SourceSummary } from './precision.ts';

/** A reader's judgement per finding, keyed by `findingKey()`. */
export type Judgements = Record<string, string>;

export const findingKey = (f: Pick<PrecisionFinding, 'commit' | 'fingerprint'>): string => `${f.commit.slice(0, 12)}:${f.fingerprint}`;

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function sourceLine(s: SourceSummary): string {
  return (
    `${s.name}: ${s.findings} findings (${s.verified} verified, ${s.inconclusive} inconclusive) in ${s.commitsWithFindings} of ${s.commits} commits; ` +
    `functions reviewed ${s.functions - s.functionsNotReviewed}/${s.functions} (${pct(s.coverage)}); ` +
    (s.filesImported ? `${s.filesImported} files skipped as imported upstream code (in ${s.commitsImported} commits); ` : '') +
    `${s.errors} errors; ${secs(s.ms.total)} (median ${s.ms.median} ms, max ${s.ms.max} ms per commit)` +
    (s.extractMs ? `, plus ${secs(s.extractMs.total)} extracting parents (median ${s.extractMs.median} ms)` : '')
  );
}

export function formatPrecisionText(report: PrecisionReport): string {
  const out: string[] = [];
  for (const f of report.findings) {
    out.push(`${f.source} ${f.commit.slice(0, 12)} ${f.file}:${f.line} ${f.function}() ${f.ruleId} [${f.verdict}]`);
    out.push(`  ${f.message}`);
    out.push(`  > ${f.snippet}`);
  }
  for (const c of report.commits.filter((c) => c.error)) out.push(`error ${c.source} ${c.commit.slice(0, 12)}: ${c.error}`);
  if (report.notReviewedReasons.length > 0) {
    out.push('functions not reviewed, by reason:');
    for (const r of report.notReviewedReasons.slice(0, 10)) out.push(`  ${String(r.count).padStart(4)}  ${r.reason}`);
  }
  for (const s of report.sources) out.push(`precision ${report.mode}${report.kb ? '+kb' : ''}: ${sourceLine(s)}`);
  return `${out.join('\n')}\n`;
}

export function formatPrecisionJson(report: PrecisionReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export interface MarkdownOptions {
  judgements?: Judgements;
  /** Reasons listed (default 10). */
  topReasons?: number;
}

export function formatPrecisionMarkdown(report: PrecisionReport, options: MarkdownOptions = {}): string {
  const judgements = options.judgements ?? {};
  const out: string[] = [];
  out.push(`## Precision run, ${report.mode} mode${report.kb ? ' + kb' : ''} (${report.generatedAt}, patch-review ${report.tool.version}, ${report.reviewer})`, '');
  for (const s of report.sources) out.push(`- ${sourceLine(s)}  `, `  ${s.gitDir} at ${s.head.slice(0, 12)}, paths ${s.paths.join(' ')}`);
  out.push('');
  const judged = report.findings.filter((f) => judgements[findingKey(f)]);
  if (report.findings.length > 0) {
    const real = judged.filter((f) => /^real\b/i.test(judgements[findingKey(f)]!)).length;
    out.push(`Read: ${judged.length} of ${report.findings.length} findings judged, ${real} judged real.`, '');
  }
  for (const source of report.sources) {
    const list = report.findings.filter((f) => f.source === source.name);
    out.push(`### Findings: ${source.name} (${list.length})`, '');
    if (list.length === 0) out.push('None.', '');
    list.forEach((f, i) => {
      out.push(`${i + 1}. \`${f.commit.slice(0, 12)}\` ${f.subject}  `);
      out.push(`   ${f.file}:${f.line} \`${f.function}()\` **${f.ruleId}** [${f.verdict}]  `);
      out.push(`   ${f.message.replace(/\n/g, ' ')}  `);
      out.push(`   Judgement: ${judgements[findingKey(f)] ?? '(not yet read)'}`, '');
      out.push('   ```c');
      for (const l of f.context) out.push(`   ${l.line === f.line ? '>' : ' '}${String(l.line).padStart(5)}  ${l.text}`);
      out.push('   ```', '');
    });
  }
  const errors = report.commits.filter((c) => c.error);
  if (errors.length > 0) {
    out.push(`### Errors (${errors.length})`, '');
    for (const c of errors) out.push(`- ${c.source} \`${c.commit.slice(0, 12)}\` ${c.subject}: ${c.error}`);
    out.push('');
  }
  out.push('### Functions not reviewed, by reason', '');
  if (report.notReviewedReasons.length === 0) out.push('None.');
  for (const r of report.notReviewedReasons.slice(0, options.topReasons ?? 10)) {
    out.push(`- ${r.count} × ${r.reason}`);
    for (const e of r.examples) out.push(`  - ${e.replace(/\n/g, ' ')}`);
  }
  if ((report.importedReasons ?? []).length > 0) {
    out.push('', '### Files skipped as imported upstream code (policy, not counted as not reviewed)', '');
    for (const r of report.importedReasons) out.push(`- ${r.count} × ${r.reason}`);
  }
  out.push('');
  return out.join('\n');
}
