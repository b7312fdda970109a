// The review pool as an app decoration, and the app's readiness (workers warm, not shutting down).
import { createReviewPool, type ReviewPool } from '../../pool/index.ts';
import { ProblemError } from '../problems.ts';
import { sharedPlugin } from './shared.ts';

export interface PoolPluginOptions {
  /** A pool made by the caller (tests share one); the app then leaves closing it to the caller. */
  pool?: ReviewPool;
  workers: number;
  queueMax: number;
  /** Last-resort limit per review (the engine's time limit fires first). */
  hardLimitMs: number;
  retryAfterSeconds: number;
  /** Workers keep the C model's caches between reviews (default true). */
  keepModelCache?: boolean;
}

export interface Lifecycle {
  /** Workers have loaded the engine. */
  isWarm: boolean;
  /** SIGTERM (or close()) began: readiness fails, new reviews are refused. */
  isShuttingDown: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    pool: ReviewPool;
    lifecycle: Lifecycle;
  }
}

export const poolPlugin = sharedPlugin<PoolPluginOptions>('pool', async (app, opts) => {
  const owned = !opts.pool;
  const pool = opts.pool ?? createReviewPool({ size: opts.workers, maxQueue: opts.queueMax, hardLimitMs: opts.hardLimitMs, keepModelCache: opts.keepModelCache ?? true });
  const lifecycle: Lifecycle = { isWarm: false, isShuttingDown: false };
  app.decorate('pool', pool);
  app.decorate('lifecycle', lifecycle);
  // Warm up in the background: /healthz answers at once, /readyz once a worker has the engine loaded.
  pool.warmUp().then(
    () => {
      lifecycle.isWarm = true;
    },
    (error: unknown) => app.log.error({ err: error }, 'review workers failed to start'),
  );
  app.addHook('preClose', async () => {
    lifecycle.isShuttingDown = true;
  });
  // While shutting down: new requests on kept-alive connections are told to go elsewhere (liveness
  // still answers), and every response closes its connection so the server can finish.
  app.addHook('onRequest', async (request) => {
    if (!lifecycle.isShuttingDown) return;
    if (request.routeOptions.config.operationId === 'getHealth') return;
    throw new ProblemError('shutting-down', 'the server is shutting down; retry on another instance', {}, { 'Retry-After': String(opts.retryAfterSeconds) });
  });
  app.addHook('onSend', async (_request, reply) => {
    if (lifecycle.isShuttingDown) reply.header('Connection', 'close');
  });
  app.addHook('onClose', async () => {
    if (owned) await pool.close();
  });
});
