import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createReviewPool, type ReviewPool } from '../../src/pool/index.ts';
import { tokenMatches } from '../../src/api/plugins/auth.ts';
import { assertMatchesSpec, assertProblem, makeApp, untilReady, SMALL_PATCH, BIG_PATCH } from './helpers.ts';

const TOKEN = 'ci-bot-token-0123456789abcdef';
const OTHER = 'another-token-0123456789abcdef';

describe('bearer-token authentication', () => {
  let pool: ReviewPool;
  let app: FastifyInstance;
  before(async () => {
    pool = createReviewPool({ size: 1 });
    app = await makeApp({ apiTokens: [TOKEN, OTHER] }, pool);
  });
  after(async () => {
    await app.close();
    await pool.close();
  });

  const review = (headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/v1/reviews', payload: SMALL_PATCH, headers: { 'content-type': 'text/x-diff', ...headers } });

  it('refuses /v1 without a token, with a Bearer challenge', async () => {
    const res = await review({});
    assertProblem('createReview', res, 'unauthorized', 401);
    assert.match(String(res.headers['www-authenticate']), /^Bearer realm="patch-review"$/);
    assertProblem('listRules', await app.inject({ method: 'GET', url: '/v1/rules' }), 'unauthorized', 401);
  });

  it('refuses a wrong token, or a token in another scheme', async () => {
    const wrong = await review({ authorization: `Bearer ${TOKEN}x` });
    assertProblem('createReview', wrong, 'unauthorized', 401);
    assert.match(String(wrong.headers['www-authenticate']), /error="invalid_token"/);
    assertProblem('createReview', await review({ authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` }), 'unauthorized', 401);
  });

  it('accepts any configured token', async () => {
    assert.equal((await review({ authorization: `Bearer ${TOKEN}` })).statusCode, 200);
    assert.equal((await review({ authorization: `bearer ${OTHER}` })).statusCode, 200);
  });

  it('leaves health, readiness, metrics, the spec and the page open', async () => {
    for (const url of ['/healthz', '/metrics', '/openapi.json', '/']) assert.equal((await app.inject({ method: 'GET', url })).statusCode, 200, url);
  });

  it('compares tokens by digest, whatever their length', () => {
    const tokens = [TOKEN, OTHER].map((t) => createHash('sha256').update(t).digest());
    assert.equal(tokenMatches(TOKEN, tokens), true);
    assert.equal(tokenMatches(OTHER, tokens), true);
    assert.equal(tokenMatches('', tokens), false);
    assert.equal(tokenMatches(TOKEN.slice(0, -1), tokens), false);
    assert.equal(tokenMatches(TOKEN.repeat(100), tokens), false);
  });
});

describe('rate limiting', () => {
  let pool: ReviewPool;
  let app: FastifyInstance;
  before(async () => {
    pool = createReviewPool({ size: 1 });
    app = await makeApp({ rateLimitMax: 2, rateLimitWindowMs: 3_600_000, apiTokens: [TOKEN, OTHER] }, pool);
  });
  after(async () => {
    await app.close();
    await pool.close();
  });

  it('answers 429 with Retry-After past the limit, per client (token), and never limits health checks', async () => {
    const rules = (token: string) => app.inject({ method: 'GET', url: '/v1/rules', headers: { authorization: `Bearer ${token}` } });
    assert.equal((await rules(TOKEN)).statusCode, 200);
    assert.equal((await rules(TOKEN)).statusCode, 200);
    const limited = await rules(TOKEN);
    const body = assertProblem('listRules', limited, 'rate-limited', 429);
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    assert.match(String(body.detail), /more than 2 requests/);
    assert.equal((await rules(OTHER)).statusCode, 200, 'another client has its own budget');
    for (let i = 0; i < 5; i++) assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  });
});

describe('back-pressure', () => {
  let pool: ReviewPool;
  let app: FastifyInstance;
  before(async () => {
    pool = createReviewPool({ size: 1, maxQueue: 1 });
    await pool.warmUp();
    app = await makeApp({ retryAfterSeconds: 7 }, pool);
    await untilReady(app); // the app's own warm-up ping has left the worker
  });
  after(async () => {
    await app.close();
    await pool.close();
  });

  it('sheds a burst larger than the pool with 503 and Retry-After, and reviews what it accepted', async () => {
    // One worker and one queue slot; eight reviews of a long thread at once.
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => app.inject({ method: 'POST', url: '/v1/reviews', payload: BIG_PATCH, headers: { 'content-type': 'text/plain' } })),
    );
    const ok = burst.filter((r) => r.statusCode === 200);
    const shed = burst.filter((r) => r.statusCode === 503);
    assert.equal(ok.length + shed.length, burst.length, burst.map((r) => r.statusCode).join());
    assert.ok(ok.length >= 2, 'the running review and the queued one finish');
    assert.ok(shed.length >= 1, 'the rest is refused, not queued without bound');
    for (const res of shed) {
      assertProblem('createReview', res, 'overloaded', 503);
      assert.equal(res.headers['retry-after'], '7');
    }
    for (const res of ok) assert.ok((assertMatchesSpec('createReview', res) as { findings: unknown[] }).findings.length > 0);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, new RegExp(`^patch_review_reviews_total\\{outcome="overloaded"\\} ${shed.length}$`, 'm'));
  });
});

describe('a client that hangs up', () => {
  it('frees its place in the queue while its review waits for a worker', async () => {
    const pool = createReviewPool({ size: 1, maxQueue: 2 });
    const app = await makeApp({}, pool);
    try {
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      await untilReady(app); // the warm-up ping is done: the worker is free
      const busy = app.inject({ method: 'POST', url: '/v1/reviews', payload: BIG_PATCH, headers: { 'content-type': 'text/plain' } });
      const until = async (test: () => boolean): Promise<void> => {
        while (!test()) await new Promise((resolve) => setImmediate(resolve));
      };
      await until(() => pool.running() === 1);
      const controller = new AbortController();
      const hangingUp = fetch(`${address}/v1/reviews`, { method: 'POST', body: SMALL_PATCH, headers: { 'content-type': 'text/x-diff' }, signal: controller.signal }).catch((e: Error) => e.name);
      await until(() => pool.queueDepth() === 1);
      controller.abort();
      assert.equal(await hangingUp, 'AbortError');
      await until(() => pool.queueDepth() === 0);
      assert.equal(pool.running(), 1, 'the withdrawn review never ran');
      assert.equal((await busy).statusCode, 200);
      assert.match((await app.inject({ method: 'GET', url: '/metrics' })).body, /^patch_review_reviews_total\{outcome="withdrawn"\} 1$/m);
    } finally {
      await app.close();
      await pool.close();
    }
  });
});

// Owner limits (docs/limits.md): the parser's input limits reached through the API (pool worker and back).
describe('input limits of the parser', () => {
  let pool: ReviewPool;
  let app: FastifyInstance;
  before(async () => {
    pool = createReviewPool({ size: 1 });
    app = await makeApp({}, pool);
  });
  after(async () => {
    await app.close();
    await pool.close();
  });

  it('answers a patch of more lines than the parser reads with 413 too-large naming both numbers', async () => {
    const { DEFAULT_MAX_LINES } = await import('../../src/patch/index.ts');
    const payload = `${SMALL_PATCH.toString('utf8')}${'\n'.repeat(DEFAULT_MAX_LINES)}`;
    const res = await app.inject({ method: 'POST', url: '/v1/reviews', payload, headers: { 'content-type': 'text/x-diff' } });
    const body = assertProblem('createReview', res, 'too-large', 413);
    assert.match(String(body.detail), new RegExp(`input has \\d+ lines, above the limit of ${DEFAULT_MAX_LINES} lines`));
  });

  it('answers a patch of more hunks than the parser reads with 413 too-large', async () => {
    const { DEFAULT_MAX_HUNKS } = await import('../../src/patch/index.ts');
    const { hunkLadder } = await import('../../bench/ladder.ts');
    const res = await app.inject({ method: 'POST', url: '/v1/reviews', payload: hunkLadder(DEFAULT_MAX_HUNKS + 1), headers: { 'content-type': 'text/x-diff' } });
    const body = assertProblem('createReview', res, 'too-large', 413);
    assert.match(String(body.detail), new RegExp(`input has ${DEFAULT_MAX_HUNKS + 1} hunks, above the limit of ${DEFAULT_MAX_HUNKS} hunks`));
  });
});
