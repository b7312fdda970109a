import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadCorpus, parseCorpus, scoreCorpus, corpusPatches, patchKey, CorpusError, type Corpus, type PatchOutcome } from '../../src/eval/corpus.ts';
import { runCorpus, CorpusRunError } from '../../src/eval/run-corpus.ts';
import { inProcessReviewer, type Reviewer } from '../../src/eval/reviewer.ts';
import { formatCorpusMarkdown, formatCorpusText } from '../../src/eval/format-corpus.ts';
import type { Review } from '../../src/review/types.ts';

const fixture = (name: string): string => new URL(`../fixtures/eval/${name}`, import.meta.url).pathname;

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const F = 'f'.repeat(40);

// A hand-made corpus: R1 at x/a.c:100 in alpha (fixed by F), R4 at y/b.c:50 in beta, one clean commit.
const corpus: Corpus = parseCorpus({
  sources: [{ name: 's' }],
  positives: [
    { source: 's', commit: A, fix: F, file: 'x/a.c', function: 'alpha', line: 100, rule: 'R1' },
    { source: 's', commit: B, file: 'y/b.c', function: 'beta', line: 50, rule: 'R4' },
  ],
  clean: [{ source: 's', commit: C }],
});

const outcome = (...findings: { file: string; line: number; function: string; family: string }[]): PatchOutcome => ({ findings });

describe('scoreCorpus (the dev corpus scoring rules)', () => {
  it('finds a positive by same file suffix, a family of its rule and the same function within 40 lines', () => {
    const s = scoreCorpus(corpus, new Map([[patchKey('s', A), outcome({ file: 'b/src/x/a.c', line: 139, function: 'alpha', family: 'success-path-change' })]]));
    assert.equal(s.positives[0]!.found, true);
    assert.equal(s.byRule.find((r) => r.rule === 'R1')!.found, 1);
  });

  it('does not count the same function 41 lines away, nor another family, nor another file', () => {
    for (const f of [
      { file: 'x/a.c', line: 141, function: 'alpha', family: 'unchecked-error' },
      { file: 'x/a.c', line: 100, function: 'alpha', family: 'redundant-temporary' },
      { file: 'z/a.c', line: 100, function: 'alpha', family: 'unchecked-error' },
      { file: 'xa.c', line: 100, function: 'alpha', family: 'unchecked-error' },
    ]) {
      const s = scoreCorpus(corpus, new Map([[patchKey('s', A), outcome(f)]]));
      assert.equal(s.positives[0]!.found, false, JSON.stringify(f));
    }
  });

  it('counts another function when the line is within 10', () => {
    const s = scoreCorpus(corpus, new Map([[patchKey('s', A), outcome({ file: 'x/a.c', line: 110, function: 'gamma', family: 'unchecked-error' })]]));
    assert.equal(s.positives[0]!.found, true);
    const far = scoreCorpus(corpus, new Map([[patchKey('s', A), outcome({ file: 'x/a.c', line: 111, function: 'gamma', family: 'unchecked-error' })]]));
    assert.equal(far.positives[0]!.found, false);
  });

  it('counts every finding on a clean commit, and a commit with several once', () => {
    const s = scoreCorpus(
      corpus,
      new Map([[patchKey('s', C), outcome({ file: 'q.c', line: 1, function: 'q', family: 'nested-if' }, { file: 'q.c', line: 9, function: 'q', family: 'unchecked-error' })]]),
    );
    assert.equal(s.clean.withFindings, 1);
    assert.equal(s.clean.findings, 2);
    assert.equal(s.cleanFindings.length, 2);
  });

  it('reports a fix still flagged in the same function and family, and counts only fixes that were run', () => {
    const flagged = scoreCorpus(corpus, new Map([[patchKey('s', F), outcome({ file: 'x/a.c', line: 300, function: 'alpha', family: 'unchecked-error' })]]));
    assert.deepEqual(flagged.fixes, { run: 1, flagged: 1 });
    const otherFunction = scoreCorpus(corpus, new Map([[patchKey('s', F), outcome({ file: 'x/a.c', line: 100, function: 'other', family: 'unchecked-error' })]]));
    assert.deepEqual(otherFunction.fixes, { run: 1, flagged: 0 });
    const notRun = scoreCorpus(corpus, new Map());
    assert.deepEqual(notRun.fixes, { run: 0, flagged: 0 });
  });

  it('scores a crashed or missing output as silent and lists it as unreadable', () => {
    const s = scoreCorpus(corpus, new Map([[patchKey('s', A), { error: 'boom' }]]));
    assert.equal(s.positives[0]!.found, false);
    assert.equal(s.positives[0]!.unreadable, 'boom');
    assert.deepEqual(
      s.unreadable.map((u) => u.key).sort(),
      [patchKey('s', A), patchKey('s', B), patchKey('s', C)].sort(),
    );
  });

  it('ends with the summary line of the shared scorer, word for word', () => {
    const s = scoreCorpus(
      corpus,
      new Map([
        [patchKey('s', A), outcome({ file: 'x/a.c', line: 100, function: 'alpha', family: 'unchecked-error' })],
        [patchKey('s', B), outcome()],
        [patchKey('s', C), outcome({ file: 'q.c', line: 1, function: 'q', family: 'nested-if' })],
        [patchKey('s', F), outcome()],
      ]),
    );
    assert.equal(
      s.summary,
      'dev corpus: recall 1/2 (R1 1/1 R2 0/0 R3 0/0 R4 0/1); clean commits with findings 1/1, 1.00 findings per clean commit; fixes still flagged 0/1',
    );
  });
});

describe('parseCorpus', () => {
  it('names the entry and field that is wrong', () => {
    assert.throws(() => parseCorpus({ positives: [], clean: 3 }), CorpusError);
    assert.throws(() => parseCorpus({ positives: [{ source: 's', commit: A, file: 'a.c', function: 'f', line: 0, rule: 'R1' }], clean: [] }), /positives\[0\]: "line"/);
    assert.throws(() => parseCorpus({ positives: [{ source: 's', commit: A, file: 'a.c', function: 'f', line: 3, rule: 'R9' }], clean: [] }), /unknown rule "R9"/);
    assert.throws(() => parseCorpus({ positives: [], clean: [{ source: 's', commit: 'not a hash' }] }), /clean\[0\]: "commit"/);
  });

  it('lists each patch once with all its roles', () => {
    const c = parseCorpus({
      positives: [
        { source: 's', commit: A, fix: B, file: 'a.c', function: 'f', line: 3, rule: 'R1' },
        { source: 's', commit: B, file: 'a.c', function: 'g', line: 9, rule: 'R1' },
      ],
      clean: [],
    });
    assert.deepEqual(
      corpusPatches(c).map((p) => [p.commit, p.roles]),
      [
        [A, ['positive']],
        [B, ['positive', 'fix']],
      ],
    );
  });

  it('reads the fixture corpus file', () => {
    const c = loadCorpus(fixture('corpus.json'));
    assert.equal(c.positives.length, 2);
    assert.throws(() => loadCorpus(fixture('no-such.json')), /cannot read corpus/);
  });
});

/** A reviewer that answers from a table, to test the runner without the engine. */
function cannedReviewer(answers: Record<string, Partial<Review> | Error>): Reviewer & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    concurrency: 2,
    kind: 'canned',
    close: async () => {},
    review: async (input) => {
      const commit = /^From ([0-9a-f]{40})/m.exec(input)?.[1] ?? '';
      seen.push(commit);
      const answer = answers[commit];
      if (answer instanceof Error) throw answer;
      return { findings: [], warnings: [], stats: { functions: 1 }, ...answer } as Review;
    },
  };
}

describe('runCorpus', () => {
  it('reviews every patch once, scores them, and reports missing patches and failed reviews', async () => {
    const reviewer = cannedReviewer({ ['3'.repeat(40)]: new Error('worker stopped') });
    const report = await runCorpus(loadCorpus(fixture('corpus.json')), { patchesDir: fixture('patches'), mode: 'fragment', reviewer });
    assert.equal(reviewer.seen.length, 3);
    assert.deepEqual(
      report.patches.map((p) => [p.commit.slice(0, 1), p.from, p.error ?? '']),
      [
        ['1', 'patches', ''],
        ['4', 'none', 'patch not found'],
        ['2', 'patches', ''],
        ['3', 'patches', 'worker stopped'],
      ],
    );
    assert.equal(report.score.clean.unreadable[0]?.why, 'worker stopped');
    assert.equal(report.score.recall.found, 0);
  });

  it('scores the fixture corpus with the real engine: the disabled device is found, the fix and the clean commit are silent', async () => {
    const report = await runCorpus(loadCorpus(fixture('corpus.json')), { patchesDir: fixture('patches'), mode: 'fragment', reviewer: inProcessReviewer() });
    assert.equal(
      report.score.summary,
      'dev corpus: recall 1/2 (R1 0/1 R2 1/1 R3 0/0 R4 0/0); clean commits with findings 0/1, 0.00 findings per clean commit; fixes still flagged 0/1',
    );
    const text = formatCorpusText(report);
    assert.match(text, /^ {2}found {2}R2 demo 111111111111 drivers\/dev\.c:4 stop {2}<- disabled-not-error drivers\/dev\.c:4 stop \[verified\]$/m);
    assert.match(text, /^ {2}MISSED R1 demo 444444444444 .*\(no readable output: patch not found\)$/m);
    assert.match(formatCorpusMarkdown(report), /#### R1 \(unchecked-error\/success-path-change\) — no output \(1\)/);
  });

  it("saves each review in check's JSON shape when asked, an empty file for a failed one and none for a missing patch", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-outputs-'));
    try {
      const reviewer = cannedReviewer({ ['3'.repeat(40)]: new Error('worker stopped') });
      await runCorpus(loadCorpus(fixture('corpus.json')), { patchesDir: fixture('patches'), mode: 'fragment', reviewer, outputsDir: join(dir, 'out') });
      assert.deepEqual(readdirSync(join(dir, 'out')).sort(), ['1', '2', '3'].map((d) => `demo-${d.repeat(40)}.json`));
      assert.deepEqual(JSON.parse(readFileSync(join(dir, 'out', `demo-${'1'.repeat(40)}.json`), 'utf8')).findings, []);
      assert.equal(readFileSync(join(dir, 'out', `demo-${'3'.repeat(40)}.json`), 'utf8'), '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to run without patches, or in tree mode without a git directory per source', async () => {
    const c = loadCorpus(fixture('corpus.json'));
    await assert.rejects(runCorpus(c, { mode: 'fragment', reviewer: inProcessReviewer() }), CorpusRunError);
    await assert.rejects(runCorpus(c, { patchesDir: fixture('patches'), mode: 'tree', reviewer: inProcessReviewer() }), /missing: demo/);
  });
});
