import type { Review } from '../review/types.ts';

/** The review object itself: `{ findings: [...] }` plus metadata, warnings and stats. */
export const formatJson = (review: Review): string => `${JSON.stringify(review, null, 2)}\n`;
