// Whole-process cost of the installed command (bin/patch-review.js -> dist/), what a user at a
// terminal waits for, run as a command as npm's link runs it (its #! line: the launcher's shell stage, then
// Node): start-up alone (--version), and `check` on the smallest and the seed patch, and on
// a spread of typical patches: the 20 most recent non-merge commits touching C of a Xen git directory
// ($BENCH_XEN_GIT, default the team's mirror), as `git format-patch` writes them.
// With CHECKPATCH=/path/to/checkpatch.pl, checkpatch runs on the same inputs in the same loop,
// interleaved run by run, and each input gets the ratio of the two CPU medians.
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const BIN = join(root, 'bin/patch-review.js');
const TIME = '/usr/bin/time';

export interface ProcessSample {
  wallMs: number;
  /** user + sys of the child, from bash's `times` or /usr/bin/time (absent without either). */
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
  /** NODE_EXTRA_CA_CERTS of the environment the rows ran in (Node parses that file at every start), when set. */
  nodeExtraCaCerts?: string;
  rows: ProcessRow[];
  /** The typical patches (rows named `typical <commit>`): where from, and the ratios to checkpatch.pl. */
  typical?: TypicalSummary;
  /** The same patches again with NODE_EXTRA_CA_CERTS unset (option typicalWithoutExtraCa, when the variable is set). */
  typicalWithoutExtraCa?: TypicalSummary;
}

export interface TypicalSummary {
  source: string;
  count: number;
  cpuMsMedian: number;
  ratio?: { median: number; max: number; atOrBelow: number };
}

/** The suffix of a row run with NODE_EXTRA_CA_CERTS unset. */
export const WITHOUT_EXTRA_CA = ' (NODE_EXTRA_CA_CERTS unset)';

/** The Xen git directory the typical patches come from, when there is one. */
export const XEN_GIT = process.env.BENCH_XEN_GIT ?? '/work/.mirror/xen-project+xen/repo';

/** The `count` most recent non-merge commits of `gitDir` touching C files, written as format-patch files into `into`. */
export function typicalPatches(gitDir: string, count: number, into: string): string[] {
  const shas = execFileSync('git', ['--git-dir', gitDir, 'log', '--no-merges', '--format=%H', `-n${count}`, 'HEAD', '--', '*.c'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  return shas.map((sha) => {
    const file = join(into, `${sha.slice(0, 12)}.patch`);
    writeFileSync(file, execFileSync('git', ['--git-dir', gitDir, 'format-patch', '-1', '--stdout', sha], { maxBuffer: 1 << 28 }));
    return file;
  });
}

const BASH = ['/bin/bash', '/usr/bin/bash'].find((b) => existsSync(b));

/**
 * One run of `cmd args` (output discarded, standard input from `stdin`, else empty): wall time, and CPU (user + sys
 * of the child) from bash's `times` (millisecond resolution), else from /usr/bin/time (10 ms resolution), else none.
 */
export function once(cmd: string, args: string[], env?: NodeJS.ProcessEnv, stdin?: string): ProcessSample {
  if (BASH) {
    const t0 = performance.now();
    const script = 'f=$1; shift; "$@" >/dev/null 2>&1 <"$f"; s=$?; times; exit $s';
    const r = spawnSync(BASH, ['-c', script, 'bash', stdin ?? '/dev/null', cmd, ...args], { encoding: 'utf8', cwd: root, ...(env ? { env } : {}) });
    const wallMs = performance.now() - t0;
    // `times`: the shell's user and sys, then its children's
    const t = [...r.stdout.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60_000 + Number(m[2]) * 1000);
    return { wallMs, ...(t.length === 4 ? { cpuMs: t[2]! + t[3]! } : {}), status: r.status };
  }
  if (existsSync(TIME)) {
    const dir = mkdtempSync(join(tmpdir(), 'pr-bench-cli-'));
    const file = join(dir, 't');
    try {
      const input = stdin ? openSync(stdin, 'r') : 'ignore';
      const r = spawnSync(TIME, ['-o', file, '-f', '%e %U %S', cmd, ...args], { stdio: [input, 'ignore', 'ignore'], cwd: root, ...(env ? { env } : {}) });
      if (typeof input === 'number') closeSync(input);
      const [wall = 0, user = 0, sys = 0] = readFileSync(file, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      return { wallMs: wall * 1000, cpuMs: (user + sys) * 1000, status: r.status };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const input = stdin ? openSync(stdin, 'r') : 'ignore';
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: [input, 'ignore', 'ignore'], cwd: root, ...(env ? { env } : {}) });
  if (typeof input === 'number') closeSync(input);
  return { wallMs: performance.now() - t0, status: r.status };
}

function spread(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const median = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return { median: Math.round(median), min: Math.round(s[0]!), max: Math.round(s[s.length - 1]!) };
}

export function benchCli(options: {
  runs: number;
  checkpatch?: string;
  log?: (line: string) => void;
  /** A checkout for the tree-mode row. */
  tree?: string;
  /** Typical patches from this git directory (default XEN_GIT when it exists; false: none). */
  typical?: { git: string; count?: number } | false;
  /** When NODE_EXTRA_CA_CERTS is set, each typical patch once more without it (a row and a summary of their own). */
  typicalWithoutExtraCa?: boolean;
  /** More commands measured after the built-in rows (name, the program (default node) and its arguments). */
  more?: { name: string; cmd?: string; args: string[] }[];
}): CliResult {
  const runs = options.runs;
  const checkpatch = options.checkpatch && existsSync(options.checkpatch) ? options.checkpatch : null;
  if (!existsSync(join(root, 'dist/src/cli/run.js'))) {
    return { status: 'skipped', reason: 'dist/ is missing: `npm run build` first (the bench measures the installed command)', runs, checkpatch, rows: [] };
  }
  const node = process.execPath;
  const small = join(root, 'test/fixtures/api/small.patch');
  const seed = join(root, 'test/fixtures/seed-000.txt');
  // NODE_EXTRA_CA_CERTS makes every Node process parse that file of certificates at start, before any of our
  // code (~30-50 ms of CPU for a system bundle of 144 certificates): the rows are measured in the caller's
  // environment, and two more rows say what Node's own start and the seed's check cost without it.
  const extraCa = process.env.NODE_EXTRA_CA_CERTS;
  const { NODE_EXTRA_CA_CERTS: _dropped, ...withoutExtraCa } = process.env;
  const cases: Case[] = [
    { name: 'node -e 0', args: ['-e', '0'] },
    ...(extraCa ? [{ name: `node -e 0${WITHOUT_EXTRA_CA}`, args: ['-e', '0'], env: withoutExtraCa }] : []),
    { name: 'patch-review --version', cmd: BIN, args: ['--version'] },
    { name: 'check small.patch', cmd: BIN, args: ['check', small, '--no-config', '--no-tree'], patch: small },
    { name: 'check seed-000', cmd: BIN, args: ['check', seed, '--no-config', '--no-tree'], patch: seed },
    // `git format-patch --stdout | patch-review check -`, b4's check command: the same patch on standard input
    { name: 'check - < seed-000', cmd: BIN, args: ['check', '-', '--no-config', '--no-tree'], stdin: seed },
    // The issue-10 target row again without the variable: what a user whose environment does not set it pays.
    ...(extraCa ? [{ name: `check seed-000${WITHOUT_EXTRA_CA}`, cmd: BIN, args: ['check', seed, '--no-config', '--no-tree'], env: withoutExtraCa }] : []),
    // Node started on the bin directly: the launcher's shell stage does not run, so Node starts with the caller's NODE_EXTRA_CA_CERTS.
    ...(extraCa ? [{ name: 'node bin/patch-review.js check seed-000', args: [BIN, 'check', seed, '--no-config', '--no-tree'] }] : []),
    ...(options.tree && existsSync(options.tree) ? [{ name: 'check seed-000 --tree', cmd: BIN, args: ['check', seed, '--no-config', '--tree', options.tree] }] : []),
    ...(options.more ?? []),
  ];
  const typical = options.typical === false ? undefined : (options.typical ?? (existsSync(XEN_GIT) ? { git: XEN_GIT } : undefined));
  const patchDir = typical ? mkdtempSync(join(tmpdir(), 'pr-bench-typical-')) : undefined;
  try {
    if (typical && patchDir) {
      for (const p of typicalPatches(typical.git, typical.count ?? 20, patchDir)) {
        const name = `typical ${p.slice(p.lastIndexOf('/') + 1, -'.patch'.length)}`;
        const args = ['check', p, '--no-config', '--no-tree'];
        cases.push({ name, cmd: BIN, args, patch: p });
        if (extraCa && options.typicalWithoutExtraCa) cases.push({ name: `${name}${WITHOUT_EXTRA_CA}`, cmd: BIN, args, patch: p, env: withoutExtraCa });
      }
    }
    const rows = measureCases(cases, runs, node, checkpatch, options.log);
    const summary = (typ: ProcessRow[]): TypicalSummary | undefined => {
      if (!typical || typ.length === 0) return undefined;
      const ratios = typ.flatMap((r) => (r.ratioToCheckpatch === undefined ? [] : [r.ratioToCheckpatch]));
      return {
        source: typical.git,
        count: typ.length,
        cpuMsMedian: spread(typ.map((r) => r.cpuMs?.median ?? r.wallMs.median)).median,
        ...(ratios.length > 0 ? { ratio: { median: spread(ratios.map((x) => x * 100)).median / 100, max: Math.max(...ratios), atOrBelow: ratios.filter((x) => x <= 1).length } } : {}),
      };
    };
    const inCallersEnv = summary(rows.filter((r) => r.name.startsWith('typical ') && !r.name.endsWith(WITHOUT_EXTRA_CA)));
    const withoutCa = summary(rows.filter((r) => r.name.startsWith('typical ') && r.name.endsWith(WITHOUT_EXTRA_CA)));
    return {
      status: 'ok',
      runs,
      checkpatch,
      ...(extraCa ? { nodeExtraCaCerts: extraCa } : {}),
      rows,
      ...(inCallersEnv ? { typical: inCallersEnv } : {}),
      ...(withoutCa ? { typicalWithoutExtraCa: withoutCa } : {}),
    };
  } finally {
    if (patchDir) rmSync(patchDir, { recursive: true, force: true });
  }
}

interface Case {
  name: string;
  /** The program run (default node). */
  cmd?: string;
  args: string[];
  patch?: string;
  /** The child's environment when not the caller's. */
  env?: NodeJS.ProcessEnv;
  /** A file on the child's standard input (else empty). */
  stdin?: string;
}

function measureCases(cases: Case[], runs: number, node: string, checkpatch: string | null, log?: (line: string) => void): ProcessRow[] {
  const rows: ProcessRow[] = [];
  for (const c of cases) {
    log?.(`cli ${c.name}: warm-up + ${runs} runs${checkpatch && c.patch ? ' (interleaved with checkpatch.pl)' : ''}`);
    const cmd = c.cmd ?? node;
    once(cmd, c.args, c.env, c.stdin);
    const ours: ProcessSample[] = [];
    const theirs: ProcessSample[] = [];
    for (let i = 0; i < runs; i++) {
      ours.push(once(cmd, c.args, c.env, c.stdin));
      if (checkpatch && c.patch) theirs.push(once('perl', [checkpatch, '--no-tree', '-q', c.patch]));
    }
    const cpu = ours.flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs]));
    const row: ProcessRow = {
      name: c.name,
      command: [c.cmd ? c.cmd.replace(root, '') : 'node', ...c.args.map((a) => a.replace(root, '')), ...(c.stdin ? ['<', c.stdin.replace(root, '')] : [])].join(' '),
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
  return rows;
}
