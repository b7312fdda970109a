// The lexical pass over one file: function definitions (what their `return`s return), prototypes,
// function-like macros that wrap a call, and how every call's result is used. No parser: a tree's
// worth of files has to be read in seconds, and this only needs statement-level shapes.
import { parseHead } from '../c/declarator.ts';
import { lineStarts, rowAt } from '../c/lines.ts';
import { dispatchedMember, dispatchedMemberName } from './dispatch.ts';
import { STATUS_TYPES } from './status-types.ts';
import { stripC } from './strip.ts';
import type { ReturnAtom, ScannedFile, ScannedFunction, ScannedMacro, SiteCounts } from './types.ts';

const NOT_CALLS = new Set([
  'if', 'while', 'for', 'switch', 'return', 'sizeof', 'typeof', '__typeof__', '__typeof', 'alignof', '_Alignof',
  '__alignof__', 'defined', 'asm', '__asm__', '__asm', 'volatile', '__volatile__', 'case', 'do', 'else', 'goto',
  '__attribute__', '__builtin_expect', 'likely', 'unlikely', 'offsetof', 'ARRAY_SIZE', 'BUILD_BUG_ON', '_Static_assert',
]);

const isMustCheck = (annotations: readonly string[]): boolean =>
  annotations.some((a) => a === '__must_check' || /warn_unused_result/.test(a));

/** Index of the paren matching the one at `open`, or -1. */
export function matchParen(text: string, open: number, limit = text.length): number {
  let depth = 0;
  for (let i = open; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) depth += 1;
    else if (c === 41) {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function matchBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123) depth += 1;
    else if (c === 125) {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

export { lineStarts };

/** The 1-based line holding `offset`, by binary search over `lineStarts()`. */
export function lineAt(starts: readonly number[], offset: number): number {
  return rowAt(starts, offset) + 1;
}

const ERRNO = /^-\s*\(?\s*(E[A-Z0-9_]+)\s*\)?$/;

/** Peel casts, parens and `likely()` off an expression. */
function peel(expr: string): string {
  let e = expr.trim();
  for (let guard = 0; guard < 8; guard++) {
    const cast = /^\(\s*(?:const\s+|unsigned\s+|signed\s+|struct\s+)*[A-Za-z_]\w*(?:\s+\w+)*\s*\**\s*\)\s*(?=[\w(-])/.exec(e);
    if (cast && !/^\(\s*-/.test(e)) {
      e = e.slice(cast[0].length).trim();
      continue;
    }
    if (e.startsWith('(') && matchParen(e, 0) === e.length - 1) {
      e = e.slice(1, -1).trim();
      continue;
    }
    break;
  }
  return e;
}

/** What one returned expression says, without looking at variables. */
export function classifyExpr(raw: string): ReturnAtom {
  const e = peel(raw);
  if (e === '') return { k: 'value' };
  const errno = ERRNO.exec(e);
  if (errno) return { k: 'errno', v: `-${errno[1]}` };
  if (/^-\s*\d+[uUlL]*$/.test(e)) return { k: 'errno', v: e.replace(/\s+/g, '') };
  // a negated error constant of a bundled library (libfdt's `-FDT_ERR_NOTFOUND`)
  const libErr = /^-\s*\(?\s*([A-Z][A-Z0-9]*_ERR_[A-Z0-9_]+)\s*\)?$/.exec(e);
  if (libErr) return { k: 'errno', v: `-${libErr[1]}` };
  // GlobalPlatform TEE status codes (OP-TEE): TEE_SUCCESS is 0, every TEE_ERROR_* is a failure.
  if (/^TEE_ERROR_\w+$/.test(e)) return { k: 'errno', v: e };
  if (e === 'TEE_SUCCESS') return { k: 'zero' };
  if (/^(?:0|0[xX]0+|0[uUlL]+|false|FALSE)$/.test(e)) return { k: 'zero' };
  if (/^(?:1|1[uUlL]*|true|TRUE)$/.test(e)) return { k: 'one' };
  if (/^(?:NULL|nullptr|\(\s*void\s*\*\s*\)\s*0)$/.test(e)) return { k: 'null' };
  const errPtr = /^ERR_PTR\s*\((.*)\)$/s.exec(e);
  if (errPtr) {
    const inner = ERRNO.exec(peel(errPtr[1]!));
    return inner ? { k: 'err-ptr', v: `ERR_PTR(-${inner[1]})` } : { k: 'err-ptr' };
  }
  if (/^(?:ERR_CAST|ERR_PTR)\b/.test(e)) return { k: 'err-ptr' };
  if (/^PTR_ERR\s*\(/.test(e)) return { k: 'errno', v: 'PTR_ERR()' };
  // an indirect call through a member (`ops->suspend(d)`): keyed by the member, learned from initialisers
  const member = memberCall(e);
  if (member) return { k: 'call', callee: `->${member}` };
  const call = /^([A-Za-z_]\w*)\s*\(/.exec(e);
  if (call && !NOT_CALLS.has(call[1]!) && matchParen(e, call[0].length - 1) === e.length - 1) {
    return { k: 'call', callee: dispatchedCallee(call[1]!, e, call[0].length - 1, e.length - 1) ?? call[1]! };
  }
  return { k: 'value' };
}

/**
 * A dispatch macro's call (`iommu_call(ops, map_page, d, ..)`, `alternative_call(hvm_funcs.set_info_guest, v)`)
 * is a call of the member it dispatches (`->map_page`): its callers and the wrappers returning it are that
 * member's (dispatch.ts). `open`/`close` are the offsets of its parentheses in `text`.
 */
function dispatchedCallee(name: string, text: string, open: number, close: number): string | undefined {
  const index = dispatchedMember(name);
  if (index === undefined) return undefined;
  const args: string[] = [];
  let depth = 0;
  let from = open + 1;
  for (let i = open + 1; i < close && args.length <= index; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth += 1;
    else if (c === ')' || c === ']' || c === '}') depth -= 1;
    else if (c === ',' && depth === 0) {
      args.push(text.slice(from, i));
      from = i + 1;
    }
  }
  if (args.length <= index) args.push(text.slice(from, close));
  const member = args[index] === undefined ? undefined : dispatchedMemberName(args[index]!);
  return member ? `->${member}` : undefined;
}

const IDENT = /^[A-Za-z_]\w*$/;

/** `ops->suspend(d)`, `hash_ops(ctx)->init(ctx)`: the member called last, when the call is the whole expression. */
function memberCall(e: string): string | undefined {
  if (!e.endsWith(')')) return undefined;
  let depth = 0;
  let open = -1;
  for (let i = e.length - 1; i >= 0; i--) {
    if (e[i] === ')') depth += 1;
    else if (e[i] === '(' && --depth === 0) {
      open = i;
      break;
    }
  }
  if (open <= 0) return undefined;
  const m = /(?:->|\.)\s*([A-Za-z_]\w*)\s*$/.exec(e.slice(0, open));
  if (!m) return undefined;
  // the object part must be one postfix expression, not `a + b->f(x)`
  return /^[\w\s>.()[\]*&-]*$/.test(e.slice(0, m.index)) && !/[+*&]\s*$|\s[+-]\s/.test(e.slice(0, m.index)) ? m[1]! : undefined;
}

/** The brace depth at an offset of a body (0: a statement of the body's outermost block), by binary search. */
function braceDepths(body: string): (at: number) => number {
  const pos: number[] = [];
  const depth: number[] = [];
  let d = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c !== 123 && c !== 125) continue;
    d += c === 123 ? 1 : -1;
    pos.push(i);
    depth.push(d);
  }
  return (at) => {
    let lo = 0;
    let hi = pos.length; // first brace at or after `at`
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pos[mid]! < at) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : depth[lo - 1]!;
  };
}

/** A statement label (`out:`, not `case X:` or `default:`) anywhere in [from, to) of the body. */
function hasLabel(body: string, from: number, to: number): boolean {
  for (const m of body.slice(from, to).matchAll(/(?:^|[;{}])\s*([A-Za-z_]\w*)\s*:(?!:)/g)) if (m[1] !== 'default') return true;
  return false;
}

/**
 * The values a variable can hold when returned at `returnAt`: its assignments in the body (one level deep).
 * Assignments are left out when a later one, a statement of the body's outermost block before the return,
 * always overwrites them on the way (`T *v = NULL; ... v = &tab[i]; return v;`): a declaration's initialiser
 * is not what such a return returns. A label between that overwrite and the return keeps them (a `goto` may
 * jump past the overwrite).
 */
function variableAtoms(body: string, name: string, returnAt = body.length, depthAt: (at: number) => number = braceDepths(body)): ReturnAtom[] {
  const atoms: ReturnAtom[] = [];
  const re = new RegExp(`(?<![\\w.>])${name}\\s*=(?!=)([^;]*);`, 'g');
  const matches = [...body.matchAll(re)];
  // the last unconditional overwrite before the return
  let killAt = -1;
  for (let i = matches.length - 1; i >= 0; i--) {
    const at = matches[i]!.index;
    if (at >= returnAt) continue;
    if (!/(?:^|[;{}])\s*$/.test(body.slice(Math.max(0, at - 40), at))) continue; // part of a declaration or condition
    if (depthAt(at) !== 0) continue;
    if (!hasLabel(body, at, returnAt)) killAt = at;
    break;
  }
  for (const m of matches) {
    if (m.index < killAt) continue;
    const rhs = m[1]!;
    // `a = b = -EINVAL`: the last right-hand side is the value
    const last = rhs.split(/(?<![=!<>])=(?!=)/).pop()!;
    const atom = classifyExpr(last);
    if (atom.k === 'value' && IDENT.test(peel(last))) continue; // copied from another variable: unknown, skip
    atoms.push(atom);
    if (atoms.length > 64) break;
  }
  return atoms;
}

/** Where a test's branch goes: true when it leaves with an error (goto, an errno, NULL, a crash). */
function branchHandlesError(code: string, afterCond: number): boolean {
  const window = code.slice(afterCond, afterCond + 240);
  let body = window;
  const trimmed = window.trimStart();
  if (trimmed.startsWith('{')) {
    const close = window.indexOf('}');
    body = close < 0 ? window : window.slice(0, close);
  } else {
    const semi = window.indexOf(';');
    body = semi < 0 ? window : window.slice(0, semi + 1);
  }
  return /\bgoto\s+\w+|\breturn\s*\(?\s*-|\breturn\s+(?:ERR_PTR|NULL|false|\w*(?:rc|ret|err|error|status|res)\b)|\b(?:BUG|panic|domain_crash\w*|WARN)\s*\(|=\s*-\s*E[A-Z]|\bbreak\s*;|\bTEE_ERROR_|\b(?:printk|dprintk|gdprintk|printf|EMSG|DMSG|IMSG)\s*\(/.test(
    body,
  );
}

function bump(sites: Record<string, SiteCounts>, callee: string, key: keyof Omit<SiteCounts, 'at'>, line?: number): void {
  let s = sites[callee];
  if (!s) {
    s = { ignored: 0, voided: 0, nonzeroErr: 0, nonzero: 0, zeroErr: 0, zero: 0, neg: 0, isErr: 0, eq1: 0, used: 0 };
    sites[callee] = s;
  }
  s[key] += 1;
  if (line !== undefined && s.at === undefined && key !== 'ignored' && key !== 'used' && key !== 'voided') s.at = line;
}

/** `v )`, `v != NULL )`, `v != 0 )`, or `v != SUCCESS )` of a status type (`TEE_SUCCESS`, U-Boot's `EFI_SUCCESS`, `AE_OK`). */
const NONZERO_TEST = new RegExp(`^\\s*(?:!=\\s*(?:NULL|0|${STATUS_TYPES.map((t) => t.success).join('|')})\\b)?\\s*\\)`);

/**
 * How the value at [from, to) in `code` is tested: `if ( v )`, `!v`, `v < 0`, `IS_ERR(v)`, `v == 1`.
 * Returns the kind and the offset just after the `if` condition (to look at the branch).
 */
function testAt(code: string, from: number, to: number): { kind: keyof Omit<SiteCounts, 'at'>; condEnd: number } | undefined {
  const pre = code.slice(Math.max(0, from - 60), from);
  const post = code.slice(to, to + 24);
  const ifMatch = /\b(if|while)\s*\(([^;{}]*)$/.exec(pre);
  let condEnd = -1;
  if (ifMatch) {
    const open = from - pre.length + ifMatch.index + ifMatch[0].length - ifMatch[2]!.length - 1;
    const close = matchParen(code, open, Math.min(code.length, open + 2000));
    condEnd = close < 0 ? -1 : close + 1;
  }
  const before = pre.replace(/\s+$/, '');
  // `!v->member`, `v.field == 0`, `v[i] < 0`: a test of what the value points to, not of the value
  if (/^\s*(?:->|\.(?!\.)|\[)/.test(post)) return undefined;
  let kind: keyof Omit<SiteCounts, 'at'> | undefined;
  if (/\bIS_ERR(?:_OR_NULL)?\s*\(\s*$/.test(before)) kind = 'isErr';
  else if (/^\s*(?:<\s*0|>=\s*0|<=\s*-)/.test(post) || /\b0\s*>\s*$/.test(before)) kind = 'neg';
  else if (/^\s*(?:==|!=)\s*1\b/.test(post)) kind = 'eq1';
  else if (/^\s*(?:==\s*(?:NULL|0)\b)/.test(post) || /!\s*(?:\(\s*)?(?:(?:un)?likely\s*\(\s*)?$/.test(before)) kind = 'zero';
  else if (NONZERO_TEST.test(post) && ifMatch) kind = 'nonzero';
  if (!kind) return undefined;
  return { kind, condEnd };
}

/** Record how one call's result is used; `assigned` is the variable it is stored in, if any. */
function recordSite(body: string, nameAt: number, closeAt: number, callee: string, sites: Record<string, SiteCounts>, line: number): void {
  const pre = body.slice(Math.max(0, nameAt - 40), nameAt);
  const after = body.slice(closeAt + 1, closeAt + 12);
  if (/\(\s*void\s*\)\s*$/.test(pre)) {
    bump(sites, callee, 'voided');
    return;
  }
  if (/^\s*;/.test(after) && /(?:^|[;{}:]|\belse|\)\s*)\s*$/.test(pre) && !/\breturn\s*$/.test(pre) && !/[=,(]\s*$/.test(pre)) {
    // `) f();` after a condition also lands here: the call is a statement either way.
    if (!/\b(?:if|while|for)\s*\([^;]*\)\s*$/.test(pre) || /\)\s*$/.test(pre)) {
      bump(sites, callee, 'ignored');
      return;
    }
  }
  const direct = testAt(body, nameAt, closeAt + 1);
  if (direct) {
    const err = direct.condEnd >= 0 && branchHandlesError(body, direct.condEnd);
    const kind = direct.kind === 'nonzero' ? (err ? 'nonzeroErr' : 'nonzero') : direct.kind === 'zero' ? (err ? 'zeroErr' : 'zero') : direct.kind;
    bump(sites, callee, kind, line);
    return;
  }
  const assign = /(?:^|[^=!<>])\b([A-Za-z_]\w*)\s*=\s*(?:\([^()]*\)\s*)?$/.exec(pre);
  if (assign && /^\s*;/.test(after)) {
    const v = assign[1]!;
    // the next use of the variable decides
    const rest = body.slice(closeAt + 1, closeAt + 600);
    const use = new RegExp(`(?<![\\w.>])${v}\\b`).exec(rest);
    if (use) {
      const at = closeAt + 1 + use.index;
      const t = testAt(body, at, at + v.length);
      if (t) {
        const err = t.condEnd >= 0 && branchHandlesError(body, t.condEnd);
        const kind = t.kind === 'nonzero' ? (err ? 'nonzeroErr' : 'nonzero') : t.kind === 'zero' ? (err ? 'zeroErr' : 'zero') : t.kind;
        bump(sites, callee, kind, line);
        return;
      }
    }
  }
  bump(sites, callee, 'used');
}

function scanBody(code: string, bodyStart: number, bodyEnd: number, starts: number[], sites: Record<string, SiteCounts>): { returns: ReturnAtom[]; failLine?: number } {
  const body = code.slice(bodyStart, bodyEnd);
  let depthAt: ((at: number) => number) | undefined;
  const returns: ReturnAtom[] = [];
  let failLine: number | undefined;
  for (const m of body.matchAll(/\breturn\b([^;]*);/g)) {
    const expr = m[1]!.trim();
    let atoms = [classifyExpr(expr)];
    const peeled = peel(expr);
    // a variable (not an upper-case constant): what its assignments put in it
    if (atoms[0]!.k === 'value' && IDENT.test(peeled) && !/^[A-Z][A-Z0-9_]*$/.test(peeled)) {
      atoms = variableAtoms(body, peeled, m.index, (depthAt ??= braceDepths(body)));
      if (atoms.length === 0) atoms = [{ k: 'value' }];
    }
    for (const a of atoms) {
      if (failLine === undefined && (a.k === 'errno' || a.k === 'err-ptr' || a.k === 'null')) failLine = lineAt(starts, bodyStart + m.index);
      if (!returns.some((r) => sameAtom(r, a))) returns.push(a);
    }
  }
  for (const m of body.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
    const name = m[1]!;
    if (NOT_CALLS.has(name)) continue;
    const open = m.index + m[0].length - 1;
    const close = matchParen(body, open, Math.min(body.length, open + 4000));
    if (close < 0) continue;
    // a declaration like `int (*fn)(void)` or a cast is not a call
    if (/[\w)\]]\s*$/.test(body.slice(Math.max(0, m.index - 2), m.index)) && /\b(?:struct|union|enum)\s+$/.test(body.slice(Math.max(0, m.index - 12), m.index))) continue;
    const viaMember = /(?:->|\.)\s*$/.test(body.slice(Math.max(0, m.index - 4), m.index));
    const callee = viaMember ? `->${name}` : (dispatchedCallee(name, body, open, close) ?? name);
    recordSite(body, m.index, close, callee, sites, lineAt(starts, bodyStart + m.index));
  }
  return { returns, failLine };
}

const sameAtom = (a: ReturnAtom, b: ReturnAtom): boolean => JSON.stringify(a) === JSON.stringify(b);

function scanMacro(text: string, line: number): ScannedMacro | undefined {
  const m = /^#\s*define\s+([A-Za-z_]\w*)\(([^)]*)\)\s*(.*)$/s.exec(text);
  if (!m) return undefined;
  const name = m[1]!;
  // a statement macro (`do { ... } while (0)`, a block, a GNU statement expression) yields no value we can read
  if (/^(?:do\b|\{|\(\s*\{|if\b|for\b|while\b|switch\b)/.test(m[3]!.trim())) return { name, line };
  let body = peel(m[3]!.trim());
  const q = topLevelQuestion(body);
  if (q >= 0) body = peel(body.slice(q + 1).split(/:(?![^(]*\))/)[0] ?? '');
  const atom = classifyExpr(body);
  if (atom.k === 'call') return atom.callee === name ? undefined : { name, line, wraps: atom.callee };
  if (atom.k === 'errno' || atom.k === 'null' || atom.k === 'err-ptr') return { name, line, returns: atom };
  return { name, line };
}

function topLevelQuestion(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (c === '?' && depth === 0) return i;
  }
  return -1;
}

/** Everything the knowledge base learns from one file's text. */
export function scanFile(text: string): ScannedFile {
  const { code, directives } = stripC(text);
  const starts = lineStarts(code);
  const functions: ScannedFunction[] = [];
  const prototypes: ScannedFile['prototypes'] = [];
  const sites: Record<string, SiteCounts> = {};
  const macros: ScannedMacro[] = [];
  // `.suspend = foo_suspend,` in an initialiser, or `ops->suspend = foo_suspend;` in a body: foo_suspend() is
  // one implementation of ->suspend (names that are not functions of the tree are dropped when learning)
  const members: Record<string, string[]> = {};
  for (const m of code.matchAll(/(?:\.|->)\s*([A-Za-z_]\w*)\s*=\s*&?\s*([A-Za-z_]\w*[a-z]\w*)\s*(?=[,;}])/g)) {
    const list = (members[m[1]!] ??= []);
    if (!list.includes(m[2]!)) list.push(m[2]!);
  }
  for (const d of directives) {
    const macro = scanMacro(d.text, d.line);
    if (macro) macros.push(macro);
  }
  let headStart = 0;
  let i = 0;
  const n = code.length;
  while (i < n) {
    const c = code.charCodeAt(i);
    if (c === 59 /* ; */) {
      const head = code.slice(headStart, i);
      if (head.includes('(') && head.length < 2000) {
        const h = parseHead(head);
        if (h && h.returnType !== '' && !/=/.test(h.specifiers) && !/\btypedef\b/.test(h.specifiers)) {
          prototypes.push({ name: h.name, line: lineAt(starts, headStart + head.search(/\S/)), returnType: h.returnType, mustCheck: isMustCheck(h.annotations) });
        }
      }
      headStart = i + 1;
      i += 1;
      continue;
    }
    if (c === 123 /* { */) {
      const close = matchBrace(code, i);
      const end = close < 0 ? n : close;
      const head = code.slice(headStart, i);
      const trimmedHead = head.trim();
      if (trimmedHead.endsWith(')') || /\)\s*(?:__\w+(?:\s*\(\([^)]*\)\))?\s*)+$/.test(trimmedHead)) {
        const h = head.length < 2000 ? parseHead(head) : undefined;
        if (h && h.returnType !== '' && !/=/.test(h.specifiers) && !/\b(?:struct|union|enum)\s*$/.test(h.specifiers)) {
          const { returns, failLine } = scanBody(code, i + 1, end, starts, sites);
          const line = lineAt(starts, headStart + head.search(/\S/));
          functions.push({ name: h.name, line, returnType: h.returnType, mustCheck: isMustCheck(h.annotations), returns, ...(failLine ? { failLine } : {}) });
        }
      }
      i = end + 1;
      // `struct x { ... } name;` and initialisers continue the same declaration up to `;`
      if (!(trimmedHead.endsWith(')') || trimmedHead === '')) continue;
      headStart = i;
      continue;
    }
    i += 1;
  }
  return { functions, prototypes, macros, sites, members };
}
