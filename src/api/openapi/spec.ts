// The contract: openapi.yaml at the package root, loaded once. Routes take their method, URL and
// request schemas from it by operationId, so the code cannot drift from the document.
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { FastifySchema, HTTPMethods } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's operation in openapi.yaml. */
    operationId?: string;
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Operation {
  operationId: string;
  method: string;
  /** The OpenAPI path (`/v1/rules/{id}`). */
  path: string;
  /** The fastify URL (`/v1/rules/:id`). */
  url: string;
  definition: JsonObject;
}

export interface Spec {
  yaml: string;
  document: JsonObject;
  operations: Map<string, Operation>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function findSpecFile(): URL {
  // src/api/openapi/ from sources, dist/src/api/openapi/ from the build.
  for (const rel of ['../../../openapi.yaml', '../../../../openapi.yaml']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(url)) return url;
  }
  throw new Error('openapi.yaml not found at the package root');
}

let cached: Spec | undefined;

export function loadSpec(): Spec {
  if (cached) return cached;
  const yaml = readFileSync(findSpecFile(), 'utf8');
  const document = parse(yaml) as JsonObject;
  const operations = new Map<string, Operation>();
  for (const [path, item] of Object.entries((document.paths ?? {}) as JsonObject)) {
    for (const method of METHODS) {
      const definition = (item as JsonObject)[method] as JsonObject | undefined;
      if (!definition) continue;
      const operationId = definition.operationId as string;
      if (!operationId) throw new Error(`openapi.yaml: ${method.toUpperCase()} ${path} has no operationId`);
      if (operations.has(operationId)) throw new Error(`openapi.yaml: operationId ${operationId} is used twice`);
      operations.set(operationId, { operationId, method: method.toUpperCase(), path, url: path.replace(/\{(\w+)\}/g, ':$1'), definition });
    }
  }
  cached = { yaml, document, operations };
  return cached;
}

/** Replaces every local `$ref` by what it points to (the document has no recursive schemas). */
export function deref(document: JsonObject, value: Json, depth = 0): Json {
  if (depth > 64) throw new Error('openapi.yaml: $ref nesting too deep (recursive schema?)');
  if (Array.isArray(value)) return value.map((v) => deref(document, v, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  if (typeof value.$ref === 'string') {
    const { $ref, ...siblings } = value;
    const target = resolvePointer(document, $ref);
    const resolved = deref(document, target, depth + 1);
    return Object.keys(siblings).length > 0 ? { ...(resolved as JsonObject), ...(deref(document, siblings, depth + 1) as JsonObject) } : resolved;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deref(document, v, depth + 1)]));
}

function resolvePointer(document: JsonObject, ref: string): Json {
  if (!ref.startsWith('#/')) throw new Error(`openapi.yaml: only local $refs are supported, got ${ref}`);
  let node: Json = document;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !(key in node)) throw new Error(`openapi.yaml: dangling $ref ${ref}`);
    node = node[key]!;
  }
  return node;
}

/** JSON Schema for a component (`Problem`, `ReviewRequest`...), with its refs resolved. */
export function componentSchema(name: string, spec: Spec = loadSpec()): JsonObject {
  return deref(spec.document, { $ref: `#/components/schemas/${name}` }) as JsonObject;
}

export interface RouteSchema {
  body?: { content: Record<string, { schema: JsonObject }> };
  querystring?: JsonObject;
  params?: JsonObject;
}

/**
 * fastify's request schemas for an operation: query and path parameters, and the JSON request body.
 * Raw bodies (patches, mail) are bytes the route reads itself; they are not schema-validated.
 * Responses are not given to fastify: serialisation stays JSON.stringify, and the tests validate
 * every response against the document instead.
 */
export function routeSchema(operation: Operation, spec: Spec = loadSpec()): RouteSchema {
  const def = deref(spec.document, operation.definition) as JsonObject;
  const out: RouteSchema = {};
  const params = (def.parameters ?? []) as JsonObject[];
  for (const where of ['query', 'path'] as const) {
    const list = params.filter((p) => p.in === where);
    if (list.length === 0) continue;
    const schema: JsonObject = {
      type: 'object',
      properties: Object.fromEntries(list.map((p) => [p.name as string, p.schema ?? {}])),
      required: list.filter((p) => p.required).map((p) => p.name as Json),
    };
    if (where === 'query') out.querystring = schema;
    else out.params = schema;
  }
  const content = ((def.requestBody as JsonObject | undefined)?.content ?? {}) as JsonObject;
  const json = content['application/json'] as JsonObject | undefined;
  if (json?.schema) out.body = { content: { 'application/json': { schema: json.schema as JsonObject } } };
  return out;
}

/** The content types an operation's request body accepts. */
export function requestContentTypes(operation: Operation): string[] {
  const body = operation.definition.requestBody as JsonObject | undefined;
  return Object.keys((body?.content ?? {}) as JsonObject);
}

/** Everything fastify's route() needs from the document for this operationId. */
export function routeFor(operationId: string, spec: Spec = loadSpec()): { method: HTTPMethods; url: string; schema: FastifySchema; config: { operationId: string } } {
  const operation = spec.operations.get(operationId);
  if (!operation) throw new Error(`openapi.yaml has no operation ${operationId}`);
  return { method: operation.method as HTTPMethods, url: operation.url, schema: routeSchema(operation, spec) as FastifySchema, config: { operationId } };
}
