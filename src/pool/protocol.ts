// The messages between the pool and its workers. Errors cross the thread boundary as plain data
// (structured clone keeps neither classes nor extra fields), and are rebuilt on this side.
import { InputTooLargeError, NoPatchError, PatchInputError, type InputUnit } from '../patch/types.ts';
import type { Review, ReviewOptions } from '../review/types.ts';

/** What every worker of a pool is started with. */
export interface WorkerData {
  /** false: empty the C model's cross-review caches before each review (ReviewPoolOptions.keepModelCache). */
  keepModelCache: boolean;
}

export type Task = { kind: 'review'; input: string | Uint8Array; options: ReviewOptions } | { kind: 'ping' };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  found?: string;
  size?: number;
  maxBytes?: number;
  unit?: InputUnit;
  stack?: string;
}

export type TaskResult = { ok: true; review: Review } | { ok: true; pong: true } | { ok: false; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const out: SerializedError = { name: error.name, message: error.message, stack: error.stack };
  if (error instanceof PatchInputError) out.code = error.code;
  if (error instanceof NoPatchError) out.found = error.found;
  if (error instanceof InputTooLargeError) {
    out.size = error.size;
    out.maxBytes = error.maxBytes;
    out.unit = error.unit;
  }
  return out;
}

/** The same error class the review would have thrown in this thread, so callers' instanceof checks hold. */
export function deserializeError(e: SerializedError): Error {
  let error: Error;
  if (e.code === 'no-patch') error = new NoPatchError(e.message, e.found ?? 'no patch');
  else if (e.code === 'input-too-large') error = new InputTooLargeError(e.size ?? 0, e.maxBytes ?? 0, e.unit ?? 'bytes');
  else if (e.code) error = new PatchInputError(e.message, e.code as PatchInputError['code']);
  else if (e.name === 'RangeError') error = new RangeError(e.message);
  else if (e.name === 'TypeError') error = new TypeError(e.message);
  else {
    error = new Error(e.message);
    error.name = e.name;
  }
  if (e.stack) error.stack = `${error.name}: ${error.message}\n    (in a review worker)\n${e.stack.split('\n').slice(1).join('\n')}`;
  return error;
}
