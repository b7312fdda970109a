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

test('every function of flattened seed 004 parses cleanly in both images', async () => {
  const { buildCModel } = await import('../../src/c/index.ts');
  const p = (await parsePatchInput(seed004)).patches[0]!;
  const model = buildCModel(p);
  const unclean = model.warnings.filter((w) => /does not parse cleanly/.test(w.message));
  assert.deepEqual(unclean.map((w) => w.message), []);
  const header = model.signatureChanges.find((c) => c.name === 'pci_release_devices' && c.file === 'xen/include/xen/pci.h');
  assert.ok(header, JSON.stringify(model.signatureChanges));
  assert.deepEqual([header.from, header.to], ['void', 'int']);
});

test('flattened pci.h gives its prototype change as a del/add pair', async () => {
  const p = (await parsePatchInput(seed004)).patches[0]!;
  const h = p.files.find((f) => f.newPath === 'xen/include/xen/pci.h')!.hunks[0]!;
  assert.equal(h.section, 'struct pci_dev *pci_lock_domain_pdev(');
  const lines = h.lines.map(show);
  const at = lines.indexOf('-void pci_release_devices(struct domain *d);');
  assert.ok(at >= 0, lines.join('\n'));
  assert.equal(lines[at + 1], '+int pci_release_devices(struct domain *d);');
});

test('flattened markers: "+};" after an enum member, "f(" ending a line, a macro loop, a trailing comment', async () => {
  const p = (await parsePatchInput(seed004)).patches[0]!;
  const io = p.files.find((f) => f.newPath === 'xen/drivers/passthrough/io.c')!;
  const lines = io.hunks.flatMap((h) => h.lines.map(show));
  for (const l of [
    '+STATE_RUN',
    '+};',
    '+static int cpu_callback(',
    '+struct notifier_block *nfb, unsigned long action, void *hcpu)',
    '+.notifier_call = cpu_callback,',
    '+for_each_online_cpu(cpu)',
    '+INIT_LIST_HEAD(&per_cpu(dpci_list, cpu));',
    "+smp_mb(); /* 'd' MUST be saved before we set/clear the bits. */",
  ]) assert.ok(lines.includes(l), l);
  // A "{" after a changed control header is the unchanged next line (brace balance).
  const at = lines.indexOf('+if ( pirq_dpci->state )');
  assert.ok(at >= 0);
  assert.equal(lines[at + 1], ' {');
  const cleanup = lines.indexOf('+if ( !dpci->flags && !pt_pirq_softirq_active(dpci) )');
  assert.equal(lines[cleanup + 1], ' {');
  // "+" standing for an added empty line before an unchanged "switch".
  const sw = lines.indexOf(' switch ( pt_irq_bind->irq_type )');
  assert.ok(sw > 0);
  assert.equal(lines[sw - 1], '+');
});

test('flattened hunk sections end where the hunk counts say', async () => {
  const p = (await parsePatchInput(seed004)).patches[0]!;
  const sections = p.files.flatMap((f) => f.hunks.map((h) => h.section));
  assert.ok(sections.includes('int pt_pirq_iterate(struct domain *d,'));
  assert.ok(sections.includes('int pt_irq_create_bind('));
  assert.ok(sections.includes('int pt_irq_destroy_bind('));
  // Every rebuilt hunk reaches its @@ counts; blank context lines inserted to get there are reported.
  assert.ok(!p.warnings.some((w) => w.code === 'hunk-count-mismatch'), JSON.stringify(p.warnings.filter((w) => w.code === 'hunk-count-mismatch')));
  assert.ok(p.warnings.some((w) => w.code === 'flattened-lines-recovered' && /blank context line/.test(w.message)));
  for (const f of p.files) {
    for (const h of f.hunks) {
      const old = h.lines.filter((l) => l.kind !== 'add').length;
      const nw = h.lines.filter((l) => l.kind !== 'del').length;
      assert.deepEqual([old, nw], [h.oldCount, h.newCount]);
      assert.ok(!h.recounted);
    }
  }
});

test('an archive page leaves its navigation bar, title and header block out of meta.message', async () => {
  const seed002 = readFileSync(new URL('../fixtures/seed-002.txt', import.meta.url), 'utf8');
  const p = (await parsePatchInput(seed002)).patches[0]!;
  assert.match(p.meta.message!, /^Wei,\nPing/);
  assert.ok(!/Date Prev|List-id:/.test(p.meta.message!));
});
