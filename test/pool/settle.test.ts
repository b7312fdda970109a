// The review worker's settling after a large review (src/pool/worker.ts): a full collection it can call without
// --expose-gc on the command line, and turns of the event loop for the finalizers that free native parse trees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settle, SETTLE_AFTER_HEAP_MB } from '../../src/pool/worker.ts';

test('settle() collects the heap: an object only a FinalizationRegistry knows is finalized', async () => {
  let finalized = false;
  const registry = new FinalizationRegistry(() => {
    finalized = true;
  });
  (() => registry.register({ rows: new Array(1000).fill(0) }, 'gone'))();
  await settle();
  // Without a collection nothing is finalized here: the test allocates too little to cause one.
  for (let i = 0; i < 20 && !finalized; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(finalized, true);
});

test('a seed-sized review stays under the settling threshold, a 1 000-hunk one is above it', () => {
  // Measured in a worker after the review (docs/perf.md, session 9): seed 000 ~20-30 MB in use, 1 000 hunks ~80-90 MB.
  assert.ok(SETTLE_AFTER_HEAP_MB > 30 && SETTLE_AFTER_HEAP_MB < 80);
});
