// Messages fit the code they are about: its names, its style, nothing copied from another thread.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { review } from '../../src/default-review.ts';

describe('messages', () => {
  it('suggests the check with the function\'s own status variable, in the file\'s style', async () => {
    const r = await review(`--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -10,12 +10,14 @@
-void foo_flush(struct foo *f)
+int foo_flush(struct foo *f)
 {
 \tif (!f->dirty)
-\t\treturn;
+\t\treturn 0;
 \twrite_back(f);
+\treturn 0;
 }
 
 int foo_sync(struct foo *f)
 {
 \tint ret = 0;
+\tf->count++;
 \tfoo_flush(f);
 \treturn ret;
`, { rules: ['error-handling/dropped-error'] });
    assert.deepEqual(r.findings.map((f) => f.message), [
      'foo_flush() can fail, but foo_sync() drops its result, so a failure goes unnoticed. Check it and pass the error on, e.g. `ret = foo_flush(f); if (ret) return ret;`.',
    ]);
  });

  it('names the real value and function when a success value changes, and borrows no words from the seed thread', async () => {
    const r = await review(`--- a/xen/drivers/q.c
+++ b/xen/drivers/q.c
@@ -30,5 +30,7 @@ static int q_poll(struct q *q)
     if ( q->ready )
-        return 2;
+        return 1;
+    if ( q_wait(q) )
+        return -EIO;
     return 0;
 }
`, { rules: ['error-handling/success-value-changed'] });
    const messages = r.findings.map((f) => f.message);
    assert.equal(messages.length, 1, JSON.stringify(messages));
    assert.match(messages[0]!, /^This `return 1;` changes what q_poll\(\) returns when nothing failed \(it returned 2 here before\)\./);
    assert.doesNotMatch(messages[0]!, /flush/);
  });
});
