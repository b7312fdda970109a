// GET / and /assets/{name}: the review page, static files read once at startup. From sources they sit
// in src/api/static; the build copies them to dist/src/api/static.
import { readdirSync, readFileSync } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import { ProblemError } from '../problems.ts';
import { routeFor } from '../openapi/spec.ts';

const STATIC_DIR = new URL('../static/', import.meta.url);
const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

// The page has no inline script or style and loads nothing from elsewhere.
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export const pageRoutes: FastifyPluginAsync = async (app) => {
  const html = readFileSync(new URL('index.html', STATIC_DIR), 'utf8');
  const assets = new Map<string, { body: string; type: string }>();
  for (const name of readdirSync(STATIC_DIR)) {
    const ext = name.split('.').pop() ?? '';
    if (TYPES[ext]) assets.set(name, { body: readFileSync(new URL(name, STATIC_DIR), 'utf8'), type: TYPES[ext] });
  }

  app.route({
    ...routeFor('getReviewPage'),
    handler: async (_request, reply) => reply.headers(SECURITY_HEADERS).type('text/html; charset=utf-8').send(html),
  });

  app.route<{ Params: { name: string } }>({
    ...routeFor('getPageAsset'),
    handler: async (request, reply) => {
      const asset = assets.get(request.params.name);
      if (!asset) throw new ProblemError('not-found', `no asset ${request.params.name}`);
      return reply.headers({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' }).type(asset.type).send(asset.body);
    },
  });
};
