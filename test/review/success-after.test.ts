// The success-after question (src/review/success-after.ts) through the logging rule: what counts as the
// function's success depends on its return type; where that is not known, the answer is inconclusive.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { reviewWithRules } from '../../src/review/engine.ts';
import errorLevelNotError from '../../rules/logging/error-level-not-error.ts';

const patch = (head: string, ret: string): string => `--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -0,0 +1,8 @@
+${head}
+{
+    if ( !f->p )
+        pr_err("foo: no buffer, falling back to the static one\\n");
+    ${ret}
+}
+
+
`;

async function verdicts(head: string, ret: string): Promise<string[]> {
  const r = await reviewWithRules(patch(head, ret), [errorLevelNotError], { showRefuted: true });
  return [...r.findings.map((f) => `${f.verdict}: ${f.evidence.story}`), ...(r.refuted ?? []).map((f) => `refuted: ${f.evidence.story}`)];
}

describe('success-after', () => {
  it('int: 0 is success, an errno is not', async () => {
    assert.match((await verdicts('static int foo(struct foo *f)', 'return 0;'))[0]!, /^verified: .*returns 0 at line 5/);
    assert.match((await verdicts('static int foo(struct foo *f)', 'return -ENOMEM;'))[0]!, /^refuted:/);
  });

  it('bool: true is success, false is not', async () => {
    assert.match((await verdicts('static bool foo(struct foo *f)', 'return true;'))[0]!, /^verified: .*returns true/);
    assert.match((await verdicts('static bool foo(struct foo *f)', 'return false;'))[0]!, /^refuted:/);
  });

  it('a pointer: which value is success is not known, so the answer is inconclusive', async () => {
    assert.match((await verdicts('static void *foo(struct foo *f)', 'return f->p;'))[0]!, /^inconclusive: .*which of its values means success is not known/);
  });

  it('void: returning at the closing brace is success', async () => {
    assert.match((await verdicts('static void foo(struct foo *f)', 'f->ready = 1;'))[0]!, /^verified: .*returns normally/);
  });
});
