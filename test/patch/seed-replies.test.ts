import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePatchInput, type Patch } from '../../src/patch/index.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const fold = (s: string): string => s.replace(/\s+/g, ' ').trim();

function lineAt(patch: Patch, file: string, hunkIndex: number, lineIndex: number): string {
  const f = patch.files.find((x) => x.newPath === file)!;
  const l = f.hunks[hunkIndex]!.lines[lineIndex]!;
  return `${l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' '}${fold(l.text)}`;
}

test('seed 000 is a quoted reply to [PATCH v4 1/3]', async () => {
  const set = await parsePatchInput(fixture('seed-000.txt'));
  assert.equal(set.kind, 'quoted-reply');
  const meta = set.patches[0]!.meta;
  assert.equal(meta.subject, '[PATCH v4 1/3] VT-d: Check VT-d Device-TLB flush error.');
  assert.equal(meta.version, 4);
  assert.equal(meta.number, 1);
  assert.equal(meta.total, 3);
});

test('seed 000 agrees hunk for hunk with its hand recovery', async () => {
  const quoted = (await parsePatchInput(fixture('seed-000.txt'))).patches[0]!;
  const recovered = (await parsePatchInput(fixture('seed-000-recovered.patch'))).patches[0]!;
  assert.equal(quoted.files.length, 12);
  assert.deepEqual(
    quoted.files.map((f) => f.newPath),
    recovered.files.map((f) => f.newPath),
  );
  const hunks = (p: Patch) => p.files.flatMap((f) => f.hunks);
  assert.equal(hunks(recovered).length, 35);
  assert.equal(hunks(quoted).length, 35);
  hunks(quoted).forEach((h, i) => {
    const r = hunks(recovered)[i]!;
    assert.equal(h.oldStart, r.oldStart, `hunk ${i} old start`);
    assert.equal(h.newStart, r.newStart, `hunk ${i} new start`);
    assert.deepEqual(
      h.lines.map((l) => `${l.kind} ${fold(l.text)}`),
      r.lines.map((l) => `${l.kind} ${fold(l.text)}`),
      `hunk ${i} lines`,
    );
  });
});

test('seed 000 joins wrapped hunk headers into their section', async () => {
  const p = (await parsePatchInput(fixture('seed-000.txt'))).patches[0]!;
  const mm = p.files.find((f) => f.newPath === 'xen/arch/x86/mm.c')!;
  assert.equal(mm.hunks[0]!.section, 'static int __get_page_type(struct page_info *page, unsigned long type,');
  assert.ok(p.warnings.some((w) => w.code === 'hunk-header-rewrapped'));
  assert.ok(p.meta.diffstat!.includes('xen/drivers/passthrough/vtd/iommu.c | 157 ++++++++++++++++++++------'));
});

test('seed 000 attaches reviewer comments to the quoted line they follow', async () => {
  const p = (await parsePatchInput(fixture('seed-000.txt'))).patches[0]!;
  const reuse = p.comments.find((c) => c.text === "you can reuse 'rc' here.")!;
  assert.equal(reuse.after!.file, 'xen/arch/x86/mm/p2m.c');
  const p2m = p.files.find((f) => f.newPath === 'xen/arch/x86/mm/p2m.c')!;
  const h = p2m.hunks[reuse.after!.hunkIndex]!;
  assert.equal(reuse.after!.lineIndex, h.lines.length - 1);
  assert.equal(reuse.after!.quoteDepth, 1);

  const notError = p.comments.find((c) => c.text === 'not an error.')!;
  assert.equal(notError.after!.file, 'xen/drivers/passthrough/vtd/iommu.c');
  assert.equal(lineAt(p, notError.after!.file, notError.after!.hunkIndex, notError.after!.lineIndex), '+return -EINVAL;');
  const vtd = p.files.find((f) => f.newPath === 'xen/drivers/passthrough/vtd/iommu.c')!;
  assert.match(vtd.hunks[notError.after!.hunkIndex]!.lines.map((l) => l.text).join('\n'), /vtd_suspend/);
});

test('a comment inside a quoted hunk does not end the hunk', async () => {
  const p = (await parsePatchInput(fixture('seed-000.txt'))).patches[0]!;
  const vtd = p.files.find((f) => f.newPath === 'xen/drivers/passthrough/vtd/iommu.c')!;
  const suspend = vtd.hunks.find((h) => h.oldStart === 2372)!;
  assert.equal(suspend.oldCount, 16);
  assert.equal(suspend.newCount, 19);
  assert.ok(!suspend.recounted);
});

test('every hunk line of seed 000 points back at its raw input line', async () => {
  const raw = fixture('seed-000.txt').split('\n');
  const p = (await parsePatchInput(fixture('seed-000.txt'))).patches[0]!;
  for (const f of p.files)
    for (const h of f.hunks)
      for (const l of h.lines) assert.ok(fold(raw[l.sourceLine - 1]!).includes(fold(l.text)), `line ${l.sourceLine}`);
});

test('seed 002, whose quote markers were lost, still yields its files, hunks and comments', async () => {
  const set = await parsePatchInput(fixture('seed-002.txt'));
  const p = set.patches[0]!;
  assert.equal(p.meta.number, 1);
  assert.equal(p.meta.total, 13);
  assert.ok(p.files.some((f) => f.newPath === 'tools/libxl/libxlu_pci.c' && f.isC && f.hunks.length >= 3));
  assert.ok(p.comments.some((c) => c.text.includes('Shouldn\'t this be "TYPE,RDM_RESERVE_STRIGN"')));
  for (const f of p.files)
    for (const h of f.hunks) assert.ok(h.lines.every((l) => !l.text.startsWith("Shouldn't this be")));
});

test('seed 003 yields both nested quoted patches', async () => {
  const set = await parsePatchInput(fixture('seed-003.txt'));
  assert.equal(set.kind, 'quoted-reply');
  assert.equal(set.patches.length, 2);
  for (const p of set.patches) {
    assert.deepEqual(p.files.map((f) => f.newPath), ['drivers/xen/privcmd.c', 'include/xen/privcmd.h']);
  }
  const older = set.patches[1]!;
  assert.equal(older.meta.author, 'David Vrabel <david.vrabel@xxxxxxxxxx>');
  const first = set.patches[0]!.files[0]!.hunks[2]!;
  assert.equal(first.section, 'static long privcmd_ioctl_mmap_batch(void __user *udata)');
});
