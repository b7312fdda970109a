import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { extractParentTree, fileAt, formatPatch, recentCommits } from '../../src/git/index.ts';
import { countReasons, reasonClass, runPrecision, type PrecisionReport } from '../../src/eval/precision.ts';
import { inProcessReviewer, type Reviewer } from '../../src/eval/reviewer.ts';
import { findingKey, formatPrecisionMarkdown, formatPrecisionText } from '../../src/eval/format-precision.ts';
import { notReviewedOf } from '../../src/eval/coverage.ts';
import type { Review } from '../../src/review/types.ts';

const STOP_BEFORE = `static void stop(void)
{
    if ( !dev_enabled )
        return;

    halt();
}
`;
const STOP_AFTER = `static int stop(void)
{
    if ( !dev_enabled )
        return -EINVAL;

    halt();
    return 0;
}
`;

let repo: string;
const commits: Record<string, string> = {};

function git(...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.org', GIT_CONFIG_GLOBAL: '/dev/null' },
  }).trim();
}

function commit(name: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  git('add', ...Object.keys(files));
  git('commit', '-q', '-m', name);
  commits[name] = git('rev-parse', 'HEAD');
}

// History (oldest first): base, stop (src/dev.c, the benign exit turned into an error), docs (no C),
// a side branch merged back (the merge is not a commit of its own), calc (lib/calc.c).
before(() => {
  repo = mkdtempSync(join(tmpdir(), 'eval-git-'));
  git('init', '-q', '-b', 'main');
  commit('base', { 'src/dev.c': STOP_BEFORE, 'include/dev.h': 'int halt(void);\n', 'lib/calc.c': 'int f(int x)\n{\n    return x;\n}\n', 'README': 'demo\n' });
  commit('stop', { 'src/dev.c': STOP_AFTER });
  commit('docs', { README: 'demo, documented\n' });
  git('checkout', '-q', '-b', 'side');
  commit('side', { 'lib/side.c': 'int g(void)\n{\n    return 1;\n}\n' });
  git('checkout', '-q', 'main');
  git('merge', '-q', '--no-ff', '-m', 'merge side', 'side');
  commit('calc', { 'lib/calc.c': 'int f(int x)\n{\n    x++;\n    return x;\n}\n' });
});

after(() => rmSync(repo, { recursive: true, force: true }));

describe('history for eval (src/git)', () => {
  it('lists the most recent non-merge commits touching the paths, newest first', () => {
    assert.deepEqual(recentCommits(repo, { count: 10, paths: ['*.c'] }), [commits.calc, commits.side, commits.stop, commits.base]);
    assert.deepEqual(recentCommits(repo, { count: 2, paths: ['*.c'] }), [commits.calc, commits.side]);
    assert.deepEqual(recentCommits(repo, { count: 10, paths: ['src/*.c'] }), [commits.stop, commits.base]);
  });

  it('gives each commit as format-patch mail and files as they were at a revision', () => {
    const mail = formatPatch(repo, commits.stop!);
    assert.match(mail, new RegExp(`^From ${commits.stop} `));
    assert.match(mail, /^Subject: \[PATCH\] stop$/m);
    assert.match(mail, /^\+ {8}return -EINVAL;$/m);
    assert.equal(fileAt(repo, commits.base!, 'src/dev.c'), STOP_BEFORE);
    assert.equal(fileAt(repo, commits.base!, 'no/such.c'), undefined);
  });

  it("extracts only what tree mode reads of the parent: the changed files and the headers, and reuses the extract", () => {
    const dest = join(mkdtempSync(join(tmpdir(), 'eval-extract-')), 'tree');
    try {
      assert.equal(extractParentTree(repo, commits.stop!, dest), commits.base);
      assert.equal(readFileSync(join(dest, 'src/dev.c'), 'utf8'), STOP_BEFORE);
      assert.equal(existsSync(join(dest, 'include/dev.h')), true);
      assert.equal(existsSync(join(dest, 'lib/calc.c')), false);
      assert.equal(existsSync(join(dest, 'README')), false);
      writeFileSync(join(dest, 'src/dev.c'), 'changed\n');
      extractParentTree(repo, commits.stop!, dest);
      assert.equal(readFileSync(join(dest, 'src/dev.c'), 'utf8'), 'changed\n', 'a completed extract is reused, not rewritten');
      assert.equal(extractParentTree(repo, commits.base!, join(dest, '..', 'root')), undefined, 'a root commit has no parent');
    } finally {
      rmSync(join(dest, '..'), { recursive: true, force: true });
    }
  });
});

describe('the precision run', () => {
  let report: PrecisionReport;
  before(async () => {
    report = await runPrecision([{ name: 'demo', gitDir: repo, paths: ['*.c'] }], { recent: 3, mode: 'fragment', reviewer: inProcessReviewer() });
  });

  it('reviews the N most recent commits and reports each with its touched and reviewed functions', () => {
    assert.equal(report.kind, 'precision');
    assert.deepEqual(report.commits.map((c) => c.subject), ['calc', 'side', 'stop']);
    const [source] = report.sources;
    assert.equal(source!.name, 'demo');
    assert.equal(source!.head, git('rev-parse', 'HEAD'));
    assert.equal(source!.commits, 3);
    assert.equal(source!.functions, 3);
    assert.equal(source!.functionsNotReviewed, 0);
    assert.equal(source!.coverage, 1);
    assert.equal(source!.errors, 0);
  });

  it('reports every finding with its commit, place, rule, verdict, message and the code around the flagged line', () => {
    assert.equal(report.findings.length, 1);
    const f = report.findings[0]!;
    assert.equal(f.commit, commits.stop);
    assert.equal(f.subject, 'stop');
    assert.equal(f.file, 'src/dev.c');
    assert.equal(f.line, 4);
    assert.equal(f.function, 'stop');
    assert.equal(f.verdict, 'verified');
    assert.match(f.ruleId, /^[a-z-]+\/[a-z-]+$/);
    assert.match(f.message, /dev_enabled/);
    assert.deepEqual(
      f.context.map((l) => l.line),
      [1, 2, 3, 4, 5, 6, 7],
    );
    assert.equal(f.context.find((l) => l.line === 4)!.text, '        return -EINVAL;');
    assert.equal(report.sources[0]!.commitsWithFindings, 1);
  });

  it('renders markdown with a reader judgement per finding, and text with one summary line per source', () => {
    const key = findingKey(report.findings[0]!);
    const md = formatPrecisionMarkdown(report, { judgements: { [key]: 'real: the disabled device is not an error.' } });
    assert.match(md, /Read: 1 of 1 findings judged, 1 judged real\./);
    assert.match(md, /Judgement: real: the disabled device is not an error\./);
    assert.match(md, /^ {3}> {4}4 {10}return -EINVAL;$/m);
    assert.match(formatPrecisionMarkdown(report), /Judgement: \(not yet read\)/);
    assert.match(formatPrecisionText(report), /^precision fragment: demo: 1 findings \(1 verified, 0 inconclusive\) in 1 of 3 commits; functions reviewed 3\/3 \(100\.0%\)/m);
  });

  it('runs in tree mode against each parent without a checkout', async () => {
    const tree = await runPrecision([{ name: 'demo', gitDir: repo, paths: ['src/*.c'] }], { recent: 1, mode: 'tree', reviewer: inProcessReviewer() });
    assert.equal(tree.mode, 'tree');
    assert.equal(tree.commits[0]!.error, undefined);
    assert.deepEqual(tree.findings.map((f) => [f.file, f.line, f.function]), [['src/dev.c', 4, 'stop']]);
  });
});

describe('parse coverage', () => {
  it('adds the code at the line a reason names when the reason does not quote it, and groups by it', async () => {
    const reviewer: Reviewer = {
      concurrency: 1,
      kind: 'canned',
      close: async () => {},
      review: async () =>
        ({
          findings: [],
          warnings: [],
          stats: { functions: 2 },
          notReviewed: [
            { file: 'src/dev.c', function: 'stop', reason: 'parse error at line 3' },
            { file: 'src/dev.c', function: 'other', reason: 'parse error at line 9 near "x +"' },
          ],
        }) as unknown as Review,
    };
    const r = await runPrecision([{ name: 'demo', gitDir: repo, paths: ['src/*.c'] }], { recent: 1, mode: 'fragment', reviewer });
    assert.deepEqual(r.commits[0]!.notReviewed.map((n) => n.code), ['if ( !dev_enabled )', undefined]);
    assert.equal(r.sources[0]!.coverage, 0);
    assert.deepEqual(r.notReviewedReasons.map((g) => g.reason).sort(), ['parse error at line N near "if…"', 'parse error at line N near "x…"']);
  });

  const review = (extra: Partial<Review> & Record<string, unknown>): Review =>
    ({ findings: [], warnings: [], stats: { functions: 4 }, ...extra }) as unknown as Review;

  it('reads the functions not reviewed from the engine, or else from its per-function warnings', () => {
    const listed = notReviewedOf(review({ notReviewed: [{ file: 'a.c', function: 'f', reason: 'unsupported construct' }] }));
    assert.deepEqual(listed, { functions: 4, notReviewed: [{ file: 'a.c', function: 'f', reason: 'unsupported construct' }], imported: [] });
    const warned = notReviewedOf(
      review({
        warnings: [
          { code: 'parse', file: 'a.c', message: 'f(): inconclusive: parse error at line 12 near "case 1 ... 3:"; no rule ran on it' },
          { code: 'not-c', file: 'x.txt', message: 'not C' },
        ],
      }),
    );
    assert.deepEqual(warned.notReviewed, [{ file: 'a.c', function: 'f', reason: 'parse error at line 12 near "case 1 ... 3:"' }]);
  });

  it('counts files skipped as imported upstream code on their own, never as functions not reviewed', async () => {
    const why = 'imported upstream code: the commit message declares an import ("Squashed commit upgrading to libzz-3.6.2")';
    // The engine marks them; a report of an older build only by the reason on a whole file ('*').
    const split = notReviewedOf(
      review({
        notReviewed: [
          { file: 'lib/zz/a.c', function: '*', reason: why, imported: true },
          { file: 'lib/zz/b.c', function: '*', reason: why },
          { file: 'core/c.c', function: 'g', reason: 'parse error at line 3' },
        ],
      }),
    );
    assert.deepEqual(split.notReviewed, [{ file: 'core/c.c', function: 'g', reason: 'parse error at line 3' }]);
    assert.deepEqual(split.imported.map((n) => [n.file, 'imported' in n]), [['lib/zz/a.c', false], ['lib/zz/b.c', false]]);
    const reviewer: Reviewer = {
      kind: 'stub',
      concurrency: 1,
      close: async () => {},
      review: async () =>
        ({
          findings: [],
          warnings: [],
          stats: { functions: 2 },
          notReviewed: [
            { file: 'lib/zz/a.c', function: '*', reason: why, imported: true },
            { file: 'lib/zz/b.c', function: '*', reason: why, imported: true },
          ],
        }) as unknown as Review,
    };
    const r = await runPrecision([{ name: 'demo', gitDir: repo, paths: ['src/*.c'] }], { recent: 1, mode: 'fragment', reviewer });
    const s = r.sources[0]!;
    assert.deepEqual([s.functions, s.functionsNotReviewed, s.coverage, s.filesImported, s.commitsImported], [2, 0, 1, 2, 1]);
    assert.deepEqual(r.notReviewedReasons, []);
    assert.deepEqual(r.importedReasons.map((g) => [g.reason, g.count]), [[reasonClass(why), 2]]);
    assert.match(formatPrecisionText(r), /functions reviewed 2\/2 \(100\.0%\); 2 files skipped as imported upstream code \(in 1 commits\)/);
    assert.match(formatPrecisionMarkdown(r), /### Files skipped as imported upstream code/);
  });

  it('groups reasons by class: numbers and all but the first token of the code fold away', () => {
    assert.equal(reasonClass('parse error at line 12 near "case 1 ... 3:"'), 'parse error at line N near "case…"');
    const counted = countReasons([
      { file: 'a.c', function: 'f', reason: 'parse error at line 12 near ".x = 1"' },
      { file: 'b.c', function: 'g', reason: 'parse error at line 40 near ".y = 2"' },
      { file: 'c.c', function: 'h', reason: 'unsupported construct' },
    ]);
    assert.deepEqual(counted.map((r) => [r.reason, r.count]), [
      ['parse error at line N near ".…"', 2],
      ['unsupported construct', 1],
    ]);
  });
});
