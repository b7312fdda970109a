// One SimSession per touched function: caches the simulations rules share and turns the
// simulator's answers into the review's evidence shapes.
import type { FileModel, FunctionImage, TouchedFunction } from '../c/types.ts';
import type { SyntaxNode } from '../c/parser.ts';
import {
  simulate, mayReturnSuccessAfterFailure, equivalent, differential, functionFromSource, successConstraints,
  type SimFunction, type SimOptions, type SimResult, type SimPath, type WitnessStep, type DifferentialAnswer, type Difference,
} from '../sim/index.ts';
import { callSymbols } from '../sim/query/witness.ts';
import { stepsOf, phrase, joinPhrases } from '../sim/query/story.ts';
import { calleeName, declaredNames, descendants, fold } from './ast.ts';
import { applyEdits, type SimSession, type Story, type SuccessChange, type DiffAnswer } from './simulation.ts';
import type { ReviewOptions } from './types.ts';
import type { Edit } from './edits.ts';

export function createSimSession(fn: TouchedFunction, file: FileModel, options: ReviewOptions): SimSession {
  const post = fn.post!;
  const added = new Set(fn.addedLines);
  let paths = 0;
  const simOptions: SimOptions = {
    budget: options.budget,
    preserveAtGaps: introducedNames(post, added, fn.pre),
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
  const run = (f: SimFunction): SimResult => simulate(f, simOptions);
  const postRun = (): SimResult => (postResult ??= run(post));
  const lineOf = (n: SyntaxNode): number => post.lineMap[n.startPosition.row] ?? 0;

  return {
    get pathsSimulated() {
      return paths;
    },
    swallowed(call) {
      const callee = calleeName(call);
      const answer = mayReturnSuccessAfterFailure(post, { callee, line: lineOf(call) }, simOptions);
      const reason = answer.reason ?? (answer.verdict === 'refuted' ? `on every path where ${callee}() fails, ${post.name}() passes the failure on or stops` : undefined);
      return {
        verdict: answer.verdict,
        ...(answer.witness ? { witness: story(answer.witness.story, answer.witness.steps) } : {}),
        ...(reason ? { reason } : {}),
      };
    },
    equivalentRewrite(edits, opts = {}) {
      const assume = opts.assume ?? [];
      const base = assume.length > 0 ? rewritten(post, assume) : post;
      const changed = rewritten(post, [...assume, ...edits]);
      if (!base || !changed) {
        return { verdict: 'inconclusive', reason: 'the rewritten function does not parse', source: applyEdits(post.source, edits) };
      }
      const answer = equivalent(base, changed, { ...simOptions, ...(opts.ignoreLiveOut ? { ignoreVars: opts.ignoreLiveOut } : {}) });
      const ce = answer.counterexample;
      return {
        verdict: answer.verdict,
        ...(ce ? { counterexample: story(ce.story, ceSteps(ce.a, ce.b)) } : {}),
        ...(answer.reason ? { reason: answer.reason } : {}),
        source: changed.source,
      };
    },
    differential() {
      if (diff !== null) return diff;
      if (!fn.pre) return (diff = undefined);
      const answer: DifferentialAnswer = differential(fn.pre, post, simOptions);
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
    },
    errorExitWithoutFailure(ret) {
      const line = lineOf(ret);
      const result = postRun();
      const here = result.paths.filter((p) => p.end.kind === 'return' && p.end.line === line);
      const reachable = here.length > 0 ? true : result.status === 'complete' ? false : undefined;
      const hit = here.find((p) => successConstraints(p));
      if (!hit) {
        const any = here[0];
        return {
          line,
          reachableWithoutFailure: false,
          ...(reachable === undefined ? {} : { reachable }),
          ...(any ? { witness: story(`${post.name}() reaches this exit only after a call failed`, stepsOf(post, any)) } : {}),
        };
      }
      const conditions = hit.assumptions.filter((a) => a.origin !== 'call').map((a) => `${a.subject} ${a.relation}`);
      const value = fold(ret.namedChild(0)?.text ?? '');
      const when = conditions.length > 0 ? `when ${conditions.join(' and ')}` : 'on a path where nothing failed';
      return {
        line,
        reachableWithoutFailure: true,
        reachable: true,
        witness: story(`${when}, ${post.name}() returns ${value} although no call failed`, stepsOf(post, hit)),
      };
    },
    reachedWhen(call, result, target) {
      const run = postRun();
      const callee = calleeName(call);
      const bit = result === 'negative' ? 1 : result === 'zero' ? 2 : 4;
      const targetLine = lineOf(target);
      const hit = run.paths.find(
        (p) =>
          p.trace.includes(targetLine) &&
          callSymbols(p, { callee, line: lineOf(call) }).some((s) => {
            const d = p.constraints[s];
            // The path must allow that class (a test for non-zero allows both signs).
            return !!d && (d.cls & bit) !== 0;
          }),
      );
      if (!hit) {
        return { verdict: run.status === 'inconclusive' ? 'inconclusive' : 'refuted', reason: run.reason ?? `no path reaches line ${targetLine} when ${callee}() returns a ${result} value` };
      }
      const value = result === 'positive' ? '1' : result === 'zero' ? '0' : '-EIO';
      return {
        verdict: 'verified',
        witness: story(`when ${callee}() returns ${value}, ${post.name}() reaches \`${fold(target.text)}\` (line ${targetLine})`, stepsOf(post, hit)),
      };
    },
    effectOnFailure(call, effect) {
      const result = postRun();
      const callLine = lineOf(call);
      const effectLine = lineOf(effect);
      const callee = calleeName(call);
      const failed = (p: SimPath): boolean =>
        callSymbols(p, { callee, line: callLine }).some((s) => {
          const d = p.constraints[s];
          return !!d && (d.cls & 2) === 0;
        });
      const hit = result.paths.find((p) => failed(p) && p.effects.some((e) => e.line === effectLine));
      if (!hit) {
        return { verdict: result.status === 'inconclusive' ? 'inconclusive' : 'refuted', reason: result.reason ?? `no path runs line ${effectLine} after ${callee}() fails` };
      }
      const target = fold(effect.text).replace(/;$/, '');
      return {
        verdict: 'verified',
        witness: story(`when ${callee}() fails, ${post.name}() calls ${target}`, stepsOf(post, hit)),
      };
    },
  };
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

/** Locals the patch itself introduces (declared on added lines, absent before): unseen code cannot touch them. */
function introducedNames(image: FunctionImage, added: Set<number>, pre: FunctionImage | undefined): string[] {
  const before = new Set<string>();
  if (pre) for (const decl of descendants(pre.node, 'declaration')) for (const d of declaredNames(decl)) before.add(d.name);
  const names: string[] = [];
  for (const decl of descendants(image.node, 'declaration')) {
    if (!added.has(image.lineMap[decl.startPosition.row] ?? 0)) continue;
    for (const d of declaredNames(decl)) if (!before.has(d.name)) names.push(d.name);
  }
  return [...new Set(names)].sort();
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
  if (!fn) return undefined;
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
