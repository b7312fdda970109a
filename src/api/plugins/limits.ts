// Load shedding (@fastify/under-pressure: event-loop delay) and per-client rate limiting
// (@fastify/rate-limit, keyed by token when authenticated, else by address). Both answer problem+json
// with Retry-After. Health, readiness and metrics are never shed or limited: orchestrators need them.
import underPressure from '@fastify/under-pressure';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { ProblemError } from '../problems.ts';
import { sharedPlugin } from './shared.ts';

export interface LimitsOptions {
  maxEventLoopDelayMs: number;
  retryAfterSeconds: number;
  rateLimitMax: number;
  rateLimitWindowMs: number;
}

const EXEMPT = new Set(['getHealth', 'getReadiness', 'getMetrics']);
const isExempt = (request: FastifyRequest): boolean => EXEMPT.has(request.routeOptions.config.operationId ?? '');

export const limitsPlugin = sharedPlugin<LimitsOptions>('limits', async (app, opts) => {
  if (opts.maxEventLoopDelayMs > 0) {
    await app.register(underPressure, {
      maxEventLoopDelay: opts.maxEventLoopDelayMs,
      retryAfter: opts.retryAfterSeconds,
      pressureHandler: (request, _reply, type, value) => {
        if (isExempt(request)) return undefined; // go on
        const detail = `the server is under pressure (${type}${value !== undefined ? ` ${Math.round(Number(value))}` : ''}); retry in ${opts.retryAfterSeconds} s`;
        return Promise.reject(new ProblemError('overloaded', detail, {}, { 'Retry-After': String(opts.retryAfterSeconds) }));
      },
    });
  }
  if (opts.rateLimitMax > 0) {
    await app.register(rateLimit, {
      global: true,
      max: opts.rateLimitMax,
      timeWindow: opts.rateLimitWindowMs,
      // After auth (onRequest hooks run in order of registration), so a token is its own client.
      hook: 'preHandler',
      keyGenerator: (request) => request.client ?? request.ip,
      allowList: (request) => isExempt(request),
      errorResponseBuilder: (_request, context) => {
        const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
        return new ProblemError('rate-limited', `more than ${context.max} requests in ${context.after}; retry in ${seconds} s`, {}, { 'Retry-After': String(seconds) });
      },
    });
  }
});
