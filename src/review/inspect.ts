// What the tool understood from an input, before any rule: the debugging window into src/patch and src/c.
import { parsePatchInput } from '../patch/index.ts';
import type { PatchSet } from '../patch/types.ts';
import { buildCModel } from '../c/index.ts';
import type { CModel } from '../c/types.ts';

export interface Inspection {
  set: PatchSet;
  /** One C model per patch (undefined for cover letters). */
  models: (CModel | undefined)[];
}

export async function inspect(input: string | Buffer, options: { tree?: string } = {}): Promise<Inspection> {
  const set = await parsePatchInput(input);
  const models = set.patches.map((p) => (p.isCoverLetter ? undefined : buildCModel(p, { tree: options.tree })));
  return { set, models };
}
