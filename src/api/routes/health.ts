// GET /healthz (alive: answers while reviews run in the workers) and GET /readyz (ready to take work).
import type { FastifyPluginAsync } from 'fastify';
import { VERSION } from '../../version.ts';
import { ProblemError } from '../problems.ts';
import { routeFor } from '../openapi/spec.ts';

export const healthRoutes: FastifyPluginAsync<{ retryAfterSeconds: number }> = async (app, opts) => {
  const started = Date.now();
  app.route({
    ...routeFor('getHealth'),
    logLevel: 'warn',
    handler: async () => ({ status: 'ok', version: VERSION, uptimeSeconds: Math.round((Date.now() - started) / 1000) }),
  });

  app.route({
    ...routeFor('getReadiness'),
    logLevel: 'warn',
    handler: async () => {
      const retry = { 'Retry-After': String(opts.retryAfterSeconds) };
      const { pool, lifecycle } = app;
      if (lifecycle.isShuttingDown) throw new ProblemError('shutting-down', 'the server is shutting down', {}, retry);
      if (!lifecycle.isWarm) throw new ProblemError('overloaded', 'the review workers are still loading the engine', {}, retry);
      if (pool.running() >= pool.size && pool.queueDepth() >= pool.maxQueue) {
        throw new ProblemError('overloaded', `every worker is busy and the queue is full (${pool.queueDepth()} waiting)`, {}, retry);
      }
      return { status: 'ready', workers: pool.size, running: pool.running(), queueDepth: pool.queueDepth(), maxQueue: pool.maxQueue };
    },
  });
};
