// Where each rule's reference lives, for SARIF `helpUri` and rdjson `code.url`: the rule's own
// `helpUri` when it has one; otherwise its section of docs/rules.md, under package.json's `homepage` or
// `repository` when the package declares one, else in the installed copy (a file: URL, true on this machine).
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Review } from '../review/types.ts';

/**
 * GitHub's heading anchor: lower case, punctuation other than - and _ dropped, spaces to -. An ASCII heading
 * (every rule id) takes the ASCII class, the same characters: the Unicode property class costs ~1 ms a
 * process in the interpreter.
 */
export const headingAnchor = (heading: string): string =>
  heading
    .toLowerCase()
    // eslint-disable-next-line no-control-regex
    .replace(/^[\x00-\x7f]*$/.test(heading) ? /[^a-z0-9\s_-]/g : /[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

export interface PackageLinks {
  homepage?: string;
  repository?: string | { type?: string; url?: string; directory?: string };
}

/**
 * Where docs/rules.md is published, from package.json: `homepage` (the repository's web page), else the
 * `repository` URL (git+https://host/o/r.git -> https://host/o/r); `undefined` when the package names neither.
 */
export function publishedRulesDoc(pkg: PackageLinks): string | undefined {
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const web = pkg.homepage
    ? pkg.homepage.replace(/#.*$/, '')
    : repo && /^(git\+)?(https?|ssh|git):\/\//.test(repo)
      ? repo.replace(/^git\+/, '').replace(/^(ssh|git):\/\/(git@)?/, 'https://').replace(/\.git$/, '')
      : undefined;
  return web ? `${web.replace(/\/$/, '')}/blob/main/docs/rules.md` : undefined;
}

function rulesDocBase(): string | undefined {
  for (const rel of ['../../package.json', '../../../package.json']) {
    const url = new URL(rel, import.meta.url);
    if (!existsSync(url)) continue;
    const published = publishedRulesDoc(JSON.parse(readFileSync(url, 'utf8')) as PackageLinks);
    if (published) return published;
    const doc = new URL('docs/rules.md', url);
    return existsSync(doc) ? pathToFileURL(doc.pathname).href : undefined;
  }
  return undefined;
}

export function withHelpUris(review: Review): Review {
  if (!review.rules || review.rules.every((r) => r.helpUri)) return review;
  const base = rulesDocBase();
  if (!base) return review;
  return { ...review, rules: review.rules.map((r) => (r.helpUri ? r : { ...r, helpUri: `${base}#${headingAnchor(r.id)}` })) };
}
