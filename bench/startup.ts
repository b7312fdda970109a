// `npm run bench:startup`: how long the installed command takes as a whole process (what a user
// waits for), against Node itself and, when it is available, checkpatch.pl on the same patches.
//
//   tsx bench/startup.ts [--runs N] [--out FILE] [--git DIR] [--patches N] [--checkpatch PATH]
//
// Runs the compiled bin (bin/patch-review.js -> dist/; `npm run build` first), never tsx. Each command
// runs once unmeasured, then N times; medians of wall and CPU (user+sys, from bash's `times` or
// /usr/bin/time) are reported, and ratios patch-review / checkpatch.pl per patch. `--git DIR` (default: the Xen
// mirror when present) gives the spread of typical patches: the most recent non-merge commits touching
// C files, as format-patch writes them. checkpatch.pl is looked up in --checkpatch, $CHECKPATCH, then
// PATH; without it the ratios are left out and the report says so.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once as runOnce, typicalPatches } from './cli.ts';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/patch-review.js');

interface Sample {
  wallMs: number;
  cpuMs?: number;
}

const once = (cmd: string, args: string[], env?: NodeJS.ProcessEnv): Sample => runOnce(cmd, args, env);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function measure(cmd: string, args: string[], runs: number, env?: NodeJS.ProcessEnv): { wallMs: number; cpuMs?: number } {
  once(cmd, args, env);
  const samples = Array.from({ length: runs }, () => once(cmd, args, env));
  const cpu = samples.flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs]));
  return { wallMs: Math.round(median(samples.map((s) => s.wallMs))), ...(cpu.length > 0 ? { cpuMs: Math.round(median(cpu)) } : {}) };
}

function findCheckpatch(explicit: string | undefined): string | undefined {
  for (const c of [explicit, process.env.CHECKPATCH]) if (c && existsSync(c)) return c;
  try {
    return execFileSync('sh', ['-c', 'command -v checkpatch.pl'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}


function withoutExtraCa(): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _dropped, ...env } = process.env;
  return env;
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

export async function runStartupBench(argv: string[]): Promise<object> {
  const runs = Number(arg(argv, 'runs') ?? 7);
  const out = arg(argv, 'out') ?? join(root, 'bench/results/startup.json');
  const xen = '/work/.mirror/xen-project+xen/repo';
  const gitDir = arg(argv, 'git') ?? (existsSync(xen) ? xen : undefined);
  const patchCount = Number(arg(argv, 'patches') ?? 20);
  if (!existsSync(join(root, 'dist/src/cli/run.js'))) throw new Error('dist/ is missing: run `npm run build` first (the bench measures the installed command)');
  const seed = join(root, 'test/fixtures/seed-000.txt');
  const node = process.execPath;
  const result: Record<string, unknown> = {
    date: new Date().toISOString(),
    env: { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, loadavg: (await import('node:os')).loadavg() },
    runs,
    // Node parses NODE_EXTRA_CA_CERTS at every start (~50 ms of CPU for a system bundle): say so, and what Node costs without it.
    ...(process.env.NODE_EXTRA_CA_CERTS ? { nodeExtraCaCerts: process.env.NODE_EXTRA_CA_CERTS, nodeWithoutExtraCa: measure(node, ['-e', '0'], runs, withoutExtraCa()) } : {}),
    node: measure(node, ['-e', '0'], runs),
    version: measure(node, [bin, '--version'], runs),
    rules: measure(node, [bin, 'rules'], runs),
    checkSeed000: measure(node, [bin, 'check', seed, '--no-config', '--no-tree'], runs),
  };
  const checkpatch = findCheckpatch(arg(argv, 'checkpatch'));
  if (gitDir) {
    const dir = mkdtempSync(join(tmpdir(), 'pr-startup-patches-'));
    try {
      const patches = typicalPatches(gitDir, patchCount, dir);
      const rows = patches.map((p) => {
        const ours = measure(node, [bin, 'check', p, '--no-config', '--no-tree'], Math.max(3, Math.floor(runs / 2)));
        const theirs = checkpatch ? measure('perl', [checkpatch, '--no-tree', '-q', p], Math.max(3, Math.floor(runs / 2))) : undefined;
        return { patch: p.split('/').pop(), patchReview: ours, ...(theirs ? { checkpatch: theirs, ratioWall: +(ours.wallMs / theirs.wallMs).toFixed(2) } : {}) };
      });
      result.typicalPatches = { source: gitDir, count: rows.length, medianWallMs: median(rows.map((r) => r.patchReview.wallMs)), rows };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  result.checkpatch = checkpatch ?? 'not found (--checkpatch PATH or $CHECKPATCH): no ratios';
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = (await runStartupBench(process.argv.slice(2))) as Record<string, unknown>;
  const line = (name: string): string => {
    const m = result[name] as { wallMs: number; cpuMs?: number };
    return `${name.padEnd(14)} wall ${String(m.wallMs).padStart(5)} ms${m.cpuMs !== undefined ? `   cpu ${String(m.cpuMs).padStart(5)} ms` : ''}`;
  };
  process.stdout.write(`${['node', ...(result.nodeWithoutExtraCa ? ['nodeWithoutExtraCa'] : []), 'version', 'rules', 'checkSeed000'].map(line).join('\n')}\n`);
  const typical = result.typicalPatches as { count: number; medianWallMs: number; rows: { ratioWall?: number }[] } | undefined;
  if (typical) {
    const ratios = typical.rows.flatMap((r) => (r.ratioWall === undefined ? [] : [r.ratioWall]));
    process.stdout.write(
      `typical patches: ${typical.count}, median wall ${Math.round(typical.medianWallMs)} ms` +
        (ratios.length > 0 ? `; ratio to checkpatch.pl: median ${median(ratios)}, max ${Math.max(...ratios)}` : '') +
        '\n',
    );
  }
  process.stdout.write(`checkpatch: ${String(result.checkpatch)}\n`);
}
