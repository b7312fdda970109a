// Joins a hunk header's section that a mailer wrapped onto the following lines:
//   @@ -2443,11 +2443,18 @@ static int __get_page_type(struct page_info *page,
//   unsigned
//   long type,

import type { SourceLine } from './source-lines.ts';
import type { Unquoted } from './quote.ts';

const MAX_CONTINUATIONS = 3;

/** A piece of a parameter list: types, names, pointers, commas, a closing paren. */
function isDeclaratorFragment(body: string): boolean {
  if (body.length === 0 || body.length > 60) return false;
  if (/^(if|for|while|switch|return|case|else|do|goto)\b/.test(body)) return false;
  return /^[A-Za-z_*][\w\s*,()[\]]*$/.test(body) && !body.startsWith('(');
}

function openParens(s: string): number {
  let n = 0;
  for (let i = s.indexOf('('); i >= 0; i = s.indexOf('(', i + 1)) n++;
  for (let i = s.indexOf(')'); i >= 0; i = s.indexOf(')', i + 1)) n--;
  return n;
}

export function joinWrappedSection(
  section: string,
  rawHeader: string,
  lines: SourceLine[],
  q: Unquoted[],
  i: number,
  depth: number,
): { section: string; consumed: number } {
  // Mailers wrap long lines only; a short header was not wrapped.
  if (rawHeader.length < 60) return { section, consumed: 0 };
  let joined = section;
  let consumed = 0;
  while (consumed < MAX_CONTINUATIONS && openParens(joined) > 0) {
    const j = i + 1 + consumed;
    if (j >= lines.length || q[j]!.depth !== depth) break;
    const body = q[j]!.body;
    if (!isDeclaratorFragment(body)) break;
    joined = `${joined.trimEnd()} ${body.trim()}`;
    consumed++;
  }
  return { section: joined, consumed };
}
