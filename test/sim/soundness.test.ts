// Soundness items found reading real findings (precision runs on Xen and OP-TEE history): each is a small shape
// of our own that the simulator or the C model used to read wrongly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { equivalent, functionFromSource, simulate } from '../../src/sim/index.ts';
import { buildCModel } from '../../src/c/index.ts';
import { diffToPatch } from '../c/helpers.ts';

const ends = (src: string): string[] =>
  simulate(functionFromSource(src)).paths.map((p) => `${p.end.kind}${p.end.valueText !== undefined ? ` ${p.end.valueText}` : ''}`);

test('assert(p) stops the path where p does not hold; BUG_ON(c) the path where c holds', () => {
  // Past assert(p), p is non-NULL: the path that returns 1 (p NULL) is gone, the abort takes its place.
  assert.deepEqual(ends('int f(void)\n{\n    void *p = g();\n    assert(p);\n    if ( !p )\n        return 1;\n    return 0;\n}\n'), ['abort', 'return 0']);
  assert.deepEqual(ends('int f(void)\n{\n    void *p = g();\n    ASSERT(p != NULL);\n    if ( !p )\n        return 1;\n    return 0;\n}\n'), ['abort', 'return 0']);
  assert.deepEqual(ends('int f(void)\n{\n    void *p = g();\n    BUG_ON(!p);\n    if ( !p )\n        return 1;\n    return 0;\n}\n'), ['abort', 'return 0']);
});

test('a fragment cut after its last hunk: a variable of unseen code the rewrite changes is observable where the visible code ends', () => {
  // Code before the hunk is unseen (the marker), so ret and tmp belong to it. The visible code ends inside an if whose
  // closing braces the C model made up (line 0): a path that skips the if runs on into unseen code that may read ret.
  const original = 'int f(int t)\n{\n    __pr_unseen(1);\n    if ( t )\n        tmp = g();\n    if ( h() )\n    {\n        ret = k();\n}\n}\n';
  const rewrite = 'int f(int t)\n{\n    __pr_unseen(1);\n    if ( t )\n        ret = g();\n    if ( h() )\n    {\n        ret = k();\n}\n}\n';
  const cut = (src: string): { lineMap: number[] } => ({ lineMap: src.split('\n').slice(0, -1).map((_, i) => (i >= 8 ? 0 : i + 10)) });
  assert.equal(equivalent({ ...functionFromSource(original), ...cut(original) }, { ...functionFromSource(rewrite), ...cut(rewrite) }).verdict, 'different');
});

test('a return the patch keeps in a void helper is no sign that the helper now returns a value', () => {
  const model = buildCModel(
    diffToPatch(`diff --git a/tools/tests/t.c b/tools/tests/t.c
--- a/tools/tests/t.c
+++ b/tools/tests/t.c
@@ -40,7 +40,7 @@ static void run_all(void)
     rc = do_step(handle);
     if ( rc )
         return report("step failed: %d\\n", rc);
-    state = STATE_OLD;
+    state = STATE_NEW;
 
     check_state();
 }
@@ -60,5 +60,6 @@ static void run_more(void)
     rc = do_other(handle);
     if ( rc )
         return;
+    return report("other: %d\\n", rc);
 }
`),
  );
  assert.deepEqual(model.signatureChanges.map((c) => [c.name, c.from, c.to]), [['run_more', 'void', 'int']]);
});

test('a bare -1 is shown as -1, a -EPERM the code wrote as -EPERM', () => {
  const bare = simulate(functionFromSource('int f(void)\n{\n    int rc = g();\n    if ( rc == -1 )\n        return -1;\n    return 0;\n}\n'));
  assert.deepEqual(bare.paths.map((p) => p.end.valueText), ['-1', '0']);
  assert.equal(bare.paths[0]!.assumptions[0]!.relation, '== -1');
  const named = simulate(functionFromSource('int f(void)\n{\n    int rc = g();\n    if ( rc == -EPERM )\n        return -EPERM;\n    return 0;\n}\n'));
  assert.deepEqual(named.paths.map((p) => p.end.valueText), ['-EPERM', '0']);
  assert.equal(named.paths[0]!.assumptions[0]!.relation, '== -EPERM');
});
