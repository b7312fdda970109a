// Inlining a function of the same patch: run its body in a fresh frame, bound to the argument values.
import type { SimFunction, Value } from '../types.ts';
import { functionParams } from '../program/source.ts';
import { setVar, type PathState } from '../state/path-state.ts';
import { VOID } from '../state/value.ts';
import { frameOf, type Evaluated, type Frame, type RunContext } from './context.ts';
import { execFunctionBody } from './stmt.ts';

export function callFunction(ctx: RunContext, st: PathState, target: SimFunction, args: Value[]): Evaluated[] {
  const frame: Frame = frameOf(target);
  const params = target.params ?? functionParams(target.node);
  const callerEnv = st.env;
  let inner: PathState = { ...st, env: {}, depth: st.depth + 1 };
  params.forEach((p, i) => {
    inner = setVar(inner, p.name, { value: args[i] ?? VOID, declared: true, isPointer: p.type.includes('*') });
  });
  const out: Evaluated[] = [];
  for (const f of execFunctionBody(ctx, frame, inner)) {
    const back: PathState = { ...f.st, env: callerEnv, depth: st.depth };
    out.push({ st: back, v: f.kind === 'return' ? f.value ?? VOID : VOID });
  }
  return out;
}
