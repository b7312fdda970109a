// Cutting the visible text of one side of a file (pre or post image) into functions.
// Works on raw lines by structure (brace depth, declarator shape), never by indentation: mail
// often strips every line's leading whitespace. Unseen parts become synthetic rows (gap markers,
// synthetic heads and closers) so each function's text parses.
import type { Gap } from './types.ts';
import { gapStatement, unknownCondition, UNKNOWN_COND_CALL } from './markers.ts';
import { lexLines, isBodyOnly, type LexedLine } from './lex.ts';
import { parseHead, paramsLookDeclared, sectionFunction, synthesizeHead, type FunctionHead } from './declarator.ts';

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
  unnamedRegions: { line: number; hasChanges: boolean }[];
}

interface FunctionStart {
  from: number;
  /** Index of the line holding the opening brace. */
  braceLine: number;
  head: FunctionHead;
}

const FN_POINTER = /^([A-Za-z_][\w\s*]*?)\(\s*\*\s*([A-Za-z_]\w*)\s*\)\s*\(.*\)\s*;$/;
const TYPE_LINE = /^[A-Za-z_][\w\s*]*$/;

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
  let text = '';
  let depth = 0;
  let opened = false;
  let closeLine = -1;
  let closeCol = -1;
  for (let j = i; j < lex.length && j < i + 12; j++) {
    const l = lex[j]!;
    if (l.isPreprocessor) return undefined;
    const code = l.code;
    for (let c = 0; c < code.length; c++) {
      const ch = code[c];
      if (ch === ';' || ch === '{' || ch === '}' || ch === '=') {
        if (!opened || depth > 0 || ch !== '{') return undefined;
      }
      if (ch === '(') {
        depth += 1;
        opened = true;
      } else if (ch === ')') {
        depth -= 1;
        if (opened && depth === 0) {
          closeLine = j;
          closeCol = c;
          break;
        }
      }
    }
    text += (j === i ? '' : ' ') + (closeLine === j ? code.slice(0, closeCol + 1) : code);
    if (closeLine >= 0) break;
  }
  if (closeLine < 0) return undefined;
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
    if (!prev.isPreprocessor && t !== '' && TYPE_LINE.test(t) && prev.depthBefore === first.depthBefore) {
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
  if (!m) return false;
  const head = parseHead(m[1]!);
  return head !== undefined && head.returnType !== '' && !head.paramsIncomplete && paramsLookDeclared(head) && head.params.length > 0
    ? true
    : head !== undefined && head.returnType !== '' && /\(\s*void\s*\)$/.test(m[1]!);
}

/**
 * Brace depth at a chunk's first line: enough to close every closer it shows and to hold every
 * statement-only line inside a function; at least 1 when the section header names a function and
 * no definition starts at the chunk's own level.
 */
export function estimateDepth0(section: string, sides: readonly (readonly SideLine[])[]): number {
  let need = 0;
  let startsAtTop = false;
  for (const lines of sides) {
    const lex = lexLines(lines.map((l) => l.text));
    lex.forEach((l, i) => {
      if (l.isPreprocessor || l.startsInComment) return;
      need = Math.max(need, -l.depthMin);
      if (l.parenBefore === 0 && isBodyOnly(l.code)) need = Math.max(need, 1 - l.depthAtStatement);
      if (l.depthBefore === 0 && l.parenBefore === 0 && detectStart(lex, i, true)) startsAtTop = true;
      if (l.depthBefore === 0 && l.parenBefore <= 0 && isPrototypeAt(lex, i)) startsAtTop = true;
    });
  }
  if (need === 0 && sectionFunction(section) && !startsAtTop) need = 1;
  return need;
}

/** For each level closed inside the chunk (level 1 = function body), whether its closer is `} while`. */
function closerKinds(lex: readonly LexedLine[], depth0: number): Map<number, 'do' | 'if'> {
  const kinds = new Map<number, 'do' | 'if'>();
  let depth = 0;
  let min = 0;
  for (const l of lex) {
    if (l.isPreprocessor) {
      depth = l.depthAfter;
      continue;
    }
    const code = l.code;
    for (let c = 0; c < code.length; c++) {
      if (code[c] === '{') depth += 1;
      else if (code[c] === '}') {
        depth -= 1;
        if (depth < min) {
          min = depth;
          kinds.set(depth0 + depth + 1, /^\s*while\b/.test(code.slice(c + 1)) ? 'do' : 'if');
        }
      }
    }
  }
  return kinds;
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

const reopenRow = (kind: 'do' | 'if' | undefined): string => (kind === 'do' ? 'do {' : `if ( ${unknownCondition()} ) {`);

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

export function segmentSide(chunks: readonly Chunk[], side: 'pre' | 'post'): SideResult {
  const segments: Segment[] = [];
  const prototypes: Prototype[] = [];
  const unnamedRegions: SideResult['unnamedRegions'] = [];
  let cur: Open | undefined;
  let prevLastLine = 0;

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
      const last = [...o.seg.rows].reverse().find((r) => !r.isSynthetic)?.text.trim() ?? '';
      const needsOperand = /[-+*/%&|^!~<>=?:,(]$/.test(last);
      synth(o, `${needsOperand ? `${UNKNOWN_COND_CALL}()` : ''}${')'.repeat(o.paren)};`);
      o.paren = 0;
    }
  };
  const closeFragment = (o: Open): void => {
    terminateVisible(o);
    if (o.depth > 0) {
      addGap(o, prevLastLine, 'after-fragment');
      for (let d = o.depth; d > 0; d--) synth(o, '}');
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
    const lines = chunk[side];
    if (lines.length === 0) return;
    const lex = lexLines(lines.map((l) => l.text));
    const d0 = chunk.depth0;
    const sectionHead = sectionFunction(chunk.section);
    const kinds = closerKinds(lex, d0);
    const parenMin = Math.min(0, ...lex.map((l) => l.parenAfter));
    const isContinuation = cur !== undefined && d0 > 0 && (!sectionHead || sectionHead.name === cur.seg.name);
    if (cur && !isContinuation) {
      closeFragment(cur);
      cur = undefined;
    }
    flushTop();
    let inUnnamed = false;
    if (cur) {
      const o = cur;
      terminateVisible(o);
      addGap(o, prevLastLine, ci > 0 && chunk.gapReason === 'elision' ? 'elision' : 'between-hunks');
      if (o.depth !== d0) {
        for (let d = o.depth; d > d0; d--) synth(o, '}');
        for (let d = o.depth + 1; d <= d0; d++) synth(o, reopenRow(kinds.get(d)));
        addGap(o, prevLastLine, ci > 0 && chunk.gapReason === 'elision' ? 'elision' : 'between-hunks');
        o.depth = d0;
      }
    } else if (d0 > 0) {
      if (sectionHead) {
        const seg: Segment = {
          name: sectionHead.name,
          head: sectionHead,
          headFrom: 'section-header',
          rows: [],
          gaps: [],
          startsInside: true,
          isFragment: true,
          changedLines: [],
        };
        cur = { seg, depth: d0, paren: 0, isInComment: false, bodyStarted: true, nextGapId: 1 };
        synth(cur, synthesizeHead(sectionHead));
        synth(cur, '{');
        addGap(cur, 0, 'before-fragment');
        for (let d = 2; d <= d0; d++) synth(cur, reopenRow(kinds.get(d)));
        if (d0 > 1) addGap(cur, 0, 'before-fragment');
      } else {
        inUnnamed = true;
        unnamedRegions.push({ line: lines[0]!.line, hasChanges: false });
      }
    }
    if (cur) {
      // The chunk may start inside a comment or an expression whose opener is not visible.
      if (lex.some((l, i) => l.closesUnopenedComment && lex.slice(0, i).every((p) => !p.endsInComment))) synth(cur, '/*');
      if (parenMin < 0) {
        const isCall = /^\s*;/.test(textAfterParenMin(lex, parenMin));
        synth(cur, isCall ? `${UNKNOWN_COND_CALL}(${' ('.repeat(-parenMin - 1)}` : `if (${' ('.repeat(-parenMin - 1)}`);
        cur.paren = -parenMin;
      }
    }
    const chunkParen = cur ? cur.paren : 0;
    if (cur) {
      // A dangling `else` first: the `if` it belongs to is unseen.
      const firstCode = lex.find((l) => !l.isPreprocessor && !l.startsInComment && l.code.trim() !== '');
      if (firstCode && /^else\b/.test(firstCode.code.trim())) {
        synth(cur, `if ( ${unknownCondition()} )`);
        addGap(cur, prevLastLine, 'before-fragment');
      }
    }

    lex.forEach((l, i) => {
      const line = lines[i]!;
      const absBefore = d0 + l.depthBefore;
      const absAfter = d0 + l.depthAfter;
      if (inUnnamed) {
        if (line.isChanged) unnamedRegions[unnamedRegions.length - 1]!.hasChanges = true;
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
        }
      }
      if (cur) {
        const o = cur;
        o.seg.rows.push({ text: line.text, line: line.line, isChanged: line.isChanged, isSynthetic: false });
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
    prevLastLine = lines[lines.length - 1]!.line;
  });
  if (cur) closeFragment(cur);
  return { segments, prototypes, unnamedRegions };
}
