// An iterator whose only failure is its callback's (ApiFact.failsThrough 'callback'): a call handed a callback the
// patch shows whole and returning success only cannot fail; one handed a callback that can fail still can.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildFallibility } from '../../src/review/fallibility.ts';
import { inspect } from '../../src/review/inspect.ts';
import type { ApiFact, Knowledge } from '../../src/knowledge/index.ts';

const ITERATOR: ApiFact = {
  name: 'zz_for_each_region',
  returnType: 'TEE_Result',
  convention: 'errno',
  failValues: ['TEE_ERROR_GENERIC'],
  failsThrough: 'callback',
  source: 'returns the first failure of the callback it runs over each region (test data)',
};
const knowledge: Knowledge = { lookup: (n) => (n === ITERATOR.name ? ITERATOR : undefined), facts: () => [ITERATOR], origin: {} };

const patch = (callbackReturn: string): string => `--- a/core/zz/zz_boot.c
+++ b/core/zz/zz_boot.c
@@ -20,6 +20,20 @@ void zz_boot_init(void)
 	zz_init_ops();
 }
 
+static TEE_Result zz_clear_region(struct zz_region *r, void *arg __unused)
+{
+	if (r->type == ZZ_RAM)
+		zz_clear(r->va, r->size);
+
+	return ${callbackReturn};
+}
+
+void zz_boot_clear(void)
+{
+	zz_for_each_region(NULL, zz_clear_region);
+}
+
 void zz_boot_late(void)
 {
 	zz_late_ops();
`;

async function fallibility(callbackReturn: string) {
  const { set, models } = await inspect(patch(callbackReturn));
  const model = models[0]!;
  const images = model.files.flatMap((file) =>
    file.functions.flatMap((fn) => [fn.pre, fn.post].flatMap((image) =>
      image ? [{ image, added: new Set(fn.addedLines), removed: new Set(fn.removedLines), file: file.path }] : [])),
  );
  return buildFallibility(model, images, knowledge, set.patches[0]);
}

describe('an iterator whose failure is its callback\'s', () => {
  it('cannot fail when the callback the patch passes only returns success', async () => {
    const f = await fallibility('TEE_SUCCESS');
    assert.deepEqual(f.reasons('zz_for_each_region'), []);
    assert.equal(f.convention('zz_for_each_region')?.convention, 'value');
  });
  it('near miss: a callback that can fail keeps the iterator fallible', async () => {
    const f = await fallibility('zz_clear_done(r) ? TEE_SUCCESS : TEE_ERROR_BUSY');
    assert.ok(f.reasons('zz_for_each_region').length > 0);
    assert.equal(f.convention('zz_for_each_region')?.convention, 'errno');
  });
});
