import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createReviewPool, type ReviewPool } from '../../src/pool/index.ts';
import { assertMatchesSpec, assertProblem, makeApp, untilReady, SMALL_PATCH, BIG_PATCH } from './helpers.ts';

describe('rules, health, readiness, metrics and the page', () => {
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

  it('lists the rule catalogue with each rule\'s provenance', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/rules' });
    const body = assertMatchesSpec('listRules', res) as { rules: { id: string; pack: string; source: { quote: string } }[] };
    assert.ok(body.rules.length >= 10);
    assert.ok(body.rules.every((r) => r.id.startsWith(`${r.pack}/`) && r.source.quote.length > 0));
    const simplify = assertMatchesSpec('listRules', await app.inject({ method: 'GET', url: '/v1/rules?pack=simplify' })) as typeof body;
    assert.ok(simplify.rules.length > 0 && simplify.rules.every((r) => r.pack === 'simplify'));
    assertProblem('listRules', await app.inject({ method: 'GET', url: '/v1/rules?pack=nope' }), 'unknown-rule', 400);
  });

  it('shows one rule by pack/id (URL-encoded) or by a unique bare id, and 404s otherwise', async () => {
    const full = assertMatchesSpec('getRule', await app.inject({ method: 'GET', url: '/v1/rules/error-handling%2Flogged-not-returned' })) as { id: string; messages: object };
    assert.equal(full.id, 'error-handling/logged-not-returned');
    assert.ok(Object.keys(full.messages).length > 0);
    const bare = assertMatchesSpec('getRule', await app.inject({ method: 'GET', url: '/v1/rules/logged-not-returned' })) as { id: string };
    assert.equal(bare.id, 'error-handling/logged-not-returned');
    assertProblem('getRule', await app.inject({ method: 'GET', url: '/v1/rules/no-such-rule' }), 'not-found', 404);
  });

  it('answers /healthz at once, and /readyz once the workers have loaded the engine', async () => {
    const health = assertMatchesSpec('getHealth', await app.inject({ method: 'GET', url: '/healthz' })) as { status: string };
    assert.equal(health.status, 'ok');
    await untilReady(app);
    const ready = assertMatchesSpec('getReadiness', await app.inject({ method: 'GET', url: '/readyz' })) as { status: string; workers: number };
    assert.deepEqual([ready.status, ready.workers], ['ready', 1]);
  });

  it('exposes Prometheus metrics: requests, latency histogram, queue depth, reviews by outcome, budget exhaustion', async () => {
    await app.inject({ method: 'POST', url: '/v1/reviews', payload: SMALL_PATCH, headers: { 'content-type': 'text/x-diff' } });
    await app.inject({ method: 'POST', url: '/v1/reviews', payload: 'no patch here', headers: { 'content-type': 'text/plain' } });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    const text = assertMatchesSpec('getMetrics', res) as string;
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.match(text, /^patch_review_http_requests_total\{operation="createReview",method="POST",status="200"\} 1$/m);
    assert.match(text, /^patch_review_http_requests_total\{operation="createReview",method="POST",status="422"\} 1$/m);
    assert.match(text, /^# TYPE patch_review_http_request_duration_seconds histogram$/m);
    assert.match(text, /^patch_review_http_request_duration_seconds_bucket\{operation="createReview",le="\+Inf"\} 2$/m);
    assert.match(text, /^patch_review_http_request_duration_seconds_count\{operation="createReview"\} 2$/m);
    assert.match(text, /^patch_review_queue_depth 0$/m);
    assert.match(text, /^patch_review_reviews_total\{outcome="findings"\} 1$/m);
    assert.match(text, /^patch_review_reviews_total\{outcome="rejected"\} 1$/m);
    assert.match(text, /^patch_review_simulation_budget_exhausted_total \d+$/m);
    assert.match(text, /^patch_review_findings_total\{verdict="verified"\} 1$/m);
    // Every sample line is "name{labels} value".
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) assert.match(line, /^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$/, line);
  });

  it('serves the review page and its assets with a strict content security policy', async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    assertMatchesSpec('getReviewPage', page);
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'/);
    assert.match(page.body, /<textarea id="patch"/);
    assert.doesNotMatch(page.body, /(src|href)="(https?:)?\/\//);
    const js = await app.inject({ method: 'GET', url: '/assets/review-page.js' });
    assertMatchesSpec('getPageAsset', js);
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    const css = await app.inject({ method: 'GET', url: '/assets/review-page.css' });
    assert.match(String(css.headers['content-type']), /^text\/css/);
    assertProblem('getPageAsset', await app.inject({ method: 'GET', url: '/assets/missing.js' }), 'not-found', 404);
    assertProblem('getPageAsset', await app.inject({ method: 'GET', url: '/assets/..%2Fapp.ts' }), 'invalid-request', 400);
  });

  it('answers /healthz while a long review runs in a worker (the event loop stays free)', async () => {
    await untilReady(app);
    const review = app.inject({ method: 'POST', url: '/v1/reviews', payload: BIG_PATCH, headers: { 'content-type': 'text/plain' } }).then(() => 'review');
    const health = app.inject({ method: 'GET', url: '/healthz' }).then((res) => (res.statusCode === 200 ? 'health' : `health ${res.statusCode}`));
    assert.equal(await Promise.race([review, health]), 'health');
    await review;
  });
});
