// What the review assumes of code a patch does not show.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from '../../src/review/inspect.ts';
import { introducedNames } from '../../src/review/sim-session.ts';

async function touched(patch: string, name: string) {
  const { models } = await inspect(patch);
  const fn = models[0]!.files.flatMap((f) => f.functions).find((f) => f.name === name);
  assert.ok(fn, name);
  return fn;
}

describe('unseen code', () => {
  it('keeps a variable the patch declares untouched by unseen code of a function that existed before', async () => {
    const fn = await touched(`--- a/xen/common/a.c
+++ b/xen/common/a.c
@@ -10,5 +10,8 @@ static int foo_sync(struct foo *f)
 {
+    int err;
+
     foo_lock(f);
-    foo_flush(f);
+    err = foo_flush(f);
     foo_unlock(f);
`, 'foo_sync');
    assert.deepEqual(introducedNames(fn), ['err']);
  });

  it('assumes nothing of the unseen tail of a function the patch adds, which git may have aligned with old context', async () => {
    const fn = await touched(`--- a/xen/common/a.c
+++ b/xen/common/a.c
@@ -20,5 +20,8 @@
-static int foo_old(struct foo *f)
+static int foo_new(struct foo *f)
 {
+    int rc;
+
+    rc = foo_prepare(f);
     foo_lock(f);
     f->count++;
     foo_unlock(f);
`, 'foo_new');
    assert.deepEqual(introducedNames(fn), []);
  });
});
