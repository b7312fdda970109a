// Runs review() over every patch a corpus names and scores the result (corpus.ts). Patches come
// from a directory (`<source>-<commit>.patch`) or are extracted from a git directory per source;
// tree mode reviews each commit against its parent, extracted from the same git directory.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { VERSION } from '../version.ts';
import { corpusPatches, patchKey, scoreCorpus, type Corpus, type CorpusScore, type PatchOutcome, type ScoredFinding } from './corpus.ts';
import { notReviewedOf, type NotReviewed } from './coverage.ts';
import { extractParentTree, formatPatch } from '../git/index.ts';
import type { EvalMode } from './precision.ts';
import { countReasons, timeSummary, type ReasonCount } from './precision.ts';
import { mapLimit, type EvalReviewOptions, type Reviewer } from './reviewer.ts';
import { codeKey, patchCodeAround, type PatchCodeLine } from './patch-code.ts';

export interface CorpusRunOptions {
  /** Directory of `<source>-<commit>.patch` files. */
  patchesDir?: string;
  /** Git directory per source name: patches not in `patchesDir` are extracted from it; tree mode reads parents from it. */
  gits?: ReadonlyMap<string, string>;
  mode: EvalMode;
  /** Knowledge base per source name, or for every source under the key '*'. */
  kbs?: ReadonlyMap<string, string>;
  reviewer: Reviewer;
  timeLimitMs?: number;
  /** Keep parents' extracts here (reused across runs); default a temporary directory. */
  cacheDir?: string;
  /**
   * Also write each patch's review as `<source>-<commit>.json` here, in the shape of `check --format json`
   * (an empty file for a failed review, nothing for a patch not found), so the corpus's own scorer can
   * score the same run.
   */
  outputsDir?: string;
  onProgress?: (done: number, total: number) => void;
  /**
   * Keep the code each patch shows within this many lines of every missed positive, every finding on a
   * clean commit and every flagged fix (CorpusReport.code), for the reports to print under them.
   */
  codeLines?: number;
}

export interface PatchRun {
  key: string;
  source: string;
  commit: string;
  roles: string[];
  /** Where the patch text came from. */
  from: 'patches' | 'git' | 'none';
  /** Reviewed against a tree (tree mode with the parent available). */
  tree: boolean;
  functions: number;
  notReviewed: NotReviewed[];
  /** C files skipped as imported upstream code (policy): not in `notReviewed`. */
  imported?: NotReviewed[];
  findings: number;
  /** Review time; `extractMs` is the time spent extracting the parent's tree before it (tree mode). */
  ms: number;
  extractMs?: number;
  error?: string;
}

export interface CorpusReport {
  kind: 'corpus';
  generatedAt: string;
  tool: { version: string };
  mode: EvalMode;
  kb: boolean;
  reviewer: string;
  score: CorpusScore;
  patches: PatchRun[];
  /** Every finding per patch key (any family), for reading the misses. */
  findingsByPatch: Record<string, ScoredFinding[]>;
  /** `filesImported`: C files skipped as imported upstream code (a policy, not counted in `notReviewed`). */
  coverage: { functions: number; notReviewed: number; reasons: ReasonCount[]; filesImported: number };
  ms: { total: number; median: number; max: number };
  /** Tree mode: time spent extracting parents' trees. */
  extractMs?: { total: number; median: number; max: number };
  /**
   * With CorpusRunOptions.codeLines: the patch's post-image code around each missed positive, clean-commit
   * finding and flagged fix, keyed by codeKey(patch key, file, line).
   */
  code?: Record<string, PatchCodeLine[]>;
}

export class CorpusRunError extends Error {}

export async function runCorpus(corpus: Corpus, options: CorpusRunOptions): Promise<CorpusReport> {
  const gits = options.gits ?? new Map<string, string>();
  if (!options.patchesDir && gits.size === 0) throw new CorpusRunError('no patches: give --patches DIR or --git NAME=DIR');
  if (options.patchesDir && !existsSync(options.patchesDir)) throw new CorpusRunError(`${options.patchesDir}: no such directory`);
  if (options.mode === 'tree') {
    const missing = [...new Set(corpusPatches(corpus).map((p) => p.source))].filter((s) => !gits.has(s));
    if (missing.length > 0) throw new CorpusRunError(`tree mode needs --git for every source; missing: ${missing.join(', ')}`);
  }
  if (options.outputsDir) mkdirSync(options.outputsDir, { recursive: true });
  const ownCache = options.mode === 'tree' && !options.cacheDir ? mkdtempSync(join(tmpdir(), 'patch-review-eval-')) : undefined;
  const cacheDir = options.cacheDir ?? ownCache;
  const patches = corpusPatches(corpus);
  const outcomes = new Map<string, PatchOutcome>();
  const texts = options.codeLines !== undefined ? new Map<string, string>() : undefined;
  let done = 0;
  try {
    const runs = await mapLimit(patches, options.reviewer.concurrency, async (p) => {
      const run = await reviewOne(p.source, p.commit, p.roles, options, gits, cacheDir, outcomes, texts);
      options.onProgress?.(++done, patches.length);
      return run;
    });
    const times = runs.filter((r) => r.from !== 'none').map((r) => r.ms);
    const extracts = runs.flatMap((r) => (r.extractMs !== undefined ? [r.extractMs] : []));
    const notReviewed = runs.flatMap((r) => r.notReviewed);
    const score = scoreCorpus(corpus, outcomes);
    return {
      kind: 'corpus',
      generatedAt: new Date().toISOString(),
      tool: { version: VERSION },
      mode: options.mode,
      kb: (options.kbs?.size ?? 0) > 0,
      reviewer: options.reviewer.kind,
      score,
      patches: runs,
      findingsByPatch: Object.fromEntries([...outcomes].flatMap(([key, o]) => ('findings' in o ? [[key, o.findings]] : []))),
      coverage: {
        functions: runs.reduce((n, r) => n + r.functions, 0),
        notReviewed: notReviewed.length,
        reasons: countReasons(notReviewed),
        filesImported: runs.reduce((n, r) => n + (r.imported?.length ?? 0), 0),
      },
      ms: timeSummary(times),
      ...(extracts.length > 0 ? { extractMs: timeSummary(extracts) } : {}),
      ...(texts ? { code: codeAroundScore(score, texts, options.codeLines!) } : {}),
    };
  } finally {
    if (ownCache) rmSync(ownCache, { recursive: true, force: true });
  }
}

/** The code around what a reader of the run must look at: misses, clean-commit findings, flagged fixes. */
function codeAroundScore(score: CorpusScore, texts: ReadonlyMap<string, string>, around: number): Record<string, PatchCodeLine[]> {
  const code: Record<string, PatchCodeLine[]> = {};
  const add = (key: string, file: string | undefined, line: number | undefined): void => {
    const text = texts.get(key);
    if (text === undefined || !file || line === undefined || !Number.isFinite(line)) return;
    const lines = patchCodeAround(text, file, line, around);
    if (lines.length > 0) code[codeKey(key, file, line)] = lines;
  };
  for (const p of score.positives) if (!p.found) add(patchKey(p.positive.source, p.positive.commit), p.positive.file, p.positive.line);
  for (const c of score.cleanFindings) add(patchKey(c.source, c.commit), c.finding.file, c.finding.line);
  for (const f of score.fixesFlagged) if (f.positive.fix) add(patchKey(f.positive.source, f.positive.fix), f.finding.file, f.finding.line);
  return code;
}

async function reviewOne(
  source: string,
  commit: string,
  roles: string[],
  options: CorpusRunOptions,
  gits: ReadonlyMap<string, string>,
  cacheDir: string | undefined,
  outcomes: Map<string, PatchOutcome>,
  texts?: Map<string, string>,
): Promise<PatchRun> {
  const key = patchKey(source, commit);
  const run: PatchRun = { key, source, commit, roles, from: 'none', tree: false, functions: 0, notReviewed: [], findings: 0, ms: 0 };
  const gitDir = gits.get(source);
  let text: string | undefined;
  const file = options.patchesDir ? join(options.patchesDir, `${key}.patch`) : undefined;
  try {
    if (file && existsSync(file)) {
      text = readFileSync(file, 'utf8');
      run.from = 'patches';
    } else if (gitDir) {
      text = formatPatch(gitDir, commit);
      run.from = 'git';
    }
  } catch (error) {
    run.error = `cannot get the patch: ${(error as Error).message}`;
  }
  if (text === undefined) {
    // A fix without its patch is simply not counted (as in the shared scorer); others score as silent.
    if (!roles.every((r) => r === 'fix')) outcomes.set(key, { error: run.error ?? 'patch not found' });
    run.error ??= 'patch not found';
    return run;
  }
  texts?.set(key, text);
  const reviewOptions: EvalReviewOptions = { inputName: `${key}.patch` };
  const kb = options.kbs?.get(source) ?? options.kbs?.get('*');
  if (kb) reviewOptions.kb = kb;
  if (options.timeLimitMs) reviewOptions.timeLimitMs = options.timeLimitMs;
  const treeDir = options.mode === 'tree' && cacheDir && gitDir ? join(cacheDir, source, commit) : undefined;
  const t0 = performance.now();
  try {
    if (treeDir && extractParentTree(gitDir!, commit, treeDir)) {
      reviewOptions.tree = treeDir;
      run.tree = true;
    }
    const t1 = performance.now();
    if (treeDir) run.extractMs = Math.round(t1 - t0);
    const review = await options.reviewer.review(text, reviewOptions);
    run.ms = Math.round(performance.now() - t1);
    if (options.outputsDir) writeFileSync(join(options.outputsDir, `${key}.json`), `${JSON.stringify(review)}\n`);
    const coverage = notReviewedOf(review);
    run.functions = coverage.functions;
    run.notReviewed = coverage.notReviewed;
    if (coverage.imported.length > 0) run.imported = coverage.imported;
    run.findings = review.findings.length;
    const findings: ScoredFinding[] = review.findings.map((f) => ({
      file: f.file,
      line: f.line,
      function: f.function,
      family: f.family,
      ruleId: f.ruleId,
      verdict: f.verdict,
      message: f.message,
    }));
    outcomes.set(key, { findings });
  } catch (error) {
    run.ms = Math.round(performance.now() - t0);
    run.error = (error as Error).message;
    outcomes.set(key, { error: run.error });
    if (options.outputsDir) writeFileSync(join(options.outputsDir, `${key}.json`), '');
  } finally {
    if (treeDir && !options.cacheDir) rmSync(treeDir, { recursive: true, force: true });
  }
  return run;
}
