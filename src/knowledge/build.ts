// Building a knowledge base from a checkout: every .c and .h file scanned once, the scans cached on
// disk by path and content hash, so a rebuild reads only the files that changed.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { walkFiles } from '../c/walk.ts';
import { readJsonFile, userCacheDir, writeJsonFile } from '../c/cache-io.ts';
import { scanFile } from './scan.ts';
import { learn } from './learn.ts';
import { factsKnowledge } from './layers.ts';
import type { ApiFact, Knowledge, ScannedFile } from './types.ts';

/** Bump when scan or its output changes: older caches are then ignored. */
const SCAN_VERSION = 12;
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_FILES = 200_000;
// Build output, and static-analysis models that redefine functions with made-up bodies.
const SKIP_DIRS = new Set(['node_modules', 'out', 'build', 'coverity']);

export interface BuildOptions {
  /** Where scans are cached; `false` for no cache. Default: $XDG_CACHE_HOME/patch-review/kb (~/.cache/...). */
  cacheDir?: string | false;
  /** Called as files are scanned (for a progress line). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * The cache of one checkout is three JSON files named by a hash of its real path:
 * - `<key>.index.json`: per file its content hash, size and mtime (small: read on every build)
 * - `<key>.scans.json`: per file its content hash and what the scan found (read only when a file changed)
 * - `<key>.facts.json`: the facts learned from exactly the files of the index (its fingerprint)
 * A file whose size and mtime are unchanged keeps its recorded hash; otherwise it is read and hashed,
 * and scanned again only when the hash differs.
 */
interface IndexFile {
  version: number;
  root: string;
  fingerprint: string;
  functions: number;
  files: Record<string, [hash: string, size: number, mtimeMs: number]>;
}

interface ScansFile {
  version: number;
  root: string;
  files: Record<string, { hash: string; scan: ScannedFile }>;
}

interface FactsFile {
  version: number;
  fingerprint: string;
  facts: ApiFact[];
}

export function defaultCacheDir(): string {
  return userCacheDir('kb');
}

/** The cache files' common prefix for one checkout (`<prefix>.index.json`, `.scans.json`, `.facts.json`). */
export function cacheFileFor(root: string, cacheDir: string): string {
  return join(cacheDir, createHash('sha256').update(root).digest('hex').slice(0, 24));
}

const SOURCE_WALK = { accept: (name: string) => /\.[ch]$/.test(name), skipDirs: SKIP_DIRS, maxFiles: MAX_FILES };

function readJson<T extends { version: number }>(file: string): T | undefined {
  const data = readJsonFile<T>(file);
  return data && data.version === SCAN_VERSION ? data : undefined; // missing, unreadable or stale: start afresh
}

const writeJson = writeJsonFile;

/**
 * Scans shared by every checkout, addressed by content hash (`objects-v<N>/ab/cdef....json`, like git's
 * objects): indexing many commits of one project costs one full scan plus the files that differ.
 */
function readObject(dir: string, hash: string): ScannedFile | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, hash.slice(0, 2), `${hash.slice(2)}.json`), 'utf8')) as ScannedFile;
  } catch {
    return undefined;
  }
}

function writeObject(dir: string, hash: string, scan: ScannedFile): void {
  writeJson(join(dir, hash.slice(0, 2), `${hash.slice(2)}.json`), scan);
}

export function gitHead(root: string): string | undefined {
  try {
    return execFileSync('git', ['-C', root, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Build (or refresh from the cache) the knowledge base of the checkout at `dir`. */
export function buildKnowledge(dir: string, options: BuildOptions = {}): Knowledge {
  const t0 = performance.now();
  let root: string;
  try {
    root = realpathSync(dir);
    if (!statSync(root).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new KnowledgeError(`cannot index ${dir}: not a readable directory`);
  }
  const cacheDir = options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir;
  const prefix = cacheDir ? cacheFileFor(root, cacheDir) : undefined;
  const index = prefix ? readJson<IndexFile>(`${prefix}.index.json`) : undefined;
  const known = index && index.root === root ? index.files : {};
  const paths: { rel: string; full: string; size: number; mtimeMs: number }[] = [];
  for (const full of walkFiles(root, SOURCE_WALK)) {
    try {
      const st = statSync(full);
      if (st.size <= MAX_FILE_BYTES) paths.push({ rel: relative(root, full), full, size: st.size, mtimeMs: st.mtimeMs });
    } catch {
      // vanished or unreadable: not part of the tree
    }
  }
  const unchanged = (p: (typeof paths)[number]): string | undefined => {
    const k = known[p.rel];
    return k && k[1] === p.size && k[2] === p.mtimeMs ? k[0] : undefined;
  };
  const head = gitHead(root);
  const origin = { tree: root, ...(head ? { head } : {}), builtAt: new Date().toISOString() };
  // Fast path: no file changed since the facts were learned.
  if (prefix && index && paths.length === Object.keys(known).length && paths.every((p) => unchanged(p) !== undefined)) {
    const facts = readJson<FactsFile>(`${prefix}.facts.json`);
    if (facts && facts.fingerprint === index.fingerprint) {
      const kb = factsKnowledge(facts.facts, origin);
      kb.stats = { files: paths.length, scanned: 0, functions: index.functions, facts: facts.facts.length, ms: Math.round(performance.now() - t0) };
      return kb;
    }
  }
  const cachedScans = prefix ? (readJson<ScansFile>(`${prefix}.scans.json`)?.files ?? {}) : {};
  const objects = cacheDir ? join(cacheDir, `objects-v${SCAN_VERSION}`) : undefined;
  const nextIndex: IndexFile['files'] = {};
  const nextScans: ScansFile['files'] = {};
  const scans = new Map<string, ScannedFile>();
  let scanned = 0;
  paths.forEach((p, i) => {
    let hash = unchanged(p);
    let scan = hash !== undefined && cachedScans[p.rel]?.hash === hash ? cachedScans[p.rel]!.scan : undefined;
    if (!scan) {
      let text: string;
      try {
        text = readFileSync(p.full, 'utf8');
      } catch {
        return;
      }
      hash = createHash('sha1').update(text).digest('hex');
      const hit = cachedScans[p.rel];
      if (hit && hit.hash === hash) scan = hit.scan;
      else {
        // the same content in another checkout (another commit's extract) was scanned already
        scan = objects ? readObject(objects, hash) : undefined;
        if (!scan) {
          scan = scanFile(text);
          scanned += 1;
          if (objects) writeObject(objects, hash, scan);
        }
      }
    }
    nextIndex[p.rel] = [hash!, p.size, p.mtimeMs];
    nextScans[p.rel] = { hash: hash!, scan };
    scans.set(p.rel, scan);
    if (options.onProgress && i % 500 === 0) options.onProgress(i, paths.length);
  });
  const learned = [...learn(scans).values()];
  const functions = [...scans.values()].reduce((n, s) => n + s.functions.length, 0);
  if (prefix) {
    const fingerprint = createHash('sha1').update(JSON.stringify(Object.entries(nextIndex).map(([rel, [hash]]) => [rel, hash]))).digest('hex');
    writeJson(`${prefix}.scans.json`, { version: SCAN_VERSION, root, files: nextScans } satisfies ScansFile);
    writeJson(`${prefix}.facts.json`, { version: SCAN_VERSION, fingerprint, facts: learned } satisfies FactsFile);
    writeJson(`${prefix}.index.json`, { version: SCAN_VERSION, root, fingerprint, functions, files: nextIndex } satisfies IndexFile);
  }
  const kb = factsKnowledge(learned, origin);
  kb.stats = { files: scans.size, scanned, functions, facts: learned.length, ms: Math.round(performance.now() - t0) };
  return kb;
}

/** A user's error (bad path, not a knowledge base): fronts report it like a usage error (RangeError). */
export class KnowledgeError extends RangeError {
  override name = 'KnowledgeError';
}
