// Whole-process cost of the installed command (bin/patch-review.js -> dist/), what a user at a
// terminal waits for: start-up alone (--version), and `check` on the smallest and the seed patch.
// With CHECKPATCH=/path/to/checkpatch.pl, checkpatch runs on the same inputs in the same loop,
// interleaved run by run, and each input gets the ratio of the two CPU medians.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const BIN = join(root, 'bin/patch-review.js');
const TIME = '/usr/bin/time';

export interface ProcessSample {
  wallMs: number;
  /** user + sys of the child, from /usr/bin/time (absent without it). */
  cpuMs?: number;
  status: number | null;
}

export interface ProcessRow {
  name: string;
  command: string;
  /** Exit statuses seen (0 clean, 1 findings: both are a completed run). */
  statuses: number[];
  wallMs: { median: number; min: number; max: number };
  cpuMs?: { median: number; min: number; max: number };
  checkpatch?: { wallMs: { median: number; min: number; max: number }; cpuMs?: { median: number; min: number; max: number } };
  /** patch-review / checkpatch.pl, CPU medians (wall when CPU is unknown). */
  ratioToCheckpatch?: number;
}

export interface CliResult {
  status: 'ok' | 'skipped';
  reason?: string;
  runs: number;
  checkpatch: string | null;
  rows: ProcessRow[];
}

function once(cmd: string, args: string[]): ProcessSample {
  if (existsSync(TIME)) {
    const dir = mkdtempSync(join(tmpdir(), 'pr-bench-cli-'));
    const file = join(dir, 't');
    try {
      const r = spawnSync(TIME, ['-o', file, '-f', '%e %U %S', cmd, ...args], { stdio: 'ignore', cwd: root });
      const [wall = 0, user = 0, sys = 0] = readFileSync(file, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      return { wallMs: wall * 1000, cpuMs: (user + sys) * 1000, status: r.status };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: 'ignore', cwd: root });
  return { wallMs: performance.now() - t0, status: r.status };
}

function spread(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const median = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return { median: Math.round(median), min: Math.round(s[0]!), max: Math.round(s[s.length - 1]!) };
}

export function benchCli(options: { runs: number; checkpatch?: string; log?: (line: string) => void; /** A checkout for the tree-mode row. */ tree?: string }): CliResult {
  const runs = options.runs;
  const checkpatch = options.checkpatch && existsSync(options.checkpatch) ? options.checkpatch : null;
  if (!existsSync(join(root, 'dist/src/cli/run.js'))) {
    return { status: 'skipped', reason: 'dist/ is missing: `npm run build` first (the bench measures the installed command)', runs, checkpatch, rows: [] };
  }
  const node = process.execPath;
  const small = join(root, 'test/fixtures/api/small.patch');
  const seed = join(root, 'test/fixtures/seed-000.txt');
  const cases: { name: string; args: string[]; patch?: string }[] = [
    { name: 'node -e 0', args: ['-e', '0'] },
    { name: 'patch-review --version', args: [BIN, '--version'] },
    { name: 'check small.patch', args: [BIN, 'check', small, '--no-config', '--no-tree'], patch: small },
    { name: 'check seed-000', args: [BIN, 'check', seed, '--no-config', '--no-tree'], patch: seed },
    ...(options.tree && existsSync(options.tree) ? [{ name: 'check seed-000 --tree', args: [BIN, 'check', seed, '--no-config', '--tree', options.tree] }] : []),
  ];
  const rows: ProcessRow[] = [];
  for (const c of cases) {
    options.log?.(`cli ${c.name}: warm-up + ${runs} runs${checkpatch && c.patch ? ' (interleaved with checkpatch.pl)' : ''}`);
    once(node, c.args);
    const ours: ProcessSample[] = [];
    const theirs: ProcessSample[] = [];
    for (let i = 0; i < runs; i++) {
      ours.push(once(node, c.args));
      if (checkpatch && c.patch) theirs.push(once('perl', [checkpatch, '--no-tree', '-q', c.patch]));
    }
    const cpu = ours.flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs]));
    const row: ProcessRow = {
      name: c.name,
      command: ['node', ...c.args.map((a) => a.replace(root, ''))].join(' '),
      statuses: [...new Set(ours.map((s) => s.status ?? -1))],
      wallMs: spread(ours.map((s) => s.wallMs)),
      ...(cpu.length === ours.length ? { cpuMs: spread(cpu) } : {}),
    };
    if (theirs.length > 0) {
      const tcpu = theirs.flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs]));
      row.checkpatch = { wallMs: spread(theirs.map((s) => s.wallMs)), ...(tcpu.length === theirs.length ? { cpuMs: spread(tcpu) } : {}) };
      const a = row.cpuMs?.median ?? row.wallMs.median;
      const b = row.checkpatch.cpuMs?.median ?? row.checkpatch.wallMs.median;
      row.ratioToCheckpatch = b > 0 ? Math.round((a / b) * 100) / 100 : undefined;
    }
    rows.push(row);
  }
  return { status: 'ok', runs, checkpatch, rows };
}
