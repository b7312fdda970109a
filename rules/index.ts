// The explicit index of rule packs. A meta-test checks that every rule file is listed here.
import type { Rule } from '../src/review/rule.ts';
import type { KnownFallible } from '../src/review/fallibility.ts';
import { errorHandlingRules } from './error-handling/index.ts';
import { simplifyRules } from './simplify/index.ts';
import { knownFallible } from './error-handling/known-fallible.ts';

export const packs: Record<string, Rule[]> = {
  'error-handling': errorHandlingRules,
  simplify: simplifyRules,
};

export const allRules: Rule[] = Object.values(packs).flat();

export const knownFallibleApis: KnownFallible[] = knownFallible;
