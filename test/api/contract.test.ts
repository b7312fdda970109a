import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { loadSpec, deref, componentSchema } from '../../src/api/openapi/spec.ts';
import { DOCS_PREFIX } from '../../src/api/plugins/openapi.ts';
import { PROBLEMS, problemType } from '../../src/api/problems.ts';
import { ENV } from '../../src/api/config.ts';
import { API_FORMATS, MEDIA_TYPES } from '../../src/api/negotiate.ts';
import { createReviewPool, type ReviewPool } from '../../src/pool/index.ts';
import { assertMatchesSpec, makeApp } from './helpers.ts';

describe('the OpenAPI contract', () => {
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

  it('gives every route an operationId that the spec has, at the same method and path', () => {
    const spec = loadSpec();
    const routes = app.routeTable.filter((r) => r.method !== 'HEAD' && !r.url.startsWith(DOCS_PREFIX));
    assert.ok(routes.length > 0);
    for (const route of routes) {
      assert.ok(route.operationId, `${route.method} ${route.url} has no operationId`);
      const op = spec.operations.get(route.operationId);
      assert.ok(op, `${route.method} ${route.url}: operationId ${route.operationId} is not in openapi.yaml`);
      assert.equal(op.method, route.method);
      assert.equal(op.url, route.url);
    }
  });

  it('has a route for every operationId the spec names', () => {
    const registered = new Set(app.routeTable.map((r) => r.operationId).filter(Boolean));
    for (const id of loadSpec().operations.keys()) assert.ok(registered.has(id), `openapi.yaml names ${id} but no route serves it`);
  });

  it('leaves only the swagger-ui docs pages outside the contract', () => {
    const outside = app.routeTable.filter((r) => !r.operationId && r.method !== 'HEAD').map((r) => r.url);
    assert.ok(outside.length > 0);
    for (const url of outside) assert.ok(url.startsWith(DOCS_PREFIX), `${url} is neither in the spec nor a docs page`);
  });

  it('resolves every $ref, and is OpenAPI 3.1', () => {
    const { document } = loadSpec();
    assert.equal(document.openapi, '3.1.0');
    assert.doesNotThrow(() => deref(document, document));
  });

  it('lists exactly the problem types the server can send', () => {
    const listed = (componentSchema('Problem').properties as { type: { enum: string[] } }).type.enum;
    assert.deepEqual([...listed].sort(), Object.keys(PROBLEMS).map((name) => problemType(name as keyof typeof PROBLEMS)).sort());
  });

  it('lists exactly the review formats the server renders', () => {
    const op = loadSpec().operations.get('createReview')!;
    const content = Object.keys(((op.definition.responses as Record<string, { content: object }>)['200']!).content);
    assert.deepEqual(content.sort(), API_FORMATS.map((f) => MEDIA_TYPES[f]).sort());
    const formats = (componentSchema('FormatName') as { enum: string[] }).enum;
    assert.deepEqual([...formats].sort(), [...API_FORMATS].sort());
  });

  it('carries the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal((loadSpec().document.info as { version: string }).version, pkg.version);
  });

  it('is documented: the README lists every environment variable, docs/api.md every problem type', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(ENV)) assert.match(readme, new RegExp(`^\\| \`${name}\` \\|`, 'm'), `README's configuration table lacks ${name}`);
    const docs = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    for (const name of Object.keys(PROBLEMS)) assert.ok(docs.includes(`| \`${name}\` | ${PROBLEMS[name as keyof typeof PROBLEMS].status} |`), `docs/api.md lacks the problem ${name}`);
  });

  it('serves itself as YAML (the file as written) and as JSON (the same document)', async () => {
    const yaml = await app.inject({ method: 'GET', url: '/openapi.yaml' });
    assertMatchesSpec('getOpenApiYaml', yaml);
    assert.equal(yaml.body, readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'));
    const json = await app.inject({ method: 'GET', url: '/openapi.json' });
    assertMatchesSpec('getOpenApiJson', json);
    assert.deepEqual(JSON.parse(json.body), parse(yaml.body));
  });

  it('has a browsable docs page over the same document, with no external assets', async () => {
    const page = await app.inject({ method: 'GET', url: `${DOCS_PREFIX}/` });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.doesNotMatch(page.body, /(src|href)="https?:\/\//);
    const doc = await app.inject({ method: 'GET', url: `${DOCS_PREFIX}/json` });
    assert.equal(JSON.parse(doc.body).info.title, 'patch-review');
  });
});
