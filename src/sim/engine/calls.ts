// Calls: markers from the C model, library models, inlining of same-patch functions, and unknown
// callees whose results become symbols with a stable identity.
import { normOf, type PNode as SyntaxNode, type TreeNode } from '../program/node.ts';
import type { Effect, Value } from '../types.ts';
import { push } from '../state/list.ts';
import { GAP_CALL, UNKNOWN_COND_CALL } from '../../c/markers.ts';
import { addEffect, derive, noteUndeclaredRead, noteUse, occurrence, setDom, setLoc, setVar, visit, type PathState, type Var } from '../state/path-state.ts';
import { key, num, op, sym, VOID } from '../state/value.ts';
import { NEG, POS, ZERO } from '../state/domain.ts';
import { modelFor, type CallModel } from '../models/index.ts';
import { normText } from '../program/source.ts';
import { branchOn } from './branch.ts';
import { escape, evalAll, evalExpr, evalLocation, flatMap, readLoc } from './expr.ts';
import type { Evaluated, Frame, RunContext } from './context.ts';
import { finishPath, liveVars } from './finish.ts';
import { callFunction } from './inline.ts';

/** calleeText per node (the parser's nodes are immutable): the engine and the rules ask it of the same call many times. */
const calleeMemo = new WeakMap<TreeNode, string>();

/** The one normalised name of a call (`ops -> suspend` is `ops->suspend`); works on tree-sitter nodes too. */
export function calleeText(node: TreeNode): string {
  let name = calleeMemo.get(node);
  if (name === undefined) calleeMemo.set(node, (name = calleeOf(node)));
  return name;
}

function calleeOf(node: TreeNode): string {
  const f = node.childForFieldName('function')!;
  return f.type === 'parenthesized_expression' ? normText(f.text.replace(/^\(\s*\*?\s*/, '').replace(/\s*\)$/, '')) : normOf(f);
}

/** A call's argument nodes, found once per call node (syntax only; the array is shared: read it, never change it). */
const argsMemo = new WeakMap<SyntaxNode, SyntaxNode[]>();

export function argNodes(node: SyntaxNode): SyntaxNode[] {
  let args = argsMemo.get(node);
  if (!args) argsMemo.set(node, (args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((c) => c.type !== 'comment')));
  return args;
}

export function evalCall(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode): Evaluated[] {
  const callee = calleeText(node);
  const args = argNodes(node);
  const line = fr.lines.line(node);
  st = visit(st, line);
  if (callee === GAP_CALL) return gap(ctx, fr, st, node, Number(args[0]?.text ?? 0));
  if (callee === UNKNOWN_COND_CALL) {
    const [st2, n] = occurrence(st, 'unknown');
    return [{ st: st2, v: sym(`unknown#${n}`, 'a condition the patch does not show', 'unknown') }];
  }
  const model = modelFor(callee);
  if (model) return applyModel(ctx, fr, st, node, model, args, line);
  const target = ctx.functions.get(callee);
  if (target && st.depth < ctx.inlineDepth && target.node !== fr.fn.node) {
    return flatMap(evalAll(ctx, fr, st, args), (a) => callFunction(ctx, recordCall(ctx, noteUndeclaredRead(usesAll(a.st, a.vs)), callee, args, a.vs, line).st, target, a.vs));
  }
  return evalAll(ctx, fr, st, args).map((a) => {
    const { st: st2, v } = recordCall(ctx, writtenThrough(escape(noteUndeclaredRead(usesAll(a.st, a.vs)), a.vs), a.vs, callee, line), callee, args, a.vs, line);
    // memset(&s, 0, ...) zeroes the aggregate again.
    if (callee === 'memset' && a.vs[0]?.k === 'addr' && a.vs[1]?.k === 'num' && a.vs[1].n === 0) {
      const root = /^[A-Za-z_]\w*$/.exec(a.vs[0].text)?.[0];
      const bound = root ? st2.env[root] : undefined;
      if (root && bound?.declared) return { st: setLoc(st2, `zero:${bound.value.k === 'addr' ? '&' : 'local:'}${root}`, num(0)), v };
    }
    return { st: st2, v };
  });
}

/**
 * A scalar local whose address an unseen callee gets (`f(&len)`) may hold anything the callee wrote there: a fresh
 * value, read before it is replaced (the callee may read it too), so no test of it after the call is decided by
 * what it held before.
 */
function writtenThrough(st: PathState, values: Value[], callee: string, line: number): PathState {
  for (const v of values) {
    if (v.k !== 'addr' || !/^[A-Za-z_]\w*$/.test(v.text)) continue;
    const bound = st.env[v.text];
    if (!bound?.declared || bound.value.k === 'addr') continue;
    const [st1, n] = occurrence(noteUse(st, bound.value), `out:${v.text}`);
    st = setVar(st1, v.text, { ...bound, value: sym(`out:${v.text}@${line}#${n}`, `what ${callee}() left in ${v.text}`, 'location', bound.isPointer) });
  }
  return st;
}

interface CallTexts {
  /** The arguments' normalised texts (shared by every effect of this call site: never changed). */
  argText: readonly string[];
  /** `call:callee(args)`: the occurrence counter's key, and the result symbol's id before `#n`. */
  counter: string;
  label: string;
}

/** Per call site and callee (syntax only): a call runs once per path, its texts are the same every time. */
const callTextsMemo = new WeakMap<SyntaxNode[], { callee: string; texts: CallTexts }>();

function callTexts(callee: string, args: SyntaxNode[]): CallTexts {
  const hit = callTextsMemo.get(args);
  if (hit && hit.callee === callee) return hit.texts;
  const argText: readonly string[] = Object.freeze(args.map((a) => normOf(a)));
  const shown = `${callee}(${argText.join(', ')})`;
  const texts: CallTexts = { argText, counter: `call:${callee}(${argText.join(',')})`, label: shown.length <= 60 ? shown : `${callee}(...)` };
  callTextsMemo.set(args, { callee, texts });
  return texts;
}

/** Arguments passed to a callee that can act on them are uses of the results they carry. */
function usesAll(st: PathState, vs: Value[]): PathState {
  let s = st;
  for (let i = 0; i < vs.length; i++) s = noteUse(s, vs[i]!);
  return s;
}

/** The call's effect and its result symbol: identity = callee + argument text + occurrence. */
function recordCall(ctx: RunContext, st: PathState, callee: string, args: SyntaxNode[], vs: Value[], line: number): { st: PathState; v: Value } {
  const { argText, counter, label } = callTexts(callee, args);
  const n = st.counts.get(counter) ?? 0;
  const id = `${counter}#${n}`;
  const conv = ctx.options.conventionOf?.(callee)?.convention;
  const v: Value = conv === 'null' || conv === 'err-ptr' ? { k: 'sym', id, label, origin: 'call', line, ptr: true } : { k: 'sym', id, label, origin: 'call', line };
  // The values the convention allows at all: a bool-success result is 0 or 1, a count is never negative.
  const range = conv === 'bool-success' ? { cls: ZERO | POS, ne: [], hi: 1 } : conv === 'count' ? { cls: ZERO | POS, ne: [] } : undefined;
  // One new state for the occurrence counter, the convention's range and the call's effect (occurrence(), setDom(),
  // addEffect() in one copy).
  const doms = range && !st.doms.get(id) ? st.doms.set(id, range) : st.doms;
  const effect: Effect = { kind: 'call', target: callee, argText: argText as string[], values: vs.map(key), line, symbol: id };
  const next = derive(st);
  next.counts = st.counts.set(counter, n + 1);
  next.doms = doms;
  next.effects = push(st.effects, effect);
  return { st: next, v };
}

function applyModel(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode, model: CallModel, args: SyntaxNode[], line: number): Evaluated[] {
  const b = model.behaviour;
  const callee = calleeText(node);
  switch (b.kind) {
    case 'location':
      return flatMap(evalLocation(ctx, fr, st, node), (l) => [readLoc(ctx, fr, l.st, l.loc, node)]);
    case 'transparent':
      return args[b.arg] ? flatMap(evalAll(ctx, fr, st, args), (a) => [{ st: a.st, v: a.vs[b.arg]! }]) : [{ st, v: VOID }];
    case 'abort':
      return flatMap(evalAll(ctx, fr, st, args), (a) => {
        finishPath(ctx, a.st, { kind: 'abort', line, reason: `${callee}()` });
        return [];
      });
    case 'abort-if':
    case 'warn-if':
      return flatMap(evalAll(ctx, fr, st, args), (a) =>
        flatMap(branchOn(ctx, a.st, a.vs[b.arg] ?? num(1), line), (br) => {
          const fires = b.kind === 'abort-if' && b.unless ? !br.truth : br.truth;
          if (!fires) return [{ st: br.st, v: num(0) }];
          if (b.kind === 'abort-if') {
            finishPath(ctx, br.st, { kind: 'abort', line, reason: `${callee}(${(args[b.arg] ? normOf(args[b.arg]!) : '')})` });
            return [];
          }
          const argText = args.map((x) => normOf(x));
          return [{ st: addEffect(br.st, { kind: 'log', target: callee, argText, values: a.vs.map(key), line }), v: num(1) }];
        }));
    case 'log':
      return evalAll(ctx, fr, st, args).map((a) => ({
        st: addEffect(a.st, { kind: 'log', target: callee, argText: args.map((x) => normOf(x)), values: a.vs.map(key), line }),
        v: VOID,
      }));
    case 'effect':
      return evalAll(ctx, fr, st, args).map((a) => ({
        st: addEffect(noteUndeclaredRead(usesAll(a.st, a.vs)), { kind: 'call', target: callee, argText: args.map((x) => normOf(x)), values: a.vs.map(key), line }),
        v: VOID,
      }));
    case 'alloc':
      return evalAll(ctx, fr, st, args).map((a) => {
        const r = recordCall(ctx, usesAll(a.st, a.vs), callee, args, a.vs, line);
        return { st: r.st, v: { ...(r.v as Extract<Value, { k: 'sym' }>), ptr: true } };
      });
    case 'is-err':
      return evalAll(ctx, fr, st, args).map((a) => {
        const p = a.vs[b.arg] ?? VOID;
        return { st: a.st, v: sym(`iserr:${key(p)}`, `${callee}(${(args[b.arg] ? normOf(args[b.arg]!) : '')})`, 'atom') };
      });
    case 'ptr-err':
      return evalAll(ctx, fr, st, args).map((a) => {
        const p = a.vs[b.arg] ?? VOID;
        const id = `ptrerr:${key(p)}`;
        const st2 = a.st.doms.get(id) ? a.st : setDom(a.st, id, { cls: NEG, ne: [] });
        return { st: st2, v: sym(id, `${callee}(${(args[b.arg] ? normOf(args[b.arg]!) : '')})`, 'call', false) };
      });
    case 'err-ptr':
      return evalAll(ctx, fr, st, args).map((a) => ({ st: a.st, v: op('ERR_PTR', [a.vs[b.arg] ?? VOID]) }));
  }
}

/**
 * Unseen code: the path forks. One side ends here ('unseen', with the live variables); the other
 * continues with every variable in scope havocked, except those the patch introduced.
 */
function gap(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode, id: number): Evaluated[] {
  const line = fr.lines.line(node);
  // The choice (unseen code leaves here, or goes on) is a symbol so that paths of two programs
  // with the same gap pair up only when they make the same choice.
  const [st1, n] = occurrence(st, `gap:${id}`);
  const exit = `gapexit:${id}#${n}`;
  // Unseen code may read every variable it can name (not those the patch introduced) and every location.
  let seen = st1;
  // The variables in scope, sorted once: the havoc below sees the same environment (noteUse and setDom keep it).
  const live = liveVars(st1);
  for (const name of live) if (!ctx.preserve.has(name)) seen = noteUse(seen, st1.env[name]!.value);
  for (const v of Object.values(st1.locs)) seen = noteUse(seen, v);
  finishPath(ctx, setDom(seen, exit, { cls: POS, ne: [] }), { kind: 'unseen', line, gap: id });
  const after = derive(setDom(seen, exit, { cls: ZERO, ne: [] }));
  after.locs = {};
  after.epoch = st1.epoch + 1;
  let st2: PathState = after;
  // Every variable in scope but those the patch introduced havocked at once (one copy of the environment).
  let env: Record<string, Var> | undefined;
  for (const name of live) {
    if (ctx.preserve.has(name)) continue;
    const bound = st2.env[name]!;
    (env ??= { ...st2.env })[name] = { ...bound, value: sym(`gap${id}#${n}:${name}`, `the value of ${name} after unseen code`, 'gap', bound.isPointer) };
  }
  if (env) {
    const havocked = derive(st2);
    havocked.env = env;
    st2 = havocked;
  }
  return [{ st: st2, v: VOID }];
}

export { evalExpr };
