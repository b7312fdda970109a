// Assertions: BUG_ON ends the path where its condition holds, ASSERT/assert where theirs does not; WARN_ON only logs.
import type { CallModel } from './model.ts';

export const assertModels: CallModel[] = [
  { family: 'assert', names: ['BUG_ON', 'BUILD_BUG_ON'], behaviour: { kind: 'abort-if', arg: 0 } },
  // ASSERT(p) / assert(p) stop the path where p does NOT hold: past them, p is what the author asserted.
  { family: 'assert', names: ['ASSERT', 'assert', 'TEE_ASSERT'], behaviour: { kind: 'abort-if', arg: 0, unless: true } },
  { family: 'assert', names: ['BUG', 'panic', 'domain_crash_synchronous', 'abort'], behaviour: { kind: 'abort' } },
  { family: 'assert', names: ['WARN_ON', 'WARN_ON_ONCE', 'WARN', 'WARN_ONCE'], behaviour: { kind: 'warn-if', arg: 0 } },
];
