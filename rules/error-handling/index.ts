import type { Rule } from '../../src/review/rule.ts';
import droppedError from './dropped-error.ts';
import loggedNotReturned from './logged-not-returned.ts';
import successPathReturn from './success-path-return.ts';
import successValueChanged from './success-value-changed.ts';
import errorForBenignExit from './error-for-benign-exit.ts';
import inconsistentErrno from './inconsistent-errno.ts';
import invertedSuccessCheck from './inverted-success-check.ts';
import lostResult from './lost-result.ts';
import partialCheck from './partial-check.ts';
import staleStatusExit from './stale-status-exit.ts';
import uncheckedUse from './unchecked-use.ts';
import errorPathRegression from './error-path-regression.ts';
import testedWrongVariable from './tested-wrong-variable.ts';
import errnoInUnsignedReturn from './errno-in-unsigned-return.ts';
import workAfterFailure from './work-after-failure.ts';
import negativeCountBound from './negative-count-bound.ts';
import uncheckedTruncation from './unchecked-truncation.ts';

export const errorHandlingRules: Rule[] = [
  droppedError,
  loggedNotReturned,
  successPathReturn,
  successValueChanged,
  errorForBenignExit,
  inconsistentErrno,
  invertedSuccessCheck,
  lostResult,
  partialCheck,
  staleStatusExit,
  uncheckedUse,
  errorPathRegression,
  testedWrongVariable,
  errnoInUnsignedReturn,
  workAfterFailure,
  negativeCountBound,
  uncheckedTruncation,
];
