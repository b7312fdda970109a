// What the patch itself says about its callees: the knowledge base's own scanner and learner (scan.ts,
// learn.ts) run over the text every hunk shows of the post image (context and added lines), so a function
// the patch defines, declares or shows the body of gets the same convention a tree index would give it,
// with the patch's file:line as its source. Function-pointer members and parameters (`int (*init)(void);`)
// and status-typed or __must_check declarations are recorded with where they stand.
import type { FilePatch, Hunk } from '../patch/types.ts';
import { parseHead } from '../c/declarator.ts';
import { lineAt, lineStarts, scanFile } from './scan.ts';
import { stripC } from './strip.ts';
import { cleanType, learn } from './learn.ts';
import { memberKey } from './layers.ts';
import type { ApiFact, ReturnAtom, ScannedFile, ScannedFunction, SiteCounts } from './types.ts';

/** A declaration the patch shows: a definition, a prototype, a hunk header's head, or a function-pointer member/parameter. */
export interface PatchDeclaration {
  name: string;
  returnType: string;
  mustCheck: boolean;
  file: string;
  line: number;
  kind: 'definition' | 'prototype' | 'section-header' | 'member' | 'parameter';
  /** Members: what implementations the patch shows return (`.init = foo_init`), when they return a computed value. */
  computedBy?: string;
  /** Members and parameters declared with a function-pointer type name: the typedef and where it stands. */
  via?: { type: string; file: string; line: number };
  /** Definitions: the whole body is visible (its closing brace is in the same hunk), so what it returns is all it returns. */
  complete?: boolean;
}

import { statusTypeOf } from './status-types.ts';

export { statusTypeOf };

/**
 * What the comment right above a function's head says it returns on failure, in the author's words: "NULL
 * otherwise", "or NULL if none is found" above a pointer function; "-ENOMEM if ...", "a negative errno on
 * failure" above an integer or status one. The head is the line right after the comment, or, for a comment the
 * hunk ends with, the function the next hunk's header names when that hunk starts inside it.
 */
export interface Documented {
  name: string;
  convention: 'null' | 'errno';
  /** The sentence that says so, folded. */
  quote: string;
  returnType: string;
  /** Where the comment ends. */
  file: string;
  line: number;
}

export interface PatchKnowledge {
  /** The learned fact for a function the patch defines or declares (by name), or a member (`ops->init` -> `->init`). */
  fact(name: string): ApiFact | undefined;
  /** Where the patch declares it, most telling first (definition, prototype, header, member). */
  declaration(name: string): PatchDeclaration | undefined;
  /** What a comment the patch shows right above the function's head says it returns on failure. */
  documented(name: string): Documented | undefined;
}

/** Characters of hunk text learned from per patch (a large series is a few hundred thousand). */
const MAX_TEXT = 4_000_000;

/**
 * The text one hunk shows of the post image, each line at its real line number minus `base` (one row is kept
 * free before the first line for a head taken from the hunk header); unseen lines are empty.
 */
function hunkText(h: Hunk): { rows: string[]; first: number; base: number } | undefined {
  const lines = h.lines.filter((l) => l.kind !== 'del' && l.newLine !== undefined);
  if (lines.length === 0) return undefined;
  const first = lines[0]!.newLine!;
  const last = lines[lines.length - 1]!.newLine!;
  if (last - first > 20_000 || last < first) return undefined;
  const base = Math.max(0, first - 2);
  const rows: string[] = new Array<string>(last - base).fill('');
  for (const l of lines) rows[l.newLine! - base - 1] = l.text;
  // a hunk that starts inside a comment: blank up to its end so the comment's words are not code
  const open = rows.findIndex((r) => r.includes('/*'));
  const close = rows.findIndex((r) => r.includes('*/'));
  if (close >= 0 && (open < 0 || close < open || (close === open && rows[close]!.indexOf('*/') < rows[close]!.indexOf('/*')))) {
    for (let i = 0; i < close; i++) rows[i] = '';
    rows[close] = rows[close]!.slice(rows[close]!.indexOf('*/') + 2);
  }
  return { rows, first: first - base, base };
}

/** How many more `}` than `{` the text has before it first returns to depth 0 (the hunk starts that deep). */
function unmatchedCloses(text: string): number {
  return unmatchedClosesIn(stripC(text).code);
}

const BRACE = /[{}]/g;

/** unmatchedCloses() of code already stripped of comments and literals (the braces found with a regular expression). */
function unmatchedClosesIn(code: string): number {
  let depth = 0;
  let min = 0;
  BRACE.lastIndex = 0;
  for (let m = BRACE.exec(code); m; m = BRACE.exec(code)) {
    if (m[0] === '{') depth += 1;
    else if (--depth < min) min = depth;
  }
  return -min;
}

/**
 * The hunk's text made scannable: a hunk that starts inside a function gets the function's head from the
 * hunk header (`@@ ... @@ static int foo(struct x *x,`) and as many `{` as it closes; without a usable
 * header the unmatched part is skipped as an anonymous block.
 */
function scannable(h: Hunk): { text: string; base: number; headerLine?: number } | undefined {
  const shown = hunkText(h);
  if (!shown) return undefined;
  const { rows, first, base } = shown;
  const code = stripC(rows.join('\n')).code;
  const depth = unmatchedClosesIn(code);
  // the hunk starts at the function's opening brace: its head is the line above, which the hunk header names
  const atBrace = depth === 0 && /^\s*\{/.test(code);
  let headerLine: number | undefined;
  if (depth > 0 || atBrace) {
    let head = h.section.trim();
    const parsed = head ? parseHead(head) : undefined;
    if (parsed && parsed.returnType !== '' && !/[;{}=]/.test(head)) {
      const opens = (head.match(/\(/g) ?? []).length - (head.match(/\)/g) ?? []).length;
      head = `${head.replace(/,\s*$/, '')}${')'.repeat(Math.max(0, opens))}`;
    } else head = '';
    if (atBrace && !head) return { text: rows.join('\n'), base };
    const prefix = `${head} ${'{'.repeat(depth)}`;
    if (first >= 2) rows[first - 2] = prefix;
    else rows[0] = `${prefix} ${rows[0]}`;
    if (head) headerLine = Math.max(1, first - 1);
  }
  return { text: rows.join('\n'), base, ...(headerLine ? { headerLine } : {}) };
}

/** The scan's lines are rows of the hunk's text: move them to the file's real lines. */
function shiftLines(f: ScannedFile, by: number): void {
  if (by === 0) return;
  for (const fn of f.functions) {
    fn.line += by;
    if (fn.failLine !== undefined) fn.failLine += by;
  }
  for (const p of f.prototypes) p.line += by;
  for (const m of f.macros) m.line += by;
  for (const site of Object.values(f.sites)) if (site.at !== undefined) site.at += by;
}

const FN_POINTER = /(^|[;{},(]|\btypedef\b)\s*((?:(?:const|volatile|struct|enum|union|unsigned|signed|static)\s+)*[A-Za-z_]\w*(?:\s+[A-Za-z_]\w*)*\s*\**)\s*\(\s*\*\s*([A-Za-z_]\w*)\s*\)\s*\(/g;

/** `int (*init)(void);` in a struct, `int (*cb)(void *)` in a parameter list: function-pointer declarations. */
/** Where the declaration's type (group 2) starts: the line it stands on, not the `;` before it. */
const startOf = (m: RegExpMatchArray): number => m.index! + m[0].indexOf(m[2]!, m[1]!.length);

interface PointerDecl {
  name: string;
  returnType: string;
  line: number;
  kind: 'member' | 'parameter';
  mustCheck: boolean;
  via?: { type: string; file: string; line: number };
}

function functionPointers(code: string, at: (offset: number) => number): PointerDecl[] {
  const out: PointerDecl[] = [];
  for (const m of code.matchAll(FN_POINTER)) {
    const words = m[2]!.trim().split(/\s+/);
    if (m[1] === 'typedef' || words.includes('typedef') || words.some((w) => /^(?:return|if|while|for|sizeof|case|else)$/.test(w))) continue;
    const mustCheck = words.includes('__must_check');
    const returnType = cleanType(m[2]!.replace(/\b__must_check\b|\bstatic\b/g, ' ').trim());
    out.push({ name: m[3]!, returnType, line: at(startOf(m)), kind: m[1] === '(' || m[1] === ',' ? 'parameter' : 'member', mustCheck });
  }
  return out;
}

interface FnType {
  returnType: string;
  mustCheck: boolean;
  line: number;
  file?: string;
}

/** `typedef int (*node_fn)(...)`: function-pointer types by name, with their return type. */
function functionPointerTypes(code: string, at: (offset: number) => number): Map<string, FnType> {
  const out = new Map<string, FnType>();
  for (const m of code.matchAll(FN_POINTER)) {
    const words = m[2]!.trim().split(/\s+/);
    if (m[1] !== 'typedef' && !words.includes('typedef')) continue;
    const type = m[2]!.replace(/\b(?:typedef|__must_check|static)\b/g, ' ').trim();
    out.set(m[3]!, { returnType: cleanType(type), mustCheck: words.includes('__must_check'), line: at(startOf(m)) });
  }
  return out;
}

/** Members and parameters declared with a function-pointer type name (`node_fn fn` in a parameter list, `node_fn init;` in a struct). */
function typedPointers(code: string, types: Map<string, FnType>, at: (offset: number) => number): PointerDecl[] {
  const out: PointerDecl[] = [];
  if (types.size === 0) return out;
  for (const m of code.matchAll(/(^|[;{},(])\s*(?:const\s+)?([A-Za-z_]\w*)\s+(?:const\s+)?([A-Za-z_]\w*)\s*(?=[;,)])/g)) {
    const t = types.get(m[2]!);
    if (!t) continue;
    out.push({
      name: m[3]!,
      returnType: t.returnType,
      mustCheck: t.mustCheck,
      line: at(startOf(m)),
      kind: m[1] === '(' || m[1] === ',' ? 'parameter' : 'member',
      via: { type: m[2]!, file: t.file ?? '', line: t.line },
    });
  }
  return out;
}

/** Whether the first `{` at or after `from` has its matching `}` in the text. */
function bodyCloses(code: string, from: number): boolean {
  const open = code.indexOf('{', from);
  if (open < 0) return false;
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 123) depth += 1;
    else if (c === 125 && --depth === 0) return true;
  }
  return false;
}

/** A hunk's post-image lines, in order. */
const shownLines = (h: Hunk): { line: number; text: string }[] =>
  h.lines.filter((l) => l.kind !== 'del' && l.newLine !== undefined).map((l) => ({ line: l.newLine!, text: l.text }));

/** How far (lines) a comment the hunk ends with may stand above the next hunk, whose header names the function. */
const MAX_DOC_GAP = 40;

/** A sentence that says the function returns NULL when it fails or finds nothing. */
const DOC_NULL = /(?:\breturns?\b|\breturn value\b|\breturned\b)[^.;]*\bNULL\b|\bNULL\s+(?:otherwise|on (?:failure|error)|if (?:not found|none|no\b|nothing|there is no|it (?:fails|cannot|can't))|when (?:not found|none|no\b|nothing|there is no))/i;
/** A sentence that says the function returns an error code. */
const DOC_ERRNO = /(?:\breturns?\b|\breturn value\b|\breturned\b|^\s*-E[A-Z0-9]{2,}\b)[^.;]*?(?:-E[A-Z0-9]{2,}\b|\bnegative (?:errno|error)|\berror (?:code|value|status)|\berrno\b|\bTEE_ERROR_[A-Z0-9_]+|\b(?:non-?zero|< ?0) (?:on|in case of|if|when) (?:failure|error))/i;
/** The same sentence says the opposite ("never returns NULL", "cannot fail"). */
const DOC_DENIES = /\b(?:never|not|cannot|can't|won't|doesn't|does not|don't)\b[^.;]*\b(?:NULL|fail|error)|\bnon-NULL\b|\bmust\b[^.;]*\bNULL\b|\balways\b/i;

/** The claim a comment's text makes about the return value of a function with this return type. */
function docClaim(comment: string, returnType: string): { convention: 'null' | 'errno'; quote: string } | undefined {
  // One line of text per comment row; a blank row or a parameter's description (`@len: ...`) starts a new sentence.
  const rows = comment.split('\n').map((r) => r.replace(/\/\*+|\*+\/|^\s*\*+|^\s*\/\/+/g, ' ').trim());
  const text = rows.map((r) => (r === '' || /^@\w+\s*:/.test(r) ? `\u2029${r}` : r)).join(' ').replace(/[ \t]+/g, ' ').trim();
  const pointer = returnType.includes('*');
  const integer = !pointer && /^(?:signed\s+)?(?:int|long|s8|s16|s32|s64|int8_t|int16_t|int32_t|int64_t|ssize_t|TEE_Result|long\s+long)$/.test(returnType.trim());
  if (!pointer && !integer) return undefined;
  // sentences: a full stop followed by a space, or a semicolon
  const sentences = text.split(/(?<=[.;])\s+|\s*\u2029\s*/).filter((t) => t !== '');
  for (const [i, sentence] of sentences.entries()) {
    // what a parameter may be (`@elem: the element or NULL`) is not what the function returns
    if (DOC_DENIES.test(sentence) || /^@\w+\s*:/.test(sentence)) continue;
    // "... returns the address of the table. NULL otherwise.": the sentence before says what is returned
    const quote = i > 0 && !/\breturn/i.test(sentence) ? `${sentences[i - 1]} ${sentence}` : sentence;
    if (pointer && DOC_NULL.test(sentence)) return { convention: 'null', quote };
    if (integer && DOC_ERRNO.test(sentence)) return { convention: 'errno', quote };
  }
  return undefined;
}

/**
 * The comments of a file's hunks that stand right above a function head, with what they say it returns on
 * failure (see Documented).
 */
function documentedIn(path: string, hunks: readonly Hunk[], into: Map<string, Documented>): void {
  for (let i = 0; i < hunks.length; i++) {
    const rows = shownLines(hunks[i]!);
    for (let k = 0; k < rows.length; k++) {
      const open = rows[k]!.text.trimStart();
      if (!open.startsWith('/*')) continue;
      // the comment's last row
      let end = k;
      while (end < rows.length && !rows[end]!.text.includes('*/')) end++;
      // a comment the hunk ends inside: its close and what follows are in the gap before the next hunk
      const open_ = end >= rows.length;
      if (open_) end = rows.length - 1;
      const comment = rows.slice(k, end + 1).map((r) => r.text).join('\n');
      const last = rows[end]!;
      k = end;
      // code after the comment's close on the same row: not a comment above a head
      if (!open_ && last.text.slice(last.text.indexOf('*/') + 2).trim() !== '') continue;
      let head: { name: string; returnType: string } | undefined;
      if (end + 1 < rows.length) {
        // the head, on the rows right below (a long one wraps): up to the row that opens the parameter list
        let text = '';
        for (let j = end + 1; j < Math.min(rows.length, end + 4); j++) {
          if (rows[j]!.line !== last.line + (j - end)) break;
          text += ` ${rows[j]!.text}`;
          if (text.includes('(')) break;
        }
        const parsed = /^\s*[A-Za-z_]/.test(rows[end + 1]!.text) ? parseHead(text) : undefined;
        if (parsed?.returnType) head = { name: parsed.name, returnType: parsed.returnType };
      } else if (i + 1 < hunks.length) {
        // the hunk ends with the comment; the next one starts inside the function its header names
        const next = hunks[i + 1]!;
        const nextRows = shownLines(next);
        const section = next.section.trim();
        const parsed = section && !/[;{}=]/.test(section) ? parseHead(section) : undefined;
        if (parsed?.returnType && nextRows.length > 0 && nextRows[0]!.line - last.line <= MAX_DOC_GAP
          && unmatchedCloses(nextRows.map((r) => r.text).join('\n')) > 0) head = { name: parsed.name, returnType: parsed.returnType };
      }
      if (!head) continue;
      const returnType = cleanType(head.returnType.replace(/\b(?:static|inline|__inline__|extern|__init|__must_check)\b/g, ' ').trim());
      const claim = docClaim(comment, returnType);
      if (claim && !into.has(head.name)) into.set(head.name, { name: head.name, ...claim, returnType, file: path, line: last.line });
    }
  }
}

const sameAtom = (a: ReturnAtom, b: ReturnAtom): boolean => JSON.stringify(a) === JSON.stringify(b);

function addSites(into: Record<string, SiteCounts>, from: Record<string, SiteCounts>): void {
  for (const [callee, s] of Object.entries(from)) {
    const t = into[callee];
    if (!t) {
      into[callee] = { ...s };
      continue;
    }
    for (const k of ['ignored', 'voided', 'nonzeroErr', 'nonzero', 'zeroErr', 'zero', 'neg', 'isErr', 'eq1', 'used'] as const) t[k] += s[k];
    t.at ??= s.at;
  }
}

const isPointer = (d: PatchDeclaration): boolean => d.kind === 'member' || d.kind === 'parameter';

const RANK: Record<PatchDeclaration['kind'], number> = { definition: 0, prototype: 1, 'section-header': 2, member: 3, parameter: 4 };

/**
 * Learn from a patch's C files. `outside` answers for callees the patch does not define (the project's
 * knowledge base), so a function that returns what a known-fallible callee returns is learned as such.
 */
export function learnFromPatch(files: readonly FilePatch[], outside?: (name: string) => ApiFact | undefined): PatchKnowledge {
  const scanned = new Map<string, ScannedFile>();
  const decls = new Map<string, PatchDeclaration>();
  // A member name two structs of the patch declare with different return types says nothing about either.
  const ambiguous = new Set<string>();
  const declare = (key: string, d: PatchDeclaration): void => {
    const had = decls.get(key);
    if (had && (isPointer(had) || isPointer(d)) && had.returnType !== d.returnType) ambiguous.add(key);
    if (!had || RANK[d.kind] < RANK[had.kind] || (d.mustCheck && !had.mustCheck)) decls.set(key, had && had.mustCheck && !d.mustCheck ? { ...d, mustCheck: true } : d);
  };
  const pointer = (path: string, p: PointerDecl): void => {
    const d: PatchDeclaration = { name: p.name, returnType: p.returnType, mustCheck: p.mustCheck, file: path, line: p.line, kind: p.kind, ...(p.via ? { via: p.via } : {}) };
    declare(`->${p.name}`, d);
    if (p.kind === 'parameter') declare(p.name, d);
  };
  const codes: { path: string; code: string; at: (offset: number) => number }[] = [];
  const types = new Map<string, FnType>();
  const documented = new Map<string, Documented>();
  let budget = MAX_TEXT;
  for (const f of files) {
    const path = f.newPath ?? f.oldPath;
    if (!f.isC || !path || f.newPath === null) continue;
    if (budget > 0) documentedIn(path, f.hunks, documented);
    const merged: ScannedFile = { functions: [], prototypes: [], macros: [], sites: {}, members: {} };
    for (const h of f.hunks) {
      const s = scannable(h);
      if (!s) continue;
      // a patch's worth of text, not a pathological one's: what is past the budget is not learned from
      budget -= s.text.length;
      if (budget < 0) break;
      const one = scanFile(s.text);
      const { code } = stripC(s.text);
      const starts = lineStarts(code);
      const shape = new Map(one.functions.map((fn) => [fn, { fromHeader: s.headerLine !== undefined && fn.line === s.headerLine, complete: bodyCloses(code, starts[fn.line - 1] ?? 0) }]));
      shiftLines(one, s.base);
      for (const fn of one.functions) {
        const fromHeader = shape.get(fn)!.fromHeader;
        // the head is the hunk header's, not a line of the file: name the hunk's first line instead
        if (fromHeader) fn.line += 1;
        const complete = !fromHeader && shape.get(fn)!.complete;
        declare(fn.name, { name: fn.name, returnType: cleanType(fn.returnType), mustCheck: fn.mustCheck, file: path, line: fn.line, kind: fromHeader ? 'section-header' : 'definition', ...(complete ? { complete } : {}) });
        const same = merged.functions.find((g) => g.name === fn.name);
        if (!same) merged.functions.push({ ...fn, returns: [...fn.returns] });
        else mergeFunction(same, fn);
      }
      for (const p of one.prototypes) {
        merged.prototypes.push(p);
        declare(p.name, { name: p.name, returnType: cleanType(p.returnType), mustCheck: p.mustCheck, file: path, line: p.line, kind: 'prototype' });
      }
      merged.macros.push(...one.macros);
      addSites(merged.sites, one.sites);
      for (const [m, impls] of Object.entries(one.members ?? {})) {
        const list = (merged.members![m] ??= []);
        for (const i of impls) if (!list.includes(i)) list.push(i);
      }
      const at = (o: number): number => lineAt(starts, o) + s.base;
      codes.push({ path, code, at });
      for (const p of functionPointers(code, at)) pointer(path, p);
      for (const [name, t] of functionPointerTypes(code, at)) types.set(name, { ...t, file: path });
    }
    scanned.set(path, merged);
  }
  // Typedef'd function-pointer types may be declared in a later file (a header) than their members and parameters.
  for (const { path, code, at } of codes) for (const p of typedPointers(code, types, at)) pointer(path, p);
  // Two rounds: callees the patch only calls get what its callers' tests say (`if ( rc < 0 )`), then every
  // function's body is learned with those and the project's knowledge for what it does not define.
  const callers = learn(scanned);
  const seed = (name: string): ApiFact | undefined => {
    const known = outside?.(name);
    if (known && known.convention !== 'unknown') return known;
    const c = callers.get(name);
    return c && c.convention !== 'unknown' ? c : known;
  };
  const facts = learn(scanned, { outside: seed });
  // Members: the implementations the patch assigns (`.init = foo_init`) tell when a member returns values.
  for (const impls of [...scanned.values()].map((s) => s.members ?? {})) {
    for (const [member, names] of Object.entries(impls)) {
      const d = decls.get(`->${member}`);
      if (!d || d.computedBy) continue;
      for (const n of names) {
        const fn = [...scanned.values()].flatMap((s) => s.functions).find((g) => g.name === n);
        if (fn && fn.returns.some((a) => a.k === 'value' || a.k === 'one')) {
          decls.set(`->${member}`, { ...d, computedBy: n });
          break;
        }
      }
    }
  }
  // A status type's failure, in the type's own words, when the body does not name one (a witness states it).
  const withStatus = (f: ApiFact | undefined): ApiFact | undefined => {
    const status = statusTypeOf(f?.returnType);
    return f && status && f.convention === 'errno' && !f.failValues?.length ? { ...f, failValues: [status.failure] } : f;
  };
  return {
    fact(name) {
      const own = facts.get(name);
      if (own && decls.has(name)) return withStatus(own);
      const member = memberKey(name);
      return member ? withStatus(facts.get(member)) : undefined;
    },
    declaration(name) {
      const key = decls.has(name) ? name : memberKey(name) ?? '';
      return ambiguous.has(key) ? undefined : decls.get(key);
    },
    documented(name) {
      return documented.get(name);
    },
  };
}

function mergeFunction(into: ScannedFunction, fn: ScannedFunction): void {
  for (const a of fn.returns) if (!into.returns.some((r) => sameAtom(r, a))) into.returns.push(a);
  if (into.failLine === undefined && fn.failLine !== undefined) into.failLine = fn.failLine;
  if (fn.mustCheck) into.mustCheck = true;
}
