import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePatchInput, parsePatchText } from '../../src/patch/index.ts';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/patch/${name}`, import.meta.url));

test('a format-patch mail gives its meta, message, diffstat and hunk', async () => {
  const set = await parsePatchInput(fixture('format-patch.patch'));
  assert.equal(set.kind, 'format-patch');
  const p = set.patches[0]!;
  assert.equal(p.meta.subject, '[PATCH v2 2/3] foo: check the return value of bar()');
  assert.deepEqual([p.meta.version, p.meta.number, p.meta.total], [2, 2, 3]);
  assert.equal(p.meta.author, 'Ada Lovelace <ada@example.org>');
  assert.equal(p.meta.messageId, '<20240102.2@example.org>');
  assert.equal(p.meta.inReplyTo, '<20240102.0@example.org>');
  assert.deepEqual(p.meta.references, ['<20240102.0@example.org>', '<20240102.1@example.org>']);
  assert.equal(p.meta.commit, '1111111111111111111111111111111111111111');
  assert.match(p.meta.message!, /^bar\(\) can fail/);
  assert.deepEqual(p.meta.diffstat, ['foo.c | 4 +++-', '1 file changed, 3 insertions(+), 1 deletion(-)']);
  const f = p.files[0]!;
  assert.deepEqual([f.oldPath, f.newPath, f.status, f.oldBlob, f.newBlob, f.isC], ['foo.c', 'foo.c', 'modified', '1234567', '89abcde', true]);
  const h = f.hunks[0]!;
  assert.deepEqual([h.oldStart, h.oldCount, h.newStart, h.newCount, h.section], [10, 6, 10, 8, 'int foo(void)']);
  assert.equal(h.lines.length, 9);
  assert.deepEqual(h.lines[4], { kind: 'add', text: '\trc = bar();', newLine: 13, sourceLine: 25 });
  assert.ok(!h.recounted);
});

test('a plain diff -u without diff --git lines is a unified diff', async () => {
  const set = await parsePatchInput(fixture('plain.diff'));
  assert.equal(set.kind, 'unified-diff');
  const f = set.patches[0]!.files[0]!;
  assert.deepEqual([f.oldPath, f.newPath], ['foo.c.orig', 'foo.c']);
  assert.deepEqual(f.hunks[0]!.lines.map((l) => l.kind), ['context', 'context', 'del', 'add', 'context']);
});

test('git diff statuses: rename, binary, mode change, new and deleted files', async () => {
  const files = (await parsePatchInput(fixture('git-statuses.diff'))).patches[0]!;
  const by = (p: string) => files.files.find((f) => (f.newPath ?? f.oldPath) === p)!;
  assert.deepEqual([by('new_name.c').status, by('new_name.c').oldPath], ['renamed', 'old_name.c']);
  assert.deepEqual([by('logo.png').status, by('logo.png').isBinary], ['binary', true]);
  assert.deepEqual([by('run.sh').status, by('run.sh').oldMode, by('run.sh').newMode], ['mode-change', '100644', '100755']);
  assert.deepEqual([by('added.h').status, by('added.h').oldPath, by('added.h').isC], ['added', null, true]);
  assert.deepEqual([by('gone.c').status, by('gone.c').newPath], ['deleted', null]);
  assert.ok(files.warnings.some((w) => w.code === 'binary' && w.file === 'logo.png'));
  assert.ok(files.warnings.some((w) => w.code === 'not-c' && w.file === 'run.sh'));
});

test('an mbox series is split into patches and its cover letter is recognised', async () => {
  const set = await parsePatchInput(fixture('series.mbox'));
  assert.equal(set.kind, 'mbox-series');
  assert.equal(set.patches.length, 3);
  assert.deepEqual(set.patches.map((p) => p.isCoverLetter), [true, false, false]);
  assert.deepEqual(set.patches.map((p) => p.meta.number), [0, 1, 2]);
  assert.equal(set.patches[2]!.files[0]!.hunks[0]!.oldStart, 5);
  assert.ok(set.patches[0]!.warnings.some((w) => w.code === 'cover-letter'));
});

for (const [name, expectAccent] of [['mime-qp.eml', true], ['mime-base64.eml', false], ['mime-multipart.eml', false]] as const) {
  test(`a MIME mail (${name}) is decoded with postal-mime before parsing`, async () => {
    const set = await parsePatchInput(fixture(name));
    assert.equal(set.kind, 'mime');
    const p = set.patches[0]!;
    assert.equal(p.meta.subject, '[PATCH] foo: check baré');
    const h = p.files[0]!.hunks[0]!;
    assert.equal(p.files[0]!.newPath, 'foo.c');
    assert.equal(h.lines.filter((l) => l.kind === 'add').length, 3);
    if (expectAccent) assert.ok(h.lines.some((l) => l.text.includes('café')));
    assert.ok(set.warnings.some((w) => w.code === 'mime'));
  });
}

test('parsePatchText reads MIME undecoded and says so', () => {
  const set = parsePatchText(fixture('mime-base64.eml').toString().replace(/base64\n\n[^]*$/, 'base64\n\n@@ -1 +1 @@\n-a\n+b\n'));
  assert.ok(set.warnings.some((w) => w.code === 'mime'));
});

test('CRLF line ends are understood', async () => {
  const p = (await parsePatchInput(fixture('crlf.patch'))).patches[0]!;
  assert.deepEqual(p.files[0]!.hunks[0]!.lines.map((l) => l.text), ['int x;', 'int y;', 'int z;']);
});

test('a truncated patch keeps the lines that parsed and warns', async () => {
  const p = (await parsePatchInput(fixture('truncated.patch'))).patches[0]!;
  const h = p.files[0]!.hunks[0]!;
  assert.equal(h.lines.length, 4);
  assert.ok(h.recounted);
  assert.ok(p.warnings.some((w) => w.code === 'hunk-count-mismatch' && w.line === 5));
});
