// The knowledge layer: which calls can fail and how. Built from a tree (`patch-review index`),
// saved and loaded (`--kb`), stacked with the project config and the built-in API data.
import { statSync } from 'node:fs';
import { buildKnowledge, type BuildOptions } from './build.ts';
import { loadKnowledge } from './store.ts';
import { stackKnowledge } from './layers.ts';
import { builtinKnowledge, configKnowledge, type ApiConfig } from './apis.ts';
import type { Knowledge } from './types.ts';

export { buildKnowledge, defaultCacheDir, cacheFileFor, KnowledgeError, type BuildOptions } from './build.ts';
export { loadKnowledge, saveKnowledge, KB_FORMAT, KB_VERSION } from './store.ts';
export { stackKnowledge, factsKnowledge } from './layers.ts';
export { builtinApis, builtinKnowledge, configKnowledge, type ApiConfig } from './apis.ts';
export { scanFile } from './scan.ts';
export { describeFailure, witnessFailure } from './describe.ts';
export * from './types.ts';

export interface KnowledgeOptions {
  /** A saved knowledge base (ReviewOptions.kb). */
  kb?: string;
  /** A checkout (ReviewOptions.tree): its index is built or refreshed from the cache. */
  tree?: string;
  apis?: ApiConfig;
  cacheDir?: BuildOptions['cacheDir'];
}

const built = new Map<string, Knowledge>();
const loaded = new Map<string, { mtimeMs: number; kb: Knowledge }>();

/** Forget in-process memos (tests that rewrite a tree in place). */
export function clearKnowledgeMemo(): void {
  built.clear();
  loaded.clear();
  stacked.clear();
}

/**
 * Everything the review knows about callees, first answer wins: the project config, the saved kb,
 * the tree's index, the built-in API data. A tree is indexed once per process; a kb file is
 * reloaded when it changes.
 */
export function knowledgeFor(options: KnowledgeOptions): Knowledge {
  const key = JSON.stringify([options.kb ?? null, options.tree ?? null, options.apis ?? null, options.cacheDir ?? null]);
  const memo = stacked.get(key);
  // a saved kb that changed on disk is reloaded; a tree is indexed once per process
  if (memo && (!options.kb || memo.kbMtime === statSafe(options.kb))) return memo.kb;
  const kb = stackFor(options);
  stacked.set(key, { kb, kbMtime: options.kb ? statSafe(options.kb) : -1 });
  return kb;
}

const stacked = new Map<string, { kb: Knowledge; kbMtime: number }>();
const builtin = builtinKnowledge();

function stackFor(options: KnowledgeOptions): Knowledge {
  const layers: Knowledge[] = [];
  if (options.apis) layers.push(configKnowledge(options.apis));
  if (options.kb) {
    const mtimeMs = statSafe(options.kb);
    const memo = loaded.get(options.kb);
    if (memo && memo.mtimeMs === mtimeMs) layers.push(memo.kb);
    else {
      const kb = loadKnowledge(options.kb);
      loaded.set(options.kb, { mtimeMs, kb });
      layers.push(kb);
    }
  }
  if (options.tree) {
    let kb = built.get(options.tree);
    if (!kb) {
      kb = buildKnowledge(options.tree, { cacheDir: options.cacheDir });
      built.set(options.tree, kb);
    }
    layers.push(kb);
  }
  layers.push(builtin);
  return stackKnowledge(layers);
}

function statSafe(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}
