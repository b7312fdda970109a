// What the knowledge base says about a function: how its result tells failure, and why we believe it.

/**
 * How a function reports failure.
 * - errno: a negative errno (`-ENOMEM`), 0 or a non-negative value on success; also a named non-zero
 *   status code where the project uses one (GlobalPlatform `TEE_ERROR_*`, `TEE_SUCCESS` is 0)
 * - err-ptr: a pointer that is `ERR_PTR(-E...)` (and maybe NULL) on failure
 * - null: a pointer that is NULL on failure
 * - zero-fail: 0 on failure, a non-zero value (handle, frame number, length) on success
 * - bool-success: non-zero (1, true) on success, 0 on failure (`get_page()`-like)
 * - count: 0 on success, a positive count of what was not done on failure (bytes not copied)
 * - value: a plain value; its result is not a success/failure report
 * - unknown: no evidence either way
 */
export type Convention = 'errno' | 'err-ptr' | 'null' | 'zero-fail' | 'bool-success' | 'count' | 'value' | 'unknown';

export const CONVENTIONS: readonly Convention[] = ['errno', 'err-ptr', 'null', 'zero-fail', 'bool-success', 'count', 'value', 'unknown'];

/** Conventions under which a result can report failure (a dropped result may be a dropped error). */
export const isFallibleConvention = (c: Convention): boolean => c !== 'value' && c !== 'unknown';

export interface ApiFact {
  name: string;
  returnType?: string;
  mustCheck?: boolean;
  /** Its documented failure is running out of memory (a heap allocator's NULL), as its contract says. */
  allocates?: boolean;
  convention: Convention;
  /** C expressions the function returns on failure, most telling first (`-ENOMEM`, `NULL`, `0`). */
  failValues?: string[];
  /** Why we believe it, for people: "returns -ENOMEM at xen/common/x.c:120", "37 of 40 callers test it with < 0". */
  source: string;
  /** How the project's own callers use the result: tested in a condition, or dropped (incl. `(void)`). */
  /** `used`: stored or passed on with no test of it at the call site (`ops = get_ops(); ops->f();`). */
  callers?: { tested: number; dropped: number; used?: number };
  /**
   * `callback`: an iterator whose only failure is the first failure of the function it is given to run
   * (`for_each_map(ptr, fn)`): a call whose callback the patch shows never failing cannot fail either.
   */
  failsThrough?: 'callback';
  /**
   * When the fact holds, for a patch whose Date: says when it was written (ISO dates, YYYY-MM-DD): from `since`,
   * before `until`. `changed`: before `since` the function reported failure differently (it returned void, or
   * failed another way), so a patch without a date does not get the fact. Absent: it holds in every era.
   */
  era?: FactEra;
}

export interface FactEra {
  since?: string;
  until?: string;
  changed?: boolean;
}

/** Whether a fact holds for a patch written on `date` (YYYY-MM-DD), or for a patch of unknown date. */
export function holdsAt(f: ApiFact, date: string | undefined): boolean {
  const e = f.era;
  if (!e) return true;
  if (date === undefined) return !e.changed;
  return (e.since === undefined || date >= e.since) && (e.until === undefined || date < e.until);
}

/**
 * The project's callers mostly drop the result (at least 3 drops, more than twice the tests): ignoring it
 * is the project's practice, so one more dropped call is not a finding worth a maintainer's time.
 */
export const isUsuallyIgnored = (f: ApiFact): boolean => !!f.callers && f.callers.dropped >= 3 && f.callers.dropped > 2 * f.callers.tested;

/**
 * The project's callers mostly use the pointer without testing it (at least 3 such uses, more than twice the
 * tests): a NULL the body can return is one the project rules out another way (a `return NULL;` after BUG(), a
 * lookup guarded by a feature flag), so one more untested use is the project's practice, not a finding.
 */
export const isUsuallyUsedUntested = (f: ApiFact): boolean =>
  !!f.callers && (f.callers.used ?? 0) >= 3 && (f.callers.used ?? 0) > 2 * f.callers.tested;

export interface KnowledgeStats {
  files: number;
  /** Files read and scanned by this build (the rest came from the cache). */
  scanned: number;
  functions: number;
  facts: number;
  ms: number;
}

export interface Knowledge {
  lookup(name: string): ApiFact | undefined;
  /** Every fact, sorted by name (for saving and listing). */
  facts(): ApiFact[];
  /** Where it was built from: a tree path (and HEAD when it is a git checkout) or a saved file. */
  origin: { tree?: string; head?: string; file?: string; builtAt?: string };
  stats?: KnowledgeStats;
}

// ---- what the lexical scan records per file (cached by path and content hash) ----

/** One thing a `return` can return, as the body shows it. */
export type ReturnAtom =
  | { k: 'errno'; v: string } // -EINVAL, -1
  | { k: 'zero' }
  | { k: 'one' } // 1, true
  | { k: 'null' }
  | { k: 'err-ptr'; v?: string }
  | { k: 'call'; callee: string } // return f(...), or rc = f(...); return rc;
  | { k: 'value' }; // anything else: a computed value

/** How callers use a callee's result; counts per callee and file. */
export interface SiteCounts {
  /** `f(...);` as a statement: result dropped. */
  ignored: number;
  /** `(void)f(...)`. */
  voided: number;
  /** `if ( f() )` / `if ( rc )` where the branch handles an error. */
  nonzeroErr: number;
  /** `if ( f() )` where the branch does something ordinary. */
  nonzero: number;
  /** `if ( !f() )` / `== NULL` / `== 0` where the branch handles an error. */
  zeroErr: number;
  zero: number;
  /** `< 0`, `>= 0`. */
  neg: number;
  /** `IS_ERR(p)`. */
  isErr: number;
  /** `== 1` / `!= 1`. */
  eq1: number;
  /** Used otherwise (an argument, arithmetic, stored). */
  used: number;
  /** A line where a caller tests it, for the fact's source. */
  at?: number;
}

export interface ScannedFunction {
  name: string;
  line: number;
  returnType: string;
  mustCheck: boolean;
  returns: ReturnAtom[];
  /** Line of the first return that says failure (an errno, NULL, ERR_PTR), for the fact's source. */
  failLine?: number;
}

export interface ScannedPrototype {
  name: string;
  line: number;
  returnType: string;
  mustCheck: boolean;
}

/** A function-like macro that is a call to another function (`#define copy_x(a, b) raw_copy_x(a, b, 0)`). */
export interface ScannedMacro {
  name: string;
  line: number;
  /** The function it wraps, when its body is one call (after casts and parens). */
  wraps?: string;
  /** The body says the result directly (`-ENOSYS`, `0`, `NULL`). */
  returns?: ReturnAtom;
}

export interface ScannedFile {
  functions: ScannedFunction[];
  prototypes: ScannedPrototype[];
  macros: ScannedMacro[];
  /** Keyed `->member` in sites; here: member name -> functions an initialiser puts in it (`.suspend = foo_suspend`). */
  sites: Record<string, SiteCounts>;
  members?: Record<string, string[]>;
}
