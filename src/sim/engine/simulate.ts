// The driver: run a function, collect its paths, turn budget and unsupported stops into
// 'inconclusive'. Never throws.
import type { LostValue, PathEnd, SimFunction, SimOptions, SimPath, SimResult, Value } from '../types.ts';
import { callSymbolsIn, initialState, setVar, testLines, type PathState } from '../state/path-state.ts';
import { toArray } from '../state/list.ts';
import { resolve, show, sym } from '../state/value.ts';
import { frameOf, RunContext, SimStop, type Finished, type Frame } from './context.ts';
import { execFunctionBody } from './stmt.ts';
import { finishPath } from './finish.ts';

export function simulate(fn: SimFunction, options: SimOptions = {}): SimResult {
  let ctx: RunContext | undefined;
  let status: SimResult['status'] = 'complete';
  let reason: string | undefined;
  let stoppedBy: SimResult['stoppedBy'];
  try {
    ctx = new RunContext(options);
    const frame: Frame = frameOf(fn);
    const body = frame.def.childForFieldName('body');
    const endLine = body ? frame.lines.line(body.lastChild ?? body) : 0;
    let start: PathState = initialState();
    // Locals of unseen code: the input value a read would give (`in:name@0`), held by a declared local.
    for (const name of options.localsOfUnseenCode ?? []) start = setVar(start, name, { value: sym(`in:${name}@0`, name, 'input'), declared: true, isPointer: false });
    for (const f of execFunctionBody(ctx, frame, start)) {
      if (f.kind === 'return') {
        const end = f.value ? { kind: 'return' as const, line: f.line ?? 0, value: f.value } : { kind: 'return' as const, line: f.line ?? 0 };
        finishPath(ctx, f.st, end);
      } else finishPath(ctx, f.st, { kind: 'fallthrough', line: endLine });
    }
  } catch (e) {
    status = 'inconclusive';
    reason = e instanceof SimStop ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    stoppedBy = e instanceof SimStop ? e.kind : 'internal';
  }
  const finished = ctx?.finished ?? [];
  const millis = ctx ? Date.now() - ctx.started : 0;
  const result: SimResult = {
    status,
    paths: finished.map((f, i) => toPath(f, i, ctx?.preserve ?? new Set())),
    stats: { paths: finished.length, steps: ctx?.steps ?? 0, millis },
    loopBound: ctx?.loopBound ?? 0,
    functionName: fn.name,
  };
  if (reason) result.reason = reason;
  if (stoppedBy) result.stoppedBy = stoppedBy;
  if (fn.returnType !== undefined) result.returnType = fn.returnType;
  try {
    options.onSimulated?.(result.stats);
  } catch {
    // An observer's failure is not the simulation's.
  }
  return result;
}

function toPath(f: Finished, index: number, preserve: ReadonlySet<string>): SimPath {
  const { st, end } = f;
  const e = { ...end };
  if (e.value) e.valueText = show(resolve(e.value, st.doms));
  // Most paths of a large function are never read whole: each part is built on first read (from the
  // immutable final state, so the value is the same whenever it is read). Own enumerable accessors, so
  // JSON and object spread still see every field.
  let constraints: SimPath['constraints'] | undefined;
  let finalVars: Record<string, Value> | undefined;
  let assumptions: SimPath['assumptions'] | undefined;
  let effects: SimPath['effects'] | undefined;
  let uninitReads: SimPath['uninitReads'] | undefined;
  let trace: SimPath['trace'] | undefined;
  let lost: SimPath['lost'] | undefined;
  let text: Record<string, string> | undefined;
  const vars = (): Record<string, Value> => {
    if (!finalVars) {
      finalVars = {};
      for (const name of Object.keys(st.env).sort()) finalVars[name] = st.env[name]!.value;
    }
    return finalVars;
  };
  const path: SimPath = {
    index,
    get assumptions() { return (assumptions ??= toArray(st.assumptions)); },
    get constraints() {
      return (constraints ??= st.doms.toRecord());
    },
    get effects() { return (effects ??= toArray(st.effects)); },
    end: e,
    get uninitReads() { return (uninitReads ??= toArray(st.uninit)); },
    get finalVars() { return vars(); },
    get trace() { return (trace ??= toArray(st.trace)); },
    get lost() { return (lost ??= lostValues(st, end, preserve)); },
    // Rendered on first read: most paths are never shown to anyone.
    get finalVarsText() { return (text ??= Object.fromEntries(Object.entries(vars()).map(([k, v]) => [k, show(resolve(v, st.doms))]))); },
  };
  return path;
}

/**
 * Lost call results: those overwritten or out of scope before any use, and those still unused in a
 * variable when the path returns (or goes into unseen code that cannot name the variable).
 */
function lostValues(st: PathState, end: PathEnd, preserve: ReadonlySet<string>): LostValue[] {
  const out: LostValue[] = toArray(st.kills).map((k) => ({ ...k }));
  if (end.kind !== 'return' && end.kind !== 'fallthrough' && end.kind !== 'unseen') return out;
  const used = new Set(toArray(st.uses));
  if (end.value) for (const id of callSymbolsIn(end.value)) used.add(id);
  const seen = new Set(out.map((k) => k.symbol));
  const at = toArray(st.trace).length;
  const lost = (id: string, variable: string): LostValue => {
    const testedAt = testLines(st, id);
    return { symbol: id, variable, line: end.line, how: 'dead', at, ...(testedAt.length ? { testedAt } : {}) };
  };
  for (const name of Object.keys(st.env).sort()) {
    const bound = st.env[name]!;
    if (!bound.declared) continue;
    for (const id of callSymbolsIn(bound.value)) {
      if (used.has(id) || seen.has(id)) continue;
      // Unseen code that follows may read any variable it can name.
      if (end.kind === 'unseen' && !preserve.has(name)) { used.add(id); continue; }
      seen.add(id);
      out.push(lost(id, name));
    }
  }
  // Results only ever tested where they were made (`if ( f() == -EBUSY )`), held by nothing: dead at the end
  // unless a test acted on them (queries decide); code the patch does not show cannot name them either.
  // Values still in other variables or locations were handled above or used.
  for (const t of toArray(st.tested)) {
    if (used.has(t.id) || seen.has(t.id)) continue;
    seen.add(t.id);
    if (Object.values(st.env).some((b) => callSymbolsIn(b.value).includes(t.id)) || Object.values(st.locs).some((v) => callSymbolsIn(v).includes(t.id))) continue;
    out.push(lost(t.id, ''));
  }
  return out;
}
