import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePatchInput, type HunkLine } from '../../src/patch/index.ts';

const seed004 = readFileSync(new URL('../fixtures/seed-004.txt', import.meta.url), 'utf8');
const show = (l: HunkLine): string => `${l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' '}${l.text.replace(/\s+/g, ' ').trim()}`;

test('a flattened commit mail is rebuilt into its six files', async () => {
  const set = await parsePatchInput(seed004);
  assert.equal(set.kind, 'commit-mail');
  const p = set.patches[0]!;
  assert.equal(p.meta.commit, 'f6dd295381f4b6a66acddacf46bca8940586c8d8');
  assert.equal(p.meta.subject, 'dpci: replace tasklet with softirq');
  assert.deepEqual(p.files.map((f) => f.newPath), [
    'xen/arch/x86/domain.c',
    'xen/drivers/passthrough/io.c',
    'xen/drivers/passthrough/pci.c',
    'xen/include/asm-x86/softirq.h',
    'xen/include/xen/hvm/irq.h',
    'xen/include/xen/pci.h',
  ]);
  assert.ok(p.warnings.some((w) => w.code === 'flattened-lines-recovered'));
});

test('flattened pci.c comes back with its void-to-int changes as del/add lines', async () => {
  const p = (await parsePatchInput(seed004)).patches[0]!;
  const pci = p.files.find((f) => f.newPath === 'xen/drivers/passthrough/pci.c')!;
  const lines = pci.hunks.flatMap((h) => h.lines.map(show));
  const at = lines.indexOf('-static void pci_clean_dpci_irqs(struct domain *d)');
  assert.ok(at >= 0);
  assert.equal(lines[at + 1], '+static int pci_clean_dpci_irqs(struct domain *d)');
  assert.ok(lines.includes('-void pci_release_devices(struct domain *d)'));
  assert.ok(lines.includes('+int pci_release_devices(struct domain *d)'));
  assert.ok(lines.includes('-return;'));
  assert.ok(lines.includes('+return 0;'));
  // A binary minus is not a line marker.
  assert.ok(!lines.some((l) => l === '-ERESTART : 0;'));
});

test('flattened hunks keep the header counts of their add and del lines', async () => {
  const p = (await parsePatchInput(seed004)).patches[0]!;
  const softirq = p.files.find((f) => f.newPath === 'xen/include/asm-x86/softirq.h')!;
  const kinds = softirq.hunks[0]!.lines.map(show);
  assert.deepEqual(kinds.filter((l) => l[0] !== ' '), [
    '-#define NR_ARCH_SOFTIRQS 5',
    '+#define HVM_DPCI_SOFTIRQ (NR_COMMON_SOFTIRQS + 5)',
    '+#define NR_ARCH_SOFTIRQS 6',
  ]);
});
