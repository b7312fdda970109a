// Where each rule's reference lives, for SARIF `helpUri` and rdjson `code.url`: the rule's own
// `helpUri` when it has one; otherwise its section of docs/rules.md, under package.json's `homepage`
// when the package declares one, else in the installed copy (a file: URL, true on this machine).
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Review } from '../review/types.ts';

/** GitHub's heading anchor: lower case, punctuation other than - and _ dropped, spaces to -. */
export const headingAnchor = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

function rulesDocBase(): string | undefined {
  for (const rel of ['../../package.json', '../../../package.json']) {
    const url = new URL(rel, import.meta.url);
    if (!existsSync(url)) continue;
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { homepage?: string };
    if (pkg.homepage) return `${pkg.homepage.replace(/#.*$/, '').replace(/\/$/, '')}/blob/main/docs/rules.md`;
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
