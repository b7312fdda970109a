// Inlining a function of the same patch: run its body in a fresh frame, bound to the argument values.
import type { SimFunction, Value } from '../types.ts';
import { functionParams } from '../program/source.ts';
import { derive, setVar, type PathState } from '../state/path-state.ts';
import { VOID } from '../state/value.ts';
import { frameOf, type Evaluated, type Frame, type RunContext } from './context.ts';
import { execFunctionBody } from './stmt.ts';

export function callFunction(ctx: RunContext, st: PathState, target: SimFunction, args: Value[]): Evaluated[] {
  const frame: Frame = frameOf(target);
  const params = target.params ?? functionParams(target.node);
  const callerEnv = st.env;
  const entry = derive(st);
  entry.env = {};
  entry.depth = st.depth + 1;
  let inner: PathState = entry;
  params.forEach((p, i) => {
    inner = setVar(inner, p.name, { value: args[i] ?? VOID, declared: true, isPointer: p.type.includes('*') });
  });
  const out: Evaluated[] = [];
  for (const f of execFunctionBody(ctx, frame, inner)) {
    const back = derive(f.st);
    back.env = callerEnv;
    back.depth = st.depth;
    out.push({ st: back, v: f.kind === 'return' ? f.value ?? VOID : VOID });
  }
  return out;
}
