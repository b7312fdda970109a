import type { Rule } from '../../src/review/rule.ts';
import errorLevelNotError from './error-level-not-error.ts';

export const loggingRules: Rule[] = [errorLevelNotError];
