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
  // No operator stands before a brace: "+}", "+ }" and "+{" start lines.
  if (/^ ?[{}]/.test(after)) return true;
  if (t.endsWith('*/')) return true;
  const last = t[t.length - 1];
  if (last === ';') return parenDepth(lastFragment(t.slice(0, -1))) <= 0;
  if (last === '{' || last === '}') return true;
  if (last === ',' || t.endsWith('&&') || t.endsWith('||')) return after.startsWith(' ');
  // "f(" closing a line: the arguments follow on the next (unary plus/minus after "( " is not kernel style).
  if (last === '(') return after.startsWith(' ') && /[A-Za-z_]\w*\s*\($/.test(t);
  const frag = lastFragment(t).trim();
  if (frag.startsWith('#')) return parenDepth(frag) === 0;
  if (last === ':') return !frag.includes('?') && /^(case\b.*|default|[A-Za-z_]\w*)\s*:$/.test(frag);
  if (last === ')') {
    if (parenDepth(frag) !== 0) return false;
    if (/^(?:else\s+)?(if|for|while|switch)\b/.test(frag)) return true;
    return isDeclarator(frag) || isMacroStatement(frag);
  }
  return /\b(else|do)$/.test(t);
}

/**
 * A whole statement that is one macro call without ";" ("for_each_online_cpu(cpu)",
 * "list_for_each_entry(p, &l, list)"): nothing but a loop body or a new line follows it.
 */
function isMacroStatement(frag: string): boolean {
  const m = /^([A-Za-z_]\w*)\s*\(/.exec(frag);
  if (!m || /^(return|sizeof|case|goto|else|if|while|for|switch|do)$/.test(m[1]!)) return false;
  // The first "(" must close at the very end.
  let d = 0;
  for (let i = m[0].length - 1; i < frag.length; i++) {
    if (frag[i] === '(') d++;
    else if (frag[i] === ')' && --d === 0) return i === frag.length - 1;
  }
  return false;
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
  const end = at + parts[0]!.length;
  // A comment that is all that stands before the next marker ends the same line: "+ smp_mb(); /* why */".
  const rest = piece.slice(end).trim();
  if (parts.length === 2 && rest.startsWith('/*') && rest.indexOf('*/') === rest.length - 2 && /[;{}]$/.test(parts[0]!)) {
    return piece.length;
  }
  return end;
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
  return balanceBraces(lines);
}

function braceDelta(s: string): number {
  let d = 0;
  for (const c of s) {
    if (c === '{') d++;
    else if (c === '}') d--;
  }
  return d;
}

/**
 * A "{" that follows a control header on a changed line may belong to the next,
 * unchanged line (Xen style: "-if ( a )", "+if ( b )", " {"). Where the added and
 * removed lines of the hunk differ in brace balance, such a "{" is given back to
 * the context, which makes both images balanced again. In a group of added (or
 * removed) lines only, the header itself is unchanged too: its marker stood for an
 * empty changed line ("+}", "+", " switch ( x )", " {").
 */
function balanceBraces(lines: HunkLine[]): HunkLine[] {
  let total = 0;
  for (const l of lines) if (l.kind !== 'context') total += l.kind === 'add' ? braceDelta(l.text) : -braceDelta(l.text);
  if (total === 0) return lines;
  const want: LineKind = total > 0 ? 'add' : 'del';
  let moves = Math.abs(total);
  const movable = (l: HunkLine): boolean =>
    l.kind === want && /\S\s*\{$/.test(l.text) && /\)$|\b(else|do)$/.test(l.text.slice(0, -1).trimEnd());
  const groups: [number, number][] = [];
  for (let i = 0; i < lines.length; ) {
    if (lines[i]!.kind === 'context') {
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && lines[j]!.kind !== 'context') j++;
    groups.push([i, j]);
    i = j;
  }
  const split = new Map<number, boolean>(); // line index -> header is context too
  for (const [i, j] of groups) {
    let skew = 0;
    for (let k = i; k < j; k++) skew += lines[k]!.kind === 'add' ? braceDelta(lines[k]!.text) : -braceDelta(lines[k]!.text);
    if ((skew > 0) !== (total > 0) || skew === 0) continue;
    const oneSided = lines.slice(i, j).every((l) => l.kind === want);
    for (let k = j - 1; moves > 0 && skew !== 0 && k >= i; k--) {
      if (!movable(lines[k]!)) continue;
      split.set(k, oneSided && k === j - 1 && k > i);
      moves--;
      skew += skew > 0 ? -1 : 1;
    }
  }
  if (split.size === 0) return lines;
  const out: HunkLine[] = [];
  lines.forEach((l, k) => {
    const headerToo = split.get(k);
    if (headerToo === undefined) {
      out.push(l);
      return;
    }
    const header = l.text.slice(0, -1).trimEnd();
    if (headerToo) {
      out.push({ ...l, text: '' });
      out.push({ kind: 'context', text: header, sourceLine: l.sourceLine, repaired: true });
    } else out.push({ ...l, text: header });
    out.push({ kind: 'context', text: '{', sourceLine: l.sourceLine, repaired: true });
  });
  return out;
}

/** End of a control header "if ( ... )" / "while (...)" at the start of s, or -1. */
function controlHeaderEnd(s: string): number {
  const m = /^(?:\}\s*)?(?:else\s+)?(?:if|while|for|switch)\s*\(/.exec(s);
  if (!m) return -1;
  let d = 0;
  for (let i = m[0].length - 1; i < s.length; i++) {
    if (s[i] === '(') d++;
    else if (s[i] === ')' && --d === 0) return i + 1;
  }
  return -1;
}

/** Whether a blank line can stand between two lines, and how likely one does (0: never). */
function blankScore(prev: HunkLine | undefined, next: HunkLine | undefined): number {
  const p = prev?.text.trim() ?? '';
  const n = next?.text.trim() ?? '';
  // A blank context line would cut a change group ("-return;", "+return 0;") in two.
  if (prev && next && prev.kind !== 'context' && next.kind !== 'context') return 0;
  if (prev && p === '') return 0;
  if (next && n === '') return 0;
  // Never inside a statement or a comment, never after "{" or before "}".
  if (prev && !/(;|\}|\*\/|:)$/.test(p) && !p.startsWith('#')) return 0;
  if (prev && (p.startsWith('*') || (p.startsWith('/*') && !p.endsWith('*/')))) return 0;
  if (next && (/^(\}|\{|else\b|\*)/.test(n) || /^[)\],]/.test(n))) return 0;
  if (prev && /\}$/.test(p) && !/^\}$/.test(n)) return 4;
  if (next && n.startsWith('/*')) return 3;
  if (prev && p.startsWith('#') !== n.startsWith('#')) return 3;
  if (next && /^return\b/.test(n)) return 2;
  if (!prev || !next) return 1;
  return 1;
}

/**
 * Brings a rebuilt hunk toward its @@ counts where the context came out short:
 * the flattening hid blank lines and the breaks inside "if ( x ) {" or
 * "if ( x ) return y;". Splits those first (braces only when the file's own changed
 * lines put "{" on a line of its own), then inserts blank context lines at statement
 * boundaries. Returns what was done, for a warning; the lines are changed in place.
 */
/** How many context, del and add lines a hunk holds. */
export function kindCounts(lines: readonly HunkLine[]): { ctx: number; del: number; add: number } {
  let ctx = 0;
  let del = 0;
  let add = 0;
  for (const l of lines) {
    if (l.kind === 'context') ctx++;
    else if (l.kind === 'del') del++;
    else add++;
  }
  return { ctx, del, add };
}

export function fitToCounts(lines: HunkLine[], oldCount: number, newCount: number, braceOwnLine: boolean): string[] {
  const { ctx, del, add } = kindCounts(lines);
  if (oldCount - del !== newCount - add) return [];
  let deficit = oldCount - del - ctx;
  if (deficit <= 0) return [];
  const notes: string[] = [];
  const sourceLine = lines[0]?.sourceLine ?? 0;
  const ctxLine = (text: string): HunkLine => ({ kind: 'context', text, sourceLine, repaired: true });
  let split = 0;
  // One pass, no splices (linear): "{" after a control header, in files whose changes
  // put braces on their own lines; then "if ( x ) return y;" with its statement moved down.
  const rebuilt: HunkLine[] = [];
  for (const l of lines) {
    if (deficit > 0 && l.kind === 'context' && braceOwnLine && /\S\s*\{$/.test(l.text)) {
      const head = l.text.slice(0, -1).trimEnd();
      if (controlHeaderEnd(head) === head.length || /^(?:\}\s*)?(else|do)$/.test(head)) {
        rebuilt.push(ctxLine(head), ctxLine('{'));
        deficit--;
        split++;
        continue;
      }
    }
    rebuilt.push(l);
  }
  lines.length = 0;
  for (const l of rebuilt) {
    const end = deficit > 0 && l.kind === 'context' ? controlHeaderEnd(l.text) : -1;
    const rest = end > 0 ? l.text.slice(end).trim() : '';
    if (rest !== '' && !/^[{;]/.test(rest)) {
      lines.push(ctxLine(l.text.slice(0, end)), ctxLine(rest));
      deficit--;
      split++;
    } else lines.push(l);
  }
  if (split > 0) notes.push(`split ${split} context line${split === 1 ? '' : 's'} after a control header`);
  if (deficit > 0) {
    const slots: { at: number; score: number }[] = [];
    for (let i = 0; i <= lines.length; i++) {
      const score = blankScore(lines[i - 1], lines[i]);
      if (score > 0) slots.push({ at: i, score });
    }
    const chosen = new Set(
      slots
        .map((s, k) => ({ ...s, k }))
        .sort((a, b) => b.score - a.score || a.k - b.k)
        .slice(0, deficit)
        .map((s) => s.at),
    );
    const before = lines.splice(0, lines.length);
    for (let i = 0; i <= before.length; i++) {
      if (chosen.has(i)) lines.push(ctxLine(''));
      if (i < before.length) lines.push(before[i]!);
    }
    if (chosen.size > 0) {
      notes.push(`inserted ${chosen.size} blank context line${chosen.size === 1 ? '' : 's'} at statement boundaries`);
    }
  }
  return notes;
}

/** Whether a file's changed lines put "{" on a line of its own rather than after ")". */
export function bracesOnOwnLine(lines: HunkLine[]): boolean {
  let own = 0;
  let trailing = 0;
  for (const l of lines) {
    if (l.kind === 'context') continue;
    const t = l.text.trim();
    if (t === '{') own++;
    else if (/\)\s*\{$/.test(t)) trailing++;
  }
  return own >= trailing;
}
