// Never twice, never lost: bot processes killed with SIGKILL at random points between fetching a
// message and confirming its reply, restarted on the same state; the list (an SMTP server that
// appends what it receives to the mbox the bot reads) must get exactly one reply per patch with
// findings. Seeded randomness; PATCH_REVIEW_KILL_RUNS raises the number of killed runs (default 4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { MBOX, appendToMbox, startSmtp, tmp } from './helpers.ts';
import { countReplies, seeded, spawnBot } from './helpers/child.ts';

type Kill = 'step' | 'mid-data' | 'after-accept' | 'timer' | 'none';

const WITH_FINDINGS = ['<20260105101500.1-ann@example.org>', '<20260105140001.1-eve@example.org>'];

/**
 * One round: a fresh list and state; killed runs until one finishes on its own (so every kill lands
 * on live work), then clean runs until nothing is left to do. Returns the kills it used.
 */
async function round(random: () => number, budget: number, log: string[]): Promise<{ kills: number; byPatch: Map<string, number>; settled: boolean }> {
  const dir = tmp('bot-crash-');
  const mbox = join(dir, 'list.mbox');
  copyFileSync(MBOX, mbox);
  let current: ChildProcess | null = null;
  let kill: Kill = 'none';
  const killNow = async (): Promise<void> => {
    const child = current;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGKILL');
    await gone;
  };
  const smtp = await startSmtp({
    onDataStart: () => {
      if (kill === 'mid-data') void killNow(); // the message never completes: nothing reaches the list
    },
    onMessage: (r) => appendToMbox(mbox, r.raw), // the list echoes what it accepts
    beforeAnswer: async () => {
      if (kill === 'after-accept') await killNow(); // accepted, but the bot never hears the 250
    },
  });
  const env = { STATE: join(dir, 'state.db'), MBOX: mbox, SMTP_PORT: String(smtp.port) };
  const kinds: Kill[] = ['step', 'mid-data', 'after-accept', 'timer'];
  let kills = 0;
  let finished = false;
  while (kills < budget && !finished) {
    kill = kinds[Math.floor(random() * kinds.length)]!;
    const crashAt = kill === 'step' ? 1 + Math.floor(random() * 30) : -1;
    const delay = 300 + Math.floor(random() * 2500);
    const run = spawnBot({ ...env, CRASH_AT: String(crashAt) });
    current = run.child;
    const timer = kill === 'timer' ? setTimeout(() => void killNow(), delay) : null;
    const result = await run;
    if (timer) clearTimeout(timer);
    log.push(`${kill}${kill === 'step' ? `@${crashAt}` : kill === 'timer' ? `@${delay}ms` : ''}: ${result.signal ?? `exit ${result.code}`}`);
    if (result.signal === 'SIGKILL') kills++;
    else if (result.code === 0) finished = true;
    else assert.fail(`bot run failed: ${result.stderr}`);
  }
  // Restart without kills until a pass finds nothing left to do.
  kill = 'none';
  let settled = false;
  for (let i = 0; i < 3 && !settled; i++) {
    const run = spawnBot({ ...env });
    current = run.child;
    const result = await run;
    assert.equal(result.code, 0, result.stderr);
    const s = JSON.parse(result.stdout.trim().split('\n').pop()!) as { recorded: number; sent: number; seriesReviewed: number; retrying: number; confirmed: number };
    log.push(`clean: sent ${s.sent}, confirmed ${s.confirmed}`);
    settled = s.recorded === 0 && s.sent === 0 && s.seriesReviewed === 0 && s.retrying === 0 && s.confirmed === 0;
  }
  await smtp.close();
  log.push('--');
  return { kills, byPatch: await countReplies(smtp.received.map((r) => r.raw)), settled };
}

test('killed at random points and restarted, the bot sends exactly one reply per patch with findings', { timeout: 1_800_000 }, async (t) => {
  const runs = Number(process.env.PATCH_REVIEW_KILL_RUNS ?? 4);
  const seed = Number(process.env.PATCH_REVIEW_KILL_SEED ?? 20260105);
  const random = seeded(seed);
  const log: string[] = [];
  let kills = 0;
  let rounds = 0;
  while (kills < runs) {
    const r = await round(random, runs - kills, log);
    kills += r.kills;
    rounds++;
    assert.ok(r.settled, `the bot did not settle (seed ${seed}):\n${log.join('\n')}`);
    assert.deepEqual([...r.byPatch].sort(), WITH_FINDINGS.map((id) => [id, 1]), `seed ${seed}, runs:\n${log.join('\n')}`);
  }
  t.diagnostic(`seed ${seed}; ${kills} kills in ${rounds} rounds; ${log.join('; ')}`);
});
