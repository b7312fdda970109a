// Fragment mode: the patch is all there is. Each file's hunks become chunks of visible text.
import type { FilePatch, Hunk, Warning } from '../patch/types.ts';
import { estimateDepth0, headBeforeChunk, type Chunk, type SideLine } from './segment.ts';

function sideLines(hunk: Hunk, side: 'pre' | 'post'): SideLine[] {
  const out: SideLine[] = [];
  for (const l of hunk.lines) {
    if (side === 'pre' && l.kind !== 'add' && l.oldLine !== undefined) {
      out.push({ text: l.text, line: l.oldLine, isChanged: l.kind === 'del' });
    } else if (side === 'post' && l.kind !== 'del' && l.newLine !== undefined) {
      out.push({ text: l.text, line: l.newLine, isChanged: l.kind === 'add' });
    }
  }
  return out;
}

/** One chunk per hunk, each with its estimated starting depth. */
export function chunksFromHunks(file: FilePatch): { chunks: Chunk[]; warnings: Warning[] } {
  const chunks = file.hunks.map((hunk): Chunk => {
    const pre = file.status === 'added' ? [] : sideLines(hunk, 'pre');
    const post = file.status === 'deleted' ? [] : sideLines(hunk, 'post');
    const headBefore = headBeforeChunk(hunk.section, [pre, post]);
    return {
      section: hunk.section,
      gapReason: hunk.gapBefore ? 'elision' : 'between-hunks',
      pre,
      post,
      depth0: headBefore !== undefined ? 0 : estimateDepth0(hunk.section, [pre, post]),
      sourceLine: hunk.sourceLine,
      ...(headBefore !== undefined ? { headBefore } : {}),
    };
  });
  return { chunks, warnings: [] };
}
