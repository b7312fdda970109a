// The model registry: one table built from the family files, looked up by callee name.
import type { CallModel } from './model.ts';
import { assertModels } from './assert.ts';
import { logModels } from './log.ts';
import { compilerModels } from './compiler.ts';
import { percpuModels } from './percpu.ts';
import { lockModels } from './locks.ts';
import { allocModels } from './alloc.ts';
import { errPtrModels } from './err-ptr.ts';

export type { CallModel, ModelBehaviour } from './model.ts';
export { errnoValue, errnoName, ERRNO } from './errno.ts';

export const ALL_MODELS: readonly CallModel[] = [
  ...assertModels, ...logModels, ...compilerModels, ...percpuModels, ...lockModels, ...allocModels, ...errPtrModels,
];

const byName = new Map<string, CallModel>();
for (const m of ALL_MODELS) for (const n of m.names) if (!byName.has(n)) byName.set(n, m);

export function modelFor(callee: string): CallModel | undefined {
  return byName.get(callee);
}
