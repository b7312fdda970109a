// Baselines: the fingerprints of findings already known, so later runs report only new ones (the
// 0-day robot's "new vs old", Smatch's new_bugs.pl). A fingerprint names the rule, file, function and
// flagged line's text, not its number: it survives code moving around it.
import { readFile } from 'node:fs/promises';
import type { Finding, Review } from '../review/types.ts';
import { UsageError } from './options.ts';

export const DEFAULT_BASELINE = '.patch-review-baseline.json';

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file: string;
  function: string;
  line: number;
  message: string;
}

export interface BaselineFile {
  tool: 'patch-review';
  version: 1;
  findings: BaselineEntry[];
}

export function makeBaseline(review: Review): BaselineFile {
  return {
    tool: 'patch-review',
    version: 1,
    // A group of repeated findings (one callee, one function: engine.ts groupRepeated) is recorded member by member, as
    // a baseline of the same findings ungrouped would have it.
    findings: review.findings.flatMap((f) => [
      { fingerprint: f.fingerprint, ruleId: f.ruleId, file: f.file, function: f.function, line: f.line, message: f.message },
      ...(f.related ?? []).map((r) => ({ fingerprint: r.fingerprint, ruleId: f.ruleId, file: r.file, function: f.function, line: r.line, message: f.message })),
    ]),
  };
}

export async function readBaseline(file: string): Promise<BaselineFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read baseline ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`baseline ${file} is not valid JSON`);
  }
  const doc = data as Partial<BaselineFile>;
  if (doc?.tool !== 'patch-review' || doc.version !== 1 || !Array.isArray(doc.findings) || !doc.findings.every((e) => typeof e?.fingerprint === 'string')) {
    throw new UsageError(`${file} is not a patch-review baseline (written by \`patch-review baseline\`)`);
  }
  return doc as BaselineFile;
}

/**
 * The review without the findings the baseline has. Each baseline entry absorbs one finding with its
 * fingerprint, so a second copy of a known problem is still new. A group of repeated findings is known only when every
 * member is (a baseline of the ungrouped findings, or of the group, has them all); one new call makes the group new.
 */
export function subtractBaseline(review: Review, baseline: BaselineFile): { review: Review; suppressed: number } {
  const known = new Map<string, number>();
  for (const e of baseline.findings) known.set(e.fingerprint, (known.get(e.fingerprint) ?? 0) + 1);
  const kept: Finding[] = [];
  for (const f of review.findings) {
    const members = [f.fingerprint, ...(f.related ?? []).map((r) => r.fingerprint)];
    const need = new Map<string, number>();
    for (const m of members) need.set(m, (need.get(m) ?? 0) + 1);
    if ([...need].every(([m, n]) => (known.get(m) ?? 0) >= n)) for (const [m, n] of need) known.set(m, known.get(m)! - n);
    else kept.push(f);
  }
  return { review: { ...review, findings: kept }, suppressed: review.findings.length - kept.length };
}
