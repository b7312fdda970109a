// Property tests of the patch parser and the review on mutated real-like patches (fixed seed, small
// counts; `npm run fuzz` runs the same properties at scale). No timing is asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BASE_PATCHES, buildPatchCase, checkParse, checkReview, mutate, patchCaseArb } from './properties.ts';

const SEED = 20261203;

test('every base patch parses cleanly before it is mutated, with every body line in a hunk', async () => {
  for (const base of BASE_PATCHES) {
    const outcome = await checkParse(base.text);
    assert.equal(outcome.rejected, undefined, base.name);
    assert.ok(outcome.hunks > 0, base.name);
    assert.deepEqual(outcome.unaccounted, [], base.name);
  }
});

test('the parser never throws on mutated patches: it parses or rejects them with a clear no-patch / too-large error', async () => {
  await fc.assert(
    fc.asyncProperty(patchCaseArb, async (c) => {
      const outcome = await checkParse(buildPatchCase(c));
      assert.ok(outcome.rejected !== undefined || outcome.hunks >= 0);
    }),
    { seed: SEED, numRuns: 150 },
  );
});

// Once silent losses (issue 8), now each named: the parser keeps such lines in a hunk or a warning names them.
const FORMER_SILENT_LOSSES = [
  { why: 'CR CR LF line ends (a double CRLF conversion) are one line end', c: { base: 0, mutations: [{ kind: 'crlf' as const, from: 0 }, { kind: 'crlf' as const, from: 0 }] } },
  { why: 'a duplicated context line stays in its hunk, which is recounted', c: { base: 0, mutations: [{ kind: 'duplicate-line' as const, line: 21 }] } },
  { why: 'a hunk header wrapped before its closing @@ is joined', c: { base: 1, mutations: [{ kind: 'wrap' as const, line: 2, col: 7 }] } },
  { why: 'diff lines under a line that is no hunk header are named', c: { base: 0, mutations: [{ kind: 'corrupt-header' as const, line: 4, replacement: '@@@' }] } },
  // Found by the stricter checker of issue 13 (prose between diff lines does not end a file's section; extended headers count).
  { why: 'a hunk header wrapped at its first column: the lines after it are named', c: { base: 5, mutations: [{ kind: 'wrap' as const, line: 1207909130, col: 1 }] } },
  { why: 'a dropped diff --git line: its extended header lines are named', c: { base: 2, mutations: [{ kind: 'drop-line' as const, line: 2147483637 }] } },
  {
    why: "diff lines after a wrapped line's rest, which ends a corrupt header's hunk, are named",
    c: { base: 5, mutations: [{ kind: 'wrap' as const, line: 1773830060, col: 11 }, { kind: 'corrupt-header' as const, line: 1120071692, replacement: '@@ -99999999999,1 +1,1 @@' }] },
  },
  {
    why: 'a diff line after an unreadable line in place of the first file header is named',
    c: { base: 1, mutations: [{ kind: 'huge-line' as const, line: 714492199, length: 62052 }, { kind: 'drop-line' as const, line: 232879439 }, { kind: 'corrupt-header' as const, line: 428508789, replacement: '@@@' }] },
  },
  {
    why: 'an extended header line inside a hunk short of its counts ends it and is named',
    c: { base: 2, mutations: [{ kind: 'drop-line' as const, line: 1134223538 }, { kind: 'corrupt-header' as const, line: 711207474, replacement: '@@ -1,3 +1' }, { kind: 'shuffle-hunks' as const, seed: 284967165 }] },
  },
  {
    why: 'an extended header line between a +++ line with no --- line and the next file header is named',
    c: { base: 3, mutations: [{ kind: 'drop-line' as const, line: 908737732 }, { kind: 'corrupt-header' as const, line: 331616538, replacement: '+++ b/' }, { kind: 'shuffle-hunks' as const, seed: 224680470 }] },
  },
  {
    why: "unmarked lines after a comment read as a reply's own text are named, every one",
    c: { base: 0, mutations: [{ kind: 'huge-line' as const, line: 1834144887, length: 28472 }, { kind: 'wrap' as const, line: 214677666, col: 12 }] },
  },
  {
    why: 'a hunk header counting no lines at all is read as corrupt: the lines after the prose after it are named',
    c: { base: 0, mutations: [{ kind: 'wrap' as const, line: 746817747, col: 20 }, { kind: 'drop-line' as const, line: 2007222126 }, { kind: 'corrupt-header' as const, line: 1530226469, replacement: '@@ -1,0 +1,0 @@' }] },
  },
  {
    why: 'diff lines right before a hunk header with no file header (both file header lines lost) are named',
    c: { base: 1, mutations: [{ kind: 'corrupt-header' as const, line: 30, replacement: '@@@' }, { kind: 'huge-line' as const, line: 1591072679, length: 1016 }, { kind: 'corrupt-header' as const, line: 1583040166, replacement: 'index zzz..yyy' }] },
  },
  {
    why: 'a diff line after a +++ line wrapped in two, before a hunk header with no file header, is named',
    c: { base: 1, mutations: [{ kind: 'wrap' as const, line: 721615132, col: 34 }, { kind: 'huge-line' as const, line: 1573703003, length: 198212 }, { kind: 'drop-line' as const, line: 325507941 }] },
  },
];
for (const { why, c } of FORMER_SILENT_LOSSES) {
  test(`every diff line the parser leaves out is named by a warning: ${why}`, async () => {
    const outcome = await checkParse(buildPatchCase(c));
    assert.ok(outcome.hunks > 0 || outcome.rejected === undefined);
    assert.deepEqual(outcome.unaccounted, []);
  });
}

test('every diff line the parser leaves out of its hunks is named by a warning (mutated patches)', async () => {
  await fc.assert(
    fc.asyncProperty(patchCaseArb, async (c) => {
      assert.deepEqual((await checkParse(buildPatchCase(c))).unaccounted, []);
    }),
    { seed: SEED, numRuns: 150 },
  );
});

test('a truncated patch still yields the hunks before the cut', async () => {
  const base = BASE_PATCHES.find((b) => b.name === 'ladder-3')!.text;
  const cut = base.indexOf('@@', base.lastIndexOf('@@') - 1) - 1; // just before the last hunk
  const outcome = await checkParse(mutate(base, { kind: 'truncate', at: cut / base.length }));
  assert.equal(outcome.hunks, 2);
});

test('the review of a mutated patch never throws and reports every C file the parser read', async () => {
  await fc.assert(
    fc.asyncProperty(patchCaseArb, async (c) => {
      await checkReview(buildPatchCase(c));
    }),
    { seed: SEED, numRuns: 12 },
  );
});
