// Several bot instances on one PostgreSQL: a throwaway cluster started from the installed server
// binaries; skipped, saying why, where they are absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { openPostgresStore } from '../../src/bot/store/postgres.ts';
import { MBOX, appendToMbox, startSmtp, tmp } from './helpers.ts';
import { clusterUnavailable, startCluster } from './helpers/postgres.ts';
import { spawnBot, countReplies } from './helpers/child.ts';
import { after, before } from 'node:test';
import type { Cluster } from './helpers/postgres.ts';

const why = clusterUnavailable();
let cluster: Cluster | null = null;
before(async () => {
  if (!why) cluster = await startCluster();
});
after(() => cluster?.stop());

test('PostgreSQL store: migrations run once from two instances, claims never overlap', { skip: why ?? false }, async () => {
  // A database of its own, so the bot test after this one starts empty.
  const admin = new pg.Client({ connectionString: cluster!.url });
  await admin.connect();
  await admin.query('CREATE DATABASE claims');
  await admin.end();
  const url = cluster!.url.replace(/\/postgres$/, '/claims');
  {
    const a = openPostgresStore(url);
    const b = openPostgresStore(url);
    await Promise.all([a.migrate(), b.migrate()]);
    const now = 1_000_000;
    for (let i = 0; i < 6; i++) {
      const id = `<s${i}@x>`;
      await a.recordMessage(
        { messageId: id, list: 'l', kind: 'patch', state: 'waiting', reason: null, subject: 's', sender: null, seriesKey: id, threadRoot: id, number: 1, raw: Buffer.from('raw'), receivedAt: now },
        { seriesKey: id, list: 'l', threadRoot: id, total: 1, firstSeen: now, notBefore: now },
      );
    }
    assert.equal(await a.recordMessage({ messageId: '<s0@x>', list: 'l', kind: 'patch', state: 'waiting', reason: null, subject: 's', sender: null, seriesKey: null, threadRoot: null, number: 1, raw: null, receivedAt: now }, null), false);
    const claims = await Promise.all([...Array(8)].map((_, i) => (i % 2 ? a : b).claimSeries(`owner-${i}`, now, 0, 60_000)));
    const keys = claims.filter((c) => c !== null).map((c) => c.seriesKey);
    assert.equal(keys.length, 6, 'every ready series is claimed once');
    assert.equal(new Set(keys).size, 6, 'no series is claimed twice');
    assert.equal(claims.filter((c) => c === null).length, 2);
    await a.close();
    await b.close();
  }
});

test('two bot instances on one PostgreSQL, same mbox: one reply per patch with findings', { skip: why ?? false, timeout: 300_000 }, async (t) => {
  const url = cluster!.url;
  const smtp = await startSmtp({ onMessage: (r) => appendToMbox(mbox, r.raw) });
  const dir = tmp('bot-pg2-');
  const mbox = join(dir, 'list.mbox');
  copyFileSync(MBOX, mbox);
  try {
    const env = { PG_URL: url, MBOX: mbox, SMTP_PORT: String(smtp.port) };
    const reviewed: number[] = [];
    for (let round = 0; round < 2; round++) {
      const results = await Promise.all([spawnBot(env), spawnBot(env)]);
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      const each = results.map((r) => JSON.parse(r.stdout) as { seriesReviewed: number; sent: number });
      t.diagnostic(`round ${round + 1}: ${each.map((e, i) => `instance ${i + 1} reviewed ${e.seriesReviewed} series, sent ${e.sent}`).join('; ')}`);
      reviewed.push(each.reduce((n, e) => n + e.seriesReviewed, 0));
    }
    assert.deepEqual(reviewed, [3, 0], 'each series is reviewed by one of the two instances, once');
    const byPatch = await countReplies(smtp.received.map((r) => r.raw));
    assert.deepEqual([...byPatch].sort(), [
      ['<20260105101500.1-ann@example.org>', 1],
      ['<20260105140001.1-eve@example.org>', 1],
    ]);
    const store = openPostgresStore(url);
    const replies = (await store.status()).filter((r) => r.what === 'reply');
    assert.deepEqual(replies.map((r) => `${r.state} ${r.count}`), ['confirmed 2'], 'both replies came back from the list');
    await store.close();
  } finally {
    await smtp.close();
  }
});

test('an instance killed mid-work on PostgreSQL: the standby takes over its claims, still one reply per patch', { skip: why ?? false, timeout: 300_000 }, async () => {
  const admin = new pg.Client({ connectionString: cluster!.url });
  await admin.connect();
  await admin.query('CREATE DATABASE standby');
  await admin.end();
  const url = cluster!.url.replace(/\/postgres$/, '/standby');
  const dir = tmp('bot-pg3-');
  const mbox = join(dir, 'list.mbox');
  copyFileSync(MBOX, mbox);
  const smtp = await startSmtp({ onMessage: (r) => appendToMbox(mbox, r.raw) });
  try {
    const env = { PG_URL: url, MBOX: mbox, SMTP_PORT: String(smtp.port) };
    // Killed right after claiming its first series (10 new messages read and acknowledged: 20 steps).
    const killed = await spawnBot({ ...env, CRASH_AT: '21' });
    assert.equal(killed.signal, 'SIGKILL');
    let reviewed = 0;
    for (let i = 0; i < 2; i++) {
      const r = await spawnBot(env);
      assert.equal(r.code, 0, r.stderr);
      reviewed += (JSON.parse(r.stdout) as { seriesReviewed: number }).seriesReviewed;
    }
    assert.equal(reviewed, 3, 'the standby reviewed all three series, the one the killed instance had claimed included');
    const byPatch = await countReplies(smtp.received.map((r) => r.raw));
    assert.deepEqual([...byPatch].sort(), [
      ['<20260105101500.1-ann@example.org>', 1],
      ['<20260105140001.1-eve@example.org>', 1],
    ]);
  } finally {
    await smtp.close();
  }
});

if (why) test(`PostgreSQL tests skipped: ${why}`, { skip: why }, () => {});
