// The header lines of one file section: diff --git, extended headers, ---/+++.

import type { FilePatch, FileStatus } from './types.ts';

/** Strips the quotes git puts around unusual paths and the a/ b/ prefixes. */
export function cleanPath(raw: string, prefix: 'a/' | 'b/' | null): string | null {
  let p = raw.trim();
  if (p.startsWith('"') && p.endsWith('"') && p.length >= 2) p = p.slice(1, -1);
  if (p === '/dev/null') return null;
  if (prefix && p.startsWith(prefix)) p = p.slice(2);
  return p;
}

/** "a/x b/x": when both halves name the same path we can split even paths with spaces. */
export function splitGitPaths(rest: string): [string, string] | null {
  const candidates: number[] = [];
  for (let i = rest.indexOf(' b/'); i >= 0; i = rest.indexOf(' b/', i + 1)) candidates.push(i);
  if (candidates.length === 0) return null;
  const same = candidates.find((i) => rest.slice(0, i).replace(/^a\//, '') === rest.slice(i + 3));
  const at = same ?? candidates[candidates.length - 1]!;
  return [rest.slice(0, at), rest.slice(at + 1)];
}

/** Path of a ---/+++ line: drops a tab- or space-separated timestamp from diff -u. */
export function pathOfMarkerLine(body: string): string {
  let p = body.slice(4);
  const tab = p.indexOf('\t');
  if (tab >= 0) p = p.slice(0, tab);
  const date = /\s+\d{4}-\d\d-\d\d[ T]\d\d:\d\d.*$/.exec(p.length < 4096 ? p : '');
  if (date) p = p.slice(0, date.index);
  return p.trimEnd();
}

export function isCPath(path: string | null): boolean {
  return path !== null && /\.[ch]$/.test(path);
}

export function newFile(sourceLine: number): FilePatch {
  return {
    oldPath: null,
    newPath: null,
    status: 'modified',
    isBinary: false,
    isC: false,
    hunks: [],
    sourceLine,
  };
}

/** Extended header flags seen while reading a file section. */
export interface HeaderFlags {
  added: boolean;
  deleted: boolean;
  renamed: boolean;
  copied: boolean;
  modeChanged: boolean;
}

export function emptyFlags(): HeaderFlags {
  return { added: false, deleted: false, renamed: false, copied: false, modeChanged: false };
}

/** Applies one extended header line; false when the line is not one. */
export function applyExtendedHeader(file: FilePatch, flags: HeaderFlags, body: string): boolean {
  const word = (prefix: string): string | null => (body.startsWith(prefix) ? body.slice(prefix.length).trim() : null);
  let v: string | null;
  if ((v = word('index ')) !== null) {
    const m = /^([0-9a-f]+)\.\.([0-9a-f]+)(?:\s+(\d+))?/.exec(v.slice(0, 200));
    if (m) {
      file.oldBlob = m[1];
      file.newBlob = m[2];
      if (m[3]) file.oldMode = file.newMode = m[3];
    }
  } else if ((v = word('new file mode ')) !== null) {
    flags.added = true;
    file.newMode = v;
  } else if ((v = word('deleted file mode ')) !== null) {
    flags.deleted = true;
    file.oldMode = v;
  } else if ((v = word('old mode ')) !== null) {
    flags.modeChanged = true;
    file.oldMode = v;
  } else if ((v = word('new mode ')) !== null) {
    flags.modeChanged = true;
    file.newMode = v;
  } else if ((v = word('rename from ')) !== null) {
    flags.renamed = true;
    file.oldPath = cleanPath(v, null);
  } else if ((v = word('rename to ')) !== null) {
    flags.renamed = true;
    file.newPath = cleanPath(v, null);
  } else if ((v = word('copy from ')) !== null) {
    flags.copied = true;
    file.oldPath = cleanPath(v, null);
  } else if ((v = word('copy to ')) !== null) {
    flags.copied = true;
    file.newPath = cleanPath(v, null);
  } else if (body.startsWith('similarity index ') || body.startsWith('dissimilarity index ')) {
    // Informational only.
  } else if (body.startsWith('Binary files ') || body === 'GIT binary patch') {
    file.isBinary = true;
  } else {
    return false;
  }
  return true;
}

/** Settles status, paths and isC once a file section is complete. */
export function settleFile(file: FilePatch, flags: HeaderFlags): void {
  if (flags.added) file.oldPath = null;
  if (flags.deleted) file.newPath = null;
  let status: FileStatus = 'modified';
  if (file.isBinary) status = 'binary';
  else if (flags.added) status = 'added';
  else if (flags.deleted) status = 'deleted';
  else if (flags.renamed) status = 'renamed';
  else if (flags.copied) status = 'copied';
  else if (flags.modeChanged && file.hunks.length === 0) status = 'mode-change';
  else if (file.oldPath === null && file.newPath !== null) status = 'added';
  else if (file.newPath === null && file.oldPath !== null) status = 'deleted';
  file.status = status;
  file.isC = isCPath(file.newPath ?? file.oldPath);
}
