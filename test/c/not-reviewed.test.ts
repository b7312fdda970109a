import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCModel } from '../../src/c/index.ts';
import { reviewWithRules } from '../../src/review/engine.ts';
import { diffToPatch } from './helpers.ts';

const PATCH = `diff --git a/src/mixed.c b/src/mixed.c
index 1111111..2222222 100644
--- a/src/mixed.c
+++ b/src/mixed.c
@@ -10,6 +10,7 @@ static int readable(struct dev *d)
 {
     int rc;
 
+    rc = 0;
     rc = probe(d);
     return rc;
 }
@@ -40,5 +41,5 @@ static int garbled(struct dev *d)
 {
-    return d->a d->b;
+    return d->a d->c;
 }
@@ -80,4 +81,4 @@
     .name = "x",
-    .count = 1,
+    .count = 2,
 };
`;

test('functions that cannot be reviewed are listed with the reason, and the readable ones are not', () => {
  const model = buildCModel(diffToPatch(PATCH));
  const [file] = model.files;
  assert.deepEqual(file!.notReviewed.map((n) => n.function), ['garbled']);
  assert.match(file!.notReviewed[0]!.reason, /^parse error at line 42 near "/);
  assert.equal(file!.notReviewed[0]!.line, 42);
  assert.deepEqual(model.notReviewed, file!.notReviewed);
});

test('the review counts the functions it did not review and says which', async () => {
  const review = await reviewWithRules(PATCH, []);
  assert.equal(review.stats.functionsNotReviewed, 1);
  assert.deepEqual(review.notReviewed.map((n) => [n.file, n.function]), [['src/mixed.c', 'garbled']]);
});

test('changed lines in a block whose function the patch does not name are not reviewed, and say so', () => {
  const model = buildCModel(diffToPatch(`diff --git a/src/t.c b/src/t.c
index 1111111..2222222 100644
--- a/src/t.c
+++ b/src/t.c
@@ -80,4 +80,4 @@
         x = 1;
-        y = 2;
+        y = 3;
     }
`));
  assert.deepEqual(model.notReviewed.map((n) => [n.function, n.line]), [['(unknown)', 80]]);
});

// A macro that declares data with its initialiser (`REGISTER_DRIVER(foo) = {`, U-Boot's driver and uclass
// declarations) heads the hunks of its member list: the members are data, not a function's body.
const DRIVER_TABLE = `diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c
index 1111111..2222222 100644
--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -120,7 +120,7 @@ REGISTER_DRIVER(foo_bus) = {
 \t.name = "foo-bus",
 \t.id = CLASS_BUS,
 \t.of_match = foo_bus_ids,
-\t.probe = foo_bus_old_probe,
+\t.probe = foo_common_probe,
 \t.priv_size = sizeof(struct foo_priv),
 \t.ops = &foo_bus_ops,
 \t.flags = FLAG_EARLY,
@@ -150,6 +150,6 @@ REGISTER_DRIVER(foo_phy) = {
 \t.name = "foo-phy",
 \t.id = CLASS_PHY,
-\t.probe = foo_phy_old_probe,
+\t.probe = foo_common_probe,
 \t.priv_size = sizeof(struct foo_priv),
 \t.ops = &foo_phy_ops,
 };
`;

test('members of a data declaration macro (`REGISTER_DRIVER(x) = {`) are neither a function nor a function not reviewed', () => {
  const model = buildCModel(diffToPatch(DRIVER_TABLE));
  assert.deepEqual(model.files[0]!.functions.map((f) => f.name), []);
  assert.deepEqual(model.notReviewed, []);
});
