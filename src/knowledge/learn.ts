// From scanned files to facts: each function's convention from what its bodies return (following
// returned calls and macro wrappers to a fixpoint), then from how its callers test it. Declared
// `int` alone decides nothing.
import type { ApiFact, Convention, ReturnAtom, ScannedFile, SiteCounts } from './types.ts';
import { statusTypeOf } from './status-types.ts';

export interface LearnOptions {
  /** What is known of callees the files do not define (a patch learned against the project's knowledge base). */
  outside?: (name: string) => ApiFact | undefined;
}

interface Definition {
  file: string;
  line: number;
  returnType: string;
  returns: ReturnAtom[];
  failLine?: number;
}

interface Entry {
  name: string;
  defs: Definition[];
  returnType?: string;
  mustCheck: boolean;
  mustCheckAt?: string;
  macro?: { file: string; line: number; wraps?: string; returns?: ReturnAtom };
  /** For `->member` entries: the functions initialisers put in the member. */
  impls?: Set<string>;
  sites?: SiteCounts & { callers: number; atFile?: string };
}

/** What a body-derived summary holds after following calls. */
interface Summary {
  errnos: Set<string>;
  zero: boolean;
  one: boolean;
  nul: boolean;
  errPtrs: Set<string>;
  errPtr: boolean;
  value: boolean;
  /** Returns the result of a call we know nothing about. */
  opaque: boolean;
  /** Source for people. */
  where?: string;
  via?: string;
}

const ANNOTATION_WORD = /^(?:cf_check|__\w+|asmlinkage|noinline|notrace|EFIAPI|TEE_API|__noreturn)$/;
const UNDERSCORE_TYPE = /^__(?:u|s|le|be)(?:8|16|32|64|128)$/;

/** The return type without calling-convention words (`int cf_check` -> `int`). */
export function cleanType(t: string): string {
  return t
    .split(/\s+/)
    .filter((w) => w !== '' && (!ANNOTATION_WORD.test(w) || UNDERSCORE_TYPE.test(w)))
    .join(' ')
    .replace(/\s+\*/g, ' *');
}

const isPointer = (t: string | undefined): boolean => !!t && t.includes('*');
const isVoid = (t: string | undefined): boolean => !!t && /^(?:static\s+)?void$/.test(t.trim());
const isUnsigned = (t: string | undefined): boolean => !!t && /\bunsigned\b|\bsize_t\b|^u(?:8|16|32|64)$|^uint\d+_t$|^paddr_t$|^mfn_t$/.test(t);
const isBool = (t: string | undefined): boolean => !!t && /^(?:bool|bool_t|_Bool)$/.test(t.trim());

function emptySummary(): Summary {
  return { errnos: new Set(), zero: false, one: false, nul: false, errPtrs: new Set(), errPtr: false, value: false, opaque: false };
}

const ERRNO_ORDER = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function learn(files: Map<string, ScannedFile>, options: LearnOptions = {}): Map<string, ApiFact> {
  const entries = new Map<string, Entry>();
  const entry = (name: string): Entry => {
    let e = entries.get(name);
    if (!e) {
      e = { name, defs: [], mustCheck: false };
      entries.set(name, e);
    }
    return e;
  };
  for (const [file, scanned] of files) {
    for (const p of scanned.prototypes) {
      const e = entry(p.name);
      if (!e.returnType) e.returnType = cleanType(p.returnType);
      if (p.mustCheck && !e.mustCheck) {
        e.mustCheck = true;
        e.mustCheckAt = `${file}:${p.line}`;
      }
    }
    for (const f of scanned.functions) {
      const e = entry(f.name);
      const returnType = cleanType(f.returnType);
      e.defs.push({ file, line: f.line, returnType, returns: f.returns, ...(f.failLine ? { failLine: f.failLine } : {}) });
      e.returnType = returnType;
      if (f.mustCheck && !e.mustCheck) {
        e.mustCheck = true;
        e.mustCheckAt = `${file}:${f.line}`;
      }
    }
    for (const m of scanned.macros) {
      const e = entry(m.name);
      if (!e.macro) e.macro = { file, line: m.line, ...(m.wraps ? { wraps: m.wraps } : {}), ...(m.returns ? { returns: m.returns } : {}) };
    }
    for (const [member, fns] of Object.entries(scanned.members ?? {})) {
      const e = entry(`->${member}`);
      e.impls ??= new Set();
      for (const f of fns) e.impls.add(f);
    }
    for (const [callee, s] of Object.entries(scanned.sites)) {
      const e = entry(callee);
      const t = e.sites ?? { ignored: 0, voided: 0, nonzeroErr: 0, nonzero: 0, zeroErr: 0, zero: 0, neg: 0, isErr: 0, eq1: 0, used: 0, callers: 0 };
      t.ignored += s.ignored;
      t.voided += s.voided;
      t.nonzeroErr += s.nonzeroErr;
      t.nonzero += s.nonzero;
      t.zeroErr += s.zeroErr;
      t.zero += s.zero;
      t.neg += s.neg;
      t.isErr += s.isErr;
      t.eq1 += s.eq1;
      t.used += s.used;
      t.callers += s.ignored + s.voided + s.nonzeroErr + s.nonzero + s.zeroErr + s.zero + s.neg + s.isErr + s.eq1 + s.used;
      if (t.at === undefined && s.at !== undefined) {
        t.at = s.at;
        t.atFile = file;
      }
      e.sites = t;
    }
  }

  // A member is declared like its implementations (only names that are functions of the tree count).
  for (const e of entries.values()) {
    if (!e.impls) continue;
    for (const f of [...e.impls]) {
      const impl = entries.get(f);
      if (!impl || impl.defs.length === 0) e.impls.delete(f);
      else e.returnType ??= impl.returnType;
    }
  }
  // A macro wrapper is declared like the function it wraps (followed through macro chains).
  for (const e of entries.values()) {
    let target = e;
    for (let hop = 0; hop < 6 && !e.returnType && target.defs.length === 0 && target.macro?.wraps; hop++) {
      target = entries.get(target.macro.wraps) ?? target;
      if (target.returnType) e.returnType = target.returnType;
    }
  }
  // Bodies to a fixpoint: a returned call contributes what the callee returns.
  const summaries = new Map<string, Summary>();
  const conventions = new Map<string, ApiFact>();
  for (let round = 0; round < 12; round++) {
    let changed = false;
    for (const e of entries.values()) {
      if (e.defs.length === 0 && !e.macro && !e.impls?.size) continue;
      const s = summarise(e, conventions, options.outside);
      const before = summaries.get(e.name);
      const key = summaryKey(s);
      if (!before || summaryKey(before) !== key) {
        summaries.set(e.name, s);
        changed = true;
      }
      const fact = decide(e, s);
      if (fact) conventions.set(e.name, fact);
      else conventions.delete(e.name);
    }
    if (!changed) break;
  }
  // Callers only (no body, no macro): libraries, assembly, other trees.
  for (const e of entries.values()) {
    if (conventions.has(e.name)) continue;
    const fact = fromCallers(e, undefined);
    if (fact) conventions.set(e.name, fact);
    else if (e.mustCheck || (e.returnType && !isVoid(e.returnType))) {
      conventions.set(e.name, {
        name: e.name,
        ...(e.returnType ? { returnType: e.returnType } : {}),
        ...(e.mustCheck ? { mustCheck: true } : {}),
        convention: 'unknown',
        source: e.mustCheck ? `declared __must_check at ${e.mustCheckAt}; its failure values are not known` : 'declared only; no body or caller shows how it fails',
      });
    }
  }
  for (const [name, fact] of conventions) {
    const c = entries.get(name)?.sites;
    if (!c) continue;
    const tested = c.nonzeroErr + c.nonzero + c.zeroErr + c.zero + c.neg + c.isErr + c.eq1;
    const dropped = c.ignored + c.voided;
    if (tested + dropped + c.used > 0) conventions.set(name, { ...fact, callers: { tested, dropped, ...(c.used ? { used: c.used } : {}) } });
  }
  return conventions;
}

function summaryKey(s: Summary): string {
  return [
    [...s.errnos].sort().join(','),
    s.zero,
    s.one,
    s.nul,
    [...s.errPtrs].sort().join(','),
    s.errPtr,
    s.value,
    s.opaque,
  ].join('|');
}

function addAtom(s: Summary, a: ReturnAtom, conventions: Map<string, ApiFact>, self: string, outside?: LearnOptions['outside']): void {
  switch (a.k) {
    case 'errno':
      s.errnos.add(a.v);
      return;
    case 'zero':
      s.zero = true;
      return;
    case 'one':
      s.one = true;
      return;
    case 'null':
      s.nul = true;
      return;
    case 'err-ptr':
      s.errPtr = true;
      if (a.v) s.errPtrs.add(a.v);
      return;
    case 'value':
      s.value = true;
      return;
    case 'call': {
      if (a.callee === self) return;
      const f = conventions.get(a.callee) ?? outside?.(a.callee);
      if (!f || f.convention === 'unknown') {
        // An upper-case macro computes (`PCI_EXT_CAP_NEXT()`); a function we cannot see, or an
        // indirect call behind a lower-case macro, gives whatever it gives.
        if (/^[A-Z][A-Z0-9_]*$/.test(a.callee)) s.value = true;
        else s.opaque = true;
        return;
      }
      if (!s.via) s.via = a.callee;
      switch (f.convention) {
        case 'errno':
          for (const v of f.failValues ?? []) s.errnos.add(v);
          if (!f.failValues?.length) s.errnos.add('-errno');
          s.zero = true;
          return;
        case 'err-ptr':
          s.errPtr = true;
          for (const v of f.failValues ?? []) {
            if (v === 'NULL') s.nul = true;
            else s.errPtrs.add(v);
          }
          s.value = true;
          return;
        case 'null':
          s.nul = true;
          s.value = true;
          return;
        case 'bool-success':
          s.one = true;
          s.zero = true;
          return;
        case 'zero-fail':
        case 'count':
          s.zero = true;
          s.value = true;
          return;
        default:
          s.value = true;
      }
    }
  }
}

function summarise(e: Entry, conventions: Map<string, ApiFact>, outside?: LearnOptions['outside']): Summary {
  const s = emptySummary();
  for (const d of e.defs) {
    for (const a of d.returns) addAtom(s, a, conventions, e.name, outside);
    if (!s.where && d.failLine) s.where = `${d.file}:${d.failLine}`;
  }
  for (const impl of e.impls ?? []) addAtom(s, { k: 'call', callee: impl }, conventions, e.name, outside);
  if (e.defs.length === 0 && e.macro) {
    if (e.macro.wraps) addAtom(s, { k: 'call', callee: e.macro.wraps }, conventions, e.name, outside);
    else if (e.macro.returns) addAtom(s, e.macro.returns, conventions, e.name, outside);
  }
  return s;
}

function definedAt(e: Entry): string {
  const d = e.defs[0];
  if (d) return `${d.file}:${d.line}`;
  if (e.impls?.size) {
    const names = [...e.impls].sort();
    return `${names.length} implementation${names.length === 1 ? '' : 's'}: ${names.slice(0, 3).join('(), ')}()${names.length > 3 ? ', ...' : ''}`;
  }
  return e.macro ? `${e.macro.file}:${e.macro.line}` : '?';
}

function base(e: Entry, returnType: string | undefined): Pick<ApiFact, 'name' | 'returnType' | 'mustCheck'> {
  return { name: e.name, ...(returnType ? { returnType } : {}), ...(e.mustCheck ? { mustCheck: true } : {}) };
}

function decide(e: Entry, s: Summary): ApiFact | undefined {
  const returnType = e.returnType ?? (e.macro?.wraps ? undefined : undefined);
  if (isVoid(returnType)) return undefined;
  const b = base(e, returnType);
  const defs = e.defs.length > 1 ? ` (${e.defs.length} definitions)` : '';
  const via = s.via ? ` (through ${s.via}())` : '';
  const macro = e.defs.length === 0 && e.macro ? `macro at ${e.macro.file}:${e.macro.line} wrapping ${e.macro.wraps ?? 'a constant'}: ` : '';
  // An int cannot carry an ERR_PTR(): an error-pointer callee reaches it as a status (U-Boot's `->probe` member
  // unites 1 500 int hooks with a few pointer-returning `.probe`s of other structs), so it fails with a negative errno.
  if (s.errPtr && returnType && /^(?:int|long|s32|s64|int32_t|ssize_t)$/.test(returnType)) s = { ...s, errPtr: false, errnos: new Set([...s.errnos, '-errno']) };
  if (s.errPtr) {
    const failValues = [...[...s.errPtrs].sort(ERRNO_ORDER), ...(s.nul ? ['NULL'] : [])];
    return { ...b, convention: 'err-ptr', ...(failValues.length ? { failValues } : {}), source: `${macro}returns ERR_PTR() on failure${via}, ${s.where ?? definedAt(e)}${defs}` };
  }
  if (isPointer(returnType) || (s.nul && !s.errnos.size)) {
    if (s.nul) return { ...b, convention: 'null', failValues: ['NULL'], source: `${macro}returns NULL on failure${via}, ${s.where ?? definedAt(e)}${defs}` };
    if (s.opaque) return fromCallers(e, s);
    return { ...b, convention: 'value', source: `${macro}never returns NULL or ERR_PTR() (${definedAt(e)}${defs})` };
  }
  if (s.errnos.size > 0 && !isBool(returnType)) {
    const named = [...s.errnos].filter((v) => /^-E|^TEE_ERROR_/.test(v)).sort(ERRNO_ORDER);
    const other = [...s.errnos].filter((v) => !/^-E|^TEE_ERROR_/.test(v) && v !== '-errno' && v !== 'PTR_ERR()');
    const failValues = [...named, ...other];
    const shown = failValues.slice(0, 4).join(', ') + (failValues.length > 4 ? `, ... (${failValues.length} values)` : '');
    return {
      ...b,
      convention: 'errno',
      ...(failValues.length ? { failValues } : {}),
      source: `${macro}returns ${shown || 'a negative errno'}${via}, ${s.where ?? definedAt(e)}${defs}`,
    };
  }
  if (s.opaque) return fromCallers(e, s) ?? statusType(e, s);
  // Only constants 0 and 1 (or true/false): success flag or predicate; callers tell which.
  if (!s.value && s.zero && s.one) {
    const c = e.sites;
    if (c && c.zeroErr >= 1 && c.nonzeroErr * 5 <= c.zeroErr) {
      return { ...b, convention: 'bool-success', failValues: ['0'], source: `returns only 0 or 1 (${definedAt(e)}${defs}); ${c.zeroErr} caller${c.zeroErr === 1 ? '' : 's'} treat 0 as failure, e.g. ${c.atFile}:${c.at}` };
    }
    return { ...b, convention: 'value', source: `returns only 0 or 1 (${definedAt(e)}${defs}) and callers test it as a predicate` };
  }
  if (!s.value && s.zero && !s.one) {
    return { ...b, convention: 'value', source: `${macro}every return is 0 (${definedAt(e)}${defs}): it cannot report failure` };
  }
  if (s.value && isStatusType(returnType)) return statusType(e, s);
  if (s.value) {
    const fromC = fromCallers(e, s);
    if (fromC && fromC.convention !== 'errno' && fromC.convention !== 'unknown') return fromC;
    return { ...b, convention: 'value', source: `${macro}returns computed values, no errno, NULL or ERR_PTR() (${definedAt(e)}${defs})` };
  }
  return undefined;
}

/** A type whose values are status codes by definition (GlobalPlatform TEE_Result: TEE_SUCCESS or TEE_ERROR_*; status-types.ts). */
const isStatusType = (t: string | undefined): boolean => !!statusTypeOf(t);

function statusType(e: Entry, s: Summary): ApiFact | undefined {
  if (!isStatusType(e.returnType)) return undefined;
  return { ...base(e, e.returnType), convention: 'errno', source: `returns ${e.returnType}, a status code (${definedAt(e)}); which error it returns is computed${s.via ? ` (through ${s.via}())` : ''}` };
}

/** What callers say, when the body does not decide. Needs a clear majority of testing callers. */
function fromCallers(e: Entry, s: Summary | undefined): ApiFact | undefined {
  const returnType = e.returnType;
  if (isVoid(returnType)) return undefined;
  const b = base(e, returnType);
  const c = e.sites;
  if (!c) return undefined;
  const tests = c.nonzeroErr + c.nonzero + c.zeroErr + c.zero + c.neg + c.isErr + c.eq1;
  if (tests === 0) return undefined;
  const eg = c.atFile ? `, e.g. ${c.atFile}:${c.at}` : '';
  const of = (n: number, what: string): string => `${n} of ${tests} testing callers ${what}${eg}`;
  const unknownBody = s?.opaque ? 'its body returns what another function returns; ' : '';
  const half = (n: number): boolean => n >= 1 && n * 2 >= tests && (n >= 2 || tests === 1);
  if (half(c.isErr)) return { ...b, convention: 'err-ptr', source: `${unknownBody}${of(c.isErr, 'test it with IS_ERR()')}` };
  if (half(c.neg)) return { ...b, convention: 'errno', source: `${unknownBody}${of(c.neg, 'test it with < 0')}` };
  if (isPointer(returnType)) {
    if (half(c.zeroErr)) return { ...b, convention: 'null', failValues: ['NULL'], source: `${unknownBody}${of(c.zeroErr, 'treat NULL as failure')}` };
    return undefined;
  }
  if (half(c.eq1) && !s) return { ...b, convention: 'bool-success', failValues: ['0'], source: `${of(c.eq1, 'compare it with 1')}` };
  if (c.nonzeroErr >= 2 && c.nonzeroErr * 2 >= tests && c.zeroErr * 5 <= c.nonzeroErr) {
    if (isUnsigned(returnType)) return { ...b, convention: 'count', source: `${unknownBody}${of(c.nonzeroErr, 'treat a non-zero result as failure')}; it returns ${returnType}` };
    if ((!s || !s.value) && returnType && /^(?:int|long|s32|s64|int32_t|ssize_t|TEE_Result)$/.test(returnType)) {
      return { ...b, convention: 'errno', source: `${of(c.nonzeroErr, 'treat a non-zero result as failure')}` };
    }
    if (!returnType) return { ...b, convention: 'count', source: `${unknownBody}${of(c.nonzeroErr, 'treat a non-zero result as failure')}` };
    return undefined;
  }
  if (c.zeroErr >= 2 && c.zeroErr * 2 >= tests && c.nonzeroErr * 5 <= c.zeroErr) {
    if (isBool(returnType)) return { ...b, convention: 'bool-success', failValues: ['0'], source: `${unknownBody}${of(c.zeroErr, 'treat false as failure')}` };
    return { ...b, convention: 'zero-fail', failValues: ['0'], source: `${unknownBody}${of(c.zeroErr, 'treat 0 as failure')}` };
  }
  return undefined;
}

export type { Convention };
