// One linear pass over a C file: comments blanked, literal contents blanked, preprocessor directives
// taken out (and kept apart), and the alternative arms of conditionals blanked so braces balance.
// Offsets and line numbers are preserved (every removed character becomes a space, newlines stay).

export interface Directive {
  line: number;
  /** Continuation lines joined, comments removed. */
  text: string;
}

export interface Stripped {
  code: string;
  directives: Directive[];
}

/** The characters that can open a comment or a literal (found natively: a loop over every character runs interpreted). */
const SPECIAL = /[/"']/g;
const NOT_NEWLINE = /[^\n]/g;

/** Blank comments and the contents of string and character literals (quotes kept). */
export function blankCommentsAndLiterals(text: string): string {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  let start = 0; // start of the current verbatim run
  const flush = (end: number): void => {
    if (end > start) out.push(text.slice(start, end));
  };
  const blank = (from: number, to: number): void => {
    // keep newlines so lines stay where they were
    if (to > from) out.push(text.slice(from, to).replace(NOT_NEWLINE, ' '));
  };
  while (i < n) {
    // Ordinary text up to the next character that can open a comment or a literal is kept as it is.
    SPECIAL.lastIndex = i;
    if (!SPECIAL.test(text)) break;
    i = SPECIAL.lastIndex - 1;
    const c = text.charCodeAt(i);
    if (c === 47 /* / */) {
      const d = text.charCodeAt(i + 1);
      if (d === 42 /* * */) {
        flush(i);
        let j = text.indexOf('*/', i + 2);
        j = j < 0 ? n : j + 2;
        blank(i, j);
        i = j;
        start = i;
        continue;
      }
      if (d === 47) {
        flush(i);
        let j = text.indexOf('\n', i + 2);
        // a line comment ending in a backslash continues (rare, but keeps line counts right anyway)
        if (j < 0) j = n;
        blank(i, j);
        i = j;
        start = i;
        continue;
      }
    } else if (c === 34 /* " */ || c === 39 /* ' */) {
      flush(i + 1);
      let j = i + 1;
      while (j < n) {
        const e = text.charCodeAt(j);
        if (e === 92 /* \ */) {
          j += 2;
          continue;
        }
        if (e === c || e === 10) break;
        j += 1;
      }
      blank(i + 1, Math.min(j, n));
      i = j < n && text.charCodeAt(j) === c ? j : j; // the closing quote stays verbatim
      start = i;
      if (i < n && text.charCodeAt(i) === c) {
        i += 1;
      }
      continue;
    }
    i += 1;
  }
  flush(n);
  return out.join('');
}

interface Cond {
  /** This arm is taken (its text kept). */
  taking: boolean;
  /** An arm of this conditional was already taken. */
  taken: boolean;
  /** The whole conditional sits inside an arm that is not taken. */
  outerDead: boolean;
}

/**
 * The first arm of every conditional is kept, later arms are blanked; `#if 0` arms are blanked and
 * the next arm kept. One configuration's text, with balanced braces, is what a lexical scan needs.
 */
export function stripC(text: string): Stripped {
  const lines = blankCommentsAndLiterals(text).split('\n');
  const directives: Directive[] = [];
  const stack: Cond[] = [];
  const dead = (): boolean => stack.length > 0 && (!stack[stack.length - 1]!.taking || stack[stack.length - 1]!.outerDead);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trimStart();
    if (trimmed.startsWith('#')) {
      let full = line;
      const first = i;
      while (/\\\s*$/.test(lines[i]!) && i + 1 < lines.length) {
        lines[i] = '';
        i += 1;
        full = `${full.replace(/\\\s*$/, ' ')}${lines[i]!}`;
      }
      lines[first] = '';
      lines[i] = '';
      const m = /^\s*#\s*(\w+)\s*(.*)$/s.exec(full);
      const word = m?.[1] ?? '';
      const rest = (m?.[2] ?? '').trim();
      if (word === 'if' || word === 'ifdef' || word === 'ifndef') {
        const outerDead = dead();
        const isZero = word === 'if' && /^0\b/.test(rest);
        stack.push({ taking: !isZero, taken: !isZero, outerDead });
      } else if (word === 'elif' || word === 'else') {
        const top = stack[stack.length - 1];
        if (top) {
          top.taking = !top.taken;
          if (word === 'elif' && /^0\b/.test(rest)) top.taking = false;
          if (top.taking) top.taken = true;
        }
      } else if (word === 'endif') {
        stack.pop();
      } else if (!dead()) {
        directives.push({ line: first + 1, text: full.trim() });
      }
      continue;
    }
    if (dead()) lines[i] = '';
  }
  return { code: lines.join('\n'), directives };
}
