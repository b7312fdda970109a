// On-disk caches (the declarations index's header scans, the knowledge base's per-file scans): a missing or
// unreadable file is a cache miss, a write goes through a temporary file and a rename so a reader never sees half
// of it, and a cache that cannot be written only costs time on the next run.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** `$XDG_CACHE_HOME/patch-review/<name>` (an absolute XDG_CACHE_HOME only; default `~/.cache/patch-review/<name>`). */
export function userCacheDir(name: string): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'patch-review', name);
}

/** The parsed JSON of `file`, or undefined when it is missing or unreadable. */
export function readJsonFile<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Writes `content` as JSON to `file` atomically; errors (read-only or full disk) are ignored. */
export function writeJsonFile(file: string, content: unknown): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(content));
    renameSync(tmp, file);
  } catch {
    // the cache is an optimisation
  }
}
