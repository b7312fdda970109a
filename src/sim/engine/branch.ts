// Forking on a value's truth: refine the symbol's domain on each side, record the assumption.
import type { Assumption, Domain, Value } from '../types.ts';
import { describe, refine, TOP, ZERO } from '../state/domain.ts';
import { derive, noteTest, setDom, type PathState } from '../state/path-state.ts';
import { push } from '../state/list.ts';
import { COMPARISONS, key, op, resolve, show } from '../state/value.ts';
import { errnoName } from '../models/errno.ts';
import { SimStop } from './context.ts';

export interface Branch {
  st: PathState;
  truth: boolean;
}

const showConst = (n: number): string => errnoName(n) ?? String(n);

/** What a branch reports to: each feasible two-way fork adds one path to the run (budget). */
export interface ForkCounter {
  fork(): void;
}

/**
 * The feasible truths of `v` on `st`, each with the state that assumes it. True first. A fork counts
 * against the path budget when it happens, not when its paths end: the budget stops an exploding
 * function early, before it has finished any path.
 */
export function branchOn(ctx: ForkCounter, st: PathState, v: Value, line: number): Branch[] {
  const out = branchTruths(st, v, line);
  if (out.length > 1) ctx.fork();
  return out;
}

function branchTruths(st0: PathState, v: Value, line: number): Branch[] {
  // A test of a call's result looks at it (liveness); it is a use only where the test acts on a failure
  // (queries decide: a test that sends a failure the way of a success does not).
  const st = noteTest(st0, v, line);
  const r = resolve(v, st.doms);
  switch (r.k) {
    case 'num': return [{ st, truth: r.n !== 0 }];
    case 'str':
    case 'addr': return [{ st, truth: true }];
    case 'void': throw new SimStop('unsupported', `a void value used as a condition at line ${line}`);
    case 'uninit': return [{ st, truth: true }, { st, truth: false }];
    case 'sym': return constrain(st, r, '!=', 0, line, false)!;
    case 'op': {
      if (r.op === '!' && r.args.length === 1) return branchTruths(st, r.args[0]!, line).map((b) => ({ st: b.st, truth: !b.truth }));
      const [x, y] = r.args;
      if (COMPARISONS.has(r.op) && x?.k === 'sym' && y?.k === 'num') {
        const out = constrain(st, x, r.op, y.n, line, y.isNull === true, y.name);
        if (out) return out;
      }
      // `e == 0` and `e != 0` are the truth of `e` itself: `if ( flags & F )` and `if ( (flags & F) == 0 )` agree.
      if ((r.op === '==' || r.op === '!=') && x && x.k === 'op' && y?.k === 'num' && y.n === 0 && !y.isNull) {
        return branchTruths(st, x, line).map((b) => ({ st: b.st, truth: r.op === '==' ? !b.truth : b.truth }));
      }
      if (COMPARISONS.has(r.op) && x && y) return relation(st, r.op, x, y, line);
      const atom: Value = { k: 'sym', id: `atom:${key(r)}`, label: show(r), origin: 'atom' };
      return constrain(st, atom, '!=', 0, line, false) ?? [];
    }
  }
}

/**
 * A comparison between two values that are not (symbol, constant): one atom per unordered pair and
 * relation, so `a != b` is the negation of `b == a`, `a >= b` of `a < b`, `a > b` is `b < a`. Facts
 * between the atoms of one pair are kept: `a == b` excludes `a < b` and `b < a`, and `a < b` excludes
 * `b < a` and `a == b`. That is what makes `cpu != crashing_cpu` then `cpu == crashing_cpu` a dead path.
 */
function relation(st: PathState, o: string, x: Value, y: Value, line: number): Branch[] {
  const [kx, ky] = [key(x), key(y)];
  // The pair's three atoms by id; only the one tested here is built as a value (with its label for people).
  const eq = kx <= ky ? `atom:eq:${kx}|${ky}` : `atom:eq:${ky}|${kx}`;
  const lt = `atom:lt:${kx}|${ky}`;
  const gt = `atom:lt:${ky}|${kx}`;
  const eqAtom = (): Extract<Value, { k: 'sym' }> => {
    const [a, b] = kx <= ky ? [x, y] : [y, x];
    return { k: 'sym', id: eq, label: `${show(a)} == ${show(b)}`, origin: 'atom' };
  };
  const ltAtom = (a: Value, b: Value, id: string): Extract<Value, { k: 'sym' }> => ({ k: 'sym', id, label: `${show(a)} < ${show(b)}`, origin: 'atom' });
  const [atom, flip] = o === '==' ? [eqAtom(), false]
    : o === '!=' ? [eqAtom(), true]
    : o === '<' ? [ltAtom(x, y, lt), false]
    : o === '>=' ? [ltAtom(x, y, lt), true]
    : o === '>' ? [ltAtom(y, x, gt), false]
    : [ltAtom(y, x, gt), true];
  const out: Branch[] = [];
  for (const b of constrain(st, atom, '!=', 0, line, false) ?? []) {
    const truth = flip ? !b.truth : b.truth;
    // The atom just decided, and what it rules out for the pair's other atoms.
    const isTrue = (id: string): boolean => { const d = b.st.doms.get(id); return !!d && (d.cls & ZERO) === 0; };
    const isFalse = (id: string): boolean => b.st.doms.get(id)?.cls === ZERO;
    const trueCount = (isTrue(eq) ? 1 : 0) + (isTrue(lt) ? 1 : 0) + (isTrue(gt) ? 1 : 0);
    if (trueCount > 1) continue;
    if (isFalse(eq) && isFalse(lt) && isFalse(gt)) continue;
    let s2 = b.st;
    if (trueCount === 1) for (const id of [eq, lt, gt]) if (!isTrue(id) && !s2.doms.get(id)) s2 = setDom(s2, id, { cls: ZERO, ne: [] });
    out.push({ st: s2, truth });
  }
  return out;
}

function constrain(st: PathState, s: Extract<Value, { k: 'sym' }>, o: string, c: number, line: number, cNull: boolean, cName?: string): Branch[] | null {
  const before: Domain = st.doms.get(s.id) ?? TOP;
  const dt = refine(before, o, c, true);
  if (dt === null) return null; // not expressible: the caller makes an atom
  const df = refine(before, o, c, false);
  if (df === null) return null;
  if (!dt || !df) {
    // One side only (or none): the test decides nothing, no assumption is recorded.
    if (dt) return [{ st: setDom(st, s.id, dt), truth: true }];
    return df ? [{ st: setDom(st, s.id, df), truth: false }] : [];
  }
  const side = (truth: boolean, d: Domain): Branch => {
    const a: Assumption = {
      symbol: s.id,
      subject: s.label,
      origin: s.origin,
      relation: relationText(s, o, c, truth, d, cName),
      holds: truth,
      line,
    };
    if (cNull || s.ptr) a.isPointer = true;
    if (s.line !== undefined) a.callLine = s.line;
    // assume(setDom(st, ..), a) in one copy of the state.
    const next = derive(st);
    next.doms = st.doms.set(s.id, d);
    next.assumptions = push(st.assumptions, a);
    return { st: next, truth };
  };
  return [side(true, dt), side(false, df)];
}

function relationText(s: Extract<Value, { k: 'sym' }>, o: string, c: number, truth: boolean, d: Domain, cName?: string): string {
  // The constant as the code wrote it: `-EPERM` when it named one, else the number (a bare -1 is no errno).
  const shown = (n: number): string => (cName && n === c ? `${n < 0 ? '-' : ''}${cName}` : showConst(n));
  if (s.origin === 'atom' || s.origin === 'unknown' || s.origin === 'iteration') return truth ? 'true' : 'false';
  if (c === 0 && o === '!=' ) return truth ? '!= 0' : '== 0';
  const neg: Record<string, string> = { '==': '!=', '!=': '==', '<': '>=', '>=': '<', '>': '<=', '<=': '>' };
  const eff = truth ? o : neg[o]!;
  return d.eq !== undefined ? describe(d, shown) : `${eff} ${shown(c)}`;
}

/** Record that `x == y` is false where nothing decided it yet (distinct case labels). */
export function assumeFalse(st: PathState, x: Value, y: Value): PathState {
  const r = resolve(op('==', [x, y]), st.doms);
  if (r.k === 'num') return st;
  if (r.k === 'op' && r.op === '==' && r.args[0]?.k === 'sym' && r.args[1]?.k === 'num') {
    const d = refine(st.doms.get(r.args[0].id) ?? TOP, '==', r.args[1].n, false);
    return d ? setDom(st, r.args[0].id, d) : st;
  }
  if (r.k !== 'op' || r.op !== '==' || r.args.length !== 2) return st;
  const [a, b] = key(r.args[0]!) <= key(r.args[1]!) ? [r.args[0]!, r.args[1]!] : [r.args[1]!, r.args[0]!];
  const id = `atom:eq:${key(a)}|${key(b)}`;
  return st.doms.get(id) ? st : setDom(st, id, { cls: ZERO, ne: [] });
}
