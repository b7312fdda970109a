// `npm run bench:startup`: how long the installed command takes as a whole process (what a user waits
// for), against Node itself and, when it is available, checkpatch.pl on the same patches. The short form
// of the full bench's CLI rows (bench/cli.ts, the same code): fewer runs, plus `rules`, and each typical
// patch a second time without NODE_EXTRA_CA_CERTS when the environment sets it.
//
//   tsx bench/startup.ts [--runs N] [--out FILE] [--git DIR] [--patches N] [--checkpatch PATH]
//
// Runs the compiled bin (bin/patch-review.js -> dist/; `npm run build` first), never tsx. Each command runs
// once unmeasured, then N times; CPU is user + sys of the whole process (bash's `times`), medians. `--git
// DIR` (default $BENCH_XEN_GIT or the Xen mirror when present) gives the spread of typical patches: the
// most recent non-merge commits touching C files, as format-patch writes them. checkpatch.pl is looked up
// in --checkpatch, $CHECKPATCH, then PATH; it runs on the same patch interleaved run by run, and each patch
// gets the ratio of the two CPU medians. Without it the ratios are left out and the report says so.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCli, BIN, WITHOUT_EXTRA_CA, XEN_GIT, type CliResult, type TypicalSummary } from './cli.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

function findCheckpatch(explicit: string | undefined): string | undefined {
  for (const c of [explicit, process.env.CHECKPATCH]) if (c && existsSync(c)) return c;
  try {
    return execFileSync('sh', ['-c', 'command -v checkpatch.pl'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

export function runStartupBench(argv: string[]): CliResult & { date: string; env: object } {
  const runs = Number(arg(argv, 'runs') ?? 5);
  const out = arg(argv, 'out') ?? join(root, 'bench/results/startup.json');
  const git = arg(argv, 'git') ?? (existsSync(XEN_GIT) ? XEN_GIT : undefined);
  if (!existsSync(join(root, 'dist/src/cli/run.js'))) throw new Error('dist/ is missing: run `npm run build` first (the bench measures the installed command)');
  const env = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, loadavgAtStart: loadavg() };
  const cli = benchCli({
    runs,
    checkpatch: findCheckpatch(arg(argv, 'checkpatch')),
    typical: git ? { git, count: Number(arg(argv, 'patches') ?? 20) } : false,
    typicalWithoutExtraCa: true,
    more: [{ name: 'patch-review rules', cmd: BIN, args: ['rules'] }],
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const result = { date: new Date().toISOString(), env: { ...env, loadavgAtEnd: loadavg() }, ...cli };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

function summaryLine(label: string, t: TypicalSummary | undefined): string {
  if (!t) return '';
  const r = t.ratio;
  return `${label}: ${t.count} patches, median CPU ${t.cpuMsMedian} ms${r ? `; CPU ratio to checkpatch.pl: median ${r.median}, worst ${r.max}, at or below on ${r.atOrBelow} of ${t.count}` : ''}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = runStartupBench(process.argv.slice(2));
  if (result.status !== 'ok') throw new Error(result.reason);
  const lines = result.rows
    .filter((r) => !r.name.startsWith('typical '))
    .map((r) => `${r.name.padEnd(62)} cpu ${String(r.cpuMs?.median ?? '-').padStart(5)} ms   wall ${String(r.wallMs.median).padStart(5)} ms`);
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const r of result.rows.filter((x) => x.name.startsWith('typical '))) {
    const cp = r.checkpatch ? `   checkpatch.pl ${String(r.checkpatch.cpuMs?.median ?? r.checkpatch.wallMs.median).padStart(5)} ms   ratio ${r.ratioToCheckpatch}` : '';
    process.stdout.write(`${r.name.padEnd(62)} cpu ${String(r.cpuMs?.median ?? '-').padStart(5)} ms${cp}\n`);
  }
  process.stdout.write(summaryLine('typical patches', result.typical));
  process.stdout.write(summaryLine(`typical patches${WITHOUT_EXTRA_CA}`, result.typicalWithoutExtraCa));
  process.stdout.write(`checkpatch: ${result.checkpatch ?? 'not found (--checkpatch PATH or $CHECKPATCH): no ratios'}\n`);
}
