// Building a knowledge base from a checkout: every .c and .h file scanned once, the scans cached on
// disk by path and content hash, so a rebuild reads only the files that changed.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { scanFile } from './scan.ts';
import { learn } from './learn.ts';
import { factsKnowledge } from './layers.ts';
import type { Knowledge, ScannedFile } from './types.ts';

/** Bump when scan or its output changes: older caches are then ignored. */
const SCAN_VERSION = 4;
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

interface CacheFile {
  version: number;
  root: string;
  files: Record<string, { hash: string; scan: ScannedFile }>;
}

export function defaultCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'patch-review', 'kb');
}

/** The cache file of one tree: one JSON document per checkout path. */
export function cacheFileFor(root: string, cacheDir: string): string {
  return join(cacheDir, `${createHash('sha256').update(root).digest('hex').slice(0, 24)}.json`);
}

function walk(root: string): string[] {
  const out: string[] = [];
  const stack = [root];
  while (stack.length > 0 && out.length < MAX_FILES) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || SKIP_DIRS.has(e.name)) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) stack.push(full);
      else if (e.isFile() && /\.[ch]$/.test(e.name)) out.push(full);
    }
  }
  return out.sort();
}

function readCache(file: string, root: string): CacheFile['files'] {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    if (data.version === SCAN_VERSION && data.root === root && data.files && typeof data.files === 'object') return data.files;
  } catch {
    // missing or unreadable: start afresh
  }
  return {};
}

function writeCache(file: string, dir: string, content: CacheFile): void {
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(content));
    renameSync(tmp, file);
  } catch {
    // a read-only cache only costs time on the next build
  }
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
  const cacheFile = cacheDir ? cacheFileFor(root, cacheDir) : undefined;
  const cached = cacheFile ? readCache(cacheFile, root) : {};
  const paths = walk(root);
  const next: CacheFile['files'] = {};
  const scans = new Map<string, ScannedFile>();
  let scanned = 0;
  paths.forEach((full, index) => {
    const rel = relative(root, full);
    let text: string;
    try {
      if (statSync(full).size > MAX_FILE_BYTES) return;
      text = readFileSync(full, 'utf8');
    } catch {
      return;
    }
    const hash = createHash('sha1').update(text).digest('hex');
    const hit = cached[rel];
    let scan: ScannedFile;
    if (hit && hit.hash === hash) scan = hit.scan;
    else {
      scan = scanFile(text);
      scanned += 1;
    }
    next[rel] = { hash, scan };
    scans.set(rel, scan);
    if (options.onProgress && index % 500 === 0) options.onProgress(index, paths.length);
  });
  const changed = scanned > 0 || Object.keys(cached).length !== Object.keys(next).length;
  if (cacheFile && cacheDir && changed) writeCache(cacheFile, cacheDir, { version: SCAN_VERSION, root, files: next });
  const facts = learn(scans);
  const head = gitHead(root);
  const kb = factsKnowledge([...facts.values()], { tree: root, ...(head ? { head } : {}), builtAt: new Date().toISOString() });
  kb.stats = {
    files: scans.size,
    scanned,
    functions: [...scans.values()].reduce((n, s) => n + s.functions.length, 0),
    facts: facts.size,
    ms: Math.round(performance.now() - t0),
  };
  return kb;
}

/** A user's error (bad path, not a knowledge base): fronts report it like a usage error (RangeError). */
export class KnowledgeError extends RangeError {
  override name = 'KnowledgeError';
}
