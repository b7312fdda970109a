// The V8 tiering of a process that reviews (the API server, a review pool's workers, the bench's in-process
// rows). V8 tiers a function up to its optimising compiler (TurboFan) after a fixed amount of interpreted
// work (the interrupt budget, 66 KB of bytecode by default). A review runs a great deal of code a few times
// each, so by default hundreds of functions reach TurboFan during the first reviews of a process, are
// compiled on background threads (often deoptimised and compiled again), and the optimised code pays off
// only after ~100 reviews: measured on the seed (cache-cleared reviews, 2 cores), a review cost ~250 ms of
// process CPU over the first 5 reviews (half of it on the compiler threads) and ~130 ms per review until
// the 200th, against ~110-125 ms with a 15x budget from the first review on. The bin sets the same flag
// for the CLI (bin/patch-review.js V8_FLAGS, before its code cache loads: flags are part of a cache's key).
//
// Process-wide (worker threads share the process's V8 flags and cannot set their own): set before the
// first review. PATCH_REVIEW_V8_TIERING=default keeps V8's own; a budget given on the command line or in
// NODE_OPTIONS wins.
import { setFlagsFromString } from 'node:v8';

/** The flags, as the bin's V8_FLAGS spells the same setting. */
export const TIERING_FLAGS: readonly string[] = ['--interrupt-budget=1000000'];

let applied: readonly string[] | undefined;

/** Sets TIERING_FLAGS once per process; returns the flags in effect from this call (none: V8's defaults or the user's). */
export function applyReviewTiering(env: NodeJS.ProcessEnv = process.env): readonly string[] {
  if (applied) return applied;
  const given = [...process.execArgv, env.NODE_OPTIONS ?? ''].some((a) => /--interrupt[-_]budget\b/.test(a));
  applied = env.PATCH_REVIEW_V8_TIERING === 'default' || given ? [] : TIERING_FLAGS;
  for (const flag of applied) setFlagsFromString(flag);
  return applied;
}
