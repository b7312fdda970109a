// Symbolic values: construction with constant folding, substitution of pinned symbols, rendering.
import type { SymOrigin, Value } from '../types.ts';
import { errnoName } from '../models/errno.ts';
import { pinned } from './domain.ts';
import { domIn, type Doms } from './dom-map.ts';

export const num = (n: number): Value => ({ k: 'num', n });
export const NULL_VALUE: Value = { k: 'num', n: 0, isNull: true };
export const VOID: Value = { k: 'void' };
export const sym = (id: string, label: string, origin: SymOrigin, ptr?: boolean): Value =>
  ptr ? { k: 'sym', id, label, origin, ptr } : { k: 'sym', id, label, origin };

const COMMUTATIVE = new Set(['+', '*', '&', '|', '^', '==', '!=', '&&', '||']);
export const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const MIRROR: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '==': '==', '!=': '!=' };

function foldNums(op: string, a: number[]): number | undefined {
  const [x, y] = a as [number, number];
  if (a.length === 1) {
    switch (op) {
      case '-': return -x;
      case '+': return x;
      case '!': return x === 0 ? 1 : 0;
      case '~': return ~x;
    }
    return undefined;
  }
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/': return y === 0 ? undefined : Math.trunc(x / y);
    case '%': return y === 0 ? undefined : x % y;
    case '<<': return y >= 0 && y < 53 ? x * 2 ** y : undefined;
    case '>>': return y >= 0 && y < 53 ? Math.floor(x / 2 ** y) : undefined;
    case '&': return Number(BigInt.asIntN(64, BigInt(Math.trunc(x)) & BigInt(Math.trunc(y))));
    case '|': return Number(BigInt.asIntN(64, BigInt(Math.trunc(x)) | BigInt(Math.trunc(y))));
    case '^': return Number(BigInt.asIntN(64, BigInt(Math.trunc(x)) ^ BigInt(Math.trunc(y))));
    case '==': return x === y ? 1 : 0;
    case '!=': return x !== y ? 1 : 0;
    case '<': return x < y ? 1 : 0;
    case '<=': return x <= y ? 1 : 0;
    case '>': return x > y ? 1 : 0;
    case '>=': return x >= y ? 1 : 0;
    case '&&': return x !== 0 && y !== 0 ? 1 : 0;
    case '||': return x !== 0 || y !== 0 ? 1 : 0;
  }
  return undefined;
}

/** Build `op(args)`, folding constants and trivial identities; commutative operands are ordered. */
export function op(o: string, args: Value[]): Value {
  if (args.some((a) => a.k === 'void')) return VOID;
  // `-EPERM` stays the constant the code named (it is -1, but so is a bare `-1`, which is no errno).
  if (o === '-' && args.length === 1 && args[0]!.k === 'num' && args[0]!.name) return { k: 'num', n: -args[0]!.n, name: args[0]!.name };
  if (args.every((a) => a.k === 'num')) {
    const r = foldNums(o, args.map((a) => (a as { n: number }).n));
    if (r !== undefined && Number.isFinite(r)) return num(r);
  }
  if (args.length === 2) {
    const [x, y] = args as [Value, Value];
    if (o === '+' && isNum(y, 0)) return x;
    if (o === '+' && isNum(x, 0)) return y;
    if (o === '-' && isNum(y, 0)) return x;
    if (o === '*' && (isNum(y, 1))) return x;
    if (o === '*' && (isNum(x, 1))) return y;
    if ((o === '==' || o === '<=' || o === '>=') && key(x) === key(y) && x.k !== 'op') return num(1);
    if ((o === '!=' || o === '<' || o === '>') && key(x) === key(y) && x.k !== 'op') return num(0);
    // Keep the constant on the right of comparisons.
    if (COMPARISONS.has(o) && x.k === 'num' && y.k !== 'num') return { k: 'op', op: MIRROR[o]!, args: [y, x] };
    if (COMMUTATIVE.has(o) && !COMPARISONS.has(o) && key(x) > key(y)) return { k: 'op', op: o, args: [y, x] };
  }
  if (args.length === 1) {
    const [x] = args as [Value];
    if (o === '+') return x;
    if (o === '-' && x.k === 'op' && x.op === '-' && x.args.length === 1) return x.args[0]!;
    if (o === '!' && x.k === 'op' && x.op === '!' && x.args.length === 1 && isBoolean(x.args[0]!)) return x.args[0]!;
  }
  return { k: 'op', op: o, args };
}

const isNum = (v: Value, n: number): boolean => v.k === 'num' && v.n === n;
const isBoolean = (v: Value): boolean => v.k === 'op' && (COMPARISONS.has(v.op) || v.op === '!' || v.op === '&&' || v.op === '||');

/** Replace symbols whose domain pins one value, and re-fold. */
export function resolve(v: Value, doms: Doms): Value {
  switch (v.k) {
    case 'sym': {
      const d = domIn(doms, v.id);
      const p = d ? pinned(d) : undefined;
      return p === undefined ? v : num(p);
    }
    case 'op': {
      const args = v.args.map((a) => resolve(a, doms));
      return args.every((a, i) => a === v.args[i]) ? v : op(v.op, args);
    }
    default:
      return v;
  }
}

const opKeys = new WeakMap<Value, string>();

/** Identity text: symbols by id. Two values with the same key are the same value. */
export function key(v: Value): string {
  if (v.k !== 'op') return keyOf(v);
  // Values are immutable: an operation's key (a walk over its operands) is remembered per value object.
  let k = opKeys.get(v);
  if (k === undefined) opKeys.set(v, (k = keyOf(v)));
  return k;
}

function keyOf(v: Value): string {
  switch (v.k) {
    case 'num': return String(v.n);
    case 'sym': return `$${v.id}`;
    case 'str': return JSON.stringify(v.text);
    case 'addr': return `&${v.text}`;
    case 'uninit': return `<uninitialised ${v.name}>`;
    case 'void': return '<void>';
    case 'op':
      if (v.args.length === 1) return `${v.op}(${key(v.args[0]!)})`;
      return `(${v.args.map(key).join(` ${v.op} `)})`;
  }
}

/** Text for people: symbols by label, negated errno constants by name. */
export function show(v: Value): string {
  switch (v.k) {
    case 'num': return v.isNull ? 'NULL' : v.name ? `${v.n < 0 ? '-' : ''}${v.name}` : errnoName(v.n) ?? String(v.n);
    case 'sym': return v.label;
    case 'str': return JSON.stringify(v.text);
    case 'addr': return `&${v.text}`;
    case 'uninit': return `<uninitialised ${v.name}>`;
    case 'void': return 'nothing';
    case 'op':
      if (v.args.length === 1) return `${v.op}${wrap(v.args[0]!)}`;
      if (v.op === '[]') return `${wrap(v.args[0]!)}[${show(v.args[1]!)}]`;
      return v.args.map(wrap).join(` ${v.op} `);
  }
}

const wrap = (v: Value): string => (v.k === 'op' ? `(${show(v)})` : show(v));

/** Symbol ids a value depends on. */
export function symbolsOf(v: Value, out: Set<string> = new Set()): Set<string> {
  if (v.k === 'sym') out.add(v.id);
  else if (v.k === 'op') for (const a of v.args) symbolsOf(a, out);
  return out;
}
