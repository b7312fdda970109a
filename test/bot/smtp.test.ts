// Delivery through a real SMTP server on loopback, each received mail parsed back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { Bot } from '../../src/bot/bot.ts';
import { openSqliteStore } from '../../src/bot/store/sqlite.ts';
import { mboxSource, bufferSource } from '../../src/bot/sources.ts';
import { smtpTransport, dirTransport } from '../../src/bot/deliver.ts';
import { review } from '../../src/default-review.ts';
import { replyIdFor } from '../../src/bot/classify.ts';
import { MBOX, startSmtp, testConfig, tmp, type TestSmtp } from './helpers.ts';

const ANN = '<20260105101500.1-ann@example.org>';

async function setup(smtp: TestSmtp, list: Record<string, unknown> = {}, clock?: { now: number }) {
  const config = testConfig({ mode: 'send', ...list }, { smtp: { host: '127.0.0.1', port: smtp.port, starttls: false } });
  const store = openSqliteStore(join(tmp(), 'state.db'));
  await store.migrate();
  const transport = smtpTransport(config.smtp!);
  const b = new Bot({ config, store, review, transport: (mode) => (mode === 'send' ? transport : dirTransport(tmp())), now: clock ? () => clock.now : undefined });
  return { b, store, close: async () => (transport.close(), store.close()) };
}

async function parsed(smtp: TestSmtp) {
  return Promise.all(smtp.received.map(async (r) => ({ ...r, mail: await PostalMime.parse(r.raw) })));
}

test('replies arrive threaded, addressed per policy (both), quoted, wrapped, with trailers', async () => {
  const smtp = await startSmtp();
  const { b, close } = await setup(smtp);
  const summary = await b.run([mboxSource(MBOX)]);
  assert.equal(summary.sent, 2);
  const mails = await parsed(smtp);
  assert.equal(mails.length, 2);
  const ann = mails.find((m) => m.mail.inReplyTo === ANN)!;
  assert.ok(ann, 'a reply to the qux patch');
  const m = ann.mail;
  assert.equal(m.subject, 'Re: [PATCH] xen/qux: report enable failures');
  assert.equal(m.references, ANN);
  assert.equal(m.messageId, replyIdFor(ANN, 'review.example.org'));
  assert.equal(m.headers.find((h) => h.key === 'auto-submitted')?.value, 'auto-generated');
  assert.deepEqual(m.to?.map((a) => a.address), ['ann@example.org']);
  assert.deepEqual(m.cc?.map((a) => a.address), ['xen-devel@lists.example.org', 'reviews@example.org']);
  assert.deepEqual(ann.to.sort(), ['ann@example.org', 'reviews@example.org', 'xen-devel@lists.example.org']);
  assert.equal(ann.from, 'bot@review.example.org');
  const lines = m.text!.split('\n');
  assert.equal(lines[0], 'On Mon, 5 Jan 2026 10:15:00 +0100, Ann Author wrote:');
  const at = lines.indexOf('> +    if ( qux_enable(d) )');
  assert.ok(at > 0);
  assert.match(lines[at + 2]!, /^qux_late_init\(\) returns rc/);
  for (const l of m.text!.split('\n-- \n')[0]!.split('\n')) {
    if (!l.startsWith('>') && !/^(Closes|Reported-by):/.test(l)) assert.ok(l.length <= 72, l);
  }
  assert.match(m.text!, /^Reported-by: patch-review bot <bot@review\.example\.org>$/m);
  assert.match(m.text!, new RegExp(`^Closes: https://lists\\.example\\.org/xen-devel/${m.messageId!.slice(1, -1)}/$`, 'm'));
  await close();
  await smtp.close();
});

test('replyTo list writes to the list only; replyTo author to the author only', async () => {
  for (const [replyTo, to, cc] of [
    ['list', ['xen-devel@lists.example.org'], ['reviews@example.org']],
    ['author', ['ann@example.org'], ['reviews@example.org']],
  ] as const) {
    const smtp = await startSmtp();
    const { b, store, close } = await setup(smtp, { replyTo });
    await b.run([mboxSource(MBOX)]);
    const ann = (await parsed(smtp)).find((m) => m.mail.inReplyTo === ANN)!;
    assert.deepEqual(ann.mail.to?.map((a) => a.address), to, replyTo);
    assert.deepEqual(ann.mail.cc?.map((a) => a.address) ?? [], cc, replyTo);
    const states = (await store.status()).filter((r) => r.what === 'reply').map((r) => r.state);
    assert.deepEqual(states, ['sent']);
    await close();
    await smtp.close();
  }
});

test('the own reply seen on the list confirms delivery; an unconfirmed one is resent with the same Message-ID', async () => {
  const smtp = await startSmtp();
  const clock = { now: Date.UTC(2026, 0, 5, 12) };
  const { b, store, close } = await setup(smtp, {}, clock);
  await b.run([mboxSource(MBOX)]);
  assert.equal(smtp.received.length, 2);
  const echoed = smtp.received.find((r) => r.raw.includes(ANN))!;
  const confirm = await b.run([bufferSource('echo', echoed.raw)]);
  assert.equal(confirm.confirmed, 1);
  clock.now += 6 * 60 * 60_000 + 1;
  const resend = await b.run([]);
  assert.equal(resend.sent, 1, 'only the unconfirmed reply is sent again');
  const ids = (await parsed(smtp)).map((m) => m.mail.messageId);
  assert.equal(ids.length, 3);
  assert.equal(ids[2], ids.find((id, i) => i < 2 && id === ids[2]), 'the resend reuses the Message-ID');
  const replies = Object.fromEntries((await store.status()).filter((r) => r.what === 'reply').map((r) => [r.state, r.count]));
  assert.deepEqual(replies, { confirmed: 1, sent: 1 });
  await close();
  await smtp.close();
});

test('a temporary SMTP failure is retried after a backoff; a permanent one is recorded and shown', async () => {
  const smtp = await startSmtp({ decide: (n) => (n === 1 ? { code: 451, message: 'try again later' } : n === 2 ? { code: 550, message: 'no such user' } : null) });
  const clock = { now: Date.UTC(2026, 0, 5, 12) };
  const { b, store, close } = await setup(smtp, {}, clock);
  const first = await b.run([mboxSource(MBOX)]);
  assert.equal(first.retrying, 1);
  assert.equal(first.failed, 1);
  assert.equal(smtp.received.length, 0);
  assert.equal((await b.run([])).sent, 0, 'not before the backoff');
  clock.now += 5 * 60_000;
  assert.equal((await b.run([])).sent, 1);
  assert.equal(smtp.received.length, 1);
  const failures = await store.failures(10);
  const failed = failures.find((f) => /no such user/.test(f.lastError ?? ''));
  assert.ok(failed, JSON.stringify(failures));
  assert.equal(failed.attempts, 1);
  const states = (await store.status()).filter((r) => r.what === 'reply').map((r) => `${r.state} ${r.count}`).sort();
  assert.deepEqual(states, ['failed 1', 'sent 1']);
  await close();
  await smtp.close();
});
