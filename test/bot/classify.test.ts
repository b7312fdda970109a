import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify, replyIdFor, isOwnReplyId } from '../../src/bot/classify.ts';
import { parseListMessage } from '../../src/bot/message.ts';
import { readConfig, listFor, ConfigError } from '../../src/bot/policy.ts';
import { splitMboxBuffer } from '../../src/bot/sources.ts';
import { testConfig } from './helpers.ts';

const DIFF = `---
diff --git a/xen/common/a.c b/xen/common/a.c
--- a/xen/common/a.c
+++ b/xen/common/a.c
@@ -1,3 +1,3 @@
 int a(void)
-{ return 0; }
+{ return 1; }
`;

/** A message with default From/To/Message-ID, which `headers` lines replace. */
async function mail(headers: string, body = DIFF) {
  const fields = new Map<string, string>([
    ['From', 'Ann <ann@example.org>'],
    ['To', 'xen-devel@lists.example.org'],
    ['Message-ID', '<m@example.org>'],
  ]);
  for (const line of headers.split('\n')) fields.set(line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim());
  const head = [...fields].map(([k, v]) => `${k}: ${v}`).join('\n');
  return parseListMessage(Buffer.from(`${head}\n\n${body}`), 'x');
}

test('series members share a key: by the cover letter, or by patch 1 when there is none', async () => {
  const config = testConfig();
  const list = config.lists[0]!;
  const cover = classify(await mail('Subject: [PATCH v3 0/2] x\nMessage-ID: <c@e>', 'cover text'), config, list);
  const p2 = classify(await mail('Subject: [PATCH v3 2/2] x\nIn-Reply-To: <c@e>\nReferences: <c@e>'), config, list);
  assert.equal(cover.kind, 'cover');
  assert.equal(p2.kind, 'patch');
  assert.ok(cover.kind === 'cover' && p2.kind === 'patch' && cover.seriesKey === p2.seriesKey);
  assert.equal(p2.kind === 'patch' && p2.total, 2);
  const single = classify(await mail('Subject: [PATCH] x'), config, list);
  assert.ok(single.kind === 'patch' && single.seriesKey === '<m@example.org>' && single.total === 1);
});

test('skips say why: replies, quoted patches, bots, ignored senders, other projects, no C, no diff', async () => {
  const config = testConfig({ project: { tags: ['xen'] } }, { bot: { address: 'bot@review.example.org', ignore: ['*@noreply.example.org'] } });
  const list = config.lists[0]!;
  const reason = async (headers: string, body?: string) => {
    const c = classify(await mail(headers, body), config, list);
    return c.kind === 'skipped' ? c.reason : c.kind;
  };
  assert.equal(await reason('Subject: Re: [PATCH] x'), 'a reply');
  assert.equal(await reason('Subject: Re: [PATCH] x', `> ${DIFF.split('\n').join('\n> ')}`), 'a review quoting a patch (reply)');
  assert.equal(await reason('Subject: thoughts', `> ${DIFF.split('\n').join('\n> ')}`), "a patch quoted inside someone's review");
  assert.equal(await reason('Subject: [PATCH] x\nAuto-Submitted: auto-replied'), 'sent by a bot (Auto-Submitted: auto-replied)');
  assert.equal(await reason('Subject: [PATCH] x\nAuto-Submitted: no'), 'patch');
  assert.match(await reason('Subject: [PATCH] x\nFrom: CI <ci@noreply.example.org>'), /ignore list/);
  assert.equal(await reason('Subject: [PATCH xfstests v2 1/3] x'), "another project's patch (subject tag xfstests)");
  assert.equal(await reason('Subject: [PATCH for-4.18 v2] x'), 'patch');
  assert.equal(await reason('Subject: [XEN PATCH] x'), 'patch');
  assert.match(await reason('Subject: [PATCH] x', DIFF.replace(/a\.c/g, 'a.py')), /^no C in the patch \(xen\/common\/a\.py\)/);
  assert.equal(await reason('Subject: [PATCH] x', 'no diff here'), 'patch mail without a diff');
});

test('paths the configured tree lacks mark another project', async () => {
  const config = testConfig({ project: { tree: '/nonexistent-tree' } });
  const c = classify(await mail('Subject: [PATCH] x'), config, config.lists[0]!);
  assert.equal(c.kind === 'skipped' && c.reason, "another project's patch (xen/common/a.c is not in /nonexistent-tree)");
});

test("the bot's own replies are recognised by their Message-ID domain", async () => {
  const config = testConfig();
  const id = replyIdFor('<p@example.org>', 'review.example.org');
  assert.equal(id, replyIdFor('<p@example.org>', 'review.example.org'));
  assert.notEqual(id, replyIdFor('<q@example.org>', 'review.example.org'));
  assert.ok(isOwnReplyId(id, 'review.example.org'));
  const c = classify(await mail(`Subject: Re: [PATCH] x\nMessage-ID: ${id}`), config, config.lists[0]!);
  assert.deepEqual(c, { kind: 'own', replyId: id });
});

test('the policy file is validated with the key at fault named', () => {
  assert.throws(() => readConfig({ lists: [{ name: 'a', mode: 'loud' }] }), (e: Error) => e instanceof ConfigError && /lists\[0\]\.mode: expected one of muted, dry-run, send/.test(e.message));
  assert.throws(() => readConfig({ lists: [{ name: 'a', replyto: 'list' }] }), /lists\[0\]: unknown key replyto/);
  assert.throws(() => readConfig({ lists: [{ name: 'a', mode: 'send', address: 'l@x' }] }), /no smtp section/);
  assert.throws(() => readConfig({ smtp: { host: 'h', passwordEnv: 'NOPE_UNSET' } }, {}), /NOPE_UNSET is not set/);
  const project = readConfig({ lists: [{ name: 'a', project: { apis: { fallible: [{ name: 'xmalloc', convention: 'null' }], infallible: ['printk'] }, disable: ['simplify'] } }] }).lists[0]!.project;
  assert.deepEqual(project.apis, { fallible: [{ name: 'xmalloc', convention: 'null', note: undefined }], infallible: ['printk'] });
  assert.deepEqual(project.disable, ['simplify']);
  assert.throws(() => readConfig({ lists: [{ project: { apis: { fallible: [{ convention: 'null' }] } } }] }), /every entry needs a name/);
  const defaults = readConfig(undefined);
  assert.equal(defaults.lists[0]!.mode, 'dry-run');
  assert.equal(defaults.lists[0]!.noFindings, 'silent');
  assert.equal(defaults.lists[0]!.inconclusive, false);
  const smtp = readConfig({ smtp: { host: 'mx', user: 'bot', passwordEnv: 'PW' } }, { PW: 'secret' }).smtp;
  assert.deepEqual(smtp, { host: 'mx', port: 587, secure: false, requireTls: true, user: 'bot', password: 'secret' });
});

test('mail is matched to its list by List-Id, then by address', () => {
  const config = readConfig({ lists: [{ name: 'a', address: 'a@l', listId: 'a.l' }, { name: 'b', address: 'b@l' }] });
  assert.equal(listFor(config, 'a.l', [])?.name, 'a');
  assert.equal(listFor(config, null, ['x@y', 'b@l'])?.name, 'b');
  assert.equal(listFor(config, null, ['x@y']), null);
});

test('an mbox is split on From lines after a blank line, with >From unescaped', () => {
  const mbox = 'From a Mon Sep 17 00:00:00 2001\nSubject: one\n\nbody\n>From here\n\nFrom b Mon Sep 17 00:00:00 2001\nSubject: two\n\nFrom inside a paragraph stays\n';
  const parts = splitMboxBuffer(Buffer.from(mbox)).map((b) => b.toString());
  assert.deepEqual(parts, ['Subject: one\n\nbody\nFrom here\n', 'Subject: two\n\nFrom inside a paragraph stays\n']);
  assert.equal(splitMboxBuffer(Buffer.from('Subject: bare\n\nbody\n')).length, 1);
});
