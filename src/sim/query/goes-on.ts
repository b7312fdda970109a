// Work done after a failure the code has not looked at yet: `rc = f(); g(); ... return rc;` where the function's
// own handling of other failures shows that g() is work only a success should do (those failures stop, or jump
// past g() to the common exit), yet when f() fails the function goes on to run g() before it tests or returns rc.
// The failure is still reported, but the work it should have prevented is done (a configuration on hardware that
// did not initialise, a mapping recorded for an entry that was never set).
import type { Domain, SimFunction, SimOptions, SimPath, SimResult, Value, Witness } from '../types.ts';
import { simulate } from '../engine/simulate.ts';
import { intersect, TOP, ZERO } from '../state/domain.ts';
import { resolve } from '../state/value.ts';
import { modelFor } from '../models/index.ts';
import { errnoName } from '../models/errno.ts';
import { merge, type Constraints } from './compat.ts';
import { callSymbols, failureShape, failureText, type CallSiteRef, type FailureShape } from './witness.ts';
import { lineTexts, stepsOf } from './story.ts';

/** A statement the code runs between the call and its first look at the result. */
export interface WorkSite {
  /** The callee of the statement's call (`calleeText` spelling). */
  callee: string;
  line: number;
  /** The identifiers its arguments read: work on what another call produced is that call's, not unrelated work. */
  reads: string[];
  /** The statement as written, for the witness. */
  text: string;
}

export interface WorkAfterFailureAnswer {
  verdict: 'verified' | 'refuted' | 'inconclusive';
  reason: string;
  witness?: Witness;
  /** verified: the work statement the failure goes on to. */
  work?: WorkSite;
  /** verified: what shows the work is for a success only (`when g() fails at line N, it stops at line M without running w()`). */
  evidence?: string;
}

/** Does the path's constraint on a result say the call failed, in its own convention? */
function failedOn(p: SimPath, sym: string, shape: FailureShape): boolean {
  if (shape.errPtr) {
    const d = p.constraints[`iserr:$${sym}`];
    return !!d && (d.cls & ZERO) === 0;
  }
  const d = p.constraints[sym];
  if (!d) return false;
  // errno / status conventions: tested non-zero (or negative); NULL / 0 conventions: tested 0.
  if (shape.cls === ZERO) return d.cls === ZERO || d.eq === 0;
  return (d.cls & ZERO) === 0 && d.eq !== 0;
}

/** Does the path end reporting a failure: a panic/BUG, or a return of a negative number, a named failure, or a value tested non-zero? */
function reportsFailure(p: SimPath, namedStatus: SimOptions['namedStatus']): string | undefined {
  if (p.end.kind === 'abort') return 'stops';
  if (p.end.kind !== 'return' || !p.end.value) return undefined;
  const v: Value = resolve(p.end.value, p.constraints as Record<string, Domain>);
  if (v.k === 'num') return v.n < 0 && !v.isNull ? `returns ${errnoName(v.n) ?? String(v.n)}` : undefined;
  if (v.k !== 'sym') return undefined;
  if (v.origin === 'input' && namedStatus?.(v.label) === 'failure') return `returns ${v.label}`;
  const d = p.constraints[v.id];
  if (d && (d.cls & ZERO) === 0 && d.eq !== 0) return v.origin === 'call' ? `returns the error ${v.label.replace(/\(.*$/s, '')}() gave` : `returns ${p.end.valueText ?? 'the error'}`;
  return undefined;
}

const identifiers = (texts: string[]): Set<string> => new Set(texts.flatMap((t) => t.match(/[A-Za-z_]\w*/g) ?? []));

/**
 * On some path, does the call at `site` fail and the function then run one of `work` (in order, the first that
 * qualifies), while on a path where ANOTHER fallible call fails the function reports a failure (returns one or
 * stops) without ever running that statement's callee? The second path is the evidence that the statement is work
 * only a success should do; the other call must not produce what the statement works on (a release of what that
 * call acquired is not such evidence). Statements the simulator models (locks, logs, allocation, assertions) are
 * bookkeeping, not work.
 *
 * verified: both paths exist (the first is the witness). refuted: the simulation is complete and no statement
 * qualifies (the failure never reaches it, or nothing in the function shows it is success-only work).
 * inconclusive: the callee's failure convention is not known. A simulation that stopped early without showing the
 * evidence is refuted too (flow7): the rule reports only with that evidence.
 */
export function workAfterFailure(
  fn: SimFunction,
  site: CallSiteRef,
  work: WorkSite[],
  options: SimOptions = {},
  result?: SimResult,
  /**
   * flow7: evidence found elsewhere that the work is for a success only (another function of the patch makes the
   * same call followed by the same work, and its own handling of other failures skips it: that answer's story).
   * Given, the function's own failures are not searched: the failure reaching the work decides.
   */
  borrowed?: { from: string; story: string },
): WorkAfterFailureAnswer {
  try {
    result ??= simulate(fn, options);
    const shape = failureShape(options.conventionOf?.(site.callee), site.callee);
    if (!shape || shape.guessed || shape.errPtr) return { verdict: 'inconclusive', reason: `the failure convention of ${site.callee}() is not known` };
    let reached = false;
    for (const w of work) {
      if (modelFor(w.callee)) continue;
      // A path where the call fails (or may: nothing tested it) and the statement runs after it.
      let witness: { p: SimPath; c: Constraints; sym: string } | undefined;
      for (const p of result.paths) {
        const syms = callSymbols(p, site);
        if (syms.length !== 1) continue;
        const sym = syms[0]!;
        const at = p.effects.findIndex((e) => e.symbol === sym);
        if (at < 0 || !p.effects.some((e, i) => i > at && e.kind === 'call' && e.target === w.callee && e.line === w.line)) continue;
        const failing = intersect(p.constraints[sym] ?? TOP, { cls: shape.cls, ne: [], ...(shape.eq !== undefined ? { eq: shape.eq } : {}) })
          ?? intersect(p.constraints[sym] ?? TOP, { cls: shape.cls, ne: [] });
        if (!failing) continue;
        const c = merge(p.constraints, { [sym]: failing });
        if (!c) continue;
        if (!witness || p.assumptions.length < witness.p.assumptions.length) witness = { p, c, sym };
      }
      if (!witness) continue;
      reached = true;
      const workValues = witness.p.effects.filter((e) => e.kind === 'call' && e.target === w.callee && e.line === w.line).flatMap((e) => e.values);
      // The calls whose results the statement works on, with their lines: what it releases or finishes was set up there.
      const inputs = witness.p.effects.filter((e) => e.kind === 'call' && e.symbol && workValues.some((v) => v.includes(e.symbol!)));
      const setUpAt = Math.max(0, ...inputs.map((e) => e.line));
      // The evidence: how the function handles the NEAREST earlier failure it does handle (a fallible call before this
      // one on the witness path that fails on some path reporting a failure). That handling must leave before the
      // statement's place (a return or a stop; a jump to a common exit after the statement, `goto out;`, leaves through
      // an unwinding sequence the statement may belong to) without ever running the statement's callee.
      const reads = new Set(w.reads);
      const texts = lineTexts(fn);
      const at = witness.p.effects.findIndex((e) => e.symbol === witness!.sym);
      const earlier = witness.p.effects.slice(0, at).filter((e) => e.kind === 'call' && e.symbol).reverse();
      let evidence: { p: SimPath; callee: string; line: number; how: string } | undefined;
      for (const h of earlier) {
        const hs = failureShape(options.conventionOf?.(h.target), h.target);
        if (!hs || hs.guessed) continue;
        const handled = result.paths.flatMap((q) => {
          const e = q.effects.find((x) => x.kind === 'call' && x.target === h.target && x.line === h.line && x.symbol && failedOn(q, x.symbol, hs));
          const how = e ? reportsFailure(q, options.namedStatus) : undefined;
          return e && how ? [{ q, e, how }] : [];
        });
        if (handled.length === 0) continue;
        // Unrelated to the statement: it neither reads what that call was given, nor (on the witness path) works on
        // what it returned (`put_domain(d)` after `d = get_domain_by_id(id)`), nor on anything set up after it
        // (`free(buf)` after `buf = malloc(..)`: a failure before the allocation skips the free for that reason alone).
        // The variable the source stores its result in counts too: the simulator may have lost track of the value
        // on the way (a loop the code jumps back into havocs it).
        const holder = new RegExp(`(\\w+)\\s*=\\s*${h.target.replace(/[^\w]/g, '\\$&')}\\s*\\(`).exec(texts.get(h.line) ?? '')?.[1];
        const related = [...identifiers(h.argText)].some((x) => reads.has(x)) || (holder !== undefined && reads.has(holder)) || workValues.some((v) => v.includes(h.symbol!)) || h.line <= setUpAt;
        const leaves = handled.find(({ q }) => !related && q.end.line < w.line && !q.effects.some((e) => e.kind === 'call' && e.target === w.callee));
        if (leaves) evidence = { p: leaves.q, callee: h.target, line: h.line, how: leaves.how };
        break;
      }
      if (!evidence && !borrowed) continue;
      const { p, c, sym } = witness;
      // The path's other assumptions are in its steps; the story names the two failures it compares.
      const fails = failureText(sym, c, shape);
      // Borrowed evidence says nothing about what this function set up: work on another call's result here (a
      // release of what it acquired) may be this function's own unwinding.
      if (!evidence && borrowed && inputs.length === 0) {
        const story = `when ${site.callee}() returns ${fails}, ${fn.name}() goes on to run \`${w.text}\` (line ${w.line}) before it looks at the result; ${borrowed.from}() makes the same call followed by the same work, and there, ${borrowed.story}`;
        return { verdict: 'verified', reason: story, witness: { path: p, story, steps: stepsOf(fn, p) }, work: w };
      }
      if (!evidence) continue;
      const because = `when ${evidence.callee}() fails at line ${evidence.line}, it ${evidence.how} at line ${evidence.p.end.line} without running ${w.callee}()`;
      const story = `when ${site.callee}() returns ${fails}, ${fn.name}() goes on to run \`${w.text}\` (line ${w.line}) before it looks at the result; ${because}`;
      return { verdict: 'verified', reason: story, witness: { path: p, story, steps: stepsOf(fn, p) }, work: w, evidence: because };
    }
    // flow7: the evidence IS the finding (without it the work may be this path's own); a simulation that stopped
    // early without showing it leaves nothing to report, as a function with no visible handled failure does.
    const stopped = result.status !== 'complete' ? ` (on the paths simulated; the simulation stopped early: ${result.reason ?? 'budget'})` : '';
    return {
      verdict: 'refuted',
      reason: stopped && !reached
        ? `no path simulated runs the following work after ${site.callee}() fails${stopped}`
        : stopped
        ? `nothing in ${fn.name}() shows that the work after ${site.callee}() is for a success only${stopped}`
        : reached
        ? `nothing in ${fn.name}() shows that the work after ${site.callee}() is for a success only: the nearest earlier failure it handles does not return or stop before that work (it jumps to a common exit, runs the same call, or fails before what the work uses was set up)`
        : `no path runs the following work after ${site.callee}() fails`,
    };
  } catch (e) {
    return { verdict: 'inconclusive', reason: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
}

