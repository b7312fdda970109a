// Where list mail comes from: an mbox file, a Maildir, one message on stdin, a public-inbox git archive.
// Each source yields raw messages and an ack() the bot calls once the message is recorded in its state,
// so a crash between the two only means the message is read again (and found already recorded).
import { readFile, readdir, rename, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface RawMail {
  /** Where it came from, for logs and errors: "inbox.mbox#12", "new/1700000000.M1P2.host". */
  origin: string;
  raw: Buffer;
  ack(): Promise<void>;
}

export interface MailSource {
  readonly name: string;
  messages(): AsyncIterable<RawMail>;
}

export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

const noAck = async (): Promise<void> => {};

/** "From sender Mon Sep 17 00:00:00 2001": an envelope line ends in the year. */
const ENVELOPE = /^From \S{1,300} .{0,120}\b\d{4}\r?$/;

/** Splits an mbox (mboxo or mboxrd) on its "From " lines; ">From " lines are unescaped one level. */
export function splitMboxBuffer(data: Buffer): Buffer[] {
  const text = data.toString('latin1'); // byte-preserving: each char is one byte
  const lines = text.split('\n');
  const out: Buffer[] = [];
  let current: string[] | null = null;
  let previousBlank = true;
  for (const line of lines) {
    if (previousBlank && ENVELOPE.test(line)) {
      if (current) out.push(finish(current));
      current = [];
      previousBlank = false;
      continue;
    }
    if (current === null) {
      // No envelope at all: the whole input is one message.
      if (line.trim() === '') continue;
      current = [];
    }
    current.push(/^>+From /.test(line) ? line.slice(1) : line);
    previousBlank = line.replace(/\r$/, '') === '';
  }
  if (current && current.some((l) => l.trim() !== '')) out.push(finish(current));
  return out;
}

function finish(lines: string[]): Buffer {
  // The blank line before the next envelope belongs to the mbox format, not the message.
  while (lines.length > 0 && lines[lines.length - 1]!.replace(/\r$/, '') === '') lines.pop();
  return Buffer.from(`${lines.join('\n')}\n`, 'latin1');
}

export function mboxSource(file: string): MailSource {
  return {
    name: file,
    async *messages() {
      let data: Buffer;
      try {
        data = await readFile(file);
      } catch (error) {
        throw new SourceError(`cannot read mbox ${file}: ${(error as Error).message}`);
      }
      let i = 0;
      for (const raw of splitMboxBuffer(data)) yield { origin: `${file}#${++i}`, raw, ack: noAck };
    },
  };
}

/** A Maildir: reads new/, and moves each message to cur/ (flag S) once it is recorded. */
export function maildirSource(dir: string): MailSource {
  return {
    name: dir,
    async *messages() {
      let names: string[];
      try {
        names = (await readdir(join(dir, 'new'))).filter((n) => !n.startsWith('.')).sort();
        await mkdir(join(dir, 'cur'), { recursive: true });
      } catch (error) {
        throw new SourceError(`cannot read Maildir ${dir}: ${(error as Error).message}`);
      }
      for (const name of names) {
        const path = join(dir, 'new', name);
        let raw: Buffer;
        try {
          raw = await readFile(path);
        } catch {
          continue; // taken by another reader in the meantime
        }
        const base = name.includes(':') ? name.slice(0, name.indexOf(':')) : name;
        yield {
          origin: `${dir}/new/${name}`,
          raw,
          ack: async () => {
            await rename(path, join(dir, 'cur', `${base}:2,S`)).catch((error: NodeJS.ErrnoException) => {
              if (error.code !== 'ENOENT') throw error;
            });
          },
        };
      }
    },
  };
}

export function bufferSource(name: string, raw: Buffer): MailSource {
  return {
    name,
    async *messages() {
      yield { origin: name, raw, ack: noAck };
    },
  };
}

export interface Cursor {
  get(): Promise<string | null>;
  set(value: string): Promise<void>;
}

const execFileP = promisify(execFile);

/**
 * A public-inbox (v1) or lore-style git archive: one commit per message, the message in blob `m`.
 * The last commit handled is kept in the bot's state, so each run reads only what is new.
 */
export function publicInboxSource(gitDir: string, cursor: Cursor): MailSource {
  return {
    name: gitDir,
    async *messages() {
      const since = await cursor.get();
      let commits: string[];
      try {
        const range = since ? [`${since}..HEAD`] : ['HEAD'];
        const { stdout } = await execFileP('git', ['--git-dir', gitDir, 'rev-list', '--reverse', ...range], { maxBuffer: 1 << 28 });
        commits = stdout.split('\n').filter(Boolean);
      } catch (error) {
        throw new SourceError(`cannot read public-inbox archive ${gitDir}: ${(error as Error).message.split('\n')[0]}`);
      }
      for (const commit of commits) {
        const raw = await catBlob(gitDir, `${commit}:m`);
        if (raw === null) {
          await cursor.set(commit); // a commit without a message (deletion): nothing to read
          continue;
        }
        yield { origin: `${gitDir}@${commit.slice(0, 12)}`, raw, ack: () => cursor.set(commit) };
      }
    },
  };
}

function catBlob(gitDir: string, spec: string): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--git-dir', gitDir, 'cat-file', 'blob', spec], { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve(code === 0 ? Buffer.concat(chunks) : null));
  });
}
