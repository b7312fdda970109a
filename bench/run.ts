// `npm run bench`: how long a review takes and how much memory it uses, on the bundled seeds and a
// synthetic stress input. Speed is measured here, never asserted by tests.
//
//   tsx bench/run.ts [--runs N] [--out FILE] [--inputs a,b,...]
//
// Each input gets one unmeasured warm-up run, then N measured runs; the report gives the median,
// min and max of every measure. Exit status: 0 done, 1 done but an input failed, 2 usage error.
import { mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { review } from '../src/default-review.ts';
import { parsePatchInput } from '../src/patch/index.ts';
import { buildCModel } from '../src/c/index.ts';
import { benchSimulate } from '../src/sim/bench.ts';
import { VERSION } from '../src/version.ts';
import { stressPatch } from './stress.ts';

// ---------------------------------------------------------------------------------------------
// Inputs

export interface BenchInput {
  name: string;
  /** What the input is, for the table. */
  kind: string;
  load: () => string | Buffer;
}

const fixture = (file: string) => (): Buffer => readFileSync(new URL(`../test/fixtures/${file}`, import.meta.url));

export const DEFAULT_INPUTS: BenchInput[] = [
  { name: 'seed-000', kind: 'quoted review reply', load: fixture('seed-000.txt') },
  { name: 'seed-004', kind: 'flattened commit mail', load: fixture('seed-004.txt') },
  { name: 'seed-000-recovered', kind: 'unified diff', load: fixture('seed-000-recovered.patch') },
  { name: 'stress', kind: 'synthetic, 200 functions', load: () => stressPatch(200) },
];

/** The input whose touched functions are simulated one by one. */
export const SIM_INPUT = 'seed-000';

export const DEFAULT_OUT = fileURLToPath(new URL('./results/latest.json', import.meta.url));

// ---------------------------------------------------------------------------------------------
// Result shape (bench/results/latest.json)

export interface Summary {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export interface InputResult {
  name: string;
  kind: string;
  bytes: number;
  status: 'ok' | 'error';
  error?: string;
  stats?: { patches: number; files: number; functions: number; findings: number; candidates: number; pathsSimulated: number };
  /** review() wall time as seen by the caller, and the stage times it reports. */
  wallMs?: Summary;
  parseMs?: Summary;
  modelMs?: Summary;
  rulesMs?: Summary;
  totalMs?: Summary;
  /** Highest values seen while this input ran (sampled between runs and on a 5 ms timer). */
  memory?: { peakRssBytes: number; peakHeapUsedBytes: number };
}

export interface SimRow {
  file: string;
  name: string;
  side: 'pre' | 'post';
  status: 'complete' | 'inconclusive' | 'error';
  reason?: string;
  paths: number;
  steps: number;
  /** true when paths or steps differed between runs (the simulator should be deterministic). */
  unstable?: boolean;
  ms: Summary;
}

export interface SimResult {
  input: string;
  status: 'ok' | 'error' | 'skipped';
  error?: string;
  functions: SimRow[];
  /** Sum over all rows of each run's time. */
  totalMs?: Summary;
  paths: number;
  steps: number;
}

export interface BenchResult {
  schema: 1;
  tool: { name: 'patch-review'; version: string };
  env: { node: string; platform: string; arch: string; cpu: string; cpuCount: number; totalMemBytes: number };
  date: string;
  runs: number;
  warmup: number;
  inputs: InputResult[];
  simulation: SimResult;
  ratios: Record<string, number | null>;
  memory: { peakRssBytes: number; peakHeapUsedBytes: number; maxRssBytes: number };
  out: string;
}

export interface BenchOptions {
  runs?: number;
  /** Names from DEFAULT_INPUTS, or inputs of your own. Default: all of DEFAULT_INPUTS. */
  inputs?: (string | BenchInput)[];
  /** Where to write the JSON; default bench/results/latest.json. */
  out?: string;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

// ---------------------------------------------------------------------------------------------
// Measuring

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n === 0 ? NaN : n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return { median: r2(median), min: r2(sorted[0] ?? NaN), max: r2(sorted[n - 1] ?? NaN), samples: samples.map(r2) };
}

const r2 = (x: number): number => Math.round(x * 100) / 100;
const errorText = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/** Peak memory, sampled on demand and on a timer (the timer only fires between synchronous stretches). */
class MemorySampler {
  rss = 0;
  heap = 0;
  private timer: NodeJS.Timeout | undefined;
  sample(): void {
    const m = process.memoryUsage();
    if (m.rss > this.rss) this.rss = m.rss;
    if (m.heapUsed > this.heap) this.heap = m.heapUsed;
  }
  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), 5);
    this.timer.unref();
    return this;
  }
  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }
}

function resolveInputs(list: (string | BenchInput)[] | undefined): BenchInput[] {
  if (!list) return DEFAULT_INPUTS;
  return list.map((item) => {
    if (typeof item !== 'string') return item;
    const found = DEFAULT_INPUTS.find((i) => i.name === item);
    if (!found) throw new UsageError(`unknown input "${item}" (known: ${DEFAULT_INPUTS.map((i) => i.name).join(', ')})`);
    return found;
  });
}

async function benchReview(input: BenchInput, runs: number, overall: MemorySampler): Promise<InputResult> {
  const mem = new MemorySampler().start();
  const base = { name: input.name, kind: input.kind, bytes: 0 };
  try {
    const text = input.load();
    base.bytes = Buffer.byteLength(text);
    const wall: number[] = [];
    const parse: number[] = [];
    const model: number[] = [];
    const rules: number[] = [];
    const total: number[] = [];
    let last: Awaited<ReturnType<typeof review>> | undefined;
    for (let run = -1; run < runs; run++) {
      const t0 = performance.now();
      const r = await review(text);
      const ms = performance.now() - t0;
      mem.sample();
      overall.sample();
      if (run < 0) continue; // warm-up
      wall.push(ms);
      parse.push(r.stats.times.parseMs);
      model.push(r.stats.times.modelMs);
      rules.push(r.stats.times.rulesMs);
      total.push(r.stats.times.totalMs);
      last = r;
      await new Promise((done) => setImmediate(done)); // let the sampler and GC breathe between runs
    }
    mem.stop();
    const s = last!.stats;
    return {
      ...base,
      status: 'ok',
      stats: {
        patches: s.patches,
        files: s.files,
        functions: s.functions,
        findings: last!.findings.length,
        candidates: s.candidates,
        pathsSimulated: s.pathsSimulated,
      },
      wallMs: summarize(wall),
      parseMs: summarize(parse),
      modelMs: summarize(model),
      rulesMs: summarize(rules),
      totalMs: summarize(total),
      memory: { peakRssBytes: mem.rss, peakHeapUsedBytes: mem.heap },
    };
  } catch (error) {
    mem.stop();
    return { ...base, status: 'error', error: errorText(error) };
  }
}

/** Every touched function's post and pre image, simulated on its own through benchSimulate. */
async function benchSimulation(input: BenchInput, runs: number, overall: MemorySampler): Promise<SimResult> {
  const result: SimResult = { input: input.name, status: 'ok', functions: [], paths: 0, steps: 0 };
  try {
    const set = await parsePatchInput(input.load());
    const images = set.patches
      .filter((p) => !p.isCoverLetter)
      .flatMap((patch) =>
        buildCModel(patch).files.flatMap((file) =>
          file.functions.flatMap((fn) =>
            [fn.post, fn.pre].flatMap((image) => (image ? [{ file: file.path, image }] : [])),
          ),
        ),
      );
    const times = images.map((): number[] => []);
    const first: (SimRow | undefined)[] = images.map(() => undefined);
    const totals: number[] = [];
    for (let run = -1; run < runs; run++) {
      let sum = 0;
      images.forEach(({ file, image }, i) => {
        let row: Omit<SimRow, 'ms'>;
        let ms: number;
        try {
          const [entry] = benchSimulate([image]);
          row = { file, name: entry!.name, side: image.side, status: entry!.status, paths: entry!.paths, steps: entry!.steps };
          if (entry!.reason) row.reason = entry!.reason;
          ms = entry!.millis;
        } catch (error) {
          row = { file, name: image.name, side: image.side, status: 'error', reason: errorText(error), paths: 0, steps: 0 };
          ms = NaN;
        }
        sum += Number.isNaN(ms) ? 0 : ms;
        if (run < 0) return;
        times[i]!.push(ms);
        const seen = first[i];
        if (!seen) first[i] = { ...row, ms: summarize([]) };
        else if (seen.paths !== row.paths || seen.steps !== row.steps) seen.unstable = true;
      });
      overall.sample();
      if (run >= 0) totals.push(sum);
    }
    result.functions = first.map((row, i) => ({ ...row!, ms: summarize(times[i]!.filter((t) => !Number.isNaN(t))) }));
    result.totalMs = summarize(totals);
    result.paths = result.functions.reduce((a, r) => a + r.paths, 0);
    result.steps = result.functions.reduce((a, r) => a + r.steps, 0);
  } catch (error) {
    result.status = 'error';
    result.error = errorText(error);
  }
  return result;
}

function ratios(inputs: InputResult[], sim: SimResult): Record<string, number | null> {
  const ok = (name: string) => inputs.find((i) => i.name === name && i.status === 'ok');
  const div = (a: number | undefined, b: number | undefined): number | null =>
    a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0 ? null : r2(a / b);
  const seed = ok('seed-000');
  const recovered = ok('seed-000-recovered');
  const stress = ok('stress');
  const seedFns = seed?.stats?.functions;
  return {
    // What reading a quoted reply costs over the same patch as a clean diff.
    'seed-000 / seed-000-recovered (review total)': div(seed?.totalMs?.median, recovered?.totalMs?.median),
    'seed-000 / seed-000-recovered (parse)': div(seed?.parseMs?.median, recovered?.parseMs?.median),
    'seed-000 review ms per function': div(seed?.totalMs?.median, seedFns),
    'stress review ms per function': div(stress?.totalMs?.median, stress?.stats?.functions),
    'stress model ms per function': div(stress?.modelMs?.median, stress?.stats?.functions),
    'stress rules ms per function': div(stress?.rulesMs?.median, stress?.stats?.functions),
    // Per function, how much the synthetic functions cost against the seed's real ones.
    'stress / seed-000 (review ms per function)': div(
      div(stress?.totalMs?.median, stress?.stats?.functions) ?? undefined,
      div(seed?.totalMs?.median, seedFns) ?? undefined,
    ),
    // The plain pre+post simulation of every touched function against the whole review of seed-000.
    'seed-000 simulation share of review total': sim.status === 'ok' && sim.input === 'seed-000' ? div(sim.totalMs?.median, seed?.totalMs?.median) : null,
  };
}

export async function runBench(options: BenchOptions = {}): Promise<BenchResult> {
  const runs = options.runs ?? 7;
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`runs must be a positive integer, not ${runs}`);
  const inputs = resolveInputs(options.inputs);
  const out = resolve(options.out ?? DEFAULT_OUT);
  const log = options.log ?? (() => {});
  const overall = new MemorySampler().start();
  const results: InputResult[] = [];
  try {
    for (const input of inputs) {
      log(`review ${input.name}: warm-up + ${runs} run${runs === 1 ? '' : 's'}`);
      results.push(await benchReview(input, runs, overall));
    }
    const simInput = inputs.find((i) => i.name === SIM_INPUT);
    let simulation: SimResult = { input: SIM_INPUT, status: 'skipped', functions: [], paths: 0, steps: 0 };
    if (simInput) {
      log(`simulate ${simInput.name}: warm-up + ${runs} run${runs === 1 ? '' : 's'}`);
      simulation = await benchSimulation(simInput, runs, overall);
    }
    overall.stop();
    const cpu = cpus();
    const result: BenchResult = {
      schema: 1,
      tool: { name: 'patch-review', version: VERSION },
      env: {
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        cpu: cpu[0]?.model.trim() ?? 'unknown',
        cpuCount: cpu.length,
        totalMemBytes: totalmem(),
      },
      date: new Date().toISOString(),
      runs,
      warmup: 1,
      inputs: results,
      simulation,
      ratios: ratios(results, simulation),
      memory: {
        peakRssBytes: overall.rss,
        peakHeapUsedBytes: overall.heap,
        maxRssBytes: process.resourceUsage().maxRSS * 1024, // the process's true peak, from getrusage
      },
      out,
    };
    mkdirSync(dirname(out), { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(result, null, 2) + '\n');
    renameSync(tmp, out);
    return result;
  } finally {
    overall.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// The readable report

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const ms = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(x < 10 ? 2 : 1));
const range = (s: Summary | undefined): string => (s ? `${ms(s.median)} (${ms(s.min)}..${ms(s.max)})` : '-');

function table(header: string[], rows: string[][], right: Set<number>): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatReport(result: BenchResult): string {
  const out: string[] = [];
  out.push(
    `patch-review ${result.tool.version} bench  ${result.date}`,
    `node ${result.env.node} ${result.env.platform}/${result.env.arch}, ${result.env.cpu} x${result.env.cpuCount}`,
    `${result.runs} measured run${result.runs === 1 ? '' : 's'} per input after ${result.warmup} warm-up; times in ms: wall is review() seen by the caller, median (min..max);`,
    'parse/model/rules are the medians of the stage times review() reports (min/max in the JSON)',
    '',
  );
  out.push(
    table(
      ['input', 'kind', 'bytes', 'fns', 'paths', 'findings', 'wall', 'parse', 'model', 'rules', 'peak RSS', 'peak heap'],
      result.inputs.map((i) =>
        i.status === 'error'
          ? [i.name, i.kind, String(i.bytes), 'ERROR', i.error ?? '', '', '', '', '', '', '', '']
          : [
              i.name,
              i.kind,
              String(i.bytes),
              String(i.stats!.functions),
              String(i.stats!.pathsSimulated),
              String(i.stats!.findings),
              range(i.wallMs),
              ms(i.parseMs?.median),
              ms(i.modelMs?.median),
              ms(i.rulesMs?.median),
              mb(i.memory!.peakRssBytes),
              mb(i.memory!.peakHeapUsedBytes),
            ],
      ),
      new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
    ),
    '',
  );
  const sim = result.simulation;
  if (sim.status === 'ok') {
    out.push(`simulation of ${sim.input}, each touched function's post and pre image alone (benchSimulate, default budget):`);
    const names = [...new Set(sim.functions.map((f) => `${f.file}\0${f.name}`))];
    const cells = (f: SimRow | undefined): string[] =>
      f ? [String(f.paths), String(f.steps), range(f.ms) + (f.status === 'complete' ? '' : ` ${f.status}`) + (f.unstable ? ' unstable' : '')] : ['', '', '-'];
    out.push(
      table(
        ['function', 'post paths', 'steps', 'ms', 'pre paths', 'steps', 'ms'],
        names.map((key) => {
          const of = (side: 'pre' | 'post') => sim.functions.find((f) => `${f.file}\0${f.name}` === key && f.side === side);
          return [key.split('\0')[1]!, ...cells(of('post')), ...cells(of('pre'))];
        }),
        new Set([1, 2, 4, 5]),
      ),
      `total: ${sim.functions.length} images, ${sim.paths} paths, ${sim.steps} steps, ${range(sim.totalMs)} ms per run`,
    );
    const odd = sim.functions.filter((f) => f.reason);
    for (const f of odd) out.push(`  ${f.name} (${f.side}): ${f.reason}`);
    out.push('');
  } else if (sim.status === 'error') {
    out.push(`simulation of ${sim.input}: ERROR ${sim.error}`, '');
  }
  out.push('ratios (of medians):');
  const width = Math.max(...Object.keys(result.ratios).map((k) => k.length));
  for (const [k, v] of Object.entries(result.ratios)) out.push(`  ${k.padEnd(width)}  ${v === null ? '-' : v.toFixed(2)}`);
  out.push(
    '',
    `memory: peak RSS sampled ${mb(result.memory.peakRssBytes)}, process max RSS ${mb(result.memory.maxRssBytes)}, peak heap used ${mb(result.memory.peakHeapUsedBytes)}`,
    `written to ${result.out}`,
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// CLI

export class UsageError extends Error {
  override name = 'UsageError';
}

const USAGE = 'usage: tsx bench/run.ts [--runs N] [--out FILE] [--inputs name,name,...]';

export function parseArgs(argv: string[]): BenchOptions & { help?: boolean } {
  const options: BenchOptions & { help?: boolean } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (flag !== arg) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--runs': {
        const v = value();
        if (!/^[1-9]\d*$/.test(v)) throw new UsageError(`--runs takes a positive integer, not "${v}"`);
        options.runs = Number(v);
        break;
      }
      case '--out':
        options.out = value();
        break;
      case '--inputs':
        options.inputs = value().split(',').map((s) => s.trim()).filter(Boolean);
        resolveInputs(options.inputs);
        break;
      case '-h':
      case '--help':
        options.help = true;
        break;
      default:
        throw new UsageError(`unknown argument "${arg}"`);
    }
  }
  return options;
}

async function main(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\ninputs: ${DEFAULT_INPUTS.map((i) => i.name).join(', ')}\n`);
    return 0;
  }
  const result = await runBench({ ...options, log: (line) => process.stderr.write(`bench: ${line}\n`) });
  process.stdout.write(formatReport(result) + '\n');
  const failed = result.inputs.filter((i) => i.status === 'error').length + (result.simulation.status === 'error' ? 1 : 0);
  return failed > 0 ? 1 : 0;
}

const invokedDirectly = (() => {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
})();

if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
