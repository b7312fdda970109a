// Tree mode: the pre-image file from a checkout (by path, or by the index line's blob), and the
// patch's hunks applied to it, fuzz-free (context and del lines must match, at an offset if need be).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FilePatch, Hunk, Warning } from '../patch/types.ts';
import { lexSide, type Chunk, type SideLine } from './segment.ts';
import { lexLines } from './lex.ts';

export interface AppliedFile {
  pre: SideLine[];
  post: SideLine[];
  /**
   * Places where a quoted patch elides part of a hunk (`[...]`, or a quote that stops before the
   * end its header counts): the post image is unknown there (the elided part may add, delete or
   * keep lines), so the tree's old lines are not used. `post` is the index in `post` of the first
   * line after the unknown part; `oldIndex` the 0-based pre-image line it resumes at; `anchor`, the
   * first line after it that the tree holds (a context line: its depth in the pre-image is known).
   */
  unknown: { post: number; oldIndex: number; anchor?: { post: number; oldIndex: number } }[];
  /** Where the pre-image came from. */
  source: 'path' | 'blob' | 'empty';
}

const squash = (s: string): string => s.replace(/\s+/g, '');

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => l.replace(/\r$/, ''));
}

function matchesAt(file: readonly string[], expected: readonly string[], at: number, loose: boolean): boolean {
  if (at < 0 || at + expected.length > file.length) return false;
  for (let i = 0; i < expected.length; i++) {
    const a = file[at + i]!;
    const b = expected[i]!;
    if (loose ? squash(a) !== squash(b) : a.trimEnd() !== b.trimEnd()) return false;
  }
  return true;
}

/** Where a hunk's old lines sit in the file: the stated line first, then nearest offsets. */
function locate(file: readonly string[], hunk: Hunk, offset: number): number | undefined {
  const expected = hunk.lines.filter((l) => l.kind !== 'add').map((l) => l.text);
  const stated = (expected.length === 0 ? hunk.oldStart : hunk.oldStart - 1) + offset;
  // Exact text first; then ignoring whitespace (mail often loses indentation), as `git apply
  // --ignore-whitespace` would.
  for (const loose of [false, true]) {
    for (let delta = 0; delta <= file.length; delta++) {
      if (matchesAt(file, expected, stated - delta, loose)) return stated - delta;
      if (delta > 0 && matchesAt(file, expected, stated + delta, loose)) return stated + delta;
      if (stated - delta < 0 && stated + delta > file.length) break;
    }
  }
  return undefined;
}

export type ApplyResult = { ok: true; applied: AppliedFile } | { ok: false; failed: Hunk[] };

export function applyHunks(preText: string, hunks: readonly Hunk[], source: AppliedFile['source']): ApplyResult {
  const file = splitLines(preText);
  const pre: SideLine[] = file.map((text, i) => ({ text, line: i + 1, isChanged: false }));
  const post: SideLine[] = [];
  const failed: Hunk[] = [];
  const unknown: AppliedFile['unknown'] = [];
  let cursor = 0;
  let offset = 0;
  // Post-image line numbers skip the lines an unknown part is known (or assumed) to hold.
  let nextLine = 1;
  const keep = (text: string, isChanged: boolean): void => {
    const last = unknown[unknown.length - 1];
    if (last && !last.anchor && !isChanged) last.anchor = { post: post.length, oldIndex: cursor };
    post.push({ text, line: nextLine++, isChanged });
  };
  const markUnknown = (): void => {
    const last = unknown[unknown.length - 1];
    if (last && last.post === post.length) last.oldIndex = cursor;
    else unknown.push({ post: post.length, oldIndex: cursor });
  };
  hunks.forEach((hunk, hi) => {
    const at = locate(file, hunk, offset);
    if (at === undefined || at < cursor) {
      failed.push(hunk);
      return;
    }
    offset = at - (hunk.oldStart - 1);
    if (hunk.gapBefore && hi > 0 && at > cursor) {
      // Elided text between this part and the one before: unknown, whatever the tree holds there
      // (assumed to keep its length for the line numbers that follow).
      nextLine += at - cursor;
      cursor = at;
      markUnknown();
    }
    for (; cursor < at; cursor++) keep(file[cursor]!, false);
    for (const l of hunk.lines) {
      if (l.kind === 'context') {
        keep(file[cursor]!, false);
        cursor++;
      } else if (l.kind === 'del') {
        pre[cursor]!.isChanged = true;
        cursor++;
      } else {
        keep(l.text, true);
      }
    }
    if (hunk.unseenTail) {
      // The rest of the hunk is not quoted: its old lines may be deleted or kept, and new lines added.
      const next = hunks[hi + 1];
      const nextAt = next ? locate(file, next, offset) : undefined;
      const limit = nextAt !== undefined && nextAt >= cursor ? nextAt : file.length;
      cursor = Math.min(limit, cursor + hunk.unseenTail.old);
      nextLine += hunk.unseenTail.new;
      markUnknown();
    }
  });
  if (failed.length > 0) return { ok: false, failed };
  for (; cursor < file.length; cursor++) keep(file[cursor]!, false);
  return { ok: true, applied: { pre, post, unknown, source } };
}

function gitBlob(tree: string, blob: string): string | undefined {
  if (!/^[0-9a-f]{4,64}$/.test(blob) || /^0+$/.test(blob)) return undefined;
  try {
    return execFileSync('git', ['-C', tree, 'cat-file', '-p', blob], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    return undefined;
  }
}

/**
 * The whole pre- and post-image of a file from the tree, or warnings (one per hunk that does not
 * apply) when the file has to fall back to fragment mode.
 */
export function treeFile(tree: string, file: FilePatch): { applied?: AppliedFile; warnings: Warning[] } {
  const path = file.newPath ?? file.oldPath ?? '';
  if (file.status === 'added' || file.oldPath === null) {
    const result = applyHunks('', file.hunks, 'empty');
    return result.ok ? { applied: result.applied, warnings: [] } : { warnings: failures(path, result.failed, 'an added file') };
  }
  const candidates: { text: string; source: AppliedFile['source'] }[] = [];
  const onDisk = join(tree, file.oldPath);
  if (existsSync(onDisk)) candidates.push({ text: readFileSync(onDisk, 'utf8'), source: 'path' });
  let lastFailed: Hunk[] = file.hunks;
  for (const candidate of candidates) {
    const result = applyHunks(candidate.text, file.hunks, candidate.source);
    if (result.ok) return { applied: result.applied, warnings: [] };
    lastFailed = result.failed;
  }
  // The working file differs (another revision): the index line names the exact pre-image blob.
  const blobText = file.oldBlob ? gitBlob(tree, file.oldBlob) : undefined;
  if (blobText !== undefined) {
    const result = applyHunks(blobText, file.hunks, 'blob');
    if (result.ok) return { applied: result.applied, warnings: [] };
    lastFailed = result.failed;
  }
  if (candidates.length === 0 && blobText === undefined) {
    return {
      warnings: [{ code: 'tree-apply', file: path, message: `${path}: not in the tree${file.oldBlob ? ` and blob ${file.oldBlob} not found` : ''}; modelled from the patch alone` }],
    };
  }
  return { warnings: failures(path, lastFailed, blobText !== undefined ? `blob ${file.oldBlob}` : 'the tree') };
}

function failures(path: string, hunks: readonly Hunk[], against: string): Warning[] {
  return hunks.map((h) => ({
    code: 'tree-apply' as const,
    file: path,
    line: h.sourceLine,
    message: `${path}: hunk @@ -${h.oldStart},${h.oldCount} +${h.newStart},${h.newCount} @@ does not apply to ${against}; file modelled from the patch alone`,
  }));
}

/**
 * The whole file as one chunk per side, starting at file scope; the post side is cut where the
 * quoted patch elides part of a hunk, so the segmenter puts a gap (unknown code) there as in
 * fragment mode. Each later part starts at the depth its first line has in the pre-image.
 */
export function treeChunks(applied: AppliedFile): Chunk[] {
  const chunks: Chunk[] = [{ section: '', gapReason: 'between-hunks', pre: applied.pre, post: applied.post, depth0: 0 }];
  if (applied.unknown.length === 0) return chunks;
  // The same array segmentSide lexes for the pre side (lexSide remembers it per array): lexed once per review.
  const depths = lexSide(applied.pre);
  const cuts = applied.unknown.filter((u) => u.post > 0 || u.oldIndex > 0);
  chunks[0]!.post = applied.post.slice(0, cuts[0]?.post ?? applied.post.length);
  const depthAt = (oldIndex: number): number => depths[oldIndex]?.depthBefore ?? depths[depths.length - 1]?.depthAfter ?? 0;
  cuts.forEach((cut, i) => {
    const end = cuts[i + 1]?.post ?? applied.post.length;
    const part = applied.post.slice(cut.post, end);
    // The elided lines may open or close blocks: the part's depth is read back from its first line
    // the tree holds, through the added lines before it.
    let depth0 = depthAt(cut.oldIndex);
    if (cut.anchor && cut.anchor.post < end) {
      const before = lexLines(part.slice(0, cut.anchor.post - cut.post).map((l) => l.text));
      depth0 = depthAt(cut.anchor.oldIndex) - (before[before.length - 1]?.depthAfter ?? 0);
    }
    chunks.push({ section: '', gapReason: 'elision', pre: [], post: part, depth0: Math.max(0, depth0) });
  });
  return chunks;
}
