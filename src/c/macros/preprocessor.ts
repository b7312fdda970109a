// Conditional compilation before tree-sitter sees it. tree-sitter-c parses `#if` only where the
// arms are whole statements or declarations; inside a function an arm often opens a brace another
// closes. We keep one arm (the first, or the first after `#if 0`), blank the others and the
// directive lines, and so hand tree-sitter one balanced configuration of the code. At file scope
// balanced groups stay as they are: each arm may hold a function the patch touches.
import type { Token } from './lexer.ts';
import type { Rewriter } from './rewriter.ts';
import { GAP_CALL } from '../markers.ts';

interface Frame {
  startDepth: number;
  directives: Token[];
  /** Some arm so far was kept. */
  hasKept: boolean;
  /** The current arm is kept (regardless of the enclosing arms). */
  armKept: boolean;
  /** Brace depth at the end of the first kept arm: the depth the group leaves behind. */
  keptEndDepth: number | undefined;
  /** Keep one arm only and blank the directives. */
  collapse: boolean;
  /** The enclosing arms are all kept. */
  parentLive: boolean;
  /** Where the current dead arm started, when it is dead and its parent is live. */
  deadFrom: number | undefined;
}

const IF_ZERO = /^#\s*if\s+\(?\s*0\s*\)?\s*(?:$|\/[*/])/;
const ELIF_ZERO = /^#\s*elif\s+\(?\s*0\s*\)?\s*(?:$|\/[*/])/;

const directiveName = (text: string): string => /^#\s*(\w*)/.exec(text)?.[1] ?? '';

export interface LiveCode {
  /** Code tokens tree-sitter will see: no comments, directives or blanked arms. */
  tokens: Token[];
  /** Brace depth before each token of `tokens`. */
  depth: number[];
}

export function resolveConditionals(all: readonly Token[], rw: Rewriter, initialDepth = 0): LiveCode {
  const tokens: Token[] = [];
  const depthOf: number[] = [];
  const frames: Frame[] = [];
  let depth = initialDepth;
  const isLive = (): boolean => {
    const top = frames[frames.length - 1];
    return !top || (top.parentLive && top.armKept);
  };
  const endArm = (f: Frame, at: number): void => {
    if (f.armKept && f.keptEndDepth === undefined) f.keptEndDepth = depth;
    if (f.deadFrom !== undefined) {
      rw.blank(f.deadFrom, at, 'preprocessor');
      f.deadFrom = undefined;
    }
  };
  const startArm = (f: Frame, kept: boolean, after: number): void => {
    f.armKept = kept;
    if (kept) {
      f.hasKept = true;
      depth = f.startDepth;
    } else if (f.parentLive) {
      f.deadFrom = after;
    }
  };

  const closeGroup = (f: Frame, at: number): void => {
    endArm(f, at);
    frames.pop();
    depth = f.keptEndDepth ?? f.startDepth;
    if (f.collapse && f.parentLive) for (const d of f.directives) rw.blank(d.start, d.end, 'preprocessor');
  };

  for (const tok of all) {
    if (tok.kind === 'directive') {
      const name = directiveName(tok.text);
      if (name === 'if' || name === 'ifdef' || name === 'ifndef') {
        const isZero = IF_ZERO.test(tok.text);
        const f: Frame = {
          startDepth: depth, directives: [tok], hasKept: false, armKept: false, keptEndDepth: undefined,
          collapse: isZero || depth > 0, parentLive: isLive(), deadFrom: undefined,
        };
        frames.push(f);
        startArm(f, !isZero, tok.end);
        continue;
      }
      const f = frames[frames.length - 1];
      if ((name === 'elif' || name === 'else') && f) {
        f.directives.push(tok);
        endArm(f, tok.start);
        // A file-scope group whose kept arm leaves a brace open cannot keep a second arm.
        if (f.hasKept && f.keptEndDepth !== f.startDepth) f.collapse = true;
        const keep = f.hasKept ? !f.collapse : !(name === 'elif' && ELIF_ZERO.test(tok.text));
        startArm(f, keep, tok.end);
        continue;
      }
      if (name === 'endif' && f) {
        f.directives.push(tok);
        closeGroup(f, tok.start);
        continue;
      }
      if ((name === 'elif' || name === 'else') && depth > 0) {
        // A fragment starting inside a group whose #if is unseen: what came before was the kept
        // arm; this one and the rest, up to the #endif, are dead.
        const orphan: Frame = {
          startDepth: depth, directives: [tok], hasKept: true, armKept: false, keptEndDepth: depth,
          collapse: true, parentLive: isLive(), deadFrom: undefined,
        };
        frames.push(orphan);
        startArm(orphan, false, tok.end);
        continue;
      }
      // Any other directive inside a function (or a stray #else/#endif) is noise to tree-sitter.
      if (isLive() && depth > 0) rw.blank(tok.start, tok.end, 'preprocessor');
      continue;
    }
    if (tok.text === GAP_CALL && tok.kind === 'identifier') {
      // Unseen code stands here (a fragment's gap): it holds the ends of the groups still open.
      for (let f = frames[frames.length - 1]; f; f = frames[frames.length - 1]) closeGroup(f, tok.start);
    }
    if (!isLive() || tok.kind === 'comment') continue;
    depthOf.push(depth);
    tokens.push(tok);
    if (tok.text === '{') depth++;
    else if (tok.text === '}' && depth > 0) depth--;
  }
  // An unterminated group: blank what is still dead, so the text ends balanced.
  for (let f = frames.pop(); f; f = frames.pop()) endArm(f, all.length ? (all[all.length - 1] as Token).end : 0);
  return { tokens, depth: depthOf };
}
