import type { Rule } from '../../src/review/rule.ts';
import controlSpacing from './control-spacing.ts';

export const houseStyleRules: Rule[] = [controlSpacing];
