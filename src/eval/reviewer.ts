// How eval runs review(): on the shared worker pool (src/pool) when it is available, or in this
// thread. Both give the same Review; the pool only changes how many run at once.
import { review } from '../default-review.ts';
import type { Review, ReviewOptions } from '../review/types.ts';

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

interface PoolModule {
  createReviewPool(options: { size?: number; maxQueue?: number }): {
    review(input: string, options?: ReviewOptions): Promise<Review>;
    close(): Promise<void>;
  };
}

/**
 * A reviewer on `jobs` worker threads; 0 or 1 job reviews in this thread (no start-up cost, and
 * the only choice when the pool module cannot be loaded).
 */
export async function createReviewer(jobs: number): Promise<Reviewer> {
  if (jobs <= 1) return inProcessReviewer();
  let mod: PoolModule;
  try {
    // Resolved at run time: the pool is optional for eval.
    const spec = '../pool/index.js';
    mod = (await import(spec)) as PoolModule;
  } catch {
    return inProcessReviewer();
  }
  // The queue holds every patch handed out; eval never has more than `jobs` x 2 in flight.
  const pool = mod.createReviewPool({ size: jobs, maxQueue: jobs * 2 });
  return { review: (input, options) => pool.review(input, options), concurrency: jobs, kind: `pool of ${jobs}`, close: () => pool.close() };
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
