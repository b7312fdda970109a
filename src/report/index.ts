// Formatters: pure functions from a review to a string, one signature (ESLint's formatters).
import type { Review } from '../review/types.ts';
import { formatText } from './text.ts';
import { formatJson } from './json.ts';
import { formatSarif } from './sarif.ts';

export type Formatter = (review: Review) => string;

export const formatters = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
} as const satisfies Record<string, Formatter>;

export type FormatName = keyof typeof formatters;
export const FORMAT_NAMES = Object.keys(formatters) as FormatName[];
