// The rules' one door to the simulator: every question a rule asks goes through a SimSession,
// which knows the function images, the budget, and what the patch itself introduced.
import type { FunctionImage } from '../c/types.ts';
import type { SyntaxNode } from '../c/parser.ts';
import type { EvidenceStep } from './types.ts';

export interface Story {
  story: string;
  steps: EvidenceStep[];
}

export interface SwallowAnswer {
  verdict: 'verified' | 'refuted' | 'inconclusive';
  witness?: Story;
  reason?: string;
}

export interface RewriteAnswer {
  verdict: 'equivalent' | 'different' | 'inconclusive';
  /** When different: what tells them apart. */
  counterexample?: Story;
  reason?: string;
  /** The rewritten post-image source, for building the fix text. */
  source: string;
}

export interface SuccessChange {
  /** Post-image line where behaviour changes. */
  line: number;
  story: string;
  steps: EvidenceStep[];
  kind: 'returns-early' | 'return-value' | 'effects' | 'other';
}

export interface DiffAnswer {
  status: 'complete' | 'inconclusive';
  reason?: string;
  successPathChanges: SuccessChange[];
}

export interface ErrorExit {
  /** The return statement (post image). */
  line: number;
  /** Whether some path reaches it with every callee succeeding. */
  reachableWithoutFailure: boolean;
  witness?: Story;
}

export interface SimSession {
  /** Can the function return success (or nothing) after `call` failed? */
  swallowed(call: SyntaxNode): SwallowAnswer;
  /** Is the post-image with these edits the same as the post-image on every path? */
  equivalentRewrite(
    edits: { start: number; end: number; text: string }[],
    options?: {
      /** Variables whose value at unseen code is not compared (an assumption the verdict must state). */
      ignoreLiveOut?: string[];
      /** Edits applied to both sides first: what the verdict assumes of code the patch does not show. */
      assume?: { start: number; end: number; text: string }[];
    },
  ): RewriteAnswer;
  /** Pre vs post when every callee succeeds. Undefined when there is no pre-image. */
  differential(): DiffAnswer | undefined;
  /** Does some path reach this `return <negative>` although every callee succeeded? */
  errorExitWithoutFailure(ret: SyntaxNode): ErrorExit;
  /** Does `effect` run right after `call` fails (and only then)? */
  effectOnFailure(call: SyntaxNode, effect: SyntaxNode): SwallowAnswer;
  /** How many paths the session simulated so far. */
  readonly pathsSimulated: number;
}

/** Applies edits (source offsets) to a text; edits must not overlap. */
export function applyEdits(text: string, edits: { start: number; end: number; text: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.end > limit) throw new Error('overlapping edits');
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

/** The real post-image lines an edit set covers, and their text after the edits (for a Fix). */
export function fixText(
  image: FunctionImage,
  edits: { start: number; end: number; text: string }[],
): { startLine: number; endLine: number; replacement: string } | undefined {
  if (edits.length === 0) return undefined;
  const rowStarts: number[] = [0];
  for (let i = 0; i < image.source.length; i++) if (image.source[i] === '\n') rowStarts.push(i + 1);
  const rowOf = (offset: number): number => {
    let lo = 0;
    let hi = rowStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (rowStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const firstRow = rowOf(Math.min(...edits.map((e) => e.start)));
  const lastRow = rowOf(Math.max(...edits.map((e) => Math.max(e.start, e.end - 1))));
  for (let r = firstRow; r <= lastRow; r++) if (!image.lineMap[r]) return undefined; // touches synthetic rows
  const base = rowStarts[firstRow]!;
  const end = lastRow + 1 < rowStarts.length ? rowStarts[lastRow + 1]! - 1 : image.source.length;
  // The raw rows have the same lengths as the normalised ones, so offsets carry over.
  const raw = image.rawLines.slice(firstRow, lastRow + 1).join('\n');
  const shifted = edits.map((e) => ({ start: e.start - base, end: e.end - base, text: e.text }));
  void end;
  const replacement = applyEdits(raw, shifted)
    .split('\n')
    .filter((l, i, all) => l.trim() !== '' || (i > 0 && i < all.length - 1 && all[i - 1]!.trim() !== ''))
    .join('\n');
  return { startLine: image.lineMap[firstRow]!, endLine: image.lineMap[lastRow]!, replacement };
}
