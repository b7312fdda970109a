// The simulator's query API. Rules and the review use only what is exported here.
export type * from './types.ts';
export { simulate } from './engine/simulate.ts';
export { DEFAULT_BUDGET, DEFAULT_LOOP_BOUND } from './engine/context.ts';
export { clearSimMemos } from './engine/memos.ts';
export { functionFromSource } from './program/source.ts';
export { isLogCall, isAbortCall, isAllocCall } from './models/queries.ts';
// The one normalised name of a call (`ops -> suspend` is `ops->suspend`), shared with the review.
export { calleeText } from './engine/calls.ts';
export { modelFor, ALL_MODELS, errnoValue, errnoName } from './models/index.ts';
export { findWitness, mayReturnSuccessAfterFailure, type CallSiteRef } from './query/witness.ts';
export { equivalent } from './query/equivalent.ts';
export { lostResult } from './query/lost-result.ts';
export { differential, differsWhenAllSucceed, successConstraints } from './query/differential.ts';
export { benchSimulate, type BenchEntry } from './bench.ts';
