// Splits a hunk body whose newlines were collapsed into spaces back into diff lines.
// A "+"/"-" is a line marker only where a C line can end just before it; context
// text is cut at statement boundaries. Exact original breaks cannot be known; the
// kinds, the C text and its order can.

import type { HunkLine, LineKind } from './types.ts';

const LOOKBACK = 400;

function parenDepth(s: string): number {
  let d = 0;
  for (const c of s) {
    if (c === '(') d++;
    else if (c === ')') d--;
  }
  return d;
}

/** Text after the last statement end ([;{}] or a comment end) in s. */
function lastFragment(s: string): string {
  let i = s.length - 1;
  for (; i >= 0; i--) {
    const c = s[i];
    if (c === ';' || c === '{' || c === '}') break;
    if (c === '/' && s[i - 1] === '*') break;
  }
  return s.slice(i + 1);
}

/** Whether a C line can end at the end of `prefix`, given the text after the marker. */
function endsCLine(prefix: string, after: string, inComment: boolean): boolean {
  const t = prefix.trimEnd();
  // Inside a block comment only a " * ..." continuation starts a new line.
  if (inComment) return /^ \*/.test(after);
  if (t === '') return true;
  if (t.endsWith('*/')) return true;
  const last = t[t.length - 1];
  if (last === ';') return parenDepth(lastFragment(t.slice(0, -1))) <= 0;
  if (last === '{' || last === '}') return true;
  if (last === ',' || t.endsWith('&&') || t.endsWith('||')) return after.startsWith(' ');
  const frag = lastFragment(t).trim();
  if (frag.startsWith('#')) return parenDepth(frag) === 0;
  if (last === ':') return !frag.includes('?') && /^(case\b.*|default|[A-Za-z_]\w*)\s*:$/.test(frag);
  if (last === ')') {
    if (parenDepth(frag) !== 0) return false;
    if (/^(?:else\s+)?(if|for|while|switch)\b/.test(frag)) return true;
    return isDeclarator(frag);
  }
  return /\b(else|do)$/.test(t);
}

function isDeclarator(frag: string): boolean {
  return /^(?:[A-Za-z_]\w*[\s*]+)+[A-Za-z_]\w*\s*\(/.test(frag) && !frag.includes('=') && !/^(return|else|if|while|for|switch)\b/.test(frag);
}

/** Positions of line markers in a flattened hunk body. */
function findMarkers(body: string): number[] {
  const markers: number[] = [];
  let lineStart = 0;
  let commentOpen = false;
  const commentStateAfter = (segment: string, open: boolean): boolean => {
    const o = segment.lastIndexOf('/*');
    const c = segment.lastIndexOf('*/');
    if (o > c) return true;
    if (c > o) return false;
    return open;
  };
  for (let p = 0; p < body.length; p++) {
    const c = body[p];
    if ((c !== '+' && c !== '-') || (p > 0 && body[p - 1] !== ' ')) continue;
    const n = body[p + 1] ?? ' ';
    if (n === '+' || n === '-' || n === '=' || n === '>') continue;
    const prefix = body.slice(Math.max(lineStart, p - LOOKBACK), p);
    const open = commentStateAfter(prefix, commentOpen);
    if (!endsCLine(prefix, body.slice(p + 1, p + 4), open)) continue;
    markers.push(p);
    commentOpen = open;
    lineStart = p + 1;
  }
  return markers;
}

/** End of a preprocessor directive that starts s (which begins with '#'). */
function directiveEnd(s: string): number {
  const m = /^#\s*(\w+)\s*/.exec(s);
  if (!m) return s.length;
  let i = m[0].length;
  const word = m[1];
  const token = (): void => {
    if (s[i] === '(') {
      let d = 0;
      for (; i < s.length; i++) {
        if (s[i] === '(') d++;
        else if (s[i] === ')' && --d === 0) {
          i++;
          return;
        }
      }
    } else if (s[i] === '<' || s[i] === '"') {
      const close = s.indexOf(s[i] === '<' ? '>' : '"', i + 1);
      i = close < 0 ? s.length : close + 1;
    } else {
      while (i < s.length && s[i] !== ' ') i++;
    }
  };
  if (word === 'endif' || word === 'else') return i;
  token();
  if (word === 'define') {
    if (s[i] === '(') token(); // function-like macro parameters
    while (s[i] === ' ') i++;
    token();
  }
  return i;
}

/** Cuts context text into lines at statement boundaries. */
function splitContext(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  let depth = 0;
  const cut = (end: number): void => {
    const piece = s.slice(start, end).trim();
    if (piece) out.push(piece);
    start = end;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '#' && s.slice(start, i).trim() === '') {
      {
        const end = i + directiveEnd(s.slice(i));
        cut(Math.max(end, i + 1));
        i = start - 1;
        continue;
      }
    }
    if (c === '(') depth++;
    else if (c === ')') {
      depth = Math.max(0, depth - 1);
      // A function definition's "{" sits on its own line in every kernel style.
      if (depth === 0 && /^\s*\{/.test(s.slice(i + 1, i + 4)) && isDeclarator(s.slice(start, i + 1).trim())) cut(i + 1);
    }
    else if (c === ';' && depth === 0) cut(i + 1);
    else if (c === '{' && !/=\s*$/.test(s.slice(Math.max(start, i - 3), i))) cut(i + 1);
    else if (c === '}' && !/^\s*(;|,|else\b)/.test(s.slice(i + 1, i + 8))) cut(i + 1);
    else if (c === '/' && s[i - 1] === '*' && i > start + 1) cut(i + 1);
    else if (c === ':' && depth === 0 && /^\s*(case\b[^?]*|default|[A-Za-z_]\w*)\s*$/.test(s.slice(start, i)) && s[i + 1] !== ':') cut(i + 1);
  }
  cut(s.length);
  return out;
}

/** The first line of a marked piece: up to its first statement boundary. */
function firstLineEnd(piece: string): number {
  const t = piece.trimStart();
  const lead = piece.length - t.length;
  if (t.startsWith('#')) return lead + directiveEnd(t);
  const parts = splitContext(piece);
  if (parts.length <= 1) return piece.length;
  // Map the first part back onto the piece.
  const at = piece.indexOf(parts[0]!);
  return at + parts[0]!.length;
}

export function splitFlattenedBody(body: string, sourceLine: number): HunkLine[] {
  const lines: HunkLine[] = [];
  const push = (kind: LineKind, text: string): void => {
    lines.push({ kind, text, sourceLine, repaired: true });
  };
  const markers = findMarkers(body);
  const contextRun = (s: string): void => {
    for (const t of splitContext(s)) push('context', t);
  };
  contextRun(body.slice(0, markers[0] ?? body.length));
  markers.forEach((p, k) => {
    const end = markers[k + 1] ?? body.length;
    const piece = body.slice(p + 1, end);
    const cut = firstLineEnd(piece);
    const text = piece.slice(0, cut).replace(/^ /, '').trimEnd();
    push(body[p] === '+' ? 'add' : 'del', text);
    contextRun(piece.slice(cut));
  });
  return lines;
}
