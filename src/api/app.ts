// Builds the service as a fastify instance and never listens (server.ts does; tests inject).
// Cross-cutting plugins first (errors, pool, metrics, auth, limits, docs), then one plugin per resource.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { ReviewPool } from '../pool/index.ts';
import type { Config } from './config.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { poolPlugin } from './plugins/pool.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { authPlugin } from './plugins/auth.ts';
import { limitsPlugin } from './plugins/limits.ts';
import { openapiPlugin } from './plugins/openapi.ts';
import { reviewRoutes } from './routes/reviews.ts';
import { ruleRoutes } from './routes/rules.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { openapiRoutes } from './routes/openapi.ts';
import { pageRoutes } from './routes/page.ts';

export interface BuildOptions {
  config: Config;
  /** A pino logger; none (the default) logs nothing. */
  logger?: FastifyBaseLogger;
  /** A pool owned by the caller (tests share one across apps). */
  pool?: ReviewPool;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  operationId?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RegisteredRoute[];
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildApp({ config, logger, pool }: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    bodyLimit: config.bodyLimit,
    // A hop count is valid at run time (proxy-addr); fastify's types only list the other forms.
    trustProxy: config.trustProxy as boolean,
    // A load balancer's X-Request-Id is kept when it looks like one, else a fresh UUID.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Closing: our own hook answers problem+json (plugins/pool.ts) instead of fastify's bare 503.
    return503OnClosing: false,
    // Requests' schemas come from openapi.yaml (OpenAPI 3.1 schemas are JSON Schema): unknown members are
    // refused, not silently stripped; query strings are coerced to the declared types.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true, strict: false } },
  });
  // The route table (method, URL, operationId), for the contract test and the 404 hint.
  const routes: RegisteredRoute[] = [];
  app.decorate('routeTable', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, operationId: route.config?.operationId });
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });

  await app.register(errorsPlugin, { retryAfterSeconds: config.retryAfterSeconds });
  await app.register(poolPlugin, {
    pool,
    workers: config.workers,
    queueMax: config.queueMax,
    hardLimitMs: config.reviewTimeLimitMs * 2 + 30_000,
    retryAfterSeconds: config.retryAfterSeconds,
    keepModelCache: config.modelCache,
  });
  await app.register(metricsPlugin);
  await app.register(authPlugin, { tokens: config.apiTokens });
  await app.register(limitsPlugin, {
    maxEventLoopDelayMs: config.maxEventLoopDelayMs,
    retryAfterSeconds: config.retryAfterSeconds,
    rateLimitMax: config.rateLimitMax,
    rateLimitWindowMs: config.rateLimitWindowMs,
  });
  await app.register(openapiPlugin);

  await app.register(reviewRoutes, {
    projects: config.projects,
    reviewTimeLimitMs: config.reviewTimeLimitMs,
    retryAfterSeconds: config.retryAfterSeconds,
    reviewCacheBytes: config.reviewCacheBytes,
  });
  await app.register(ruleRoutes);
  await app.register(healthRoutes, { retryAfterSeconds: config.retryAfterSeconds });
  await app.register(metricsRoutes);
  await app.register(openapiRoutes);
  await app.register(pageRoutes);
  return app;
}
