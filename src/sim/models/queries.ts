// Questions about the models that rules may ask directly.
import { modelFor } from './index.ts';

export const isLogCall = (callee: string): boolean => modelFor(callee)?.behaviour.kind === 'log';
export const isAbortCall = (callee: string): boolean => {
  const k = modelFor(callee)?.behaviour.kind;
  return k === 'abort' || k === 'abort-if';
};
export const isAllocCall = (callee: string): boolean => modelFor(callee)?.behaviour.kind === 'alloc';
