// Equivalence of two functions (an original and a rewrite): on every pair of paths whose
// assumptions can hold together, the same effects in the same order, the same end and value, the
// same values of shared variables at unseen code, and no new uninitialised read.
import type { Assumption, Counterexample, EquivalenceAnswer, SimFunction, SimOptions, SimPath, SimResult, StopReason, Value } from '../types.ts';
import { simulate } from '../engine/simulate.ts';
import { DEFAULT_BUDGET } from '../engine/context.ts';
import { programOf, type PNode } from '../program/node.ts';
import { GAP_CALL } from '../../c/markers.ts';
import { effectKeys, forEachCompatiblePair, QueryBudget, summarise, valueKey, valueText, type Constraints } from './compat.ts';
import { endPhrase } from './witness.ts';
import { ZERO } from '../state/domain.ts';
import { joinPhrases, phrase } from './story.ts';

export interface PathDifference {
  kind: 'end-kind' | 'return-value' | 'effects' | 'variables' | 'uninit-read';
  detail: string;
  vars?: string[];
}

/** How paths a and b differ under constraints c; undefined when they agree. */
export function comparePaths(
  a: SimPath,
  b: SimPath,
  c: Readonly<Constraints>,
  ignore: ReadonlySet<string> = new Set(),
  declared: ReadonlySet<string> = new Set(),
  /** Both functions are whole (no unseen code): an undeclared name is a global, and its final value is observable. */
  whole = false,
  /**
   * The function's closing brace is not visible (a fragment cut after its last hunk): a path that runs off the
   * visible end goes on into code the patch does not show, which may read any variable, as at a gap.
   */
  openEnd = false,
): PathDifference | undefined {
  const newUninit = b.uninitReads.filter((u) => !a.uninitReads.some((x) => x.name === u.name));
  if (newUninit.length) return { kind: 'uninit-read', detail: `the rewrite reads ${newUninit[0]!.name} uninitialised (line ${newUninit[0]!.line})` };
  if (a.end.kind !== b.end.kind) return { kind: 'end-kind', detail: 'end' };
  const ea = effectKeys(a);
  const eb = effectKeys(b);
  if (ea.length !== eb.length || ea.some((x, i) => x !== eb[i])) return { kind: 'effects', detail: 'effects' };
  if (a.end.kind === 'return' && !sameValue(a.end.value, b.end.value, c)) return { kind: 'return-value', detail: 'value' };
  if (whole && a.end.kind !== 'unseen') {
    const globals = [...new Set([...Object.keys(a.finalVars), ...Object.keys(b.finalVars)])].filter((n) => !declared.has(n) && !ignore.has(n));
    const changed = globals.filter((n) => {
      const va = a.finalVars[n];
      const vb = b.finalVars[n];
      if (!va || !vb) return !isInputOf(n, (va ?? vb)!);
      return valueKey(va, c) !== valueKey(vb, c);
    });
    if (changed.length) return { kind: 'variables', detail: 'globals', vars: changed.sort() };
  }
  if (a.end.kind === 'unseen' || (openEnd && a.end.kind === 'fallthrough')) {
    if (a.end.kind === 'unseen' && b.end.kind === 'unseen' && a.end.gap !== b.end.gap) return { kind: 'end-kind', detail: 'gap' };
    // A variable still uninitialised on either side holds no value to compare.
    const shared = Object.keys(a.finalVars).filter((n) => !ignore.has(n) && n in b.finalVars && a.finalVars[n]!.k !== 'uninit' && b.finalVars[n]!.k !== 'uninit');
    const differing = shared.filter((n) => valueKey(a.finalVars[n], c) !== valueKey(b.finalVars[n], c));
    // A variable of unseen code (never declared here) that only one side wrote: the other side still
    // holds the value it had, so they differ unless the writer only put back an input value.
    const onlyOne = [...Object.keys(a.finalVars).filter((n) => !(n in b.finalVars)), ...Object.keys(b.finalVars).filter((n) => !(n in a.finalVars))]
      .filter((n) => !ignore.has(n) && !declared.has(n) && !isInputOf(n, a.finalVars[n] ?? b.finalVars[n]!));
    if (differing.length || onlyOne.length) return { kind: 'variables', detail: 'vars', vars: [...differing, ...onlyOne].sort() };
  }
  return undefined;
}

/**
 * The same value under c: the same key, or the path decided `x == y` true (the atom branch.ts makes when
 * it compares two values that are not a symbol and a number: `res != SUCCESS` then `return SUCCESS;`).
 */
function sameValue(x: Value | undefined, y: Value | undefined, c: Readonly<Constraints>): boolean {
  const kx = valueKey(x, c);
  const ky = valueKey(y, c);
  if (kx === ky) return true;
  if (kx === undefined || ky === undefined) return false;
  const d = c[`atom:eq:${kx <= ky ? `${kx}|${ky}` : `${ky}|${kx}`}`];
  return !!d && (d.cls & ZERO) === 0;
}

const declaredMemo = new WeakMap<PNode, readonly string[]>();
const unseenMemo = new WeakMap<PNode, boolean>();

/** Names declared anywhere in a function (parameters and locals): the one-sided comparison is for unseen code's variables. */
function declaredIn(node: PNode): readonly string[] {
  let hit = declaredMemo.get(node);
  if (!hit) declaredMemo.set(node, (hit = declaredNamesIn(node)));
  return hit;
}

function declaredNamesIn(node: PNode): string[] {
  const out: string[] = [];
  for (const d of node.descendantsOfType(['init_declarator', 'parameter_declaration', 'declaration'])) {
    const target = d.type === 'declaration' ? d.childrenForFieldName('declarator').filter((x) => x.type === 'identifier') : [d.childForFieldName('declarator')];
    for (const t of target) {
      let n = t;
      while (n && n.type !== 'identifier') n = n.childForFieldName('declarator');
      if (n) out.push(n.text);
    }
  }
  return out;
}

const hasUnseenCode = (node: PNode): boolean => {
  let hit = unseenMemo.get(node);
  if (hit === undefined) unseenMemo.set(node, (hit = node.descendantsOfType('call_expression').some((c) => c.childForFieldName('function')?.text === GAP_CALL)));
  return hit;
};

/** The function's last row (its closing brace) is a real line, not one the C model made up to close a fragment. */
const closingBraceVisible = (f: SimFunction): boolean => !f.lineMap || (f.lineMap[f.node.endPosition.row] ?? 0) !== 0;

const isInputOf = (name: string, v: Value): boolean => v.k === 'uninit' || (v.k === 'sym' && v.id.startsWith(`in:${name}@`));

export function mergedAssumptions(a: SimPath, b: SimPath): Assumption[] {
  const out: Assumption[] = [];
  const seen = new Set<string>();
  for (const x of [...a.assumptions, ...b.assumptions]) {
    const k = `${x.symbol}|${x.relation}`;
    if (!seen.has(k)) { seen.add(k); out.push(x); }
  }
  return out;
}

function outcomeWords(p: SimPath, c: Readonly<Constraints>, d: PathDifference, verb: 'leaves' | 'sets'): string {
  if (d.kind === 'variables' && d.vars) {
    return d.vars.map((n) => (n in p.finalVars ? `${verb} ${n} = ${valueText(p.finalVars[n], c)}` : `leaves ${n} as it was`)).join(', ');
  }
  if (d.kind === 'effects') return p.effects.length ? `calls ${p.effects.map((e) => (e.kind === 'write' ? `${e.target} = …` : `${e.target}()`)).join(', ')}` : 'makes no calls';
  return endPhrase(p, c);
}

/** Simulations a caller already holds (the review caches one per function): reused, not re-run. */
export interface CachedResults {
  a?: SimResult;
  b?: SimResult;
}

/**
 * Are `a` and `b` equivalent on every path? An inconclusive simulation of either side makes the answer
 * inconclusive before any pairing. Pairs are compared through the compatibility index and count against
 * the step budget (`maxSteps`), so the answer is deterministic and bounded.
 */
export function equivalent(a: SimFunction, b: SimFunction, options: SimOptions = {}, cached: CachedResults = {}): EquivalenceAnswer {
  try {
    const ignore = new Set(options.ignoreVars ?? []);
    // Read on the engine's own copy of each function (built once per node, reused by simulate): no native calls.
    const [pa, pb] = [programOf(a.node), programOf(b.node)];
    const declared = new Set([...declaredIn(pa), ...declaredIn(pb)]);
    const whole = !hasUnseenCode(pa) && !hasUnseenCode(pb);
    const openEnd = !closingBraceVisible(a) || !closingBraceVisible(b);
    const ra = cached.a ?? simulate(a, options);
    if (ra.status !== 'complete') return { verdict: 'inconclusive', reason: `original: ${ra.reason ?? 'incomplete'}`, ...stopped(ra) };
    const rb = cached.b ?? simulate(b, options);
    if (rb.status !== 'complete') return { verdict: 'inconclusive', reason: `rewrite: ${rb.reason ?? 'incomplete'}`, ...stopped(rb) };
    const budget = new QueryBudget(queryLimit(options));
    let bounded = false;
    let found: EquivalenceAnswer | undefined;
    const finished = forEachCompatiblePair(ra.paths.map((p) => p.constraints), rb.paths.map((p) => p.constraints), budget, (i, j, c) => {
      const pa = ra.paths[i]!;
      const pb = rb.paths[j]!;
      if (pa.end.kind === 'cut' || pb.end.kind === 'cut') { bounded = true; return false; }
      const d = comparePaths(pa, pb, c, ignore, declared, whole, openEnd);
      if (!d) return false;
      found = { verdict: 'different', counterexample: counterexample(pa, pb, c, d) };
      return true;
    });
    if (found) return found;
    if (!finished) return { verdict: 'inconclusive', reason: `the comparison needs more than ${budget.limit} path pairs`, stoppedBy: 'steps' };
    return bounded
      ? { verdict: 'equivalent', reason: `equivalent on every path within the loop bound (${ra.loopBound})` }
      : { verdict: 'equivalent' };
  } catch (e) {
    return { verdict: 'inconclusive', reason: `internal error: ${e instanceof Error ? e.message : String(e)}`, stoppedBy: 'internal' };
  }
}

/** A query's pair budget: the simulation's step budget. */
export const queryLimit = (options: SimOptions): number => options.budget?.maxSteps ?? DEFAULT_BUDGET.maxSteps;

export const stopped = (r: SimResult): { stoppedBy?: StopReason } => (r.stoppedBy ? { stoppedBy: r.stoppedBy } : {});

function counterexample(pa: SimPath, pb: SimPath, c: Constraints, d: PathDifference): Counterexample {
  const assumptions = mergedAssumptions(pa, pb);
  const vars = d.vars;
  const ce: Counterexample = { assumptions, a: summarise(pa, c, vars), b: summarise(pb, c, vars), story: '' };
  const when = assumptions.length ? `when ${joinPhrases(assumptions.map(phrase))}, ` : '';
  ce.story = d.kind === 'uninit-read'
    ? `${when}${d.detail}, which the original does not`
    : `${when}the original ${outcomeWords(pa, c, d, 'leaves')} but the rewrite ${outcomeWords(pb, c, d, 'sets')}${lostNote(pa, pb, c, d)}`;
  return ce;
}

function lostNote(pa: SimPath, pb: SimPath, c: Readonly<Constraints>, d: PathDifference): string {
  const lost = (x?: string, y?: string): boolean => x !== undefined && y === '0' && x !== '0';
  if (d.kind === 'variables' && d.vars?.some((n) => lost(valueText(pa.finalVars[n], c), valueText(pb.finalVars[n], c)))) return ': the error is lost';
  if (d.kind === 'return-value' && lost(valueText(pa.end.value, c), valueText(pb.end.value, c))) return ': the error is lost';
  return '';
}
