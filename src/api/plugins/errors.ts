// Every error leaves as application/problem+json with a stable type. 5xx details stay in the log.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { InputTooLargeError, NoPatchError, PatchInputError } from '../../patch/types.ts';
import { PoolAbortedError, PoolBusyError, PoolClosedError, PoolMemoryError, PoolTimeoutError } from '../../pool/index.ts';
import { ProblemError, type ProblemBody } from '../problems.ts';
import { sharedPlugin } from './shared.ts';

export interface ErrorsOptions {
  retryAfterSeconds: number;
}

/** Maps whatever was thrown to a ProblemError, or undefined for a fault of ours (500). */
export function toProblem(error: unknown, retryAfterSeconds: number, request?: FastifyRequest): ProblemError | undefined {
  if (error instanceof ProblemError) return error;
  const retry = { 'Retry-After': String(retryAfterSeconds) };
  if (error instanceof PoolBusyError) return new ProblemError('overloaded', `${error.message}; retry in ${retryAfterSeconds} s`, {}, retry);
  if (error instanceof PoolClosedError) return new ProblemError('shutting-down', 'the server is shutting down; retry on another instance', {}, retry);
  if (error instanceof PoolAbortedError) return new ProblemError('review-aborted', 'the client closed the connection before a worker took the review', {}, retry);
  if (error instanceof PoolTimeoutError) return new ProblemError('review-aborted', `${error.message}; the patch may be too large for this server's budget`, {}, retry);
  if (error instanceof PoolMemoryError) return new ProblemError('review-aborted', `${error.message}; the patch is too large for this server's budget`, {}, retry);
  if (error instanceof NoPatchError) return new ProblemError('no-patch', `no patch found: the body is ${error.found}`, { found: error.found });
  if (error instanceof InputTooLargeError) return new ProblemError('too-large', error.message);
  if (error instanceof PatchInputError) return new ProblemError('no-patch', error.message);
  const fe = error as Partial<FastifyError> & { validation?: { instancePath?: string; message?: string; params?: Record<string, unknown> }[]; validationContext?: string };
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ProblemError(
        'unsupported-media-type',
        `Content-Type ${request?.headers['content-type'] ?? '(none)'} is not one ${request?.url.split('?')[0] ?? 'this endpoint'} reads${request?.routeOptions.config.operationId === 'createReview' ? '; send the patch as text/x-diff, text/x-patch, text/plain, message/rfc822, application/mbox, or JSON {"patch": "..."}' : ''}`,
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ProblemError('too-large', 'the request body is larger than the server accepts (BODY_LIMIT)');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ProblemError('empty-body', 'the JSON body is empty; send {"patch": "..."}');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ProblemError('malformed-json', fe.message ?? 'the body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ProblemError('invalid-request', 'the Content-Length does not match the body');
  }
  if (fe.validation) {
    const where = fe.validationContext ?? 'request';
    const errors = fe.validation.map((v) => ({
      where: `${where}${v.instancePath ?? ''}`,
      message: v.params && 'additionalProperty' in v.params ? `unknown property "${String(v.params.additionalProperty)}"` : (v.message ?? 'invalid'),
    }));
    return new ProblemError('invalid-request', errors.map((e) => `${e.where}: ${e.message}`).join('; '), { errors });
  }
  if (error instanceof SyntaxError && fe.statusCode === 400) return new ProblemError('malformed-json', `the body is not valid JSON: ${error.message}`);
  if (typeof fe.statusCode === 'number' && fe.statusCode === 413) return new ProblemError('too-large', fe.message ?? 'too large');
  if (typeof fe.statusCode === 'number' && fe.statusCode === 415) return new ProblemError('unsupported-media-type', fe.message ?? 'unsupported media type');
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) return new ProblemError('invalid-request', fe.message ?? 'bad request');
  return undefined;
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: ProblemError): FastifyReply {
  const body: ProblemBody = problem.body(request.id);
  return reply.code(problem.status).headers(problem.headers).type('application/problem+json').send(JSON.stringify(body));
}

export const errorsPlugin = sharedPlugin<ErrorsOptions>('errors', async (app, opts) => {
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error, opts.retryAfterSeconds, request);
    if (problem) {
      if (problem.status >= 500) request.log.warn({ problem: problem.problem }, problem.message);
      else request.log.info({ problem: problem.problem }, problem.message);
      return sendProblem(reply, request, problem);
    }
    request.log.error({ err: error }, 'request failed');
    const hidden = new ProblemError('internal', `the server failed on this request; its log has the details under request id ${request.id}`);
    return sendProblem(reply, request, hidden);
  });
  app.setNotFoundHandler((request, reply) => {
    sendProblem(reply, request, new ProblemError('not-found', `no route ${request.method} ${request.url.split('?')[0]}; see /openapi.json`));
  });
});
