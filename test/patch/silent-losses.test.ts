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

// Every diff line is either in a hunk or named by a warning (issue 8; the fuzz property in test/fuzz/patch.test.ts).
const inHunks = (p: Patch): number[] => p.files.flatMap((f) => f.hunks.flatMap((h) => h.lines.map((l) => l.sourceLine)));

test('CR CR LF line ends (a CRLF conversion applied twice) are one line end: no blank line between every two, no hunk cut short', async () => {
  const text = mail(FIRST).split('\n').join('\r\r\n');
  const p = await one(text);
  const [hunk] = p.files[0]!.hunks;
  assert.equal(span(hunk!), '-3,6 +3,7');
  assert.deepEqual(hunk!.lines.map((l) => l.sourceLine), [11, 12, 13, 14, 15, 16, 17]);
  assert.equal(hunk!.lines[1]!.text, '    int rc;');
  assert.deepEqual(p.warnings.filter((w) => w.code === 'hunk-count-mismatch'), []);
});

test('a context line past the count a header gives (a duplicated line) stays in the hunk, which is recounted', async () => {
  const p = await one(mail(`@@ -30,2 +30,3 @@ int third(void)
 {
 {
+    b();
 }
`));
  const [hunk] = p.files[0]!.hunks;
  assert.equal(span(hunk!), '-30,3 +30,4');
  assert.deepEqual(inHunks(p), [11, 12, 13, 14]);
  assert.ok(p.warnings.some((w) => w.code === 'hunk-count-mismatch' && w.line === 10));
});

test('a hunk header wrapped before its closing @@ is joined with the next line, and said', async () => {
  const p = await one(mail(`@@ -3,6
 +3,7 @@ int first(void)
${FIRST.split('\n').slice(1).join('\n')}`));
  const [hunk] = p.files[0]!.hunks;
  assert.equal(span(hunk!), '-3,6 +3,7');
  assert.equal(hunk!.section, 'int first(void)');
  assert.equal(hunk!.lines.length, 7);
  const w = p.warnings.find((x) => x.code === 'hunk-header-rewrapped')!;
  assert.match(w.message, /wrapped before its closing @@ \(input lines 10-11\); joined/);
});

test('a hunk header cut before its @@ is a corrupt header: its ranges are read, its lines kept and said', async () => {
  const p = await one(mail(`${FIRST}@@ -20,3 +21
 {
-    a();
+    b();
 }
`));
  assert.deepEqual(p.files[0]!.hunks.map(span), ['-3,6 +3,7', '-20,3 +21,3']);
  const w = p.warnings.find((x) => x.code === 'hunk-header-corrupt')!;
  assert.match(w.message, /"@@ -20,3 \+21" is corrupt; read as @@ -20,3 \+21,3 @@ \(counts from its 4 lines, input lines 19-22\)/);
});

test('diff lines under a line that is no hunk header are named in one lines-ignored warning per run', async () => {
  const p = await one(mail(`${FIRST}@@@
 {
-    a();
+    b();
 }
`));
  assert.deepEqual(p.files[0]!.hunks.map(span), ['-3,6 +3,7']);
  const w = p.warnings.find((x) => x.code === 'lines-ignored')!;
  assert.equal(w.line, 19);
  assert.equal(w.file, 'src/demo.c');
  assert.equal(w.message, 'input lines 19-22 look like diff lines, but no readable hunk header counts them; not reviewed');
});

test('a corrupt header with no diff line after it is said and makes no empty hunk', async () => {
  const p = await one('--- a/a.c\n+++ b/a.c\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n@@ -9\nrandom words\n');
  assert.equal(p.files[0]!.hunks.length, 1);
  assert.ok(p.warnings.some((w) => w.code === 'hunk-header-corrupt' && /"@@ -9" is corrupt and no diff line follows it; ignored/.test(w.message)));
});

test('extended header lines between a file header and an unreadable hunk header are no prose: the diff lines after them are named', async () => {
  const p = await one(`diff --git a/gone.c b/gone.c
deleted file mode 100644
index 6666666..0000000
--- a/gone.c
+++ /dev/null
@@@
-int gone;
-int gone2;
`);
  const w = p.warnings.find((x) => x.code === 'lines-ignored')!;
  assert.equal(w.message, 'input lines 7-8 look like diff lines, but no readable hunk header counts them; not reviewed');
});

const SECOND_BODY = ` {
     int rc;
 
-    rc = helper();
+    rc = helper_checked();
     return rc;
 }
`;

test('a hunk header wrapped at its first column: the rest of it and the lines after it, up to the signature, are named', async () => {
  const text = mail(`${FIRST}@\n@ -12,7 +13,7 @@ int second(void)\n${SECOND_BODY}`);
  const p = await one(text);
  assert.equal(p.files[0]!.hunks.length, 1);
  const w = p.warnings.find((x) => x.code === 'lines-ignored');
  assert.ok(w, JSON.stringify(p.warnings));
  const first = text.split('\n').indexOf(' {', text.split('\n').indexOf('@ -12,7 +13,7 @@ int second(void)')) + 1;
  assert.equal(w.line, first);
  assert.match(w.message, new RegExp(`input lines ${first}-${first + 6} look like diff lines`));
});

test('diff lines between a line read as prose and the next hunk header are named, not read as the mail text', async () => {
  const text = mail(`${FIRST}a line the parser cannot place\n ctx_a;\n-old_b;\n+new_b;\n@@ -20,3 +21,3 @@\n ctx;\n-x;\n+y;\n ctx2;\n`);
  const p = await one(text);
  assert.deepEqual(p.files[0]!.hunks.map(span), ['-3,6 +3,7', '-20,3 +21,3']);
  const w = p.warnings.find((x) => x.code === 'lines-ignored');
  assert.ok(w, JSON.stringify(p.warnings));
  const at = text.split('\n').indexOf(' ctx_a;') + 1;
  assert.match(w.message, new RegExp(`input lines ${at}-${at + 2} look like diff lines`));
});

test("a file's extended header lines whose diff --git line was lost are named, and end the hunk before them", async () => {
  // the first hunk is one line short of its counts: the `index` line must not be read as a comment inside it
  const text = mail(`${FIRST.replace(' }\n', '')}index 3333333..4444444 100644\nBinary files a/logo.png and b/logo.png differ\n`);
  const p = await one(text);
  assert.equal(p.comments.length, 0);
  const w = p.warnings.find((x) => x.code === 'lines-ignored');
  assert.ok(w, JSON.stringify(p.warnings));
  const at = text.split('\n').indexOf('index 3333333..4444444 100644') + 1;
  assert.match(w.message, new RegExp(`input lines ${at}-${at + 1} are a file's extended header`));
});

test('before any file header, diff lines after an unreadable hunk header are named', async () => {
  const text = `@@@\n+added_line();\n--- a/src/demo.c\n+++ b/src/demo.c\n${FIRST}`;
  const set = await parsePatchInput(text);
  const w = [...set.warnings, ...set.patches.flatMap((p) => p.warnings)].find((x) => x.code === 'lines-ignored');
  assert.ok(w);
  assert.equal(w.line, 2);
  assert.match(w.message, /input line 2 looks like a file's diff or extended header lines after input line 1 \(an unreadable hunk header\)/);
});

test('diff-shaped lines after a mailing list footer are the archive page, not the patch: no warning', async () => {
  const text = mail(FIRST).replace('-- \n2.40.0\n', '_______________________________________________\nXen-devel mailing list\n \n |\n');
  const p = await one(text);
  assert.deepEqual(p.warnings.filter((x) => x.code === 'lines-ignored'), []);
});

test('a hunk header counting no lines at all (-a,0 +b,0) is read as corrupt, its counts from the lines after it', async () => {
  const p = await one(mail(FIRST.replace('@@ -3,6 +3,7 @@', '@@ -3,0 +3,0 @@')));
  assert.deepEqual(p.files[0]!.hunks.map(span), ['-3,6 +3,7']);
  assert.ok(p.warnings.some((w) => w.code === 'hunk-header-corrupt' && w.message.includes('read as @@ -3,6 +3,7 @@')), JSON.stringify(p.warnings));
});

test('a pure addition to an empty file (-0,0 +1,N) is a hunk as written: near miss of the no-lines header', async () => {
  const p = await one(mail('@@ -0,0 +1,2 @@\n+int a;\n+int b;\n'));
  assert.deepEqual(p.files[0]!.hunks.map(span), ['-0,0 +1,2']);
  assert.deepEqual(p.warnings.filter((w) => w.code === 'hunk-header-corrupt'), []);
});
