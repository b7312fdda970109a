// Lines a patch only moves (a function moved to a new file, a block re-indented) are not lines it writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { movedLines } from '../../src/review/context.ts';
import { reviewWithRules } from '../../src/review/engine.ts';
import { allRules } from '../../rules/index.ts';
import { diffToPatch } from '../c/helpers.ts';

const MOVE = `diff --git a/xen/arch/x86/mm/gear.c b/xen/arch/x86/mm/gear.c
--- a/xen/arch/x86/mm/gear.c
+++ b/xen/arch/x86/mm/gear.c
@@ -10,14 +10,3 @@ int gear_init(struct domain *d)
     return 0;
 }
 
-int gear_set(struct domain *d, unsigned long gfn)
-{
-    int rc;
-
-    rc = gear_map_entry(d->arch.gear, gfn, GEAR_DEFAULT_ACCESS);
-    if ( rc )
-        return rc;
-
-    return 0;
-}
-
 void gear_teardown(struct domain *d)
diff --git a/xen/arch/x86/mm/gear-new.c b/xen/arch/x86/mm/gear-new.c
--- a/xen/arch/x86/mm/gear-new.c
+++ b/xen/arch/x86/mm/gear-new.c
@@ -20,3 +20,14 @@ int gear_other(struct domain *d)
     return 0;
 }
 
+int gear_set(struct domain *d, unsigned long gfn)
+{
+    int rc;
+
+    rc = gear_map_entry(d->arch.gear, gfn, GEAR_DEFAULT_ACCESS);
+    if ( rc )
+        return rc;
+
+    return 0;
+}
+
`;

test('a function moved to another file: its lines are moved, boilerplate alone is not', () => {
  const patch = diffToPatch(MOVE);
  assert.deepEqual([...movedLines(patch, 'xen/arch/x86/mm/gear-new.c')].sort((a, b) => a - b), [23, 24, 25, 27, 28, 29]);
  assert.equal(movedLines(patch, 'xen/arch/x86/mm/gear.c').size, 0);
  // `return 0;` / `}` removed in one place and added in another are no move.
  const boiler = diffToPatch(`diff --git a/a.c b/a.c
--- a/a.c
+++ b/a.c
@@ -1,5 +1,5 @@
 int f(void)
 {
-    return 0;
-}
-
+    return 0;
+}
+
`);
  assert.equal(movedLines(boiler, 'a.c').size, 0);
});

test('code the patch only moves draws no finding (the simplification was there before the move)', async () => {
  const r = await reviewWithRules(MOVE, allRules);
  assert.deepEqual(r.findings.map((f) => `${f.ruleId}:${f.line}`), []);
  // The same function written new (nothing removed) is reviewed as new code.
  const added = MOVE.slice(MOVE.indexOf('diff --git a/xen/arch/x86/mm/gear-new.c'));
  const r2 = await reviewWithRules(added, allRules);
  assert.deepEqual(r2.findings.map((f) => `${f.ruleId}:${f.line}`), ['simplify/return-call-directly:27']);
});
