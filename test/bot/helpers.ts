// Shared by the bot tests: fixtures, a throwaway directory, a loopback SMTP server that can act as the list.
import { mkdtempSync, readFileSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { readConfig, type BotConfig } from '../../src/bot/policy.ts';
import { parse as parseYaml } from 'yaml';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'bot');
export const MBOX = join(FIXTURES, 'list.mbox');

const made: string[] = [];
// Every throwaway directory goes when the test file's process does (node --test runs each file in its own).
process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export function tmp(prefix = 'bot-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** The fixture config, with list fields overridden. */
export function testConfig(list: Record<string, unknown> = {}, top: Record<string, unknown> = {}): BotConfig {
  const doc = parseYaml(readFileSync(join(FIXTURES, 'config.yaml'), 'utf8')) as { lists: Record<string, unknown>[] } & Record<string, unknown>;
  doc.lists[0] = { ...doc.lists[0], ...list };
  return readConfig({ ...doc, ...top });
}

export interface Received {
  raw: Buffer;
  from: string;
  to: string[];
}

export interface TestSmtp {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1. `decide` may refuse a message (SMTP code and text); `onMessage`
 * runs once a message is received in full, before the server answers 250 (the list echo goes there).
 */
export async function startSmtp(options: {
  decide?: (n: number) => { code: number; message: string } | null;
  onMessage?: (r: Received) => void;
  onDataStart?: () => void;
  beforeAnswer?: (r: Received) => void | Promise<void>;
} = {}): Promise<TestSmtp> {
  const received: Received[] = [];
  let n = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      options.onDataStart?.();
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', () => {}); // the client went away mid-message: nothing was received
      stream.on('end', () => {
        const r: Received = {
          raw: Buffer.concat(chunks),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((a) => a.address),
        };
        const refusal = options.decide?.(++n) ?? null;
        if (refusal) {
          const error = new Error(refusal.message) as Error & { responseCode: number };
          error.responseCode = refusal.code;
          callback(error);
          return;
        }
        received.push(r);
        options.onMessage?.(r);
        void Promise.resolve(options.beforeAnswer?.(r)).then(() => callback());
      });
    },
  });
  server.on('error', () => {}); // a client killed mid-conversation resets its connection
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Appends a received message to an mbox, as the list (and its archive) would. */
export function appendToMbox(file: string, raw: Buffer): void {
  const text = raw.toString('latin1').replace(/\r\n/g, '\n').replace(/^(>*From )/gm, '>$1');
  appendFileSync(file, Buffer.from(`\nFrom list@example.org Mon Sep 17 00:00:00 2001\n${text.replace(/\n*$/, '\n')}`, 'latin1'));
}
