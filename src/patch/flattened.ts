import type { FilePatch, PatchMeta, Warning } from './types.ts';
import type { SourceLine } from './source-lines.ts';
export function findFlattenedLine(_lines: SourceLine[]): number { return -1; }
export function recoverFlattened(_l: SourceLine): { files: FilePatch[]; meta: PatchMeta; warnings: Warning[] } { return { files: [], meta: {}, warnings: [] }; }
