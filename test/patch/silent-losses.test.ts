import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePatchInput } from '../../src/patch/index.ts';
import type { Hunk, Patch } from '../../src/patch/types.ts';

const mail = (hunks: string): string => `From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001
From: A Developer <dev@example.org>
Subject: [PATCH] demo: check the helper's result

---
diff --git a/src/demo.c b/src/demo.c
index 1111111..2222222 100644
--- a/src/demo.c
+++ b/src/demo.c
${hunks}-- 
2.40.0
`;

const FIRST = `@@ -3,6 +3,7 @@ int first(void)
 {
     int rc;
 
+    rc = 0;
     rc = helper();
     return rc;
 }
`;

async function one(text: string): Promise<Patch> {
  const set = await parsePatchInput(text);
  assert.equal(set.patches.length, 1);
  return set.patches[0]!;
}

const span = (h: Hunk): string => `-${h.oldStart},${h.oldCount} +${h.newStart},${h.newCount}`;

test('a corrupt hunk header keeps its hunk: the unreadable start is inferred from the earlier hunks and the counts from the lines', async () => {
  const p = await one(mail(`${FIRST}@@ -abc,7 +12,9999 @@ int second(struct dev *d)
 {
     int rc;
 
-    rc = probe(d);
+    probe(d);
     return 0;
 }
`));
  const hunks = p.files[0]!.hunks;
  assert.deepEqual(hunks.map(span), ['-3,6 +3,7', '-11,6 +12,6']);
  assert.equal(hunks[1]!.section, 'int second(struct dev *d)');
  assert.equal(hunks[1]!.lines.find((l) => l.kind === 'del')?.oldLine, 14);
  const w = p.warnings.find((x) => x.code === 'hunk-header-corrupt');
  assert.ok(w, JSON.stringify(p.warnings));
  assert.equal(w.line, 18);
  assert.match(w.message, /-abc,7 \+12,9999/);
  assert.match(w.message, /old start inferred/);
  assert.match(w.message, /input lines 19-25/);
});

test('a hunk header with no readable start names every line it could not place', async () => {
  const p = await one(mail(`${FIRST}@@ -x,y +z @@ int second(void)
 {
-    a();
+    b();
 }
`));
  assert.deepEqual(p.files[0]!.hunks.map(span), ['-3,6 +3,7']);
  const w = p.warnings.find((x) => x.code === 'hunk-header-corrupt');
  assert.ok(w);
  assert.match(w.message, /its 4 lines \(input lines 19-22\) are not reviewed/);
});

test('diff lines past the count a header gives stay in the hunk, which is recounted with a warning', async () => {
  const p = await one(mail(`@@ -30,3 +30,3 @@ int third(void)
 {
-    a();
+    b();
+    c();
 }
`));
  const [hunk] = p.files[0]!.hunks;
  assert.equal(span(hunk!), '-30,3 +30,4');
  assert.deepEqual(hunk!.lines.map((l) => l.kind), ['context', 'del', 'add', 'add', 'context']);
  assert.ok(p.warnings.some((w) => w.code === 'hunk-count-mismatch' && w.line === 10));
});

test('prose after a complete hunk is not taken for diff lines', async () => {
  const text = `--- a/x.c
+++ b/x.c
@@ -1,2 +1,2 @@
 a
-b
+c
Thanks,
 A
`;
  const p = await one(text);
  assert.deepEqual(p.files[0]!.hunks.map(span), ['-1,2 +1,2']);
});

test('on the seed reply, a corrupted header keeps every added line of its hunk at the same place', async () => {
  const { readFileSync } = await import('node:fs');
  const seed = readFileSync(new URL('../fixtures/seed-000.txt', import.meta.url), 'utf8');
  const header = '@@ -2443,11 +2443,18 @@';
  assert.ok(seed.includes(header));
  const added = (p: Patch): string[] =>
    p.files.flatMap((f) => f.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'add').map((l) => `${f.newPath}:${l.newLine}:${l.text.trim()}`)));
  const intact = (await parsePatchInput(seed)).patches[0]!;
  const broken = (await parsePatchInput(seed.replace(header, '@@ -abc,11 +2443,9999 @@'))).patches[0]!;
  assert.deepEqual(added(broken), added(intact));
  assert.ok(broken.warnings.some((w) => w.code === 'hunk-header-corrupt'));
});
