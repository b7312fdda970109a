import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createReviewPool, PoolAbortedError, PoolBusyError, PoolClosedError, PoolMemoryError, PoolTimeoutError, workerEntry, type ReviewPool } from '../../src/pool/index.ts';
import { hunkLadder } from '../../bench/ladder.ts';
import { review } from '../../src/default-review.ts';
import { NoPatchError, InputTooLargeError } from '../../src/patch/types.ts';
import { deserializeError, serializeError } from '../../src/pool/protocol.ts';
import type { Review } from '../../src/review/types.ts';

const SMALL = readFileSync(new URL('../fixtures/api/small.patch', import.meta.url));

const withoutTimes = (r: Review): unknown => ({ ...r, stats: { ...r.stats, times: undefined } });

describe('review pool', () => {
  let pool: ReviewPool;
  before(async () => {
    pool = createReviewPool({ size: 1, maxQueue: 1 });
    await pool.warmUp();
  });
  after(() => pool.close());

  it('returns the same review as review() in this thread, for a Buffer and a string', async () => {
    const direct = await review(SMALL, { inputName: 'small.patch' });
    const fromBuffer = await pool.review(SMALL, { inputName: 'small.patch' });
    const fromString = await pool.review(SMALL.toString('utf8'), { inputName: 'small.patch' });
    assert.equal(fromBuffer.findings.length, 1);
    assert.deepEqual(withoutTimes(fromBuffer), withoutTimes(direct));
    assert.deepEqual(withoutTimes(fromString), withoutTimes(direct));
  });

  it('rethrows the engine errors as their own classes, with their fields', async () => {
    await assert.rejects(pool.review('hello, no diff here\n'), (e: unknown) => e instanceof NoPatchError && typeof e.found === 'string');
    await assert.rejects(pool.review(SMALL, { rules: ['no-such/rule'] }), (e: unknown) => e instanceof RangeError && /no-such\/rule/.test(e.message));
    const tooLarge = deserializeError(serializeError(new InputTooLargeError(100, 10)));
    assert.ok(tooLarge instanceof InputTooLargeError);
    assert.deepEqual([tooLarge.size, tooLarge.maxBytes], [100, 10]);
  });

  it('queues up to maxQueue behind a busy worker and refuses the next one with PoolBusyError', async () => {
    // One worker, idle after warmUp: the first review runs, the second waits, the third is refused.
    const first = pool.review(SMALL);
    const second = pool.review(SMALL);
    assert.equal(pool.queueDepth(), 1);
    await assert.rejects(pool.review(SMALL), (e: unknown) => e instanceof PoolBusyError && e.maxQueue === 1);
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.findings.length, 1);
    assert.equal(b.findings.length, 1);
    assert.equal(pool.queueDepth(), 0);
  });
});

describe('review pool withdrawal', () => {
  it('drops a review whose caller gave up while it waited, and runs the rest', async () => {
    const pool = createReviewPool({ size: 1, maxQueue: 4 });
    try {
      const running = pool.review(SMALL);
      const controller = new AbortController();
      const withdrawn = pool.review(SMALL, {}, { signal: controller.signal });
      const next = pool.review(SMALL);
      assert.equal(pool.queueDepth(), 2);
      controller.abort();
      await assert.rejects(withdrawn, PoolAbortedError);
      assert.equal(pool.queueDepth(), 1);
      assert.deepEqual((await Promise.all([running, next])).map((r) => r.findings.length), [1, 1]);
      await assert.rejects(pool.review(SMALL, {}, { signal: controller.signal }), PoolAbortedError);
    } finally {
      await pool.close();
    }
  });
});

describe('review pool shutdown', () => {
  it('close() finishes the queued and running reviews, then refuses new ones', async () => {
    const pool = createReviewPool({ size: 1, maxQueue: 4 });
    const pending = [pool.review(SMALL), pool.review(SMALL), pool.review(SMALL)];
    const closing = pool.close();
    await assert.rejects(pool.review(SMALL), PoolClosedError);
    const results = await Promise.all(pending);
    assert.deepEqual(results.map((r) => r.findings.length), [1, 1, 1]);
    await closing;
  });
});

describe('review pool hard limit', () => {
  it('stops a review past hardLimitMs with PoolTimeoutError, replaces the worker and goes on', async () => {
    const big = readFileSync(new URL('../../examples/xen-vtd-flush-review.txt', import.meta.url));
    const pool = createReviewPool({ size: 1, hardLimitMs: 1 });
    try {
      await assert.rejects(pool.review(big), (e: unknown) => e instanceof PoolTimeoutError && e.limitMs === 1);
      await pool.warmUp(); // a fresh worker answers
    } finally {
      await pool.close();
    }
  });
});

describe('review pool heap bound', () => {
  it('fails a review that needs more than maxHeapMb with PoolMemoryError, replaces the worker and goes on', async () => {
    // The engine loads in ~15 MB; a 1 000-hunk review keeps ~70 MB alive.
    const pool = createReviewPool({ size: 1, maxHeapMb: 32 });
    try {
      await pool.warmUp();
      await assert.rejects(pool.review(hunkLadder(1000)), (e: unknown) => e instanceof PoolMemoryError && e.limitMb === 32);
      assert.equal((await pool.review(SMALL)).findings.length, 1); // a fresh worker reviews
    } finally {
      await pool.close();
    }
  });
});

describe('worker entry', () => {
  it('loads the .ts worker under tsx from sources and the .js worker from the build', () => {
    const fromSources = workerEntry('file:///app/src/pool/index.ts');
    assert.equal(fromSources.filename, 'file:///app/src/pool/worker.ts');
    assert.ok(fromSources.execArgv.join(' ').includes('tsx'));
    assert.equal(workerEntry('file:///app/dist/src/pool/index.js').filename, 'file:///app/dist/src/pool/worker.js');
  });

  it('without the model cache (keepModelCache: false), reviews the same text again to the same review', async () => {
    const uncached = createReviewPool({ size: 1, keepModelCache: false });
    try {
      const direct = await review(SMALL, { inputName: 'small.patch' });
      const first = await uncached.review(SMALL, { inputName: 'small.patch' });
      const again = await uncached.review(SMALL, { inputName: 'small.patch' });
      assert.deepEqual(withoutTimes(first), withoutTimes(direct));
      assert.deepEqual(withoutTimes(again), withoutTimes(direct));
    } finally {
      await uncached.close();
    }
  });

  it('rejects a size or queue that is not a whole number', () => {
    assert.throws(() => createReviewPool({ size: 0 }), RangeError);
    assert.throws(() => createReviewPool({ maxQueue: -1 }), RangeError);
    assert.throws(() => createReviewPool({ maxHeapMb: 0 }), RangeError);
  });
});
