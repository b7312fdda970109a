// A labelled corpus (docs/eval.md: the schema) and its scoring. The rules are those of the dev
// corpus's own scorer, so numbers from `patch-review eval` and from corpus-run.sh agree:
// a positive is found by a finding in the same file (path suffix), of a family of its rule, and in
// the same function within 40 lines or within 10 lines anywhere; clean commits should be silent;
// the fix of a positive should not be flagged again in the same function and family.
import { readFileSync } from 'node:fs';

export const RULE_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  R1: ['unchecked-error', 'success-path-change'],
  R2: ['disabled-not-error'],
  R3: ['duplicated-cleanup'],
  R4: ['redundant-temporary'],
};
export const LINE_SLACK = 10;
export const FUNCTION_SLACK = 40;

export interface CorpusPositive {
  source: string;
  commit: string;
  fix?: string;
  file: string;
  function: string;
  line: number;
  rule: string;
  why?: string;
  confidence?: string;
}

export interface CorpusClean {
  source: string;
  commit: string;
}

export interface Corpus {
  sources: { name: string; repo?: string }[];
  positives: CorpusPositive[];
  clean: CorpusClean[];
}

export class CorpusError extends Error {}

/** Reads and checks a corpus file; every problem names the entry it is in. */
export function loadCorpus(path: string): Corpus {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CorpusError(`cannot read corpus ${path}: ${(error as Error).message}`);
  }
  return parseCorpus(doc, path);
}

export function parseCorpus(doc: unknown, name = 'corpus'): Corpus {
  const fail = (what: string): never => {
    throw new CorpusError(`${name}: ${what}`);
  };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail('expected a JSON object');
  const d = doc as Record<string, unknown>;
  if (!Array.isArray(d.positives) || !Array.isArray(d.clean)) fail('expected "positives" and "clean" arrays');
  const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  const commitish = (v: unknown): v is string => str(v) && /^[0-9a-f]{7,40}$/i.test(v);
  const positives = (d.positives as unknown[]).map((p, i) => {
    const e = (p ?? {}) as Record<string, unknown>;
    const at = `positives[${i}]`;
    if (!str(e.source)) fail(`${at}: "source" must be a non-empty string`);
    if (!commitish(e.commit)) fail(`${at}: "commit" must be a commit hash`);
    if (e.fix !== undefined && !commitish(e.fix)) fail(`${at}: "fix" must be a commit hash`);
    if (!str(e.file)) fail(`${at}: "file" must be a non-empty string`);
    if (typeof e.function !== 'string') fail(`${at}: "function" must be a string`);
    if (!Number.isInteger(e.line) || (e.line as number) < 1) fail(`${at}: "line" must be a positive integer`);
    if (!str(e.rule)) fail(`${at}: "rule" must be a non-empty string`);
    if (!Object.hasOwn(RULE_FAMILIES, e.rule as string)) fail(`${at}: unknown rule "${String(e.rule)}" (expected ${Object.keys(RULE_FAMILIES).join(', ')})`);
    return e as unknown as CorpusPositive;
  });
  const clean = (d.clean as unknown[]).map((c, i) => {
    const e = (c ?? {}) as Record<string, unknown>;
    if (!str(e.source)) fail(`clean[${i}]: "source" must be a non-empty string`);
    if (!commitish(e.commit)) fail(`clean[${i}]: "commit" must be a commit hash`);
    return e as unknown as CorpusClean;
  });
  const sources = Array.isArray(d.sources) ? (d.sources as Corpus['sources']) : [];
  return { sources, positives, clean };
}

export type PatchRole = 'positive' | 'fix' | 'clean';

export interface CorpusPatch {
  source: string;
  commit: string;
  roles: PatchRole[];
}

/** Every patch the corpus names, once each, in corpus order. */
export function corpusPatches(corpus: Corpus): CorpusPatch[] {
  const byKey = new Map<string, CorpusPatch>();
  const add = (source: string, commit: string, role: PatchRole): void => {
    const key = patchKey(source, commit);
    const entry = byKey.get(key) ?? { source, commit, roles: [] };
    if (!entry.roles.includes(role)) entry.roles.push(role);
    byKey.set(key, entry);
  };
  for (const p of corpus.positives) add(p.source, p.commit, 'positive');
  for (const p of corpus.positives) if (p.fix) add(p.source, p.fix, 'fix');
  for (const c of corpus.clean) add(c.source, c.commit, 'clean');
  return [...byKey.values()];
}

export const patchKey = (source: string, commit: string): string => `${source}-${commit}`;

/** What scoring needs of a finding (a `check --format json` finding has all of it). */
export interface ScoredFinding {
  file: string;
  line?: number;
  function?: string;
  family: string;
  ruleId?: string;
  verdict?: string;
  message?: string;
}

/** One patch's outcome: its findings, or why there are none to read (the scorer counts it as silent). */
export type PatchOutcome = { findings: ScoredFinding[] } | { error: string };

export interface PositiveResult {
  positive: CorpusPositive;
  found: boolean;
  hit?: ScoredFinding;
  /** The patch had no readable output (missing, crashed, timed out). */
  unreadable?: string;
}

export interface CleanFinding {
  source: string;
  commit: string;
  finding: ScoredFinding;
}

export interface FixFlagged {
  positive: CorpusPositive;
  finding: ScoredFinding;
}

export interface RuleRecall {
  rule: string;
  families: readonly string[];
  found: number;
  total: number;
}

export interface CorpusScore {
  positives: PositiveResult[];
  recall: { found: number; total: number };
  byRule: RuleRecall[];
  bySource: { source: string; found: number; total: number }[];
  clean: { total: number; withFindings: number; findings: number; perCommit: number; unreadable: { source: string; commit: string; why: string }[] };
  cleanFindings: CleanFinding[];
  fixes: { run: number; flagged: number };
  fixesFlagged: FixFlagged[];
  /** Patches (positives, fixes, clean) without readable output. */
  unreadable: { key: string; why: string }[];
  /** The scorer's summary line, word for word. */
  summary: string;
}

const stripPrefix = (p: string | undefined): string => String(p ?? '').replace(/^[ab]\//, '');

export function samePath(a: string | undefined, b: string | undefined): boolean {
  const x = stripPrefix(a);
  const y = stripPrefix(b);
  return x.length > 0 && y.length > 0 && (x === y || x.endsWith('/' + y) || y.endsWith('/' + x));
}

export function matchesPositive(f: ScoredFinding, pos: CorpusPositive): boolean {
  const line = f.line;
  const hasLine = typeof line === 'number' && Number.isFinite(line);
  return (
    samePath(f.file, pos.file) &&
    (RULE_FAMILIES[pos.rule] ?? []).includes(f.family) &&
    ((f.function === pos.function && (!hasLine || Math.abs(line - pos.line) <= FUNCTION_SLACK)) || (hasLine && Math.abs(line - pos.line) <= LINE_SLACK))
  );
}

/**
 * Scores outcomes keyed by `patchKey(source, commit)`. A patch absent from `outcomes` was not run:
 * for a positive or clean commit that is unreadable (counted as silent); a fix not run is not counted.
 */
export function scoreCorpus(corpus: Corpus, outcomes: ReadonlyMap<string, PatchOutcome>): CorpusScore {
  const unreadable = new Map<string, string>();
  const findingsOf = (source: string, commit: string): ScoredFinding[] => {
    const key = patchKey(source, commit);
    const outcome = outcomes.get(key);
    if (!outcome) {
      unreadable.set(key, 'not run');
      return [];
    }
    if ('error' in outcome) {
      unreadable.set(key, outcome.error);
      return [];
    }
    return outcome.findings;
  };

  const rules = Object.keys(RULE_FAMILIES);
  const byRule = new Map<string, RuleRecall>(rules.map((r) => [r, { rule: r, families: RULE_FAMILIES[r]!, found: 0, total: 0 }]));
  const bySource = new Map<string, { source: string; found: number; total: number }>();
  const positives: PositiveResult[] = [];
  for (const pos of corpus.positives) {
    const hit = findingsOf(pos.source, pos.commit).find((f) => matchesPositive(f, pos));
    const bucket = byRule.get(pos.rule)!;
    const src = bySource.get(pos.source) ?? { source: pos.source, found: 0, total: 0 };
    bySource.set(pos.source, src);
    bucket.total++;
    src.total++;
    if (hit) {
      bucket.found++;
      src.found++;
    }
    const why = unreadable.get(patchKey(pos.source, pos.commit));
    positives.push({ positive: pos, found: Boolean(hit), ...(hit ? { hit } : {}), ...(why ? { unreadable: why } : {}) });
  }

  const cleanFindings: CleanFinding[] = [];
  const cleanUnreadable: CorpusScore['clean']['unreadable'] = [];
  let withFindings = 0;
  for (const c of corpus.clean) {
    const list = findingsOf(c.source, c.commit);
    const why = unreadable.get(patchKey(c.source, c.commit));
    if (why) cleanUnreadable.push({ source: c.source, commit: c.commit, why });
    if (list.length > 0) withFindings++;
    for (const finding of list) cleanFindings.push({ source: c.source, commit: c.commit, finding });
  }

  const fixesFlagged: FixFlagged[] = [];
  let fixesRun = 0;
  for (const pos of corpus.positives) {
    if (!pos.fix || !outcomes.has(patchKey(pos.source, pos.fix))) continue;
    fixesRun++;
    const again = findingsOf(pos.source, pos.fix).find(
      (f) => samePath(f.file, pos.file) && (RULE_FAMILIES[pos.rule] ?? []).includes(f.family) && f.function === pos.function,
    );
    if (again) fixesFlagged.push({ positive: pos, finding: again });
  }

  const found = positives.filter((p) => p.found).length;
  const perCommit = corpus.clean.length ? cleanFindings.length / corpus.clean.length : 0;
  const ruleList = [...byRule.values()];
  const summary =
    `dev corpus: recall ${found}/${corpus.positives.length} (${ruleList.map((r) => `${r.rule} ${r.found}/${r.total}`).join(' ')}); ` +
    `clean commits with findings ${withFindings}/${corpus.clean.length}, ${perCommit.toFixed(2)} findings per clean commit; ` +
    `fixes still flagged ${fixesFlagged.length}/${fixesRun}`;
  return {
    positives,
    recall: { found, total: corpus.positives.length },
    byRule: ruleList,
    bySource: [...bySource.values()],
    clean: { total: corpus.clean.length, withFindings, findings: cleanFindings.length, perCommit, unreadable: cleanUnreadable },
    cleanFindings,
    fixes: { run: fixesRun, flagged: fixesFlagged.length },
    fixesFlagged,
    unreadable: [...unreadable].map(([key, why]) => ({ key, why })),
    summary,
  };
}
