// One SimSession per touched function: caches the simulations rules share and turns the
// simulator's answers into the review's evidence shapes.
import type { FileModel, FunctionImage, TouchedFunction } from '../c/types.ts';
import type { SyntaxNode } from '../c/parser.ts';
import {
  simulate, mayReturnSuccessAfterFailure, lostResult, equivalent, differential, functionFromSource, successConstraints,
  type SimFunction, type SimOptions, type SimResult, type SimPath, type WitnessStep, type DifferentialAnswer, type Difference,
  type EquivalenceAnswer, type Value, errnoName,
} from '../sim/index.ts';
import { firstErrorNode } from '../c/parser.ts';
import { callSymbols, failureShape, swallows } from '../sim/query/witness.ts';
import { workAfterFailure } from '../sim/query/goes-on.ts';
import { intersect, NEG, TOP } from '../sim/state/domain.ts';
import { symbolsOf } from '../sim/state/value.ts';
import { stepsOf, phrase, joinPhrases } from '../sim/query/story.ts';

interface SuccessChange {
  /** Post-image line where behaviour changes. */
  line: number;
  story: string;
  steps: { file: string; line: number; text: string }[];
  kind: 'returns-early' | 'return-value' | 'effects' | 'other';
}

interface DiffAnswer {
  status: 'complete' | 'inconclusive';
  reason?: string;
  successPathChanges: SuccessChange[];
}
import { conditionOf, declaredNames, descendants, fold, isMarker } from './ast.ts';
import { calleeName, peel, resultUse } from './calls.ts';
import type { SimAnswer, SimSession, Story } from './simulation.ts';
import type { Question } from './rule.ts';
import type { ReviewOptions } from './types.ts';
import { knowledgeFor, type Knowledge } from '../knowledge/index.ts';
import type { Edit } from './rule.ts';
import { STATUS_TYPES, statusTypeOf } from '../knowledge/status-types.ts';
import { isErrorConstant, STATUS_TYPE_VARIABLE } from './api-data.ts';
import { successAfter } from './success-after.ts';
import { itemsRead, writeKept } from './config-queries.ts';

/**
 * The check right after a stored call (`v = f(..); if ( !v ) return ..;`, `v == NULL`, `v == 0`, under `unlikely()`)
 * tests the result for zero: the failure it leaves on is a NULL or a 0.
 */
function failureTestedAsZero(call: SyntaxNode): boolean {
  const use = resultUse(call);
  if (use.kind !== 'assigned' || use.checkedBy?.type !== 'if_statement') return false;
  const cond = peel(conditionOf(use.checkedBy));
  if (!cond) return false;
  if (cond.type === 'unary_expression' && cond.childForFieldName('operator')?.text === '!') {
    return fold(peel(cond.childForFieldName('argument'))?.text ?? '') === fold(use.variable);
  }
  if (cond.type !== 'binary_expression' || cond.childForFieldName('operator')?.text !== '==') return false;
  const sides = [cond.childForFieldName('left')?.text ?? '', cond.childForFieldName('right')?.text ?? ''].map(fold);
  return sides.includes(fold(use.variable)) && sides.some((x) => x === 'NULL' || x === '0');
}

/** The node sits in the right operand of `&&` / `||` or in an arm of `?:` within its statement: it may not be evaluated. */
function shortCircuited(node: SyntaxNode): boolean {
  for (let n = node; n.parent && !/statement$|^declaration$/.test(n.parent.type); n = n.parent) {
    const p = n.parent;
    if (p.type === 'binary_expression' && ['&&', '||'].includes(p.childForFieldName('operator')?.text ?? '') && p.childForFieldName('right')?.id === n.id) return true;
    if (p.type === 'conditional_expression' && p.childForFieldName('condition')?.id !== n.id) return true;
  }
  return false;
}

export function createSimSession(
  fn: TouchedFunction,
  file: FileModel,
  options: ReviewOptions,
  /** The review's conventions (fallibility.convention: what the patch shows, then the project's knowledge). */
  conventionOf?: (callee: string) => ReturnType<Knowledge['lookup']>,
): SimSession {
  const post = fn.post!;
  let paths = 0;
  let exhausted = false;
  let knowledge: Knowledge | undefined;
  const conventions = new Map<string, ReturnType<Knowledge['lookup']>>();
  let preserved: string[] | undefined;
  let unseenLocals: string[] | undefined;
  const simOptions: SimOptions = {
    budget: options.budget,
    // Read when a simulation starts: a function no rule asks about never walks its declarations for it.
    get preserveAtGaps(): string[] {
      return (preserved ??= introducedNames(fn));
    },
    get localsOfUnseenCode(): string[] {
      return (unseenLocals ??= localsOfUnseenCode(fn));
    },
    // A witness shows the callee's real failure (kb: the same knowledge the fallibility layer reads).
    // lost: status names stay names in the simulator; this says which mean success (knowledge/status-types.ts)
    // and which a failure (api-data's error-constant spellings), for lostResult's afterTests.
    namedStatus: (name) => (STATUS_TYPES.some((t) => t.success === name) ? 'success' : isErrorConstant(name) ? 'failure' : undefined),
    // Asked once per call per path (and per path pair by the queries): remembered per callee for the session.
    conventionOf: (callee) => {
      if (conventions.has(callee)) return conventions.get(callee);
      const c = conventionOf ? conventionOf(callee) : (knowledge ??= knowledgeFor({ kb: options.kb, tree: options.tree, apis: options.apis })).lookup(callee);
      conventions.set(callee, c);
      return c;
    },
    onSimulated: (stats) => {
      paths += stats.paths;
    },
  };
  let postResult: SimResult | undefined;
  let diff: DiffAnswer | undefined | null = null;

  const story = (s: string, steps: WitnessStep[]): Story => ({
    story: s,
    steps: steps.map((st) => ({ file: file.path, line: st.line, text: st.text })),
  });
  /** The post-image simulated once per function; every question reads this result. */
  const postRun = (): SimResult => {
    if (!postResult) {
      postResult = simulate(post, simOptions);
      if (postResult.status !== 'complete') exhausted = true;
    }
    return postResult;
  };
  /** Rewritten images by their edits, and simulations of them: rules propose the same rewrite or base more than once. */
  const rewrites = new Map<string, ReturnType<typeof rewritten>>();
  const rewrittenOnce = (edits: Edit[]): ReturnType<typeof rewritten> => {
    const key = edits.map((e) => `${e.start}:${e.end}:${e.text.length}:${e.text}`).join('\0');
    if (!rewrites.has(key)) rewrites.set(key, rewritten(post, edits));
    return rewrites.get(key);
  };
  // A reused simulation is charged to the review's path count as if it ran again: the paths limit bounds what
  // the answers rest on, so reusing one never changes which functions a large review reaches (nor its stats).
  const simulations = new WeakMap<SimFunction, SimResult>();
  const simulated = (f: SimFunction): SimResult => {
    let r = simulations.get(f);
    if (!r) simulations.set(f, (r = simulate(f, simOptions)));
    else paths += r.stats.paths;
    return r;
  };
  let preResult: SimResult | undefined;
  /** The pre-image simulated once per function, for the questions that compare. */
  const preRun = (): SimResult => (preResult ??= simulate(fn.pre!, simOptions));
  const lineOf = (n: SyntaxNode): number => post.lineMap[n.startPosition.row] ?? 0;
  const closingBraceVisible = (post.lineMap[post.node.endPosition.row] ?? 0) !== 0;
  const stopped = (r: SimResult): string => r.reason ?? 'the simulation did not finish';
  const unknown = (reason: string): SimAnswer => ({ outcome: 'unknown', reason });

  function differentialAnswer(): DiffAnswer | undefined {
    if (diff !== null) return diff;
    if (!fn.pre) return (diff = undefined);
    const answer: DifferentialAnswer = differential(fn.pre, post, simOptions, { post: postRun() });
    diff = {
      status: answer.status,
      ...(answer.reason ? { reason: answer.reason } : {}),
      successPathChanges: answer.successPathChanges.map((d): SuccessChange => {
        const returnsEarly = d.pre.end !== 'return' && d.post.end === 'return';
        const kind: SuccessChange['kind'] = returnsEarly
          ? 'returns-early'
          : d.kind === 'return-value' && d.pre.end === 'return' && d.post.end === 'return' ? 'return-value'
          : d.kind === 'effects' ? 'effects' : 'other';
        return { line: d.line, story: returnsEarly ? earlyStory(post.name, d) : d.story, steps: [], kind };
      }),
    };
    return diff;
  }

  const ask: Record<Question['kind'], (q: never) => SimAnswer> = {
    'success-after': (q: Extract<Question, { kind: 'success-after' }>) =>
      successAfter({ post, result: postRun(), line: lineOf(q.at), text: q.at.text, ...(q.doing ? { doing: q.doing } : {}), closingBraceVisible, story: (s, p) => story(s, stepsOf(post, p)) }),
    'failure-swallowed': (q: Extract<Question, { kind: 'failure-swallowed' }>) => {
      const callee = calleeName(q.call);
      if (postRun().status !== 'complete' && postRun().paths.length === 0) return unknown(stopped(postRun()));
      const answer = mayReturnSuccessAfterFailure(post, { callee, line: lineOf(q.call) }, simOptions, postRun());
      // Falling off the end is a return only where the function's closing brace is visible: the end of a
      // fragment is code the patch does not show, not "returns without reporting it".
      if (answer.verdict === 'verified' && answer.witness?.path.end.kind === 'fallthrough' && !closingBraceVisible) {
        return unknown(`the patch does not show how ${post.name}() goes on after its last visible line`);
      }
      if (answer.verdict === 'verified' && answer.witness) {
        if (q.premise) return { outcome: 'unknown', witness: story(answer.witness.story, answer.witness.steps), reason: `${answer.witness.story}; ${q.premise}` };
        return { outcome: 'yes', witness: story(answer.witness.story, answer.witness.steps), reason: answer.witness.story };
      }
      if (answer.verdict === 'refuted') {
        return { outcome: 'no', reason: answer.reason ?? `on every path where ${callee}() fails, ${post.name}() passes the failure on or stops` };
      }
      return unknown(answer.reason ?? 'the simulator could not decide');
    },
    'success-path-change': (q: Extract<Question, { kind: 'success-path-change' }>) => {
      const d = differentialAnswer();
      const line = lineOf(q.at);
      if (!d) return unknown('the patch shows no pre-image of this function to compare with');
      const change = d.successPathChanges.find((c) => c.line === line && c.kind === q.change);
      if (change) return { outcome: 'yes', witness: change, reason: change.story };
      if (d.status !== 'complete') return unknown(d.reason ?? 'the comparison did not finish');
      return { outcome: 'no', reason: `with every callee succeeding, the pre- and post-image behave the same at line ${line}` };
    },
    'exit-without-failure': (q: Extract<Question, { kind: 'exit-without-failure' }>) => {
      const line = lineOf(q.exit);
      const result = postRun();
      const through = q.through ? lineOf(q.through) : undefined;
      const here = result.paths.filter(
        (p) => p.end.kind === 'return' && p.end.line === line && (q.value === undefined || fold(p.end.valueText ?? '') === q.value) && (through === undefined || p.trace.includes(through)),
      );
      const hit = here.find((p) => successConstraints(p));
      const value = q.value ?? fold(q.exit.namedChild(0)?.text ?? '');
      if (hit) {
        const conditions = hit.assumptions.filter((a) => a.origin !== 'call').map((a) => `${a.subject} ${a.relation}`);
        const when = conditions.length > 0 ? `when ${conditions.join(' and ')}` : 'on a path where nothing failed';
        const s = `${when}, ${post.name}() returns ${value} although no call failed`;
        return { outcome: 'yes', witness: story(s, stepsOf(post, hit)), reason: s };
      }
      if (result.status !== 'complete') return unknown(stopped(result));
      if (here.length === 0) return { outcome: 'no', reason: `no path reaches the exit at line ${line}${q.value !== undefined ? ` returning ${q.value}` : ''}${through !== undefined ? ` through line ${through}` : ''}` };
      return { outcome: 'no', witness: story(`${post.name}() reaches this exit only after a call failed`, stepsOf(post, here[0]!)), reason: `${value} is returned only after a call failed` };
    },
    'exit-reachable': (q: Extract<Question, { kind: 'exit-reachable' }>) => {
      const line = lineOf(q.exit);
      const result = postRun();
      const hit = result.paths.find((p) => p.end.kind === 'return' && p.end.line === line);
      if (hit) return { outcome: 'yes', witness: story(`${post.name}() can take the exit at line ${line}`, stepsOf(post, hit)), reason: `the exit at line ${line} is reachable` };
      if (result.status !== 'complete') return unknown(stopped(result));
      return { outcome: 'no', reason: `no path reaches the exit at line ${line}: its condition cannot hold there` };
    },
    'write-kept': (q: Extract<Question, { kind: 'write-kept' }>) => writeKept(q, { post, result: postRun(), lineOf, closingBraceVisible, story }),
    'items-read': (q: Extract<Question, { kind: 'items-read' }>) => itemsRead(q, { post, result: postRun(), lineOf, closingBraceVisible, story }),
    'reached-when': (q: Extract<Question, { kind: 'reached-when' }>) => {
      const result = postRun();
      const callee = calleeName(q.call);
      const bit = q.result === 'negative' ? 1 : q.result === 'zero' ? 2 : 4;
      const targetLine = lineOf(q.target);
      const callLine = lineOf(q.call);
      // trunc7 (`untested`): the call made on the path before the target, its result never branched on there.
      // A target that is a call must be made on the path (not only its line reached), after the call.
      const targetCallee = q.target.type === 'call_expression' ? calleeName(q.target) : null;
      const untestedBefore = (p: SimPath): boolean => {
        const at = p.effects.findIndex((e) => e.kind === 'call' && e.target === callee && e.line === callLine && (!e.symbol || !p.constraints[e.symbol]));
        if (at < 0) return false;
        if (targetCallee) return p.effects.some((e, i) => i > at && e.kind === 'call' && e.target === targetCallee && e.line === targetLine);
        const t = p.trace.indexOf(callLine);
        return t >= 0 && p.trace.lastIndexOf(targetLine) > t;
      };
      const hit = result.paths.find(
        (p) =>
          p.trace.includes(targetLine) &&
          (callSymbols(p, { callee, line: callLine }).some((s) => {
            const d = p.constraints[s];
            // The path must allow that class (a test for non-zero allows both signs).
            return !!d && (d.cls & bit) !== 0;
          }) || (q.untested === true && untestedBefore(p))),
      );
      if (!hit) {
        if (result.status !== 'complete') return unknown(stopped(result));
        if (q.untested) return { outcome: 'no', reason: `no path gets from ${callee}() at line ${callLine} to line ${targetLine} with the result untested` };
        return { outcome: 'no', reason: `no path reaches line ${targetLine} when ${callee}() returns a ${q.result} value` };
      }
      const value = q.result === 'positive' ? 'a positive value' : q.result === 'zero' ? '0' : 'a negative value';
      const s = q.untested && !callSymbols(hit, { callee, line: callLine }).some((x) => hit.constraints[x])
        ? `after ${callee}() at line ${callLine}, with nothing testing its result, ${post.name}() reaches \`${fold(q.target.text)}\` (line ${targetLine})`
        : `when ${callee}() returns ${value}, ${post.name}() reaches \`${fold(q.target.text)}\` (line ${targetLine})`;
      if (q.premise) return { outcome: 'unknown', witness: story(`${s}; ${q.premise}`, stepsOf(post, hit)), reason: `${s}; ${q.premise}` };
      return { outcome: 'yes', witness: story(s, stepsOf(post, hit)), reason: s };
    },
    'same-effects': (q: Extract<Question, { kind: 'same-effects' }>) => {
      // r2r3 (issue 9 §3, duplicated code): what each copy does on the paths that run it, as call/log/write
      // sequences over rendered values; the copies are one piece of code when the two sets are the same.
      const result = postRun();
      const span = (nodes: SyntaxNode[]): [number, number] => [lineOf(nodes[0]!), post.lineMap[nodes[nodes.length - 1]!.endPosition.row] ?? 0];
      const shown = new Map<string, string>();
      const runs = ([lo, hi]: [number, number]): Map<string, SimPath> => {
        const out = new Map<string, SimPath>();
        for (const p of result.paths) {
          if (!p.trace.some((l) => l >= lo && l <= hi)) continue;
          const mine = p.effects.filter((e) => e.line >= lo && e.line <= hi);
          const key = mine.map((e) => `${e.kind}:${e.target}(${e.values.join(', ')})`).join('; ');
          if (!shown.has(key)) shown.set(key, mine.map((e) => (e.kind === 'write' ? `${e.target} = ${e.argText.join(', ')}` : `${e.target}(${e.argText.join(', ')})`)).join('; '));
          if (!out.has(key)) out.set(key, p);
        }
        return out;
      };
      const [a, b] = [span(q.first), span(q.second)];
      const ra = runs(a);
      const rb = runs(b);
      if (ra.size === 0 || rb.size === 0) {
        if (result.status !== 'complete') return unknown(stopped(result));
        return { outcome: 'no', reason: `no path runs the copy at line ${ra.size === 0 ? a[0] : b[0]}` };
      }
      const onlyA = [...ra.keys()].find((k) => !rb.has(k));
      const onlyB = [...rb.keys()].find((k) => !ra.has(k));
      if (onlyA === undefined && onlyB === undefined) {
        if (result.status !== 'complete') return unknown(stopped(result));
        const first = [...ra.keys()].sort((x, y) => y.length - x.length)[0] ?? '';
        const what = fold(shown.get(first) ?? '');
        const s = `the copy at lines ${a[0]}-${a[1]} and the one at lines ${b[0]}-${b[1]} make the same calls with the same values on every path that runs them${what ? ` (${what.length > 160 ? `${what.slice(0, 157)}...` : what})` : ''}`;
        return { outcome: 'yes', witness: story(s, stepsOf(post, ra.get(first)!)), reason: s };
      }
      const diff = onlyA ?? onlyB!;
      const what = fold(shown.get(diff) ?? '');
      const s = `the copies do not do the same: on a path through line ${onlyA !== undefined ? a[0] : b[0]} the copy does ${what ? `${what.length > 160 ? `${what.slice(0, 157)}...` : what} with values` : 'nothing'} the other copy never has`;
      return { outcome: 'no', witness: story(s, stepsOf(post, (onlyA !== undefined ? ra.get(onlyA) : rb.get(onlyB!))!)), reason: s };
    },
    'effect-on-failure': (q: Extract<Question, { kind: 'effect-on-failure' }>) => {
      const result = postRun();
      const callLine = lineOf(q.call);
      const effectLine = lineOf(q.effect);
      const callee = calleeName(q.call);
      const failed = (p: SimPath): boolean =>
        callSymbols(p, { callee, line: callLine }).some((s) => {
          const d = p.constraints[s];
          return !!d && (d.cls & 2) === 0;
        });
      const hit = result.paths.find((p) => failed(p) && p.effects.some((e) => e.line === effectLine));
      if (!hit) {
        if (result.status !== 'complete') return unknown(stopped(result));
        return { outcome: 'no', reason: `no path runs line ${effectLine} after ${callee}() fails` };
      }
      const s = `when ${callee}() fails, ${post.name}() runs \`${fold(q.effect.text).replace(/;$/, '')}\``;
      return { outcome: 'yes', witness: story(s, stepsOf(post, hit)), reason: s };
    },
    'result-lost': (q: Extract<Question, { kind: 'result-lost' }>) => {
      // detect (issue 9 §2): liveness of a stored call result, answered by sim's lostResult on the cached run.
      const callee = calleeName(q.call);
      const answer = lostResult(post, { callee, line: lineOf(q.call) }, simOptions, postRun(), { afterTests: q.afterTests === true, unhandled: q.unhandled === true });
      // "Never tested" at the end of a fragment is unseen code, not the function's end.
      const end = answer.witness?.path.end;
      if (answer.verdict === 'verified' && answer.lostAt?.how !== 'overwritten' && end?.kind === 'fallthrough' && !closingBraceVisible) {
        return unknown(`the patch does not show how ${post.name}() goes on after its last visible line`);
      }
      // Replaced by another error constant: the caller still sees a failure, only not this one.
      if (answer.verdict === 'verified' && end?.kind === 'return' && /^(-\s*E[A-Z0-9_]+|-\d+|\w*_ERROR_\w*)$/.test(end.valueText ?? '')) {
        return unknown(`${post.name}() still returns an error (${end.valueText}) on that path, only not the one ${callee}() gave`);
      }
      if (answer.verdict === 'verified' && answer.witness) {
        return { outcome: 'yes', witness: story(answer.witness.story, answer.witness.steps), reason: answer.witness.story };
      }
      if (answer.verdict === 'refuted') return { outcome: 'no', reason: answer.reason ?? `every path tests the result of ${callee}() first` };
      return unknown(answer.reason ?? 'the simulator could not decide');
    },
    'work-after-failure': (q: Extract<Question, { kind: 'work-after-failure' }>) => {
      // overwrite (held-out class 5): work done on a failure nothing has looked at yet (src/sim/query/goes-on.ts).
      const callee = calleeName(q.call);
      const sites = (list: SyntaxNode[], at: (n: SyntaxNode) => number) => list.map((s) => {
        const call = s.type === 'expression_statement' ? s.namedChild(0) : s;
        const args = call?.type === 'call_expression' ? call.childForFieldName('arguments') : null;
        return {
          callee: call?.type === 'call_expression' ? calleeName(call) : '',
          line: at(s),
          reads: args ? [...descendants(args, 'identifier')].map((i) => i.text) : [],
          text: fold(s.text).replace(/;$/, ''),
        };
      });
      const work = sites(q.work, lineOf);
      let answer = workAfterFailure(post, { callee, line: lineOf(q.call) }, work, simOptions, postRun());
      // flow7: nothing here shows the work is success-only; the same call and work in another function of the
      // patch may (its own question, verified there, is the evidence).
      const sib = q.sibling?.fn.post;
      if (answer.verdict === 'refuted' && q.sibling && sib) {
        const at = (n: SyntaxNode): number => sib.lineMap[n.startPosition.row] ?? 0;
        const there = workAfterFailure(sib, { callee: calleeName(q.sibling.call), line: at(q.sibling.call) }, sites(q.sibling.work, at), simOptions);
        if (there.verdict === 'verified' && there.evidence && there.work) {
          const same = work.filter((w) => w.callee === there.work!.callee);
          const borrowed = workAfterFailure(post, { callee, line: lineOf(q.call) }, same, simOptions, postRun(), { from: sib.name, story: there.evidence });
          if (borrowed.verdict === 'verified') answer = borrowed;
        }
      }
      if (answer.verdict === 'verified' && answer.witness) return { outcome: 'yes', witness: story(answer.witness.story, answer.witness.steps), reason: answer.reason };
      if (answer.verdict === 'refuted') return { outcome: 'no', reason: answer.reason };
      return unknown(answer.reason);
    },
    'success-via': (q: Extract<Question, { kind: 'success-via' }>) => {
      // detect (issue 9 §2): an error exit that still returns the 0 an earlier success left in the status.
      const line = lineOf(q.via);
      // regress: a goto to a label the patch does not show, read as the return the rule's premise says it is.
      const image = q.asReturn && q.via.type === 'goto_statement'
        ? rewritten(post, [{ start: q.via.startIndex, end: q.via.endIndex, text: `return ${q.asReturn};` }])
        : post;
      if (!image) return unknown('the function does not parse with the exit read as a return');
      const result = image === post ? postRun() : simulate(image, simOptions);
      const zero = (p: SimPath): boolean => {
        const v = p.end.kind === 'return' ? p.end.value : undefined;
        if (!v) return false;
        if (v.k === 'num') return v.n === 0 && !v.isNull;
        // A success constant kept as a name (`TEE_SUCCESS`, as initialised and never written since).
        if (v.k === 'sym' && v.origin === 'input' && v.id === `in:${v.label}` && simOptions.namedStatus?.(v.label) === 'success') return true;
        const d = v.k === 'sym' ? p.constraints[v.id] : undefined;
        return !!d && (d.cls === 2 || d.eq === 0);
      };
      const through = result.paths.filter((p) => p.trace.includes(line));
      const hit = through.find(zero);
      if (hit) {
        const when = joinPhrases(hit.assumptions.map(phrase));
        const end = hit.end.kind === 'return' ? hit.end.value : undefined;
        const success = end?.k === 'sym' && end.origin === 'input' && simOptions.namedStatus?.(end.label) === 'success' ? end.label : '0';
        const s = `${when ? `when ${when}, ` : ''}${post.name}() takes the exit at line ${line} (\`${fold(q.via.text)}\`) ${q.asReturn ? `with ${q.asReturn} holding ${success}` : `and returns ${success}`}: the status still holds an earlier success`;
        return { outcome: 'yes', witness: story(s, stepsOf(image, hit)), reason: s };
      }
      if (result.status !== 'complete') return unknown(stopped(result));
      if (through.length === 0) return { outcome: 'no', reason: `no path reaches line ${line}` };
      if (through.some((p) => p.end.kind !== 'return')) return unknown(`some paths through line ${line} go on into code the patch does not show`);
      return { outcome: 'no', reason: `every path through line ${line} returns a non-zero status` };
    },
    'status-regressed': (q: Extract<Question, { kind: 'status-regressed' }>) => {
      // regress (issue 9 §3): an exit that reported a failure on every pre-image path now passes on an earlier
      // success. A `goto L;` is read as `return variable;` (the rule's premise: L passes the status on), on both sides.
      const pre = fn.pre;
      if (!pre) return unknown('the patch shows no pre-image of this function to compare with');
      const atExit = (image: FunctionImage, exit: SyntaxNode): { result: SimResult; line: number; image: SimFunction } | string => {
        const line = image.lineMap[exit.startPosition.row] ?? 0;
        const asReturn = exit.type === 'return_statement' ? image : rewritten(image, [{ start: exit.startIndex, end: exit.endIndex, text: `return ${q.variable};` }]);
        if (!asReturn) return 'the function does not parse with the exit read as a return';
        const result = asReturn === post ? postRun() : simulate(asReturn, simOptions);
        return { result, line, image: asReturn };
      };
      const after = atExit(post, q.exit);
      if (typeof after === 'string') return unknown(after);
      const exitText = fold(q.exit.text);
      const hit = after.result.paths
        .filter((p) => p.end.kind === 'return' && p.end.line === after.line)
        .map((p) => ({ p, s: statusOf(p.end.value, p) }))
        .find((x) => x.s.kind === 'success');
      if (!hit) {
        if (after.result.status !== 'complete') return unknown(stopped(after.result));
        return { outcome: 'no', reason: `no path reaches \`${exitText}\` (line ${after.line}) with ${q.variable} holding a success` };
      }
      const before = atExit(pre, q.preExit);
      if (typeof before === 'string') return unknown(before);
      if (before.result.status !== 'complete') return unknown(`pre: ${stopped(before.result)}`);
      const prePaths = before.result.paths.filter((p) => p.end.kind === 'return' && p.end.line === before.line);
      if (prePaths.length === 0) return unknown(`no pre-image path reaches \`${exitText}\` (line ${before.line})`);
      const preStatus = prePaths.map((p) => ({ p, s: statusOf(p.end.value, p) }));
      const when = joinPhrases(hit.p.assumptions.map(phrase));
      const now = `${when ? `when ${when}, ` : ''}${post.name}() takes \`${exitText}\` (line ${after.line}) with ${q.variable} holding ${hit.s.text}`;
      const witness = story('', stepsOf(after.image, hit.p)).steps;
      const passes = preStatus.find((x) => x.s.kind === 'success');
      if (passes) return { outcome: 'no', reason: `before the patch ${q.variable} could already hold a success there (${passes.s.text}): not a regression` };
      if (preStatus.every((x) => x.s.kind === 'failure')) {
        const texts = [...new Set(preStatus.map((x) => x.s.text))];
        const s = `${now}; before the patch every path to this exit left ${q.variable} holding ${texts.length === 1 ? texts[0] : 'a failure'}`;
        return { outcome: 'yes', witness: { story: s, steps: witness }, reason: s };
      }
      const unseen = preStatus.find((x) => x.s.kind === 'unseen');
      const s = unseen
        ? `${now}; before the patch ${q.variable} held there ${unseen.s.text}, which the patch does not show to be an error`
        : `${now}; before the patch ${q.variable} held there a value the simulator cannot classify as a failure`;
      return { outcome: 'unknown', witness: { story: s, steps: witness }, reason: s };
    },
    'failure-goes-on': (q: Extract<Question, { kind: 'failure-goes-on' }>) => {
      // regress (issue 9 §3): a failure handled by a warning only. The branch the code wrote is the failure: paths
      // through it must either report a failure or stop; returning something else, or using the value, goes on.
      const result = postRun();
      const callee = calleeName(q.call);
      const site = { callee, line: lineOf(q.call) };
      const branchLine = lineOf(q.branch);
      const through = result.paths.filter((p) => p.trace.includes(branchLine));
      const useLine = q.use ? lineOf(q.use) : 0;
      const useEnd = q.use ? post.lineMap[q.use.endPosition.row] ?? useLine : 0;
      const stopsInUse = (p: SimPath): boolean => (p.end.kind === 'abort' || p.end.kind === 'return' || p.end.kind === 'cut') && p.end.line >= useLine && p.end.line <= useEnd;
      const carriesFailure = (p: SimPath): boolean => {
        if (p.end.kind !== 'return') return false;
        const v = p.end.value;
        if (!v) return false;
        const mine = new Set(callSymbols(p, site));
        const derived = [...symbolsOf(v)].some((s) => mine.has(s) || [...mine].some((m) => s.includes(`$${m}`)));
        return derived || statusOf(v, p).kind === 'failure';
      };
      const goesOn = (p: SimPath): boolean =>
        q.use ? p.trace.includes(useLine) && !stopsInUse(p) && p.end.kind !== 'abort' : p.end.kind === 'return' && !carriesFailure(p);
      const hit = through.find(goesOn);
      if (hit) {
        const when = joinPhrases(hit.assumptions.filter((a) => a.origin !== 'iteration').map(phrase));
        const then = q.use
          ? (q.work ? `goes on to \`${fold(q.use.text.split('\n')[0] ?? '')}\` (line ${useLine})` : `goes on past \`${fold(q.use.text.split('\n')[0] ?? '')}\` (line ${useLine}) with the failed value`)
          : `returns ${hit.end.valueText ?? 'without a value'} at line ${hit.end.line}`;
        const s = `${when ? `when ${when}, ` : ''}${post.name}() ${q.doing ?? 'prints a warning'} and ${then}`;
        if (q.premise) return { outcome: 'unknown', witness: story(s, stepsOf(post, hit)), reason: `${s}; ${q.premise}` };
        return { outcome: 'yes', witness: story(s, stepsOf(post, hit)), reason: s };
      }
      if (result.status !== 'complete') return unknown(stopped(result));
      if (through.length === 0) return { outcome: 'no', reason: `no path runs line ${branchLine}` };
      const open = through.filter((p) => p.end.kind === 'unseen' || p.end.kind === 'cut' || (p.end.kind === 'fallthrough' && !closingBraceVisible));
      // Still holding the failed result where the visible code ends: nothing shows the failure is forgotten. So is
      // the variable the result was stored in holding another failure (`error = -EINVAL;` in a later hunk).
      const stored = q.call.parent?.type === 'assignment_expression' && q.call.parent.childForFieldName('left')?.type === 'identifier'
        ? q.call.parent.childForFieldName('left')!.text : undefined;
      const holder = (p: SimPath): string | undefined => {
        const mine = new Set(callSymbols(p, site));
        const held = Object.entries(p.finalVars).find(([, v]) => [...symbolsOf(v)].some((s) => mine.has(s)))?.[0];
        if (held) return held;
        const v = stored ? p.finalVars[stored] : undefined;
        return v && statusOf(v, p).kind === 'failure' ? stored : undefined;
      };
      const held = open.map(holder);
      if (open.length > 0 && held.every((h) => h !== undefined)) {
        return { outcome: 'no', reason: `after the warning ${post.name}() still holds the failure in ${held[0]} when it goes on into code the patch does not show` };
      }
      if (open.length > 0) return unknown(`after the warning at line ${branchLine}, ${post.name}() goes on into code the patch does not show`);
      return { outcome: 'no', reason: `every path through line ${branchLine} reports the failure or stops` };
    },
    'failure-reaches-use': (q: Extract<Question, { kind: 'failure-reaches-use' }>) => {
      // apidata (issue 9 §1): a NULL / ERR_PTR result used before any test of it.
      const result = postRun();
      const callee = calleeName(q.call);
      const callLine = lineOf(q.call);
      const useLine = lineOf(q.use);
      const errPtr = simOptions.conventionOf?.(callee)?.convention === 'err-ptr';
      // A use that is a call must really be made on the path (`!p || strcmp(p, s)` visits the line without it).
      const useCall = q.use.type === 'call_expression' ? calleeName(q.use) : undefined;
      // A use in the right operand of `&&`/`||` or an arm of `?:` (`if ( ret && p->type != X )`): the line is run
      // without it where the left operand decides (`ret = false;` on the NULL path), so the path must show the value
      // read through the result there (a truth test of it).
      // (A use that is a call shows itself as the call's effect, tested below.)
      const guarded = !useCall && shortCircuited(q.use);
      const failing = (p: SimPath): boolean => {
        const from = p.trace.indexOf(callLine);
        if (from < 0 || p.trace.indexOf(useLine, from) < 0) return false;
        // One result per path: where the call runs again (a loop), which result reaches the use is not told apart.
        const results = callSymbols(p, { callee, line: callLine });
        if (results.length !== 1) return false;
        return results.some((s) => {
          if (useCall) {
            // The use call must come after this result's call and before the call is made again (a loop).
            const at = p.effects.findIndex((e) => e.symbol === s);
            const again = p.effects.findIndex((e, i) => i > at && e.kind === 'call' && e.target === callee && e.line === callLine);
            const used = p.effects.findIndex((e, i) => i > at && e.kind === 'call' && e.target === useCall && e.line === useLine);
            if (used < 0 || (again >= 0 && again < used)) return false;
          }
          // A test of the value itself, or of IS_ERR()-like atoms over it, on the way from the call to the use.
          // A value read through it (`if ( p->x )`, a `loc:` symbol) is a dereference, not a test of it.
          const tests = p.assumptions.filter((a) => a.line >= callLine && a.line <= useLine && (a.symbol === s || (a.symbol.includes(s) && !a.symbol.startsWith('loc:'))));
          if (tests.some((a) => a.symbol !== s)) return false;
          if (guarded && !p.assumptions.some((a) => a.line === useLine && a.symbol.startsWith('loc:') && a.symbol.includes(s))) return false;
          if (errPtr) return tests.length === 0;
          const d = p.constraints[s];
          // A status or offset (q.negative): the path must still allow a negative value.
          if (q.negative) return !d || (d.cls & NEG) !== 0;
          // NULL: the path must still allow the value to be 0 (a log-only `if ( !p )` lets it through).
          return !d || ((d.cls & 2) !== 0 && (d.eq === undefined || d.eq === 0) && !d.ne.includes(0));
        });
      };
      const hit = result.paths.find(failing);
      if (!hit) {
        // A visible test stands between the call and the use: whether it stops the failure is another rule's question.
        if (result.status !== 'complete' && q.testedAt === undefined) return unknown(stopped(result));
        return { outcome: 'no', reason: q.testedAt !== undefined && result.status !== 'complete'
          ? `the result is tested at line ${q.testedAt} before the use (${stopped(result)})`
          : `every path from ${callee}() to line ${useLine} tests its result first` };
      }
      const failure = errPtr ? 'an ERR_PTR()' : q.negative ? 'a negative error code' : 'NULL';
      // A visible test the witness goes around without evaluating it on the value (`n && !p` taken through `n == 0`):
      // the author tied the value to the other condition; the path rests on the simulator relating that condition to
      // the use (`for ( i = 0; i < n; ...)`), which it does not always do. Not a use before any test.
      if (q.testedAt !== undefined) {
        const own = callSymbols(hit, { callee, line: callLine });
        if (!hit.assumptions.some((a) => a.line === q.testedAt && own.some((s) => a.symbol === s))) {
          return { outcome: 'no', reason: `the result is tested at line ${q.testedAt} together with another condition before the use at line ${useLine}` };
        }
      }
      const s = `when ${callee}() returns ${failure}, ${post.name}() reaches \`${fold(q.use.text).slice(0, 80)}\` (line ${useLine}) without testing it`;
      if (q.premise) return { outcome: 'unknown', witness: story(s, stepsOf(post, hit)), reason: `${s}; ${q.premise}` };
      return { outcome: 'yes', witness: story(s, stepsOf(post, hit)), reason: s };
    },
    'failure-unreported': (q: Extract<Question, { kind: 'failure-unreported' }>) => {
      // regress (issue 9 §3): a call whose failure reached the caller before the patch and no longer does.
      const pre = fn.pre;
      if (!pre) return unknown('the patch shows no pre-image of this function to compare with');
      const callee = calleeName(q.call);
      // A callee whose convention nothing knows failed, before the patch, the way the old check tested it: a check
      // for NULL or zero (`if ( !p ) return -ENODEV;`) says its failure is a zero, not a guessed negative value.
      const knownConv = simOptions.conventionOf?.(callee);
      const guessedZero = failureShape(knownConv, callee)?.guessed === true && failureTestedAsZero(q.preCall);
      const queryOptions: typeof simOptions = guessedZero
        ? { ...simOptions, conventionOf: (n: string) => (n === callee ? { name: callee, convention: 'zero-fail', failValues: ['0'], source: 'the check before the patch' } : simOptions.conventionOf?.(n)) }
        : simOptions;
      const shape = failureShape(queryOptions.conventionOf?.(callee), callee);
      if (!shape) return { outcome: 'no', reason: `${callee}() returns a plain value, not a failure report` };
      // The post-image first: a failure it still reports clears the candidate whatever the pre-image did.
      const after = postRun();
      const answer = mayReturnSuccessAfterFailure(post, { callee, line: lineOf(q.call) }, queryOptions, after);
      if (answer.verdict !== 'verified' || !answer.witness) {
        if (answer.verdict === 'refuted') return { outcome: 'no', reason: answer.reason ?? `every path where ${callee}() fails still reports it` };
        return unknown(answer.reason ?? 'the simulator could not decide');
      }
      const wp = answer.witness.path;
      const postSite = { callee, line: lineOf(q.call) };
      const site = { callee, line: pre.lineMap[q.preCall.startPosition.row] ?? 0 };
      const failing = (p: SimPath, sym: string): boolean => {
        const id = shape.errPtr ? `iserr:$${sym}` : sym;
        return !!intersect(p.constraints[id] ?? TOP, { cls: shape.errPtr ? 5 : shape.cls, ne: [] });
      };
      const preBraceVisible = (pre.lineMap[pre.node.endPosition.row] ?? 0) !== 0;
      // A pre-image path that goes on into code the patch does not show (a goto to an unseen label is an exit).
      const goesOnUnseen = (p: SimPath): boolean =>
        (p.end.kind === 'unseen' && p.end.gap !== -1) || p.end.kind === 'cut' || (p.end.kind === 'fallthrough' && !preBraceVisible);
      // The same failure as the witness's: every test the witness made of its result (`res == TEE_ERROR_X`, its sign)
      // can come out the same way for the pre-image's result.
      const postSyms = callSymbols(wp, postSite);
      const alike = (p: SimPath, sym: string): boolean =>
        postSyms.length === 1 &&
        Object.entries(wp.constraints).every(([key, d]) => {
          if (!key.includes(postSyms[0]!)) return true;
          return !!intersect(p.constraints[key.split(postSyms[0]!).join(sym)] ?? TOP, d);
        });
      // Before the patch this very failure went on past the check into the code the patch does not show too: the
      // patch did not let it go (a fallback for one failure value, kept; the other failures still leave).
      const wentOnBefore = (): boolean => {
        const before = preRun();
        if (before.status !== 'complete') return false;
        return before.paths.some((p) => goesOnUnseen(p) && callSymbols(p, site).some((sym) => failing(p, sym) && alike(p, sym)));
      };
      const sameBefore = { outcome: 'no' as const, reason: `before the patch too, the failure of ${callee}() the new code lets go went on into code the patch does not show: not a regression` };
      if (wp.end.kind === 'fallthrough' && !closingBraceVisible) {
        // The failed result still in a variable where the visible code ends: nothing shows it is lost.
        const mine = new Set(postSyms);
        const held = Object.entries(wp.finalVars).find(([, v]) => [...symbolsOf(v)].some((x) => mine.has(x)))?.[0];
        if (held) return { outcome: 'no', reason: `${post.name}() still holds the failure of ${callee}() in ${held} where the visible code ends` };
        if (wentOnBefore()) return sameBefore;
        return unknown(`the patch does not show how ${post.name}() goes on after its last visible line`);
      }
      const before = preRun();
      if (before.status !== 'complete') return unknown(`pre: ${stopped(before)}`);
      let reported = 0;
      for (const p of before.paths) {
        for (const sym of callSymbols(p, site)) {
          if (!failing(p, sym)) continue;
          if (swallows(p, sym, shape)) return { outcome: 'no', reason: `before the patch too, a failure of ${callee}() could end in success: not a regression` };
          // A goto to a label the patch does not show is an exit the failure took (the rule's premise: the check exits).
          if (goesOnUnseen(p) && p.end.kind !== 'fallthrough') {
            if (wp.end.kind === 'unseen' && alike(p, sym)) return sameBefore;
            return unknown(`before the patch a failure of ${callee}() went on into code the patch does not show`);
          }
          reported++;
        }
      }
      if (reported === 0) return unknown(`no pre-image path shows ${callee}() failing`);
      const s = `${answer.witness.story}; before the patch every failure of ${callee}() reached the caller`;
      return { outcome: 'yes', witness: story(s, answer.witness.steps), reason: s };
    },
    'equivalent-rewrite': (q: Extract<Question, { kind: 'equivalent-rewrite' }>) => {
      // A function too large to simulate cannot be compared with its rewrite: stop before simulating twice more.
      const unproven = (reason: string): SimAnswer =>
        q.proofRequired ? { outcome: 'no', reason: `no proof that the rewrite changes nothing (${reason}), and this suggestion is made only with one` } : unknown(reason);
      if (postRun().status !== 'complete' && !q.assume) return unproven(stopped(postRun()));
      const assume = q.assume?.edits ?? [];
      const base = assume.length > 0 ? rewrittenOnce(assume) : post;
      const changed = rewrittenOnce([...assume, ...q.edits]);
      if (!base || !changed) return unproven('the rewritten function does not parse, so no rewrite is offered');
      // Each side simulated once per session (the post-image's is the cached one; ignoreVars only affects the
      // comparison), the rewrite only when the original simulated completely, as equivalent() would.
      const compare = (ignoreVars?: string[]): EquivalenceAnswer => {
        const a = base === post ? postRun() : simulated(base);
        const cached = a.status === 'complete' ? { a, b: simulated(changed) } : { a };
        return equivalent(base, changed, { ...simOptions, ...(ignoreVars ? { ignoreVars } : {}) }, cached);
      };
      const strict = compare();
      const proof = q.assume ? `${q.proof} (${q.assume.statement})` : q.proof;
      if (strict.verdict === 'equivalent') {
        return q.assume
          ? { outcome: 'unknown', reason: proof, assumption: q.assume.statement }
          : { outcome: 'yes', reason: strict.reason ? `${q.proof}; ${strict.reason}` : q.proof };
      }
      const ce = strict.counterexample;
      const counter = ce ? story(ce.story, ceSteps(ce.a, ce.b)) : undefined;
      if (strict.verdict === 'different' && q.unlessRead) {
        const loose = compare(q.unlessRead.variables);
        if (loose.verdict === 'equivalent') {
          return { outcome: 'unknown', ...(counter ? { witness: counter } : {}), reason: counter?.story ?? q.unlessRead.statement, messageId: q.unlessRead.messageId, assumption: q.unlessRead.statement };
        }
      }
      if (strict.verdict === 'different' && q.ifCodeLosesError && ce && losesError(ce.a.value, ce.b.value)) {
        return {
          outcome: 'unknown',
          witness: story(`${ce.story}: the code as patched reports success where the rewrite would still report the earlier failure`, ceSteps(ce.a, ce.b)),
          reason: ce.story,
          messageId: q.ifCodeLosesError.messageId,
        };
      }
      if (strict.verdict === 'different') return { outcome: 'no', ...(counter ? { witness: counter } : {}), reason: counter?.story ?? 'the rewrite behaves differently' };
      return unproven(strict.reason ?? 'the comparison did not finish');
    },
  };

  return {
    get pathsSimulated() {
      return paths;
    },
    get exhausted() {
      return exhausted;
    },
    ask(question) {
      return (ask[question.kind] as (q: Question) => SimAnswer)(question);
    },
  };
}

/** The original returns 0 where the rewrite returns something that is not a success constant (an earlier error). */
function losesError(original: string | undefined, rewrite: string | undefined): boolean {
  return original === '0' && rewrite !== undefined && !/^\d+$/.test(rewrite);
}

/** "when X, f() now returns 0 at line N where it used to go on to g()". */
function earlyStory(name: string, d: Difference): string {
  const conditions = d.assumptions.map(phrase);
  const when = conditions.length > 0 ? `when ${joinPhrases(conditions)}, ` : '';
  const same = d.post.effects.every((e, i) => d.pre.effects[i] === e);
  const skipped = same ? d.pre.effects.slice(d.post.effects.length) : [];
  const before = skipped.length > 0 ? `to ${skipped.slice(0, 2).join(', ')}${skipped.length > 2 ? ', ...' : ''}` : 'into code the patch does not show';
  return `${when}${name}() now returns ${d.post.value ?? ''} at line ${d.line} where it used to go on ${before}`.replace(/ {2,}/g, ' ');
}

/**
 * Locals the patch itself introduces (declared on added lines, absent before): unseen code of a function
 * that existed before the patch cannot touch them. A function the patch adds has no such guarantee: git
 * may have aligned its tail with old context, so the code the patch does not show is the new function's own.
 */
export function introducedNames(fn: TouchedFunction): string[] {
  const image = fn.post!;
  const pre = fn.pre;
  if (!pre) return [];
  const added = new Set(fn.addedLines);
  const header = image.lineMap[image.node.startPosition.row] ?? 0;
  if (header !== 0 && added.has(header)) return [];
  const before = new Set<string>();
  for (const decl of descendants(pre.node, 'declaration')) for (const d of declaredNames(decl)) before.add(d.name);
  const names: string[] = [];
  for (const decl of descendants(image.node, 'declaration')) {
    if (!added.has(image.lineMap[decl.startPosition.row] ?? 0)) continue;
    for (const d of declaredNames(decl)) if (!before.has(d.name)) names.push(d.name);
  }
  return [...new Set(names)].sort();
}

/** The name a declarator declares (through pointers, arrays, initialisers), if any. */
function declaratorName(d: SyntaxNode | null): string | null {
  while (d && d.type !== 'identifier') {
    if (!['init_declarator', 'pointer_declarator', 'array_declarator', 'parenthesized_declarator', 'attributed_declarator'].includes(d.type)) return null;
    d = d.childForFieldName('declarator') ?? d.namedChildren.find((c) => c.type.endsWith('declarator') || c.type === 'identifier') ?? null;
  }
  return d?.text ?? null;
}

/**
 * Names that a function the patch shows only in part (the code has gaps) assigns and returns (`return rc;`) without
 * declaring them or taking them as parameters: locals of the code the patch does not show (a function does not hand
 * back a global it overwrites as its status), so a call in the visible code does not read them.
 */
export function localsOfUnseenCode(fn: TouchedFunction): string[] {
  const node = fn.post!.node;
  if (![...descendants(node, 'call_expression')].some(isMarker)) return [];
  const declared = new Set<string>();
  for (const d of descendants(node, new Set(['declaration', 'parameter_declaration']))) {
    for (const x of d.childrenForFieldName('declarator')) {
      const name = declaratorName(x);
      if (name) declared.add(name);
    }
  }
  const returned = new Set<string>();
  for (const r of descendants(node, 'return_statement')) {
    const v = peel(r.namedChild(0));
    if (v?.type === 'identifier' && /^[a-z_]\w*$/.test(v.text) && !declared.has(v.text)) returned.add(v.text);
  }
  const out = new Set<string>();
  const statusReturn = !!statusTypeOf(fn.post!.returnType);
  for (const a of descendants(node, 'assignment_expression')) {
    const left = a.childForFieldName('left');
    if (left?.type !== 'identifier') continue;
    if (returned.has(left.text)) out.add(left.text);
    // In a function declared to return a status type (TEE_Result), the variable such code keeps its status in (`res`,
    // api-data) is its own local, declared in its unseen head, also where a hunk ends before it is returned. (A name
    // like `rc` in an int function may be a global: left to the rule above.)
    else if (statusReturn && left.text === STATUS_TYPE_VARIABLE && !declared.has(left.text) && peel(a.childForFieldName('right'))?.type === 'call_expression') out.add(left.text);
  }
  return [...out].sort();
}

/** The image with edits applied, re-parsed, with its line map carried over row by row. */
function rewritten(image: FunctionImage, edits: Edit[]): (SimFunction & { source: string }) | undefined {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let text = image.source;
  let map = [...image.lineMap];
  for (const e of sorted) {
    const r0 = rowAt(text, e.start);
    const r1 = rowAt(text, e.end);
    const rows = e.text.split('\n').length;
    map = [...map.slice(0, r0), ...new Array<number>(rows).fill(map[r0] ?? 0), ...map.slice(r1 + 1)];
    text = text.slice(0, e.start) + e.text + text.slice(e.end);
  }
  const fn = functionFromSource(text, image.name);
  // A rewrite that does not parse cleanly is never compared, let alone offered.
  if (!fn || firstErrorNode(fn.node)) return undefined;
  return { ...fn, lineMap: map, returnType: image.returnType, params: image.params, source: text };
}

const rowAt = (text: string, offset: number): number => {
  let rows = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) rows++;
  return rows;
};

function ceSteps(a: { line: number; end: string; value?: string }, b: { line: number; end: string; value?: string }): WitnessStep[] {
  return [
    { line: a.line, text: `original: ${a.end}${a.value !== undefined ? ` ${a.value}` : ''}` },
    { line: b.line, text: `rewrite: ${b.end}${b.value !== undefined ? ` ${b.value}` : ''}` },
  ];
}

/** What a returned status is on a path: a failure, an earlier success, a value from code the patch does not show. */
function statusOf(v: Value | undefined, p: SimPath): { kind: 'failure' | 'success' | 'unseen' | 'unknown'; text: string } {
  if (!v) return { kind: 'unknown', text: 'nothing' };
  if (v.k === 'num') {
    if (v.isNull) return { kind: 'unknown', text: 'NULL' };
    return v.n < 0 ? { kind: 'failure', text: errnoName(v.n) ?? String(v.n) } : v.n === 0 ? { kind: 'success', text: '0' } : { kind: 'unknown', text: String(v.n) };
  }
  if (v.k !== 'sym') return { kind: 'unknown', text: 'a computed value' };
  const d = p.constraints[v.id];
  const name = v.origin === 'call' ? `${v.label.replace(/\(.*$/s, '')}()` : v.label;
  // A value tested non-zero (or negative) on the way here is a failure, whoever produced it.
  if (d && (d.cls & 2) === 0 && (d.cls & 1) !== 0) return { kind: 'failure', text: v.origin === 'call' ? `the error ${name} returned` : `${v.label} (non-zero)` };
  if (v.origin === 'call') {
    if (d && (d.cls & 1) === 0 && (d.cls & 2) !== 0) return { kind: 'success', text: `what ${name} returned on success (${d.cls === 2 ? '0' : '0 or more'})` };
    return { kind: 'unknown', text: `what ${name} returned` };
  }
  if (v.origin === 'input' || v.origin === 'uninit' || v.origin === 'gap' || v.origin === 'location') {
    if (d?.cls === 2) return { kind: 'success', text: '0' };
    return { kind: 'unseen', text: 'a value left by code the patch does not show' };
  }
  return { kind: 'unknown', text: v.label };
}
