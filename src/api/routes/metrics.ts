// GET /metrics: Prometheus text exposition.
import type { FastifyPluginAsync } from 'fastify';
import { routeFor } from '../openapi/spec.ts';

export const metricsRoutes: FastifyPluginAsync = async (app) => {
  app.route({
    ...routeFor('getMetrics'),
    logLevel: 'warn',
    handler: async (_request, reply) => {
      reply.type('text/plain; version=0.0.4; charset=utf-8');
      return app.metrics.registry.render();
    },
  });
};
