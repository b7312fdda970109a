// Fragment mode: the patch is all there is. Each file's hunks become chunks of visible text.
import type { FilePatch, Hunk, Warning } from '../patch/types.ts';
import { estimateDepth0, headAfterChunk, headBeforeChunk, headOfSection, lexSide, type Chunk, type SideLine } from './segment.ts';

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

/**
 * The chunk before closed the function the next hunk's section header names: git names the last
 * function head above a hunk, so a hunk after that function's visible `}` (with no other head
 * between) is at file scope, whatever the lines' indentation suggests (`pseudo_ta_register(.uuid
 * = ...)` after the function it registers).
 */
function closedBefore(prev: Chunk | undefined, section: string): boolean {
  if (!prev) return false;
  const name = headOfSection(section)?.name;
  if (!name || headOfSection(prev.section)?.name !== name) return false;
  const sides = [prev.pre, prev.post].filter((lines) => lines.length > 0);
  return sides.length > 0 && sides.every((lines) => {
    // The previous chunk's sides, lexed when its depth and head were estimated (remembered per array).
    const lex = lexSide(lines);
    // Inside the body at some point (from the start, or its `{` is visible), then closed by a `}` at
    // column 0 (the estimated start depth is only a lower bound: an indented `}` may close a loop),
    // and at file scope from there to the end.
    const inside = prev.depth0 > 0 || lex.some((l) => l.depthAfter > 0);
    const closer = lex.findIndex((l, i) => /^\}\s*$/.test(lines[i]!.text) && prev.depth0 + l.depthAfter === 0);
    return inside && closer >= 0 && lex.slice(closer).every((l) => prev.depth0 + l.depthAfter === 0);
  });
}

/**
 * The hunk starts at file scope: at the first line of the file (a new file, or a change at its
 * top), or its first code line on either side (after comments and blank lines) is an `#include`.
 */
function startsFile(hunk: Hunk): boolean {
  if (hunk.oldStart <= 1 && hunk.newStart <= 1) return true;
  let inComment = false;
  for (const l of hunk.lines) {
    let t = l.text.trim();
    if (inComment) {
      const end = t.indexOf('*/');
      if (end < 0) continue;
      inComment = false;
      t = t.slice(end + 2).trim();
    }
    if (t.startsWith('/*') && !t.includes('*/')) {
      inComment = true;
      continue;
    }
    if (t === '' || t.startsWith('//') || /^\/\*.*\*\/$/.test(t)) continue;
    return /^#\s*include\b/.test(t);
  }
  return false;
}

/**
 * The hunk starts on a continuation line of a multi-line prototype whose first line is the section
 * header (`T *f(T **list,` / `size_t len);`): the parameter list closes with `;`, so the lines are
 * at file scope, not in a function body.
 */
/** One parameter declaration: type words and a name (`const struct x *p`, `size_t len`, `u8 buf[16]`), `void` or `...`. */
const PARAM = /^(?:void|\.\.\.|(?:[A-Za-z_]\w*\s+|\*\s*)+\**\s*[A-Za-z_]\w*(?:\s*\[[^\]]*\])*)$/;

function continuesPrototype(section: string, sides: readonly (readonly SideLine[])[]): boolean {
  const head = headOfSection(section);
  if (!head || !head.paramsIncomplete) return false;
  let open = 0;
  for (const ch of head.paramsText) open += ch === '(' ? 1 : ch === ')' ? -1 : 0;
  return sides.some((lines) => {
    if (lines.length === 0) return false;
    let depth = open + 1;
    let params = '';
    const shown = lines.slice(0, 8).map((l) => l.text.replace(/\/\*.*?\*\/|\/\/.*$/g, ''));
    for (const [n, code] of shown.entries()) {
      for (let i = 0; i < code.length; i++) {
        const ch = code[i];
        if (ch === '{' || ch === '}' || (ch === ';' && depth > 0)) return false;
        if (ch === '(') depth++;
        else if (ch === ')' && --depth === 0) {
          // Declared parameters (`size_t len`), not a call's arguments (`src.id);`).
          const declared = params.split(',').every((p) => p.trim() === '' || PARAM.test(p.trim()));
          // Annotations, maybe on the next lines (`__weak __alias("sw_f")`), then the `;`.
          const rest = [code.slice(i + 1), ...shown.slice(n + 1, n + 3)].join(' ');
          return declared && /^\s*(?:__\w+(?:\s*\((?:\(.*?\)|[^(){};]*)\))?\s*)*;/.test(rest);
        }
        params += ch;
      }
      params += ' ';
    }
    return false;
  });
}

/** Lines inside `#ifdef __cplusplus` ... `#endif` are C++ only (`extern "C" {` / `}`): read as blank. */
function withoutCplusplusGuards(lines: SideLine[]): SideLine[] {
  let depth = 0;
  let guard = 0;
  return lines.map((l) => {
    const t = l.text.trim();
    const directive = /^#\s*(\w+)/.exec(t)?.[1];
    if (directive === 'if' || directive === 'ifdef' || directive === 'ifndef') {
      depth++;
      if (guard === 0 && /^#\s*(?:ifdef\s+__cplusplus\b|if\s+defined\s*\(?\s*__cplusplus\b)/.test(t)) guard = depth;
      return l;
    }
    if (directive === 'endif') {
      if (guard === depth) guard = 0;
      depth = Math.max(0, depth - 1);
      return l;
    }
    if ((directive === 'else' || directive === 'elif') && guard === depth) guard = 0;
    return guard > 0 && directive === undefined ? { ...l, text: '' } : l;
  });
}

/**
 * One chunk per hunk, each with its estimated starting depth: from the braces the chunk shows, and with
 * `byIndent` also from its indentation (deeper only; estimateDepth0).
 */
export function chunksFromHunks(file: FilePatch, byIndent = false): { chunks: Chunk[]; warnings: Warning[] } {
  const chunks: Chunk[] = [];
  for (const hunk of file.hunks) chunks.push(chunkOf(file, hunk, chunks[chunks.length - 1], byIndent));
  return { chunks, warnings: [] };
}

function chunkOf(file: FilePatch, hunk: Hunk, prev: Chunk | undefined, byIndent: boolean): Chunk {
  const pre = file.status === 'added' ? [] : withoutCplusplusGuards(sideLines(hunk, 'pre'));
  const post = file.status === 'deleted' ? [] : withoutCplusplusGuards(sideLines(hunk, 'post'));
  const headBefore = headBeforeChunk(hunk.section, [pre, post]);
  const headAfter = headBefore !== undefined ? headAfterChunk(hunk.section, [pre, post]) : undefined;
  return {
    section: hunk.section,
    gapReason: hunk.gapBefore ? 'elision' : 'between-hunks',
    pre,
    post,
    depth0: headBefore !== undefined || startsFile(hunk) || closedBefore(prev, hunk.section) || continuesPrototype(hunk.section, [pre, post])
      ? 0
      : estimateDepth0(hunk.section, [pre, post], byIndent),
    sourceLine: hunk.sourceLine,
    ...(headBefore !== undefined ? { headBefore } : {}),
    ...(headAfter !== undefined ? { headAfter } : {}),
  };
}
