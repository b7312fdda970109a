// The contract itself: /openapi.yaml (the file as written) and /openapi.json.
import type { FastifyPluginAsync } from 'fastify';
import { loadSpec, routeFor } from '../openapi/spec.ts';

export const openapiRoutes: FastifyPluginAsync = async (app) => {
  const spec = loadSpec();
  const json = JSON.stringify(spec.document);
  app.route({
    ...routeFor('getOpenApiYaml'),
    handler: async (_request, reply) => reply.type('application/yaml; charset=utf-8').send(spec.yaml),
  });
  app.route({
    ...routeFor('getOpenApiJson'),
    handler: async (_request, reply) => reply.type('application/json; charset=utf-8').send(json),
  });
};
