// Line-level lexing of raw C text: comments and literals blanked, braces and parens counted,
// preprocessor conditionals followed so both branches of an #ifdef do not count twice.
// Works on raw text (before normalisation) so extraction never depends on the normaliser.

export interface LexedLine {
  /** The line with comments and string/char literal contents replaced by spaces. */
  code: string;
  isPreprocessor: boolean;
  /** Depth of braces before the line, relative to the first line of the run (may go negative). */
  depthBefore: number;
  depthAfter: number;
  /** Lowest depth reached inside the line. */
  depthMin: number;
  /** Depth once the line's leading closers (`}` / `} else`) are applied. */
  depthAtStatement: number;
  parenBefore: number;
  parenAfter: number;
  /** The line starts inside a block comment. */
  startsInComment: boolean;
  /** The line ends inside a block comment. */
  endsInComment: boolean;
  /** A `*\/` was seen before any `/*` on this line while not known to be in a comment. */
  closesUnopenedComment: boolean;
}

export interface LexState {
  inComment: boolean;
  /** Set when a line ends with a backslash inside a preprocessor directive. */
  inDirective: boolean;
}

export const freshLexState = (): LexState => ({ inComment: false, inDirective: false });

const spaces = (n: number): string => (n <= 0 ? '' : ' '.repeat(n));
/** The characters that can start a comment, end one, or open a literal. */
const SPECIAL = /[/*"']/g;

/** Blank comments and literal contents of one line, carrying block-comment state across lines. */
export function stripLine(text: string, state: LexState): { code: string; closesUnopenedComment: boolean } {
  // Runs of ordinary text are copied whole (the output always has the input's length).
  let out = '';
  let i = 0;
  let closesUnopenedComment = false;
  let sawOpen = false;
  while (i < text.length) {
    if (state.inComment) {
      const close = text.indexOf('*/', i);
      if (close < 0) {
        out += spaces(text.length - i);
        break;
      }
      state.inComment = false;
      out += spaces(close + 2 - i);
      i = close + 2;
      continue;
    }
    SPECIAL.lastIndex = i;
    const m = SPECIAL.exec(text);
    if (!m) {
      out += i === 0 ? text : text.slice(i);
      break;
    }
    if (m.index > i) {
      out += text.slice(i, m.index);
      i = m.index;
    }
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === '/' && next === '*') {
      state.inComment = true;
      sawOpen = true;
      out += '  ';
      i += 2;
      continue;
    }
    if (ch === '*' && next === '/' && !sawOpen) {
      // A fragment that starts inside a comment: the opener is not visible.
      closesUnopenedComment = true;
      out = spaces(out.length + 2);
      i += 2;
      continue;
    }
    if (ch === '/' && next === '/') {
      out += spaces(text.length - i);
      break;
    }
    if (ch === '"' || ch === "'") {
      const quote = ch;
      out += quote;
      i += 1;
      while (i < text.length && text[i] !== quote) {
        if (text[i] === '\\') {
          out += ' ';
          i += 1;
        }
        if (i < text.length) {
          out += ' ';
          i += 1;
        }
      }
      if (i < text.length) {
        out += quote;
        i += 1;
      }
      continue;
    }
    out += ch;
    i += 1;
  }
  return { code: out, closesUnopenedComment };
}

/** The first comment delimiter of the run is a `*\/`. */
export function startsInComment(lines: readonly string[]): boolean {
  for (const text of lines) {
    const close = text.indexOf('*/');
    const open = text.indexOf('/*');
    if (close < 0 && open < 0) continue;
    return close >= 0 && (open < 0 || close < open || open === close - 1);
  }
  // No delimiter at all: a run of ` * text` lines is the middle of a block comment.
  const text = lines.filter((l) => l.trim() !== '');
  return text.length >= 2 && text.every((l) => COMMENT_BODY.test(l));
}

const BRACKETS = /[{}()]/g;
const NON_SPACE = /\S/;

const COMMENT_BODY = /^\s*\*(?:\s|$)(?!.*[;{}]\s*$)/;

/** Lex a run of consecutive lines; depths are relative to the run's first line. */
export function lexLines(lines: readonly string[]): LexedLine[] {
  const state = freshLexState();
  // A run that closes a block comment before opening one starts inside it (a hunk starting in a
  // comment's tail): its first lines are comment text, whatever braces they hold.
  state.inComment = startsInComment(lines);
  // A run whose first line is continued by a backslash starts in a macro definition's tail.
  const first = lines.find((l) => l.trim() !== '');
  state.inDirective = !state.inComment && first !== undefined && /\\\s*$/.test(first) && !/^\s*#/.test(first);
  const result: LexedLine[] = [];
  let depth = 0;
  let paren = 0;
  // #if / #else: each branch starts from the depth at #if; after #endif the first branch's depth wins.
  const ifStack: { depthAtIf: number; parenAtIf: number; firstBranch?: { depth: number; paren: number } }[] = [];
  for (const text of lines) {
    const startsInComment = state.inComment;
    const wasDirective = state.inDirective;
    const { code, closesUnopenedComment } = stripLine(text, state);
    const trimmed = code.trim();
    const isPreprocessor = wasDirective || (!startsInComment && trimmed.startsWith('#'));
    state.inDirective = isPreprocessor && /\\\s*$/.test(text);
    const depthBefore = depth;
    const parenBefore = paren;
    let depthMin = depth;
    let depthAtStatement = depth;
    if (isPreprocessor) {
      const directive = /^#\s*(\w+)/.exec(trimmed)?.[1] ?? '';
      if (!wasDirective && /^if/.test(directive)) {
        ifStack.push({ depthAtIf: depth, parenAtIf: paren });
      } else if (!wasDirective && (directive === 'else' || directive === 'elif') && ifStack.length > 0) {
        const top = ifStack[ifStack.length - 1]!;
        top.firstBranch ??= { depth, paren };
        depth = top.depthAtIf;
        paren = top.parenAtIf;
      } else if (!wasDirective && directive === 'endif' && ifStack.length > 0) {
        const top = ifStack.pop()!;
        if (top.firstBranch) {
          depth = top.firstBranch.depth;
          paren = top.firstBranch.paren;
        }
      }
    } else {
      let leading = true;
      // Only brackets matter: jump from one to the next.
      let from = 0;
      BRACKETS.lastIndex = 0;
      for (let m = BRACKETS.exec(code); m; m = BRACKETS.exec(code)) {
        const ch = m[0];
        if (leading && m.index > from && NON_SPACE.test(code.slice(from, m.index))) leading = false;
        from = m.index + 1;
        if (ch === '{') {
          depth += 1;
          leading = false;
        } else if (ch === '}') {
          depth -= 1;
          if (depth < depthMin) depthMin = depth;
          if (leading) depthAtStatement = depth;
        } else if (ch === '(') {
          paren += 1;
          leading = false;
        } else {
          paren -= 1;
          leading = false;
        }
      }
    }
    result.push({
      code,
      isPreprocessor,
      depthBefore,
      depthAfter: depth,
      depthMin,
      depthAtStatement,
      parenBefore,
      parenAfter: paren,
      startsInComment,
      endsInComment: state.inComment,
      closesUnopenedComment,
    });
  }
  return result;
}

const STATEMENT_START =
  /^(?:\}\s*)*(?:return\b|if\s*\(|else\b|for\s*\(|while\s*\(|do\b\s*(?:\{|$)|switch\s*\(|case\b|default\s*:|goto\b|break\s*;|continue\s*;)/;
const ASSIGNMENT = /^(?:\}\s*)*\**[A-Za-z_]\w*(?:\s*(?:->|\.)\s*\w+|\s*\[[^\]]*\])*\s*(?:[-+*/|&^%]|<<|>>)?=(?!=)/;
const INCREMENT = /^(?:\}\s*)*(?:\+\+|--)?\**[A-Za-z_]\w*(?:\s*(?:->|\.)\s*\w+)*\s*(?:\+\+|--)?\s*;/;
const LABEL = /^[A-Za-z_]\w*\s*:(?!:)\s*$/;

/** A line that can only be a statement inside a function body (never valid at file scope). */
export function isBodyOnly(code: string): boolean {
  const t = code.trim();
  if (t === '') return false;
  if (STATEMENT_START.test(t) || ASSIGNMENT.test(t) || LABEL.test(t)) return true;
  return INCREMENT.test(t) && /\+\+|--/.test(t);
}
