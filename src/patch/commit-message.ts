// The text before the first file section: commit message, diffstat, and the
// "From:/Date:" or "commit/Author:" lines a quoted or logged patch carries.

import type { PatchMeta, Warning } from './types.ts';
import type { SourceLine } from './source-lines.ts';
import { unquote } from './quote.ts';

const DIFFSTAT_FILE = /^\s*\S.{0,300}\|\s+(?:\d+\s*[+-]*|Bin .*)\s*$/;
const DIFFSTAT_SUMMARY = /^\s*\d+ files? changed/;
const WRAPPED_BARS = /^\s*[+-]+\s*$/;
const ARCHIVE_NAV = /\[(Date|Thread) (Prev|Next|Index)\]/;
const LOG_FIELD = /^(From|Sent|Date|Subject|To|Cc|Author|AuthorDate|Commit|CommitDate):\s*(.*)$/;

export function readCommitMessage(preamble: SourceLine[], depth: number, warnings: Warning[]): PatchMeta {
  const meta: PatchMeta = {};
  const body: { text: string; line: number }[] = [];
  for (const l of preamble) {
    const u = unquote(l.text);
    if (u.depth === depth) body.push({ text: u.body, line: l.line });
  }
  let i = 0;
  while (i < body.length && body[i]!.text.trim() === '') i++;
  // A mail-archive page: its navigation bar, then the title line, then its header block.
  if (i < body.length && ARCHIVE_NAV.test(body[i]!.text)) {
    i++;
    while (i < body.length && body[i]!.text.trim() === '') i++;
    if (i < body.length && !LOG_FIELD.test(body[i]!.text.trim().slice(0, 1000))) i++;
    while (i < body.length && body[i]!.text.trim() === '') i++;
  }
  // git log / quoted-mail lines that head the message.
  for (; i < body.length; i++) {
    const t = body[i]!.text.trim();
    const commit = /^commit ([0-9a-f]{7,40})\b/.exec(t);
    if (commit) {
      meta.commit = commit[1];
      continue;
    }
    const m = LOG_FIELD.exec(t.slice(0, 1000));
    if (!m) break;
    const [, name, value] = m;
    if ((name === 'From' || name === 'Author') && !meta.author) meta.author = value;
    else if ((name === 'Date' || name === 'Sent' || name === 'AuthorDate') && !meta.date) meta.date = value;
    else if (name === 'Subject' && !meta.subject) meta.subject = value;
  }
  const sep = body.findIndex((l, k) => k >= i && (l.text === '---' || l.text === '--- '));
  const end = sep >= 0 ? sep : body.length;
  const message = body
    .slice(i, end)
    .map((l) => l.text.replace(/^ {4}/, ''))
    .join('\n')
    .trim();
  if (message) meta.message = message;
  if (sep >= 0) {
    const stat: string[] = [];
    for (let k = sep + 1; k < body.length; k++) {
      const t = body[k]!.text;
      if (DIFFSTAT_SUMMARY.test(t)) {
        stat.push(t.trim());
        break;
      }
      if (WRAPPED_BARS.test(t) && stat.length > 0 && /\|\s+\d+\s*$/.test(stat[stat.length - 1]!)) {
        stat[stat.length - 1] = `${stat[stat.length - 1]!} ${t.trim()}`;
        warnings.push({ code: 'diffstat-rewrapped', message: 'a diffstat line was wrapped; joined', line: body[k]!.line });
        continue;
      }
      if (DIFFSTAT_FILE.test(t) || /\|\s+\d+\s*$/.test(t)) stat.push(t.trim().replace(/\s+/g, ' '));
    }
    if (stat.length > 0) meta.diffstat = stat;
  }
  return meta;
}
