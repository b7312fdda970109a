// Property tests of the C model and the simulator on random small functions and on random windows
// cut from real-like C files (fixed seed, small counts; `npm run fuzz` runs them at scale).
import { test } from 'node:test';
import fc from 'fast-check';
import { cFragmentArb, cFunctionArb, checkC } from './properties.ts';

const SEED = 20261203;

test('random small C functions: the review never throws and every simulation stays within its budget', async () => {
  await fc.assert(
    fc.asyncProperty(cFunctionArb, async (source) => {
      await checkC(source, 'new-file');
    }),
    { seed: SEED, numRuns: 10 },
  );
});

test('random fragments of real-like C, as hunk context around an added line: no throw, within budget', async () => {
  await fc.assert(
    fc.asyncProperty(cFragmentArb, async (source) => {
      await checkC(source, 'context');
    }),
    { seed: SEED, numRuns: 10 },
  );
});
