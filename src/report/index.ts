// Formatters: pure functions from a review (and rendering options) to a string, one signature
// (ESLint's formatters). Each lives in its own module; the CLI imports only the ones asked for.
import type { Review } from '../review/types.ts';

export interface FormatOptions {
  /** ANSI colour (text). The CLI decides: a TTY, and never with NO_COLOR. */
  color?: boolean;
  /** Leave out notes about input that was repaired (text). */
  quiet?: boolean;
  /** One line per finding (checkpatch). */
  terse?: boolean;
  /** `INPUT:N:` prefixes, as checkpatch --emacs (checkpatch). */
  emacs?: boolean;
  /** Leave out the closing `total:` summary (checkpatch), as checkpatch --no-summary. */
  noSummary?: boolean;
  /** Findings left out because a baseline already has them (the summary says so). */
  baselineSuppressed?: number;
  /** The checkout the review used as its tree when the CLI found it by itself (text says so). */
  detectedTree?: string;
}

export type Formatter = (review: Review, options?: FormatOptions) => string;

/** Name -> lazy import: loading one formatter never loads the others. */
export const FORMAT_LOADERS = {
  text: async () => (await import('./text.ts')).formatText,
  json: async () => (await import('./json.ts')).formatJson,
  sarif: async () => (await import('./sarif.ts')).formatSarif,
  checkpatch: async () => (await import('./checkpatch.ts')).formatCheckpatch,
  rdjson: async () => (await import('./rdjson.ts')).formatRdjson,
  rdjsonl: async () => (await import('./rdjson.ts')).formatRdjsonl,
  b4: async () => (await import('./b4.ts')).formatB4,
  github: async () => (await import('./github.ts')).formatGithub,
} as const satisfies Record<string, () => Promise<Formatter>>;

export type FormatName = keyof typeof FORMAT_LOADERS;
export const FORMAT_NAMES = Object.keys(FORMAT_LOADERS) as FormatName[];

export const isFormatName = (name: string): name is FormatName => Object.hasOwn(FORMAT_LOADERS, name);

export async function loadFormatter(name: FormatName): Promise<Formatter> {
  return FORMAT_LOADERS[name]();
}
