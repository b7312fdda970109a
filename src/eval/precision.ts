// The precision run: review the N most recent non-merge commits of a project touching C, one
// format-patch each, and report every finding (to be read) and how many touched functions were
// actually reviewed. A tool that is mostly silent on merged code is only trustworthy if it also
// says what it could not read.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Finding, Review, Verdict } from '../review/types.ts';
import { VERSION } from '../version.ts';
import { commitInfo, extractParentTree, fileAt, formatPatch, recentCommits, resolveRev } from '../git/index.ts';
import { mapLimit, type EvalReviewOptions, type Reviewer } from './reviewer.ts';
import { notReviewedOf, reasonLine, type NotReviewed } from './coverage.ts';

export interface GitSource {
  name: string;
  /** A git directory (bare mirror or work tree). */
  gitDir: string;
  /** Pathspecs selecting the commits (git's syntax: `xen/*.c` matches at any depth). */
  paths: string[];
  /** Saved knowledge base for this project (passed to review() as `kb`). */
  kb?: string;
}

export type EvalMode = 'fragment' | 'tree';

export interface PrecisionOptions {
  /** Commits per source, newest first. */
  recent: number;
  /** Start of history (default HEAD). */
  rev?: string;
  mode: EvalMode;
  reviewer: Reviewer;
  /** Lines of code shown on each side of a flagged line. */
  contextLines?: number;
  /** Where tree mode extracts parents (default: a temporary directory, removed afterwards). */
  cacheDir?: string;
  /** Outer wall-clock guard per review, passed to review() as `timeLimitMs`. */
  timeLimitMs?: number;
  onProgress?: (done: number, total: number, source: string) => void;
}

export interface CodeLine {
  line: number;
  text: string;
}

export interface PrecisionFinding {
  source: string;
  commit: string;
  subject: string;
  file: string;
  line: number;
  function: string;
  ruleId: string;
  family: string;
  severity: string;
  verdict: Verdict;
  message: string;
  snippet: string;
  fingerprint: string;
  /** The flagged line and its neighbours in the commit's version of the file. */
  context: CodeLine[];
}

export interface CommitResult {
  source: string;
  commit: string;
  subject: string;
  date: string;
  functions: number;
  notReviewed: NotReviewed[];
  /** C files skipped as imported upstream code (policy, src/review/imported.ts): not in `notReviewed`. */
  imported?: NotReviewed[];
  findings: number;
  /** Review time; `extractMs` is the time spent extracting the parent's tree before it (tree mode). */
  ms: number;
  extractMs?: number;
  /** The review failed (message), or tree mode could not be prepared. */
  error?: string;
}

export interface SourceSummary {
  name: string;
  gitDir: string;
  head: string;
  paths: string[];
  commits: number;
  commitsWithFindings: number;
  findings: number;
  verified: number;
  inconclusive: number;
  functions: number;
  /** Touched functions the review could not read (parse errors, limits); imported files are not among them. */
  functionsNotReviewed: number;
  /** Reviewed / touched functions, 1 when nothing was touched. */
  coverage: number;
  /** C files skipped as imported upstream code (a policy, not a failure to read them) and the commits they are in. */
  filesImported: number;
  commitsImported: number;
  errors: number;
  ms: { total: number; median: number; max: number };
  extractMs?: { total: number; median: number; max: number };
}

export interface ReasonCount {
  reason: string;
  count: number;
  examples: string[];
}

export interface PrecisionReport {
  kind: 'precision';
  generatedAt: string;
  tool: { version: string };
  mode: EvalMode;
  /** A knowledge base was given for at least one source. */
  kb: boolean;
  reviewer: string;
  sources: SourceSummary[];
  findings: PrecisionFinding[];
  commits: CommitResult[];
  notReviewedReasons: ReasonCount[];
  /** Files skipped as imported upstream code, by reason (the declared import or the config's imported.paths). */
  importedReasons: ReasonCount[];
}

export async function runPrecision(sources: GitSource[], options: PrecisionOptions): Promise<PrecisionReport> {
  const plan = sources.map((source) => ({
    source,
    head: resolveRev(source.gitDir, options.rev ?? 'HEAD'),
    commits: recentCommits(source.gitDir, { count: options.recent, paths: source.paths, rev: options.rev }),
  }));
  const jobs = plan.flatMap((p) => p.commits.map((commit) => ({ source: p.source, commit })));
  const ownCache = options.mode === 'tree' && !options.cacheDir ? mkdtempSync(join(tmpdir(), 'patch-review-eval-')) : undefined;
  const cacheDir = options.cacheDir ?? ownCache;
  let done = 0;
  try {
    const results = await mapLimit(jobs, options.reviewer.concurrency, async ({ source, commit }) => {
      const result = await reviewCommit(source, commit, options, cacheDir);
      options.onProgress?.(++done, jobs.length, source.name);
      return result;
    });
    const findings = results.flatMap((r) => r.findings);
    const commits = results.map((r) => r.commit);
    return {
      kind: 'precision',
      generatedAt: new Date().toISOString(),
      tool: { version: VERSION },
      mode: options.mode,
      kb: sources.some((s) => s.kb !== undefined),
      reviewer: options.reviewer.kind,
      sources: plan.map((p) => summarise(p.source, p.head, commits.filter((c) => c.source === p.source.name), findings)),
      findings,
      commits,
      notReviewedReasons: countReasons(commits.flatMap((c) => c.notReviewed)),
      importedReasons: countReasons(commits.flatMap((c) => c.imported ?? [])),
    };
  } finally {
    if (ownCache) rmSync(ownCache, { recursive: true, force: true });
  }
}

async function reviewCommit(
  source: GitSource,
  commit: string,
  options: PrecisionOptions,
  cacheDir: string | undefined,
): Promise<{ commit: CommitResult; findings: PrecisionFinding[] }> {
  const info = commitInfo(source.gitDir, commit);
  const base: CommitResult = { source: source.name, commit, subject: info.subject, date: info.date, functions: 0, notReviewed: [], findings: 0, ms: 0 };
  const reviewOptions: EvalReviewOptions = { inputName: `${source.name}-${commit}.patch` };
  if (source.kb) reviewOptions.kb = source.kb;
  if (options.timeLimitMs) reviewOptions.timeLimitMs = options.timeLimitMs;
  let treeDir: string | undefined;
  let result: Review;
  let t0 = performance.now();
  try {
    if (options.mode === 'tree' && cacheDir) {
      treeDir = join(cacheDir, source.name, commit);
      if (extractParentTree(source.gitDir, commit, treeDir)) reviewOptions.tree = treeDir;
      base.extractMs = Math.round(performance.now() - t0);
    }
    const patch = formatPatch(source.gitDir, commit);
    t0 = performance.now();
    result = await options.reviewer.review(patch, reviewOptions);
  } catch (error) {
    return { commit: { ...base, ms: Math.round(performance.now() - t0), error: (error as Error).message }, findings: [] };
  } finally {
    // Without an explicit cache, a parent's extract is used once.
    if (treeDir && !options.cacheDir) rmSync(treeDir, { recursive: true, force: true });
  }
  const ms = Math.round(performance.now() - t0);
  const coverage = notReviewedOf(result);
  const notReviewed = withCode(source.gitDir, commit, coverage.notReviewed);
  const findings = result.findings.map((f) => toPrecisionFinding(source, info.subject, commit, f, options.contextLines ?? 3));
  return {
    commit: {
      ...base,
      functions: coverage.functions,
      notReviewed,
      ...(coverage.imported.length > 0 ? { imported: coverage.imported } : {}),
      findings: findings.length,
      ms,
    },
    findings,
  };
}

/** Adds the code at the line a parse-error reason names, read from the commit, when the reason does not quote it. */
function withCode(gitDir: string, commit: string, items: NotReviewed[]): NotReviewed[] {
  const files = new Map<string, string[] | undefined>();
  return items.map((item) => {
    // Only a reason about one line ("parse error at line 12") is told apart by that line's code.
    const line = /\bat line\b/.test(item.reason) ? (item.line ?? reasonLine(item.reason)) : undefined;
    if (line === undefined || /\bnear "/.test(item.reason) || !item.file) return item;
    if (!files.has(item.file)) files.set(item.file, fileAt(gitDir, commit, item.file)?.split('\n'));
    const code = files.get(item.file)?.[line - 1]?.trim();
    return code ? { ...item, code } : item;
  });
}

function toPrecisionFinding(source: GitSource, subject: string, commit: string, f: Finding, around: number): PrecisionFinding {
  const fileText = fileAt(source.gitDir, commit, f.file);
  const lines = fileText?.split('\n') ?? [];
  const context: CodeLine[] = [];
  for (let n = Math.max(1, f.line - around); n <= Math.min(lines.length, f.line + around); n++) context.push({ line: n, text: lines[n - 1]! });
  return {
    source: source.name,
    commit,
    subject,
    file: f.file,
    line: f.line,
    function: f.function,
    ruleId: f.ruleId,
    family: f.family,
    severity: f.severity,
    verdict: f.verdict,
    message: f.message,
    snippet: f.snippet,
    fingerprint: f.fingerprint,
    context,
  };
}

function summarise(source: GitSource, head: string, commits: CommitResult[], all: PrecisionFinding[]): SourceSummary {
  const findings = all.filter((f) => f.source === source.name);
  const functions = commits.reduce((n, c) => n + c.functions, 0);
  const notReviewed = commits.reduce((n, c) => n + c.notReviewed.length, 0);
  const extracts = commits.flatMap((c) => (c.extractMs !== undefined ? [c.extractMs] : []));
  return {
    name: source.name,
    gitDir: source.gitDir,
    head,
    paths: source.paths,
    commits: commits.length,
    commitsWithFindings: commits.filter((c) => c.findings > 0).length,
    findings: findings.length,
    verified: findings.filter((f) => f.verdict === 'verified').length,
    inconclusive: findings.filter((f) => f.verdict === 'inconclusive').length,
    functions,
    functionsNotReviewed: notReviewed,
    coverage: functions === 0 ? 1 : (functions - notReviewed) / functions,
    filesImported: commits.reduce((n, c) => n + (c.imported?.length ?? 0), 0),
    commitsImported: commits.filter((c) => (c.imported?.length ?? 0) > 0).length,
    errors: commits.filter((c) => c.error).length,
    ms: timeSummary(commits.map((c) => c.ms)),
    ...(extracts.length > 0 ? { extractMs: timeSummary(extracts) } : {}),
  };
}

export function timeSummary(values: number[]): { total: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { total: sorted.reduce((a, b) => a + b, 0), median: sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0, max: sorted.at(-1) ?? 0 };
}

/** Not-reviewed functions grouped by reason (line numbers and quoted code folded away), most frequent first. */
export function countReasons(items: NotReviewed[], examplesPerReason = 3): ReasonCount[] {
  const groups = new Map<string, ReasonCount>();
  for (const item of items) {
    const key = reasonClass(item.code !== undefined ? `${item.reason} near "${item.code}"` : item.reason);
    const group = groups.get(key) ?? { reason: key, count: 0, examples: [] };
    group.count++;
    const code = item.code !== undefined ? ` (line: ${item.code.slice(0, 60)})` : '';
    if (group.examples.length < examplesPerReason) group.examples.push(`${item.file} ${item.function}(): ${item.reason}${code}`);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

/** The class of a reason: numbers and the rest of the quoted code do not distinguish one. */
export function reasonClass(reason: string): string {
  // Keep the first token of the code a parser stopped at ("case", "#if", "{"): it names the construct.
  const near = /near "\s*([A-Za-z_#]\w*|\S)[^"]*"?/.exec(reason);
  const head = (near ? reason.slice(0, near.index) + reason.slice(near.index + near[0].length) : reason)
    .replace(/\bline (\d+|\?)/g, 'line N')
    .replace(/\d+/g, 'N')
    .trim();
  return near ? `${head} near "${near[1]}…"` : head;
}
