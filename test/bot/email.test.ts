import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderEmailReply, wrapParagraph, replySubject, type EmailReplyInput } from '../../src/report/email.ts';
import { parsePatchInput } from '../../src/patch/index.ts';
import { review } from '../../src/default-review.ts';

const PATCH = `From: Ann Author <ann@example.org>
Subject: [PATCH] xen/qux: report enable failures
Message-ID: <p1@example.org>

Say so.
---
diff --git a/xen/drivers/qux/qux.c b/xen/drivers/qux/qux.c
--- a/xen/drivers/qux/qux.c
+++ b/xen/drivers/qux/qux.c
@@ -40,7 +40,8 @@ static int qux_late_init(struct domain *d)
 
     rc = qux_setup(d);
 
-    qux_enable(d);
+    if ( qux_enable(d) )
+        printk("qux: enable failed, and this is a very long message that no mailer should ever wrap at all\\n");
 
     return rc;
 }
diff --git a/xen/include/xen/qux.h b/xen/include/xen/qux.h
--- a/xen/include/xen/qux.h
+++ b/xen/include/xen/qux.h
@@ -7,3 +7,3 @@
 
-void qux_enable(struct domain *d);
+int qux_enable(struct domain *d);
 
`;

async function input(options: Partial<EmailReplyInput['options']> = {}): Promise<EmailReplyInput> {
  const r = await review(PATCH);
  const set = await parsePatchInput(PATCH);
  return {
    review: r,
    patches: set.patches,
    patchIndex: 0,
    original: { subject: '[PATCH] xen/qux: report enable failures', author: 'Ann Author', date: 'Mon, 5 Jan 2026 10:15:00 +0100', messageId: '<p1@example.org>', references: ['<root@example.org>'] },
    options: {
      minSeverity: 'warning',
      inconclusive: false,
      replyWhenClean: false,
      reporter: 'patch-review bot <bot@example.org>',
      closesUrl: 'https://lists.example.org/r/1/',
      operator: 'Olga <olga@example.org>',
      optOut: 'mail olga@example.org.',
      toolVersion: '9.9.9',
      ...options,
    },
  };
}

test('a reply quotes the flagged hunk lines and comments right under the flagged line', async () => {
  const reply = renderEmailReply(await input());
  assert.ok(reply);
  const lines = reply.text.split('\n');
  assert.equal(lines[0], 'On Mon, 5 Jan 2026 10:15:00 +0100, Ann Author wrote:');
  const flagged = lines.indexOf('> +    if ( qux_enable(d) )');
  assert.ok(flagged > 0, reply.text);
  assert.equal(lines[flagged + 1], '');
  assert.match(lines[flagged + 2]!, /^qux_late_init\(\) returns rc/);
  assert.ok(lines.includes('> --- a/xen/drivers/qux/qux.c'));
  assert.ok(lines.includes('> [...]'));
  // The printk line comes after the flagged line: it is not quoted.
  assert.ok(!lines.some((l) => l.includes('no mailer should ever wrap')));
  assert.match(reply.text, /Simulated: when qux_enable\(\) returns /);
  assert.match(reply.text, /This check comes from .*review/);
});

test('prose is wrapped at 72 columns and quoted code is not', async () => {
  const reply = renderEmailReply(await input());
  assert.ok(reply);
  const [body] = reply.text.split('\n-- \n');
  for (const line of body!.split('\n')) {
    if (line.startsWith('>') || line.startsWith('    ') || /^(Closes|Reported-by):/.test(line) || /^`[^`]*`\S*$/.test(line)) continue;
    assert.ok(line.length <= 72, `over 72 columns: ${line}`);
  }
  assert.deepEqual(wrapParagraph('a '.repeat(50).trim(), 10).every((l) => l.length <= 10), true);
  assert.deepEqual(wrapParagraph(`short ${'x'.repeat(90)} end`, 72), ['short', 'x'.repeat(90), 'end']);
});

test('threading headers answer the patch and keep its references', async () => {
  const reply = renderEmailReply(await input());
  assert.ok(reply);
  assert.equal(reply.subject, 'Re: [PATCH] xen/qux: report enable failures');
  assert.equal(reply.inReplyTo, '<p1@example.org>');
  assert.deepEqual(reply.references, ['<root@example.org>', '<p1@example.org>']);
  assert.equal(replySubject('Re: x'), 'Re: x');
});

test('trailers and the footer: Reported-by, Closes, operator and opt-out', async () => {
  const reply = renderEmailReply(await input());
  assert.ok(reply);
  assert.match(reply.text, /^Reported-by: patch-review bot <bot@example\.org>$/m);
  assert.match(reply.text, /^Closes: https:\/\/lists\.example\.org\/r\/1\/$/m);
  const footer = reply.text.split('\n-- \n')[1]!.replace(/\n/g, ' ');
  assert.match(footer, /patch-review 9\.9\.9/);
  assert.match(footer, /Olga <olga@example\.org>/);
  assert.match(footer, /To stop these replies: mail olga@example\.org\./);
});

test('no reply when policy filters every finding away, unless a clean reply is wanted', async () => {
  assert.equal(renderEmailReply(await input({ minSeverity: 'error' })), null);
  const clean = renderEmailReply(await input({ minSeverity: 'error', replyWhenClean: true }));
  assert.ok(clean);
  assert.match(clean.text, /found nothing to report/);
  assert.doesNotMatch(clean.text, /Reported-by/);
  assert.equal(clean.findings.length, 0);
});

test('a proven fix is shown as an indented snippet, never wrapped', async () => {
  const patch = `--- a/xen/common/corge.c
+++ b/xen/common/corge.c
@@ -14,6 +14,7 @@ int corge_map(struct domain *d, unsigned long gfn)
     if ( !(d->flags & CORGE_WRITABLE) )
-        corge_set_ro(d, gfn);
+        if ( corge_set_ro_with_a_rather_long_function_name_for_the_test(d, gfn, CORGE_FLAG_ONE | CORGE_FLAG_TWO) )
+            goto fail;
 
     return 0;
`;
  const r = await review(patch);
  const set = await parsePatchInput(patch);
  const base = await input({ minSeverity: 'info' });
  const reply = renderEmailReply({ ...base, review: r, patches: set.patches });
  assert.ok(reply, 'nested-if is reported');
  const snippet = reply.text.split('\n').find((l) => l.trim().startsWith("if ( !(d->flags & CORGE_WRITABLE) && corge_set_ro_with"));
  assert.ok(snippet, reply.text);
  assert.ok(snippet.length > 72);
  assert.match(reply.text.replace(/\n(?=\S)/g, ' '), /Suggested \(combine the two conditions; checked to behave the same on every path\):/);
  // Inline code stays on one line even past 72 columns.
  assert.ok(reply.text.split('\n').some((l) => l.startsWith('`if ( !(d->flags & CORGE_WRITABLE) && corge_set_ro_with') && l.endsWith('`.')));
});
