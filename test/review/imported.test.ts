// Imported upstream code (src/review/imported.ts): a commit that declares an import of a library release, or a path
// the project config marks as imported, is listed as not reviewed instead of being reviewed as the author's code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { declaredImport } from '../../src/review/imported.ts';
import { reviewWithRules } from '../../src/review/engine.ts';
import { allRules } from '../../rules/index.ts';
import { formatText } from '../../src/report/text.ts';

const mail = (subject: string, body: string, path = 'lib/libzz/src/zz_pool.c'): string => `From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001
From: A Developer <dev@example.org>
Date: Tue, 1 Oct 2024 10:00:00 +0200
Subject: [PATCH] ${subject}

${body}

Signed-off-by: A Developer <dev@example.org>
---
diff --git a/${path} b/${path}
--- a/${path}
+++ b/${path}
@@ -40,6 +40,13 @@ static int zz_pool_grow(struct zz_pool *p, size_t n)
     return 0;
 }
 
+void zz_pool_reset(struct zz_pool *p)
+{
+    p->buf = malloc(p->size);
+    memset(p->buf, 0, p->size);
+}
+
 int zz_pool_size(const struct zz_pool *p)
 {
     return p->size;
-- 
2.40.0
`;

const errorHandling = allRules.filter((r) => r.meta.pack === 'error-handling');

test('commit messages that declare an import of a library release', () => {
  for (const [subject, message] of [
    ['Squashed commit upgrading to libzz-3.6.2', 'Squash merging branch import/libzz-3.6.2.\n\n 1234abcd ("Import libzz-3.6.2")'],
    ['libzz: move to version v1.8.1', 'Import upstream libzz version v1.8.1.'],
    ['Update libzz to v1.6.1', 'Update libzz to v1.6.1 of libzz taken from git://example.org/zz.git.'],
    ['core: import ZZ library', 'Import ZZ v1.4.1 from https://example.org/zz\nCommit 0123abcd (tag v1.4.1)'],
    ['zz: import zz_set() from Linux 5.5', 'As the title says.'],
    ['chore(zz): update zz to v1.3.2', 'Update zz version to v1.3.2\nSource: https://example.org/zz/tree/v1.3.2'],
  ] as const) {
    assert.ok(declaredImport({ subject, message }), subject);
  }
});

test('near misses: a version or "upstream" without an import is the project\'s own change', () => {
  for (const [subject, message] of [
    ['core: arm: sm: upgrade to PSCI 1.1', 'Adds the new calls. [1] https://developer.example.org/den0022/latest/'],
    ['drivers: zz: Update API ids to v2024.1 and newer firmware', 'IMPORTANT: breaks pre-v2024.1 firmware.\nLink: https://example.org/commit/c2dd2ebac38e'],
    ['kernel: bump transfer list to spec version 2.0', '1. https://example.org/handoff/pull/80'],
    ['libzz: fix compilation warning', 'It should have been pushed onto the\nimport/libzz-3.6.2 branch when it was accepted.'],
    ['pygrub: make scripts work with 2.6 and up', 'Import print_function so 2.6 can work.'],
    ['plat: zz: fix the timeout of v2.1 firmware calls', 'The firmware of v2.1 answers late.\nSource: https://example.org/zz/issues/12'],
  ] as const) {
    assert.equal(declaredImport({ subject, message }), undefined, subject);
  }
});

test('a declared import is listed as not reviewed, with the reason, and yields no finding', async () => {
  const r = await reviewWithRules(mail('Squashed commit upgrading to libzz-3.6.2', 'Squash merging branch import/libzz-3.6.2.\n\nImport libzz-3.6.2 from https://example.org/zz'), errorHandling);
  assert.deepEqual(r.findings, []);
  assert.equal(r.notReviewed.length, 1);
  assert.equal(r.notReviewed[0]!.function, '*');
  assert.match(r.notReviewed[0]!.reason, /^imported upstream code: the commit message declares an import/);
  // A policy, counted on its own: not a function the review failed to read (the 99% criterion, docs/precision.md).
  assert.equal(r.notReviewed[0]!.imported, true);
  assert.equal(r.stats.functionsNotReviewed, 0);
  assert.equal(r.stats.filesImported, 1);
  const summary = formatText(r);
  assert.match(summary, /1 file skipped as imported upstream code \(the commit message declares an import/);
  assert.doesNotMatch(summary, /not reviewed \(parse errors|No C in this input/);
});

test('near miss: the same change under an ordinary message is reviewed', async () => {
  const r = await reviewWithRules(mail('libzz: reset the pool', 'Add zz_pool_reset().'), errorHandling);
  assert.deepEqual(r.notReviewed, []);
  assert.ok(r.findings.some((f) => f.function === 'zz_pool_reset'), JSON.stringify(r.findings.map((f) => f.ruleId)));
});

test('config: imported.detect false reviews a declared import; imported.paths marks a directory', async () => {
  const declared = mail('Squashed commit upgrading to libzz-3.6.2', 'Squash merging branch import/libzz-3.6.2.');
  const reviewed = await reviewWithRules(declared, errorHandling, { imported: { detect: false } });
  assert.ok(reviewed.findings.some((f) => f.function === 'zz_pool_reset'));
  const plain = mail('libzz: reset the pool', 'Add zz_pool_reset().');
  const marked = await reviewWithRules(plain, errorHandling, { imported: { paths: ['lib/libzz/src/'] } });
  assert.deepEqual(marked.findings, []);
  assert.match(marked.notReviewed[0]!.reason, /imported\.paths/);
  const elsewhere = await reviewWithRules(plain, errorHandling, { imported: { paths: ['core/lib/other/'] } });
  assert.ok(elsewhere.findings.some((f) => f.function === 'zz_pool_reset'));
});
