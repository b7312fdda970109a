import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePatchInput, parsePatchText, InputTooLargeError, NoPatchError, PatchInputError } from '../../src/patch/index.ts';

test('an input above maxBytes is rejected before parsing', async () => {
  const big = 'x'.repeat(50 * 1024 * 1024);
  await assert.rejects(parsePatchInput(big), (e: unknown) => e instanceof InputTooLargeError && e.code === 'input-too-large');
  assert.throws(() => parsePatchText('a'.repeat(2000), { maxBytes: 1000 }), PatchInputError);
});

test('inputs without a patch throw NoPatchError naming what was found', async () => {
  const found = async (input: string | Buffer): Promise<string> => {
    try {
      await parsePatchInput(input);
      return 'parsed';
    } catch (e) {
      assert.ok(e instanceof NoPatchError);
      return e.found;
    }
  };
  assert.equal(await found(''), 'an empty input');
  assert.equal(await found('From: a@b\nSubject: hello\n\nJust saying hi.\n'), 'an email with no diff');
  assert.equal(await found('Some plain prose.\nNothing else.\n'), 'plain prose');
  const junk = Buffer.alloc(100_000);
  for (let i = 0; i < junk.length; i++) junk[i] = (i * 2654435761) >>> 24;
  assert.equal(await found(junk), 'binary data');
});

test('a 1 MB single line ends without a patch and without hanging', async () => {
  await assert.rejects(parsePatchInput('a'.repeat(1024 * 1024)), NoPatchError);
  const flat = `diff --git a/x.c b/x.c @@ -1,1 +1,1 @@ ${'-x; +y; '.repeat(100_000)}`;
  const set = await parsePatchInput(flat);
  assert.equal(set.patches[0]!.files[0]!.newPath, 'x.c');
});

test('100 000 tiny hunks parse when the hunk limit allows them, and are refused with the count by default', async () => {
  const parts = ['diff --git a/t.c b/t.c', '--- a/t.c', '+++ b/t.c'];
  for (let i = 0; i < 100_000; i++) parts.push(`@@ -${i * 3 + 1},1 +${i * 3 + 1},1 @@`, '-a', '+b');
  const set = await parsePatchInput(parts.join('\n'), { maxHunks: 100_000 });
  assert.equal(set.patches[0]!.files[0]!.hunks.length, 100_000);
  await assert.rejects(parsePatchInput(parts.join('\n')), (e: unknown) => e instanceof InputTooLargeError && /input has 100000 hunks, above the limit of 2000 hunks/.test(e.message));
});

test('a truncated hunk header and garbage after it never throw', async () => {
  const set = await parsePatchInput('diff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -1,2 +1,2 @@\n a\n-b\n@@ -9\n\u0001\u0002 random\n');
  assert.equal(set.patches[0]!.files[0]!.hunks.length, 1);
});
