// Pre/post differential: where behaviour changes when every callee succeeds, and which callee
// failures reach (or do not reach) the post-image's return value.
import type { Difference, DifferentialAnswer, SimFunction, SimOptions, SimPath, SimResult, StopReason, Witness } from '../types.ts';
import { simulate } from '../engine/simulate.ts';
import { intersect, TOP, POS, NEG, ZERO, canBe } from '../state/domain.ts';
import { resolve, symbolsOf } from '../state/value.ts';
import { isAllocCall } from '../models/queries.ts';
import { functionParams, normText } from '../program/source.ts';
import type { TreeNode } from '../program/node.ts';
import { effectKeys, forEachCompatiblePair, QueryBudget, summarise, valueText, type Constraints } from './compat.ts';
import { mergedAssumptions, queryLimit } from './equivalent.ts';
import { callSymbols, endPhrase, failureShape, failureText, swallows } from './witness.ts';
import { joinPhrases, phrase, callName, stepsOf } from './story.ts';

/** Calls that answer a question (is_*, need_*, cap_*...): either answer is a success. */
export const isPredicateName = (callee: string): boolean =>
  /(^|->|\.)(is_|has_|need_|needs_|can_|cap_|should_|test_bit|test_and_|in_|may_)|_enabled$|_p$|_present$/.test(callee);

/**
 * The path's constraints with every call result in its success class, or undefined if impossible.
 * The class follows the callee's convention when `conventionOf` knows it: 0 for errno, non-zero for
 * bool-success and zero-fail, 0 for a count, non-NULL for null and err-ptr, anything for a plain value.
 * Without one: 0 for ordinary calls, non-NULL for allocations; predicates and other pointer-returning
 * lookups (NULL can be a normal answer) stay unconstrained.
 */
export function successConstraints(p: SimPath, conventionOf?: SimOptions['conventionOf']): Constraints | undefined {
  let c: Constraints = { ...p.constraints };
  const pointers = new Set(p.assumptions.filter((a) => a.isPointer).map((a) => a.symbol));
  for (const e of p.effects) {
    if (e.kind !== 'call' || !e.symbol) continue;
    const conv = conventionOf?.(e.target)?.convention;
    let cls: number | undefined;
    let id = e.symbol;
    switch (conv) {
      case 'errno': cls = ZERO; break;
      case 'bool-success':
      case 'zero-fail':
      case 'null': cls = NEG | POS; break;
      case 'count': cls = ZERO; break;
      case 'err-ptr': id = `iserr:$${e.symbol}`; cls = ZERO; break;
      case 'value': continue;
      default: {
        if (isPredicateName(e.target)) continue;
        const alloc = isAllocCall(e.target);
        if (!alloc && pointers.has(e.symbol)) continue;
        cls = alloc ? NEG | POS : ZERO;
      }
    }
    const d = intersect(c[id] ?? TOP, { cls, ne: [] });
    if (!d) return undefined;
    c = { ...c, [id]: d };
  }
  return c;
}

const isVoidType = (t?: string): boolean => !!t && /\bvoid\s*$/.test(t) && !t.includes('*');

/** Simulations a caller already holds: reused, not re-run. */
export interface CachedDiff {
  pre?: SimResult;
  post?: SimResult;
}

/**
 * Pre vs post. Either side inconclusive: the answer is inconclusive at once, with no pairing (a change
 * claimed from a partial simulation would rest on paths chosen by where the budget ran out).
 */
export function differential(pre: SimFunction, post: SimFunction, options: SimOptions = {}, cached: CachedDiff = {}): DifferentialAnswer {
  const empty = (reason: string, stoppedBy?: StopReason): DifferentialAnswer => ({
    status: 'inconclusive', successPathChanges: [], failuresReaching: [], failuresLost: [], reason, ...(stoppedBy ? { stoppedBy } : {}),
  });
  try {
    const renamed = renamedParams(pre, post);
    const rPre = cached.pre ?? simulate(pre, options);
    if (rPre.status !== 'complete') return empty(`pre: ${rPre.reason ?? 'incomplete'}`, rPre.stoppedBy);
    // A parameter the patch moved (`cmd` -> `op->cmd`) is the same input on both sides.
    const aliased = Object.keys(renamed.aliases).length > 0;
    const rPost = aliased ? simulate(post, { ...options, inputAliases: { ...options.inputAliases, ...renamed.aliases } }) : cached.post ?? simulate(post, options);
    if (rPost.status !== 'complete') return empty(`post: ${rPost.reason ?? 'incomplete'}`, rPost.stoppedBy);
    const budget = new QueryBudget(queryLimit(options));
    const all = successChanges(pre, rPre, rPost, budget, options.conventionOf);
    if (!all) return empty(`the comparison needs more than ${budget.limit} path pairs`, 'steps');
    // A change that rests on a parameter only one side has (renamed in a way the patch does not show)
    // compares two independent inputs: not a claim the simulator can make.
    const oneSided = (d: Difference): string | undefined =>
      d.assumptions.map((a) => renamed.unpaired.find((n) => a.symbol.startsWith(`in:${n}@`) || a.symbol.includes(`$in:${n}@`))).find((n) => n !== undefined);
    const changes = all.filter((d) => !oneSided(d));
    const { reaching, lost } = failures(post, rPre, rPost, options.conventionOf);
    const out: DifferentialAnswer = { status: 'complete', successPathChanges: changes, failuresReaching: reaching, failuresLost: lost };
    const dropped = all.find((d) => oneSided(d));
    if (dropped) {
      out.status = 'inconclusive';
      out.reason = `parameter ${oneSided(dropped)} is on one side only (renamed or removed by the patch): its values before and after cannot be paired`;
    }
    return out;
  } catch (e) {
    return empty(`internal error: ${e instanceof Error ? e.message : String(e)}`, 'internal');
  }
}

/**
 * Parameters of one side only. `aliases`: a post-image location that stands for a removed parameter
 * (every use of the old name became the same `x->name` or `x.name`, and the bare name is gone);
 * `unpaired`: the other one-sided parameters, which the comparison cannot pair.
 */
export function renamedParams(pre: SimFunction, post: SimFunction): { aliases: Record<string, string>; unpaired: string[] } {
  const names = (f: SimFunction): string[] => (f.params ?? functionParams(f.node)).map((p) => p.name);
  const before = names(pre);
  const after = names(post);
  const aliases: Record<string, string> = {};
  const unpaired: string[] = [];
  const postBody = post.node.childForFieldName('body');
  for (const n of before.filter((x) => !after.includes(x))) {
    const uses = new Set<string>();
    let bare = false;
    const walk = (node: TreeNode): void => {
      if (node.type === 'field_expression' && node.childForFieldName('field')?.text === n) { uses.add(normText(node.text)); return; }
      if (node.type === 'identifier' && node.text === n) bare = true;
      for (const c of node.namedChildren) walk(c);
    };
    if (postBody) walk(postBody);
    if (uses.size === 1 && !bare) aliases[[...uses][0]!] = n;
    else unpaired.push(n);
  }
  for (const n of after.filter((x) => !before.includes(x))) unpaired.push(n);
  return { aliases, unpaired };
}

/** Success-path changes; undefined when the pair budget ran out. */
function successChanges(pre: SimFunction, rPre: SimResult, rPost: SimResult, budget: QueryBudget, conventionOf?: SimOptions['conventionOf']): Difference[] | undefined {
  const out: Difference[] = [];
  const seen = new Set<string>();
  const preVoid = isVoidType(pre.returnType ?? rPre.returnType);
  // Each path's success constraints once, not once per pair.
  const success = (p: SimPath): Constraints | undefined => (p.end.kind === 'cut' ? undefined : successConstraints(p, conventionOf));
  const ok = forEachCompatiblePair(rPre.paths.map(success), rPost.paths.map(success), budget, (i, j, c) => {
    const a = rPre.paths[i]!;
    const b = rPost.paths[j]!;
    const d = diffUnderSuccess(a, b, c, preVoid);
    if (!d) return false;
    const k = `${d.kind}@${d.line}`;
    if (seen.has(k)) return false;
    seen.add(k);
    const assumptions = mergedAssumptions(a, b);
    const when = assumptions.length ? `when ${joinPhrases(assumptions.map(phrase))}` : 'when every callee succeeds';
    out.push({
      kind: d.kind,
      line: d.line,
      story: `${when}, the pre-image ${endPhrase(a, c)} but the post-image ${d.kind === 'effects' ? 'has different effects' : endPhrase(b, c)} (line ${d.line})`,
      pre: summarise(a, c),
      post: summarise(b, c),
      assumptions,
    });
    return false;
  });
  return ok ? out : undefined;
}

function diffUnderSuccess(a: SimPath, b: SimPath, c: Constraints, preVoid: boolean): { kind: Difference['kind']; line: number } | undefined {
  const continues = (p: SimPath): boolean => p.end.kind === 'fallthrough' || p.end.kind === 'unseen';
  const newUninit = b.uninitReads.find((u) => !a.uninitReads.some((x) => x.name === u.name));
  if (newUninit) return { kind: 'uninit-read', line: newUninit.line };
  const ea = effectKeys(a);
  const eb = effectKeys(b);
  const firstDiff = eb.findIndex((x, i) => x !== ea[i]);
  if (firstDiff >= 0 || ea.length !== eb.length) {
    return { kind: 'effects', line: b.effects[firstDiff >= 0 ? firstDiff : Math.min(ea.length, eb.length)]?.line ?? b.end.line };
  }
  // void -> int returning 0 where the pre-image returned nothing is not a change.
  const preReturnsNothing = (a.end.kind === 'return' && !a.end.value) || (a.end.kind === 'fallthrough' && preVoid);
  if (preReturnsNothing && b.end.kind === 'return' && (!b.end.value || valueText(b.end.value, c) === '0')) return undefined;
  if (a.end.kind === 'fallthrough' && b.end.kind === 'fallthrough') return undefined;
  if (continues(a) && b.end.kind === 'return') return { kind: 'end-kind', line: b.end.line };
  if (a.end.kind !== b.end.kind) return { kind: 'end-kind', line: b.end.line };
  if (a.end.kind === 'return' && valueText(a.end.value, c) !== valueText(b.end.value, c)) return { kind: 'return-value', line: b.end.line };
  if (a.end.kind === 'unseen' && a.end.gap !== b.end.gap) return { kind: 'end-kind', line: b.end.line };
  return undefined;
}

const siteKey = (sym: string): string => sym.replace(/#\d+$/, '');

/** Calls whose result is returned on some path (the function reports them), by call site. */
function reachingSites(r: SimResult, conventionOf?: SimOptions['conventionOf']): Map<string, { call: string; line: number; sym: string }> {
  const out = new Map<string, { call: string; line: number; sym: string }>();
  for (const p of r.paths) {
    if (p.end.kind !== 'return' || !p.end.value) continue;
    const v = resolve(p.end.value, p.constraints);
    for (const s of symbolsOf(v)) {
      const e = p.effects.find((x) => x.symbol === s);
      if (!e) continue;
      const shape = failureShape(conventionOf?.(e.target), e.target);
      if (!shape || (!shape.errPtr && !canBe(p.constraints[s] ?? TOP, shape.cls))) continue;
      const k = siteKey(s);
      if (!out.has(k)) out.set(k, { call: e.target, line: e.line, sym: s });
    }
  }
  return out;
}

function failures(post: SimFunction, rPre: SimResult, rPost: SimResult, conventionOf?: SimOptions['conventionOf']): { reaching: { call: string; line: number }[]; lost: Witness[] } {
  const before = reachingSites(rPre, conventionOf);
  const now = reachingSites(rPost, conventionOf);
  const reaching = [...now.entries()].filter(([k]) => !before.has(k)).map(([, v]) => ({ call: v.call, line: v.line }));
  const lost: Witness[] = [];
  for (const site of now.values()) {
    const shape = failureShape(conventionOf?.(site.call), site.call);
    if (!shape) continue;
    for (const p of rPost.paths) {
      const sym = callSymbols(p, { callee: site.call, line: site.line })[0];
      if (!sym) continue;
      const c = swallows(p, sym, shape);
      if (!c) continue;
      lost.push({
        path: { ...p, constraints: c },
        story: `when ${callName(site.call)} returns ${failureText(sym, c, shape)}, ${post.name}() ${endPhrase(p, c)}`,
        steps: stepsOf(post, p),
      });
      break;
    }
  }
  return { reaching, lost };
}

/** Convenience predicate: does behaviour change on some path where every callee succeeds? */
export function differsWhenAllSucceed(pre: SimFunction, post: SimFunction, options: SimOptions = {}, cached: CachedDiff = {}): boolean {
  return differential(pre, post, options, cached).successPathChanges.length > 0;
}
