// `rules mine`: which of a thread's actionable comments the current packs reproduce. Each comment is
// matched to findings by place (same patch, file, and a finding line inside the quoted span it answers).
import type { Finding, Review, ReviewOptions } from '../review/types.ts';
import { mineThread, type MinedThread, type ThreadComment } from './thread.ts';
import { splitSourceLines } from '../patch/source-lines.ts';

/** out-of-scope: an actionable comment on a file the C review does not read (documentation, IDL, scripts). */
export type Outcome = 'reproduced' | 'reproduced-differently' | 'not-reproduced' | 'not-actionable' | 'out-of-scope';

export interface MatchedFinding {
  ruleId: string;
  family: string;
  verdict: string;
  line: number;
  function: string;
  message: string;
}

export interface MinedComment extends ThreadComment {
  outcome: Outcome;
  /** Findings at the comment's place (reproduced), or the refuted candidates there (reproduced differently). */
  findings: MatchedFinding[];
}

export interface MineResult {
  subject?: string;
  comments: MinedComment[];
  /** Actionable comments on C files: the M of the summary line. */
  actionable: number;
  /** Actionable comments on other files (documentation, IDL), not counted. */
  outOfScope: number;
  reproduced: number;
  reproducedDifferently: number;
}

export type ReviewFn = (input: string | Buffer, options?: ReviewOptions) => Promise<Review>;

/** Words that tie a comment about a whole patch to a family of findings anywhere in it. */
const FAMILY_TOPICS: Record<string, RegExp> = {
  whitespace: /\bwhite ?space|\btabs?\b|\btrailing\b|\bindent/i,
  'inconsistent-style': /\b(coding )?style\b|\binconsisten/i,
};

function at(c: ThreadComment, f: Finding): boolean {
  if (f.patch !== c.patch) return false;
  if (!c.place) return Boolean(FAMILY_TOPICS[f.family]?.test(c.text));
  return f.file === c.place.file && f.line >= c.place.firstLine && f.line <= c.place.lastLine;
}

/** A comment that shows code: the reviewer's rewrite of the lines it answers. */
const showsCode = (t: string): boolean => t.split('\n').some((l) => /[;{}]\s*$/.test(l.trim()) && /[=()]/.test(l));

/**
 * A refuted candidate whose rewrite or counterexample reaches into the span a comment's own rewrite answers:
 * the simulator shows there why the suggested rewrite changes behaviour ("rc = f(); if ( !rc ) rc = g();
 * return rc;" under the lines where reusing rc loses an error), in the comment's function.
 */
function refutedRewrite(c: ThreadComment, f: Finding): boolean {
  const place = c.place;
  if (!place || f.patch !== c.patch || f.file !== place.file || !showsCode(c.text)) return false;
  if (place.function && f.function !== place.function) return false;
  const inSpan = (n: number): boolean => n >= place.firstLine && n <= place.lastLine;
  return f.evidence.steps.some((s) => s.file === f.file && inSpan(s.line)) ||
    (f.fix?.replacements ?? []).some((r) => r.startLine <= place.lastLine && r.endLine >= place.firstLine);
}

/** A quoted span can reach into the function before: keep the findings of the comment's own function when there are some. */
function inFunction(c: ThreadComment, found: Finding[]): Finding[] {
  const fn = c.place?.function;
  const own = fn ? found.filter((f) => f.function === fn) : [];
  return own.length > 0 ? own : found;
}

const brief = (f: Finding): MatchedFinding => ({
  ruleId: f.ruleId,
  family: f.family,
  verdict: f.verdict,
  line: f.line,
  function: f.function,
  message: f.message,
});

/**
 * The thread as the review reads it: without the reply's own diffs (rewrites proposed in the discussion, which
 * the comments' places already set aside), so the patch is the author's patch; the patch lines the reviewer
 * quotes again after such a diff are put back after the hunk they continue (its unseen rest), so the review
 * reads them where the comments' places put them. Unchanged when there is none.
 */
function reviewedText(input: string | Buffer, thread: MinedThread): string | Buffer {
  if (thread.proposals.length === 0 && thread.requoted.length === 0) return input;
  const inSpan = (n: number, spans: { startLine: number; endLine: number }[]): boolean => spans.some((p) => n >= p.startLine && n <= p.endLine);
  const raw = splitSourceLines(typeof input === 'string' ? input : input.toString('utf8'));
  const out: string[] = [];
  for (const l of raw) {
    if (!inSpan(l.line, thread.proposals) && !inSpan(l.line, thread.requoted)) out.push(l.text);
    for (const r of thread.requoted.filter((q) => q.after === l.line)) {
      for (let n = r.startLine; n <= r.endLine; n++) out.push(raw[n - 1]!.text);
    }
  }
  return out.join('\n') + '\n';
}

/** Mines the thread, reviews the patch it quotes with the given review, and matches the two. */
export async function mine(input: string | Buffer, review: ReviewFn, options: ReviewOptions = {}): Promise<MineResult> {
  const thread: MinedThread = await mineThread(input);
  const result = await review(reviewedText(input, thread), { ...options, showRefuted: true });
  const comments = thread.comments.map((c): MinedComment => {
    if (c.notActionable) return { ...c, outcome: 'not-actionable', findings: [] };
    if (c.place && !/\.[ch]$/.test(c.place.file)) return { ...c, outcome: 'out-of-scope', findings: [] };
    if (c.place && !c.place.function) {
      const fn = result.findings.find((f) => at(c, f) && f.line <= c.place!.line)?.function;
      if (fn) c.place.function = fn;
    }
    const found = inFunction(c, result.findings.filter((f) => at(c, f)));
    if (found.length > 0) return { ...c, outcome: 'reproduced', findings: found.map(brief) };
    const placed = (result.refuted ?? []).filter((f) => at(c, f));
    const refuted = inFunction(c, placed.length > 0 ? placed : (result.refuted ?? []).filter((f) => refutedRewrite(c, f)));
    if (refuted.length > 0) return { ...c, outcome: 'reproduced-differently', findings: refuted.map(brief) };
    return { ...c, outcome: 'not-reproduced', findings: [] };
  });
  const count = (o: Outcome): number => comments.filter((c) => c.outcome === o).length;
  return {
    ...(thread.subject ? { subject: thread.subject } : {}),
    comments,
    actionable: comments.length - count('not-actionable') - count('out-of-scope'),
    outOfScope: count('out-of-scope'),
    reproduced: count('reproduced'),
    reproducedDifferently: count('reproduced-differently'),
  };
}

const OUTCOME_TEXT: Record<Outcome, string> = {
  reproduced: 'reproduced',
  'reproduced-differently': 'reproduced differently: the simulator refutes the suggested rewrite',
  'not-reproduced': 'not reproduced',
  'not-actionable': 'not actionable',
  'out-of-scope': 'not counted: the review reads C files only',
};

const firstLine = (t: string, width = 72): string => {
  const one = t.split('\n')[0]!.trim();
  return one.length > width ? `${one.slice(0, width - 3)}...` : one;
};

/** The summary line every format ends with. */
export const summaryLine = (r: MineResult): string =>
  `${r.reproduced + r.reproducedDifferently} of ${r.actionable} actionable comments reproduced`;

export function mineText(r: MineResult): string {
  const out: string[] = [];
  if (r.subject) out.push(r.subject, '');
  for (const c of r.comments) {
    const where = c.place ? `${c.place.file}:${c.place.line}${c.place.function ? ` ${c.place.function}()` : ''}` : 'the whole patch';
    out.push(`#${c.index} ${where}${c.author ? ` (${c.author})` : ''}`);
    out.push(`  "${firstLine(c.text)}"`);
    if (c.notActionable) out.push(`  not actionable: ${c.notActionable.reason}`);
    else {
      out.push(`  ${OUTCOME_TEXT[c.outcome]}`);
      for (const f of c.findings) out.push(`    ${f.ruleId} (${f.verdict}) line ${f.line}: ${firstLine(f.message, 90)}`);
    }
    out.push('');
  }
  const left = r.comments.length - r.actionable - r.outOfScope;
  out.push(
    `${r.comments.length} comments: ${r.actionable} actionable on C files (${r.reproduced} reproduced, ${r.reproducedDifferently} reproduced differently, ` +
      `${r.actionable - r.reproduced - r.reproducedDifferently} not reproduced), ${r.outOfScope} on other files, ${left} not actionable`,
  );
  out.push(summaryLine(r));
  return `${out.join('\n')}\n`;
}

export function mineJson(r: MineResult): string {
  return `${JSON.stringify({ ...r, summary: summaryLine(r) }, null, 2)}\n`;
}
