import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ReviewCache } from '../../src/api/review-cache.ts';
import type { Review } from '../../src/review/types.ts';
import { PoolAbortedError } from '../../src/pool/index.ts';
import { SMALL_PATCH, assertMatchesSpec, makeApp, untilReady } from './helpers.ts';

/** Enough of a review for the cache, which only stores and measures it. */
const fakeReview = (tag: string, extra: Partial<Review['stats']> = {}): Review => ({ findings: [], warnings: [], stats: { tag, ...extra } }) as unknown as Review;

describe('the review cache', () => {
  it('keys a review by the bytes and the options that decide it, not by the time limit', () => {
    const cache = new ReviewCache(1 << 20);
    const a = cache.keyOf('patch', { rules: ['x/y'], timeLimitMs: 100 });
    assert.equal(cache.keyOf(Buffer.from('patch'), { timeLimitMs: 5000, rules: ['x/y'] }), a);
    assert.notEqual(cache.keyOf('patch ', { rules: ['x/y'] }), a);
    assert.notEqual(cache.keyOf('patch', { rules: ['x/z'] }), a);
    assert.notEqual(cache.keyOf('patch', { rules: ['x/y'], showRefuted: true }), a);
    assert.notEqual(cache.keyOf('patch', { rules: ['x/y'], inputName: 'a.patch' }), a);
  });

  it('never keys a review against a checkout, or anything when it is off', () => {
    assert.equal(new ReviewCache(1 << 20).keyOf('patch', { tree: '/src/xen' }), undefined);
    assert.equal(new ReviewCache(0).keyOf('patch', {}), undefined);
  });

  it('keys a knowledge base with its size and modification time, and not at all when it is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'review-cache-'));
    try {
      const kb = join(dir, 'kb.json');
      const cache = new ReviewCache(1 << 20);
      assert.equal(cache.keyOf('patch', { kb }), undefined);
      writeFileSync(kb, '{}');
      utimesSync(kb, 1000, 1000);
      const first = cache.keyOf('patch', { kb });
      assert.ok(first);
      utimesSync(kb, 2000, 2000);
      assert.notEqual(cache.keyOf('patch', { kb }), first, 'a rebuilt knowledge base is another review');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers the second request from memory', async () => {
    const cache = new ReviewCache(1 << 20);
    let runs = 0;
    const run = async (): Promise<Review> => fakeReview(`run ${++runs}`);
    const first = await cache.review('k', run);
    const second = await cache.review('k', run);
    assert.deepEqual([first.cache, second.cache, runs], ['miss', 'hit', 1]);
    assert.equal(second.review, first.review);
    assert.equal((await cache.review(undefined, run)).cache, 'off');
    assert.equal(runs, 2);
  });

  it('lets identical requests in flight share one review', async () => {
    const cache = new ReviewCache(1 << 20);
    let runs = 0;
    let finish!: (r: Review) => void;
    const run = (): Promise<Review> => {
      runs++;
      return new Promise((resolve) => (finish = resolve));
    };
    const a = cache.review('k', run);
    const b = cache.review('k', run);
    finish(fakeReview('one'));
    const answers = await Promise.all([a, b]);
    assert.deepEqual(answers.map((x) => x.cache), ['miss', 'shared']);
    assert.equal(runs, 1);
    assert.deepEqual(cache.stats(), { hits: 0, misses: 1, shared: 1, entries: 1, bytes: cache.stats().bytes, maxBytes: 1 << 20 });
  });

  it('reviews again for a waiting request when the first one was withdrawn, and remembers no failure', async () => {
    const cache = new ReviewCache(1 << 20);
    let fail!: (e: Error) => void;
    const first = cache.review('k', () => new Promise<Review>((_resolve, reject) => (fail = reject)));
    const second = cache.review('k', async () => fakeReview('second'));
    fail(new PoolAbortedError());
    await assert.rejects(first, PoolAbortedError);
    const answer = await second;
    assert.equal(answer.cache, 'miss');
    assert.equal((answer.review.stats as unknown as { tag: string }).tag, 'second');
    assert.equal((await cache.review('k', async () => fakeReview('third'))).cache, 'hit');
  });

  it('forgets reviews cut by the time limit, and the least recently used first when full', async () => {
    const cache = new ReviewCache(2000);
    await cache.review('cut', async () => fakeReview('cut', { timedOut: true } as Partial<Review['stats']>));
    assert.equal((await cache.review('cut', async () => fakeReview('again'))).cache, 'miss');
    const sized = (n: number): Review => fakeReview('x'.repeat(n));
    const bytes = JSON.stringify(sized(420)).length;
    assert.ok(bytes * 5 > 2000, "five do not fit");
    assert.ok(bytes <= 500, 'a review of a quarter of the cache at most is remembered');
    await cache.review('a', async () => sized(420));
    await cache.review('b', async () => sized(420));
    await cache.review('a', async () => sized(420)); // a is now the most recently used
    for (const k of ['c', 'd', 'e']) await cache.review(k, async () => sized(420));
    assert.ok(cache.stats().bytes <= 2000);
    assert.equal((await cache.review('b', async () => sized(420))).cache, 'miss', 'b, least recently used, was forgotten');
    assert.equal((await cache.review('e', async () => sized(420))).cache, 'hit');
  });
});

describe('POST /v1/reviews with the review cache on', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await makeApp({ reviewCacheBytes: 8 * 1024 * 1024 });
    await untilReady(app);
  });
  after(async () => {
    await app.close();
  });

  const post = (url = '/v1/reviews') => app.inject({ method: 'POST', url, payload: SMALL_PATCH, headers: { 'content-type': 'text/x-diff' } });

  it('reviews a patch once and answers the same request again from memory, in any format', async () => {
    const first = await post();
    const second = await post();
    assert.equal(first.headers['patch-review-cache'], 'miss');
    assert.equal(second.headers['patch-review-cache'], 'hit');
    assert.deepEqual(assertMatchesSpec('createReview', second), assertMatchesSpec('createReview', first));
    const sarif = await post('/v1/reviews?format=sarif');
    assert.equal(sarif.headers['patch-review-cache'], 'hit', 'the format is rendered per request from the same review');
    assertMatchesSpec('createReview', sarif);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, /^patch_review_review_cache_total\{result="hit"\} 2$/m);
    assert.match(metrics, /^patch_review_review_cache_total\{result="miss"\} 1$/m);
    assert.match(metrics, /^patch_review_reviews_total\{outcome="(findings|clean)"\} 1$/m, 'a review answered from memory is not counted as reviewed twice');
  });

  it('reviews again when the options that decide the review differ, and not when only the threshold does', async () => {
    const other = await post('/v1/reviews?showRefuted=true');
    assert.equal(other.headers['patch-review-cache'], 'miss');
    const threshold = await post('/v1/reviews?failOn=error');
    assert.equal(threshold.headers['patch-review-cache'], 'hit');
    assert.equal((assertMatchesSpec('createReview', threshold) as { outcome: { failOn: string } }).outcome.failOn, 'error');
  });
});
