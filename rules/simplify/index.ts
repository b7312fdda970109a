import type { Rule } from '../../src/review/rule.ts';
import returnCallDirectly from './return-call-directly.ts';
import testCallDirectly from './test-call-directly.ts';
import reuseExistingVariable from './reuse-existing-variable.ts';
import cleanupInBothBranches from './cleanup-in-both-branches.ts';
import cleanupInSwitchArms from './cleanup-in-switch-arms.ts';
import sameBlockInBothBranches from './same-block-in-both-branches.ts';
import copiedIntoStatus from './copied-into-status.ts';
import cleanupOnErrorAndFallthrough from './cleanup-on-error-and-fallthrough.ts';
import cleanupAfterCallee from './cleanup-after-callee.ts';
import nestedIf from './nested-if.ts';
import returnedTemporary from './returned-temporary.ts';
import cleanupBeforeEarlyExit from './cleanup-before-early-exit.ts';

export const simplifyRules: Rule[] = [
  returnCallDirectly,
  testCallDirectly,
  reuseExistingVariable,
  cleanupInBothBranches,
  cleanupInSwitchArms,
  sameBlockInBothBranches,
  copiedIntoStatus,
  cleanupOnErrorAndFallthrough,
  cleanupAfterCallee,
  nestedIf,
  returnedTemporary,
  cleanupBeforeEarlyExit,
];
