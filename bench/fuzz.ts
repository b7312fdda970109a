// `npm run fuzz`: the fuzz properties of test/fuzz at scale, for as long as it is allowed to run.
//
//   tsx bench/fuzz.ts [--patches N] [--functions N] [--reviews N] [--seconds S] [--seed N] [--out FILE]
//
// Runs the parser on N mutated patches, the whole review on --reviews of them, and the C model and
// simulator on --functions random functions and as many random fragments, stopping early when
// --seconds run out; writes what ran and what it found to bench/results/fuzz-summary.json.
// A case that takes longer than --hang-ms is counted as a hang. Exit status 1 when anything failed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import fc from 'fast-check';
import { buildPatchCase, cFragmentArb, cFunctionArb, checkC, checkParse, checkReview, patchCaseArb, type PatchCase } from '../test/fuzz/properties.ts';

interface Tally {
  target: number;
  run: number;
  failures: number;
  hangs: number;
  /** Up to 10 failing cases, replayable. */
  examples: { case: unknown; error: string }[];
  maxMs: number;
}

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) {
    process.stderr.write(`fuzz: --${name} takes a number\n`);
    process.exit(2);
  }
  return v;
};

const patches = arg('patches', 100_000);
const functions = arg('functions', 10_000);
const reviews = arg('reviews', 2_000);
const seconds = arg('seconds', 1800);
const seed = arg('seed', 20261203);
const hangMs = arg('hang-ms', 30_000);
const outIdx = process.argv.indexOf('--out');
const out = outIdx >= 0 ? process.argv[outIdx + 1]! : fileURLToPath(new URL('./results/fuzz-summary.json', import.meta.url));
const deadline = Date.now() + seconds * 1000;
const started = new Date();

const tally = (target: number): Tally => ({ target, run: 0, failures: 0, hangs: 0, examples: [], maxMs: 0 });
const result = {
  parse: tally(patches),
  /** Diff lines neither put in a hunk nor named by a warning (silent losses), counted, not failed. */
  parseSilentLosses: { cases: 0, examples: [] as { case: PatchCase; lines: number[] }[] },
  parseRejected: 0,
  review: tally(reviews),
  cFunctions: tally(functions),
  cFragments: tally(functions),
};

async function timed(t: Tally, c: unknown, body: () => Promise<void>): Promise<void> {
  const t0 = performance.now();
  try {
    await body();
  } catch (error) {
    t.failures++;
    if (t.examples.length < 10) t.examples.push({ case: c, error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : String(error) });
  }
  const ms = performance.now() - t0;
  t.run++;
  t.maxMs = Math.max(t.maxMs, Math.round(ms));
  if (ms > hangMs) {
    t.hangs++;
    if (t.examples.length < 10) t.examples.push({ case: c, error: `took ${Math.round(ms)} ms (hang threshold ${hangMs})` });
  }
}

function write(): void {
  const summary = {
    date: started.toISOString(),
    finished: new Date().toISOString(),
    seed,
    secondsAllowed: seconds,
    stoppedByTime: Date.now() >= deadline,
    loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
    command: `tsx bench/fuzz.ts ${process.argv.slice(2).join(' ')}`.trim(),
    ...result,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
}

const samples = <T>(arb: fc.Arbitrary<T>, n: number, offset: number): T[] => fc.sample(arb, { numRuns: n, seed: seed + offset });
const BATCH = 500;

// Interleaved in batches so a run cut short by --seconds still covers every kind.
let batch = 0;
while (Date.now() < deadline) {
  let did = false;
  if (result.parse.run < patches) {
    did = true;
    for (const c of samples(patchCaseArb, Math.min(BATCH, patches - result.parse.run), 1000 * batch + 1)) {
      await timed(result.parse, c, async () => {
        const o = await checkParse(buildPatchCase(c));
        if (o.rejected) result.parseRejected++;
        if (o.unaccounted.length > 0) {
          result.parseSilentLosses.cases++;
          if (result.parseSilentLosses.examples.length < 10) result.parseSilentLosses.examples.push({ case: c, lines: o.unaccounted.slice(0, 20) });
        }
      });
    }
  }
  if (Date.now() >= deadline) break;
  if (result.review.run < reviews) {
    did = true;
    for (const c of samples(patchCaseArb, Math.min(Math.ceil(BATCH / 25), reviews - result.review.run), 1000 * batch + 2)) {
      await timed(result.review, c, () => checkReview(buildPatchCase(c)));
      if (Date.now() >= deadline) break;
    }
  }
  if (result.cFunctions.run < functions) {
    did = true;
    for (const src of samples(cFunctionArb, Math.min(Math.ceil(BATCH / 10), functions - result.cFunctions.run), 1000 * batch + 3)) {
      await timed(result.cFunctions, src, async () => void (await checkC(src, 'new-file')));
      if (Date.now() >= deadline) break;
    }
  }
  if (result.cFragments.run < functions) {
    did = true;
    for (const src of samples(cFragmentArb, Math.min(Math.ceil(BATCH / 10), functions - result.cFragments.run), 1000 * batch + 4)) {
      await timed(result.cFragments, src, async () => void (await checkC(src, 'context')));
      if (Date.now() >= deadline) break;
    }
  }
  batch++;
  write();
  process.stderr.write(
    `fuzz: ${Math.round((Date.now() - started.getTime()) / 1000)} s: parse ${result.parse.run} (${result.parseSilentLosses.cases} silent losses), review ${result.review.run}, functions ${result.cFunctions.run}, fragments ${result.cFragments.run}; failures ${result.parse.failures + result.review.failures + result.cFunctions.failures + result.cFragments.failures}\n`,
  );
  if (!did) break;
}
write();
const failed = result.parse.failures + result.review.failures + result.cFunctions.failures + result.cFragments.failures;
const hangs = result.parse.hangs + result.review.hangs + result.cFunctions.hangs + result.cFragments.hangs;
process.stdout.write(`fuzz summary written to ${out}: ${failed} failures, ${hangs} hangs\n`);
process.exitCode = failed + hangs > 0 ? 1 : 0;
