// Liveness of a call's result: is a status value overwritten, or left to die, before anything tests it?
// (`rc = a(); rc = b();`, `res = f(); return 0;`, `rc = cb()` in a loop without a break, a permission
// check's result overwritten by the operation it guards.)
import type { LostResultAnswer, LostValue, SimFunction, SimOptions, SimPath, SimResult } from '../types.ts';
import { simulate } from '../engine/simulate.ts';
import { merge, type Constraints } from './compat.ts';
import { callSymbols, endPhrase, failureShape, failureText, type CallSiteRef } from './witness.ts';
import { joinPhrases, phrase, stepsOf } from './story.ts';
import { programOf } from '../program/node.ts';
import { LineMapper } from '../program/source.ts';
import { calleeText } from '../engine/calls.ts';

/**
 * On some path, does the result of the call at `site` get lost before anything uses it? A use is a
 * test (if, loop, switch, ternary, BUG_ON), passing it to a callee that can act on it (not a log
 * call), storing it where others read it, returning it, or unseen code that can name its variable.
 *
 * verified: a path where the result is overwritten (also by the same call on the next loop
 * iteration), goes out of scope, or is still unused when the function returns; the witness fails
 * the call within its convention where that is possible. refuted: the simulation is complete and
 * every path uses the result first. inconclusive: otherwise (incomplete simulation, no such call,
 * or a result never stored in a variable: that is an ignored result, not a lost one).
 */
export function lostResult(fn: SimFunction, site: CallSiteRef, options: SimOptions = {}, result?: SimResult): LostResultAnswer {
  try {
    result ??= simulate(fn, options);
    if (!storedAt(fn, site)) return { verdict: 'inconclusive', reason: `the result of ${site.callee}() at line ${site.line} is not kept in a variable: it is ignored, not lost` };
    let seen = false;
    let best: { p: SimPath; lost: LostValue; c: Constraints } | undefined;
    const shape = failureShape(options.conventionOf?.(site.callee), site.callee);
    for (const p of result.paths) {
      const syms = callSymbols(p, site);
      if (!syms.length) continue;
      seen = true;
      for (const sym of syms) {
        const lost = p.lost.find((l) => l.symbol === sym);
        if (!lost) continue;
        // Show the lost result as a failure when the path allows it (nothing tested it, so it usually does).
        const failing = shape && !shape.errPtr ? merge(p.constraints, { [sym]: { cls: shape.cls, ne: [], ...(shape.eq !== undefined ? { eq: shape.eq } : {}) } }) : undefined;
        const c = failing ?? p.constraints;
        // The simplest witness: an overwrite over a dead end, a path that ends over one cut at the loop bound, fewest assumptions.
        const rank = (x: LostValue, q: SimPath): number => (x.how === 'overwritten' ? 0 : x.how === 'scope-end' ? 1 : 2) + (q.end.kind === 'cut' ? 3 : 0);
        if (!best || rank(lost, p) < rank(best.lost, best.p) || (rank(lost, p) === rank(best.lost, best.p) && p.assumptions.length < best.p.assumptions.length)) {
          best = { p, lost, c };
        }
      }
    }
    if (best) return { verdict: 'verified', variable: best.lost.variable, lostAt: { line: best.lost.line, how: best.lost.how }, witness: lostWitness(fn, best.p, best.lost, best.c, site, shape) };
    if (result.status !== 'complete') return { verdict: 'inconclusive', reason: result.reason ?? 'simulation incomplete', ...(result.stoppedBy ? { stoppedBy: result.stoppedBy } : {}) };
    if (!seen) return { verdict: 'inconclusive', reason: `no call to ${site.callee}() at line ${site.line} on any simulated path` };
    return { verdict: 'refuted', reason: `on every path the result of ${site.callee}() at line ${site.line} is tested, returned or passed on before it is overwritten` };
  } catch (e) {
    return { verdict: 'inconclusive', reason: `internal error: ${e instanceof Error ? e.message : String(e)}`, stoppedBy: 'internal' };
  }
}

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

function lostWitness(fn: SimFunction, p: SimPath, lost: LostValue, c: Constraints, site: CallSiteRef, shape: ReturnType<typeof failureShape>): LostResultAnswer['witness'] {
  const call = `${site.callee}()`;
  const failed = shape && c[lost.symbol] ? `${call} returns ${failureText(lost.symbol, c, shape)}` : `${call} returns any value`;
  const others = p.assumptions.filter((a) => a.symbol !== lost.symbol).map(phrase);
  const when = joinPhrases([failed, ...others]);
  const how = lost.how === 'overwritten'
    ? `overwrites ${lost.variable} at line ${lost.line} before anything tests it`
    : lost.how === 'scope-end'
      ? `leaves the block that holds ${lost.variable} at line ${lost.line} without testing it`
      : `never tests ${lost.variable}`;
  const story = `when ${when}, ${fn.name}() ${how}, and ${endPhrase(p, c)}`;
  const notes = new Map<number, string>([[site.line, `${call} returns here; ${lost.variable} holds its result`], [lost.line, lost.how === 'overwritten' ? `${lost.variable} overwritten: the earlier result is lost` : `${lost.variable} is never tested`]]);
  return { path: { ...p, constraints: c }, story, steps: stepsOf(fn, { ...p, assumptions: p.assumptions.filter((a) => a.symbol !== lost.symbol) }, notes) };
}
