// Optional bearer-token authentication for the /v1 routes (on when API_TOKENS is set).
// Tokens are compared in constant time: both sides are hashed to equal length first, and every
// configured token is compared, so neither the length nor the position of a match leaks.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ProblemError } from '../problems.ts';
import { sharedPlugin } from './shared.ts';

export interface AuthOptions {
  tokens: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** A short, non-reversible label of the token used (for rate-limit keys and logs), if any. */
    client?: string;
  }
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export function tokenMatches(presented: string, tokens: Buffer[]): boolean {
  const given = digest(presented);
  let matched = false;
  for (const token of tokens) matched = timingSafeEqual(given, token) || matched;
  return matched;
}

/** Routes under these prefixes need a token; operations, docs and the page stay open. */
const PROTECTED = /^\/v1(\/|$)/;

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ \t]+([\x21-\x7e]+)[ \t]*$/i.exec(header);
  return match?.[1];
}

export const authPlugin = sharedPlugin<AuthOptions>('auth', async (app, opts) => {
  if (opts.tokens.length === 0) return;
  const tokens = opts.tokens.map(digest);
  app.addHook('onRequest', async (request) => {
    if (!PROTECTED.test(request.url)) return;
    const presented = bearer(request);
    const challenge = { 'WWW-Authenticate': 'Bearer realm="patch-review"' };
    if (presented === undefined) {
      throw new ProblemError('unauthorized', 'this server requires a bearer token: send "Authorization: Bearer <token>"', {}, challenge);
    }
    if (!tokenMatches(presented, tokens)) {
      throw new ProblemError('unauthorized', 'the bearer token is not one this server accepts', {}, { 'WWW-Authenticate': 'Bearer realm="patch-review", error="invalid_token"' });
    }
    request.client = `token:${digest(presented).toString('hex').slice(0, 12)}`;
  });
});
