import type { Rule } from '../../src/review/rule.ts';
import invalidValueDefaulted from './invalid-value-defaulted.ts';

export const configRules: Rule[] = [invalidValueDefaulted];
