// dropped-error's suggested check fits the callee and the function: a copy that returns the bytes it could not
// copy is tested in place and becomes -EFAULT (a count is no error code to pass on); a function returning a
// status type uses a variable of that type.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { review } from '../../src/default-review.ts';

const COPY = `--- a/xen/common/foo.c
+++ b/xen/common/foo.c
@@ -10,6 +10,7 @@ int foo_get(struct foo *f, void *uptr, unsigned int n)
 {
     if ( n > f->size )
         return -EINVAL;
+    copy_from_user(f->buf, uptr, n);
     f->len = n;
     return 0;
 }
`;

const TEE = `--- a/core/drivers/foo.c
+++ b/core/drivers/foo.c
@@ -1,3 +1,8 @@
+static TEE_Result foo_hw_enable(struct foo *f)
+{
+	return io_enable(f->base);
+}
+
 TEE_Result foo_probe(struct foo *f)
 {
 	size_t n = 0;
@@ -5,6 +10,7 @@ TEE_Result foo_probe(struct foo *f)
 	if (!f)
 		return TEE_ERROR_BAD_PARAMETERS;
 
+	foo_hw_enable(f);
 	n = f->count;
 	f->ready = n > 0;
 	return TEE_SUCCESS;
 }
`;

async function droppedMessage(patch: string): Promise<string> {
  const r = await review(patch);
  const f = r.findings.find((x) => x.ruleId === 'error-handling/dropped-error');
  assert.ok(f, `dropped-error reports the call; got ${JSON.stringify(r.findings.map((x) => x.ruleId))}`);
  return f.message;
}

describe('dropped-error suggestion', () => {
  it('a user copy (bytes not copied) is tested in place and reported as -EFAULT', async () => {
    const m = await droppedMessage(COPY);
    assert.match(m, /e\.g\. `if \( copy_from_user\(f->buf, uptr, n\) \) return -EFAULT;`/);
  });
  it('a TEE_Result function keeps the status in res, in the file\'s own spacing', async () => {
    const m = await droppedMessage(TEE);
    assert.match(m, /e\.g\. `res = foo_hw_enable\(f\); if \(res\) return res;`/);
  });
});
