// Service configuration: environment variables validated at boot with ajv (the validator fastify uses),
// embedded defaults so `npm start` needs none. A bad value stops the boot with one line per problem.
import { availableParallelism } from 'node:os';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { Ajv } from 'ajv';

export interface ProjectConfig {
  /** A checkout of the project (tree mode). */
  tree?: string;
  /** A saved knowledge base (`patch-review index`). */
  kb?: string;
}

export interface Config {
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Largest accepted request body in bytes. */
  bodyLimit: number;
  /** Per-review wall-clock budget; what finished is returned, the rest marked not reviewed. */
  reviewTimeLimitMs: number;
  workers: number;
  queueMax: number;
  /** Bearer tokens; empty: no authentication. */
  apiTokens: string[];
  /** Requests per window and client; 0: no rate limit. */
  rateLimitMax: number;
  rateLimitWindowMs: number;
  /** Trust X-Forwarded-* from this many proxy hops (behind a load balancer). */
  trustProxy: number | boolean;
  /** Named projects a request may select; never a path from the request. */
  projects: Record<string, ProjectConfig>;
  /** Seconds a client is told to wait (Retry-After) when the service sheds load. */
  retryAfterSeconds: number;
  /** Event-loop delay above which requests are shed (under-pressure); 0: off. */
  maxEventLoopDelayMs: number;
  /** How long SIGTERM waits for in-flight requests before giving up. */
  shutdownTimeoutMs: number;
  /** Node's keep-alive timeout; keep it above the load balancer's idle timeout. */
  keepAliveTimeoutMs: number;
  /** Longest a request (body upload and review) may take on the socket. */
  requestTimeoutMs: number;
  /** Review workers keep the C model's caches between reviews (ReviewPoolOptions.keepModelCache). */
  modelCache: boolean;
  /** Bytes of finished reviews kept to answer the same request again (src/api/review-cache.ts); 0: off. */
  reviewCacheBytes: number;
}

/** The environment variables, their defaults and meaning (README's table is written from this). */
export const ENV = {
  HOST: { key: 'host', type: 'string', default: '127.0.0.1', doc: 'Address to listen on (0.0.0.0 in the container).' },
  PORT: { key: 'port', type: 'integer', minimum: 0, maximum: 65535, default: 8080, doc: 'TCP port (0: any free port).' },
  LOG_LEVEL: { key: 'logLevel', type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info', doc: 'pino log level.' },
  BODY_LIMIT: { key: 'bodyLimit', type: 'integer', minimum: 1024, maximum: 64 * 1024 * 1024, default: 10 * 1024 * 1024, doc: 'Largest request body, in bytes (413 above it).' },
  REVIEW_TIME_LIMIT_MS: { key: 'reviewTimeLimitMs', type: 'integer', minimum: 100, default: 60_000, doc: 'Wall-clock budget of one review; a request may ask for less.' },
  WORKERS: { key: 'workers', type: 'integer', minimum: 1, maximum: 256, default: 'available parallelism', doc: 'Review worker threads.' },
  QUEUE_MAX: { key: 'queueMax', type: 'integer', minimum: 0, default: '8 × WORKERS', doc: 'Reviews that may wait for a worker; beyond it 503 + Retry-After.' },
  API_TOKENS: { key: 'apiTokens', type: 'string', default: '', doc: 'Comma-separated bearer tokens (≥ 16 characters each); set: /v1 requires one.' },
  RATE_LIMIT_MAX: { key: 'rateLimitMax', type: 'integer', minimum: 0, default: '0 on loopback, else 120', doc: 'Requests per window per client (token, else address); 0: off.' },
  RATE_LIMIT_WINDOW_MS: { key: 'rateLimitWindowMs', type: 'integer', minimum: 1000, default: 60_000, doc: 'Rate-limit window.' },
  TRUST_PROXY: { key: 'trustProxy', type: 'string', default: 'false', doc: '`true`, `false` or a hop count: trust X-Forwarded-For from the load balancer.' },
  PROJECTS: { key: 'projects', type: 'string', default: '{}', doc: 'JSON `{"name": {"tree": "/abs/dir"} | {"kb": "/abs/file"}}`: what `project` may select.' },
  RETRY_AFTER_SECONDS: { key: 'retryAfterSeconds', type: 'integer', minimum: 1, maximum: 3600, default: 5, doc: 'Retry-After on 503.' },
  MAX_EVENT_LOOP_DELAY_MS: { key: 'maxEventLoopDelayMs', type: 'integer', minimum: 0, default: 1000, doc: 'Shed load above this event-loop delay; 0: off.' },
  SHUTDOWN_TIMEOUT_MS: { key: 'shutdownTimeoutMs', type: 'integer', minimum: 0, default: 60_000, doc: 'SIGTERM: time allowed to finish in-flight reviews.' },
  KEEP_ALIVE_TIMEOUT_MS: { key: 'keepAliveTimeoutMs', type: 'integer', minimum: 0, default: 75_000, doc: 'HTTP keep-alive; above the load balancer idle timeout.' },
  REQUEST_TIMEOUT_MS: { key: 'requestTimeoutMs', type: 'integer', minimum: 0, default: 300_000, doc: 'Socket limit for one whole request.' },
  REVIEW_CACHE_MB: { key: 'reviewCacheBytes', type: 'integer', minimum: 0, maximum: 4096, default: 64, doc: 'Megabytes of finished reviews kept in memory: the same patch sent again with the same options (a CI job re-run, a patch on two lists) is answered without reviewing it again (`Patch-Review-Cache: hit`); never reviews against a `tree` project or cut by the time limit; 0: off.' },
  MODEL_CACHE: { key: 'modelCache', type: 'string', enum: ['on', 'off'], default: 'on', doc: 'on: review workers keep parsed C texts between reviews (faster on texts seen before, ~15 MB per worker at most); off: every review parses anew.' },
} as const;

export type EnvName = keyof typeof ENV;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const projectsSchema = {
  type: 'object',
  propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
  additionalProperties: {
    type: 'object',
    properties: { tree: { type: 'string', minLength: 1 }, kb: { type: 'string', minLength: 1 } },
    additionalProperties: false,
    minProperties: 1,
  },
} as const;

function envSchema(): object {
  const properties: Record<string, object> = {};
  for (const [name, spec] of Object.entries(ENV)) {
    const { key: _key, doc: _doc, default: _default, ...rest } = spec as Record<string, unknown>;
    properties[name] = rest;
  }
  return { type: 'object', properties };
}

const ajv = new Ajv({ allErrors: true, coerceTypes: true, strict: true });
const validateEnv = ajv.compile(envSchema());
const validateProjects = ajv.compile(projectsSchema);

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;
export const isLoopback = (host: string): boolean => LOOPBACK.test(host);

/** Reads the service's variables from `env`; throws ConfigError naming every bad one. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const name of Object.keys(ENV)) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') raw[name] = value.trim();
  }
  const problems: string[] = [];
  if (!validateEnv(raw)) {
    for (const e of validateEnv.errors ?? []) {
      const name = e.instancePath.replace(/^\//, '');
      problems.push(`${name}=${JSON.stringify(env[name])}: ${e.message}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as string[]).join(', ')})` : ''}`);
    }
    throw new ConfigError(problems);
  }
  const host = (raw.HOST as string | undefined) ?? '127.0.0.1';
  const workers = (raw.WORKERS as number | undefined) ?? Math.max(1, availableParallelism());
  const apiTokens = ((raw.API_TOKENS as string | undefined) ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  for (const [i, token] of apiTokens.entries()) {
    if (token.length < 16) problems.push(`API_TOKENS: token ${i + 1} is ${token.length} characters; use at least 16`);
    if (!/^[\x21-\x7e]+$/.test(token)) problems.push(`API_TOKENS: token ${i + 1} has characters a bearer token cannot carry`);
  }
  const trustProxy = parseTrustProxy((raw.TRUST_PROXY as string | undefined) ?? 'false', problems);
  const projects = parseProjects((raw.PROJECTS as string | undefined) ?? '{}', problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    host,
    port: (raw.PORT as number | undefined) ?? 8080,
    logLevel: ((raw.LOG_LEVEL as string | undefined) ?? 'info') as Config['logLevel'],
    bodyLimit: (raw.BODY_LIMIT as number | undefined) ?? ENV.BODY_LIMIT.default,
    reviewTimeLimitMs: (raw.REVIEW_TIME_LIMIT_MS as number | undefined) ?? ENV.REVIEW_TIME_LIMIT_MS.default,
    workers,
    queueMax: (raw.QUEUE_MAX as number | undefined) ?? workers * 8,
    apiTokens,
    rateLimitMax: (raw.RATE_LIMIT_MAX as number | undefined) ?? (isLoopback(host) ? 0 : 120),
    rateLimitWindowMs: (raw.RATE_LIMIT_WINDOW_MS as number | undefined) ?? ENV.RATE_LIMIT_WINDOW_MS.default,
    trustProxy,
    projects,
    retryAfterSeconds: (raw.RETRY_AFTER_SECONDS as number | undefined) ?? ENV.RETRY_AFTER_SECONDS.default,
    maxEventLoopDelayMs: (raw.MAX_EVENT_LOOP_DELAY_MS as number | undefined) ?? ENV.MAX_EVENT_LOOP_DELAY_MS.default,
    shutdownTimeoutMs: (raw.SHUTDOWN_TIMEOUT_MS as number | undefined) ?? ENV.SHUTDOWN_TIMEOUT_MS.default,
    keepAliveTimeoutMs: (raw.KEEP_ALIVE_TIMEOUT_MS as number | undefined) ?? ENV.KEEP_ALIVE_TIMEOUT_MS.default,
    requestTimeoutMs: (raw.REQUEST_TIMEOUT_MS as number | undefined) ?? ENV.REQUEST_TIMEOUT_MS.default,
    reviewCacheBytes: ((raw.REVIEW_CACHE_MB as number | undefined) ?? ENV.REVIEW_CACHE_MB.default) * 1024 * 1024,
    modelCache: ((raw.MODEL_CACHE as string | undefined) ?? ENV.MODEL_CACHE.default) === 'on',
  };
}

function parseTrustProxy(value: string, problems: string[]): number | boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  problems.push(`TRUST_PROXY=${JSON.stringify(value)}: must be true, false or a hop count`);
  return false;
}

function parseProjects(value: string, problems: string[]): Record<string, ProjectConfig> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    problems.push(`PROJECTS: not JSON (${(error as Error).message})`);
    return {};
  }
  if (!validateProjects(parsed)) {
    for (const e of validateProjects.errors ?? []) problems.push(`PROJECTS${e.instancePath.replaceAll('/', '.')}: ${e.message}`);
    return {};
  }
  const projects = parsed as Record<string, ProjectConfig>;
  for (const [name, project] of Object.entries(projects)) {
    for (const [what, path] of Object.entries(project) as ['tree' | 'kb', string][]) {
      if (!isAbsolute(path)) problems.push(`PROJECTS.${name}.${what}: ${path} is not an absolute path`);
      else if (!existsSync(path)) problems.push(`PROJECTS.${name}.${what}: ${path} does not exist`);
      else if (what === 'tree' && !statSync(path).isDirectory()) problems.push(`PROJECTS.${name}.tree: ${path} is not a directory`);
      else if (what === 'kb' && !statSync(path).isFile()) problems.push(`PROJECTS.${name}.kb: ${path} is not a file`);
    }
  }
  return projects;
}

/** The configuration with every default: what tests start from. */
export function defaultConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), ...overrides };
}
