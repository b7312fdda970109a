// The browsable docs page (/docs, swagger-ui from its package: no external assets) over the same
// document the routes are built from. @fastify/swagger runs in static mode: openapi.yaml is the source.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { loadSpec } from '../openapi/spec.ts';
import { sharedPlugin } from './shared.ts';

export const DOCS_PREFIX = '/docs';

export const openapiPlugin = sharedPlugin('openapi', async (app) => {
  const { document } = loadSpec();
  await app.register(swagger, { mode: 'static', specification: { document: document as never } });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, uiConfig: { docExpansion: 'list', deepLinking: true }, logLevel: 'warn' });
});
