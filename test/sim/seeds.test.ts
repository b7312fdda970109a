import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { differential, equivalent, functionFromSource, mayReturnSuccessAfterFailure } from '../../src/sim/index.ts';

const fx = (n: string) => functionFromSource(readFileSync(new URL(`../fixtures/sim/${n}.c`, import.meta.url), 'utf8'));

for (const g of ['g11-iommu-suspend', 'g12-iommu-crash-shutdown', 'g18-domain-context-mapping-one', 'g20-intel-iommu-map-page']) {
  test(`${g}: returning the callee's result directly is equivalent`, () => {
    const r = equivalent(fx(`${g}.post`), fx(`${g}.rewrite`));
    assert.equal(r.verdict, 'equivalent', r.counterexample?.story ?? r.reason);
  });
}

test('G05: reusing rc in the unmap loop loses the earlier error', () => {
  const r = equivalent(fx('g05-guest-physmap-add-entry.post'), fx('g05-guest-physmap-add-entry.rewrite'));
  assert.equal(r.verdict, 'different');
  assert.match(r.counterexample!.story, /iommu_unmap_page\(\) returns 0/);
  assert.match(r.counterexample!.story, /rc = 0: the error is lost/);
  assert.equal(r.counterexample!.b.vars!.rc, '0');
});

test('G09: reusing rc for ret is not equivalent (rc may hold the loop error)', () => {
  const r = equivalent(fx('g09-xenmem-add-to-physmap.post'), fx('g09-xenmem-add-to-physmap.rewrite'), { preserveAtGaps: ['ret'] });
  assert.equal(r.verdict, 'different');
  assert.match(r.counterexample!.story, /rc = 0/);
});

test('G13: hoisting the flush-and-return out of both branches is equivalent', () => {
  const r = equivalent(fx('g13-intel-iommu-iotlb-flush.post'), fx('g13-intel-iommu-iotlb-flush.rewrite'), { preserveAtGaps: ['rc'] });
  assert.equal(r.verdict, 'equivalent', r.counterexample?.story ?? r.reason);
});

test('G16: the single-exit rewrite is equivalent with rc initialised', () => {
  const r = equivalent(fx('g16-dma-pte-clear-one.post'), fx('g16-dma-pte-clear-one.rewrite'), { preserveAtGaps: ['rc'] });
  assert.equal(r.verdict, 'equivalent', r.counterexample?.story ?? r.reason);
});

test('G16: the single-exit rewrite without initialising rc reads it uninitialised', () => {
  const r = equivalent(fx('g16-dma-pte-clear-one.post'), fx('g16-dma-pte-clear-one.rewrite-uninit'), { preserveAtGaps: ['rc'] });
  assert.equal(r.verdict, 'different');
  assert.match(r.counterexample!.story, /reads rc uninitialised/);
});

test('G03: the unmap branch now returns where the pre-image went on; the map branch is not flagged', () => {
  const r = differential(fx('g03-get-page-type.pre'), fx('g03-get-page-type.post'));
  assert.equal(r.status, 'complete');
  assert.equal(r.successPathChanges.length, 1);
  const [d] = r.successPathChanges;
  assert.equal(d!.kind, 'end-kind');
  assert.equal(d!.line, 10);
  assert.equal(d!.post.value, '0');
  assert.ok(!r.successPathChanges.some((x) => x.line >= 12));
});

test('G24: the success-path return value changes from 1 to 0', () => {
  const r = differential(fx('g24-flush-iotlb-qi.pre'), fx('g24-flush-iotlb-qi.post'));
  assert.equal(r.successPathChanges.length, 1);
  assert.equal(r.successPathChanges[0]!.kind, 'return-value');
  assert.equal(r.successPathChanges[0]!.pre.value, '1');
  assert.equal(r.successPathChanges[0]!.post.value, '0');
});

for (const g of ['pci-clean-dpci-irqs', 'pci-release-devices']) {
  test(`seed 004 ${g}: void -> int returning 0 is no change, and the failures reach the return`, () => {
    const r = differential(fx(`${g}.pre`), fx(`${g}.post`));
    assert.equal(r.status, 'complete', r.reason);
    assert.deepEqual(r.successPathChanges, []);
    assert.equal(r.failuresReaching.length, 1);
    assert.deepEqual(r.failuresLost, []);
  });
}

test('intel_iommu_hwdom_init: a failing iommu_flush_all() is printed and 0 returned; an unknown convention is said to be unknown', () => {
  const r = mayReturnSuccessAfterFailure(fx('intel-iommu-hwdom-init.post'), { callee: 'iommu_flush_all', line: 17 });
  assert.equal(r.verdict, 'verified');
  assert.equal(r.witness!.story, 'when iommu_flush_all() returns a negative value (its failure convention is not known), intel_iommu_hwdom_init() prints a warning and returns 0');
  assert.ok(r.witness!.steps.some((s) => s.line === 17 && /convention is not known/.test(s.text)));
  assert.ok(!/-EIO/.test(JSON.stringify(r.witness!.steps)));
  assert.equal(r.witness!.steps.at(-1)!.line, 28);
});

test('vtd_suspend: a failing iommu_flush_all() is returned, so the query is refuted', () => {
  const r = mayReturnSuccessAfterFailure(fx('vtd-suspend.post'), { callee: 'iommu_flush_all', line: 11 });
  assert.equal(r.verdict, 'refuted');
});
