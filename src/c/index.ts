// The C model of a patch: the functions it touches, before and after, and the signatures it changes.
import type { Patch, Warning } from '../patch/types.ts';
import type { CModel, CModelOptions, Dialect, FileModel, SignatureChange } from './types.ts';
import { dialectForPath } from './normalize.ts';
import { chunksFromHunks } from './fragment.ts';
import { modelFile } from './model-file.ts';

export type * from './types.ts';

function dialectOf(path: string, options: CModelOptions): Dialect {
  return options.dialect && options.dialect !== 'auto' ? options.dialect : dialectForPath(path);
}

export function buildCModel(patch: Patch, options: CModelOptions = {}): CModel {
  const files: FileModel[] = [];
  const signatureChanges: SignatureChange[] = [];
  const warnings: Warning[] = [];
  for (const filePatch of patch.files) {
    if (!filePatch.isC || filePatch.isBinary) continue;
    const path = filePatch.newPath ?? filePatch.oldPath;
    if (!path) continue;
    try {
      const { chunks, warnings: chunkWarnings } = chunksFromHunks(filePatch);
      const result = modelFile({
        path,
        oldPath: filePatch.oldPath,
        mode: 'fragment',
        dialect: dialectOf(path, options),
        chunks,
        warnings: chunkWarnings,
      });
      files.push(result.file);
      signatureChanges.push(...result.signatureChanges);
    } catch (err) {
      // A bad patch never throws out of the model: the file is reported and skipped.
      warnings.push({ code: 'internal', file: path, message: `${path}: C model failed: ${(err as Error).message}` });
    }
  }
  return { files, signatureChanges, warnings };
}
