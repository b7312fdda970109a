// Shared by the API tests: apps over one small pool, and response validation against openapi.yaml.
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import { defaultConfig, type Config } from '../../src/api/config.ts';
import { deref, loadSpec, type JsonObject } from '../../src/api/openapi/spec.ts';
import type { ReviewPool } from '../../src/pool/index.ts';

export const SMALL_PATCH = readFileSync(new URL('../fixtures/api/small.patch', import.meta.url));
/** A real review thread: many functions, about a second of simulation (a "big" review for these tests). */
export const BIG_PATCH = readFileSync(new URL('../../examples/xen-vtd-flush-review.txt', import.meta.url));

/**
 * Test configuration: one worker, no load shedding by event-loop delay (a busy CI box must not shed), no review
 * cache (tests of the pool send the same patch many times and must reach a worker each time; the cache's own
 * tests turn it on).
 */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return defaultConfig({ workers: 1, queueMax: 8, maxEventLoopDelayMs: 0, reviewCacheBytes: 0, ...overrides });
}

export async function makeApp(overrides: Partial<Config> = {}, pool?: ReviewPool): Promise<FastifyInstance> {
  const app = await buildApp({ config: testConfig(overrides), pool });
  await app.ready();
  return app;
}

/** Waits (without a clock) until the workers have loaded the engine. */
export async function untilReady(app: FastifyInstance): Promise<void> {
  for (;;) {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    if (res.statusCode === 200) return;
    await new Promise((resolve) => setImmediate(resolve));
    await app.pool.warmUp();
  }
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
const validators = new Map<string, ReturnType<typeof ajv.compile>>();

/** The spec's response object for an operation and status (or `default`). */
function specResponse(operationId: string, status: number): JsonObject {
  const spec = loadSpec();
  const operation = spec.operations.get(operationId);
  assert.ok(operation, `openapi.yaml has no operation ${operationId}`);
  const responses = deref(spec.document, operation.definition.responses ?? {}) as JsonObject;
  const response = (responses[String(status)] ?? responses.default) as JsonObject | undefined;
  assert.ok(response, `openapi.yaml documents no ${status} response for ${operationId}`);
  return response;
}

/**
 * Asserts that a response matches openapi.yaml: the status is documented for the operation, the
 * content type is one the spec lists for it, required headers are present, and a JSON body validates
 * against the schema. Returns the parsed body (JSON) or the text.
 */
export function assertMatchesSpec(operationId: string, res: LightMyRequestResponse): unknown {
  const response = specResponse(operationId, res.statusCode);
  const content = (response.content ?? {}) as JsonObject;
  const type = String(res.headers['content-type'] ?? '').split(';')[0]!.trim();
  assert.ok(type in content, `${operationId} ${res.statusCode}: content type ${type} is not in the spec (${Object.keys(content).join(', ')})`);
  for (const [name, header] of Object.entries((response.headers ?? {}) as JsonObject)) {
    if ((header as JsonObject).required === true || name === 'Retry-After' || name === 'WWW-Authenticate') {
      assert.ok(res.headers[name.toLowerCase()] !== undefined, `${operationId} ${res.statusCode}: header ${name} missing`);
    }
  }
  const isJson = type === 'application/json' || type.endsWith('+json');
  if (!isJson) return res.body;
  const body = JSON.parse(res.body) as unknown;
  const schema = (content[type] as JsonObject).schema as JsonObject;
  const key = `${operationId} ${res.statusCode} ${type}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  assert.ok(validate(body), `${key}: the body does not match openapi.yaml: ${ajv.errorsText(validate.errors)}`);
  return body;
}

/** Asserts an error answer is problem+json with the given stable type, and matches the spec. */
export function assertProblem(operationId: string, res: LightMyRequestResponse, name: string, status: number): Record<string, unknown> {
  assert.equal(res.statusCode, status, `expected ${status} ${name}, got ${res.statusCode}: ${res.body}`);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = assertMatchesSpec(operationId, res) as Record<string, unknown>;
  assert.equal(body.type, `urn:patch-review:problem:${name}`);
  assert.equal(body.status, status);
  assert.equal(typeof body.detail, 'string');
  assert.equal(body.instance, res.headers['x-request-id']);
  return body;
}
