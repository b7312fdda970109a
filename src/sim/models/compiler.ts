// Compiler hints that do not change the value.
import type { CallModel } from './model.ts';

export const compilerModels: CallModel[] = [
  { family: 'compiler', names: ['likely', 'unlikely', 'READ_ONCE', 'ACCESS_ONCE', '__builtin_expect'], behaviour: { kind: 'transparent', arg: 0 } },
];
