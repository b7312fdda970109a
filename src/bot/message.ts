// One list message as the bot sees it: the headers it decides on and the raw bytes the review reads.
import PostalMime from 'postal-mime';

export interface Mailbox {
  name: string;
  address: string;
}

export interface ListMessage {
  /** With angle brackets, as in the header; synthesised from the content hash when missing. */
  messageId: string;
  hasOwnMessageId: boolean;
  subject: string;
  from: Mailbox | null;
  to: Mailbox[];
  cc: Mailbox[];
  /** The Date header as written (the attribution line repeats it). */
  date: string;
  inReplyTo: string | null;
  references: string[];
  listId: string | null;
  autoSubmitted: string | null;
  /** Other headers bots set (X-Mailer-Bot, Precedence: bulk...), lower-cased names. */
  headers: Map<string, string>;
  /** The decoded plain-text body (attachments of patch type appended). */
  text: string;
  raw: Buffer;
}

export function messageIdsOf(value: string | undefined | null): string[] {
  if (!value) return [];
  return value.match(/<[^<>\s]{1,500}>/g) ?? [];
}

function mailbox(a: { name?: string; address?: string } | undefined): Mailbox | null {
  if (!a || !a.address) return null;
  return { name: a.name ?? '', address: a.address.toLowerCase() };
}

function mailboxes(list: { name?: string; address?: string; group?: { name?: string; address?: string }[] }[] | undefined): Mailbox[] {
  const out: Mailbox[] = [];
  for (const a of list ?? []) {
    if (a.group) out.push(...a.group.map(mailbox).filter((m): m is Mailbox => m !== null));
    else {
      const m = mailbox(a);
      if (m) out.push(m);
    }
  }
  return out;
}

export function formatMailbox(m: Mailbox): string {
  if (!m.name) return m.address;
  const name = /[^\w .'-]/.test(m.name) ? `"${m.name.replace(/["\\]/g, '\\$&')}"` : m.name;
  return `${name} <${m.address}>`;
}

function isPatchAttachment(mimeType: string, filename: string | null | undefined): boolean {
  return /^text\/(x-)?(patch|diff)/i.test(mimeType) || /\.(patch|diff)$/i.test(filename ?? '');
}

/** Parses one RFC 5322 message; never throws on malformed mail (missing fields stay empty). */
export async function parseListMessage(raw: Buffer, fallbackId: string): Promise<ListMessage> {
  const email = await PostalMime.parse(raw, { attachmentEncoding: 'utf8' });
  const headers = new Map<string, string>();
  for (const h of email.headers) if (!headers.has(h.key)) headers.set(h.key, h.value);
  const parts: string[] = [];
  if (email.text) parts.push(email.text);
  for (const a of email.attachments) {
    if (!isPatchAttachment(a.mimeType, a.filename)) continue;
    parts.push(typeof a.content === 'string' ? a.content : Buffer.from(a.content as ArrayBuffer).toString('utf8'));
  }
  const ownId = messageIdsOf(email.messageId)[0];
  const references = messageIdsOf(email.references);
  const inReplyTo = messageIdsOf(email.inReplyTo)[0] ?? null;
  return {
    messageId: ownId ?? `<${fallbackId}@content.patch-review.invalid>`,
    hasOwnMessageId: ownId !== undefined,
    subject: (email.subject ?? '').replace(/\s+/g, ' ').trim(),
    from: mailbox(email.from as { name?: string; address?: string } | undefined),
    to: mailboxes(email.to as never),
    cc: mailboxes(email.cc as never),
    date: headers.get('date')?.trim() ?? '',
    inReplyTo,
    references,
    listId: messageIdsOf(headers.get('list-id'))[0]?.slice(1, -1).toLowerCase() ?? headers.get('list-id')?.trim().toLowerCase() ?? null,
    autoSubmitted: headers.get('auto-submitted')?.trim().toLowerCase() ?? null,
    headers,
    text: parts.join('\n'),
    raw,
  };
}
