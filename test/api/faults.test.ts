// Faults of the server's own making, with a stand-in pool: 5xx details stay in the log.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PoolBusyError, PoolClosedError, PoolTimeoutError, type ReviewPool } from '../../src/pool/index.ts';
import { assertProblem, makeApp, SMALL_PATCH } from './helpers.ts';

function failingPool(error: Error): ReviewPool {
  return {
    size: 1,
    maxQueue: 1,
    review: async () => {
      throw error;
    },
    queueDepth: () => 0,
    running: () => 0,
    warmUp: async () => undefined,
    close: async () => undefined,
  };
}

const post = { method: 'POST' as const, url: '/v1/reviews', payload: SMALL_PATCH, headers: { 'content-type': 'text/x-diff' } };

describe('server faults', () => {
  it('answers 500 internal without the error\'s details, naming the request id', async () => {
    const app = await makeApp({}, failingPool(new Error('secret: /srv/internal/path exploded')));
    const res = await app.inject(post);
    const body = assertProblem('createReview', res, 'internal', 500);
    assert.doesNotMatch(res.body, /secret|\/srv\/internal/);
    assert.match(String(body.detail), new RegExp(String(res.headers['x-request-id'])));
    assert.match((await app.inject({ method: 'GET', url: '/metrics' })).body, /^patch_review_reviews_total\{outcome="error"\} 1$/m);
    await app.close();
  });

  it('answers 503 with Retry-After when the pool is busy, closing, or had to stop a review', async () => {
    for (const [error, name] of [
      [new PoolBusyError(1, 1), 'overloaded'],
      [new PoolClosedError(), 'shutting-down'],
      [new PoolTimeoutError(1000), 'review-aborted'],
    ] as const) {
      const app = await makeApp({ retryAfterSeconds: 3 }, failingPool(error));
      const res = await app.inject(post);
      assertProblem('createReview', res, name, 503);
      assert.equal(res.headers['retry-after'], '3');
      await app.close();
    }
  });

  it('while shutting down: not ready, new work refused, liveness still answers', async () => {
    const app = await makeApp({}, failingPool(new Error('unused')));
    app.lifecycle.isShuttingDown = true;
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    assertProblem('getReadiness', ready, 'shutting-down', 503);
    const review = await app.inject(post);
    assertProblem('createReview', review, 'shutting-down', 503);
    assert.equal(review.headers.connection, 'close');
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    await app.close();
  });
});
