// The rules' one door to the simulator: every question a rule asks goes through a SimSession,
// which knows the function images, the budget, and what the patch itself introduced.
import type { FunctionImage } from '../c/types.ts';
import { lineStarts, rowAt } from '../c/lines.ts';
import type { Question } from './rule.ts';
import type { EvidenceStep } from './types.ts';

export interface Story {
  story: string;
  steps: EvidenceStep[];
}

/**
 * The simulator's answer to a rule's question: `yes` backs the finding, `no` clears it (only ever
 * said when the simulation was complete or found a real counterexample), `unknown` is inconclusive.
 */
export interface SimAnswer {
  outcome: 'yes' | 'no' | 'unknown';
  /** The witness path (yes) or counterexample (no), when there is one. */
  witness?: Story;
  /** Why, in words: the proof, the refutation, or what stopped the simulator. */
  reason: string;
  /** Rewrites: the message that fits an answer made under a stated assumption. */
  messageId?: string;
  /** Rewrites: what the answer assumed of code the patch does not show. */
  assumption?: string;
}

export interface SimSession {
  /** Answers one typed question about the post-image (and the pre-image, for success-path changes). */
  ask(question: Question): SimAnswer;
  /** How many paths the session simulated so far. */
  readonly pathsSimulated: number;
  /** Whether a simulation stopped on its budget (the function is too large to decide). */
  readonly exhausted: boolean;
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
): { startLine: number; endLine: number; text: string; original: string }[] | undefined {
  if (edits.length === 0) return undefined;
  const rowStarts = lineStarts(image.source);
  const rowOf = (offset: number): number => rowAt(rowStarts, offset);
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
  const out: { startLine: number; endLine: number; text: string; original: string }[] = [];
  for (const g of groups) {
    const firstRow = g[0]!.first;
    const lastRow = Math.max(...g.map((s) => s.last));
    for (let r = firstRow; r <= lastRow; r++) if (!image.lineMap[r]) return undefined; // an edit on synthetic text
    const base = rowStarts[firstRow]!;
    // The raw rows have the same lengths as the normalised ones, so offsets carry over.
    const raw = image.rawLines.slice(firstRow, lastRow + 1).join('\n');
    const text = applyEdits(raw, g.map((s) => ({ start: s.e.start - base, end: s.e.end - base, text: s.e.text })));
    out.push({ startLine: image.lineMap[firstRow]!, endLine: image.lineMap[lastRow]!, text: tidyBlankRows(text), original: raw });
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
