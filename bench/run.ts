// `npm run bench`: the one harness that says how fast, how it grows and how it holds. Speed is
// measured here, never asserted by tests.
//
//   tsx bench/run.ts [--runs N] [--out FILE] [--inputs a,b,...] [--no-cli] [--no-api] [--checkpatch PATH]
//
// In one process: every input (seeds, real-like fixtures, the generated ladders of bench/ladder.ts)
// gets one unmeasured warm-up review, then N measured ones (fewer on the largest ladder steps); the
// report gives median, min and max of wall and CPU time, the stage times, peak memory, paths
// simulated, the ratio to a bare tree-sitter parse of the same text and the growth per ladder step.
// Then the installed command as a whole process (bench/cli.ts) and the API under autocannon
// (bench/api.ts). Writes bench/results/latest.json and latest.md. Exit status: 0 done, 1 done but
// an input failed, 2 usage error.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { review } from '../src/default-review.ts';
import type { ReviewOptions } from '../src/review/types.ts';
import { parsePatchInput } from '../src/patch/index.ts';
import { buildCModel } from '../src/c/index.ts';
import { benchSimulate } from '../src/sim/bench.ts';
import { VERSION } from '../src/version.ts';
import { parseTreeSitter } from '../src/c/parser.ts';
import { applyReviewTiering } from '../src/pool/tiering.ts';
import { stressPatch } from './stress.ts';
import { CHECK_STEPS, checksLadder, HUNK_STEPS, hunkLadder } from './ladder.ts';
import { benchCli, type CliResult } from './cli.ts';
import { benchApi, type ApiResult } from './api.ts';

// ---------------------------------------------------------------------------------------------
// Inputs

export interface BenchInput {
  name: string;
  /** What the input is, for the table. */
  kind: string;
  load: () => string | Buffer;
  /** Measured runs at most (the largest ladder steps take seconds each). */
  maxRuns?: number;
  /** Ladder this input is a step of, and its size on that ladder. */
  ladder?: { name: string; size: number };
  /** Review options (tree mode). */
  options?: ReviewOptions;
}

/**
 * The Xen 4.6.0 checkout the seed was written against, for the tree-mode rows (the seed's 12 files):
 * $BENCH_XEN_TREE, default /tmp/xen-4.6.0, e.g. made with
 * `git --git-dir=<xen mirror> archive RELEASE-4.6.0 | tar -x -C /tmp/xen-4.6.0`. Absent: no tree-mode rows.
 */
export const XEN_TREE = process.env.BENCH_XEN_TREE ?? '/tmp/xen-4.6.0';
export const hasXenTree = (): boolean => existsSync(`${XEN_TREE}/xen`);

const fixture = (file: string) => (): Buffer => readFileSync(new URL(`../test/fixtures/${file}`, import.meta.url));

export const DEFAULT_INPUTS: BenchInput[] = [
  { name: 'seed-000', kind: 'quoted review reply', load: fixture('seed-000.txt') },
  ...(hasXenTree() ? [{ name: 'seed-000-tree', kind: 'tree mode (Xen 4.6.0)', load: fixture('seed-000.txt'), options: { tree: XEN_TREE }, maxRuns: 3 }] : []),
  { name: 'seed-004', kind: 'flattened commit mail', load: fixture('seed-004.txt') },
  { name: 'seed-000-recovered', kind: 'unified diff', load: fixture('seed-000-recovered.patch') },
  { name: 'seed-002', kind: 'review reply', load: fixture('seed-002.txt') },
  { name: 'seed-003', kind: 'review reply', load: fixture('seed-003.txt') },
  { name: 'small', kind: 'smallest: one-hunk diff', load: fixture('api/small.patch') },
  { name: 'format-patch', kind: 'real-like: format-patch', load: fixture('patch/format-patch.patch') },
  { name: 'series', kind: 'real-like: mbox series', load: fixture('patch/series.mbox') },
  { name: 'mangled-reply', kind: 'real-like: mangled reply', load: fixture('patch/mangled-reply.txt') },
  { name: 'mime-qp', kind: 'real-like: quoted-printable mail', load: fixture('patch/mime-qp.eml') },
  { name: 'stress', kind: 'synthetic, 200 functions', load: () => stressPatch(200), maxRuns: 3 },
  ...HUNK_STEPS.map((n) => ({
    name: `hunks-${n}`,
    kind: `ladder: ${n} hunk${n === 1 ? '' : 's'}`,
    load: () => hunkLadder(n),
    ladder: { name: 'hunks', size: n },
    ...(n >= 1000 ? { maxRuns: 2 } : n >= 100 ? { maxRuns: 3 } : {}),
  })),
  ...CHECK_STEPS.map((n) => ({
    name: `checks-${n}`,
    kind: `ladder: ${n} error checks`,
    load: () => checksLadder(n),
    ladder: { name: 'checks', size: n },
    ...(n >= 500 ? { maxRuns: 2 } : {}),
  })),
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
  /** Process CPU (user + sys) spent in review(): the measure that holds on a loaded machine. */
  cpuMs?: Summary;
  /** A bare tree-sitter parse of the same text (the whole input), and review CPU / parse CPU. */
  bareParseMs?: Summary;
  ratioToBareParse?: number | null;
  /** Heap used after a forced GC before the first and after the last measured run: flat means no leak. */
  heapAfterGc?: { firstBytes: number; lastBytes: number };
  runs?: number;
  ladder?: { name: string; size: number };
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

export interface LadderStep {
  size: number;
  input: string;
  cpuMs: number | null;
  /** cpu(step) / cpu(previous step), and that divided by the size factor (1: linear, > 1: worse). */
  growth: number | null;
  growthPerUnit: number | null;
  /** The stage that grew most, when growthPerUnit > 1.5. */
  slowestStage?: string;
  peakRssBytes?: number;
}

export interface BenchResult {
  schema: 1;
  tool: { name: 'patch-review'; version: string };
  env: { node: string; platform: string; arch: string; cpu: string; cpuCount: number; totalMemBytes: number; loadavgStart: number[]; loadavgEnd: number[] };
  date: string;
  runs: number;
  warmup: number;
  inputs: InputResult[];
  simulation: SimResult;
  ratios: Record<string, number | null>;
  ladders: Record<string, LadderStep[]>;
  cli: CliResult | { status: 'skipped'; reason: string };
  api: ApiResult | { status: 'skipped'; reason: string };
  memory: {
    peakRssBytes: number;
    peakHeapUsedBytes: number;
    maxRssBytes: number;
    /**
     * The 1 000-hunk ladder step reviewed three times in a process of its own (the compiled dist/, no tsx): its
     * peak RSS is the review's footprint, not that of a bench process that already ran every other input.
     * `hunks1000FreshProcess` reviews in the process's thread with V8's default heap; `hunks1000FreshWorker` in
     * a pool of one review worker, as the API and the bot run reviews (src/pool's heap bounds).
     */
    hunks1000FreshProcess?: FreshMemory;
    hunks1000FreshWorker?: FreshMemory;
  };
  out: string;
  /** What the bench called before every measured review to empty the C model's cross-review caches. */
  cachesCleared?: string[];
  /** V8 flags the bench set for its in-process reviews (src/pool/tiering.ts: those of the review workers). */
  v8Flags?: string[];
}

export interface BenchOptions {
  runs?: number;
  /** Names from DEFAULT_INPUTS, or inputs of your own. Default: all of DEFAULT_INPUTS. */
  inputs?: (string | BenchInput)[];
  /** Where to write the JSON; default bench/results/latest.json. */
  out?: string;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
  /** Whole-process runs of the installed command (default true from the command line, false otherwise). */
  cli?: boolean;
  /** The API under autocannon (default true from the command line, false otherwise). */
  api?: boolean;
  /** checkpatch.pl to compare against in the CLI section (also $CHECKPATCH). */
  checkpatch?: string;
  /** Also write the Markdown table next to the JSON (default true). */
  markdown?: boolean;
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

/**
 * Empties the caches that outlive a review (src/pool/caches.ts: the C model's trees, normalised texts and lexed
 * runs by text, the simulator's memos keyed by text), so each measured review pays for its own parse as a new patch does: the
 * bench reviews the same text again and again, and a hit would measure the cache, not a review. Memos keyed by
 * the trees' nodes (ast.descendants, calls.resultUse) go with the trees. Returns what it calls, for the report.
 */
async function modelCacheClearer(): Promise<{ names: string[]; run: () => void }> {
  const { CROSS_REVIEW_CACHES, clearCrossReviewCaches } = await import('../src/pool/caches.ts');
  return { names: [...CROSS_REVIEW_CACHES], run: clearCrossReviewCaches };
}

/** A forced collection (V8's gc exposed at run time), then the heap in use. */
let gcFn: (() => void) | undefined;
function heapAfterGc(): number {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
  return process.memoryUsage().heapUsed;
}

/** What one measurement of the 1 000-hunk step in a process of its own gives. */
export type FreshMemory = { peakRssBytes: number; startRssBytes: number; cpuMs: number[]; peaksAfterEachBytes: number[] } | { error: string };

/** Reviews the fresh-process memory measurements run back to back (repeated reviews must stay flat). */
const FRESH_REVIEWS = 3;

/**
 * Review `text` FRESH_REVIEWS times in a fresh node process running the compiled engine: its peak RSS (getrusage)
 * after each review and CPU. `where: 'process'` calls review() in the process's own thread, with V8's default
 * heap (Node's ~4 GB bound here: V8 lets the old generation grow to ~4x what the last full collection kept
 * before it collects again, so back-to-back reviews stack on the previous ones' garbage); `'worker'` reviews in
 * a pool of one review worker (src/pool: the heap bounds the API and the bot run their reviews with), the
 * process's RSS including its main thread.
 */
function freshProcessMemory(text: string, where: 'process' | 'worker'): FreshMemory {
  const dist = resolve(fileURLToPath(new URL('..', import.meta.url)), 'dist/src');
  const engine = resolve(dist, where === 'process' ? 'default-review.js' : 'pool/index.js');
  if (!existsSync(engine)) return { error: 'dist/ is missing: `npm run build` first' };
  const setup =
    where === 'process'
      ? `const { review: run } = await import(${JSON.stringify(pathToFileURL(engine).href)}); const done = async () => {};
    const { clearCrossReviewCaches: clear } = await import(${JSON.stringify(pathToFileURL(resolve(dist, 'pool/caches.js')).href)});
    const review = (input) => { clear(); return run(input); };`
      : `const { createReviewPool } = await import(${JSON.stringify(pathToFileURL(engine).href)});
    const pool = createReviewPool({ size: 1, maxQueue: 1 }); await pool.warmUp();
    const review = (input) => pool.review(input.toString('utf8')); const done = () => pool.close();`;
  const script = `
    ${setup}
    const input = require('node:fs').readFileSync(0);
    const start = process.memoryUsage().rss; const cpu = []; const peaks = [];
    for (let i = 0; i < ${FRESH_REVIEWS}; i++) {
      const c0 = process.cpuUsage(); await review(input); const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000); peaks.push(process.resourceUsage().maxRSS * 1024);
    }
    await done();
    process.stdout.write(JSON.stringify({ peakRssBytes: process.resourceUsage().maxRSS * 1024, startRssBytes: start, cpuMs: cpu, peaksAfterEachBytes: peaks }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);${script}`], {
    input: text,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  try {
    return JSON.parse(run.stdout) as FreshMemory;
  } catch {
    return { error: `the review process failed (${run.status}): ${run.stderr.trim().slice(-300)}` };
  }
}

function bareParse(text: string, runs: number): Summary {
  parseTreeSitter(text);
  const samples: number[] = [];
  for (let i = 0; i < Math.max(3, runs); i++) {
    const c0 = process.cpuUsage();
    parseTreeSitter(text);
    const c1 = process.cpuUsage(c0);
    samples.push((c1.user + c1.system) / 1000);
  }
  return summarize(samples);
}

export function ladders(inputs: InputResult[]): Record<string, LadderStep[]> {
  const out: Record<string, LadderStep[]> = {};
  for (const i of inputs) {
    if (!i.ladder) continue;
    (out[i.ladder.name] ??= []).push({ size: i.ladder.size, input: i.name, cpuMs: i.cpuMs?.median ?? null, growth: null, growthPerUnit: null, ...(i.memory ? { peakRssBytes: i.memory.peakRssBytes } : {}) });
  }
  for (const steps of Object.values(out)) {
    steps.sort((a, b) => a.size - b.size);
    for (let k = 1; k < steps.length; k++) {
      const prev = steps[k - 1]!;
      const step = steps[k]!;
      if (prev.cpuMs === null || step.cpuMs === null || prev.cpuMs <= 0) continue;
      step.growth = r2(step.cpuMs / prev.cpuMs);
      step.growthPerUnit = r2(step.growth / (step.size / prev.size));
      if (step.growthPerUnit > 1.5) {
        const a = inputs.find((i) => i.name === prev.input)!;
        const b = inputs.find((i) => i.name === step.input)!;
        // The stage that added the most time (not the largest ratio, which a tiny base inflates).
        const stages = (['parseMs', 'modelMs', 'rulesMs'] as const).map((st) => ({ st, from: a[st]?.median ?? 0, to: b[st]?.median ?? 0 }));
        stages.sort((x, y) => y.to - y.from - (x.to - x.from));
        const top = stages[0]!;
        step.slowestStage = `${top.st.replace('Ms', '')}: ${ms(top.from)} → ${ms(top.to)} ms (${r2(top.to / Math.max(top.from, 0.01))}x)`;
      }
    }
  }
  return out;
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
    const runsHere = Math.min(runs, input.maxRuns ?? runs);
    const wall: number[] = [];
    const cpu: number[] = [];
    const parse: number[] = [];
    const model: number[] = [];
    const rules: number[] = [];
    const total: number[] = [];
    let last: Awaited<ReturnType<typeof review>> | undefined;
    let firstHeap = 0;
    const caches = await modelCacheClearer();
    for (let run = -1; run < runsHere; run++) {
      caches.run(); // every review as a new patch: nothing carried over from the previous one (outside the timing)
      if (run === 0) firstHeap = heapAfterGc();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = await review(text, input.options);
      const ms = performance.now() - t0;
      const c1 = process.cpuUsage(c0);
      mem.sample();
      overall.sample();
      if (run < 0) continue; // warm-up
      wall.push(ms);
      cpu.push((c1.user + c1.system) / 1000);
      parse.push(r.stats.times.parseMs);
      model.push(r.stats.times.modelMs);
      rules.push(r.stats.times.rulesMs);
      total.push(r.stats.times.totalMs);
      last = r;
      await new Promise((done) => setImmediate(done)); // let the sampler and GC breathe between runs
    }
    caches.run(); // a bounded cache is no leak: compare the heaps without it
    const lastHeap = heapAfterGc();
    mem.stop();
    const bare = bareParse(typeof text === 'string' ? text : text.toString('utf8'), runsHere);
    const s = last!.stats;
    const cpuSummary = summarize(cpu);
    return {
      ...base,
      status: 'ok',
      runs: runsHere,
      ...(input.ladder ? { ladder: input.ladder } : {}),
      stats: {
        patches: s.patches,
        files: s.files,
        functions: s.functions,
        findings: last!.findings.length,
        candidates: s.candidates,
        pathsSimulated: s.pathsSimulated,
      },
      wallMs: summarize(wall),
      cpuMs: cpuSummary,
      bareParseMs: bare,
      ratioToBareParse: bare.median > 0 ? r2(cpuSummary.median / bare.median) : null,
      heapAfterGc: { firstBytes: firstHeap, lastBytes: lastHeap },
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
    'seed-000 review CPU / bare tree-sitter parse': seed?.ratioToBareParse ?? null,
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
  const runs = options.runs ?? 5;
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`runs must be a positive integer, not ${runs}`);
  const inputs = resolveInputs(options.inputs);
  const out = resolve(options.out ?? DEFAULT_OUT);
  const log = options.log ?? (() => {});
  // The V8 tiering the API's and the bot's review workers run with (the CLI's bin sets the same): set before the
  // first review, so the in-process rows measure what those processes pay.
  const v8Flags = [...applyReviewTiering()];
  const overall = new MemorySampler().start();
  const loadavgStart = loadavg().map(r2);
  const results: InputResult[] = [];
  try {
    for (const input of inputs) {
      const n = Math.min(runs, input.maxRuns ?? runs);
      log(`review ${input.name}: warm-up + ${n} run${n === 1 ? '' : 's'}`);
      results.push(await benchReview(input, runs, overall));
    }
    const simInput = inputs.find((i) => i.name === SIM_INPUT);
    let simulation: SimResult = { input: SIM_INPUT, status: 'skipped', functions: [], paths: 0, steps: 0 };
    if (simInput) {
      log(`simulate ${simInput.name}: warm-up + ${runs} run${runs === 1 ? '' : 's'}`);
      simulation = await benchSimulation(simInput, runs, overall);
    }
    overall.stop();
    const maxRssBytes = process.resourceUsage().maxRSS * 1024; // in-process peak, before the CLI and API runs
    const big = inputs.some((i) => i.name === 'hunks-1000');
    if (big) log(`memory: hunks-1000 reviewed ${FRESH_REVIEWS} times in a process of its own, then in a pool worker`);
    const fresh = big ? freshProcessMemory(hunkLadder(1000), 'process') : undefined;
    const freshWorker = big ? freshProcessMemory(hunkLadder(1000), 'worker') : undefined;
    const cli: BenchResult['cli'] = options.cli
      ? benchCli({ runs: Math.max(3, Math.min(runs, 7)), checkpatch: options.checkpatch ?? process.env.CHECKPATCH, log, ...(hasXenTree() ? { tree: XEN_TREE } : {}) })
      : { status: 'skipped', reason: 'not requested' };
    const api: BenchResult['api'] = options.api ? await benchApi({ log }) : { status: 'skipped', reason: 'not requested' };
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
        loadavgStart,
        loadavgEnd: loadavg().map(r2),
      },
      date: new Date().toISOString(),
      runs,
      warmup: 1,
      inputs: results,
      simulation,
      ratios: ratios(results, simulation),
      ladders: ladders(results),
      cli,
      api,
      memory: {
        peakRssBytes: overall.rss,
        peakHeapUsedBytes: overall.heap,
        maxRssBytes, // the process's true peak, from getrusage
        ...(fresh ? { hunks1000FreshProcess: fresh } : {}),
        ...(freshWorker ? { hunks1000FreshWorker: freshWorker } : {}),
      },
      out,
      cachesCleared: (await modelCacheClearer()).names,
      v8Flags,
    };
    mkdirSync(dirname(out), { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(result, null, 2) + '\n');
    renameSync(tmp, out);
    if (options.markdown !== false) {
      const md = out.replace(/\.json$/, '') + '.md';
      writeFileSync(`${md}.${process.pid}.tmp`, formatMarkdown(result));
      renameSync(`${md}.${process.pid}.tmp`, md);
    }
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

/** The issue's targets against this run (CPU medians in one process; the API as measured). */
function targets(result: BenchResult): string[][] {
  const get = (name: string) => result.inputs.find((i) => i.name === name && i.status === 'ok');
  const rows: string[][] = [];
  const row = (what: string, value: number | undefined, unit: string, ok: (v: number) => boolean) =>
    rows.push([what, value === undefined || Number.isNaN(value) ? '-' : `${r2(value)} ${unit}`.trim(), value === undefined || Number.isNaN(value) ? '-' : ok(value) ? 'yes' : 'no'].map(String));
  const seed = get('seed-000');
  row('seed-000 reviewed in one process ≤ 15 ms (CPU median)', seed?.cpuMs?.median, 'ms', (v) => v <= 15);
  row('seed-000 ≤ 6× its bare parse', seed?.ratioToBareParse ?? undefined, '×', (v) => v <= 6);
  const tree = get('seed-000-tree');
  if (tree) row('tree mode: seed-000 against Xen 4.6.0 < 1 s (CPU median, one process)', tree.cpuMs?.median, 'ms', (v) => v < 1000);
  const top = result.ladders.hunks?.at(-1);
  row('cost linear up to 1 000 hunks (growth / size factor of the last step ≤ 1.5)', top?.growthPerUnit ?? undefined, '', (v) => v <= 1.5);
  const h1000 = get('hunks-1000');
  row('memory < 200 MB for 1 000 hunks (bench process peak RSS while it ran)', h1000?.memory ? h1000.memory.peakRssBytes / 2 ** 20 : undefined, 'MB', (v) => v < 200);
  const fresh = result.memory.hunks1000FreshProcess;
  if (fresh && 'peakRssBytes' in fresh) {
    row(`memory < 200 MB for 1 000 hunks (a process of its own, ${fresh.peaksAfterEachBytes?.length ?? 2} reviews: peak RSS)`, fresh.peakRssBytes / 2 ** 20, 'MB', (v) => v < 200);
  }
  const worker = result.memory.hunks1000FreshWorker;
  if (worker && 'peakRssBytes' in worker) {
    row(`memory < 200 MB for 1 000 hunks (a review worker, as the API and the bot run it, ${worker.peaksAfterEachBytes.length} reviews: process peak RSS)`, worker.peakRssBytes / 2 ** 20, 'MB', (v) => v < 200);
  }
  if (h1000?.heapAfterGc) row('memory flat across repeated reviews (1 000 hunks: heap after GC, last / first)', h1000.heapAfterGc.lastBytes / h1000.heapAfterGc.firstBytes, '×', (v) => v < 1.1);
  const api = result.api;
  if (api.status === 'ok' && 'steady' in api && api.steady) {
    row('API ≥ 250 reviews/s of seed-000', api.steady.throughputPerS, '/s', (v) => v >= 250);
    if (api.steady.capacityPerS !== undefined) row('API ≥ 250 reviews/s: capacity from server CPU per review on idle cores', api.steady.capacityPerS, '/s', (v) => v >= 250);
    row('API p99 < 40 ms', api.steady.latencyMs.p99, 'ms', (v) => v < 40);
    row('API 0 errors (socket errors + non-200 in the steady phase)', api.steady.errors + api.steady.requests - (api.steady.statuses['200'] ?? 0), '', (v) => v === 0);
    const cached = 'steadyCached' in api ? api.steadyCached : undefined;
    if (cached?.capacityPerS !== undefined) row('(not the target: the same with MODEL_CACHE=on, the same text every time) capacity', cached.capacityPerS, '/s', (v) => v >= 250);
    const repeated = 'steadyRepeated' in api ? api.steadyRepeated : undefined;
    if (repeated) {
      row('(not the target: the same patch submitted again, answered from the review cache) reviews/s', repeated.throughputPerS, '/s', (v) => v >= 250);
      row('(not the target: the same patch submitted again, answered from the review cache) p99', repeated.latencyMs.p99, 'ms', (v) => v < 40);
    }
  }
  if (api.status === 'ok' && 'burst' in api && api.burst) {
    const other = Object.entries(api.burst.statuses).filter(([k]) => k !== '200' && k !== '503').reduce((a, [, v]) => a + v, 0);
    row('burst: only 200 or 503 + Retry-After, no socket error (others)', other + api.burst.errors + (api.burst.retryAfter?.without ?? 0), '', (v) => v === 0);
  }
  const cli = result.cli;
  if (cli.status === 'ok' && 'rows' in cli) {
    const r = cli.rows.find((x) => x.name === 'check seed-000');
    if (r?.ratioToCheckpatch !== undefined) row('CLI at or below checkpatch.pl on the seed (CPU ratio)', r.ratioToCheckpatch, '×', (v) => v <= 1);
    else rows.push(['CLI at or below checkpatch.pl on the seed', 'checkpatch.pl not given', '-']);
    row('CLI check seed-000 ≤ 150 ms, whole process (CPU median)', r?.cpuMs?.median, 'ms', (v) => v <= 150);
    const noCa = cli.rows.find((x) => x.name === 'check seed-000 (NODE_EXTRA_CA_CERTS unset)');
    if (noCa) row('(the same where NODE_EXTRA_CA_CERTS is not set: Node parses no extra certificates at start)', noCa.cpuMs?.median, 'ms', (v) => v <= 150);
    if (cli.typical?.ratio) {
      const t = cli.typical;
      row(`CLI at or below checkpatch.pl on each of ${t.count} typical Xen patches (worst CPU ratio; ${t.ratio!.atOrBelow} of ${t.count} at or below, median ${t.ratio!.median})`, t.ratio!.max, '×', (v) => v <= 1);
    }
    const t = cli.rows.find((x) => x.name === 'check seed-000 --tree');
    if (t) row('CLI check seed-000 in tree mode < 1 s, whole process (CPU median)', t.cpuMs?.median, 'ms', (v) => v < 1000);
  }
  return rows;
}

/** bench/results/latest.md: the same numbers as Markdown tables, with the machine, the date and the load. */
export function formatMarkdown(result: BenchResult): string {
  const e = result.env;
  const md = (header: string[], rows: string[][]): string =>
    [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  const out: string[] = [
    `# patch-review ${result.tool.version}: bench results`,
    '',
    `${result.date}; node ${e.node} ${e.platform}/${e.arch}; ${e.cpu} x${e.cpuCount}; ${mb(e.totalMemBytes)} RAM.`,
    `Load average at start ${e.loadavgStart.join(' / ')}, at end ${e.loadavgEnd.join(' / ')} (1/5/15 min): ` +
      (Math.max(...e.loadavgStart, ...e.loadavgEnd) > e.cpuCount
        ? '**taken under load**: the machine was shared, wall times are inflated; CPU times are the meaningful measure.'
        : 'the machine was otherwise idle.'),
    '',
    `Reproduce: \`npm ci && npm run bench\` (builds dist/, then \`tsx bench/run.ts\`; \`--help\` for options; \`CHECKPATCH=/path/to/checkpatch.pl\` adds ratios). See docs/bench.md.`,
    '',
    `## One process: review() (warm-up + up to ${result.runs} runs; ms, median (min..max))`,
    '',
    result.cachesCleared?.length
      ? `Before every review the C model's caches that outlive a review are emptied (${result.cachesCleared.map((n) => `\`${n}()\``).join(', ')}): each review parses its text as a new patch would, none measures a cache hit.`
      : 'Nothing was emptied between runs.',
    '',
    result.v8Flags?.length
      ? `V8 flags of the reviewing processes (src/pool/tiering.ts; the API's and the bot's review workers and the CLI run with them): ${result.v8Flags.map((f) => `\`${f}\``).join(' ')}.`
      : "V8's default flags (PATCH_REVIEW_V8_TIERING=default or a budget given on the command line).",
    '',
    md(
      ['input', 'kind', 'bytes', 'fns', 'paths', 'findings', 'runs', 'CPU', 'wall', 'parse', 'model', 'rules', 'bare parse CPU', 'x bare parse', 'peak RSS', 'heap after GC first→last'],
      result.inputs.map((i) =>
        i.status === 'error'
          ? [i.name, i.kind, String(i.bytes), 'ERROR', (i.error ?? '').replaceAll('|', '\\|'), '', '', '', '', '', '', '', '', '', '', '']
          : [
              i.name,
              i.kind,
              String(i.bytes),
              String(i.stats!.functions),
              String(i.stats!.pathsSimulated),
              String(i.stats!.findings),
              String(i.runs ?? result.runs),
              range(i.cpuMs),
              range(i.wallMs),
              ms(i.parseMs?.median),
              ms(i.modelMs?.median),
              ms(i.rulesMs?.median),
              ms(i.bareParseMs?.median),
              i.ratioToBareParse == null ? '-' : i.ratioToBareParse.toFixed(1),
              mb(i.memory!.peakRssBytes),
              i.heapAfterGc ? `${mb(i.heapAfterGc.firstBytes)} → ${mb(i.heapAfterGc.lastBytes)}` : '-',
            ],
      ),
    ),
    '',
    'parse/model/rules: the stage times review() reports (its `rules` stage includes the simulations). CPU is the process\'s user+sys during review().',
    '',
    '## Growth per ladder step (CPU medians)',
    '',
    md(
      ['ladder', 'size', 'CPU ms', 'growth', 'growth / size factor', 'peak RSS', 'where'],
      Object.entries(result.ladders).flatMap(([name, steps]) =>
        steps.map((st) => [
          name,
          String(st.size),
          ms(st.cpuMs ?? undefined),
          st.growth === null ? '-' : `${st.growth}x`,
          st.growthPerUnit === null ? '-' : String(st.growthPerUnit),
          st.peakRssBytes === undefined ? '-' : mb(st.peakRssBytes),
          st.slowestStage ?? '',
        ]),
      ),
    ),
    '',
    'growth / size factor: 1 is linear, below 1 sub-linear (fixed costs amortised), above 1 super-linear.',
    '',
  ];
  out.push('## Targets (issue 13)', '', md(['target', 'measured', 'met'], targets(result)), '');
  const cli = result.cli;
  out.push('## The installed command, whole process', '');
  if (cli.status === 'ok' && 'rows' in cli) {
    out.push(
      md(
        ['command', 'CPU ms median (min..max)', 'wall ms median (min..max)', 'exit', 'checkpatch.pl CPU ms', 'ratio'],
        cli.rows.map((r) => [
          r.name,
          r.cpuMs ? `${r.cpuMs.median} (${r.cpuMs.min}..${r.cpuMs.max})` : '-',
          `${r.wallMs.median} (${r.wallMs.min}..${r.wallMs.max})`,
          r.statuses.join(','),
          r.checkpatch ? String(r.checkpatch.cpuMs?.median ?? r.checkpatch.wallMs.median) : '-',
          r.ratioToCheckpatch === undefined ? '-' : `${r.ratioToCheckpatch}x`,
        ]),
      ),
      '',
      cli.checkpatch ? `checkpatch.pl: ${cli.checkpatch}, interleaved run by run.` : 'checkpatch.pl: not given (CHECKPATCH=/path or --checkpatch): no ratios.',
      '',
    );
  } else out.push(`skipped: ${cli.reason ?? ''}`, '');
  const api = result.api;
  out.push('## The API: POST /v1/reviews of seed-000 under autocannon, loopback', '');
  if (api.status === 'ok' && 'steady' in api && api.steady && api.burst) {
    const phase = (name: string, p: NonNullable<ApiResult['steady']>) => [
      name,
      String(p.connections),
      String(p.requests),
      p.throughputPerS.toFixed(1),
      String(p.latencyMs.p50),
      String(p.latencyMs.p99),
      Object.entries(p.statuses).map(([k, v]) => `${k}: ${v}`).join(', '),
      String(p.errors),
      p.retryAfter ? `${p.retryAfter.with} with / ${p.retryAfter.without} without` : '-',
    ];
    out.push(
      `${api.workers} workers, queue ${api.queueMax}, \`MODEL_CACHE=off\` (each review parses its texts as a new patch would: the bench sends the same text every time). The \`MODEL_CACHE=on\` row repeats the steady phase on a server with \`MODEL_CACHE=on\` (the default), where every text after the first is a cache hit: not what a new patch costs. The last row repeats it with the review cache on as well (\`REVIEW_CACHE_MB\`, the default): every request after the first is answered from memory, which is what a re-run CI job or a cross-posted patch costs.`,
      '',
      md(
        ['phase', 'connections', 'requests', 'reviews/s', 'p50 ms', 'p99 ms', 'statuses', 'socket errors', '503 Retry-After', 'server CPU per review'],
        [
          [...phase('steady', api.steady), api.steady.cpuMsPerReview === undefined ? '-' : `${api.steady.cpuMsPerReview} ms`],
          [...phase('burst', api.burst), '-'],
          ...(api.steadyCached ? [[...phase('steady, MODEL_CACHE=on', api.steadyCached), api.steadyCached.cpuMsPerReview === undefined ? '-' : `${api.steadyCached.cpuMsPerReview} ms`]] : []),
          ...(api.steadyRepeated ? [[...phase('steady, review cache on (same patch again)', api.steadyRepeated), api.steadyRepeated.cpuMsPerReview === undefined ? '-' : `${api.steadyRepeated.cpuMsPerReview} ms`]] : []),
        ],
      ),
      '',
    );
    if (api.steady.cpuMsPerReview !== undefined && api.steady.cpuByThread) {
      const ok = api.steady.statuses['200'] ?? 0;
      out.push(
        `Server CPU per review (all threads): ${api.steady.cpuMsPerReview} ms, of which the main thread (HTTP, rendering, logging) ${r2(api.steady.cpuByThread.main / Math.max(ok, 1))} ms; on ${cpus().length} idle cores that is ${api.steady.capacityPerS} reviews/s (wall-clock throughput above is the loaded machine's).`,
        '',
      );
    }
    if (api.memory) {
      out.push(
        `Server RSS: ${mb(api.memory.baselineRssBytes)} after warm-up, ${mb(api.memory.afterLoadRssBytes)} after the load, ${mb(api.memory.settledRssBytes)} after 5 s idle (${api.memory.settledOverBaseline}x baseline).`,
        '',
      );
    }
  } else out.push(`${api.status}: ${'reason' in api ? (api.reason ?? '') : ''}`, '');
  out.push(
    '## Memory of the bench process',
    '',
    `peak RSS sampled ${mb(result.memory.peakRssBytes)}, process max RSS ${mb(result.memory.maxRssBytes)}, peak heap used ${mb(result.memory.peakHeapUsedBytes)}.`,
    '',
  );
  const freshLine = (what: string, m: FreshMemory | undefined): void => {
    if (!m) return;
    if ('error' in m) out.push(`- ${what}: ${m.error}`);
    else out.push(`- ${what}: peak RSS after each review ${m.peaksAfterEachBytes.map(mb).join(', ')} (${mb(m.startRssBytes)} before the first); CPU ${m.cpuMs.map((c) => `${Math.round(c)} ms`).join(', ')}`);
  };
  if (result.memory.hunks1000FreshProcess || result.memory.hunks1000FreshWorker) {
    out.push('## hunks-1000 in a process of its own', '');
    freshLine('review() in the process\'s thread, V8\'s default heap', result.memory.hunks1000FreshProcess);
    freshLine('in a pool of one review worker (src/pool heap bounds: the API and the bot)', result.memory.hunks1000FreshWorker);
    out.push('');
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// CLI

export class UsageError extends Error {
  override name = 'UsageError';
}

const USAGE = 'usage: tsx bench/run.ts [--runs N] [--out FILE] [--inputs name,name,...] [--no-cli] [--no-api] [--checkpatch PATH]';

export function parseArgs(argv: string[]): BenchOptions & { help?: boolean } {
  const options: BenchOptions & { help?: boolean } = { cli: true, api: true };
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
      case '--no-cli':
        options.cli = false;
        break;
      case '--no-api':
        options.api = false;
        break;
      case '--checkpatch':
        options.checkpatch = value();
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
  process.stdout.write(formatReport(result) + '\n\n' + formatMarkdown(result));
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
