import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePatchInput } from '../../src/patch/index.ts';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/patch/${name}`, import.meta.url));
const codes = (ws: { code: string }[]): Set<string> => new Set(ws.map((w) => w.code));

test('a wrapped diff --git line and a wrapped hunk header are joined back', async () => {
  const p = (await parsePatchInput(fixture('mangled-reply.txt'))).patches[0]!;
  const f = p.files[0]!;
  assert.equal(f.newPath, 'drivers/some/very/long/path/to/a/driver/file.c');
  assert.equal(f.hunks[0]!.section, 'static int a_rather_long_function_name(struct device *dev, unsigned long flags)');
  assert.equal(f.hunks[0]!.lines[0]!.text, '{');
  assert.ok(codes(p.warnings).has('hunk-header-rewrapped'));
});

test('quoted context lines that lost their leading space are context lines', async () => {
  const p = (await parsePatchInput(fixture('mangled-reply.txt'))).patches[0]!;
  const first = p.files[0]!.hunks[0]!.lines;
  assert.deepEqual(first.slice(0, 3).map((l) => [l.kind, l.text, l.repaired]), [
    ['context', '{', true],
    ['context', 'int rc;', true],
    ['del', ' foo();', undefined],
  ]);
  assert.ok(codes(p.warnings).has('context-space-restored'));
});

test('a reviewer comment is kept apart and the hunk continues after it', async () => {
  const p = (await parsePatchInput(fixture('mangled-reply.txt'))).patches[0]!;
  const c = p.comments.find((x) => x.text === 'Why not return directly?')!;
  assert.deepEqual(c.after, { file: 'drivers/some/very/long/path/to/a/driver/file.c', hunkIndex: 0, lineIndex: 4, quoteDepth: 1 });
  assert.equal(c.startLine, 14);
  const h = p.files[0]!.hunks[0]!;
  assert.deepEqual(h.lines.slice(5).map((l) => l.text), [' return rc;', 'bar();']);
});

test('an elision ends the quoted hunk, which is recounted, and the gap is marked', async () => {
  const p = (await parsePatchInput(fixture('mangled-reply.txt'))).patches[0]!;
  const [first, second] = p.files[0]!.hunks;
  assert.deepEqual([first!.oldCount, first!.newCount, first!.recounted], [4, 6, true]);
  assert.deepEqual([second!.oldStart, second!.newStart], [200, 202]);
  assert.ok(codes(p.warnings).has('elision'));
  assert.ok(codes(p.warnings).has('hunk-count-mismatch'));
});

test('nested quotes: the patch at ">> " depth, comments from shallower depths', async () => {
  const set = await parsePatchInput(fixture('nested.txt'));
  const p = set.patches[0]!;
  assert.equal(set.kind, 'quoted-reply');
  const h = p.files[0]!.hunks[0]!;
  assert.deepEqual(h.lines.map((l) => l.kind), ['context', 'context', 'del', 'add', 'context']);
  assert.ok(!h.recounted);
  assert.deepEqual(p.comments.map((c) => c.text), ['Bob: is 1 wrong?', 'Yes, it is.']);
  assert.equal(p.comments[0]!.after!.quoteDepth, 3);
  assert.equal(p.comments[0]!.after!.lineIndex, 2);
});

test('a diffstat line wrapped by the mailer is joined', async () => {
  const text = 'Subject: [PATCH] x\n\n---\n a/very/long/file.c | 157\n ++++++++++----\n 1 file changed\n\ndiff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -1 +1 @@\n-a\n+b\n';
  const p = (await parsePatchInput(text)).patches[0]!;
  assert.deepEqual(p.meta.diffstat, ['a/very/long/file.c | 157 ++++++++++----', '1 file changed']);
  assert.ok(codes(p.warnings).has('diffstat-rewrapped'));
});

test('an unquoted diff whose context lines lost their space still parses', async () => {
  const text = 'diff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -1,3 +1,3 @@\nint a;\n-int b;\n+int c;\nint d;\n';
  const h = (await parsePatchInput(text)).patches[0]!.files[0]!.hunks[0]!;
  assert.deepEqual(h.lines.map((l) => l.kind), ['context', 'del', 'add', 'context']);
  assert.equal(h.lines[3]!.oldLine, 3);
});
