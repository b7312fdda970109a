// The server as a process: a real socket, JSON logs, config errors, graceful SIGTERM.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'socket-test-token-0123456789';
const SMALL_PATCH = readFileSync(new URL('../fixtures/api/small.patch', import.meta.url));
const BIG_PATCH = readFileSync(new URL('../../examples/xen-vtd-flush-review.txt', import.meta.url));

interface Server {
  child: ChildProcess;
  base: string;
  logs: Record<string, unknown>[];
  raw: string[];
  /** Resolves with the first log line (parsed) that satisfies the predicate. */
  waitForLog(test: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/api/run.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', WORKERS: '1', LOG_LEVEL: 'info', MAX_EVENT_LOOP_DELAY_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const waiters: { test: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    raw.push(line);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    logs.push(parsed);
    for (const w of [...waiters]) {
      if (!w.test(parsed)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(parsed);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => raw.push(chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const waitForLog = (test: (l: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const found = logs.find(test);
      if (found) return resolve(found);
      waiters.push({ test, resolve });
      exited.then((code) => reject(new Error(`server exited (${code}) before the expected log line:\n${raw.join('\n')}`)));
    });
  return waitForLog((l) => l.msg === 'patch-review API listening').then((l) => ({ child, base: String(l.address), logs, raw, waitForLog, exited }));
}

describe('the server process', () => {
  let server: Server;
  before(async () => {
    server = await startServer({ API_TOKENS: TOKEN });
  });
  after(() => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  });

  it('listens on a real socket and reviews over it', async () => {
    assert.match(server.base, /^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${server.base}/healthz`);
    assert.equal(health.status, 200);
    const res = await fetch(`${server.base}/v1/reviews`, {
      method: 'POST',
      headers: { 'content-type': 'text/x-diff', authorization: `Bearer ${TOKEN}` },
      body: SMALL_PATCH,
    });
    assert.equal(res.status, 200);
    const review = (await res.json()) as { findings: unknown[] };
    assert.equal(review.findings.length, 1);
    assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('logs JSON lines with the request id, and never the patch body or the token', async () => {
    const finished = await server.waitForLog((l) => l.msg === 'review finished');
    assert.equal(typeof finished.reqId, 'string');
    assert.equal(finished.findings, 1);
    const all = server.raw.join('\n');
    assert.ok(!all.includes(TOKEN), 'the token appears in the log');
    assert.ok(!all.includes('hw_init'), 'the patch body appears in the log');
    assert.ok(server.logs.some((l) => l.reqId === finished.reqId && l.msg === 'review started'));
  });

  it('on SIGTERM stops taking work, finishes the review in flight, and exits 0', async () => {
    const inFlight = fetch(`${server.base}/v1/reviews`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${TOKEN}` },
      body: BIG_PATCH,
    });
    const started = await server.waitForLog((l) => l.msg === 'review started' && l.bytes === BIG_PATCH.length);
    server.child.kill('SIGTERM');
    const res = await inFlight;
    assert.equal(res.status, 200);
    const review = (await res.json()) as { findings: unknown[] };
    assert.ok(review.findings.length > 0);
    assert.equal(await server.exited, 0);
    assert.ok(server.logs.some((l) => l.msg === 'review finished' && l.reqId === started.reqId));
    assert.ok(server.logs.some((l) => l.msg === 'shut down cleanly'));
  });
});

describe('the server process with a bad configuration', () => {
  it('exits 2 naming each bad variable, before listening', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/api/run.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'eighty', API_TOKENS: 'short' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.match(stderr, /invalid configuration/);
    assert.match(stderr, /PORT="eighty"/);
  });
});
