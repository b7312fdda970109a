// POST /v1/reviews: a patch in, the review out (JSON, SARIF, rdjson, checkpatch or text).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { defaultRuleSet } from '../../default-review.ts';
import { selectRules } from '../../review/select.ts';
import { SEVERITY_RANK, type Review, type ReviewOptions, type Severity } from '../../review/types.ts';
import { loadFormatter } from '../../report/index.ts';
import { requestContentTypes, routeFor, loadSpec } from '../openapi/spec.ts';
import { ProblemError } from '../problems.ts';
import { MEDIA_TYPES, negotiateFormat, API_FORMATS } from '../negotiate.ts';
import { toProblem } from '../plugins/errors.ts';
import { PoolAbortedError, PoolBusyError } from '../../pool/index.ts';
import type { ReviewOutcome } from '../plugins/metrics.ts';
import type { ProjectConfig } from '../config.ts';
import { ReviewCache, type CacheState } from '../review-cache.ts';
import { Counter, Gauge } from '../metrics-registry.ts';

export interface ReviewRoutesOptions {
  projects: Record<string, ProjectConfig>;
  reviewTimeLimitMs: number;
  retryAfterSeconds: number;
  /** Bytes of finished reviews remembered (src/api/review-cache.ts); 0 or absent: none. */
  reviewCacheBytes?: number;
}

type FailOn = Severity | 'none';

interface RequestOptions {
  rules?: string[];
  enable?: string[];
  disable?: string[];
  failOn?: FailOn;
  failOnInconclusive?: boolean;
  showRefuted?: boolean;
  project?: string;
  timeLimitMs?: number;
}

interface Query extends Omit<RequestOptions, 'rules' | 'enable' | 'disable'> {
  rules?: string;
  enable?: string;
  disable?: string;
  format?: string;
  name?: string;
}

interface JsonBody {
  patch: string;
  name?: string;
  options?: RequestOptions;
}

export interface Outcome {
  result: 'pass' | 'fail';
  failOn: FailOn;
  failOnInconclusive: boolean;
  counted: number;
  timedOut?: boolean;
}

const list = (value: string | undefined): string[] | undefined =>
  value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);

/** The same rule as the CLI's exit status: verified findings at or above the threshold (inconclusive too when asked). */
export function outcomeOf(review: Review, failOn: FailOn, failOnInconclusive: boolean): Outcome {
  const threshold = failOn === 'none' ? Infinity : SEVERITY_RANK[failOn];
  const counted = review.findings.filter(
    (f) => SEVERITY_RANK[f.severity] >= threshold && (f.verdict === 'verified' || (failOnInconclusive && f.verdict === 'inconclusive')),
  ).length;
  const timedOut = review.stats.timedOut === true;
  return { result: counted > 0 ? 'fail' : 'pass', failOn, failOnInconclusive, counted, ...(timedOut ? { timedOut } : {}) };
}

/** Sentences about the review as a whole, for people reading the JSON (or the page). */
export function notesOf(review: Review, timeLimitMs: number): string[] {
  const notes: string[] = [];
  const files = [...new Set(review.patches.flatMap((p) => p.files))];
  if (review.stats.files === 0) {
    notes.push(
      files.length === 0
        ? 'the input holds no file changes (a cover letter only?); nothing to review'
        : `the patch holds no C: ${files.slice(0, 5).join(', ')}${files.length > 5 ? `, and ${files.length - 5} more` : ''}; nothing to review`,
    );
  }
  if (review.stats.timedOut) {
    const skipped = review.warnings.filter((w) => w.code === ('time-limit' as typeof w.code)).length;
    notes.push(`the review's time limit (${timeLimitMs} ms) expired: ${skipped > 0 ? `${skipped} function(s) were` : 'some functions were'} not reviewed (see warnings)`);
  }
  return notes;
}

function outcomeLabel(review: Review): ReviewOutcome {
  if (review.stats.timedOut) return 'time-limited';
  if (review.stats.files === 0) return 'no-c';
  return review.findings.length > 0 ? 'findings' : 'clean';
}

export const reviewRoutes: FastifyPluginAsync<ReviewRoutesOptions> = async (app, opts) => {
  const route = routeFor('createReview');
  const cache = new ReviewCache(opts.reviewCacheBytes ?? 0);
  const cacheAnswers = app.metrics.registry.register(new Counter('patch_review_review_cache_total', 'Reviews by how the review cache answered (hit, shared, miss, off).'));
  app.metrics.registry.register(new Gauge('patch_review_review_cache_bytes', 'Bytes of finished reviews the review cache holds.', () => cache.stats().bytes));
  const rawTypes = requestContentTypes(loadSpec().operations.get('createReview')!).filter((t) => t !== 'application/json');
  // Raw bodies are bytes: review() decodes them (and MIME mail) itself. Scoped to this route's plugin.
  app.removeContentTypeParser(['text/plain']);
  app.addContentTypeParser(rawTypes, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  function resolve(request: FastifyRequest<{ Querystring: Query }>): { input: Buffer | string; options: RequestOptions; name?: string } {
    const query = request.query;
    const fromQuery: RequestOptions = {
      rules: list(query.rules),
      enable: list(query.enable),
      disable: list(query.disable),
      failOn: query.failOn,
      failOnInconclusive: query.failOnInconclusive,
      showRefuted: query.showRefuted,
      project: query.project,
      timeLimitMs: query.timeLimitMs,
    };
    const body = request.body as Buffer | JsonBody | undefined;
    if (Buffer.isBuffer(body)) {
      if (body.length === 0 || body.toString('utf8').trim() === '') throw new ProblemError('empty-body', 'the request body is empty; send the patch as the body');
      return { input: body, options: fromQuery, name: query.name };
    }
    if (!body || typeof body !== 'object') throw new ProblemError('empty-body', 'the request body is empty; send the patch as the body');
    if (body.patch.trim() === '') throw new ProblemError('empty-body', 'the "patch" member is empty; put the patch text in it');
    const merged = { ...fromQuery, ...Object.fromEntries(Object.entries(body.options ?? {}).filter(([, v]) => v !== undefined)) };
    return { input: body.patch, options: merged, name: body.name ?? query.name };
  }

  function reviewOptions(options: RequestOptions, name: string | undefined): ReviewOptions {
    try {
      selectRules(defaultRuleSet.rules, { rules: options.rules, enable: options.enable, disable: options.disable });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      const unknown = [...(options.rules ?? []), ...(options.enable ?? []), ...(options.disable ?? [])].filter((n) => !defaultRuleSet.rules.some((r) => `${r.meta.pack}/${r.meta.id}` === n || r.meta.pack === n));
      throw new ProblemError('unknown-rule', `${error.message}; GET /v1/rules lists them`, { unknown: [...new Set(unknown)] });
    }
    let project: ProjectConfig = {};
    if (options.project !== undefined) {
      if (!Object.hasOwn(opts.projects, options.project)) {
        const known = Object.keys(opts.projects);
        throw new ProblemError('unknown-project', `this server has no project "${options.project}"${known.length > 0 ? `; it has: ${known.join(', ')}` : '; it is configured with none (PROJECTS)'}`);
      }
      project = opts.projects[options.project]!;
    }
    return {
      ...(options.rules?.length ? { rules: options.rules } : {}),
      ...(options.enable?.length ? { enable: options.enable } : {}),
      ...(options.disable?.length ? { disable: options.disable } : {}),
      ...(options.showRefuted ? { showRefuted: true } : {}),
      ...(project.tree ? { tree: project.tree } : {}),
      ...(project.kb ? { kb: project.kb } : {}),
      ...(name ? { inputName: name } : {}),
      timeLimitMs: Math.min(options.timeLimitMs ?? opts.reviewTimeLimitMs, opts.reviewTimeLimitMs),
    };
  }

  app.route<{ Querystring: Query }>({
    ...route,
    // Shed before reading a body the pool could not take anyway (the pool checks again when it is read).
    onRequest: async () => {
      const { pool } = app;
      if (pool.running() >= pool.size && pool.queueDepth() >= pool.maxQueue) {
        app.metrics.reviewed('overloaded');
        throw new PoolBusyError(pool.queueDepth(), pool.maxQueue);
      }
    },
    handler: async (request, reply) => {
      const format = negotiateFormat(request.headers.accept, request.query.format);
      if (!format) {
        const offered = API_FORMATS.map((f) => MEDIA_TYPES[f]).join(', ');
        throw new ProblemError('not-acceptable', `cannot answer in ${request.headers.accept ?? 'that format'}; this endpoint offers ${offered}`);
      }
      let review: Review;
      let cached: CacheState;
      let options: ReviewOptions;
      let requested: RequestOptions;
      try {
        const resolved = resolve(request);
        requested = resolved.options;
        options = reviewOptions(resolved.options, resolved.name);
        request.log.info({ bytes: Buffer.byteLength(resolved.input), format, project: resolved.options.project }, 'review started');
        // A client that hangs up while its review waits for a worker frees its place in the queue.
        const gone = new AbortController();
        const onClose = (): void => {
          if (!reply.raw.writableFinished) gone.abort();
        };
        reply.raw.once('close', onClose);
        try {
          ({ review, cache: cached } = await cache.review(cache.keyOf(resolved.input, options), () => app.pool.review(resolved.input, options, { signal: gone.signal })));
        } finally {
          reply.raw.off('close', onClose);
        }
      } catch (error) {
        if (error instanceof PoolAbortedError) {
          app.metrics.reviewed('withdrawn');
          request.log.info('the client went away before a worker took the review; withdrawn from the queue');
        } else {
          const problem = toProblem(error, opts.retryAfterSeconds);
          app.metrics.reviewed(!problem ? 'error' : problem.status === 503 ? 'overloaded' : 'rejected');
        }
        throw error;
      }
      cacheAnswers.inc({ result: cached });
      if (cached === 'hit' || cached === 'shared') request.log.info({ cache: cached }, 'answered from the review cache');
      else app.metrics.reviewed(outcomeLabel(review), review);
      const outcome = outcomeOf(review, requested.failOn ?? 'info', requested.failOnInconclusive ?? false);
      const notes = notesOf(review, options.timeLimitMs!);
      request.log.info(
        { findings: review.findings.length, outcome: outcome.result, kind: review.input.kind, patches: review.stats.patches, ms: review.stats.times.totalMs, timedOut: outcome.timedOut ?? false },
        'review finished',
      );
      reply.header('Patch-Review-Cache', cached);
      reply.header('Patch-Review-Outcome', outcome.result).type(MEDIA_TYPES[format] + (format === 'checkpatch' || format === 'text' ? '; charset=utf-8' : ''));
      if (format === 'json') return JSON.stringify({ ...review, outcome, notes });
      const render = await loadFormatter(format);
      const text = render(review, {});
      return format === 'text' && notes.length > 0 ? `${text}${notes.map((n) => `note: ${n}\n`).join('')}` : text;
    },
  });
};
