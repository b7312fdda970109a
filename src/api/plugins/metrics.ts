// Service metrics: every request (by operation and status) with its latency, the review queue, reviews
// by outcome, simulation budgets that ran out, reviews cut by the time limit.
import type { Review } from '../../review/types.ts';
import { Counter, Gauge, Histogram, Registry } from '../metrics-registry.ts';
import { sharedPlugin } from './shared.ts';

export type ReviewOutcome = 'clean' | 'findings' | 'no-c' | 'time-limited' | 'rejected' | 'overloaded' | 'withdrawn' | 'error';

export interface ServiceMetrics {
  registry: Registry;
  reviewed(outcome: ReviewOutcome, review?: Review): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: ServiceMetrics;
  }
}

/** Budget exhaustion as the review reports it: findings left inconclusive or warnings saying a budget ran out. */
export function budgetExhaustions(review: Review): number {
  const said = (text: string): boolean => /budget exhausted/i.test(text);
  const stats = review.stats as Review['stats'] & { budgetExhausted?: number };
  if (typeof stats.budgetExhausted === 'number') return stats.budgetExhausted;
  return (
    review.findings.filter((f) => f.verdict === 'inconclusive' && [f.evidence.story, ...f.evidence.assumptions].some(said)).length +
    review.warnings.filter((w) => said(w.message)).length
  );
}

export const metricsPlugin = sharedPlugin('metrics', async (app) => {
  const registry = new Registry();
  const requests = registry.register(new Counter('patch_review_http_requests_total', 'HTTP requests by operation, method and status.'));
  const latency = registry.register(
    new Histogram('patch_review_http_request_duration_seconds', 'HTTP request latency by operation.', [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]),
  );
  registry.register(new Gauge('patch_review_queue_depth', 'Reviews waiting for a worker.', () => app.pool.queueDepth()));
  registry.register(new Gauge('patch_review_reviews_running', 'Reviews running in workers.', () => app.pool.running()));
  registry.register(new Gauge('patch_review_workers', 'Review worker threads.', () => app.pool.size));
  const reviews = registry.register(new Counter('patch_review_reviews_total', 'Reviews by outcome (clean, findings, no-c, time-limited, rejected, overloaded, withdrawn, error).'));
  const budgets = registry.register(new Counter('patch_review_simulation_budget_exhausted_total', 'Simulations whose step, path or time budget ran out.'));
  const timeLimited = registry.register(new Counter('patch_review_reviews_time_limited_total', 'Reviews cut short by the per-request time limit.'));
  const findings = registry.register(new Counter('patch_review_findings_total', 'Findings returned, by verdict.'));
  budgets.inc({}, 0);
  timeLimited.inc({}, 0);

  app.decorate('metrics', {
    registry,
    reviewed(outcome: ReviewOutcome, review?: Review) {
      reviews.inc({ outcome });
      if (!review) return;
      budgets.inc({}, budgetExhaustions(review));
      if ((review.stats as { timedOut?: boolean }).timedOut) timeLimited.inc();
      for (const f of review.findings) findings.inc({ verdict: f.verdict });
    },
  } satisfies ServiceMetrics);

  app.addHook('onResponse', async (request, reply) => {
    const operation = request.routeOptions.config.operationId ?? (request.routeOptions.url ? 'other' : 'unmatched');
    requests.inc({ operation, method: request.method, status: String(reply.statusCode) });
    latency.observe({ operation }, reply.elapsedTime / 1000);
  });
});
