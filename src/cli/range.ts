// `check A..B`: each commit of a range as format-patch would send it, reviewed in tree mode against
// its parent (extracted from git objects; the work tree is never touched), and the reviews joined into
// one, attributed per patch.
import { join } from 'node:path';
import type { Review, ReviewOptions } from '../review/types.ts';
import { commitInfo, extractParentTree, formatPatch, rangeCommits, temporaryTrees, GitError } from '../git/index.ts';
import { UsageError } from './options.ts';

export type ReviewFn = (input: string | Buffer, options: ReviewOptions) => Promise<Review>;

export interface RangeOptions {
  /** Review each commit against its parent's tree (default); false: the patches alone. */
  useTree: boolean;
  /** Called before each commit (progress on a terminal). */
  onCommit?: (index: number, total: number, subject: string) => void;
}

export async function reviewRange(repo: string, range: string, options: ReviewOptions, reviewFn: ReviewFn, rangeOptions: RangeOptions): Promise<Review> {
  let commits: string[];
  try {
    commits = rangeCommits(repo, range);
  } catch (error) {
    if (error instanceof GitError) throw new UsageError(`${range}: ${error.message}`);
    throw error;
  }
  if (commits.length === 0) throw new UsageError(`${range}: no commits in this range (merges are skipped, as format-patch does)`);
  const trees = rangeOptions.useTree ? temporaryTrees() : undefined;
  const reviews: Review[] = [];
  try {
    for (const [i, sha] of commits.entries()) {
      const total = commits.length;
      rangeOptions.onCommit?.(i, total, commitInfo(repo, sha).subject);
      const mail = formatPatch(repo, sha, { n: i + 1, total });
      let tree: string | undefined;
      if (trees) {
        const dest = join(trees.dir, sha);
        tree = extractParentTree(repo, sha, dest) ? dest : undefined;
      }
      reviews.push(await reviewFn(mail, { ...options, ...(tree ? { tree } : {}), inputName: `${sha.slice(0, 12)}` }));
    }
  } finally {
    trees?.dispose();
  }
  return joinReviews(reviews, range);
}

const sumNumbers = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    if (typeof v === 'number' && typeof prev === 'number') out[k] = Math.round((prev + v) * 10) / 10;
    else if (typeof v === 'boolean' && typeof prev === 'boolean') out[k] = prev || v;
    else if (Array.isArray(v) && Array.isArray(prev)) out[k] = [...prev, ...v];
    else if (v && typeof v === 'object' && prev && typeof prev === 'object') out[k] = sumNumbers(prev as Record<string, unknown>, v as Record<string, unknown>);
    else if (prev === undefined) out[k] = v;
  }
  return out;
};

/** One review of a series from one review per patch: patch indexes renumbered, counts summed. */
export function joinReviews(reviews: Review[], name: string): Review {
  const first = reviews[0]!;
  const offsets: number[] = [];
  let n = 0;
  for (const r of reviews) {
    offsets.push(n);
    n += r.patches.length;
  }
  const shift = <T extends { patch: number }>(items: T[] | undefined, i: number): T[] => (items ?? []).map((f) => ({ ...f, patch: f.patch + offsets[i]! }));
  const joined = reviews.reduce<Record<string, unknown>>((acc, r) => sumNumbers(acc, r as unknown as Record<string, unknown>), {}) as unknown as Review;
  return {
    ...joined,
    tool: first.tool,
    input: { kind: 'mbox-series', name, lines: reviews.reduce((s, r) => s + (r.input.lines ?? 0), 0) },
    patches: reviews.flatMap((r) => r.patches),
    rules: first.rules,
    findings: reviews.flatMap((r, i) => shift(r.findings, i)),
    ...(first.refuted ? { refuted: reviews.flatMap((r, i) => shift(r.refuted, i)) } : {}),
    warnings: reviews.flatMap((r) => r.warnings),
    stats: { ...(joined.stats as Review['stats']), patches: n, rulesRun: first.stats.rulesRun },
  };
}
