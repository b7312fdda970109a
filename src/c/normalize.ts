// Macro-robust normalisation before tree-sitter. CONTRACT (implementation owned by the
// macro-normalisation work): the output has exactly the input's length and every newline at the
// same offset, so rows, columns and byte offsets of the tree are those of the real text.
import type { Dialect } from './types.ts';

export interface Replacement {
  /** Offsets into the source, [start, end). */
  start: number;
  end: number;
  /** What was there and why it was rewritten. */
  original: string;
  kind: 'annotation' | 'iterator' | 'type-argument' | 'string-macro' | 'statement-macro' | 'asm' | 'preprocessor' | 'other';
}

export interface NormalizeResult {
  text: string;
  replacements: Replacement[];
}

export function dialectForPath(path: string | null | undefined): Dialect {
  if (!path) return 'generic';
  if (/(^|\/)xen\//.test(path)) return 'xen';
  if (/^(drivers|arch|kernel|fs|mm|net|include\/linux|block|sound|lib|virt|security|crypto)\//.test(path)) return 'linux';
  return 'generic';
}

export function normalizeC(source: string, _options: { dialect: Dialect }): NormalizeResult {
  return { text: source, replacements: [] };
}
