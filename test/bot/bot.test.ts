import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { Bot } from '../../src/bot/bot.ts';
import { openSqliteStore } from '../../src/bot/store/sqlite.ts';
import { mboxSource, maildirSource, splitMboxBuffer, bufferSource } from '../../src/bot/sources.ts';
import { dirTransport, mboxTransport } from '../../src/bot/deliver.ts';
import { review } from '../../src/default-review.ts';
import type { BotConfig } from '../../src/bot/policy.ts';
import { MBOX, testConfig, tmp } from './helpers.ts';

async function bot(config: BotConfig, dir: string, now?: () => number) {
  const store = openSqliteStore(join(dir, 'state.db'));
  await store.migrate();
  const out = join(dir, 'out');
  const b = new Bot({ config, store, review, transport: (mode) => (mode === 'dry-run' ? dirTransport(out) : null), now });
  return { b, store, out };
}

const statusOf = async (store: ReturnType<typeof openSqliteStore>) =>
  Object.fromEntries((await store.status()).map((r) => [`${r.what} ${r.state}${r.reason ? `: ${r.reason}` : ''}`, r.count]));

test('each message is handled once, skips keep their reason, and a second run writes nothing new', async () => {
  const dir = tmp();
  const { b, store, out } = await bot(testConfig(), dir);
  const first = await b.run([mboxSource(MBOX)]);
  assert.equal(first.read, 11);
  assert.equal(first.alreadyKnown, 1, 'the same Message-ID twice is handled once');
  assert.equal(first.written, 2);
  const files = readdirSync(out).sort();
  assert.equal(files.length, 2);
  const status = await statusOf(store);
  assert.equal(status['message skipped: a review quoting a patch (reply)'], 1);
  assert.equal(status["message skipped: a patch quoted inside someone's review"], 1);
  assert.equal(status["message skipped: another project's patch (subject tag xfstests)"], 1);
  assert.equal(status['message skipped: sent by a bot (Auto-Submitted: auto-generated)'], 1);
  assert.equal(status['message skipped: no C in the patch (docs/misc/qux.txt)'], 1);
  assert.equal(status['message skipped: cover letter (not reviewed)'], 1);
  assert.equal(status['message replied'], 2);
  assert.equal(status['message reviewed'], 2, 'the clean patches are reviewed and get no reply');
  assert.equal(status['reply written'], 2);
  const replies = await Promise.all(files.map((f) => PostalMime.parse(readFileSync(join(out, f)))));
  assert.deepEqual(replies.map((r) => r.inReplyTo).sort(), ['<20260105101500.1-ann@example.org>', '<20260105140001.1-eve@example.org>']);

  const second = await b.run([mboxSource(MBOX)]);
  assert.equal(second.recorded, 0);
  assert.equal(second.written, 0);
  assert.deepEqual(readdirSync(out).sort(), files);
  await store.close();
});

test('a series waits for its missing patches until the grace period ends, then is reviewed without them', async () => {
  const dir = tmp();
  let now = Date.UTC(2026, 0, 5, 12);
  const { b, store, out } = await bot(testConfig(), dir, () => now);
  const mails = splitMboxBuffer(readFileSync(MBOX));
  const partOne = mails.find((m) => m.includes('[PATCH v2 1/2]'))!;
  const first = await b.run([bufferSource('one', partOne)]);
  assert.equal(first.seriesReviewed, 0);
  assert.equal((await statusOf(store))['message waiting'], 1);
  now += 59 * 60_000;
  assert.equal((await b.run([])).seriesReviewed, 0, 'still inside the 60-minute grace period');
  now += 2 * 60_000;
  const late = await b.run([]);
  assert.equal(late.seriesReviewed, 1);
  assert.equal(late.written, 1);
  const rows = await store.status();
  assert.ok(rows.some((r) => r.state === 'replied'));
  assert.equal(readdirSync(out).length, 1);
  await store.close();
});

test('a complete series is reviewed at once, as one input, the cover letter unreviewed', async () => {
  const dir = tmp();
  const now = Date.UTC(2026, 0, 5, 12);
  const { b, store } = await bot(testConfig(), dir, () => now);
  const mails = splitMboxBuffer(readFileSync(MBOX)).filter((m) => m.includes('[PATCH v2'));
  assert.equal(mails.length, 3);
  const summary = await b.run(mails.map((m, i) => bufferSource(`m${i}`, m)));
  assert.equal(summary.seriesReviewed, 1);
  assert.equal(summary.written, 1, 'one reply: patch 1/2 has a finding, 2/2 is clean');
  await store.close();
});

test('a Maildir is read from new/ and handled mail moves to cur/', async () => {
  const dir = tmp();
  const maildir = join(dir, 'Maildir');
  for (const d of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, d), { recursive: true });
  splitMboxBuffer(readFileSync(MBOX)).forEach((m, i) => writeFileSync(join(maildir, 'new', `17000000${i}.M${i}P1.host`), m));
  const { b, store, out } = await bot(testConfig(), dir);
  const summary = await b.run([maildirSource(maildir)]);
  assert.equal(summary.read, 11);
  assert.deepEqual(readdirSync(join(maildir, 'new')), []);
  assert.equal(readdirSync(join(maildir, 'cur')).length, 11);
  assert.ok(readdirSync(join(maildir, 'cur')).every((n) => n.endsWith(':2,S')));
  assert.equal(readdirSync(out).length, 2);
  assert.equal((await b.run([maildirSource(maildir)])).read, 0);
  await store.close();
});

test('a muted list reviews and records, and writes nothing', async () => {
  const dir = tmp();
  const { b, store, out } = await bot(testConfig({ mode: 'muted' }), dir);
  const summary = await b.run([mboxSource(MBOX)]);
  assert.equal(summary.seriesReviewed, 3);
  assert.equal(summary.repliesQueued, 0);
  assert.equal(existsSync(out), false);
  const muted = (await store.status()).filter((r) => r.state === 'reviewed');
  assert.equal(muted.reduce((n, r) => n + r.count, 0), 4);
  await store.close();
});

test('noFindings: reply sends a short reply to clean patches too', async () => {
  const dir = tmp();
  const { b, store, out } = await bot(testConfig({ noFindings: 'reply' }), dir);
  const summary = await b.run([mboxSource(MBOX)]);
  assert.equal(summary.written, 4);
  const texts = readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8'));
  assert.equal(texts.filter((t) => t.includes('found nothing to report')).length, 2);
  await store.close();
});

test('caps: one reply round per thread; the daily cap defers to the next day', async () => {
  const dir = tmp();
  let now = Date.UTC(2026, 0, 5, 12);
  const { b, store, out } = await bot(testConfig({ caps: { perDay: 1 } }), dir, () => now);
  const first = await b.run([mboxSource(MBOX)]);
  assert.equal(first.written, 1);
  assert.equal(first.deferred, 1);
  now += 86_400_000;
  const next = await b.run([mboxSource(MBOX)]);
  assert.equal(next.written, 1);
  assert.equal(readdirSync(out).length, 2);
  await store.close();

  const dir2 = tmp();
  const { b: b2, store: store2 } = await bot(testConfig(), dir2);
  const mails = splitMboxBuffer(readFileSync(MBOX));
  const patch = mails.find((m) => m.includes('Subject: [PATCH] xen/qux: report enable failures'))!.toString();
  const resent = patch.replace('<20260105101500.1-ann@example.org>', '<resend@example.org>\nIn-Reply-To: <20260105101500.1-ann@example.org>\nReferences: <20260105101500.1-ann@example.org>').replace('[PATCH]', '[PATCH RESEND]');
  const s = await b2.run([bufferSource('a', Buffer.from(patch)), bufferSource('b', Buffer.from(resent))]);
  assert.equal(s.written, 1);
  const capped = (await store2.status()).find((r) => r.reason?.includes('caps.perThread'));
  assert.ok(capped, 'the second patch in the same thread is skipped by the per-thread cap');
  await store2.close();
});

test('dry-run into an mbox appends each reply once, even when the send is repeated', async () => {
  const dir = tmp();
  const file = join(dir, 'replies.mbox');
  const t = mboxTransport(file);
  const eml = Buffer.from('Message-ID: <pr-1@x>\r\nSubject: Re: y\r\n\r\nFrom the start\r\n');
  await t.send('<pr-1@x>', eml, { from: 'a', to: [] });
  await t.send('<pr-1@x>', eml, { from: 'a', to: [] });
  const parts = splitMboxBuffer(readFileSync(file));
  assert.equal(parts.length, 1);
  assert.match(parts[0]!.toString(), /\nFrom the start\n/);
});

test('a public-inbox archive is read commit by commit, and only new commits on the next run', async () => {
  const { execFileSync } = await import('node:child_process');
  const dir = tmp();
  const git = join(dir, 'archive.git');
  execFileSync('git', ['init', '--bare', '-q', git]);
  const env = { ...process.env, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@x', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@x' };
  const run = (args: string[], input?: Buffer) => execFileSync('git', ['--git-dir', git, ...args], { input, env }).toString().trim();
  let parent: string | null = null;
  const add = (raw: Buffer) => {
    const blob = run(['hash-object', '-w', '--stdin'], raw);
    const tree = run(['mktree'], Buffer.from(`100644 blob ${blob}\tm\n`));
    parent = run(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', 'm'], Buffer.alloc(0));
    run(['update-ref', 'refs/heads/master', parent]);
  };
  const mails = splitMboxBuffer(readFileSync(MBOX));
  mails.slice(0, 3).forEach(add);
  const { publicInboxSource } = await import('../../src/bot/sources.ts');
  const { b, store, out } = await bot(testConfig(), dir);
  const cursor = { get: () => store.getCursor('pi'), set: (v: string) => store.setCursor('pi', v) };
  const first = await b.run([publicInboxSource(git, cursor)]);
  assert.equal(first.read, 3);
  assert.equal(first.written, 1);
  mails.slice(3, 5).forEach(add);
  const second = await b.run([publicInboxSource(git, cursor)]);
  assert.equal(second.read, 2, 'only the commits added since the last run');
  assert.equal(readdirSync(out).length, 1);
  await store.close();
});

test('an embargo holds the reply until its time', async () => {
  const dir = tmp();
  let now = Date.UTC(2026, 0, 5, 12);
  const { b, store } = await bot(testConfig({ embargoMinutes: 30 }), dir, () => now);
  const first = await b.run([mboxSource(MBOX)]);
  assert.equal(first.seriesReviewed, 0);
  now += 30 * 60_000;
  const later = await b.run([]);
  assert.equal(later.written, 2);
  await store.close();
});

test('a patch that does not apply to the configured tree is reviewed in fragment mode, and the state says so', async () => {
  const dir = tmp();
  const tree = join(dir, 'tree');
  mkdirSync(join(tree, 'xen/drivers/qux'), { recursive: true });
  mkdirSync(join(tree, 'xen/include/xen'), { recursive: true });
  writeFileSync(join(tree, 'xen/drivers/qux/qux.c'), '/* a different qux.c: the hunk does not apply */\nint qux_other(void)\n{\n    return 0;\n}\n');
  writeFileSync(join(tree, 'xen/include/xen/qux.h'), 'int qux_other(void);\n');
  const { b, store, out } = await bot(testConfig({ project: { tags: ['xen'], tree } }), dir);
  const mails = splitMboxBuffer(readFileSync(MBOX));
  const patch = mails.find((m) => m.includes('Subject: [PATCH] xen/qux: report enable failures'))!;
  const summary = await b.run([bufferSource('one', patch)]);
  assert.equal(summary.written, 1, 'still reviewed, and the finding still reported');
  const rows = await store.status();
  assert.equal(rows.find((r) => r.what === 'message')?.state, 'replied');
  assert.equal(readdirSync(out).length, 1);
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(join(dir, 'state.db'), { readonly: true });
  const reason = (db.prepare('SELECT reason FROM messages').get() as { reason: string }).reason;
  db.close();
  assert.match(reason, /reviewed in fragment mode where the patch does not apply to .*tree \(\d+ hunks?: /);
  await store.close();
});

test("the list's project settings reach the review: a disabled pack reports nothing", async () => {
  const dir = tmp();
  const { b, store } = await bot(testConfig({ project: { tags: ['xen'], disable: ['error-handling'] } }), dir);
  const summary = await b.run([mboxSource(MBOX)]);
  assert.equal(summary.seriesReviewed, 3);
  assert.equal(summary.repliesQueued, 0);
  await store.close();
});
