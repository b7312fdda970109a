// The caches and memos that outlive a review, emptied in one call: a review worker started without the model
// cache (ReviewPoolOptions.keepModelCache: false, API MODEL_CACHE=off) and the bench, which reviews the same text
// again and again and must measure what a new patch costs, not a cache hit. Results never depend on them.
import { clearModelCaches } from '../c/index.ts';
import { clearSimMemos } from '../sim/index.ts';

/** What clearCrossReviewCaches() empties, by the name of the function it calls (for the bench's report). */
export const CROSS_REVIEW_CACHES = ['clearModelCaches', 'clearSimMemos'] as const;

/**
 * Empties the C model's caches by text (trees, normalised texts, lexed runs; the memos keyed by the trees' nodes,
 * e.g. ast.descendants and calls.resultUse, go with the trees) and the simulator's memos keyed by text.
 */
export function clearCrossReviewCaches(): void {
  clearModelCaches();
  clearSimMemos();
}
