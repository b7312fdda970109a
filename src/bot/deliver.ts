// Turning a rendered reply into a message and getting it out: SMTP through nodemailer, or dry-run
// files (.eml per reply, or one mbox) for a person to check before the bot is allowed to send.
import { writeFile, rename, mkdir, appendFile, readFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { BotConfig } from './policy.ts';

export interface OutgoingMail {
  messageId: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  inReplyTo: string;
  references: string[];
  text: string;
  date: Date;
}

export async function buildEml(mail: OutgoingMail): Promise<Buffer> {
  const composer = new MailComposer({
    messageId: mail.messageId,
    from: mail.from,
    to: mail.to,
    cc: mail.cc.length > 0 ? mail.cc : undefined,
    subject: mail.subject,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    text: mail.text,
    date: mail.date,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Mailer': 'patch-review' },
  });
  return composer.compile().build();
}

export type SendResult = { ok: true } | { ok: false; permanent: boolean; error: string };

export interface Transport {
  readonly kind: 'smtp' | 'dry-run-dir' | 'dry-run-mbox';
  send(replyId: string, eml: Buffer, envelope: { from: string; to: string[] }): Promise<SendResult>;
  close(): void;
}

export function smtpTransport(smtp: NonNullable<BotConfig['smtp']>): Transport {
  const transporter = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTls,
    ignoreTLS: !smtp.secure && !smtp.requireTls,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return {
    kind: 'smtp',
    async send(_replyId, eml, envelope) {
      try {
        await transporter.sendMail({ envelope, raw: eml });
        return { ok: true };
      } catch (error) {
        const e = error as Error & { responseCode?: number; response?: string };
        // 5xx is the server's final word (unknown recipient, policy); the rest (4xx, network) is retried.
        const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
        return { ok: false, permanent, error: (e.response ?? e.message).split('\n')[0]!.slice(0, 500) };
      }
    },
    close: () => transporter.close(),
  };
}

export function emlFileName(replyId: string): string {
  return `${replyId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@-]/g, '_')}.eml`;
}

/** One .eml per reply, named after its Message-ID, written atomically (rewriting it is harmless). */
export function dirTransport(dir: string): Transport {
  return {
    kind: 'dry-run-dir',
    async send(replyId, eml) {
      await mkdir(dir, { recursive: true });
      const path = join(dir, emlFileName(replyId));
      const tmp = `${path}.tmp-${process.pid}`;
      await writeFile(tmp, eml);
      await rename(tmp, path);
      return { ok: true };
    },
    close: () => {},
  };
}

/** Appends to an mbox, unless the reply is already in it (a crash after the append). */
export function mboxTransport(file: string): Transport {
  return {
    kind: 'dry-run-mbox',
    async send(replyId, eml) {
      await mkdir(dirname(file), { recursive: true });
      const existing = await readFile(file, 'latin1').catch(() => '');
      if (existing.includes(`Message-ID: ${replyId}`)) return { ok: true };
      const body = eml.toString('latin1').replace(/\r\n/g, '\n').replace(/^(>*From )/gm, '>$1');
      const envelope = 'From patch-review Mon Sep 17 00:00:00 2001';
      await appendFile(file, Buffer.from(`${envelope}\n${body.replace(/\n*$/, '\n')}\n`, 'latin1'));
      return { ok: true };
    },
    close: () => {},
  };
}
