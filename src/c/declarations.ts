// Tree mode: which functions return what, and which must have their result checked, from a line
// scan of the tree's headers (cached per tree and HEAD, and per file content, in memory and on disk)
// and of the sources the patch touches.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Declaration, DeclarationIndex } from './types.ts';
import { freshLexState, stripLine } from './lex.ts';
import { parseHead } from './declarator.ts';
import { walkFiles } from './walk.ts';
import { readJsonFile, userCacheDir, writeJsonFile } from './cache-io.ts';

const MAX_FILES = 60_000;
const MAX_FILE_BYTES = 2 * 1024 * 1024;

const isMustCheck = (annotations: readonly string[]): boolean =>
  annotations.some((a) => a === '__must_check' || /warn_unused_result/.test(a));

/** Declarations (prototypes and definition heads) at file scope of one file's text. */
export function scanDeclarations(text: string, file: string): Declaration[] {
  const found: Declaration[] = [];
  const state = freshLexState();
  let depth = 0;
  let buffer = '';
  // The buffer holds only white space so far (the next non-space character starts a declaration).
  let bufferBlank = true;
  let bufferLine = 0;
  let inDirective = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const { code } = stripLine(raw, state);
    const directive: boolean = inDirective || code.trimStart().startsWith('#');
    inDirective = directive && /\\\s*$/.test(raw);
    if (directive) continue;
    // Jump from brace to brace (and, at file scope, to the next semicolon), copying file-scope text a
    // run at a time: a character at a time with a trim() per character made long headers quadratic.
    let c = 0;
    while (c < code.length) {
      const stops = depth > 0 ? BRACES : FILE_SCOPE_STOPS;
      stops.lastIndex = c;
      const m = stops.exec(code);
      const at = m ? m.index : code.length;
      if (depth === 0 && at > c) {
        const run = code.slice(c, at);
        if (bufferBlank) {
          const first = run.search(/\S/);
          if (first >= 0) {
            bufferLine = i + 1;
            bufferBlank = false;
          }
        }
        buffer += run;
      }
      if (!m) break;
      const ch = code[at];
      if (depth === 0) {
        if (bufferBlank) bufferLine = i + 1;
        if (ch !== '}') {
          const head = buffer.includes('(') ? parseHead(buffer) : undefined;
          if (head && head.returnType !== '' && !/\b(?:typedef|struct|union|enum)\s*$/.test(head.specifiers)) {
            found.push({ name: head.name, returnType: head.returnType, mustCheck: isMustCheck(head.annotations), file, line: bufferLine });
          }
          buffer = '';
          bufferBlank = true;
        }
      }
      if (ch === '{') depth += 1;
      else if (ch === '}') depth = Math.max(0, depth - 1);
      c = at + 1;
    }
    if (depth === 0) buffer += ' ';
    if (buffer.length > 4000) {
      buffer = '';
      bufferBlank = true;
    }
  }
  return found;
}

const BRACES = /[{}]/g;
const FILE_SCOPE_STOPS = /[;{}]/g;

const HEADER_WALK = { accept: (name: string) => name.endsWith('.h'), skipDirs: new Set(['node_modules']), maxFiles: MAX_FILES };

function add(map: Map<string, Declaration>, decl: Declaration): void {
  const prev = map.get(decl.name);
  // A __must_check declaration anywhere wins: the annotation is what rules need.
  if (!prev || (!prev.mustCheck && decl.mustCheck)) map.set(decl.name, decl);
}

// Per-file scans keyed by path and content: checkouts of neighbouring commits (eval extracts one per
// parent) share almost every header, so only the files that differ are scanned again.
const fileCache = new Map<string, Declaration[]>();
const MAX_CACHED_FILES = 200_000;

/**
 * The headers' scans on disk, so a later process skips scanning (the kb cache's scheme, see
 * src/knowledge/build.ts): per checkout a small index of each header's content hash, size and mtime
 * (`<sha256(root)>.headers.json`); per header content the declarations found
 * (`objects-v<N>/ab/cdef....json`, addressed by path and content hash, shared by every checkout). A
 * header whose size and mtime are unchanged keeps its recorded hash; any other is read, hashed and
 * scanned again. Nothing here changes what is found: the same files, in the same order, give the
 * same declarations.
 */
const DISK_VERSION = 1;

interface HeaderIndex {
  version: number;
  root: string;
  files: Record<string, [hash: string, size: number, mtimeMs: number]>;
}

/** `$XDG_CACHE_HOME/patch-review/decls` (default `~/.cache/...`), next to the knowledge base's cache. */
export function defaultDeclarationCacheDir(): string {
  return userCacheDir('decls');
}

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');


function objectFile(dir: string, file: string, hash: string): string {
  const name = sha1(`${file}\0${hash}`);
  return join(dir, `objects-v${DISK_VERSION}`, name.slice(0, 2), `${name.slice(2)}.json`);
}

/** The headers of `root`, scanned or read back from the disk cache in `dir`, into `into` (walk order). */
function scanHeaders(root: string, files: readonly string[], into: Map<string, Declaration>, dir: string | false): void {
  if (dir === false) {
    scanFiles(root, files, into);
    return;
  }
  const indexFile = `${join(dir, createHash('sha256').update(root).digest('hex').slice(0, 24))}.headers.json`;
  const cached = readJsonFile<HeaderIndex>(indexFile);
  const known = cached && cached.version === DISK_VERSION && cached.root === root ? cached.files : {};
  const next: HeaderIndex = { version: DISK_VERSION, root, files: {} };
  let changed = false;
  for (const full of files) {
    try {
      const st = statSync(full);
      if (st.size > MAX_FILE_BYTES) continue;
      const file = relative(root, full);
      const was = known[file];
      let hash: string | undefined;
      let decls: Declaration[] | undefined;
      if (was && was[1] === st.size && was[2] === st.mtimeMs) {
        hash = was[0];
        decls = fileCache.get(`${file}\0${hash}`) ?? readJsonFile<Declaration[]>(objectFile(dir, file, hash));
        if (!Array.isArray(decls)) decls = undefined;
      }
      if (!decls || hash === undefined) {
        const text = readFileSync(full, 'utf8');
        hash = sha1(text);
        decls = fileCache.get(`${file}\0${hash}`) ?? scanDeclarations(text, file);
        writeJsonFile(objectFile(dir, file, hash), decls);
        changed = true;
      }
      remember(`${file}\0${hash}`, decls);
      next.files[file] = [hash, st.size, st.mtimeMs];
      for (const decl of decls) add(into, decl);
    } catch {
      // unreadable files are skipped
    }
  }
  if (changed || Object.keys(next.files).length !== Object.keys(known).length) writeJsonFile(indexFile, next);
}

function remember(key: string, decls: Declaration[]): void {
  if (fileCache.has(key)) return;
  if (fileCache.size >= MAX_CACHED_FILES) fileCache.clear();
  fileCache.set(key, decls);
}

function scanFiles(root: string, files: readonly string[], into: Map<string, Declaration>): void {
  for (const full of files) {
    try {
      if (statSync(full).size > MAX_FILE_BYTES) continue;
      const text = readFileSync(full, 'utf8');
      const file = relative(root, full);
      const key = `${file}\0${createHash('sha1').update(text).digest('hex')}`;
      let decls = fileCache.get(key);
      if (!decls) {
        decls = scanDeclarations(text, file);
        if (fileCache.size >= MAX_CACHED_FILES) fileCache.clear();
        fileCache.set(key, decls);
      }
      for (const decl of decls) add(into, decl);
    } catch {
      // unreadable files are skipped
    }
  }
}

const headerCache = new Map<string, Map<string, Declaration>>();

function treeKey(tree: string): { root: string; key: string } {
  const root = realpathSync(tree);
  let head = 'no-git';
  // git itself only where there is a repository to ask (an exported tree has none: no process per review).
  if (process.env.GIT_DIR || insideGit(root)) {
    try {
      head = execFileSync('git', ['-C', root, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      // not a git checkout: the path alone keys the cache
    }
  }
  return { root, key: `${root}\0${head}` };
}

/** Whether `dir` or a directory above it holds `.git` (a directory or a worktree's file), as git looks for it. */
function insideGit(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return true;
    if (dirname(d) === d) return false;
  }
}

/** Forget cached indexes (tests that rewrite a tree in place). */
export function clearDeclarationCache(): void {
  headerCache.clear();
  fileCache.clear();
}

/**
 * A lazy index: nothing is read until the first lookup. Headers are scanned once per tree and
 * HEAD; the touched sources (paths relative to the tree) once per index, and take precedence.
 */
export function declarationIndex(
  tree: string,
  touchedSources: readonly string[],
  /** Where header scans are kept between processes; `false` for none. Default: defaultDeclarationCacheDir(). */
  options: { cacheDir?: string | false } = {},
): DeclarationIndex {
  let merged: Map<string, Declaration> | undefined;
  const build = (): Map<string, Declaration> => {
    const { root, key } = treeKey(tree);
    let headers = headerCache.get(key);
    if (!headers) {
      headers = new Map();
      scanHeaders(root, walkFiles(root, HEADER_WALK), headers, options.cacheDir ?? defaultDeclarationCacheDir());
      headerCache.set(key, headers);
    }
    const sources = new Map<string, Declaration>();
    scanFiles(root, touchedSources.map((p) => join(root, p)), sources);
    const all = new Map(headers);
    for (const decl of sources.values()) {
      const prev = all.get(decl.name);
      all.set(decl.name, prev && prev.mustCheck && !decl.mustCheck ? { ...decl, mustCheck: true } : decl);
    }
    return all;
  };
  return {
    lookup(name: string): Declaration | undefined {
      merged ??= build();
      return merged.get(name);
    },
  };
}
