// Imported upstream code: files a patch brings in (or updates) from another project's release are that project's
// code, not the patch author's. A maintainer reviews the import (licence, version, the local changes it carries),
// not every line of the library as if the author had written it; findings there are noise the author cannot act on.
//
// Two ways to know (docs/precision.md "Imported upstream code"):
// - the commit message declares an import: a line that names the action and a release ("Import zlib v1.2.11",
//   "Squashed commit upgrading to <name>-3.6.2", "<lib>: move to version v1.8.1", "Update <lib> to v1.6.1") and a
//   message that says where the code comes from ("import", or "taken/copied/pulled from" a URL or "upstream", or a
//   `Source: <URL>` line, TF-A's "chore(zlib): update zlib to v1.3.2" convention).
//   Conventions of projects that vendor libraries (OP-TEE's "Squash merging branch import/<lib>-<version>"
//   upgrades, Xen's "Update libfdt to vX taken from git://...", Linux-derived "Import X from Linux 4.13").
//   Then every C file of that patch is imported: the squash of an import branch carries its glue with it.
// - the project's config marks directories as imported (`imported.paths`, globs as `ignorePaths`): every change
//   under them is the upstream library's.
// Either way the files are listed as not reviewed, with the reason, never dropped silently. `imported.detect:
// false` turns the message test off (a project that reviews its imports line by line).
import type { PatchMeta } from '../patch/types.ts';
import { pathFilter } from './select.ts';

export interface ImportedOptions {
  /** Globs (as ignorePaths) of directories the project keeps as imported upstream code. */
  paths?: string[];
  /** Read the commit message for a declared import (default true). */
  detect?: boolean;
}

/** Why a file of this patch is imported code, or undefined when it is the author's. */
export type ImportedTest = (path: string) => string | undefined;

// A release: "v1.8.1", "3.6.2", "mbedtls-3.6.2", "libtomcrypt-1.18.2-develop-20240412", "Linux 4.13", "2.12".
const RELEASE = String.raw`(?:v?\d+\.\d+(?:\.\d+)*[\w.-]*|[A-Za-z][\w+]*-v?\d+\.\d+[\w.-]*)`;
// The action, as a word: "import", "upgrading to", "update ... to", "move to version", "resync with".
const ACTION = String.raw`(?:import(?:s|ed|ing)?|upgrad(?:e|es|ed|ing)|updat(?:e|es|ed|ing)|mov(?:e|es|ed|ing) to|(?:re)?sync(?:s|ed|ing)?)`;
/** The subject declares the action on a release. */
const SUBJECT = new RegExp(String.raw`\b${ACTION}\b(?!/)[^\n]{0,60}?(?<![\w.])${RELEASE}(?![\w])`, 'i');
/** A body line that starts with the import and names where from: "Import QCBOR v1.4.1 from https://...". */
const BODY_IMPORT = /^\s*import(?:s|ed)?\s+\S[^\n]{0,80}?\bfrom\s+(?:(?:https?|git):\/\/|upstream\b)/im;
/** Where the code comes from: the word import (not "import/branch", not "important"), or taken from a repository. */
const ORIGIN = /\bimport(?:s|ed|ing)?\b(?!\/)|\b(?:taken|copied|pulled|synced|imported) from\b[^\n]{0,60}?(?:(?:https?|git):\/\/|\bupstream\b)/i;
/** A trailer-like line naming the repository the code comes from: "Source: https://github.com/<lib>/tree/v1.3.2". */
const SOURCE_LINE = /^\s*(?:source|upstream|origin)\s*:\s*(?:https?|git):\/\//im;

/** The line of the commit message that declares an import of upstream code, or undefined. */
export function declaredImport(meta: Pick<PatchMeta, 'subject' | 'message'>): string | undefined {
  const subject = (meta.subject ?? '').replace(/^\[[^\]]*\]\s*/, '');
  const body = meta.message ?? '';
  const text = `${subject}\n${body}`;
  if (!ORIGIN.test(text) && !SOURCE_LINE.test(body)) return undefined;
  if (SUBJECT.test(subject)) return subject.trim();
  const line = BODY_IMPORT.exec(body);
  return line ? line[0].trim() : undefined;
}

/** Which files of this patch are imported upstream code, and why. */
export function importedFiles(meta: PatchMeta, options: ImportedOptions | undefined): ImportedTest {
  const marked = pathFilter(options?.paths);
  const declared = options?.detect === false ? undefined : declaredImport(meta);
  return (path) => {
    if (marked(path)) return 'imported upstream code: the project config marks this path as imported (imported.paths)';
    if (declared) return `imported upstream code: the commit message declares an import ("${declared.slice(0, 80)}")`;
    return undefined;
  };
}
