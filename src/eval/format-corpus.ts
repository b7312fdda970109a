// Renderers for a corpus run: pure functions of the report.
import type { CorpusPositive, ScoredFinding } from './corpus.ts';
import type { CorpusReport, PatchRun } from './run-corpus.ts';
import { codeKey, renderPatchCode } from './patch-code.ts';

const short = (h: string): string => h.slice(0, 12);
const where = (p: CorpusPositive): string => `${p.file}:${p.line} ${p.function}`;
const findingText = (f: ScoredFinding): string => `${f.family} ${f.file}:${f.line ?? '?'} ${f.function ?? ''} [${f.verdict ?? '?'}]`.trimEnd();

/** Files skipped as imported upstream code, when any (reports of older builds carry no count). */
const imported = (c: CorpusReport['coverage']): string => (c.filesImported ? ` (${c.filesImported} files skipped as imported upstream code)` : '');

/** Why a positive was missed, as far as the run shows it (the gap a rule or the knowledge base must close). */
export type MissClass = 'no output' | 'function not reviewed' | 'other finding in the function' | 'nothing in the function';

export function missClass(report: CorpusReport, pos: CorpusPositive): MissClass {
  const run = report.patches.find((r) => r.source === pos.source && r.commit === pos.commit);
  if (!run || run.error) return 'no output';
  if (run.notReviewed.some((n) => n.function === pos.function)) return 'function not reviewed';
  return findingsIn(report, run, pos).length > 0 ? 'other finding in the function' : 'nothing in the function';
}

/** Findings of the positive's patch in its function (any family). */
function findingsIn(report: CorpusReport, run: PatchRun, pos: CorpusPositive): ScoredFinding[] {
  return (report.findingsByPatch[run.key] ?? []).filter((f) => f.function === pos.function);
}

const reviewedCount = (report: CorpusReport): number => report.patches.filter((p) => !p.error).length;

/** The patch's code around file:line when the run kept it (`--show-code`), rendered with `indent`. */
function codeLines(report: CorpusReport, source: string, commit: string, file: string, line: number | undefined, indent: string): string[] {
  if (!report.code || line === undefined) return [];
  const lines = report.code[codeKey(`${source}-${commit}`, file, line)];
  return lines ? renderPatchCode(lines, line, indent) : [];
}

export function formatCorpusText(report: CorpusReport): string {
  const s = report.score;
  const out: string[] = [];
  out.push(`corpus run: ${report.mode} mode${report.kb ? ' with knowledge base' : ''}, ${report.reviewer}, patch-review ${report.tool.version}`);
  out.push('positives:');
  for (const p of s.positives) {
    const pos = p.positive;
    const how = p.hit ? `  <- ${findingText(p.hit)}` : '';
    const note = p.unreadable ? `  (no readable output: ${p.unreadable})` : '';
    out.push(`  ${p.found ? 'found ' : 'MISSED'} ${pos.rule} ${pos.source} ${short(pos.commit)} ${where(pos)}${how}${note}`);
    if (!p.found && report.code) {
      if (pos.why) out.push(`      why: ${pos.why}`);
      out.push(...codeLines(report, pos.source, pos.commit, pos.file, pos.line, '      '));
    }
  }
  out.push(`findings on clean commits (${s.cleanFindings.length}):`);
  for (const c of s.cleanFindings) {
    out.push(`  ${c.source} ${short(c.commit)} ${findingText(c.finding)} ${c.finding.ruleId ?? ''}: ${c.finding.message ?? ''}`.trimEnd());
    out.push(...codeLines(report, c.source, c.commit, c.finding.file, c.finding.line, '      '));
  }
  out.push(`fixes still flagged (${s.fixesFlagged.length}):`);
  for (const f of s.fixesFlagged) {
    out.push(`  ${f.positive.rule} ${f.positive.source} ${short(f.positive.fix ?? '')} ${findingText(f.finding)}`);
    out.push(...codeLines(report, f.positive.source, f.positive.fix ?? '', f.finding.file, f.finding.line, '      '));
  }
  if (s.unreadable.length > 0) {
    out.push(`patches without readable output (${s.unreadable.length}):`);
    for (const u of s.unreadable) out.push(`  ${u.key}: ${u.why}`);
  }
  out.push('recall by rule:');
  for (const r of s.byRule) out.push(`  ${r.rule} ${`${r.found}/${r.total}`.padStart(6)}  (${r.families.join(' or ')})`);
  out.push(`by source: ${s.bySource.map((b) => `${b.source} ${b.found}/${b.total}`).join(', ')}`);
  const c = report.coverage;
  out.push(`functions reviewed ${c.functions - c.notReviewed}/${c.functions}${imported(c)}; ${reviewedCount(report)} of ${report.patches.length} patches reviewed in ${(report.ms.total / 1000).toFixed(1)} s (median ${report.ms.median} ms, max ${report.ms.max} ms)`);
  if (report.extractMs) out.push(`parents extracted for tree mode in ${(report.extractMs.total / 1000).toFixed(1)} s (median ${report.extractMs.median} ms, max ${report.extractMs.max} ms)`);
  out.push(s.summary);
  return `${out.join('\n')}\n`;
}

export function formatCorpusJson(report: CorpusReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Code lines as an indented fenced block under a list item (nothing when there are none). */
const fenced = (lines: string[]): string[] => (lines.length > 0 ? ['  ```c', ...lines.map((l) => `  ${l}`), '  ```'] : []);

/** The run for the team's notes: summary line, false findings, and the missed positives grouped by gap. */
export function formatCorpusMarkdown(report: CorpusReport): string {
  const s = report.score;
  const out: string[] = [];
  out.push(`## Dev corpus, ${report.mode} mode${report.kb ? ' + kb' : ''} (${report.generatedAt}, patch-review ${report.tool.version})`, '');
  out.push('```', s.summary, '```', '');
  out.push(`Recall by rule: ${s.byRule.map((r) => `${r.rule} ${r.found}/${r.total}`).join(', ')}; by source: ${s.bySource.map((b) => `${b.source} ${b.found}/${b.total}`).join(', ')}.`);
  const c = report.coverage;
  const extract = report.extractMs ? ` (plus ${(report.extractMs.total / 1000).toFixed(1)} s extracting parents, median ${report.extractMs.median} ms)` : '';
  out.push(`Functions reviewed ${c.functions - c.notReviewed}/${c.functions}${imported(c)}; ${reviewedCount(report)} of ${report.patches.length} patches reviewed in ${(report.ms.total / 1000).toFixed(1)} s${extract}.`, '');
  out.push(`### Found (${s.recall.found})`, '');
  for (const p of s.positives.filter((x) => x.found)) out.push(`- ${p.positive.rule} ${p.positive.source} \`${short(p.positive.commit)}\` ${where(p.positive)} <- ${findingText(p.hit!)}`);
  out.push('', `### False findings: clean commits (${s.cleanFindings.length}) and fixes still flagged (${s.fixesFlagged.length})`, '');
  for (const f of s.cleanFindings) {
    out.push(`- clean ${f.source} \`${short(f.commit)}\` ${findingText(f.finding)} ${f.finding.ruleId ?? ''}: ${f.finding.message ?? ''}`);
    out.push(...fenced(codeLines(report, f.source, f.commit, f.finding.file, f.finding.line, '')));
  }
  for (const f of s.fixesFlagged) {
    out.push(`- fix ${f.positive.source} \`${short(f.positive.fix ?? '')}\` ${findingText(f.finding)} ${f.finding.ruleId ?? ''}: ${f.finding.message ?? ''}`);
    out.push(...fenced(codeLines(report, f.positive.source, f.positive.fix ?? '', f.finding.file, f.finding.line, '')));
  }
  out.push('', '### Missed, grouped by what is missing', '');
  const missed = s.positives.filter((p) => !p.found);
  const groups = new Map<string, string[]>();
  for (const p of missed) {
    const pos = p.positive;
    const key = `${pos.rule} (${(report.score.byRule.find((r) => r.rule === pos.rule)?.families ?? []).join('/')}) — ${missClass(report, pos)}`;
    const inFn = (report.findingsByPatch[`${pos.source}-${pos.commit}`] ?? []).filter((f) => f.function === pos.function);
    const also = inFn.length > 0 ? ` [in the function: ${inFn.map(findingText).join('; ')}]` : '';
    const entry = [`- ${pos.source} \`${short(pos.commit)}\` ${where(pos)} (${pos.confidence ?? '?'}): ${pos.why ?? ''}${also}`];
    entry.push(...fenced(codeLines(report, pos.source, pos.commit, pos.file, pos.line, '')));
    groups.set(key, [...(groups.get(key) ?? []), ...entry]);
  }
  for (const [key, lines] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
    out.push(`#### ${key} (${lines.filter((l) => l.startsWith('- ')).length})`, '', ...lines, '');
  }
  if (c.reasons.length > 0) {
    out.push('### Functions not reviewed, by reason', '');
    for (const r of c.reasons.slice(0, 10)) out.push(`- ${r.count} × ${r.reason}`);
    out.push('');
  }
  return out.join('\n');
}
