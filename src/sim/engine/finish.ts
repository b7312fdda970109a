// Ending a path: hand it to the run context with its end.
import type { PathEnd } from '../types.ts';
import type { PathState } from '../state/path-state.ts';
import type { RunContext } from './context.ts';

export function finishPath(ctx: RunContext, st: PathState, end: PathEnd): void {
  ctx.finish(st, end);
}

/** Variables in scope, sorted: locals declared in the function and inputs it wrote. */
export function liveVars(st: PathState): string[] {
  return Object.keys(st.env).sort();
}
