// Cutting the visible text of one side of a file (pre or post image) into functions.
// Works on raw lines by structure (brace depth, declarator shape), never by indentation: mail
// often strips every line's leading whitespace. Unseen parts become synthetic rows (gap markers,
// synthetic heads and closers) so each function's text parses.
import type { Gap } from './types.ts';
import { gapStatement, unknownCondition, UNKNOWN_COND_CALL, UNSEEN_INITIALISER } from './markers.ts';
import { lexLines, isBodyOnly, freshLexState, stripLine, type LexedLine, type LexState } from './lex.ts';
import { isHeadAnnotation, parseHead, paramsLookDeclared, PLACEHOLDER_TYPE, sectionFunction, synthesizeHead, type FunctionHead } from './declarator.ts';
import { TextCache } from './text-cache.ts';

export interface SideLine {
  text: string;
  /** Real 1-based line in this side's file. */
  line: number;
  /** An add line (post side) or a del line (pre side). */
  isChanged: boolean;
}

/** One run of consecutive visible lines (a hunk), with both sides. */
export interface Chunk {
  section: string;
  /** Why text is missing before this chunk (when it follows another in the same function). */
  gapReason: 'between-hunks' | 'elision';
  pre: SideLine[];
  post: SideLine[];
  /** Brace depth at the chunk's first line (0: file scope). */
  depth0: number;
  /** Raw-input line of the hunk header, for warnings. */
  sourceLine?: number;
  /**
   * The chunk starts inside the head of the function its section header names (with the
   * function's `{`, or on the head's second line): this synthetic text stands before it.
   */
  headBefore?: string;
  /**
   * The chunk shows only parameter lines of that head (a changed parameter; its `)` and body unseen): this synthetic
   * text (`...) {`) follows the chunk so the head is complete and the unseen body is a gap.
   */
  headAfter?: string;
}

export interface Row {
  text: string;
  line: number;
  isChanged: boolean;
  isSynthetic: boolean;
}

export interface Segment {
  name: string;
  head: FunctionHead;
  /** Where the head came from: the visible declarator, or the hunk's section header. */
  headFrom: 'declarator' | 'section-header';
  rows: Row[];
  gaps: Gap[];
  startsInside: boolean;
  isFragment: boolean;
  changedLines: number[];
}

export interface Prototype {
  name: string;
  returnType: string;
  line: number;
  isChanged: boolean;
  annotations: string[];
}

export interface SideResult {
  segments: Segment[];
  prototypes: Prototype[];
  /** Regions inside a block whose function the patch does not name. */
  unnamedRegions: { line: number; hasChanges: boolean; hasChangedStatements: boolean }[];
}

interface FunctionStart {
  from: number;
  /** Index of the line holding the opening brace. */
  braceLine: number;
  head: FunctionHead;
}

const FN_POINTER = /^([A-Za-z_][\w\s*]*?)\(\s*\*\s*([A-Za-z_]\w*)\s*\)\s*\(.*\)\s*;$/;
const TYPE_LINE = /^[A-Za-z_][\w\s*]*$/;
const CASE_LABEL = /^\s*(?:case\b|default\s*:)/;

/**
 * A function definition starting at line `i` (file scope): a declarator with a parameter list and
 * an opening brace after it. `strict` also requires the head to read as a declaration (a type before
 * the name, or declared parameters), which keeps iteration macros like `for_each_x ( d ) {` out
 * when the depth is only estimated.
 */
export function detectStart(lex: readonly LexedLine[], i: number, strict: boolean): FunctionStart | undefined {
  const first = lex[i]!;
  if (first.isPreprocessor || first.startsInComment) return undefined;
  if (!/^\s*[A-Za-z_*]/.test(first.code)) return undefined;
  const close = parameterListClose(lex, i);
  if (!close) return undefined;
  const { text, closeLine, closeCol } = close;
  // The opening brace: on the closing line, or on the next non-blank line.
  let braceLine = -1;
  const rest = lex[closeLine]!.code.slice(closeCol + 1).replace(/__attribute__\s*\(\(.*?\)\)|\b__\w+\b/g, '').trim();
  if (rest.startsWith('{')) braceLine = closeLine;
  else if (rest === '') {
    for (let k = closeLine + 1; k < lex.length && k < closeLine + 4; k++) {
      const t = lex[k]!.code.trim();
      if (t === '') continue;
      if (t.startsWith('{')) braceLine = k;
      break;
    }
  }
  if (braceLine < 0) return undefined;
  let head = parseHead(text);
  let from = i;
  if (!head) return undefined;
  if (head.returnType === '' && i > 0) {
    // K&R-style head: the type sits alone on the line before the name.
    const prev = lex[i - 1]!;
    const t = prev.code.trim();
    // Annotations with arguments may stand on it too (`static inline bool __attribute((__always_inline__))`).
    const words = t.replace(/\b__attribute(?:__)?\s*\(\(.*?\)\)/g, ' ').trim();
    if (!prev.isPreprocessor && words !== '' && TYPE_LINE.test(words) && prev.depthBefore === first.depthBefore) {
      const joined = parseHead(`${t} ${text}`);
      if (joined && joined.name === head.name) {
        head = joined;
        from = i - 1;
      }
    }
  }
  if (strict && head.returnType === '' && !paramsLookDeclared(head)) return undefined;
  if (strict && head.returnType !== '' && !paramsLookDeclared(head) && !/\b(?:int|void|long|char|bool|unsigned|struct|static)\b/.test(head.specifiers)) {
    return undefined;
  }
  return { from, braceLine, head };
}

const HEAD_PUNCTUATION = /[;{}=()]/g;

/**
 * Where the parameter list of a declarator starting at line `i` closes (its `)` at parenthesis depth 0, within 12
 * lines), and the head's text up to it (lines joined by a space); undefined when a directive, `;`, `}`, `=` or a
 * `{` inside the parentheses or before them comes first. The punctuation is found with a regular expression (same
 * answers as a loop over every character, test/c/segment-scan.test.ts).
 */
export function parameterListClose(lex: readonly LexedLine[], i: number): { text: string; closeLine: number; closeCol: number } | undefined {
  let text = '';
  let depth = 0;
  let opened = false;
  for (let j = i; j < lex.length && j < i + 12; j++) {
    const l = lex[j]!;
    if (l.isPreprocessor) return undefined;
    const code = l.code;
    HEAD_PUNCTUATION.lastIndex = 0;
    for (let m = HEAD_PUNCTUATION.exec(code); m; m = HEAD_PUNCTUATION.exec(code)) {
      const ch = m[0];
      if (ch === '(') {
        depth += 1;
        opened = true;
      } else if (ch === ')') {
        depth -= 1;
        if (opened && depth === 0) return { text: text + (j === i ? '' : ' ') + code.slice(0, m.index + 1), closeLine: j, closeCol: m.index };
      } else if (!opened || depth > 0 || ch !== '{') return undefined;
    }
    text += (j === i ? '' : ' ') + code;
  }
  return undefined;
}

/**
 * A complete definition head (`type name(declared params)`) starting at line `i` and ending the
 * run, its `{` unseen: file-scope evidence.
 */
function isHeadAtEnd(lex: readonly LexedLine[], i: number): boolean {
  if (lex[i]!.isPreprocessor || lex[i]!.startsInComment || !/^\s*[A-Za-z_]/.test(lex[i]!.code)) return false;
  let text = '';
  for (let j = i; j < lex.length; j++) {
    const l = lex[j]!;
    if (l.isPreprocessor || /[;{}=]/.test(l.code)) return false;
    text += ` ${l.code}`;
    if (l.parenAfter === 0 && l.parenBefore + (l.code.includes('(') ? 1 : 0) > 0) {
      if (nextCodeLine(lex, j + 1, true) !== undefined || startsWithCallName(text)) return false;
      const head = parseHead(text.trim());
      return head !== undefined && head.returnType !== '' && !head.paramsIncomplete && (paramsLookDeclared(head) || head.params.length === 0);
    }
  }
  return false;
}

/**
 * The text starts with a name and its `(` (no annotation): parseHead would read no return type, so neither a prototype
 * nor a head at the end of a run (a call like `update(d, x);` at the run's level, the common case: parseHead not run).
 */
export function startsWithCallName(text: string): boolean {
  const lead = /^\s*([A-Za-z_]\w*)\s*\(/.exec(text);
  return lead !== null && !isHeadAnnotation(lead[1]!);
}

/** A complete prototype (`type name(declared params);`) starting at line `i`: file-scope evidence. */
function isPrototypeAt(lex: readonly LexedLine[], i: number): boolean {
  let text = '';
  for (let j = i; j < lex.length && j < i + 8; j++) {
    const l = lex[j]!;
    if (l.isPreprocessor) return false;
    text += ` ${l.code}`;
    if (/[{}]/.test(l.code)) return false;
    if (l.code.includes(';')) break;
  }
  const m = /^([^;]*\))\s*;\s*$/.exec(text.trim());
  if (!m || startsWithCallName(m[1]!)) return false;
  const head = parseHead(m[1]!);
  return head !== undefined && head.returnType !== '' && !head.paramsIncomplete && paramsLookDeclared(head) && head.params.length > 0
    ? true
    : head !== undefined && head.returnType !== '' && /\(\s*void\s*\)$/.test(m[1]!);
}

/**
 * sectionFunction() of a hunk's section header, remembered by its text: the fragment and segment passes ask
 * for the same headers again and again (heads are read, never changed). Emptied with the model's other
 * text caches (clearModelCaches); headers are short, 64 K characters of them at most.
 */
const sectionHeads = new TextCache<{ head: FunctionHead | undefined }>(65536);

export function headOfSection(section: string): FunctionHead | undefined {
  let hit = sectionHeads.get(section);
  if (!hit) sectionHeads.set(section, (hit = { head: sectionFunction(section) }));
  return hit.head;
}

/** Each side's lines lexed once: headBeforeChunk, estimateDepth0 and segmentSide read the same arrays of a chunk. */
const lexedSides = new WeakMap<readonly SideLine[], readonly LexedLine[]>();

/** lexLines() of the lines' texts, remembered per array (neither the arrays nor the lexed lines are ever changed). */
export function lexSide(lines: readonly SideLine[]): readonly LexedLine[] {
  let lex = lexedSides.get(lines);
  if (!lex) {
    lex = lexLines(lines.map((l) => l.text));
    lexedSides.set(lines, lex);
  }
  return lex;
}

/**
 * Brace depth at a chunk's first line: enough to close every closer it shows and to hold every
 * statement-only line inside a function; at least 1 when the section header names a function and
 * no definition starts at the chunk's own level.
 */
export function estimateDepth0(section: string, sides: readonly (readonly SideLine[])[], byIndent = false): number {
  let need = 0;
  let startsAtTop = false;
  let hasCode = false;
  let hasDirective = false;
  let byIndentation = 0;
  for (const lines of sides) {
    const lex = lexSide(lines);
    // Code, not comment text (a comment continued from a directive line is no code either).
    if (lex.some((l) => !l.isPreprocessor && l.code.trim() !== '')) hasCode = true;
    if (lex.some((l) => l.isPreprocessor)) hasDirective = true;
    const side = depthNeeded(lex, isFunctionHeader(section));
    need = Math.max(need, side.need);
    startsAtTop ||= side.startsAtTop;
    if (byIndent) byIndentation = Math.max(byIndentation, indentDepth0(lex, lines) ?? 0);
  }
  // Only directives (a macro definition's lines): file scope, whatever the header names.
  if (!hasCode && hasDirective) return 0;
  // No statement anywhere: lines of names and balanced argument lists, none ending a statement or continuing an
  // expression (an X-macro list, a generator's table in a .c file): file scope, whatever the header names.
  if (hasCode && sides.every((lines) => noStatements(lexSide(lines)))) return 0;
  if (need === 0 && isFunctionHeader(section) && !startsAtTop) need = 1;
  // Inside a function, the indentation also says how deep the chunk starts: a chunk that opens and
  // closes its own blocks shows no closer of the levels around it, but `{` at column 8 of a Xen file
  // is a block two levels down. Only ever deeper than the braces say, never shallower; only when asked
  // (`byIndent`: the file's text did not parse with the depths the braces give, see buildCModel).
  if (byIndent && need > 0 && !startsAtTop && isFunctionHeader(section)) need = Math.max(need, byIndentation);
  return need;
}

/**
 * A run of at least two code lines, each starting with a name, none holding `;`, `{`, `}` or `=`, none opening or
 * closing a parenthesis it does not close or open itself, none ending with a comma, a backslash or an operator that
 * continues an expression: no function body shows that many lines without ending a statement. Directives, comments
 * and blank lines aside; a run with no code line passes.
 */
function noStatements(lex: readonly LexedLine[]): boolean {
  const code = lex.filter((l) => !l.isPreprocessor && !l.startsInComment && l.code.trim() !== '');
  if (code.length === 0) return true;
  return code.length >= 2 && code.every((l) => l.parenBefore === 0 && l.parenAfter === 0 && /^\s*(?!(?:if|else|for|while|do|switch|case|default|return|goto|break|continue)\b)[A-Za-z_]\w*/.test(l.code)
    && !/[;{}=]/.test(l.code) && !/(?:[,\\(?:&|+*/%^<>!~]|\b(?:return|else|do))\s*$/.test(l.code));
}

/** A statement's first line: a label or case line, or a line ending a statement or opening/closing a block, came before. */
const LABEL_LINE = /^\s*(?:case\b.*|default\s*|[A-Za-z_]\w*\s*):\s*$/;
const STATEMENT_KEYWORD = /^\s*(?:\{|\}|if\b|for\b|while\b|do\b|switch\b|return\b|goto\b|break\s*;|continue\s*;|else\b)/;

/**
 * The brace depth at a run's first line as its indentation tells it: each line that starts a
 * statement (after a line ending in `;`, `{`, `}` or a label, or the run's first line when it starts
 * with a statement keyword or a brace) votes indentation level minus its depth in the run. Tabs are
 * 8 columns and a level (Linux, OP-TEE), spaces 4 (Xen); labels, directives, comments and alignment
 * that is not a whole level do not vote. A line starting with a closing brace votes twice: it is indented
 * as its block's opener in every style, whatever the line before it. Undefined unless two votes agree and
 * no other depth has half as many.
 */
function indentDepth0(lex: readonly LexedLine[], lines: readonly SideLine[]): number | undefined {
  const votes = new Map<number, number>();
  let complete: boolean | undefined;
  lex.forEach((l, i) => {
    if (l.isPreprocessor || l.startsInComment) return;
    const code = l.code.trimEnd();
    if (code.trim() === '') return;
    // A closing brace is indented as the statement that opened its block, whatever came before it.
    const closes = /^\s*\}/.test(code) && l.parenBefore === 0;
    const startsStatement = closes || (complete === undefined ? STATEMENT_KEYWORD.test(code) : complete && l.parenBefore === 0);
    complete = /[;{}]$/.test(code) || LABEL_LINE.test(code);
    if (!startsStatement || LABEL_LINE.test(code) || l.endsInComment) return;
    const lead = /^[ \t]*/.exec(lines[i]!.text)![0];
    let column = 0;
    for (const ch of lead) column = ch === '\t' ? (Math.floor(column / 8) + 1) * 8 : column + 1;
    const unit = lead.includes('\t') ? 8 : 4;
    if (column % unit !== 0) return;
    const depth = column / unit - l.depthAtStatement;
    if (depth >= 0) votes.set(depth, (votes.get(depth) ?? 0) + (closes ? 2 : 1));
  });
  const ranked = [...votes].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] < 2 || (second && second[1] * 2 >= best[1])) return undefined;
  return best[0];
}

/**
 * The section header names a function. A header with neither a return type nor declared
 * parameters is a macro list entry (`HOOK(int, name, struct d *)`), not a function.
 */
function isFunctionHeader(section: string): boolean {
  const head = headOfSection(section);
  return head !== undefined && (head.returnType !== '' || paramsLookDeclared(head));
}

/** The least depth a run of lines can start at, and whether a definition or prototype starts at its level. */
function depthNeeded(lex: readonly LexedLine[], inFunction: boolean): { need: number; startsAtTop: boolean } {
  let need = 0;
  let startsAtTop = false;
  // Statement level: no parenthesis open, counting from the lowest level reached so far (a hunk
  // may start inside an expression whose `(` is unseen).
  let base = 0;
  // The lowest depth reached before the current line: levels at or below it opened before the chunk.
  let lowest = 0;
  // A function definition starts at the run's first level, no closer before it.
  let definesAtTop = false;
  lex.forEach((l, i) => {
    const atStatement = l.parenBefore === base;
    base = Math.min(base, l.parenAfter);
    const lowestBefore = lowest;
    lowest = Math.min(lowest, l.depthMin);
    if (l.isPreprocessor || l.startsInComment) return;
    need = Math.max(need, -l.depthMin);
    if (atStatement && isBodyOnly(l.code)) need = Math.max(need, 1 - l.depthAtStatement);
    // A case label sits in a switch's block, inside the function's.
    if (atStatement && CASE_LABEL.test(l.code.replace(/^\s*\}/, ''))) need = Math.max(need, 2 - l.depthAtStatement);
    // Initialiser content whose list opened before the chunk, in a function: that list is a level
    // inside the function body, not the body itself.
    if (inFunction && atStatement && l.depthAtStatement <= lowestBefore && isInitContent(lex, i)) need = Math.max(need, 2 - l.depthAtStatement);
    // An indented `};` closing a level opened before the chunk, in a function: an initialiser list (a body's closer
    // is `}`; one at column 0 ends a definition at file scope).
    if (inFunction && /^\s+\}\s*;/.test(l.code) && l.depthBefore <= lowestBefore) need = Math.max(need, 2 - l.depthBefore);
    if (l.depthBefore === 0 && l.parenBefore === 0 && detectStart(lex, i, true)) {
      startsAtTop = true;
      // No closer before it: the run starts at file scope, whatever statement-like lines precede the definition
      // (`CASSERT(..);`, `DEFINE_X(..);` at file scope read like calls).
      if (lowestBefore >= 0 && l.depthMin >= 0) definesAtTop = true;
    }
    if (l.depthBefore === 0 && l.parenBefore <= 0 && isPrototypeAt(lex, i)) startsAtTop = true;
    if (l.depthBefore === 0 && l.parenBefore === 0 && isHeadAtEnd(lex, i)) startsAtTop = true;
    // A named struct, union or enum definition: file scope.
    if (l.depthBefore === 0 && l.parenBefore === 0 && /^\s*(?:typedef\s+)?(?:struct|union|enum)\s+\w+\s*\{\s*$/.test(l.code)) startsAtTop = true;
    // A data definition with an initialiser at column 0 (`const struct ops x __section("..") = {`).
    if (l.depthBefore === 0 && l.parenBefore === 0 && /^(?!(?:if|for|while|switch|return|else|do|case|default|goto)\b)[A-Za-z_][^;{}]*=\s*\{\s*$/.test(l.code)) startsAtTop = true;
    // An anonymous one at column 0 (`enum {` of a file's constants): nothing else starts there.
    if (l.depthBefore === 0 && l.parenBefore === 0 && /^(?:typedef\s+)?(?:struct|union|enum)\s*\{\s*$/.test(l.code)) startsAtTop = true;
    // The first line of a GNU-style head (`static void cf_check`) ending the run.
    if (l.depthBefore === 0 && l.parenBefore === 0 && /^\s*(?:static|extern)\b[\w\s*]*$/.test(l.code) && nextCodeLine(lex, i + 1, true) === undefined) startsAtTop = true;
  });
  return { need: definesAtTop ? Math.max(0, -lowest) : need, startsAtTop };
}

/**
 * The text of the head a chunk continues, when its section header holds that head: the chunk
 * starts with the function's own `{` (at column 0), or on a continuation line of a multi-line
 * head whose first line is the section header (its first lines close the parameter list and the
 * `{` follows). Git writes a head's first line as the section header, so both are common.
 */
export function headBeforeChunk(section: string, sides: readonly (readonly SideLine[])[]): string | undefined {
  if (typeLineBefore(section, sides)) return section.trim();
  const head = headOfSection(section);
  if (!head) return undefined;
  let open = 0;
  for (const ch of head.paramsText) open += ch === '(' ? 1 : ch === ')' ? -1 : 0;
  let kind: 'brace' | 'continuation' | undefined;
  for (const lines of sides) {
    if (lines.length === 0) continue;
    const first = lines.find((l) => l.text.trim() !== '');
    // A `{` at column 0 is the function's when the body below it is indented (mail may strip
    // indentation) and everything after it fits in the body.
    const lex = lexSide(lines);
    const isIndented = lines.every((l, i) => l.text.trim() === '' || lex[i]!.depthAtStatement <= 0 || lex[i]!.isPreprocessor || /^\s/.test(l.text));
    if (first && /^\{\s*$/.test(first.text) && isIndented && depthNeeded(lex, true).need === 0) {
      kind = 'brace';
      break;
    }
    if (head.paramsIncomplete && (continuesParams(lex, open) || onlyParams(lex))) {
      kind = 'continuation';
      break;
    }
  }
  if (kind === 'brace') return synthesizeHead(head);
  if (kind === 'continuation') {
    // Cut after the header's last complete parameter: git truncates long section headers.
    const t = section.trimEnd();
    const cut = Math.max(t.lastIndexOf(','), t.indexOf('('));
    const row = /[,(]$/.test(t) || cut < 0 ? t : t.slice(0, cut + 1);
    // A GNU-style head (`static int` on the line before the name): the type is not in the header.
    return head.returnType === '' ? `${PLACEHOLDER_TYPE} ${row}` : row;
  }
  return undefined;
}

/**
 * A GNU-style head split after its type (`static TEE_Result` / `prepare_cmd(struct x *cmd,`): git
 * writes the type line as the section header and the hunk starts with the name at column 0.
 */
function typeLineBefore(section: string, sides: readonly (readonly SideLine[])[]): boolean {
  const words = section.trim();
  if (!/^(?:[A-Za-z_]\w*[\s*]+)*[A-Za-z_]\w*[\s*]*$/.test(words) || /\b(?:return|else|do|goto|case|default|typedef)\b/.test(words)) return false;
  if (!/^(?:(?:static|extern|inline|__inline__|const|unsigned|signed|long|short|struct|union|enum)\s+)*[A-Za-z_]\w*[\s*]*$/.test(words)) return false;
  return sides.some((lines) => {
    const first = lines.find((l) => l.text.trim() !== '');
    // The name line: `name(` at column 0, not a statement (`;` at its end is a macro call or a prototype).
    return first !== undefined && /^[A-Za-z_]\w*\s*\(/.test(first.text) && !/;\s*$/.test(first.text);
  });
}

/** A section header that opens a data definition: an initialiser (`... = {`) or a struct/union/enum body. */
function isDataDefinition(section: string): boolean {
  const s = section.trim();
  return /=\s*\{?\s*$/.test(s) || /^(?:typedef\s+)?(?:(?:static|const|extern)\s+)*(?:struct|union|enum)\s+\w+\s*\{\s*$/.test(s);
}

// A parameter declaration continuing a head: a type and a name (`const uint8_t *label __unused,`), then a comma.
const PARAM_LINE = /^\s*(?:(?:const|volatile|struct|union|enum|unsigned|signed)\s+)*[A-Za-z_]\w*[\s*]+(?:const\s+)?\**\s*[A-Za-z_]\w*(?:\s*\[[^\]]*\])*(?:\s+__\w+)*\s*,\s*$/;

/** The last parameter declaration, closing the list: the body's `{` comes on a later line. */
const LAST_PARAM_LINE = /^\s*(?:(?:const|volatile|struct|union|enum|unsigned|signed)\s+)*[A-Za-z_]\w*[\s*]+(?:const\s+)?\**\s*[A-Za-z_]\w*(?:\s*\[[^\]]*\])*(?:\s+__\w+)*\s*\)\s*$/;

/**
 * Every line of the chunk is a parameter declaration ending in a comma, the last one maybe closing the list
 * (`struct val *out)`): the head's `)` or `{`, and the body, are unseen.
 */
function onlyParams(lex: readonly LexedLine[]): boolean {
  const code = lex.filter((l) => l.code.trim() !== '');
  return code.length > 0 && code.every((l, i) => !l.isPreprocessor && !l.startsInComment
    && (PARAM_LINE.test(l.code) || (i === code.length - 1 && l.parenAfter === -1 && LAST_PARAM_LINE.test(l.code))));
}

/** The text that completes a head whose chunk shows only parameter lines (see Chunk.headAfter), or undefined. */
export function headAfterChunk(section: string, sides: readonly (readonly SideLine[])[]): string | undefined {
  if (!headOfSection(section)?.paramsIncomplete) return undefined;
  const shown = sides.filter((lines) => lines.some((l) => l.text.trim() !== ''));
  if (shown.length === 0 || !shown.every((lines) => onlyParams(lexSide(lines)))) return undefined;
  // The list closes on the chunk's last line (every side shows the same closing parameter line): only `{` is unseen.
  return shown.every((lines) => lexSide(lines).some((l) => l.parenAfter === -1)) ? '{' : '...) {';
}

/** The first lines close `open` + 1 parentheses before any `;`, `{` or `}`, and a `{` follows. */
function continuesParams(lex: readonly LexedLine[], open: number): boolean {
  for (let i = 0; i < lex.length; i++) {
    const l = lex[i]!;
    // The line that closes the list may open the body too (`size_t len __unused) { }`), when what it closes reads as
    // declared parameters (not the tail of an `if (` condition: `!f(x) && (v >> 63)) {`).
    if (l.isPreprocessor || (/[;{}]/.test(l.code) && (l.parenAfter >= -open || !declaredBefore(lex.slice(0, i + 1), -open - 1)))) return false;
    if (l.parenAfter < -open) {
      const after = textAfterParenMin(lex.slice(0, i + 1), -open - 1).replace(/__attribute__\s*\(\(.*?\)\)|\b__\w+\b/g, '').trim();
      if (after !== '') return after.startsWith('{');
      const next = lex.slice(i + 1).find((n) => n.code.trim() !== '');
      return next !== undefined && next.code.trim().startsWith('{');
    }
  }
  return false;
}

/** The text up to where the run's parentheses close at `parenMin` reads as parameter declarations (`T name`, `T *p __unused`). */
function declaredBefore(lex: readonly LexedLine[], parenMin: number): boolean {
  const parts = textBeforeParenMin(lex, parenMin).text.split(',').map((p) => p.trim());
  return parts.every((p, i) => (p === '' && i === 0) || (readsAsParameter(p) && /\w[\s*]+\w/.test(p)));
}

/**
 * Words and `*`s ending in a name, then array bounds (`const char *name`, `u8 buf[N]`). Tested by pieces rather than as
 * one pattern: `^(?:(?:[A-Za-z_]\w*|\*)\s*)*[A-Za-z_]\w*$` can split a long run of words in exponentially many ways before
 * it fails (seconds on one text of a long reply).
 */
export function readsAsParameter(p: string): boolean {
  const t = p.replace(/(?:\s*\[[^\]]*\])+$/, '');
  return /^[\w\s*]*\w$/.test(t) && (t.match(/\w+/g) ?? []).every((w) => /^[A-Za-z_]/.test(w));
}

type BlockKind = 'do' | 'if' | 'switch' | 'init';

const DESIGNATOR = /^\s*(?:\.\s*[A-Za-z_]\w*|\[[^\]]*\])\s*=/;

/** The first line from `from` with code (directives count when `withDirectives`). */
function nextCodeLine(lex: readonly LexedLine[], from: number, withDirectives = false): LexedLine | undefined {
  for (let j = from; j < lex.length; j++) {
    const n = lex[j]!;
    if ((withDirectives || !n.isPreprocessor) && n.code.trim() !== '') return n;
  }
  return undefined;
}

/**
 * Line `i` is an initialiser's content: a designator (`.f = x,`), or an element's `{` whose own
 * content is designated (`{ .start = 0, .end = 1 },` or `{` then `.f = ...`). Its level is then an
 * initialiser list, which inside a function is at least level 2.
 */
function isInitContent(lex: readonly LexedLine[], i: number): boolean {
  const code = lex[i]!.code.replace(/^\s*\}\s*,?/, '');
  if (DESIGNATOR.test(code)) return true;
  if (!/^\s*\{/.test(code)) return false;
  if (DESIGNATOR.test(code.replace(/^\s*\{/, ''))) return true;
  // A whole element in braces, no statement in it (`{0}`, `{ BASE, SIZE },`): no block is written so.
  if (/^\s*\{[^;{}]*\}\s*,?\s*$/.test(code) && /[^\s{}]/.test(code)) return true;
  if (code.trim() !== '{') return false;
  const next = nextCodeLine(lex, i + 1);
  return next !== undefined && DESIGNATOR.test(next.code);
}


/**
 * For each level closed inside the chunk (level 1 = function body), whether its closer is
 * `} while` (a do block) and whether it holds case labels (a switch body), so a synthetic opener
 * for it can be `do {` or `switch ( unknown ) {`.
 */
function closerKinds(lex: readonly LexedLine[], depth0: number): Map<number, BlockKind> {
  const kinds = new Map<number, BlockKind>();
  let depth = 0;
  let min = 0;
  // Relative depths of the levels opened before the run in which a statement's `;` stands.
  const statements = new Set<number>();
  lex.forEach((l, index) => {
    if (l.isPreprocessor) {
      depth = l.depthAfter;
      return;
    }
    const level = depth0 + l.depthAtStatement;
    if (!l.startsInComment && CASE_LABEL.test(l.code.replace(/^\s*\}/, '')) && level > 1 && !kinds.has(level)) kinds.set(level, 'switch');
    if (!l.startsInComment && level > 1 && !kinds.has(level) && isInitContent(lex, index)) kinds.set(level, 'init');
    const code = l.code;
    for (let c = 0; c < code.length; c++) {
      if (code[c] === '{') depth += 1;
      else if (code[c] === ';' && l.parenBefore === 0 && depth <= min) statements.add(depth);
      else if (code[c] === '}') {
        depth -= 1;
        if (depth < min) {
          min = depth;
          const level = depth0 + depth + 1;
          if (/^\s*while\b/.test(code.slice(c + 1))) kinds.set(level, 'do');
          // `};` closes an initialiser, unless a statement ended in that level (`return ret;` then `};`: a block).
          else if (/^\s*[;,]/.test(code.slice(c + 1)) && level > 1 && !statements.has(depth + 1)) kinds.set(level, 'init');
          else if (!kinds.has(level)) kinds.set(level, 'if');
        }
      }
    }
  });
  return kinds;
}

/**
 * The chunk's first statement is a bare block `{ ... }` followed by `else`: the block is the body
 * of an `if` whose head is unseen.
 */
function blockBeforeElse(lex: readonly LexedLine[], first: number): boolean {
  const start = lex[first];
  if (!start || start.code.trim() !== '{') return false;
  for (let i = first + 1; i < lex.length; i++) {
    const l = lex[i]!;
    if (l.isPreprocessor || l.depthAtStatement > start.depthBefore) continue;
    const rest = l.code.trim().replace(/^\}/, '').trim();
    if (rest !== '') return /^else\b/.test(rest);
    const next = nextCodeLine(lex, i + 1);
    return next !== undefined && /^else\b/.test(next.code.trim());
  }
  return false;
}

/**
 * The chunk's first statement is a simple one (`return x;`, over one or more rows, no braces)
 * followed by `else`: it is the unbraced body of an `if` whose head is unseen.
 */
function statementBeforeElse(lex: readonly LexedLine[], first: number): boolean {
  const start = lex[first];
  if (!start || /^(?:if|else|for|while|switch|do|case|default)\b|^[{}#]|^\w+\s*:(?!:)/.test(start.code.trim())) return false;
  for (let i = first; i < lex.length && i < first + 8; i++) {
    const l = lex[i]!;
    if (l.isPreprocessor) continue;
    const code = l.code.trim();
    if (/[{}]/.test(code) || l.depthAfter !== start.depthBefore) return false;
    if (!code.endsWith(';') || l.parenAfter !== start.parenBefore) continue;
    const next = nextCodeLine(lex, i + 1);
    return next !== undefined && /^else\b/.test(next.code.trim());
  }
  return false;
}

/** The code right after the closer that takes the chunk's paren depth to its minimum. */
function textAfterParenMin(lex: readonly LexedLine[], parenMin: number): string {
  const code = lex.filter((l) => !l.isPreprocessor).map((l) => l.code).join(' ');
  let paren = 0;
  for (let c = 0; c < code.length; c++) {
    if (code[c] === '(') paren += 1;
    else if (code[c] === ')') {
      paren -= 1;
      if (paren === parenMin) return code.slice(c + 1);
    }
  }
  return '';
}

/**
 * The code inside the parentheses a run starts in, up to where they close: how many `;` stand at the
 * outermost of them (a for header's clauses), and whether a `:` stands at the run's own level before
 * any `?` there (the tail of a conditional expression whose `?` is unseen).
 */
function textBeforeParenMin(lex: readonly LexedLine[], parenMin: number): { text: string; semicolons: number; firstColonBeforeQuestion: boolean } {
  const code = lex.filter((l) => !l.isPreprocessor && !l.startsInComment).map((l) => l.code).join(' ');
  let paren = 0;
  let semicolons = 0;
  let question = false;
  let colon = false;
  let c = 0;
  for (; c < code.length; c++) {
    const ch = code[c]!;
    if (ch === '(') paren += 1;
    else if (ch === ')') {
      paren -= 1;
      if (paren === parenMin) break;
    } else if (ch === ';' && paren === parenMin + 1) semicolons += 1;
    else if (paren === 0 && ch === '?') question = true;
    else if (paren === 0 && ch === ':' && code[c + 1] !== ':' && code[c - 1] !== ':' && !question) colon = true;
  }
  return { text: code.slice(0, c), semicolons, firstColonBeforeQuestion: colon };
}

/**
 * The text inside the parentheses a run starts in (literals blanked) is the rest of a GNU asm statement: template
 * strings then operands, or operands alone. An operand is a constraint string right before a parenthesis
 * (`[dst] "+Q" (*dst)`), which no C expression writes; `: :` opens empty output operands.
 */
function isAsmTail(text: string): boolean {
  return /^\s*(?:"[^"]*"\s*)*:/.test(text) && /:\s*(?:\[\s*\w+\s*\]\s*)?"[^"]*"\s*\(|:\s*:/.test(text);
}

/** The first closer that leaves the run's starting level is a `} else`. */
function closesWithElse(lex: readonly LexedLine[]): boolean {
  const first = lex.find((l) => !l.isPreprocessor && l.depthMin < 0);
  return first !== undefined && /^\s*\}\s*else\b/.test(first.code);
}

/** The synthetic opener of a level whose real opener is unseen; `outerKind` is the enclosing level's. */
const reopenRow = (kind: BlockKind | undefined, outerKind?: BlockKind): string => {
  if (kind === 'init') return outerKind === 'init' ? '{' : UNSEEN_INITIALISER;
  return kind === 'do' ? 'do {' : kind === 'switch' ? `switch ( ${unknownCondition()} ) {` : `if ( ${unknownCondition()} ) {`;
};

/**
 * For each brace level open at the end of `rows` (index 0 = function body), what opened it: an
 * initialiser list (`= {`, `, {` or `{` inside one), a `do {` body, or another block.
 */
function openLevels(rows: readonly Row[]): readonly Level[] {
  // Rows are only ever appended while a side is segmented, and this is asked before every gap and close:
  // the scan goes on from where the last one over the same rows stopped (the same state, the same answer).
  let scan = levelScans.get(rows);
  if (!scan) levelScans.set(rows, (scan = { done: 0, state: freshLexState(), stack: [], prev: '' }));
  const { state, stack } = scan;
  let prev = scan.prev;
  for (; scan.done < rows.length; scan.done++) {
    const { code } = stripLine(rows[scan.done]!.text, state);
    if (/^\s*#/.test(code)) continue;
    prev = levelsOfLine(code, stack, prev);
    scan.prev = prev;
  }
  return stack.slice();
}

const BRACE = /[{}]/g;

/**
 * openLevels' step over one line of code (comments and literals blanked): each `{` pushes what it opens, each `}` pops.
 * `prev` is the last non-blank character before the line; returns the last one after it. The braces are found with
 * a regular expression and the character before each with trimEnd (same answers as a loop over every character,
 * test/c/segment-scan.test.ts, which runs interpreted in a short CLI process).
 */
export function levelsOfLine(code: string, stack: Level[], prev: string): string {
  BRACE.lastIndex = 0;
  for (let m = BRACE.exec(code); m; m = BRACE.exec(code)) {
    if (m[0] === '}') {
      stack.pop();
      continue;
    }
    const before = code.slice(0, m.index);
    const last = before.trimEnd();
    const p = last === '' ? prev : last[last.length - 1]!;
    // `(struct x){ ... }` is a compound literal: its braces hold an initialiser too.
    const isInit = p === '=' || p === ',' || (p === '{' && stack[stack.length - 1] === 'init')
      || (p === ')' && /\(\s*(?:const\s+)?(?:struct|union)\s+\w+\s*\)\s*$/.test(before));
    // `static union {` in a body: a member list (data, like an initialiser: no statement goes in it).
    const isMembers = !isInit && /\b(?:struct|union|enum)\b[^;(){}=]*$/.test(before);
    stack.push(isInit ? 'init' : isMembers ? 'members' : /\bdo\s*$/.test(before) ? 'do' : /\belse\s*$/.test(before) ? 'else' : 'block');
  }
  const last = code.trimEnd();
  return last === '' ? prev : last[last.length - 1]!;
}

export type Level = 'init' | 'members' | 'do' | 'else' | 'block';
/** openLevels' scan of a row list so far (rows scanned, lexer state, open levels, last non-blank character). */
const levelScans = new WeakMap<readonly Row[], { done: number; state: LexState; stack: Level[]; prev: string }>();

/** Synthetic closers for the `count` innermost open levels: a `do {` body needs its `while`. */
function closersFor(rows: readonly Row[], count: number): string[] {
  const levels = openLevels(rows);
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const kind = levels[levels.length - 1 - k];
    out.push(kind === 'do' ? `} while ( ${unknownCondition()} );` : kind === 'members' ? UNSEEN_MEMBERS_CLOSER : '}');
  }
  return out;
}

/** The declarator a synthetic close gives a member list whose real one is unseen (`} fifo;`). */
const UNSEEN_MEMBERS_CLOSER = '} __pr_unseen_list;';

/** The innermost open levels that hold data, not statements: initialiser lists and member lists, innermost first. */
function innerDataLevels(rows: readonly Row[]): ('init' | 'members')[] {
  const levels = openLevels(rows);
  const out: ('init' | 'members')[] = [];
  for (let k = levels.length - 1; k >= 0; k--) {
    const kind = levels[k]!;
    if (kind !== 'init' && kind !== 'members') break;
    out.push(kind);
  }
  return out;
}

/** How many of the innermost open levels hold data (initialiser or member lists). */
function innerInitLevels(rows: readonly Row[]): number {
  return innerDataLevels(rows).length;
}

const HEAD_KEYWORD = /\b(if|while|for|switch)\s*$/;

/** The code of the last visible rows (comments and directives out), trimmed at the end. */
/**
 * The last statement of `code` is a conditional expression whose `:` arm is unseen: a `?` outside any
 * parenthesis of the statement with no `:` after it (`x = ok && v ?` / `    get(&v->a,` before a gap).
 */
function openConditional(code: string): boolean {
  const stmt = code.slice(Math.max(code.lastIndexOf(';'), code.lastIndexOf('{'), code.lastIndexOf('}')) + 1);
  let paren = 0;
  let open = 0;
  for (let c = 0; c < stmt.length; c++) {
    const ch = stmt[c]!;
    if (ch === '(') paren += 1;
    else if (ch === ')') paren -= 1;
    else if (paren === 0 && ch === '?') open += 1;
    else if (paren === 0 && ch === ':' && stmt[c + 1] !== ':' && stmt[c - 1] !== ':' && open > 0) open -= 1;
  }
  return open > 0;
}

function lastCode(rows: readonly Row[]): string {
  // The last 8 visible rows, found from the end (asked before every gap: the whole list would be walked each time).
  const last: Row[] = [];
  for (let i = rows.length - 1; i >= 0 && last.length < 8; i--) if (!rows[i]!.isSynthetic) last.push(rows[i]!);
  last.reverse();
  const state = freshLexState();
  return last
    .map((r) => stripLine(r.text, state).code)
    .filter((c) => !/^\s*#/.test(c))
    .join(' ')
    .trimEnd();
}

/**
 * The visible text ends with a statement head whose body is unseen (`switch ( op->cmd )`,
 * `if ( x )`, `else`, `do`): the unseen body must be a block of its own, and `switch` requires one.
 */
function endsWithBareHead(rows: readonly Row[]): 'switch' | 'other' | undefined {
  const code = lastCode(rows);
  if (/(?:^|[;{}\s])(?:else|do)$/.test(code)) return 'other';
  if (!code.endsWith(')')) return undefined;
  let depth = 0;
  for (let c = code.length - 1; c >= 0; c--) {
    if (code[c] === ')') depth += 1;
    else if (code[c] === '(' && --depth === 0) {
      const keyword = HEAD_KEYWORD.exec(code.slice(0, c))?.[1];
      return keyword === undefined ? undefined : keyword === 'switch' ? 'switch' : 'other';
    }
  }
  return undefined;
}

interface Open {
  seg: Segment;
  /** Brace depth (1 = function body) after the last row. */
  depth: number;
  /** Paren depth after the last row (synthetic openers included). */
  paren: number;
  isInComment: boolean;
  /** The opening brace has been passed (rows before it are the head). */
  bodyStarted: boolean;
  /** Index, in the current chunk, of the line holding the opening brace of a visible head. */
  braceLine?: number;
  nextGapId: number;
}

/**
 * Functions whose head the patch removes and writes nowhere (deleted or renamed), by name, with the index of the
 * first chunk that removes it. Only a head's first line is read.
 */
function removedHeads(chunks: readonly Chunk[]): Map<string, number> {
  const headName = (text: string): string | undefined => (/^[A-Za-z_]/.test(text) && /\(/.test(text) ? headOfSection(text)?.name : undefined);
  const removed = new Map<string, number>();
  const added = new Set<string>();
  chunks.forEach((chunk, ci) => {
    for (const l of chunk.pre) {
      const name = l.isChanged ? headName(l.text) : undefined;
      if (name && !removed.has(name)) removed.set(name, ci);
    }
    for (const l of chunk.post) {
      const name = l.isChanged ? headName(l.text) : undefined;
      if (name) added.add(name);
    }
  });
  for (const name of added) removed.delete(name);
  return removed;
}

/**
 * A header whose parentheses hold arguments, not parameters (`LIST_ENTRY(ECONNREFUSED, 111)`, `DEV_START(x, "name",
 * CLASS)`): a literal or an operator in one of them (array sizes aside). A macro's entry in a list or a data
 * definition's opening, no function of the file.
 */
function headerIsCall(head: FunctionHead): boolean {
  return head.returnType === '' && head.paramsText.split(',').some((p) => /[-+/%&|^!~?:<>="']|->|\b\d/.test(p.replace(/\[[^\]]*\]|\(\s*\*[^)]*\)/g, '')));
}

/** The label a hunk's section header is (`retry:`, `out: /* done *\/`), or undefined. */
function labelOfSection(section: string): string | undefined {
  const m = /^([A-Za-z_]\w*)\s*:(?!:)\s*(?:\/\*.*\*\/\s*|\/\/.*)?$/.exec(section.trim());
  return m && !/^(?:default|public|private|protected)$/.test(m[1]!) ? m[1] : undefined;
}

/** The head of a function the patch does not name: a placeholder name and type, its parameters unknown. */
const UNNAMED_HEAD: FunctionHead = {
  name: '__pr_unnamed',
  returnType: '',
  specifiers: '',
  params: [],
  paramsIncomplete: true,
  annotations: [],
  prefix: '__pr_unnamed',
  paramsText: '',
};

export function segmentSide(chunks: readonly Chunk[], side: 'pre' | 'post'): SideResult {
  const segments: Segment[] = [];
  const prototypes: Prototype[] = [];
  const unnamedRegions: SideResult['unnamedRegions'] = [];
  let cur: Open | undefined;
  let prevLastLine = 0;
  // Post side: heads the patch removes and writes nowhere (a deleted or renamed function), for section headers.
  let gone: Map<string, number> | undefined;
  const removedBefore = (name: string, ci: number): boolean => side === 'post' && ((gone ??= removedHeads(chunks)).get(name) ?? ci) < ci;

  const synth = (o: Open, text: string): void => {
    o.seg.rows.push({ text, line: 0, isChanged: false, isSynthetic: true });
  };
  const addGap = (o: Open, afterLine: number, reason: Gap['reason']): void => {
    const id = o.nextGapId++;
    o.seg.gaps.push({ id, afterLine, reason });
    synth(o, gapStatement(id));
  };
  // Finish the visible text so what follows parses: close a comment, complete an open expression.
  const terminateVisible = (o: Open): void => {
    if (o.isInComment) {
      synth(o, '*/');
      o.isInComment = false;
    }
    if (o.paren > 0) {
      // The last code (directives and comments aside: `f(base,` then `#ifdef X` before the hunk ends).
      const last = lastCode(o.seg.rows);
      const needsOperand = /[-+*/%&|^!~<>=?:,(]$/.test(last);
      // `asm volatile (` before a gap: its template is a string.
      const operand = /\b(?:__)?asm(?:__)?\b[\w\s]*\($/.test(last) ? '""' : `${UNKNOWN_COND_CALL}()`;
      synth(o, `${needsOperand ? operand : ''}${')'.repeat(o.paren)}${openConditional(lastCode(o.seg.rows)) ? ` : ${UNKNOWN_COND_CALL}()` : ''};`);
      o.paren = 0;
    } else if (o.bodyStarted) {
      // A statement whose end is unseen (`x = a ||` / `x = a || b` continued on the next line).
      const last = lastCode(o.seg.rows);
      if (/(?:&&|\|\||[-+*/%&|^<>=?:]|[A-Za-z_0-9\]]|\+\+|--)$/.test(last) && !endsWithBareHead(o.seg.rows)
        && !/(?:^|[\s;{}])(?:else|do|case\b.*|default|[A-Za-z_]\w*)\s*:?$/.test(last.replace(/.*[;{}]\s*/, ''))) {
        const operand = /(?:&&|\|\||[-+*/%&|^<>=?:])$/.test(last) && !/(?:\+\+|--)$/.test(last);
        // `state = (a > b) ?` before the unseen rest: both arms of the conditional are unknown.
        synth(o, operand ? `${UNKNOWN_COND_CALL}()${openConditional(last) ? ` : ${UNKNOWN_COND_CALL}()` : ''};` : ';');
      }
    }
  };
  // A bare head's unseen body: `{ gap }`, then the unseen rest of the function as usual.
  const closeBareHead = (o: Open, reason: Gap['reason']): void => {
    if (!endsWithBareHead(o.seg.rows)) return;
    synth(o, '{');
    addGap(o, prevLastLine, reason);
    synth(o, '}');
  };
  // Initialiser lists left open hold no statements: close them (`}`, `};` for the outermost)
  // before a gap, down to `keep` levels.
  const closeInitialisers = (o: Open, keep = 0): void => {
    const levels = innerDataLevels(o.seg.rows);
    const open = Math.min(levels.length, o.depth - keep);
    for (let k = 1; k <= open; k++) {
      const kind = levels[k - 1];
      // The outermost initialiser closes its declaration; a member list gets an unseen declarator.
      synth(o, kind === 'members' ? UNSEEN_MEMBERS_CLOSER : k === open || levels[k] === 'members' ? '};' : '}');
    }
    o.depth -= Math.max(0, open);
  };
  const closeFragment = (o: Open): void => {
    terminateVisible(o);
    closeInitialisers(o);
    if (o.bodyStarted) closeBareHead(o, 'after-fragment');
    if (o.depth > 0) {
      addGap(o, prevLastLine, 'after-fragment');
      for (const closer of closersFor(o.seg.rows, o.depth)) synth(o, closer);
    }
    o.seg.isFragment = true;
    segments.push(o.seg);
  };

  let topBuffer: { code: string; line: number; isChanged: boolean }[] = [];
  const flushTop = (): void => {
    if (topBuffer.length === 0) return;
    const text = topBuffer.map((b) => b.code).join(' ').trim();
    const fnPtr = FN_POINTER.exec(text);
    const head = fnPtr ? parseHead(`${fnPtr[1]} ${fnPtr[2]}()`) : /;\s*$/.test(text) ? parseHead(text) : undefined;
    if (head && head.returnType !== '') {
      prototypes.push({
        name: head.name,
        returnType: head.returnType,
        line: topBuffer[0]!.line,
        isChanged: topBuffer.some((b) => b.isChanged),
        annotations: head.annotations,
      });
    }
    topBuffer = [];
  };

  chunks.forEach((chunk, ci) => {
    const visible = chunk[side];
    if (visible.length === 0) return;
    // The head's first line is the section header: set it (synthetic, line 0) before the rest.
    const lines = chunk.headBefore !== undefined ? [{ text: chunk.headBefore, line: 0, isChanged: false }, ...visible] : visible;
    if (chunk.headAfter !== undefined && chunk.headBefore !== undefined) lines.push({ text: chunk.headAfter, line: 0, isChanged: false });
    const lex = lexSide(lines);
    const d0 = chunk.depth0;
    const sectionHead = headOfSection(chunk.section);
    // Read only where a chunk continues a function or starts inside one (never for a whole file in tree mode).
    let kindsMemo: Map<number, BlockKind> | undefined;
    const kinds = (): Map<number, BlockKind> => (kindsMemo ??= closerKinds(lex, d0));
    const parenMin = Math.min(0, ...lex.map((l) => l.parenAfter));
    // A section header that defines data at file scope (`static const struct ops x = {`) stands
    // between the function and this hunk: the function ended before it.
    // The header is pre-image text: it may name a function whose head an earlier chunk removes (`-static void f(..)`
    // `+static int f_timeout(..)`, a rename). The unchanged lines between hold no other head (git would name it), so
    // this chunk continues the function still open on the post side.
    const isContinuation = cur !== undefined && d0 > 0 && (!sectionHead || sectionHead.name === cur.seg.name || removedBefore(sectionHead.name, ci)) && !isDataDefinition(chunk.section);
    if (cur && !isContinuation) {
      closeFragment(cur);
      cur = undefined;
    }
    flushTop();
    let inUnnamed = false;
    if (cur) {
      const o = cur;
      const reason = ci > 0 && chunk.gapReason === 'elision' ? 'elision' : 'between-hunks';
      // Elided text inside the function (also in tree mode): part of it is not visible.
      if (reason === 'elision') o.seg.isFragment = true;
      let kindsHandled = false;
      terminateVisible(o);
      // Still inside an initialiser when the next chunk resumes: nothing to mark, the unseen
      // elements are data. Otherwise close the initialisers first.
      const isInInitialiser = innerInitLevels(o.seg.rows) > 0;
      if (isInInitialiser && d0 >= o.depth) {
        for (let d = o.depth + 1; d <= d0; d++) synth(o, '{');
        o.depth = d0;
        kindsHandled = true;
      } else if (isInInitialiser) closeInitialisers(o);
      const bareHead = kindsHandled ? undefined : endsWithBareHead(o.seg.rows);
      if (bareHead) {
        // A switch's body is a block: when the next chunk is deeper (a hunk ending at
        // `switch ( x )`, the next one inside a case arm), that block is the first level reopened.
        // Another head's body may be one statement, so a deeper chunk is not known to be in it.
        synth(o, '{');
        if (bareHead === 'switch' && d0 > o.depth) o.depth += 1;
        else {
          addGap(o, prevLastLine, reason);
          synth(o, '}');
        }
      }
      if (!kindsHandled) addGap(o, prevLastLine, reason);
      // The level open at the chunk's depth is a final `else {` body and the chunk closes its level with `} else`:
      // that body ended unseen and another if/else chain opened at the same depth (two hunks of two chains).
      if (!kindsHandled && o.depth === d0 && d0 > 1 && openLevels(o.seg.rows).at(-1) === 'else' && closesWithElse(lex)) {
        synth(o, '}');
        synth(o, `if ( ${unknownCondition()} ) {`);
        addGap(o, prevLastLine, reason);
      }
      if (o.depth !== d0) {
        for (const closer of closersFor(o.seg.rows, o.depth - d0)) synth(o, closer);
        for (let d = o.depth + 1; d <= d0; d++) synth(o, reopenRow(kinds().get(d), kinds().get(d - 1)));
        if (kinds().get(d0) !== 'init') addGap(o, prevLastLine, reason);
        o.depth = d0;
      }
    } else if (d0 > 0) {
      // The chunk is inside the body of a function whose head is not shown: open a fragment of it at depth d0.
      const fragmentOf = (name: string, head: FunctionHead): Open => {
        const seg: Segment = { name, head, headFrom: 'section-header', rows: [], gaps: [], startsInside: true, isFragment: true, changedLines: [] };
        const o: Open = { seg, depth: d0, paren: 0, isInComment: false, bodyStarted: true, nextGapId: 1 };
        synth(o, synthesizeHead(head));
        synth(o, '{');
        addGap(o, 0, 'before-fragment');
        for (let d = 2; d <= d0; d++) synth(o, reopenRow(kinds().get(d), kinds().get(d - 1)));
        if (d0 > 1 && kinds().get(d0) !== 'init') addGap(o, 0, 'before-fragment');
        return o;
      };
      const label = labelOfSection(chunk.section);
      if (sectionHead && !headerIsCall(sectionHead)) {
        cur = fragmentOf(sectionHead.name, sectionHead);
      } else if (label) {
        // A label at column 0 heads the hunk (git names the last line that starts with a letter): the chunk is in
        // the body of a function the patch does not name. It is read as a fragment of that function, its name,
        // type and parameters unknown, like any unseen part.
        cur = fragmentOf(`(unknown, label ${label})`, { ...UNNAMED_HEAD });
      } else {
        inUnnamed = true;
        unnamedRegions.push({ line: lines[0]!.line, hasChanges: false, hasChangedStatements: false });
      }
    }
    if (cur) {
      // The chunk may start inside a comment or an expression whose opener is not visible.
      if (lex[0]?.startsInComment || lex.some((l, i) => l.closesUnopenedComment && lex.slice(0, i).every((p) => !p.endsInComment))) synth(cur, '/*');
      if (parenMin < 0) {
        const after = textAfterParenMin(lex, parenMin);
        // In an initialiser list (`        MT_CODE | MT_SECURE),` under an unseen `MAP_REGION(BASE, SIZE,`): an element's call.
        const isCall = /^\s*;/.test(after) || (d0 > 1 && kinds().get(d0) === 'init' && /^\s*(?:,|\}|$)/.test(after));
        // `            v, name);` then `        else`: the unseen first line was the body of an `if`.
        const ifBody = isCall && /^\s*;\s*else\b/.test(after) ? `if ( ${unknownCondition()} ) ` : '';
        // The visible text may start with an operator whose left operand is unseen.
        const lead = lex.find((l) => !l.isPreprocessor && l.code.trim() !== '')?.code.trim() ?? '';
        const inside = textBeforeParenMin(lex, parenMin);
        const operand = /^:/.test(lead)
          ? ` ${unknownCondition()} ? ${unknownCondition()}`
          : /^(?:\?|&&|\|\||[=!<>]=|<<|>>|[<>|^/%+])/.test(lead)
            ? ` ${unknownCondition()}`
            : inside.firstColonBeforeQuestion ? ` ${unknownCondition()} ?` : '';
        // `          v != END;` / `          v += STEP )`: the middle of a for header, its first clause unseen.
        const opener = !isCall && parenMin === -1 && inside.semicolons === 1 && !/^\s*;/.test(inside.text) ? 'for ( ;' : 'if (';
        if (isCall && parenMin === -1 && isAsmTail(inside.text)) {
          // `"casa %w0, %w1, %2\n"` / `: [dst] "+Q" (*dst));`: the template or operands of a GNU asm statement
          // whose `asm volatile (` is unseen (a template is a string; operands come after a `:`).
          synth(cur, `__asm__ volatile ( ${/^\s*:/.test(inside.text) ? '""' : ''}`);
        } else synth(cur, `${isCall ? `${ifBody}${UNKNOWN_COND_CALL}(` : opener}${' ('.repeat(-parenMin - 1)}${operand}`);
        cur.paren = -parenMin;
      } else {
        // The tail of a statement whose first line is unseen (`        >> SHIFT;` under
        // `x = (data & MASK)`): an operator no statement starts with gets an unknown left operand.
        const lead = lex.find((l) => !l.isPreprocessor && !l.startsInComment && l.code.trim() !== '')?.code.trim() ?? '';
        if (/^(?:>>|<<|&&|\|\||[=!<>]=|->|\?|[<>|^%]|\/(?![/*])|\+(?!\+)|-(?!-)|=(?!\s*\{))/.test(lead)) {
          synth(cur, unknownCondition());
        } else if (/^:(?!:)/.test(lead)) synth(cur, `${unknownCondition()} ? ${unknownCondition()}`);
      }
    }
    const chunkParen = cur ? cur.paren : 0;
    if (cur) {
      // A dangling `else` first: the `if` it belongs to is unseen.
      const firstCode = lex.find((l) => !l.isPreprocessor && !l.startsInComment && l.code.trim() !== '');
      if (firstCode && /^else\b/.test(firstCode.code.trim())) {
        synth(cur, `if ( ${unknownCondition()} )`);
        addGap(cur, prevLastLine, 'before-fragment');
      } else if (firstCode && (blockBeforeElse(lex, lex.indexOf(firstCode)) || statementBeforeElse(lex, lex.indexOf(firstCode)))) {
        synth(cur, `if ( ${unknownCondition()} )`);
      }
    }

    lex.forEach((l, i) => {
      const line = lines[i]!;
      const absBefore = d0 + l.depthBefore;
      const absAfter = d0 + l.depthAfter;
      if (inUnnamed) {
        if (line.isChanged) {
          const region = unnamedRegions[unnamedRegions.length - 1]!;
          region.hasChanges = true;
          // A statement, not a member, an enumerator or an initialiser: the block is a function's.
          // `} table[3] = {`: a struct's declarator and initialiser, data too.
          if (!l.isPreprocessor && !l.startsInComment && isBodyOnly(l.code) && !/,\s*$/.test(l.code)
            && !/^\s*\}\s*[A-Za-z_]\w*(?:\s*\[[^\]]*\])*\s*=\s*\{\s*$/.test(l.code)) region.hasChangedStatements = true;
        }
        if (absAfter <= 0) inUnnamed = false;
        return;
      }
      if (!cur && absBefore === 0 && !l.isPreprocessor) {
        const start = detectStart(lex, i, false);
        if (start) {
          const seg: Segment = {
            name: start.head.name,
            head: start.head,
            headFrom: 'declarator',
            rows: [],
            gaps: [],
            startsInside: false,
            isFragment: false,
            changedLines: [],
          };
          cur = { seg, depth: 0, paren: 0, isInComment: false, bodyStarted: false, nextGapId: 1 };
          // A K&R type line already went to the file-scope buffer: take it back.
          if (start.from < i) {
            topBuffer = [];
            const prev = lines[start.from]!;
            seg.rows.push({ text: prev.text, line: prev.line, isChanged: prev.isChanged, isSynthetic: false });
            if (prev.isChanged) seg.changedLines.push(prev.line);
          }
          flushTop();
          cur.braceLine = start.braceLine;
          // A head continued from the section header may miss parameter lines between the two.
          if (lines[start.from]!.line === 0 && sectionHead?.paramsIncomplete) seg.head = { ...seg.head, paramsIncomplete: true };
        }
      }
      if (cur) {
        const o = cur;
        o.seg.rows.push({ text: line.text, line: line.line, isChanged: line.isChanged, isSynthetic: line.line === 0 });
        if (line.isChanged) o.seg.changedLines.push(line.line);
        o.depth = absAfter;
        o.paren = chunkParen + l.parenAfter;
        o.isInComment = l.endsInComment;
        if (o.braceLine !== undefined && i >= o.braceLine) o.bodyStarted = true;
        if (o.bodyStarted && absAfter <= 0) {
          segments.push(o.seg);
          cur = undefined;
        }
        return;
      }
      if (absBefore === 0 && !l.isPreprocessor && !l.startsInComment) {
        topBuffer.push({ code: l.code, line: line.line, isChanged: line.isChanged });
        if (/[;{}]/.test(l.code)) flushTop();
      } else if (!l.isPreprocessor && !l.startsInComment && FN_POINTER.test(l.code.trim())) {
        // A member of a struct at file scope (an ops table): its function pointer type counts.
        topBuffer = [{ code: l.code, line: line.line, isChanged: line.isChanged }];
        flushTop();
      }
    });
    flushTop();
    prevLastLine = visible[visible.length - 1]!.line;
  });
  if (cur) closeFragment(cur);
  return { segments, prototypes, unnamedRegions };
}
