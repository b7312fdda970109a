// The RFC 5322 header block at the top of a message, unfolded.

import type { SourceLine } from './source-lines.ts';

export interface MailHeaders {
  /** Lower-cased names; the first occurrence wins. */
  fields: Map<string, string>;
  /** Index of the first body line. */
  bodyStart: number;
  /** The "From <sha> <date>" mbox separator, when the message starts with one. */
  envelope?: string;
}

const NAME = /^([A-Za-z][A-Za-z0-9-]{0,60}):(.*)$/;

/** Reads headers when the message starts with them; otherwise an empty map and bodyStart 0. */
export function readMailHeaders(lines: SourceLine[], from = 0): MailHeaders {
  const fields = new Map<string, string>();
  let i = from;
  while (i < lines.length && lines[i]!.text.trim() === '') i++;
  let envelope: string | undefined;
  if (i < lines.length && lines[i]!.text.startsWith('From ')) envelope = lines[i++]!.text;
  if (i >= lines.length || !NAME.test(lines[i]!.text.slice(0, 200))) {
    return envelope ? { fields, bodyStart: i, envelope } : { fields, bodyStart: from };
  }
  let last: string | null = null;
  for (; i < lines.length; i++) {
    const text = lines[i]!.text;
    if (text.trim() === '') {
      i++;
      break;
    }
    if ((text[0] === ' ' || text[0] === '\t') && last) {
      fields.set(last, `${fields.get(last)!} ${text.trim()}`.slice(0, 4000));
      continue;
    }
    const m = NAME.exec(text.slice(0, 4000));
    if (!m) break;
    last = m[1]!.toLowerCase();
    if (!fields.has(last)) fields.set(last, m[2]!.trim());
    else last = null;
  }
  return envelope ? { fields, bodyStart: i, envelope } : { fields, bodyStart: i };
}

export function isMailHeaders(h: MailHeaders): boolean {
  return h.fields.has('from') || h.fields.has('subject') || h.fields.has('message-id');
}

export function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  return value.match(/<[^<>\s]{1,500}>/g) ?? [];
}
