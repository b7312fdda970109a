// The C model of a patch: the functions it touches, before and after, and the signatures it changes.
import type { FilePatch, Patch, Warning } from '../patch/types.ts';
import type { CModel, CModelOptions, Dialect, FileModel, NotReviewed, SignatureChange } from './types.ts';
import { dialectForPath } from './normalize.ts';
import { chunksFromHunks } from './fragment.ts';
import { modelFile } from './model-file.ts';
import { treeChunks, treeFile } from './tree-apply.ts';
import { declarationIndex } from './declarations.ts';
import type { Chunk } from './segment.ts';
import type { CutLines } from './limits.ts';
import { clearTextCaches } from './text-cache.ts';

export type * from './types.ts';
export { TEXT_CACHE_CHARS } from './text-cache.ts';

/**
 * Empty every cache of the C model that outlives a review (trees and normalised texts by their text; the
 * memos keyed by the trees' nodes go with the trees). A bench measuring what a new patch costs calls it
 * before each review; results never depend on it.
 */
export function clearModelCaches(): void {
  clearTextCaches();
}

function dialectOf(path: string, options: CModelOptions): Dialect {
  return options.dialect && options.dialect !== 'auto' ? options.dialect : dialectForPath(path);
}

// One model per input and options: the review, the report and `inspect` share its trees.
const cache = new WeakMap<Patch, Map<string, CModel>>();

export function buildCModel(patch: Patch, options: CModelOptions = {}): CModel {
  const key = `${options.tree ?? ''}\0${options.dialect ?? 'auto'}`;
  const cached = cache.get(patch)?.get(key);
  if (cached) return cached;
  const model = buildUncached(patch, options);
  const perPatch = cache.get(patch) ?? new Map<string, CModel>();
  perPatch.set(key, model);
  cache.set(patch, perPatch);
  return model;
}

function buildUncached(patch: Patch, options: CModelOptions): CModel {
  const files: FileModel[] = [];
  const signatureChanges: SignatureChange[] = [];
  const warnings: Warning[] = [];
  const failed: NotReviewed[] = [];
  for (const filePatch of patch.files) {
    if (!filePatch.isC || filePatch.isBinary) continue;
    const path = filePatch.newPath ?? filePatch.oldPath;
    if (!path) continue;
    try {
      let mode: 'fragment' | 'tree' = 'fragment';
      let chunks: Chunk[] | undefined;
      let treeSource: FileModel['treeSource'];
      const fileWarnings: Warning[] = [];
      if (options.tree) {
        const fromTree = treeFile(options.tree, filePatch);
        fileWarnings.push(...fromTree.warnings);
        if (fromTree.applied) {
          mode = 'tree';
          chunks = treeChunks(fromTree.applied);
          treeSource = fromTree.applied.source;
        }
      }
      const isFragment = !chunks;
      if (!chunks) {
        const fragment = chunksFromHunks(filePatch);
        chunks = fragment.chunks;
        fileWarnings.push(...fragment.warnings);
      }
      const input = { cut: cutLines(filePatch), path, oldPath: filePatch.oldPath, mode, dialect: dialectOf(path, options), chunks };
      let result = modelFile({ ...input, warnings: [...fileWarnings] });
      // Hunks deep inside a function whose own braces balance start deeper than the braces say: when the
      // file's functions do not all parse with those depths, try the depths the indentation gives, and keep
      // them if fewer functions are left unreviewed.
      if (isFragment && result.file.notReviewed.length > 0) {
        const again = modelFile({ ...input, chunks: chunksFromHunks(filePatch, true).chunks, warnings: [...fileWarnings] });
        if (again.file.notReviewed.length < result.file.notReviewed.length) result = again;
      }
      files.push(treeSource ? { ...result.file, treeSource } : result.file);
      signatureChanges.push(...result.signatureChanges);
    } catch (err) {
      // A bad patch never throws out of the model: the file is reported and skipped.
      warnings.push({ code: 'internal', file: path, message: `${path}: C model failed: ${(err as Error).message}` });
      failed.push({ file: path, function: '*', reason: `C model failed: ${(err as Error).message}` });
    }
  }
  const notReviewed = [...files.flatMap((f) => f.notReviewed), ...failed];
  if (options.tree) {
    const touchedSources = files.filter((f) => f.mode === 'tree' && f.path.endsWith('.c')).map((f) => f.oldPath ?? f.path);
    return { files, signatureChanges, declarations: declarationIndex(options.tree, touchedSources), warnings, notReviewed };
  }
  return { files, signatureChanges, warnings, notReviewed };
}

/** Lines of each side the patch parser cut at its line-length limit (HunkLine.cut). */
function cutLines(file: FilePatch): { pre: CutLines; post: CutLines } {
  const pre: CutLines = new Map();
  const post: CutLines = new Map();
  for (const hunk of file.hunks)
    for (const l of hunk.lines) {
      if (l.cut === undefined) continue;
      if (l.kind !== 'add' && l.oldLine !== undefined) pre.set(l.oldLine, l.cut);
      if (l.kind !== 'del' && l.newLine !== undefined) post.set(l.newLine, l.cut);
    }
  return { pre, post };
}
