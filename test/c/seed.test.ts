import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildCModel } from '../../src/c/index.ts';
import type { Patch } from '../../src/patch/types.ts';
import { diffToPatch } from './helpers.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

async function seedPatch(): Promise<Patch> {
  try {
    const mod = (await import('../../src/patch/index.ts')) as { parsePatchText?: (t: string) => { patches: Patch[] } };
    const set = mod.parsePatchText?.(fixture('seed-000.txt'));
    if (set && set.patches[0] && set.patches[0].files.length > 0) return set.patches[0];
  } catch {
    // The patch parser is not there yet: use the hand-recovered diff.
  }
  return diffToPatch(fixture('seed-000-recovered.patch'));
}

interface GoldItem {
  id: string;
  file: string;
  function: string;
  anchor: string;
  anchor_after?: string;
}

const squash = (s: string): string => s.replace(/\s+/g, '');

for (const source of ['quoted reply', 'recovered diff'] as const) {
  test(`every gold function of seed 000 (${source}) is a touched function whose post image holds its anchor`, async () => {
    const patch = source === 'quoted reply' ? await seedPatch() : diffToPatch(fixture('seed-000-recovered.patch'));
    const model = buildCModel(patch);
    const gold = JSON.parse(fixture('seed-gold.json')) as { items: GoldItem[] };
    for (const item of gold.items) {
      const file = model.files.find((f) => f.path === item.file);
      assert.ok(file, `file ${item.file}`);
      const fn = file.functions.find((f) => f.name === item.function);
      assert.ok(fn, `${item.function} in ${item.file}`);
      assert.ok(fn.post, `${item.function} has a post image`);
      assert.ok(fn.post.health.clean, `${item.function} post image parses: ${JSON.stringify(fn.post.health.firstError)}`);
      assert.ok(fn.pre?.health.clean ?? true, `${item.function} pre image parses`);
      const rows = fn.post.rawLines.map(squash);
      // G04's anchor is outside every quoted hunk (the reviewer quotes the tree): only the function counts.
      const visible = patch.files.flatMap((f) => f.hunks.flatMap((h) => h.lines.filter((l) => l.kind !== 'del').map((l) => squash(l.text))));
      if (!visible.some((l) => l.includes(squash(item.anchor)))) continue;
      const at = rows.findIndex((r, i) => r.includes(squash(item.anchor)) && (!item.anchor_after || rows.slice(0, i).some((p) => p.includes(squash(item.anchor_after!)))));
      assert.ok(at >= 0, `${item.id} ${item.function}: anchor ${item.anchor}`);
    }
  });

  test(`seed 000 (${source}): the void to int conversions are signature changes and image return types`, async () => {
    const patch = source === 'quoted reply' ? await seedPatch() : diffToPatch(fixture('seed-000-recovered.patch'));
    const model = buildCModel(patch);
    const names = [
      'iommu_hwdom_init', 'iommu_suspend', 'iommu_crash_shutdown', 'dma_pte_clear_one', 'intel_iommu_hwdom_init',
      'iommu_pte_flush', 'vtd_suspend', 'vtd_crash_shutdown', '__intel_iommu_iotlb_flush',
    ];
    for (const name of names) {
      const fn = model.files.flatMap((f) => f.functions).find((f) => f.name === name);
      assert.ok(fn, name);
      assert.equal(fn.pre?.returnType, 'void', `${name} pre`);
      assert.equal(fn.post?.returnType, 'int', `${name} post`);
      const change = model.signatureChanges.find((c) => c.name === name);
      assert.ok(change, `signature change for ${name}`);
      assert.deepEqual([change.from, change.to], ['void', 'int']);
    }
    const inferred = model.signatureChanges.find((c) => c.name === '__intel_iommu_iotlb_flush');
    assert.equal(inferred?.isInferred, true);
    for (const file of model.files) assert.equal(file.parseSummary.clean, file.parseSummary.total, file.path);
  });
}
