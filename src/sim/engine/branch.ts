// Forking on a value's truth: refine the symbol's domain on each side, record the assumption.
import type { Assumption, Domain, Value } from '../types.ts';
import { describe, refine, TOP } from '../state/domain.ts';
import { assume, setDom, type PathState } from '../state/path-state.ts';
import { COMPARISONS, key, resolve, show } from '../state/value.ts';
import { errnoName } from '../models/errno.ts';
import { SimStop } from './context.ts';

export interface Branch {
  st: PathState;
  truth: boolean;
}

const showConst = (n: number): string => errnoName(n) ?? String(n);

/** The feasible truths of `v` on `st`, each with the state that assumes it. True first. */
export function branchOn(st: PathState, v: Value, line: number): Branch[] {
  const r = resolve(v, st.doms);
  switch (r.k) {
    case 'num': return [{ st, truth: r.n !== 0 }];
    case 'str':
    case 'addr': return [{ st, truth: true }];
    case 'void': throw new SimStop('unsupported', `a void value used as a condition at line ${line}`);
    case 'uninit': return [{ st, truth: true }, { st, truth: false }];
    case 'sym': return constrain(st, r, '!=', 0, line, false)!;
    case 'op': {
      if (r.op === '!' && r.args.length === 1) return branchOn(st, r.args[0]!, line).map((b) => ({ st: b.st, truth: !b.truth }));
      const [x, y] = r.args;
      if (COMPARISONS.has(r.op) && x?.k === 'sym' && y?.k === 'num') {
        const out = constrain(st, x, r.op, y.n, line, y.isNull === true);
        if (out) return out;
      }
      const atom: Value = { k: 'sym', id: `atom:${key(r)}`, label: show(r), origin: 'atom' };
      return constrain(st, atom, '!=', 0, line, false) ?? [];
    }
  }
}

function constrain(st: PathState, s: Extract<Value, { k: 'sym' }>, o: string, c: number, line: number, cNull: boolean): Branch[] | null {
  const before: Domain = st.doms[s.id] ?? TOP;
  const sides: { truth: boolean; d: Domain }[] = [];
  for (const truth of [true, false]) {
    const d = refine(before, o, c, truth);
    if (d === null) return null; // not expressible: the caller makes an atom
    if (d) sides.push({ truth, d });
  }
  if (sides.length === 1) return [{ st: setDom(st, s.id, sides[0]!.d), truth: sides[0]!.truth }];
  return sides.map(({ truth, d }) => {
    const a: Assumption = {
      symbol: s.id,
      subject: s.label,
      origin: s.origin,
      relation: relationText(s, o, c, truth, d),
      holds: truth,
      line,
    };
    if (cNull || s.ptr) a.isPointer = true;
    if (s.line !== undefined) a.callLine = s.line;
    return { st: assume(setDom(st, s.id, d), a), truth };
  });
}

function relationText(s: Extract<Value, { k: 'sym' }>, o: string, c: number, truth: boolean, d: Domain): string {
  if (s.origin === 'atom' || s.origin === 'unknown' || s.origin === 'iteration') return truth ? 'true' : 'false';
  if (c === 0 && o === '!=' ) return truth ? '!= 0' : '== 0';
  const neg: Record<string, string> = { '==': '!=', '!=': '==', '<': '>=', '>=': '<', '>': '<=', '<=': '>' };
  const eff = truth ? o : neg[o]!;
  return d.eq !== undefined ? describe(d, showConst) : `${eff} ${showConst(c)}`;
}
