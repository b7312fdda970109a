// The explicit index of rule packs. A meta-test checks that every rule file is listed here.
import type { Rule, RuleSet } from '../src/review/rule.ts';
import { errorHandlingRules } from './error-handling/index.ts';
import { simplifyRules } from './simplify/index.ts';
import { whitespaceRules } from './whitespace/index.ts';
import { houseStyleRules } from './house-style/index.ts';
import { configRules } from './config/index.ts';
import { loggingRules } from './logging/index.ts';

export const packs: Record<string, Rule[]> = {
  'error-handling': errorHandlingRules,
  simplify: simplifyRules,
  whitespace: whitespaceRules,
  'house-style': houseStyleRules,
  config: configRules,
  logging: loggingRules,
};

export const allRules: Rule[] = Object.values(packs).flat();

export const defaultRuleSet: RuleSet = { rules: allRules };
