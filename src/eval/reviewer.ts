// How eval runs review(): on the shared worker pool (src/pool), or in this thread. Both give the
// same Review; the pool changes how many run at once and stops a review that never ends.
import { review } from '../default-review.ts';
import type { Review, ReviewOptions } from '../review/types.ts';
import { createReviewPool } from '../pool/index.ts';

/** Review options eval passes through (`kb`, `timeLimitMs` are read by engines that know them). */
export type EvalReviewOptions = ReviewOptions & { kb?: string; timeLimitMs?: number };

export interface Reviewer {
  review(input: string, options: EvalReviewOptions): Promise<Review>;
  /** How many reviews may usefully run at once. */
  readonly concurrency: number;
  /** 'pool' or 'in-process', for the report. */
  readonly kind: string;
  close(): Promise<void>;
}

export function inProcessReviewer(): Reviewer {
  return { review: (input, options) => review(input, options), concurrency: 1, kind: 'in-process', close: async () => {} };
}

export interface ReviewerOptions {
  /** Worker threads; 0 reviews in this thread (no isolation, no hard limit). */
  jobs: number;
  /** A review still running this long after it started is stopped and counted as failed (pool only). */
  hardLimitMs?: number;
}

/**
 * A reviewer on `jobs` worker threads of the shared pool, or in this thread for 0. A worker also
 * isolates eval from a review that hangs or crashes: the hard limit replaces the worker and the
 * patch is reported as failed, as the shared corpus runner's `timeout` does.
 */
export function createReviewer(options: ReviewerOptions): Reviewer {
  if (options.jobs <= 0) return inProcessReviewer();
  // The queue holds every patch handed out; eval never has more than `jobs` in flight.
  const pool = createReviewPool({ size: options.jobs, maxQueue: options.jobs * 2, hardLimitMs: options.hardLimitMs });
  return {
    review: (input, reviewOptions) => pool.review(input, reviewOptions),
    concurrency: options.jobs,
    kind: `${options.jobs} worker thread${options.jobs === 1 ? '' : 's'}`,
    close: () => pool.close(),
  };
}

/** Runs `work` over `items` with at most `limit` at once, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}
