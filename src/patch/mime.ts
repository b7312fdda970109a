// MIME messages (quoted-printable, base64, multipart): decoded by postal-mime, then
// rebuilt as a plain message whose body is the text part followed by patch attachments.

import type { Warning } from './types.ts';
import { splitSourceLines, type SourceLine } from './source-lines.ts';
import { readMailHeaders } from './mail-header.ts';
import type { Message } from './assemble.ts';

export function isMimeMessage(lines: SourceLine[]): boolean {
  const h = readMailHeaders(lines);
  const type = h.fields.get('content-type') ?? '';
  const encoding = (h.fields.get('content-transfer-encoding') ?? '').toLowerCase();
  return /^\s*multipart\//i.test(type) || encoding.includes('quoted-printable') || encoding.includes('base64');
}

function isPatchAttachment(mimeType: string, filename: string | null | undefined): boolean {
  return /^text\/(x-)?(patch|diff)/i.test(mimeType) || /\.(patch|diff)$/i.test(filename ?? '') || (mimeType === 'text/plain' && !!filename);
}

export async function decodeMimeMessage(lines: SourceLine[], warnings: Warning[]): Promise<Message> {
  const raw = lines.map((l) => l.text).join('\n');
  const firstLine = lines[0]?.line ?? 1;
  // Loaded here, not at import: most input is no MIME message and postal-mime takes ~10 ms to load.
  const { default: PostalMime } = await import('postal-mime');
  const email = await PostalMime.parse(raw, { attachmentEncoding: 'utf8' });
  const parts: string[] = [];
  if (email.text) parts.push(email.text);
  for (const a of email.attachments) {
    if (!isPatchAttachment(a.mimeType, a.filename)) continue;
    parts.push(typeof a.content === 'string' ? a.content : Buffer.from(a.content as ArrayBuffer).toString('utf8'));
  }
  const header: string[] = [];
  if (email.from) header.push(`From: ${email.from.name ? `${email.from.name} <${email.from.address ?? ''}>` : (email.from.address ?? '')}`);
  if (email.subject) header.push(`Subject: ${email.subject}`);
  if (email.date) header.push(`Date: ${email.date}`);
  if (email.messageId) header.push(`Message-ID: ${email.messageId}`);
  if (email.inReplyTo) header.push(`In-Reply-To: ${email.inReplyTo}`);
  if (email.references) header.push(`References: ${email.references}`);
  const envelope = lines[0]?.text.startsWith('From ') ? [lines[0].text] : [];
  const text = [...envelope, ...header, '', parts.join('\n')].join('\n');
  warnings.push({
    code: 'mime',
    message: 'MIME message decoded; line numbers inside it count lines of the decoded text from the message start',
    line: firstLine,
  });
  return { lines: splitSourceLines(text, firstLine), decoded: true };
}
