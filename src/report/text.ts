// Text for people: `file:line:col: severity: message [rule]`, the evidence indented under it, a proven
// fix as a small unified diff, a series' findings under `[PATCH n/m] subject`, and a closing summary.
import type { Finding, Review, Severity } from '../review/types.ts';
import type { WarningCode } from '../patch/types.ts';
import type { FormatOptions } from './index.ts';
import { countFindings, fixDiff, functionsNotReviewed, isSeries, patchLabel, plural } from './series.ts';

/** Notes about input the parser repaired: useful, but noise for someone who trusts their input (--quiet). */
const REPAIR_NOTES: ReadonlySet<WarningCode> = new Set<WarningCode>([
  'hunk-header-rewrapped',
  'diffstat-rewrapped',
  'context-space-restored',
  'hunk-count-mismatch',
  'line-rewrapped',
  'flattened-lines-recovered',
  'mime',
  'cover-letter',
]);

interface Paint {
  severity: (s: Severity, text: string) => string;
  bold: (text: string) => string;
  dim: (text: string) => string;
  green: (text: string) => string;
  yellow: (text: string) => string;
  red: (text: string) => string;
}

const sgr = (code: string) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
const COLOURS: Paint = {
  severity: (s, text) => (s === 'error' ? sgr('1;31') : s === 'warning' ? sgr('1;33') : sgr('1;36'))(text),
  bold: sgr('1'),
  dim: sgr('2'),
  green: sgr('32'),
  yellow: sgr('33'),
  red: sgr('31'),
};
const same = (text: string): string => text;
const PLAIN: Paint = { severity: (_s, text) => text, bold: same, dim: same, green: same, yellow: same, red: same };

const indent = (text: string, by: string): string =>
  text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');

function formatFinding(f: Finding, paint: Paint): string {
  const head = `${paint.bold(`${f.file}:${f.line}:${f.column}:`)} ${paint.severity(f.severity, `${f.severity}:`)} ${f.message} ${paint.dim(`[${f.ruleId}]`)}`;
  const out = [head];
  const add = (text: string): void => {
    out.push(indent(text, '    '));
  };
  add(`in ${f.function}(): ${f.snippet}`);
  const verdict = f.verdict === 'verified' ? paint.green('verified') : f.verdict === 'refuted' ? paint.dim('refuted') : paint.yellow('inconclusive');
  add(f.evidence.story ? `${verdict}: ${f.evidence.story}` : verdict);
  for (const a of f.evidence.assumptions) add(`assumes: ${a}`);
  for (const r of f.evidence.reliedOn) add(`can fail: ${r}`);
  for (const a of f.alsoReported ?? []) add(`also [${a.ruleId}]: ${a.message}`);
  if (f.fix) {
    add(`fix, proven equivalent on every path: ${f.fix.description}`);
    for (const line of fixDiff(f)) {
      const coloured = line.startsWith('+') && !line.startsWith('+++') ? paint.green(line) : line.startsWith('-') && !line.startsWith('---') ? paint.red(line) : line;
      out.push(`      ${coloured}`);
    }
  }
  return out.join('\n');
}

function summary(review: Review, options: FormatOptions): string[] {
  const s = review.stats;
  const counts = countFindings(review.findings);
  const n = review.findings.length;
  const notReviewed = functionsNotReviewed(review);
  const reviewed = Math.max(0, s.functions - notReviewed);
  const out: string[] = [];
  if (s.files === 0 && !s.filesImported) {
    const files = [...new Set(review.patches.flatMap((p) => p.files))];
    out.push(
      files.length > 0
        ? `No C in this input: ${plural(files.length, 'file')} changed (${files.slice(0, 5).join(', ')}${files.length > 5 ? ', ...' : ''}), none of them C; nothing was reviewed.`
        : 'No C in this input: nothing was reviewed.',
    );
  }
  const bySeverity = (['error', 'warning', 'info'] as const)
    .filter((sev) => counts.bySeverity[sev] > 0)
    .map((sev) => plural(counts.bySeverity[sev], sev === 'info' ? 'info' : sev, sev === 'info' ? 'info' : `${sev}s`));
  const findings =
    n === 0
      ? 'no findings'
      : `${plural(n, 'finding')} (${bySeverity.join(', ')}; ${counts.verified} verified, ${counts.inconclusive} inconclusive)`;
  const baseline = options.baselineSuppressed ? `; ${plural(options.baselineSuppressed, 'finding')} already in the baseline not shown` : '';
  out.push(`${findings}${baseline}`);
  if (options.detectedTree) out.push(`Tree mode against the enclosing checkout ${options.detectedTree} (--no-tree for the patch alone)`);
  const patches = review.patches.filter((p) => !p.isCoverLetter).length;
  out.push(
    `${patches > 1 ? `${plural(patches, 'patch', 'patches')}, ` : ''}${plural(s.files, 'C file')}, ${plural(reviewed, 'function')} reviewed` +
      `${notReviewed > 0 ? `, ${plural(notReviewed, 'function')} not reviewed (${whyNotReviewed(review)}: see the notes)` : ''}` +
      `${s.filesImported ? `, ${plural(s.filesImported, 'file')} skipped as imported upstream code (${whyImported(review)})` : ''}` +
      `; ${s.pathsSimulated} paths simulated in ${Math.round(s.times.totalMs)} ms${s.timedOut ? '; the time limit expired (see the notes)' : ''}`,
  );
  return out;
}

/** Why files were skipped as imported upstream code: the first reason, without its common head. */
function whyImported(review: Review): string {
  const first = review.notReviewed.find((n) => n.imported);
  return (first?.reason ?? 'imported upstream code').replace(/^imported upstream code: /, '');
}

/** Why touched functions were not reviewed, in a few words: a review limit or the time limit, or the code itself. */
function whyNotReviewed(review: Review): string {
  const kinds = new Set(
    review.notReviewed.filter((n) => !n.imported).map((n) => (/time limit/.test(n.reason) ? 'the time limit expired' : /limit of/.test(n.reason) ? "a review limit was reached" : 'parse errors or unsupported code')),
  );
  return kinds.size > 0 ? [...kinds].join('; ') : 'parse errors or unsupported code';
}

export function formatText(review: Review, options: FormatOptions = {}): string {
  const paint = options.color ? COLOURS : PLAIN;
  const out: string[] = [];
  const series = isSeries(review);
  let current = -1;
  for (const f of review.findings) {
    if (series && f.patch !== current) {
      current = f.patch;
      if (out.length > 0) out.push('');
      out.push(paint.bold(patchLabel(review, f.patch)));
    }
    out.push(formatFinding(f, paint));
  }
  if (review.refuted && review.refuted.length > 0) {
    out.push('', 'Refuted by simulation (not reported):');
    for (const f of review.refuted) out.push(formatFinding(f, paint));
  }
  const notes = review.warnings.filter((w) => w.code !== 'not-c' && !(options.quiet && REPAIR_NOTES.has(w.code)));
  if (notes.length > 0) {
    out.push('', 'Notes:');
    for (const w of notes) out.push(`  ${w.file ? `${w.file}: ` : ''}${w.line ? `line ${w.line}: ` : ''}${w.message}`);
  }
  out.push('', ...summary(review, options));
  return `${out.join('\n').replace(/^\n+/, '')}\n`;
}
