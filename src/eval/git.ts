// Reading a project's history for eval: commit lists, format-patch text, files at a revision and
// the parent's tree extracted for tree mode. Works on bare mirrors (no work tree needed).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class GitError extends Error {}

const MAX_BUFFER = 1 << 30;

function git(dir: string, args: string[], input?: Buffer): Buffer {
  try {
    return execFileSync('git', ['-C', dir, ...args], {
      maxBuffer: MAX_BUFFER,
      stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      ...(input ? { input } : {}),
    });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim().split('\n')[0];
    throw new GitError(`git ${args[0]} in ${dir} failed${stderr ? `: ${stderr}` : ''}`);
  }
}

const text = (dir: string, args: string[]): string => git(dir, args).toString('utf8');

/** Throws a GitError unless `dir` is a git directory or a work tree (bare mirrors included). */
export function assertGitDir(dir: string): void {
  if (!existsSync(dir)) throw new GitError(`${dir}: no such directory`);
  try {
    text(dir, ['rev-parse', '--git-dir']);
  } catch {
    throw new GitError(`${dir}: not a git repository`);
  }
}

export function resolveRev(dir: string, rev: string): string {
  return text(dir, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).trim();
}

export interface CommitListOptions {
  /** How many commits, newest first. */
  count: number;
  /** Pathspecs (git's own syntax: `*` also matches `/`); only commits touching them. */
  paths: string[];
  /** Where to start (default HEAD). */
  rev?: string;
}

/** The `count` most recent non-merge commits touching `paths`, newest first. */
export function recentCommits(dir: string, options: CommitListOptions): string[] {
  const out = text(dir, ['log', '--no-merges', '--format=%H', `-n${options.count}`, options.rev ?? 'HEAD', '--', ...options.paths]);
  return out.split('\n').filter((l) => l.length > 0);
}

/** `git format-patch -1 --stdout COMMIT`: what a reviewer of the commit would see. */
export function formatPatch(dir: string, commit: string): string {
  // Pin what user configuration could change in the output (prefixes, rename detection).
  return text(dir, ['-c', 'diff.noprefix=false', '-c', 'diff.mnemonicPrefix=false', 'format-patch', '-1', '--stdout', commit]);
}

export interface CommitInfo {
  commit: string;
  parents: string[];
  subject: string;
  date: string;
}

export function commitInfo(dir: string, commit: string): CommitInfo {
  const [hash = '', parents = '', date = '', ...subject] = text(dir, ['show', '-s', '--format=%H%n%P%n%cI%n%s', commit]).split('\n');
  return { commit: hash, parents: parents.split(' ').filter(Boolean), date, subject: subject.join(' ').trim() };
}

/** The text of `path` at `rev`, or undefined when it does not exist there. */
export function fileAt(dir: string, rev: string, path: string): string | undefined {
  try {
    return text(dir, ['show', `${rev}:${path}`]);
  } catch {
    return undefined;
  }
}

/** Paths a commit changes, as they were in its first parent (added files excluded). */
export function preImagePaths(dir: string, commit: string): string[] {
  const out = text(dir, ['diff-tree', '-r', '--no-commit-id', '--name-status', '-M', '--root', commit]);
  const paths: string[] = [];
  for (const line of out.split('\n')) {
    const [status = '', first = ''] = line.split('\t');
    if (!first || status.startsWith('A')) continue;
    paths.push(first);
  }
  return paths;
}

export interface ExtractOptions {
  /** Pathspecs besides the pre-image paths (default: every header, which tree mode's declarations read). */
  extra?: string[];
}

/**
 * Writes what tree mode reads of COMMIT's parent into `dest`: the files the commit changes and every
 * header, not a full checkout. Returns the parent's hash, or undefined for a root commit.
 * An existing `dest` with a completion marker is reused (a cache keyed by the parent's hash).
 */
export function extractParentTree(dir: string, commit: string, dest: string, options: ExtractOptions = {}): string | undefined {
  const info = commitInfo(dir, commit);
  const parent = info.parents[0];
  if (!parent) return undefined;
  const marker = join(dest, '.patch-review-extract');
  if (existsSync(marker)) return parent;
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const pathspecs = [...new Set([...preImagePaths(dir, commit), ...(options.extra ?? [':(glob)**/*.h'])])];
  // archive fails on a pathspec that matches nothing; list what exists first.
  const present = text(dir, ['ls-tree', '-r', '--name-only', parent, '--', ...pathspecs]).split('\n').filter(Boolean);
  if (present.length > 0) {
    const tar = git(dir, ['archive', '--format=tar', parent, '--', ...present.map((p) => `:(literal)${p}`)]);
    try {
      execFileSync('tar', ['-x', '-C', dest], { input: tar, maxBuffer: MAX_BUFFER, stdio: ['pipe', 'ignore', 'pipe'] });
    } catch (error) {
      throw new GitError(`extracting ${parent.slice(0, 12)} into ${dest} failed: ${(error as Error).message}`);
    }
  }
  writeFileSync(marker, `${parent}\n`);
  return parent;
}
