// Reviews already made, by what decides them: the same bytes reviewed with the same options by this process
// give the same review (budgets count steps and paths, never time), so a CI job that runs again, a patch
// cross-posted to two lists, or a client retrying after a lost connection is answered from memory.
//
// What is remembered: only complete reviews (a review cut by the time limit depends on the machine's load),
// never reviews against a checkout (`tree`: the checkout can change under the same path), and a knowledge
// base only together with its file's size and modification time. The cache is bounded in bytes (the review's
// JSON length) and forgets the least recently used review first. Identical requests that arrive while the
// first is still being reviewed wait for it instead of reviewing the same input twice.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Review, ReviewOptions } from '../review/types.ts';

export interface ReviewCacheStats {
  hits: number;
  misses: number;
  /** Requests that waited for an identical review already running. */
  shared: number;
  entries: number;
  bytes: number;
  maxBytes: number;
}

export type CacheState = 'hit' | 'miss' | 'shared' | 'off';

interface Entry {
  review: Review;
  bytes: number;
}

export class ReviewCache {
  private readonly entries = new Map<string, Entry>();
  private readonly running = new Map<string, Promise<Review>>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private shared = 0;

  /** `maxBytes` 0: nothing is remembered (every request reviews). */
  constructor(readonly maxBytes: number) {}

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /**
   * The key of a review, or undefined when the review must not be remembered. `timeLimitMs` is not part of it:
   * only reviews that finished within their limit are kept, and those do not depend on it.
   */
  keyOf(input: Buffer | string, options: ReviewOptions): string | undefined {
    if (!this.enabled || options.tree !== undefined) return undefined;
    const hash = createHash('sha256');
    const { timeLimitMs: _limit, kb, ...rest } = options;
    const sorted = Object.fromEntries(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    hash.update(JSON.stringify(sorted));
    if (kb !== undefined) {
      let stat;
      try {
        stat = statSync(kb);
      } catch {
        return undefined; // the review reports the missing file; do not remember that
      }
      hash.update(`\0kb\0${kb}\0${stat.size}\0${stat.mtimeMs}`);
    }
    hash.update('\0input\0');
    hash.update(input);
    return hash.digest('hex');
  }

  /**
   * The review of `key`, from memory, from an identical review already running, or made by `run`.
   * `run` failing (the client went away, the queue is full) is not remembered; a request that was waiting
   * for a review its first requester withdrew runs its own.
   */
  async review(key: string | undefined, run: () => Promise<Review>): Promise<{ review: Review; cache: CacheState }> {
    if (key === undefined) return { review: await run(), cache: 'off' };
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry); // most recently used last
      this.hits++;
      return { review: entry.review, cache: 'hit' };
    }
    const pending = this.running.get(key);
    if (pending) {
      try {
        const review = await pending;
        this.shared++;
        return { review, cache: 'shared' };
      } catch {
        // the first requester's review failed or was withdrawn: review for this one
      }
    }
    this.misses++;
    const promise = run();
    this.running.set(key, promise);
    try {
      const review = await promise;
      this.remember(key, review);
      return { review, cache: 'miss' };
    } finally {
      if (this.running.get(key) === promise) this.running.delete(key);
    }
  }

  private remember(key: string, review: Review): void {
    if ((review.stats as { timedOut?: boolean }).timedOut) return;
    const bytes = JSON.stringify(review).length;
    if (bytes > this.maxBytes / 4) return; // one huge review would push out everything else
    this.entries.set(key, { review, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }

  stats(): ReviewCacheStats {
    return { hits: this.hits, misses: this.misses, shared: this.shared, entries: this.entries.size, bytes: this.bytes, maxBytes: this.maxBytes };
  }
}
