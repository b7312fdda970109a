// Bot child processes for the crash and multi-instance tests, and counting what reached the list.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import PostalMime from 'postal-mime';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'crash-child.ts');

/** mulberry32: a small seeded generator, so a failing sequence can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts one bot process (helpers/crash-child.ts); the promise settles when it is gone. */
export function spawnBot(env: Record<string, string>): Promise<ChildResult> & { child: ChildProcess } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<ChildResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return Object.assign(exited, { child });
}

export async function countReplies(raws: Buffer[]): Promise<Map<string, number>> {
  const byPatch = new Map<string, number>();
  for (const raw of raws) {
    const m = await PostalMime.parse(raw);
    byPatch.set(m.inReplyTo ?? '', (byPatch.get(m.inReplyTo ?? '') ?? 0) + 1);
  }
  return byPatch;
}

