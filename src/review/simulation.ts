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
  /** Whether some path reaches it at all; undefined when the simulation was incomplete. */
  reachable?: boolean;
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
  /** Is `target` reached on a path where `call` returned a value of this sign class? */
  reachedWhen(call: SyntaxNode, result: 'positive' | 'zero' | 'negative', target: SyntaxNode): SwallowAnswer;
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

/** The real post-image lines an edit set covers, and their text after the edits: one replacement per
 * visible stretch (edits on both sides of code the patch does not show become two replacements). */
export function fixText(
  image: FunctionImage,
  edits: { start: number; end: number; text: string }[],
): { startLine: number; endLine: number; text: string }[] | undefined {
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
  const spans = [...edits]
    .sort((a, b) => a.start - b.start)
    .map((e) => ({ e, first: rowOf(e.start), last: rowOf(Math.max(e.start, e.end - 1)) }));
  // Group edits whose rows are joined by visible rows only.
  const groups: (typeof spans)[] = [];
  for (const s of spans) {
    const g = groups[groups.length - 1];
    const prev = g?.[g.length - 1];
    let joined = !!prev;
    if (prev) for (let r = prev.last; r <= s.first; r++) if (!image.lineMap[r]) joined = false;
    if (joined) g!.push(s);
    else groups.push([s]);
  }
  const out: { startLine: number; endLine: number; text: string }[] = [];
  for (const g of groups) {
    const firstRow = g[0]!.first;
    const lastRow = Math.max(...g.map((s) => s.last));
    for (let r = firstRow; r <= lastRow; r++) if (!image.lineMap[r]) return undefined; // an edit on synthetic text
    const base = rowStarts[firstRow]!;
    // The raw rows have the same lengths as the normalised ones, so offsets carry over.
    const raw = image.rawLines.slice(firstRow, lastRow + 1).join('\n');
    const text = applyEdits(raw, g.map((s) => ({ start: s.e.start - base, end: s.e.end - base, text: s.e.text })));
    out.push({ startLine: image.lineMap[firstRow]!, endLine: image.lineMap[lastRow]!, text: tidyBlankRows(text) });
  }
  return out;
}

/** Removing statements can leave runs of blank rows: keep at most one, and none at the ends. */
function tidyBlankRows(text: string): string {
  const rows = text.split('\n');
  const out: string[] = [];
  for (const row of rows) {
    if (row.trim() === '' && (out.length === 0 || out[out.length - 1]!.trim() === '')) continue;
    out.push(row);
  }
  while (out.length > 0 && out[out.length - 1]!.trim() === '') out.pop();
  return out.join('\n');
}
