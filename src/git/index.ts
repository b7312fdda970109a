// Reading a project's history without touching its work tree: the commits of a range, each as
// `git format-patch` writes it, and what tree mode reads of a commit's parent (the files the commit
// changes and every header) extracted into a directory. Shared by the fronts (the CLI's `check A..B`,
// eval's --tree-from-git); imports only node:*.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class GitError extends Error {
  override name = 'GitError';
}

const MAX_BUFFER = 1 << 30;

/** Settings that would change format-patch or diff output, pinned whatever the user's config says. */
const PINNED = ['-c', 'diff.noprefix=false', '-c', 'diff.mnemonicPrefix=false', '-c', 'diff.external=', '-c', 'core.quotePath=false'];

function git(dir: string, args: string[]): Buffer {
  try {
    return execFileSync('git', ['-C', dir, ...PINNED, ...args], { maxBuffer: MAX_BUFFER, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim().split('\n')[0];
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed' : stderr;
    throw new GitError(`git ${args[0]} failed${why ? `: ${why}` : ''}`);
  }
}

const text = (dir: string, args: string[]): string => git(dir, args).toString('utf8');

/** The top of the work tree enclosing `cwd`, or undefined outside one (or without git). */
export function workTreeRoot(cwd: string): string | undefined {
  try {
    return text(cwd, ['rev-parse', '--show-toplevel']).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function resolveRev(dir: string, rev: string): string {
  try {
    return text(dir, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).trim();
  } catch {
    throw new GitError(`${rev}: no such commit`);
  }
}

/** Whether `arg` reads as a revision range (A..B, A.., ..B), not as a file name. */
export const isRangeSyntax = (arg: string): boolean => /^[^.\s][^\s]*\.\.[^\s]*$|^\.\.[^.\s]\S*$/.test(arg) && !arg.includes('...');

/**
 * The non-merge commits of `A..B` (a missing side is HEAD), oldest first, as format-patch would
 * send them. Throws a GitError on a bad revision.
 */
export function rangeCommits(dir: string, range: string): string[] {
  const [from = '', to = ''] = range.split('..');
  const a = resolveRev(dir, from || 'HEAD');
  const b = resolveRev(dir, to || 'HEAD');
  return text(dir, ['rev-list', '--reverse', '--no-merges', `${a}..${b}`]).split('\n').filter(Boolean);
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

/**
 * `git format-patch -1 --stdout COMMIT`: what a reviewer of the commit would see. With `number`, the
 * subject is numbered as in a series (`[PATCH 2/5]`).
 */
export function formatPatch(dir: string, commit: string, number?: { n: number; total: number }): string {
  const numbering = number && number.total > 1 ? ['--numbered', `--start-number=${number.n}`, `--subject-prefix=PATCH`] : ['--no-numbered'];
  let mail = text(dir, ['format-patch', '-1', '--stdout', '--no-signature', ...numbering, commit]);
  // -1 numbers the patch "n/1"; the series total is ours to state.
  if (number && number.total > 1) mail = mail.replace(/^(Subject: \[PATCH \d+)\/1\]/m, `$1/${number.total}]`);
  return mail;
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
  /** Files to extract besides the pre-image paths (default: every header, which tree mode's declarations read). */
  include?: (path: string) => boolean;
}

const isHeader = (path: string): boolean => path.endsWith('.h');

/**
 * Writes what tree mode reads of COMMIT's parent into `dest`: the files the commit changes and every
 * header, not a full checkout; the work tree and the index are never touched. Returns the parent's
 * hash, or undefined for a root commit. A `dest` with a completion marker is reused (a cache keyed by
 * the caller, e.g. by the parent's hash).
 */
export function extractParentTree(dir: string, commit: string, dest: string, options: ExtractOptions = {}): string | undefined {
  const parent = commitInfo(dir, commit).parents[0];
  if (!parent) return undefined;
  const marker = join(dest, '.patch-review-extract');
  if (existsSync(marker)) return parent;
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const changed = new Set(preImagePaths(dir, commit));
  const include = options.include ?? isHeader;
  // ls-tree takes no glob pathspecs: list the whole tree and choose here (archive fails on a path that is absent).
  const present = text(dir, ['ls-tree', '-r', '--name-only', '-z', parent])
    .split('\0')
    .filter((p) => p && (changed.has(p) || include(p)));
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

/** A fresh temporary directory for extracted trees, and a way to remove it. */
export function temporaryTrees(): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'patch-review-trees-'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Throws a GitError unless `dir` is a git directory or a work tree (bare mirrors included). */
export function assertGitDir(dir: string): void {
  if (!existsSync(dir)) throw new GitError(`${dir}: no such directory`);
  try {
    text(dir, ['rev-parse', '--git-dir']);
  } catch {
    throw new GitError(`${dir}: not a git repository`);
  }
}

/**
 * The `count` most recent non-merge commits from `rev` (default HEAD) touching `paths` (git
 * pathspecs: `xen/*.c` matches at any depth), newest first.
 */
export function recentCommits(dir: string, options: { count: number; paths: string[]; rev?: string }): string[] {
  const out = text(dir, ['log', '--no-merges', '--format=%H', `-n${options.count}`, options.rev ?? 'HEAD', '--', ...options.paths]);
  return out.split('\n').filter(Boolean);
}

/** The text of `path` at `rev`, or undefined when it does not exist there. */
export function fileAt(dir: string, rev: string, path: string): string | undefined {
  try {
    return text(dir, ['show', `${rev}:${path}`]);
  } catch {
    return undefined;
  }
}
