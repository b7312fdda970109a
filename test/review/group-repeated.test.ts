import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { review } from '../../src/default-review.ts';
import { formatSarif } from '../../src/report/sarif.ts';
import { makeBaseline, subtractBaseline } from '../../src/cli/baseline.ts';

// The shape of TF-A ac41faff6393: a new driver function writes register after register through one helper and drops
// every result; a maintainer writes one comment naming the calls, not one per call.
const PATCH = `--- a/drivers/pmic/pmic.c
+++ b/drivers/pmic/pmic.c
@@ -1,1 +1,22 @@
 #include "pmic.h"
+
+void pmic_setup(void)
+{
+\tpmic_write(0x10, 0x01);
+\tpmic_write(0x11, 0x02);
+\tpmic_read(0x12);
+\tpmic_write(0x13, 0x03);
+}
+
+void pmic_suspend(void)
+{
+\tpmic_write(0x20, 0x00);
+}
+
+int pmic_init(void)
+{
+\tif (pmic_write(0x01, 0x01))
+\t\treturn -EIO;
+\treturn pmic_read(0x02) < 0 ? -EIO : 0;
+}
--- a/drivers/pmic/pmic.h
+++ b/drivers/pmic/pmic.h
@@ -1,2 +1,2 @@
-void pmic_write(int reg, int val);
-void pmic_read(int reg);
+int pmic_write(int reg, int val);
+int pmic_read(int reg);
`;

describe('repeated findings of one callee in one function', () => {
  it('are one finding at the first call, the other calls its related locations and named in the message', async () => {
    const r = await review(PATCH);
    const dropped = r.findings.filter((f) => f.ruleId === 'error-handling/dropped-error');
    const setupWrites = dropped.filter((f) => f.function === 'pmic_setup' && f.snippet.startsWith('pmic_write'));
    assert.equal(setupWrites.length, 1);
    const g = setupWrites[0]!;
    assert.equal(g.line, 5);
    assert.equal(g.verdict, 'verified');
    assert.deepEqual(g.related?.map((x) => x.line), [6, 8]);
    assert.match(g.message, /all 3 calls of pmic_write\(\) in pmic_setup\(\), at lines 5, 6, 8\./);
    const sarif = JSON.parse(formatSarif(r)) as { runs: { results: { relatedLocations?: unknown[] }[] }[] };
    assert.ok(sarif.runs[0]!.results.some((x) => x.relatedLocations?.length === 2));
  });

  it('near misses: another callee in the function, the same callee in another function stay their own findings', async () => {
    const r = await review(PATCH);
    const dropped = r.findings.filter((f) => f.ruleId === 'error-handling/dropped-error');
    const read = dropped.filter((f) => f.function === 'pmic_setup' && f.snippet.startsWith('pmic_read'));
    assert.equal(read.length, 1);
    assert.equal(read[0]!.related, undefined);
    assert.doesNotMatch(read[0]!.message, /same goes for/);
    const suspend = dropped.filter((f) => f.function === 'pmic_suspend');
    assert.equal(suspend.length, 1);
    assert.equal(suspend[0]!.line, 13);
    assert.equal(suspend[0]!.related, undefined);
    assert.equal(dropped.length, 3);
  });

  it('keeps baselines: one of the ungrouped findings, or of the group, knows the group; a new call makes it new', async () => {
    const r = await review(PATCH);
    const g = r.findings.find((f) => f.related)!;
    // A baseline recorded before grouping had one entry per call, each with the fingerprint the member still has.
    const ungrouped = makeBaseline({ ...r, findings: r.findings.flatMap((f) => [{ ...f, related: undefined }, ...(f.related ?? []).map((x) => ({ ...f, ...x, related: undefined }))]) });
    assert.equal(ungrouped.findings.length, 5);
    assert.equal(subtractBaseline(r, ungrouped).review.findings.length, 0);
    const grouped = makeBaseline(r);
    assert.deepEqual(grouped.findings.map((e) => e.fingerprint).sort(), ungrouped.findings.map((e) => e.fingerprint).sort());
    assert.equal(subtractBaseline(r, grouped).review.findings.length, 0);
    const lastCallNew = { ...grouped, findings: grouped.findings.filter((e) => e.fingerprint !== g.related![1]!.fingerprint) };
    assert.deepEqual(subtractBaseline(r, lastCallNew).review.findings, [g]);
  });
});
