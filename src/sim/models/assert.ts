// Assertions: BUG_ON/ASSERT end the path where the condition holds; WARN_ON only logs.
import type { CallModel } from './model.ts';

export const assertModels: CallModel[] = [
  { family: 'assert', names: ['BUG_ON', 'ASSERT', 'BUILD_BUG_ON', 'assert'], behaviour: { kind: 'abort-if', arg: 0 } },
  { family: 'assert', names: ['BUG', 'panic', 'domain_crash_synchronous', 'abort'], behaviour: { kind: 'abort' } },
  { family: 'assert', names: ['WARN_ON', 'WARN_ON_ONCE', 'WARN', 'WARN_ONCE'], behaviour: { kind: 'warn-if', arg: 0 } },
];
