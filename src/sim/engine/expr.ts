// Expression evaluation. Every evaluation may fork (calls, short-circuit, ternaries), so it returns
// a list of (state, value) pairs in a fixed order.
import { normOf, type PNode as SyntaxNode } from '../program/node.ts';
import type { Domain, Value } from '../types.ts';
import { addUninit, derive, noteKill, noteUse, setDom, setLoc, setVar, addEffect, visit, type PathState } from '../state/path-state.ts';
import { NEG, POS } from '../state/domain.ts';
import { domIn } from '../state/dom-map.ts';
import { key, num, NULL_VALUE, op, show, sym, VOID } from '../state/value.ts';
import { errnoValue } from '../models/errno.ts';
import { branchOn } from './branch.ts';
import { evalCall } from './calls.ts';
import type { Evaluated, Frame, RunContext } from './context.ts';

/** Where an assignment goes: a variable, or an opaque memory location. */
export type Loc = { kind: 'var'; name: string } | { kind: 'mem'; key: string; label: string; isLocal: boolean };

export interface Located {
  st: PathState;
  loc: Loc;
}

export function evalExpr(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode): Evaluated[] {
  ctx.tick();
  switch (node.type) {
    case 'identifier': return [readIdentifier(ctx, fr, st, node)];
    case 'number_literal': return [{ st, v: parseNumber(node.text) }];
    case 'char_literal': return [{ st, v: num(charValue(node.text)) }];
    case 'string_literal':
    case 'concatenated_string':
      return [{ st, v: { k: 'str', text: stringText(node) } }];
    case 'true': return [{ st, v: num(1) }];
    case 'false': return [{ st, v: num(0) }];
    case 'null': return [{ st, v: NULL_VALUE }];
    case 'parenthesized_expression': return evalExpr(ctx, fr, st, inner(node));
    case 'cast_expression': return evalExpr(ctx, fr, st, node.childForFieldName('value')!);
    case 'sizeof_expression':
    case 'alignof_expression':
    case 'offsetof_expression': {
      const t = normOf(node);
      return [{ st, v: sym(`const:${t}`, t, 'input') }];
    }
    case 'comma_expression':
      return flatMap(evalExpr(ctx, fr, st, node.childForFieldName('left')!), (e) => evalExpr(ctx, fr, e.st, node.childForFieldName('right')!));
    case 'unary_expression': {
      const o = node.childForFieldName('operator')!.text;
      return evalExpr(ctx, fr, st, node.childForFieldName('argument')!).map((e) => ({ st: e.st, v: op(o, [e.v]) }));
    }
    case 'pointer_expression': {
      const o = node.childForFieldName('operator')!.text;
      const arg = node.childForFieldName('argument')!;
      if (o === '&') return [{ st, v: { k: 'addr', text: normOf(arg) } }];
      return flatMap(evalLocation(ctx, fr, st, node), (l) => [readLoc(ctx, fr, l.st, l.loc, node)]);
    }
    case 'field_expression':
    case 'subscript_expression':
      return flatMap(evalLocation(ctx, fr, st, node), (l) => [readLoc(ctx, fr, l.st, l.loc, node)]);
    case 'binary_expression': return evalBinary(ctx, fr, st, node);
    case 'conditional_expression': {
      const line = fr.lines.line(node);
      return flatMap(evalExpr(ctx, fr, st, node.childForFieldName('condition')!), (c) =>
        flatMap(branchOn(ctx, c.st, c.v, line), (b) => {
          const arm = b.truth ? node.childForFieldName('consequence') : node.childForFieldName('alternative');
          return arm ? evalExpr(ctx, fr, b.st, arm) : [{ st: b.st, v: c.v }];
        }));
    }
    case 'assignment_expression': return evalAssignment(ctx, fr, st, node);
    case 'update_expression': return evalUpdate(ctx, fr, st, node);
    case 'call_expression': return evalCall(ctx, fr, st, node);
    case 'compound_literal_expression':
    case 'initializer_list': {
      const t = normOf(node);
      return [{ st, v: sym(`const:${t}`, t, 'input') }];
    }
    case 'comment': return [{ st, v: VOID }];
    default:
      return ctx.unsupported(node.type, node, fr);
  }
}

export const inner = (node: SyntaxNode): SyntaxNode => firstCode(node)!;

/** The first named child that is not a comment (a loop: this runs on every path). */
export function firstCode(node: SyntaxNode): SyntaxNode | undefined {
  const named = node.namedChildren;
  for (let i = 0; i < named.length; i++) if (named[i]!.type !== 'comment') return named[i];
  return undefined;
}

/**
 * Every result of `f` over `xs`, in order. One input (the common case: most evaluations do not fork) hands back
 * f's own array: the engine's result arrays are fresh per call and never changed once returned.
 */
export function flatMap<A, B>(xs: A[], f: (x: A) => B[]): B[] {
  if (xs.length === 1) return f(xs[0]!);
  const out: B[] = [];
  for (let i = 0; i < xs.length; i++) {
    const ys = f(xs[i]!);
    for (let j = 0; j < ys.length; j++) out.push(ys[j]!);
  }
  return out;
}

/** Evaluate nodes left to right, collecting their values. */
export function evalAll(ctx: RunContext, fr: Frame, st: PathState, nodes: SyntaxNode[]): { st: PathState; vs: Value[] }[] {
  let acc: { st: PathState; vs: Value[] }[] = [{ st, vs: [] }];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (acc.length === 1) {
      // One path so far: its entry and values array are this function's own (made here, not yet handed out), so an
      // argument that does not fork extends them in place instead of copying the values evaluated so far.
      const a = acc[0]!;
      const es = evalExpr(ctx, fr, a.st, n);
      if (es.length === 1) {
        a.st = es[0]!.st;
        a.vs.push(es[0]!.v);
        continue;
      }
      acc = es.map((e) => ({ st: e.st, vs: [...a.vs, e.v] }));
      continue;
    }
    acc = flatMap(acc, (a) => evalExpr(ctx, fr, a.st, n).map((e) => ({ st: e.st, vs: [...a.vs, e.v] })));
  }
  return acc;
}

const isConstName = (name: string): boolean => /^[A-Z_][A-Z0-9_]*$/.test(name);

/** A named failure code is some non-zero value (which one the simulator does not know). */
const NONZERO: Domain = { cls: NEG | POS, ne: [] };

function readIdentifier(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode): Evaluated {
  const name = node.text;
  const bound = st.env[name];
  if (bound) {
    if (bound.value.k !== 'uninit') return { st, v: bound.value };
    // Report once per path; afterwards the variable holds an arbitrary (but fixed) value.
    const v = sym(`uninit:${name}`, `<uninitialised ${name}>`, 'uninit', bound.isPointer);
    const st2 = setVar(addUninit(st, { name, line: fr.lines.line(node) }), name, { ...bound, value: v });
    return { st: st2, v };
  }
  if (name === 'NULL') return { st, v: NULL_VALUE };
  if (name === 'true') return { st, v: num(1) };
  if (name === 'false') return { st, v: num(0) };
  const e = errnoValue(name);
  if (e !== undefined) return { st, v: { k: 'num', n: e, name } };
  // An input: a global, a parameter, or a local of unseen code. After unseen code it may differ.
  const id = isConstName(name) ? `in:${name}` : `in:${name}@${st.epoch}`;
  // A named failure code (`TEE_ERROR_SECURITY`, `FDT_ERR_NOTFOUND`) is never 0, or it could not report a failure:
  // `res = TEE_ERROR_SECURITY; if ( p ) res = f(p); if ( res ) goto err;` leaves on a NULL p.
  if (isConstName(name) && !domIn(st.doms, id) && ctx.options.namedStatus?.(name) === 'failure') return { st: setDom(st, id, NONZERO), v: sym(id, name, 'input') };
  return { st, v: sym(id, name, 'input') };
}

/** Number literals already read, by text (values are immutable; a literal is read on every path). Bounded. */
const numbers = new Map<string, Value>();

/** Forget the literals read (they outlive a review). */
export function clearNumberMemo(): void {
  numbers.clear();
}

export function parseNumber(text: string): Value {
  let v = numbers.get(text);
  if (v === undefined) {
    v = readNumber(text);
    if (text.length <= 32) {
      if (numbers.size >= 10_000) numbers.clear();
      numbers.set(text, v);
    }
  }
  return v;
}

function readNumber(text: string): Value {
  const t = text.replace(/[uUlL]+$/, '');
  let n: number;
  if (/^0[xX]/.test(t)) n = Number.parseInt(t.slice(2), 16);
  else if (/^0[bB]/.test(t)) n = Number.parseInt(t.slice(2), 2);
  else if (/^0[0-7]+$/.test(t)) n = Number.parseInt(t.slice(1), 8);
  else n = Number(t.replace(/[fF]$/, ''));
  return Number.isFinite(n) ? num(n) : sym(`const:${text}`, text, 'input');
}

function charValue(text: string): number {
  const body = text.slice(1, -1);
  if (body.startsWith('\\')) {
    const map: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11 };
    return map[body.slice(1)] ?? (/^\\x/.test(body) ? Number.parseInt(body.slice(2), 16) : body.charCodeAt(1));
  }
  return body.charCodeAt(0) || 0;
}

function stringText(node: SyntaxNode): string {
  if (node.type === 'string_literal') return node.text.replace(/^[LuU8]*"/, '').replace(/"$/, '');
  return node.namedChildren.filter((c) => c.type === 'string_literal').map(stringText).join('');
}

function evalBinary(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode): Evaluated[] {
  const o = node.childForFieldName('operator')!.text;
  const left = node.childForFieldName('left')!;
  const right = node.childForFieldName('right')!;
  if (o === '&&' || o === '||') {
    const line = fr.lines.line(node);
    return flatMap(evalExpr(ctx, fr, st, left), (l) =>
      flatMap(branchOn(ctx, l.st, l.v, line), (b) => {
        if (o === '&&' ? !b.truth : b.truth) return [{ st: b.st, v: num(b.truth ? 1 : 0) }];
        return flatMap(evalExpr(ctx, fr, b.st, right), (r) =>
          branchOn(ctx, r.st, r.v, line).map((b2) => ({ st: b2.st, v: num(b2.truth ? 1 : 0) })));
      }));
  }
  return flatMap(evalExpr(ctx, fr, st, left), (l) => evalExpr(ctx, fr, l.st, right).map((r) => ({ st: r.st, v: op(o, [l.v, r.v]) })));
}

/** Resolve an lvalue to a location. */
export function evalLocation(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode): Located[] {
  ctx.tick();
  switch (node.type) {
    case 'identifier': return [{ st, loc: { kind: 'var', name: node.text } }];
    case 'parenthesized_expression': return evalLocation(ctx, fr, st, inner(node));
    case 'cast_expression': return evalLocation(ctx, fr, st, node.childForFieldName('value')!);
    case 'field_expression': {
      const arg = node.childForFieldName('argument')!;
      const field = node.childForFieldName('field')!.text;
      const label = normOf(node);
      if (node.childForFieldName('operator')?.text === '.') {
        return evalLocation(ctx, fr, st, arg).map((l) => ({
          st: l.st,
          loc: l.loc.kind === 'var'
            ? { kind: 'mem', key: `${l.st.env[l.loc.name]?.declared ? 'local:' : ''}${l.loc.name}.${field}`, label, isLocal: l.st.env[l.loc.name]?.declared === true }
            : { kind: 'mem', key: `${l.loc.key}.${field}`, label, isLocal: l.loc.isLocal },
        }));
      }
      return evalExpr(ctx, fr, st, arg).map((e) => ({ st: e.st, loc: { kind: 'mem', key: `${key(e.v)}->${field}`, label, isLocal: false } }));
    }
    case 'subscript_expression': {
      const label = normOf(node);
      const base = node.childForFieldName('argument')!;
      const idx = node.childForFieldName('index') ?? node.namedChildren[1]!;
      return flatMap(evalExpr(ctx, fr, st, base), (b) =>
        evalExpr(ctx, fr, b.st, idx).map((i) => ({ st: i.st, loc: { kind: 'mem', key: `${key(b.v)}[${key(i.v)}]`, label, isLocal: false } })));
    }
    case 'pointer_expression': {
      if (node.childForFieldName('operator')?.text !== '*') return ctx.unsupported('assignment to an address', node, fr);
      const label = normOf(node);
      return evalExpr(ctx, fr, st, node.childForFieldName('argument')!).map((e) => ({ st: e.st, loc: { kind: 'mem', key: `*${key(e.v)}`, label, isLocal: false } }));
    }
    case 'call_expression': {
      // Location models (this_cpu(x), per_cpu(x, c)): the location is the call text with evaluated arguments.
      const label = normOf(node);
      return [{ st, loc: { kind: 'mem', key: `loc:${label}`, label, isLocal: false } }];
    }
    default:
      return ctx.unsupported(`${node.type} as an assignment target`, node, fr);
  }
}

export function readLoc(ctx: RunContext, fr: Frame, st: PathState, loc: Loc, node: SyntaxNode): Evaluated {
  if (loc.kind === 'var') return readIdentifier(ctx, fr, st, node.type === 'identifier' ? node : findIdentifier(node, loc.name));
  const v = st.locs[loc.key] ?? zeroDefault(st, loc.key);
  if (v) return { st, v };
  const alias = ctx.options.inputAliases?.[loc.label];
  if (alias) return { st, v: sym(`in:${alias}@${st.epoch}`, alias, 'input') };
  return { st, v: sym(`loc:${loc.key}@${st.epoch}`, loc.label, 'location') };
}

/** A member of an aggregate whose initialiser left it zero: the nearest enclosing `zero:` marker. */
function zeroDefault(st: PathState, k: string): Value | undefined {
  if (!k.startsWith('local:') && !k.startsWith('&')) return undefined;
  for (let i = k.length; i > 0; i--) {
    if (i < k.length && k[i] !== '.' && k[i] !== '[') continue;
    const z = st.locs[`zero:${k.slice(0, i)}`];
    if (z) return z;
  }
  return undefined;
}

/**
 * Locations of a local aggregate whose address reaches unseen code (`f(&s)`, `f(a)`): what it
 * wrote there is unknown, so the aggregate's known members and zero default are forgotten.
 */
export function escape(st: PathState, values: Value[]): PathState {
  if (!values.some((v) => v.k === 'addr')) return st;
  const roots = values.filter((v): v is Extract<Value, { k: 'addr' }> => v.k === 'addr').map((v) => /^[A-Za-z_]\w*/.exec(v.text)?.[0]).filter((r): r is string => !!r);
  if (!roots.length) return st;
  const hit = (k: string): boolean => roots.some((r) => {
    const base = k.startsWith('zero:') ? k.slice(5) : k;
    return base === `local:${r}` || base.startsWith(`local:${r}.`) || base.startsWith(`local:${r}[`) || base === `&${r}` || base.startsWith(`&${r}[`) || base.startsWith(`&${r}.`);
  });
  const keys = Object.keys(st.locs).filter(hit);
  if (!keys.length) return st;
  const locs = { ...st.locs };
  for (const k of keys) delete locs[k];
  const next = derive(st);
  next.locs = locs;
  return next;
}

function findIdentifier(node: SyntaxNode, name: string): SyntaxNode {
  if (node.type === 'identifier' && node.text === name) return node;
  for (const c of node.namedChildren) {
    const f = findIdentifier(c, name);
    if (f.type === 'identifier' && f.text === name) return f;
  }
  return node;
}

export function writeLoc(fr: Frame, st: PathState, loc: Loc, v: Value, node: SyntaxNode, valueText: string): PathState {
  if (loc.kind === 'var') {
    const bound = st.env[loc.name];
    const isPointer = bound?.isPointer ?? false;
    const value = isPointer && v.k === 'sym' && !v.ptr ? { ...v, ptr: true } : v;
    const written = setVar(st, loc.name, { value, declared: bound?.declared ?? false, isPointer });
    // A name the function does not declare (a global, or a local of unseen code) is read by calls and unseen
    // code (noteUndeclaredRead); overwritten before either, what it held is lost. It never dies with the function.
    return bound ? noteKill(written, bound.value, loc.name, fr.lines.line(node), 'overwritten') : written;
  }
  const st2 = setLoc(st, loc.key, v);
  if (loc.isLocal) return st2;
  // Stored where others can read it: the value is passed on.
  return writeEffect(fr, noteUse(st2, v), loc, v, node, valueText);
}

function writeEffect(fr: Frame, st2: PathState, loc: Extract<Loc, { kind: 'mem' }>, v: Value, node: SyntaxNode, valueText: string): PathState {
  const line = fr.lines.line(node);
  return addEffect(visit(st2, line), { kind: 'write', target: loc.label, argText: [valueText], values: [key(v)], line });
}

function evalAssignment(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode): Evaluated[] {
  const left = node.childForFieldName('left')!;
  const right = node.childForFieldName('right')!;
  const o = node.childForFieldName('operator')!.text;
  const rightText = normOf(right);
  return flatMap(evalLocation(ctx, fr, st, left), (l) =>
    flatMap(evalExpr(ctx, fr, l.st, right), (r) => {
      if (o === '=') return [{ st: writeLoc(fr, r.st, l.loc, r.v, node, rightText), v: r.v }];
      const old = readLoc(ctx, fr, r.st, l.loc, left);
      const v = op(o.slice(0, -1), [old.v, r.v]);
      return [{ st: writeLoc(fr, old.st, l.loc, v, node, normOf(node)), v }];
    }));
}

function evalUpdate(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode): Evaluated[] {
  const arg = node.childForFieldName('argument')!;
  const o = node.childForFieldName('operator')!.text;
  const isPrefix = node.child(0)?.type === o;
  return flatMap(evalLocation(ctx, fr, st, arg), (l) => {
    const old = readLoc(ctx, fr, l.st, l.loc, arg);
    const v = op(o === '++' ? '+' : '-', [old.v, num(1)]);
    return [{ st: writeLoc(fr, old.st, l.loc, v, node, normOf(node)), v: isPrefix ? v : old.v }];
  });
}

export { show };
