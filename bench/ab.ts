// A/B of two built trees in one process: is B faster than A, and does it give the same review?
//
//   tsx bench/ab.ts DIR_A DIR_B [--runs N] [--input FILE] [--tree PATH]
//
// DIR_A and DIR_B are checkouts or exports with dist/ built (`npm run build`), e.g. HEAD and HEAD plus a change.
// Both engines are loaded into this process (separate module instances) and review the same input in
// alternation, A then B, then B then A, caches that outlive a review emptied and a full GC before each
// review, so both see the same machine load, the same tiering state and the same heap. Reports the CPU
// medians of each side (the process: every thread; the main thread alone, from /proc, where there is one)
// and the median of the paired ratios B / A, which holds on a shared, loaded machine where two separate
// processes' figures do not (the same build measured 20% apart from one process to the next at load 15).
// First it compares the two reviews' JSON with the timings left out: the exit status is 1 when they
// differ (an optimisation must never change a review), 0 otherwise, 2 on a usage error.
//
// The V8 flags are the reviewing processes' (src/pool/tiering.ts): run it as `tsx bench/ab.ts`, not under
// `node --expose-gc` with other flags, or the numbers are not those of the API's workers.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { applyReviewTiering } from '../src/pool/tiering.ts';

interface Side {
  dir: string;
  review: (input: Buffer, options?: object) => Promise<unknown>;
  clear: () => void;
}

const usage = 'usage: tsx bench/ab.ts DIR_A DIR_B [--runs N] [--input FILE] [--tree PATH]';

function parseArgs(argv: string[]): { a: string; b: string; runs: number; input: string; tree?: string } | string {
  const dirs: string[] = [];
  let runs = 30;
  let input = fileURLToPath(new URL('../test/fixtures/seed-000.txt', import.meta.url));
  let tree: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--runs') runs = Number(argv[++i]);
    else if (arg === '--input') input = argv[++i] ?? '';
    else if (arg === '--tree') tree = argv[++i];
    else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else dirs.push(arg);
  }
  if (dirs.length !== 2) return 'two built trees are needed';
  if (!Number.isInteger(runs) || runs < 1) return '--runs must be a positive integer';
  if (!existsSync(input)) return `no input ${input}`;
  return { a: dirs[0]!, b: dirs[1]!, runs, input, ...(tree ? { tree } : {}) };
}

async function load(dir: string): Promise<Side> {
  const dist = resolve(dir, 'dist/src');
  if (!existsSync(resolve(dist, 'default-review.js'))) throw new Error(`${dir}: dist/ is missing (npm run build)`);
  const review = (await import(pathToFileURL(resolve(dist, 'default-review.js')).href)) as { review: Side['review'] };
  const caches = (await import(pathToFileURL(resolve(dist, 'pool/caches.js')).href)) as { clearCrossReviewCaches: () => void };
  return { dir, review: review.review, clear: caches.clearCrossReviewCaches };
}

/** The review as JSON without what depends on time or on where the tree is installed. */
export function comparable(review: unknown): string {
  return JSON.stringify(review, (k, v: unknown) => (k === 'times' || k === 'millis' || k === 'helpUri' ? undefined : v));
}

/** CPU of this process's main thread (utime + stime from /proc, 10 ms ticks), or undefined off Linux. */
function mainThreadMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return undefined;
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  return s[s.length >> 1]!;
};

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${usage}\n`);
    return 2;
  }
  applyReviewTiering();
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const sides = [await load(args.a), await load(args.b)];
  const input = readFileSync(args.input);
  const options = args.tree ? { tree: args.tree } : undefined;
  const [ja, jb] = [comparable(await sides[0]!.review(input, options)), comparable(await sides[1]!.review(input, options))];
  const same = ja === jb;
  const one = async (s: Side): Promise<number> => {
    s.clear();
    gc();
    const c0 = process.cpuUsage();
    await s.review(input, options);
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  for (let i = 0; i < 3; i++) for (const s of sides) await one(s);
  const cpu: [number[], number[]] = [[], []];
  const ratios: number[] = [];
  const main0 = [0, 0];
  for (let i = 0; i < args.runs; i++) {
    const r: number[] = [];
    for (const k of i % 2 ? [1, 0] : [0, 1]) {
      const m0 = mainThreadMs();
      r[k] = await one(sides[k]!);
      const m1 = mainThreadMs();
      if (m0 !== undefined && m1 !== undefined) main0[k]! += m1 - m0;
    }
    cpu[0].push(r[0]!);
    cpu[1].push(r[1]!);
    ratios.push(r[1]! / r[0]!);
  }
  const line = (k: 0 | 1): string =>
    `${k ? 'B' : 'A'} ${sides[k]!.dir}: CPU median ${median(cpu[k]).toFixed(1)} ms (min ${Math.min(...cpu[k]).toFixed(1)}), main thread ${(main0[k]! / args.runs).toFixed(1)} ms per review`;
  process.stdout.write(
    [
      `${args.input}${args.tree ? ` --tree ${args.tree}` : ''}: ${args.runs} alternated pairs`,
      line(0),
      line(1),
      `B / A: median of paired ratios ${median(ratios).toFixed(3)}`,
      same ? 'reviews identical (timings left out)' : 'REVIEWS DIFFER (timings left out)',
    ].join('\n') + '\n',
  );
  return same ? 0 : 1;
}

process.exitCode = await main();
