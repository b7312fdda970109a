// Liveness of a call's result: is a status value overwritten, or left to die, before anything acts on it?
// (`rc = a(); rc = b();`, `res = f(); return 0;`, `rc = cb()` in a loop without a break, a permission
// check's result overwritten by the operation it guards; with `afterTests`, also a result only tested in a
// way that lets a failure go the way of a success: `if ( rc == -EBUSY ) continue; return port;`,
// `if ( !err && g() ) break; ... err = h();`.)
import type { Domain, LostResultAnswer, LostValue, SimFunction, SimOptions, SimPath, SimResult } from '../types.ts';
import { simulate } from '../engine/simulate.ts';
import { ANY, intersect, NEG, POS, TOP, ZERO } from '../state/domain.ts';
import { errnoName, WITNESS_FAILURE } from '../models/errno.ts';
import { resolve } from '../state/value.ts';
import { merge, type Constraints } from './compat.ts';
import { callSymbols, endPhrase, failureShape, failureText, type CallSiteRef, type FailureShape } from './witness.ts';
import { joinPhrases, phrase, stepsOf } from './story.ts';
import { programOf } from '../program/node.ts';
import { LineMapper } from '../program/source.ts';
import { calleeText } from '../engine/calls.ts';

export interface LostResultMode {
  /**
   * Also count a result that conditions read but did not act on: on the path that loses it, the call
   * failed, and a path where the call succeeded runs the same statements up to that loss (the tests let
   * the failure go the way of a success). Values the code compares with by name are not "other" failures.
   */
  afterTests?: boolean;
  /**
   * With afterTests: also count a failure that took no branch at all at every test it met (`if ( rc == 0 )
   * {..} else if ( rc == 1 ) {..}` with no else: nothing handles a negative value), when no success twin exists.
   */
  unhandled?: boolean;
}

/**
 * On some path, does the result of the call at `site` get lost before anything uses it? A use is a
 * test (if, loop, switch, ternary, BUG_ON), passing it to a callee that can act on it (not a log
 * call), storing it where others read it, returning it, or unseen code that can name its variable.
 * With `mode.afterTests`, a test is a use only where it acts on a failure (see LostResultMode).
 *
 * verified: a path where the result is overwritten (also by the same call on the next loop
 * iteration), goes out of scope, or is still unused when the function returns; the witness fails
 * the call within its convention where that is possible. refuted: the simulation is complete and
 * every path uses the result first. inconclusive: otherwise (incomplete simulation, no such call,
 * or a result never stored in a variable: that is an ignored result, not a lost one; with
 * `afterTests` a result tested where it is made is considered).
 */
export function lostResult(fn: SimFunction, site: CallSiteRef, options: SimOptions = {}, result?: SimResult, mode: LostResultMode = {}): LostResultAnswer {
  try {
    result ??= simulate(fn, options);
    const stored = storedAt(fn, site);
    if (!stored && !mode.afterTests) return { verdict: 'inconclusive', reason: `the result of ${site.callee}() at line ${site.line} is not kept in a variable: it is ignored, not lost` };
    let seen = false;
    let best: { p: SimPath; lost: LostValue; c: Constraints; named: string[]; unhandled: boolean } | undefined;
    const shape = failureShape(options.conventionOf?.(site.callee), site.callee);
    const twins = mode.afterTests && shape && !shape.errPtr ? new TwinFinder(fn, result, site, shape, options.namedStatus) : undefined;
    // The simplest witness: an untested loss before one after tests, an overwrite over a dead end, a path
    // that ends over one cut at the loop bound, one that returns success, fewest assumptions.
    // A path that still reports some other failure tells the story less plainly than one that reports success.
    const rank = (x: LostValue, q: SimPath, c: Constraints): number =>
      (x.testedAt ? 8 : 0) + (x.how === 'overwritten' ? 0 : x.how === 'scope-end' ? 1 : 2) + (q.end.kind === 'cut' ? 3 : 0) + (reportsFailure(q, c) ? 4 : 0);
    for (const p of result.paths) {
      const syms = callSymbols(p, site);
      if (!syms.length) continue;
      seen = true;
      for (const sym of syms) {
        const lost = p.lost.find((l) => l.symbol === sym);
        if (!lost) continue;
        let c: Constraints;
        let named: string[] = [];
        let unhandled = false;
        if (lost.testedAt) {
          // Looked at by a condition: lost only if the call failed here and a success takes the same way.
          const t = twins?.failingTwin(p, lost) ?? (mode.unhandled ? twins?.failingUnhandled(p, lost) : undefined);
          if (!t) continue;
          unhandled = t.unhandled === true;
          ({ c, others: named } = t);
        } else {
          if (!stored) continue;
          // Show the lost result as a failure when the path allows it (nothing tested it, so it usually does).
          const failing = shape && !shape.errPtr ? merge(p.constraints, { [sym]: { cls: shape.cls, ne: [], ...(shape.eq !== undefined ? { eq: shape.eq } : {}) } }) : undefined;
          c = failing ?? p.constraints;
        }
        const r = rank(lost, p, c);
        const rb = best ? rank(best.lost, best.p, best.c) : Infinity;
        if (r < rb || (r === rb && p.assumptions.length < best!.p.assumptions.length)) {
          best = { p, lost, c, named, unhandled };
        }
      }
    }
    if (best) {
      return {
        verdict: 'verified',
        variable: best.lost.variable,
        lostAt: { line: best.lost.line, how: best.lost.how },
        ...(best.lost.testedAt ? { testedAt: best.lost.testedAt } : {}),
        witness: lostWitness(fn, best.p, best.lost, best.c, site, shape, best.named, best.unhandled),
      };
    }
    if (result.status !== 'complete') return { verdict: 'inconclusive', reason: result.reason ?? 'simulation incomplete', ...(result.stoppedBy ? { stoppedBy: result.stoppedBy } : {}) };
    if (!seen) return { verdict: 'inconclusive', reason: `no call to ${site.callee}() at line ${site.line} on any simulated path` };
    if (twins?.undecided) return { verdict: 'inconclusive', reason: `the result of ${site.callee}() is compared with a value the simulator does not know (\`${twins.undecided}\`), so which way a failure goes is not decided` };
    return {
      verdict: 'refuted',
      reason: mode.afterTests
        ? `on every path where ${site.callee}() at line ${site.line} fails, the function acts on the failure (a test sends it another way than a success, or the value is returned or passed on) before it is lost`
        : `on every path the result of ${site.callee}() at line ${site.line} is tested, returned or passed on before it is overwritten`,
    };
  } catch (e) {
    return { verdict: 'inconclusive', reason: `internal error: ${e instanceof Error ? e.message : String(e)}`, stoppedBy: 'internal' };
  }
}

/**
 * Finds, for a path that lost a tested result, whether the call can have failed there (with a value the
 * code does not name) while a path where it succeeded visits the same statements up to the loss.
 * Statements, not lines: a condition's later lines (a call the short circuit skipped) count as the condition.
 */
class TwinFinder {
  private readonly stmtLine: Map<number, number>;
  private readonly norm = new Map<SimPath, number[]>();
  /** A test the answer could not be decided on (the result compared with an unknown value), for the reason. */
  undecided: string | undefined;

  private ifs: Map<number, IfShape> | undefined;

  constructor(
    private readonly fn: SimFunction,
    private readonly result: SimResult,
    private readonly site: CallSiteRef,
    private readonly shape: FailureShape,
    private readonly namedStatus?: SimOptions['namedStatus'],
  ) {
    this.stmtLine = statementLines(fn);
  }

  /**
   * What a path's comparisons of `sym` with names say: `== SUCCESS_NAME` held (a success) or not (a failure),
   * `== FAILURE_NAME` held (that named failure) or not (excluded). Any other comparison with a value the
   * simulator does not know (`rc != CRYPT_OK`, `rc < limit`) makes the path opaque for this question.
   */
  named(q: SimPath, sym: string): Named {
    const out: Named = { others: [], opaque: false };
    for (const [k, d] of Object.entries(q.constraints)) {
      if (!k.startsWith('atom:') || !k.includes(sym)) continue;
      // The order atoms a decided `rc == NAME` sets beside it say nothing more about a status name.
      const ordered = orderName(k, sym);
      if (ordered && this.namedStatus?.(ordered)) continue;
      const name = eqName(k, sym);
      const kind = name ? this.namedStatus?.(name) : undefined;
      const holds = (d.cls & ZERO) === 0 ? true : d.cls === ZERO ? false : undefined;
      if (!name || !kind) {
        out.opaque = true;
        out.opaqueText ??= q.assumptions.find((a) => a.symbol === k)?.subject ?? name;
        continue;
      }
      if (holds === undefined) continue;
      if (kind === 'success') out.state = holds ? 'success' : 'failure';
      else if (holds) out.pinned = name;
      else out.others.push(name);
    }
    return out;
  }

  /** The failing constraints of a path that lost a tested result, if the call can have failed there unnamed. */
  private failing(p: SimPath, lost: LostValue): { c: Constraints; np: Named } | undefined {
    const sym = lost.symbol;
    const np = this.named(p, sym);
    if (np.opaque) {
      this.undecided ??= np.opaqueText ?? 'a value the simulator does not know';
      return undefined;
    }
    if (np.state === 'success' || np.pinned) return undefined;
    const d = p.constraints[sym] ?? TOP;
    if (d.eq !== undefined) return undefined;
    const failing = intersect(d, { cls: this.shape.cls, ne: [] });
    if (!failing) return undefined;
    const c = merge(p.constraints, { [sym]: representative(failing, this.shape) });
    return c ? { c, np } : undefined;
  }

  /**
   * A failure that took no branch at any test it met before the loss: each test is an if whose taken direction
   * ran nothing (no else, or an else-if that is itself such a test). Other tests (loops, switch, ?:) do not count.
   */
  failingUnhandled(p: SimPath, lost: LostValue): { c: Constraints; others: string[]; unhandled: true } | undefined {
    const f = this.failing(p, lost);
    if (!f || !lost.testedAt?.length) return undefined;
    this.ifs ??= ifShapes(this.fn);
    const upto = p.trace.slice(0, lost.at ?? p.trace.length);
    for (const t of lost.testedAt) {
      const shape = this.ifs.get(t);
      if (!shape || shape.oneLine) return undefined;
      const i = upto.lastIndexOf(t);
      if (i < 0) return undefined;
      let j = i + 1;
      while (j < upto.length && shape.condition.has(upto[j]!)) j++;
      const next = upto[j];
      if (next === undefined || next === shape.elseIf) continue;
      if (shape.consequence.has(next) || shape.alternative.has(next)) return undefined;
    }
    return { c: f.c, others: f.np.others, unhandled: true };
  }

  failingTwin(p: SimPath, lost: LostValue): { c: Constraints; others: string[]; unhandled?: boolean } | undefined {
    const sym = lost.symbol;
    // Compared with a value the simulator does not know (`rc != CRYPT_OK`), a success by name, or a value the
    // path pinned by name (`rc == -ENOENT` held: the case the code chose to handle): no failure to show.
    const f = this.failing(p, lost);
    if (!f) return undefined;
    const { c, np } = f;
    // The statements up to the loss and the next one: `if ( rc < 0 ) return;` on one line only shows which way it
    // went by what runs next. A loss at the path's end needs a twin that ends the same way there.
    const at = lost.at ?? p.trace.length;
    const prefix = this.normalised(p.trace.slice(0, at));
    let upto = at;
    for (; upto < p.trace.length; upto++) {
      const st = this.stmtLine.get(p.trace[upto]!) ?? p.trace[upto]!;
      if (st !== prefix[prefix.length - 1]) {
        prefix.push(st);
        break;
      }
    }
    const endsHere = upto >= p.trace.length;
    // A clear success: 0 where failures are negative (a positive value may be a count or another code), a
    // non-zero value where the failure is 0/NULL; or a comparison with a success name that held.
    const success: Domain = this.shape.cls === ZERO ? { cls: NEG | POS, ne: [] } : { cls: ZERO, ne: [] };
    for (const q of this.result.paths) {
      if (!callSymbols(q, this.site).includes(sym)) continue;
      const nq = q === p ? np : this.named(q, sym);
      if (nq.opaque || nq.pinned || nq.state === 'failure') continue;
      if (nq.state !== 'success' && !intersect(q.constraints[sym] ?? TOP, success)) continue;
      // The path is its own twin only if nothing named decided it is a failure.
      if (q === p && np.state === 'failure') continue;
      const t = this.normalisedPath(q);
      if (endsHere && (t.length !== prefix.length || q.end.kind !== p.end.kind || q.end.line !== p.end.line)) continue;
      if (t.length >= prefix.length && prefix.every((l, i) => t[i] === l)) return { c, others: np.others };
    }
    return undefined;
  }

  private normalisedPath(q: SimPath): number[] {
    let t = this.norm.get(q);
    if (!t) this.norm.set(q, (t = this.normalised(q.trace)));
    return t;
  }

  private normalised(trace: number[]): number[] {
    const out: number[] = [];
    for (const line of trace) {
      const s = this.stmtLine.get(line) ?? line;
      if (out[out.length - 1] !== s) out.push(s);
    }
    return out;
  }
}

/** Does the path end returning a failure (a negative value, or a value its constraints keep non-zero)? */
function reportsFailure(p: SimPath, c: Constraints): boolean {
  if (p.end.kind !== 'return' || !p.end.value) return false;
  const v = resolve(p.end.value, c);
  if (v.k === 'num') return v.n < 0;
  if (v.k !== 'sym') return false;
  // A named error constant the simulator has no value for (-EINVAL folds to a number; TEE_ERROR_* does not).
  if (v.origin === 'input' && /^\w*_ERROR_\w*$/.test(v.label)) return true;
  const d = c[v.id];
  return !!d && (d.cls & ZERO) === 0;
}

/** An if statement's lines: its condition's, its branches', and the line of an else-if it chains to. */
interface IfShape {
  condition: Set<number>;
  consequence: Set<number>;
  alternative: Set<number>;
  elseIf?: number;
  oneLine?: boolean;
}

/** The if statements of a function by their first line. */
function ifShapes(fn: SimFunction): Map<number, IfShape> {
  const lines = new LineMapper(fn.lineMap);
  const lineOfRow = (row: number): number => (fn.lineMap ? fn.lineMap[row] ?? 0 : row + 1);
  const rowsOf = (n: { startPosition: { row: number }; text: string } | null): Set<number> => {
    const out = new Set<number>();
    if (!n) return out;
    const rows = (n.text.match(/\n/g) ?? []).length;
    for (let r = n.startPosition.row; r <= n.startPosition.row + rows; r++) {
      const l = lineOfRow(r);
      if (l > 0) out.add(l);
    }
    return out;
  };
  const out = new Map<number, IfShape>();
  for (const s of programOf(fn.node).descendantsOfType('if_statement')) {
    const line = lines.line(s);
    if (out.has(line)) continue;
    const alt = s.childForFieldName('alternative');
    const inner = alt?.namedChildren.find((c) => c.type === 'if_statement');
    const condition = rowsOf(s.childForFieldName('condition'));
    const consequence = rowsOf(s.childForFieldName('consequence'));
    const alternative = rowsOf(alt);
    for (const l of consequence) condition.delete(l);
    // A branch on the if's own line (`if ( x ) return;`) cannot be told apart by lines: such a test is not read.
    const shape: IfShape = { condition, consequence, alternative, ...(consequence.has(line) || alternative.has(line) ? { oneLine: true } : {}) };
    if (inner) shape.elseIf = lines.line(inner);
    out.set(line, shape);
  }
  return out;
}

interface Named {
  /** A comparison with a success name decided the path: the call succeeded or failed. */
  state?: 'success' | 'failure';
  /** `== FAILURE_NAME` held: the path handles that named failure. */
  pinned?: string;
  /** Failure names the path ruled out (`rc == TEE_ERROR_BUSY` did not hold). */
  others: string[];
  opaque: boolean;
  opaqueText?: string;
}

/** `atom:eq:$<sym>|$in:NAME` (either order): NAME; anything else undefined. */
const eqName = (atom: string, sym: string): string | undefined => pairName('atom:eq:', atom, sym);
/** `atom:lt:` with the same shape: NAME. */
const orderName = (atom: string, sym: string): string | undefined => pairName('atom:lt:', atom, sym);

function pairName(prefix: string, atom: string, sym: string): string | undefined {
  if (!atom.startsWith(prefix)) return undefined;
  const rest = atom.slice(prefix.length);
  const me = `$${sym}`;
  const other = rest.startsWith(`${me}|`) ? rest.slice(me.length + 1) : rest.endsWith(`|${me}`) ? rest.slice(0, -me.length - 1) : undefined;
  return /^\$in:([A-Z][A-Z0-9_]*)$/.exec(other ?? '')?.[1];
}

/** A failing value to show: the convention's representative when the path allows it, else one it allows. */
function representative(failing: Domain, shape: FailureShape): Domain {
  if (failing.eq !== undefined) return failing;
  for (const eq of [shape.eq, WITNESS_FAILURE, -1, -2, -3, -4, -6, -7]) {
    if (eq === undefined) continue;
    const d = intersect(failing, { cls: ANY, eq, ne: [] });
    if (d) return d;
  }
  return failing;
}

/** Real line -> the first line of the innermost statement that covers it (a condition's lines map to its if). */
function statementLines(fn: SimFunction): Map<number, number> {
  const def = programOf(fn.node);
  const lines = new LineMapper(fn.lineMap);
  const lineOfRow = (row: number): number => (fn.lineMap ? fn.lineMap[row] ?? 0 : row + 1);
  const out = new Map<number, number>();
  // Pre-order: an inner statement overwrites the rows of the one around it.
  for (const s of def.descendantsOfType(STATEMENT_TYPES)) {
    const first = lines.line(s);
    const rows = (s.text.match(/\n/g) ?? []).length;
    for (let r = s.startPosition.row; r <= s.startPosition.row + rows; r++) {
      const l = lineOfRow(r);
      if (l > 0) out.set(l, first);
    }
  }
  return out;
}

const STATEMENT_TYPES = [
  'declaration', 'expression_statement', 'if_statement', 'switch_statement', 'case_statement', 'while_statement', 'do_statement',
  'for_statement', 'return_statement', 'break_statement', 'continue_statement', 'goto_statement', 'labeled_statement',
];

/** Is the call at `site` the value of an assignment or an initialiser (through casts and parentheses)? */
function storedAt(fn: SimFunction, site: CallSiteRef): boolean {
  const def = programOf(fn.node);
  const lines = new LineMapper(fn.lineMap);
  return def.descendantsOfType('call_expression').some((c) => {
    if (lines.line(c) !== site.line || calleeText(c) !== site.callee) return false;
    let n = c;
    while (n.parent && (n.parent.type === 'parenthesized_expression' || n.parent.type === 'cast_expression')) n = n.parent;
    const p = n.parent;
    return !!p && ((p.type === 'assignment_expression' && p.childForFieldName('right') === n) || (p.type === 'init_declarator' && p.childForFieldName('value') === n));
  });
}

/** "a negative errno other than -EBUSY": the failure a path with named exclusions allows (errnos or status names). */
function otherFailureText(sym: string, c: Constraints, shape: FailureShape | undefined, before: Domain | undefined, names: string[]): string | undefined {
  const errnos = (before?.ne ?? []).filter((n) => n < 0).map((n) => errnoName(n) ?? String(n));
  const named = [...errnos, ...names];
  if (!named.length) return undefined;
  const base = errnos.some((n) => n.startsWith('-E')) ? 'a negative errno' : 'a failure';
  const v = c[sym]?.eq;
  const example = v !== undefined && shape && shape.text === undefined && errnoName(v) ? ` (say ${errnoName(v)})` : '';
  return `${base} other than ${joinPhrases(named).replace(/ and /g, ' or ')}${example}`;
}

function lostWitness(fn: SimFunction, p: SimPath, lost: LostValue, c: Constraints, site: CallSiteRef, shape: FailureShape | undefined, names: string[] = [], unhandled = false): LostResultAnswer['witness'] {
  const call = `${site.callee}()`;
  const other = lost.testedAt && shape ? otherFailureText(lost.symbol, c, shape, p.constraints[lost.symbol], names) : undefined;
  const failed = other ? `${call} returns ${other}` : shape && c[lost.symbol] ? `${call} returns ${failureText(lost.symbol, c, shape)}` : `${call} returns any value`;
  // The call's own tests (its value, or its comparisons with names) are said once, in `failed`.
  const own = (a: { symbol: string }): boolean => a.symbol === lost.symbol || (a.symbol.startsWith('atom:') && a.symbol.includes(lost.symbol));
  const others = p.assumptions.filter((a) => !own(a)).map(phrase);
  const when = joinPhrases([failed, ...others]);
  const holder = lost.variable || `the result of ${call}`;
  const at = lost.testedAt ? `the test${lost.testedAt.length > 1 ? 's' : ''} at line ${lost.testedAt.join(', ')}` : '';
  const tests = !lost.testedAt ? '' : unhandled ? `takes no branch of ${at} (nothing handles a failure), ` : `goes on past ${at} as if ${call} had succeeded, `;
  const how = lost.how === 'overwritten'
    ? `${tests}${tests ? 'then ' : ''}overwrites ${holder} at line ${lost.line} before anything ${tests ? 'acts on' : 'tests'} it`
    : lost.how === 'scope-end'
      ? `${tests}${tests ? 'then ' : ''}leaves the block that holds ${holder} at line ${lost.line} without ${tests ? 'acting on' : 'testing'} it`
      : tests ? `${tests}never acts on ${holder}` : `never tests ${holder}`;
  const story = `when ${when}, ${fn.name}() ${how}, and ${endPhrase(p, c)}`;
  const notes = new Map<number, string>([[site.line, lost.variable ? `${call} returns here; ${lost.variable} holds its result` : `${call} returns here`]]);
  for (const t of lost.testedAt ?? []) if (t !== site.line) notes.set(t, `the test lets the failure through as if ${call} had succeeded`);
  notes.set(lost.line, lost.how === 'overwritten' ? `${lost.variable} overwritten: the earlier result is lost` : `${holder} is never acted on`);
  return { path: { ...p, constraints: c }, story, steps: stepsOf(fn, { ...p, assumptions: p.assumptions.filter((a) => !own(a)) }, notes) };
}
