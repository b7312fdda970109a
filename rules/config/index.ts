import type { Rule } from '../../src/review/rule.ts';
import invalidValueDefaulted from './invalid-value-defaulted.ts';
import listReadFirstOnly from './list-read-first-only.ts';
import defaultOutsideDefaults from './default-outside-defaults.ts';

export const configRules: Rule[] = [invalidValueDefaulted, listReadFirstOnly, defaultOutsideDefaults];
