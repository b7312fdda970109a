// A throwaway PostgreSQL cluster for tests: initdb + pg_ctl from the installed server binaries, in a
// temporary directory, on a loopback port, run as a non-root user (PostgreSQL refuses root).
import { existsSync, mkdtempSync, chownSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.PATCH_REVIEW_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface Cluster {
  url: string;
  stop(): void;
}

/** Why a cluster cannot be started here, or null when it can. */
export function clusterUnavailable(): string | null {
  if (!existsSync(join(BIN, 'initdb')) || !existsSync(join(BIN, 'pg_ctl'))) return `PostgreSQL server binaries not found in ${BIN} (set PATCH_REVIEW_PG_BIN)`;
  if (process.getuid?.() === 0 && runAsUser() === null) return 'running as root and no non-root user to run PostgreSQL as (set PATCH_REVIEW_PG_USER; .ci/run creates one)';
  return null;
}

function runAsUser(): { name: string; uid: number; gid: number } | null {
  const name = process.env.PATCH_REVIEW_PG_USER ?? 'postgres';
  try {
    const uid = Number(execFileSync('id', ['-u', name]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', name]).toString().trim());
    return uid > 0 ? { name, uid, gid } : null;
  } catch {
    return null;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'bot-pg-'));
  const user = process.getuid?.() === 0 ? runAsUser() : null;
  if (user) chownSync(dir, user.uid, user.gid);
  const run = (cmd: string, args: string[]): void => {
    const full = join(BIN, cmd);
    if (user) execFileSync('runuser', ['-u', user.name, '--', full, ...args], { stdio: 'pipe', cwd: dir });
    else execFileSync(full, args, { stdio: 'pipe', cwd: dir });
  };
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'bot', '--no-sync', '-E', 'UTF8']);
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    url: `postgres://bot@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export const currentUser = (): string => userInfo().username;
