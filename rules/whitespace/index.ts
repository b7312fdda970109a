import type { Rule } from '../../src/review/rule.ts';
import indentDialect from './indent-dialect.ts';
import trailingWhitespace from './trailing-whitespace.ts';

export const whitespaceRules: Rule[] = [indentDialect, trailingWhitespace];
