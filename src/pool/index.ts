// The review pool shared by the fronts (API, eval): review() (src/default-review.ts) in worker threads, a bounded queue,
// a typed error when it is full. Workers run the compiled dist/ in production and the .ts sources
// when this module itself runs from sources (under tsx), so tests exercise the real thing.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Review, ReviewOptions } from '../review/types.ts';
import { deserializeError, type Task, type TaskResult, type WorkerData } from './protocol.ts';
import { applyReviewTiering } from './tiering.ts';

export interface ReviewPoolOptions {
  /** Worker threads (default: the machine's available parallelism). */
  size?: number;
  /** Reviews allowed to wait for a worker; one more is refused with PoolBusyError (default: 8 per worker). */
  maxQueue?: number;
  /**
   * Last-resort wall-clock limit per task in ms: the worker is terminated and replaced, the review
   * rejected with PoolTimeoutError. The engine's own `timeLimitMs` (which returns partial results)
   * should always fire first; this only guards against a review that ignores it. Default: none.
   */
  hardLimitMs?: number;
  /**
   * Heap bound per worker in MB (V8's old generation): a review that needs more fails with PoolMemoryError and
   * its worker is replaced, so one input cannot take the process down. The bound also keeps V8 from growing
   * each worker's heap to several times what a review keeps alive (default: DEFAULT_WORKER_HEAP_MB).
   */
  maxHeapMb?: number;
  /**
   * Whether a worker keeps the C model's caches between reviews (trees and normalised texts by source text:
   * src/c). Kept (the default), a text seen before (the pre-image against the same checkout, the next version
   * of a series) is not parsed again, at the cost of up to ~15 MB of trees per worker; not kept, every review
   * parses as a new patch does and nothing parsed outlives it (the bench's uncached capacity; API `MODEL_CACHE=off`).
   */
  keepModelCache?: boolean;
}

/**
 * A worker's old generation, in MB. A 1 000-hunk review keeps ~70 MB alive at its peak (the hunks limit is
 * 2 000). V8 lets a heap whose bound is 1 GB or more (Node's default here is ~4 GB) grow to up to 4x its live
 * size before it collects; under a smaller bound it grows less.
 */
export const DEFAULT_WORKER_HEAP_MB = 512;
/**
 * A worker's young generation, in MB (V8 default: 48, three 16 MB semi-spaces' worth). Reviews allocate
 * mostly short-lived objects; a smaller nursery costs more scavenges and keeps less memory committed.
 */
export const WORKER_YOUNG_GENERATION_MB = 24;

export interface ReviewCall {
  /** Aborting it while the review still waits for a worker drops it from the queue (PoolAbortedError). */
  signal?: AbortSignal;
}

export interface ReviewPool {
  review(input: string | Buffer, options?: ReviewOptions, call?: ReviewCall): Promise<Review>;
  /** Reviews waiting for a worker (not counting those running). */
  queueDepth(): number;
  /** Reviews running now. */
  running(): number;
  readonly size: number;
  readonly maxQueue: number;
  /** Resolves once a worker has loaded the engine (readiness). */
  warmUp(): Promise<void>;
  /** Refuses new reviews, waits for the queued and running ones, then stops the workers. */
  close(): Promise<void>;
}

/** The queue is full: come back later (HTTP 503 with Retry-After). */
export class PoolBusyError extends Error {
  constructor(readonly queued: number, readonly maxQueue: number) {
    super(`all review workers are busy and ${queued} reviews are waiting (limit ${maxQueue})`);
    this.name = 'PoolBusyError';
  }
}

/** The pool is closing or closed. */
export class PoolClosedError extends Error {
  constructor() {
    super('the review pool is shutting down');
    this.name = 'PoolClosedError';
  }
}

/** The caller gave up (its signal aborted) while the review waited for a worker. */
export class PoolAbortedError extends Error {
  constructor() {
    super('the review was withdrawn before a worker took it');
    this.name = 'PoolAbortedError';
  }
}

/** A review needed more memory than a worker's heap bound; its worker was replaced. */
export class PoolMemoryError extends Error {
  constructor(readonly limitMb: number) {
    super(`the review needed more than the worker's ${limitMb} MB heap and was stopped`);
    this.name = 'PoolMemoryError';
  }
}

/** A review exceeded the pool's hard limit and its worker was replaced. */
export class PoolTimeoutError extends Error {
  constructor(readonly limitMs: number) {
    super(`the review did not finish within ${limitMs} ms and was stopped`);
    this.name = 'PoolTimeoutError';
  }
}

/** Where the worker module is, and what the worker threads need to load it. */
export function workerEntry(moduleUrl: string = import.meta.url): { filename: string; execArgv: string[] } {
  const fromSources = moduleUrl.endsWith('.ts');
  const filename = new URL(fromSources ? './worker.ts' : './worker.js', moduleUrl).href;
  // Workers inherit the parent's execArgv (`node --import tsx` or the tsx CLI's loader); when the
  // sources were loaded some other way, tsx is added so the worker can read .ts too.
  const hasTsx = process.execArgv.some((arg) => /\btsx\b/.test(arg));
  const execArgv = fromSources && !hasTsx ? [...process.execArgv, '--import', 'tsx'] : [...process.execArgv];
  return { filename, execArgv };
}

export function createReviewPool(options: ReviewPoolOptions = {}): ReviewPool {
  const size = positive(options.size, 'size') ?? Math.max(1, availableParallelism());
  const maxQueue = nonNegative(options.maxQueue, 'maxQueue') ?? size * 8;
  const hardLimitMs = positive(options.hardLimitMs, 'hardLimitMs');
  const maxHeapMb = positive(options.maxHeapMb, 'maxHeapMb') ?? DEFAULT_WORKER_HEAP_MB;
  // Before the first worker starts: its isolate reads the process's V8 flags (src/pool/tiering.ts).
  applyReviewTiering();
  const { filename, execArgv } = workerEntry();
  const piscina = new Piscina<Task, TaskResult>({
    filename,
    execArgv,
    minThreads: size,
    maxThreads: size,
    idleTimeout: Number.POSITIVE_INFINITY,
    // An idle worker returns to its event loop instead of blocking in Atomics.wait() (piscina's default):
    // tree-sitter's native trees are freed by finalizers the event loop runs, and V8's memory reducer
    // shrinks an idle heap from a task on it. Blocked, a busy API's workers kept every native tree
    // (a 56 MB malloc arena per worker after 60 seed reviews) and never gave memory back after load.
    // The cost is one message event per task, against reviews of ~100 ms.
    atomics: 'disabled',
    resourceLimits: { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    workerData: { keepModelCache: options.keepModelCache ?? true } satisfies WorkerData,
  });
  // The queue is ours, not piscina's: a task goes to piscina only when a worker is free, so the
  // hard limit counts running time, not waiting time, and the depth is exact.
  interface Job {
    task: Task;
    limitMs: number | undefined;
    resolve: (result: TaskResult) => void;
    reject: (error: unknown) => void;
  }
  const waiting: Job[] = [];
  let active = 0;
  let closing = false;
  let closed: Promise<void> | undefined;
  let idle: (() => void) | undefined;

  async function runNow(task: Task, limitMs: number | undefined): Promise<TaskResult> {
    const controller = limitMs ? new AbortController() : undefined;
    const timer = controller ? setTimeout(() => controller.abort(), limitMs) : undefined;
    try {
      return await piscina.run(task, { signal: controller?.signal });
    } catch (error) {
      if (controller?.signal.aborted) throw new PoolTimeoutError(limitMs!);
      if ((error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') throw new PoolMemoryError(maxHeapMb);
      throw error;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  function pump(): void {
    while (active < size && waiting.length > 0) {
      const job = waiting.shift()!;
      active++;
      runNow(job.task, job.limitMs)
        .then(job.resolve, job.reject)
        .finally(() => {
          active--;
          pump();
          if (active === 0 && waiting.length === 0) idle?.();
        });
    }
  }

  /** Runs a task when a worker is free; `bounded` tasks are refused when the queue is full. */
  function submit(task: Task, limitMs: number | undefined, bounded: boolean, signal?: AbortSignal): Promise<TaskResult> {
    if (closing) return Promise.reject(new PoolClosedError());
    if (signal?.aborted) return Promise.reject(new PoolAbortedError());
    if (bounded && active >= size && waiting.length >= maxQueue) return Promise.reject(new PoolBusyError(waiting.length, maxQueue));
    return new Promise<TaskResult>((resolve, reject) => {
      const job: Job = { task, limitMs, resolve, reject };
      // Withdrawn while waiting: leave the queue. Once running, the review finishes (stopping it
      // would cost a worker restart); its result is simply not used.
      const withdraw = (): void => {
        const at = waiting.indexOf(job);
        if (at < 0) return;
        waiting.splice(at, 1);
        reject(new PoolAbortedError());
        if (active === 0 && waiting.length === 0) idle?.();
      };
      signal?.addEventListener('abort', withdraw, { once: true });
      const settle = (): void => signal?.removeEventListener('abort', withdraw);
      job.resolve = (result) => {
        settle();
        resolve(result);
      };
      job.reject = (error) => {
        settle();
        reject(error);
      };
      waiting.push(job);
      pump();
    });
  }

  return {
    size,
    maxQueue,
    async review(input, reviewOptions = {}, call = {}) {
      const result = await submit({ kind: 'review', input, options: reviewOptions }, hardLimitMs, true, call.signal);
      if (!result.ok) throw deserializeError(result.error);
      if (!('review' in result)) throw new Error('review worker answered a review with something else');
      return result.review;
    },
    queueDepth: () => waiting.length,
    running: () => active,
    async warmUp() {
      // No hard limit here: a fresh worker's first task waits for it to load the engine.
      const result = await submit({ kind: 'ping' }, undefined, false);
      if (!result.ok) throw deserializeError(result.error);
    },
    close() {
      closing = true;
      closed ??= (async () => {
        if (active > 0 || waiting.length > 0) await new Promise<void>((resolve) => (idle = resolve));
        await piscina.destroy();
      })();
      return closed;
    },
  };
}

function positive(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`pool ${name} must be a positive integer, got ${value}`);
  return value;
}

function nonNegative(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`pool ${name} must be a non-negative integer, got ${value}`);
  return value;
}
