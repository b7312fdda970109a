// The API under load: the compiled service (dist/src/api/run.js) on loopback, driven by autocannon.
// 1. steady: POST /v1/reviews of the seed patch with as many connections as workers, bounded in
//    requests and seconds: throughput, latency p50/p99, errors.
// 2. burst: far more connections than workers + queue: the only answer besides 200 must be
//    503 with Retry-After (the pool's bounded queue), no socket error, no other status.
// 3. memory: the server's RSS after warm-up, after the load, and after a few idle seconds.
// These run on a server with MODEL_CACHE=off and REVIEW_CACHE_MB=0: every request sends the same text, and
// workers that kept its parsed C, or a server that remembered the review, would measure a cache hit.
// 4. the steady phase again on a server with MODEL_CACHE=on, reported apart. 5. the steady phase on a server
// with both caches on (the defaults): what repeated submissions of one patch cost, reported apart.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface LoadPhase {
  connections: number;
  requests: number;
  durationS: number;
  throughputPerS: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  statuses: Record<string, number>;
  /** Socket errors and timeouts (autocannon's `errors` + `timeouts`). */
  errors: number;
  /** 503 answers that carried Retry-After / that did not. */
  retryAfter?: { with: number; without: number };
  /**
   * CPU the server process spent (all threads: request handling, review workers, V8's GC helpers) per 200
   * answer, and what that allows on this machine's cores when nothing else runs: a measure that holds on a
   * shared, loaded machine where wall-clock throughput does not.
   */
  cpuMsPerReview?: number;
  capacityPerS?: number;
  /** The server's CPU (ms): its main thread (HTTP, rendering, logging) and the others (review workers, V8's GC helpers). */
  cpuByThread?: { main: number; others: number };
}

export interface ApiResult {
  status: 'ok' | 'skipped' | 'error';
  reason?: string;
  workers: number;
  queueMax: number;
  /**
   * The server these phases ran on reviewed with `MODEL_CACHE=off`: the bench POSTs the same patch again and
   * again, and workers that kept its parsed texts would measure a cache hit, not a review of a new patch.
   */
  modelCache: 'off';
  steady?: LoadPhase;
  /** The steady phase again on a second server with `MODEL_CACHE=on` (the default): the same text every time. */
  steadyCached?: LoadPhase;
  /**
   * The steady phase on a server with the review cache on as well (`REVIEW_CACHE_MB` default): after the first
   * review every request is answered from memory. What a re-run CI job or a cross-posted patch costs, not a new patch.
   */
  steadyRepeated?: LoadPhase;
  burst?: LoadPhase;
  memory?: { baselineRssBytes: number; afterLoadRssBytes: number; settledRssBytes: number; settledOverBaseline: number };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

/** CPU (ms) of each thread of a process, by thread id (Linux /proc; empty elsewhere). */
function threadCpu(pid: number): Map<string, { name: string; ms: number }> {
  const out = new Map<string, { name: string; ms: number }>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      out.set(tid, { name, ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS });
    }
  } catch {
    // not Linux, or the process is gone
  }
  return out;
}

const CLOCK_TICKS = 100;

/** CPU (ms) between two threadCpu() readings: the server's main thread and all its other threads. */
function cpuBetween(pid: number, before: Map<string, { name: string; ms: number }>, after: Map<string, { name: string; ms: number }>): { main: number; others: number } {
  const sum = { main: 0, others: 0 };
  for (const [tid, a] of after) {
    const d = a.ms - (before.get(tid)?.ms ?? 0);
    if (tid === String(pid)) sum.main += d;
    else sum.others += d;
  }
  return sum;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`the server did not answer /healthz within ${timeoutMs} ms`);
}

async function load(url: string, body: Buffer, connections: number, amount: number, durationS: number): Promise<LoadPhase> {
  const statuses: Record<string, number> = {};
  const retry = { with: 0, without: 0 };
  const result = await autocannon({
    url: `${url}/v1/reviews`,
    connections,
    // Whichever comes first: this many answers, or this many seconds (autocannon's `amount` would ignore the duration).
    maxOverallRequests: amount,
    duration: durationS,
    timeout: 120,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'text/x-patch', accept: 'application/json' },
        body,
        onResponse: (status, _body, _context, headers) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status === 503) {
            if (headers['retry-after'] ?? headers['Retry-After']) retry.with++;
            else retry.without++;
          }
        },
      },
    ],
  });
  const done = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    connections,
    requests: done,
    durationS: result.duration,
    throughputPerS: Math.round((statuses['200'] ?? 0) / Math.max(result.duration, 0.001) * 10) / 10,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.mean },
    statuses,
    errors: result.errors + result.timeouts,
    ...(statuses['503'] ? { retryAfter: retry } : {}),
  };
}

export async function benchApi(options: {
  workers?: number;
  queueMax?: number;
  steadyRequests?: number;
  steadySeconds?: number;
  burstConnections?: number;
  burstRequests?: number;
  /** Also measure the steady phase with MODEL_CACHE=on (default true). */
  cached?: boolean;
  log?: (line: string) => void;
}): Promise<ApiResult> {
  const workers = options.workers ?? 2;
  const queueMax = options.queueMax ?? 4;
  const base: ApiResult = { status: 'ok', workers, queueMax, modelCache: 'off' };
  const entry = join(root, 'dist/src/api/run.js');
  if (!existsSync(entry)) return { ...base, status: 'skipped', reason: 'dist/ is missing: `npm run build` first' };
  const body = readFileSync(join(root, 'test/fixtures/seed-000.txt'));
  const steadyRequests = options.steadyRequests ?? 2000;
  const steadySeconds = options.steadySeconds ?? 20;
  let server: Server | undefined;
  try {
    server = await startServer(entry, { workers, queueMax, modelCache: 'off', reviewCache: false });
    const { url, child } = server;
    options.log?.(`api: warm-up (${workers} workers, queue ${queueMax}, MODEL_CACHE=off)`);
    await warmUp(url, body, 2 * workers);
    const baselineRssBytes = rssOf(child.pid!);
    options.log?.(`api: steady load, ${workers} connections, at most ${steadyRequests} requests / ${steadySeconds} s`);
    base.steady = await steady(child, url, body, workers, steadyRequests, steadySeconds);
    const burstConnections = options.burstConnections ?? 8 * (workers + queueMax);
    const burstRequests = options.burstRequests ?? 4 * burstConnections;
    options.log?.(`api: burst, ${burstConnections} connections, ${burstRequests} requests`);
    base.burst = await load(url, body, burstConnections, burstRequests, 30);
    const afterLoadRssBytes = rssOf(child.pid!);
    await sleep(5000);
    const settledRssBytes = rssOf(child.pid!);
    base.memory = {
      baselineRssBytes,
      afterLoadRssBytes,
      settledRssBytes,
      settledOverBaseline: Math.round((settledRssBytes / baselineRssBytes) * 100) / 100,
    };
    await server.stop();
    server = undefined;
    if (options.cached !== false) {
      server = await startServer(entry, { workers, queueMax, modelCache: 'on', reviewCache: false });
      options.log?.(`api: steady load again with MODEL_CACHE=on (the same text every time: cache hits)`);
      await warmUp(server.url, body, 2 * workers);
      base.steadyCached = await steady(server.child, server.url, body, workers, steadyRequests, steadySeconds);
      await server.stop();
      server = await startServer(entry, { workers, queueMax, modelCache: 'on', reviewCache: true });
      options.log?.(`api: steady load again with the review cache on (repeated submissions: answered from memory)`);
      await warmUp(server.url, body, 2 * workers);
      base.steadyRepeated = await steady(server.child, server.url, body, workers, steadyRequests, steadySeconds);
    }
    return base;
  } catch (error) {
    const stderr = server?.stderr() ?? '';
    return { ...base, status: 'error', reason: `${error instanceof Error ? error.message : String(error)}${stderr ? `; server stderr: ${stderr.trim().slice(-500)}` : ''}` };
  } finally {
    await server?.stop();
  }
}

interface Server {
  url: string;
  child: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

async function startServer(entry: string, o: { workers: number; queueMax: number; modelCache: 'on' | 'off'; reviewCache: boolean }): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [entry], {
    cwd: root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'error',
      WORKERS: String(o.workers),
      QUEUE_MAX: String(o.queueMax),
      RATE_LIMIT_MAX: '0',
      // The shared machine is loaded; event-loop shedding would mix a second cause of 503 into the burst.
      MAX_EVENT_LOOP_DELAY_MS: '0',
      MODEL_CACHE: o.modelCache,
      ...(o.reviewCache ? {} : { REVIEW_CACHE_MB: '0' }),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const server: Server = {
    url,
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([new Promise((done) => child.once('exit', done)), sleep(10_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  try {
    await waitReady(url, child, 60_000);
  } catch (error) {
    await server.stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}${stderr ? `; server stderr: ${stderr.trim().slice(-500)}` : ''}`);
  }
  return server;
}

async function warmUp(url: string, body: Buffer, reviews: number): Promise<void> {
  for (let i = 0; i < reviews; i++) {
    const r = await fetch(`${url}/v1/reviews`, { method: 'POST', headers: { 'content-type': 'text/x-patch' }, body: new Uint8Array(body) });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`warm-up review answered ${r.status}`);
  }
  await sleep(1000);
}

/** A steady phase, with the server's CPU per review (all threads) and the capacity it allows on idle cores. */
async function steady(child: ChildProcess, url: string, body: Buffer, connections: number, requests: number, seconds: number): Promise<LoadPhase> {
  const cpu0 = threadCpu(child.pid!);
  const phase = await load(url, body, connections, requests, seconds);
  const cpu = cpuBetween(child.pid!, cpu0, threadCpu(child.pid!));
  const ok = phase.statuses['200'] ?? 0;
  if (ok > 0 && cpu.main + cpu.others > 0) {
    phase.cpuMsPerReview = Math.round(((cpu.main + cpu.others) / ok) * 10) / 10;
    phase.capacityPerS = Math.round((availableParallelism() * 1000 / phase.cpuMsPerReview) * 10) / 10;
    phase.cpuByThread = { main: Math.round(cpu.main), others: Math.round(cpu.others) };
  }
  return phase;
}
