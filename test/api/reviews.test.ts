import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createReviewPool, type ReviewPool } from '../../src/pool/index.ts';
import type { Review, ReviewOptions } from '../../src/review/types.ts';
import { assertMatchesSpec, assertProblem, makeApp, SMALL_PATCH, BIG_PATCH } from './helpers.ts';

const SMALL = SMALL_PATCH.toString('utf8');
/** The same patch as one mail (no mbox "From <sha>" line). */
const MAIL = SMALL.split('\n').slice(1).join('\n');
/** A series of two patches in one mbox. */
const SERIES = [SMALL.replace('[PATCH]', '[PATCH 1/2]'), SMALL.replace('[PATCH]', '[PATCH 2/2]').replaceAll('hw_init', 'fw_init')].join('\n');
const NOT_C = 'diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n@@ -1,1 +1,1 @@\n-hello\n+hello world\n';

type Res = Awaited<ReturnType<FastifyInstance['inject']>>;

describe('POST /v1/reviews', () => {
  let pool: ReviewPool;
  let app: FastifyInstance;
  let tree: string;
  let kb: string;
  const seen: ReviewOptions[] = [];
  before(async () => {
    pool = createReviewPool({ size: 1 });
    // The pool as the app sees it, recording the options each review ran with.
    const recording: ReviewPool = {
      ...pool,
      size: pool.size,
      maxQueue: pool.maxQueue,
      review: (input, options = {}) => {
        seen.push(options);
        return pool.review(input, { ...options, kb: undefined });
      },
    };
    tree = mkdtempSync(join(tmpdir(), 'api-tree-'));
    mkdirSync(join(tree, 'xen/common'), { recursive: true });
    mkdirSync(join(tree, 'xen/include'), { recursive: true });
    writeFileSync(join(tree, 'xen/common/a.c'), 'int setup(struct domain *d)\n{\n    if ( d->is_hw )\n        hw_init(d);\n    return 0;\n}\n\n');
    writeFileSync(join(tree, 'xen/include/a.h'), 'void hw_init(struct domain *d);\n');
    kb = join(tree, 'project.kb');
    writeFileSync(kb, '{}\n');
    app = await makeApp({ projects: { xen: { tree }, vendor: { kb } }, bodyLimit: 64 * 1024 }, recording);
  });
  after(async () => {
    await app.close();
    await pool.close();
    rmSync(tree, { recursive: true, force: true });
  });

  const post = (payload: string | Buffer, headers: Record<string, string>, url = '/v1/reviews'): Promise<Res> => app.inject({ method: 'POST', url, payload, headers });
  const json = (body: unknown, headers: Record<string, string> = {}, url?: string): Promise<Res> => post(JSON.stringify(body), { 'content-type': 'application/json', ...headers }, url);
  const review = (res: Res): Review & { outcome: { result: string; counted: number; failOn: string; failOnInconclusive: boolean; timedOut?: boolean }; notes: string[] } => {
    assert.equal(res.statusCode, 200, res.body);
    return assertMatchesSpec('createReview', res) as never;
  };

  for (const type of ['text/x-diff', 'text/x-patch', 'text/plain', 'text/x-diff; charset=utf-8']) {
    it(`reviews a patch sent as ${type} and answers the review as JSON`, async () => {
      const body = review(await post(SMALL_PATCH, { 'content-type': type }));
      assert.equal(body.input.kind, 'format-patch');
      assert.equal(body.findings.length, 1);
      assert.equal(body.findings[0]!.verdict, 'verified');
      assert.equal(body.findings[0]!.ruleId, 'error-handling/logged-not-returned');
      assert.deepEqual(body.notes, []);
    });
  }

  it('reviews a mail sent as message/rfc822', async () => {
    const body = review(await post(MAIL, { 'content-type': 'message/rfc822' }));
    assert.equal(body.patches[0]!.meta.subject, '[PATCH] xen: report hw_init() failures');
    assert.equal(body.findings.length, 1);
  });

  it('reviews each patch of a series sent as application/mbox', async () => {
    const body = review(await post(SERIES, { 'content-type': 'application/mbox' }));
    assert.equal(body.stats.patches, 2);
    assert.deepEqual(body.findings.map((f) => f.patch).sort(), [0, 1]);
  });

  it('reviews JSON {patch, options, name}, options in the body winning over the query string', async () => {
    const res = await json({ patch: SMALL, name: 'hw.patch', options: { failOn: 'error' } }, {}, '/v1/reviews?failOn=info');
    const body = review(res);
    assert.equal(body.input.name, 'hw.patch');
    assert.equal(body.outcome.failOn, 'error');
    assert.equal(body.outcome.result, 'pass'); // a warning does not reach "error"
    assert.equal(res.headers['patch-review-outcome'], 'pass');
  });

  it('fails the outcome at the threshold, counting verified findings only unless asked', async () => {
    const fail = await post(SMALL_PATCH, { 'content-type': 'text/x-diff' }, '/v1/reviews?failOn=warning');
    assert.deepEqual([review(fail).outcome.result, review(fail).outcome.counted, fail.headers['patch-review-outcome']], ['fail', 1, 'fail']);
    const none = review(await post(SMALL_PATCH, { 'content-type': 'text/x-diff' }, '/v1/reviews?failOn=none'));
    assert.equal(none.outcome.result, 'pass');
    const withInconclusive = review(await json({ patch: SMALL, options: { failOnInconclusive: true } }));
    assert.equal(withInconclusive.outcome.failOnInconclusive, true);
  });

  it('runs only the rules and packs asked for, and leaves out the disabled ones', async () => {
    const only = review(await post(SMALL_PATCH, { 'content-type': 'text/x-diff' }, '/v1/reviews?rules=simplify'));
    assert.ok(only.rules.length > 0);
    assert.ok(only.rules.every((r) => r.pack === 'simplify'), only.rules.map((r) => r.id).join());
    assert.ok(only.findings.every((f) => f.ruleId.startsWith('simplify/')));
    assert.deepEqual(seen.at(-1)!.rules, ['simplify']);
    const disabled = review(await json({ patch: SMALL, options: { disable: ['error-handling/logged-not-returned'] } }));
    assert.ok(disabled.findings.every((f) => f.ruleId !== 'error-handling/logged-not-returned'));
    assert.deepEqual(seen.at(-1)!.disable, ['error-handling/logged-not-returned']);
  });

  it('includes refuted candidates only when asked', async () => {
    const body = review(await json({ patch: SMALL, options: { showRefuted: true } }));
    assert.ok(Array.isArray(body.refuted));
    const plain = review(await json({ patch: SMALL }));
    assert.equal(plain.refuted, undefined);
  });

  it('reviews with a configured project by name: its tree or knowledge base, never a path from the request', async () => {
    review(await post(SMALL_PATCH, { 'content-type': 'text/x-diff' }, '/v1/reviews?project=xen'));
    assert.equal(seen.at(-1)!.tree, tree);
    review(await json({ patch: SMALL, options: { project: 'vendor' } }));
    assert.equal(seen.at(-1)!.kb, kb);
    assert.equal(seen.at(-1)!.tree, undefined);
    assertProblem('createReview', await json({ patch: SMALL, options: { project: 'linux' } }), 'unknown-project', 400);
    assertProblem('createReview', await json({ patch: SMALL, options: { project: '/etc' } }), 'invalid-request', 400);
    assertProblem('createReview', await json({ patch: SMALL, options: { tree: '/etc' } }), 'invalid-request', 400);
  });

  it('caps the time limit a request asks for at the server budget', async () => {
    review(await json({ patch: SMALL, options: { timeLimitMs: 10_000_000 } }));
    assert.equal(seen.at(-1)!.timeLimitMs, 60_000);
    review(await json({ patch: SMALL, options: { timeLimitMs: 5_000 } }));
    assert.equal(seen.at(-1)!.timeLimitMs, 5_000);
  });

  it('returns what finished within the time budget and marks the rest as not reviewed', async () => {
    const body = review(await post(BIG_PATCH, { 'content-type': 'text/plain' }, '/v1/reviews?timeLimitMs=1'));
    assert.equal(body.stats.timedOut, true);
    assert.equal(body.outcome.timedOut, true);
    assert.ok(body.warnings.some((w) => w.code === 'time-limit'));
    assert.ok(body.notes.some((n) => /time limit \(1 ms\) expired/.test(n)), body.notes.join('\n'));
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    assert.match(metrics.body, /^patch_review_reviews_time_limited_total [1-9]/m);
    assert.match(metrics.body, /^patch_review_reviews_total\{outcome="time-limited"\} [1-9]/m);
  });

  it('answers 200 with an empty review and a note for a patch that holds no C', async () => {
    const body = review(await post(NOT_C, { 'content-type': 'text/x-diff' }));
    assert.deepEqual(body.findings, []);
    assert.equal(body.notes.length, 1);
    assert.match(body.notes[0]!, /no C: README\.md/);
  });

  describe('formats', () => {
    const cases: [string, Record<string, string>, string, string][] = [
      ['SARIF for Accept: application/sarif+json', { accept: 'application/sarif+json' }, '', 'application/sarif+json'],
      ['rdjson for Accept: application/vnd.reviewdog.rdjson+json', { accept: 'application/vnd.reviewdog.rdjson+json' }, '', 'application/vnd.reviewdog.rdjson+json'],
      ['checkpatch text for Accept: text/x-checkpatch', { accept: 'text/x-checkpatch' }, '', 'text/x-checkpatch'],
      ['the text report for Accept: text/plain', { accept: 'text/plain' }, '', 'text/plain'],
      ['JSON for Accept: */*', { accept: '*/*' }, '', 'application/json'],
      ['the preferred of several by q-value', { accept: 'application/json;q=0.5, application/sarif+json' }, '', 'application/sarif+json'],
      ['the format query parameter over Accept', { accept: 'application/json' }, '?format=checkpatch', 'text/x-checkpatch'],
    ];
    for (const [what, headers, query, type] of cases) {
      it(`answers ${what}`, async () => {
        const res = await post(SMALL_PATCH, { 'content-type': 'text/x-diff', ...headers }, `/v1/reviews${query}`);
        assert.equal(res.statusCode, 200);
        assert.equal(String(res.headers['content-type']).split(';')[0], type);
        const body = assertMatchesSpec('createReview', res);
        if (type === 'application/sarif+json') assert.equal((body as { runs: { results: unknown[] }[] }).runs[0]!.results.length, 1);
        if (type === 'application/vnd.reviewdog.rdjson+json') assert.equal((body as { diagnostics: unknown[] }).diagnostics.length, 1);
        if (type === 'text/x-checkpatch') assert.match(body as string, /^WARNING:LOGGED_NOT_RETURNED: /m);
        if (type === 'text/plain') assert.match(body as string, /\[error-handling\/logged-not-returned\]/);
      });
    }

    it('answers 406 when nothing the client accepts is offered', async () => {
      const body = assertProblem('createReview', await post(SMALL_PATCH, { 'content-type': 'text/x-diff', accept: 'image/png' }), 'not-acceptable', 406);
      assert.match(String(body.detail), /application\/sarif\+json/);
      assertProblem('createReview', await post(SMALL_PATCH, { 'content-type': 'text/x-diff' }, '/v1/reviews?format=pdf'), 'invalid-request', 400);
    });
  });

  describe('errors', () => {
    it('answers 400 empty-body for an empty raw body, a blank one, or an empty "patch"', async () => {
      assertProblem('createReview', await post('', { 'content-type': 'text/x-diff' }), 'empty-body', 400);
      assertProblem('createReview', await post('  \n\n', { 'content-type': 'text/plain' }), 'empty-body', 400);
      assertProblem('createReview', await json({ patch: '' }), 'empty-body', 400);
      assertProblem('createReview', await post('', { 'content-type': 'application/json' }), 'empty-body', 400);
    });

    it('answers 422 no-patch naming what was found instead', async () => {
      const body = assertProblem('createReview', await post('Subject: lunch?\n\nShall we?\n', { 'content-type': 'message/rfc822' }), 'no-patch', 422);
      assert.equal(body.found, 'an email with no diff');
      assert.match(String(body.detail), /an email with no diff/);
      const binary = assertProblem('createReview', await post(Buffer.from([0, 1, 2, 3, 0, 0, 7]), { 'content-type': 'text/plain' }), 'no-patch', 422);
      assert.equal(binary.found, 'binary data');
    });

    it('answers 415 for a media type the endpoint does not read, naming the ones it does', async () => {
      const body = assertProblem('createReview', await post('%PDF-1.4', { 'content-type': 'application/pdf' }), 'unsupported-media-type', 415);
      assert.match(String(body.detail), /application\/pdf.*text\/x-diff/);
    });

    it('answers 413 above the body limit, raw or JSON', async () => {
      const big = Buffer.alloc(65 * 1024, 'a');
      assertProblem('createReview', await post(big, { 'content-type': 'text/x-diff' }), 'too-large', 413);
      assertProblem('createReview', await json({ patch: big.toString() }), 'too-large', 413);
    });

    it('answers 400 malformed-json for a body that is not JSON', async () => {
      assertProblem('createReview', await post('{"patch": ', { 'content-type': 'application/json' }), 'malformed-json', 400);
    });

    it('answers 400 invalid-request, member by member, for JSON that breaks the contract', async () => {
      const body = assertProblem('createReview', await json({ patch: SMALL, options: { failOn: 'loud', colour: true } }), 'invalid-request', 400);
      const where = (body.errors as { where: string }[]).map((e) => e.where);
      assert.ok(where.includes('body/options/failOn'), where.join());
      assert.ok(where.includes('body/options'), where.join());
      assertProblem('createReview', await json({ options: {} }), 'invalid-request', 400);
      assertProblem('createReview', await post(SMALL_PATCH, { 'content-type': 'text/x-diff' }, '/v1/reviews?timeLimitMs=soon'), 'invalid-request', 400);
    });

    it('answers 400 unknown-rule listing the names not in the catalogue', async () => {
      const body = assertProblem('createReview', await post(SMALL_PATCH, { 'content-type': 'text/x-diff' }, '/v1/reviews?rules=error-handling/no-such,simplify,nopack'), 'unknown-rule', 400);
      assert.deepEqual(body.unknown, ['error-handling/no-such', 'nopack']);
      assertProblem('createReview', await json({ patch: SMALL, options: { disable: ['typo'] } }), 'unknown-rule', 400);
    });

    it('answers 404 not-found for a route that does not exist', async () => {
      const res = await app.inject({ method: 'GET', url: '/v2/reviews' });
      assert.equal(res.statusCode, 404);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      assert.equal(JSON.parse(res.body).type, 'urn:patch-review:problem:not-found');
    });

    it('keeps a request id from the load balancer, and makes one otherwise', async () => {
      const given = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'lb-1234' } });
      assert.equal(given.headers['x-request-id'], 'lb-1234');
      const made = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id with spaces' } });
      assert.match(String(made.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    });
  });
});
