// The code a corpus patch shows around one line of one file: what a reader needs next to a missed
// positive, a finding on a clean commit or a flagged fix, without a checkout. Only the patch is read
// (its post-image lines: context and added), so it works with `--patches` alone.
import { parsePatchText } from '../patch/index.ts';
import { samePath } from './corpus.ts';

export interface PatchCodeLine {
  /** Line number in the post-image of the file. */
  line: number;
  text: string;
  /** The patch adds this line. */
  added: boolean;
}

/**
 * Post-image lines of `file` (path suffix match, as the scorer's) within `around` lines of `line`,
 * in order; empty when the patch does not show that file or that part of it.
 */
export function patchCodeAround(patch: string, file: string, line: number, around: number): PatchCodeLine[] {
  let set;
  try {
    set = parsePatchText(patch);
  } catch {
    return [];
  }
  const out = new Map<number, PatchCodeLine>();
  for (const p of set.patches) {
    for (const f of p.files) {
      if (!f.newPath || !samePath(f.newPath, file)) continue;
      for (const h of f.hunks) {
        for (const l of h.lines) {
          if (l.kind === 'del' || l.newLine === undefined) continue;
          if (Math.abs(l.newLine - line) > around) continue;
          out.set(l.newLine, { line: l.newLine, text: l.text, added: l.kind === 'add' });
        }
      }
    }
  }
  return [...out.values()].sort((a, b) => a.line - b.line);
}

/** Key of a snippet in CorpusReport.code: the patch, the file and the line it is centred on. */
export const codeKey = (patch: string, file: string, line: number): string => `${patch}:${file}:${line}`;

/** `  1234 + text` lines (added lines marked `+`, the centre line `>`), for text and markdown reports. */
export function renderPatchCode(lines: readonly PatchCodeLine[], centre: number, indent = ''): string[] {
  const width = String(lines.at(-1)?.line ?? 0).length;
  return lines.map((l) => `${indent}${l.line === centre ? '>' : ' '}${String(l.line).padStart(width)} ${l.added ? '+' : ' '} ${l.text}`.trimEnd());
}
