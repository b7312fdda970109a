import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCModel } from '../../src/c/index.ts';
import type { FunctionImage, TouchedFunction } from '../../src/c/types.ts';
import { diffToPatch } from './helpers.ts';

const diff = (path: string, body: string): string =>
  `diff --git a/${path} b/${path}\nindex 1111111..2222222 100644\n--- a/${path}\n+++ b/${path}\n${body}`;

function only(text: string, name: string): TouchedFunction {
  const model = buildCModel(diffToPatch(text));
  const fn = model.files.flatMap((f) => f.functions).find((f) => f.name === name);
  assert.ok(fn, `${name} among ${model.files.flatMap((f) => f.functions.map((g) => g.name)).join(', ')}`);
  return fn;
}

const realRows = (image: FunctionImage): string[] => image.rawLines.filter((_, i) => image.lineMap[i] !== 0).map((r) => r.trim());

function assertClean(image: FunctionImage | undefined): void {
  assert.ok(image, 'image');
  assert.ok(image.health.clean, `${image.side} of ${image.name} parses:\n${image.source}\n${JSON.stringify(image.health.firstError)}`);
  assert.equal(image.node.type, 'function_definition');
}

test('a hunk that starts inside a function gets a head from the section header and a gap before it', () => {
  const fn = only(
    diff('a.c', `@@ -10,4 +10,5 @@ static int foo(struct dev *d, unsigned long flags,
 \tx = 1;
-\tbar(d);
+\tif ( bar(d) )
+\t\treturn -EIO;
 \treturn 0;
 }
`),
    'foo',
  );
  for (const image of [fn.pre, fn.post]) {
    assertClean(image);
    assert.equal(image!.startsInside, true);
    assert.equal(image!.isFragment, true);
    assert.equal(image!.paramsIncomplete, true);
    assert.equal(image!.returnType, 'int');
    assert.deepEqual(image!.params.map((p) => p.name), ['d', 'flags']);
    assert.deepEqual(image!.gaps, [{ id: 1, afterLine: 0, reason: 'before-fragment' }]);
    assert.match(image!.source, /__pr_unseen\(1\);/);
  }
  assert.deepEqual(fn.addedLines, [11, 12]);
  assert.deepEqual(fn.removedLines, [11]);
  assert.equal(fn.pre!.calls.find((c) => c.callee === 'bar')?.use, 'dropped');
  assert.equal(fn.post!.calls.find((c) => c.callee === 'bar')?.use, 'condition');
  const barRow = fn.post!.source.split('\n').findIndex((r) => r.includes('bar(d)'));
  assert.equal(fn.post!.lineMap[barRow], 11);
  assert.equal(fn.post!.rawLines[0], '');
  assert.equal(fn.post!.lineMap[0], 0);
});

test('a hunk that ends inside a loop gets a gap at the innermost block and synthetic closers', () => {
  const fn = only(
    diff('a.c', `@@ -20,4 +20,6 @@ int walk(struct list *l)
 \tfor ( i = 0; i < n; i++ )
 \t{
-\t\tvisit(l, i);
+\t\trc = visit(l, i);
+\t\tif ( rc )
+\t\t\tbreak;
`),
    'walk',
  );
  assertClean(fn.post);
  const gaps = fn.post!.gaps;
  assert.deepEqual(gaps.map((g) => g.reason), ['before-fragment', 'after-fragment']);
  assert.equal(gaps[1]!.afterLine, 24);
  const rows = fn.post!.source.trimEnd().split('\n');
  assert.deepEqual(rows.slice(-3), [`__pr_unseen(${gaps[1]!.id});`, '}', '}']);
  assert.equal(fn.post!.calls[0]!.use, 'assigned');
});

test('two hunks in one function are stitched with a between-hunks gap', () => {
  const fn = only(
    diff('b.c', `@@ -5,6 +5,7 @@ void unrelated(void);
 
 static long run(struct domain *d)
 {
+\tint ret = 0;
 \tlong rc = 0;
 
 \tif ( !d )
@@ -40,4 +41,6 @@ static long run(struct domain *d)
 \t\tdone++;
 \t}
-\tflush(d);
+\tret = flush(d);
+\tif ( ret )
+\t\treturn ret;
`),
    'run',
  );
  assertClean(fn.pre);
  assertClean(fn.post);
  assert.equal(fn.post!.startsInside, false);
  assert.equal(fn.post!.returnType, 'long');
  const between = fn.post!.gaps.find((g) => g.reason === 'between-hunks');
  assert.ok(between);
  assert.equal(between.afterLine, 11);
  assert.ok(fn.post!.source.includes(`__pr_unseen(${between.id});`));
  assert.deepEqual(fn.addedLines, [8, 43, 44, 45]);
  // the second hunk starts at depth 2 (it closes a block): the stitch reopens one
  assert.match(fn.post!.source, /if \( __pr_unknown\(\) \) \{/);
});

test('a hunk that ends one function and starts the next is split by structure, not indentation', () => {
  // mangled mail: every line lost its indentation
  const model = buildCModel(
    diffToPatch(
      diff('xen/drivers/x.c', `@@ -1251,14 +1277,17 @@ static int intel_iommu_domain_init(struct domain *d)
 return 0;
 }
 
-static void __hwdom_init intel_iommu_hwdom_init(struct domain *d)
+static int __hwdom_init intel_iommu_hwdom_init(struct domain *d)
 {
 struct acpi_drhd_unit *drhd;
+ int rc;
 
 setup_hwdom_rmrr(d);
 
 for_each_drhd_unit ( drhd )
 {
 if ( iomem_deny_access(d, PFN_DOWN(drhd->address), PFN_DOWN(drhd->address)) )
 BUG();
`),
    ),
  );
  const file = model.files[0]!;
  assert.deepEqual(file.functions.map((f) => f.name), ['intel_iommu_hwdom_init']);
  assert.equal(file.parseSummary.total, 2);
  const fn = file.functions[0]!;
  assert.equal(fn.pre!.returnType, 'void');
  assert.equal(fn.post!.returnType, 'int');
  assert.deepEqual(fn.post!.annotations, ['__hwdom_init']);
  assert.equal(fn.post!.startsInside, false);
  assert.equal(fn.post!.isFragment, true);
  assertClean(fn.post);
  assert.deepEqual(model.signatureChanges.map((c) => [c.name, c.from, c.to, c.kind, c.line]), [
    ['intel_iommu_hwdom_init', 'void', 'int', 'definition', 1280],
  ]);
});

test('a fragment that begins with a closer and else reopens a synthetic if', () => {
  const fn = only(
    diff('c.c', `@@ -100,6 +100,7 @@ int pick(int a)
 \t\tuse(a);
 \t} else {
-\t\tdrop(a);
+\t\tif ( drop(a) )
+\t\t\treturn -EINVAL;
 \t}
 \treturn 0;
`),
    'pick',
  );
  assertClean(fn.pre);
  assertClean(fn.post);
  assert.match(fn.post!.source, /\{\n__pr_unseen\(1\);\nif \( __pr_unknown\(\) \) \{\n/);
  assert.deepEqual(realRows(fn.post!).slice(0, 2), ['use(a);', '} else {']);
});

test('a K&R-style section header without a return type gets a placeholder type and an empty returnType', () => {
  const fn = only(
    diff('xen/arch/x86/mm/p2m.c', `@@ -654,7 +659,7 @@ guest_physmap_add_entry(struct domain *d, unsigned long gfn,
 p2m_access_t a;
 mfn_t omfn;
 int pod_count = 0;
- int rc = 0;
+ int rc = 0, ret = 0;
 
 if ( !paging_mode_translate(d) )
 {
`),
    'guest_physmap_add_entry',
  );
  assertClean(fn.post);
  assert.equal(fn.post!.returnType, '');
  assert.equal(fn.post!.returnTypeFrom, 'unknown');
  assert.match(fn.post!.source, /^__pr_type guest_physmap_add_entry\(struct domain \*d, unsigned long gfn, \.\.\.\)/);
});

test('a visible K&R head with the type on its own line keeps its return type', () => {
  const fn = only(
    diff('d.c', `@@ -1,5 +1,5 @@
 static int
 helper(struct x *x)
 {
-\treturn x->a;
+\treturn x->b;
 }
`),
    'helper',
  );
  assertClean(fn.post);
  assert.equal(fn.post!.returnType, 'int');
  assert.equal(fn.post!.startsInside, false);
  assert.equal(fn.post!.isFragment, false);
  assert.equal(fn.post!.gaps.length, 0);
});

test('an #ifdef block inside a function does not derail extraction', () => {
  const fn = only(
    diff('xen/common/memory.c', `@@ -593,6 +593,14 @@ static int xenmem_add_to_physmap(struct domain *d,
 unsigned int done = 0;
 long rc = 0;
 
+#ifdef HAS_PASSTHROUGH
+ int ret = 0;
+#endif
+
+#ifdef CONFIG_X
+ if ( a ) {
+#else
+ if ( b ) {
+#endif
+ run();
+ }
 if ( xatp->space != XENMAPSPACE_gmfn_range )
 return xenmem_add_to_physmap_one(d, xatp->space, DOMID_INVALID,
 xatp->idx, xatp->gpfn);
`),
    'xenmem_add_to_physmap',
  );
  assert.equal(fn.addedLines.length, 11);
  assert.equal(fn.post!.gaps.filter((g) => g.reason === 'after-fragment').length, 1);
  assert.ok(realRows(fn.post!).includes('int ret = 0;'));
  assertClean(fn.pre);
});

test('a function the patch adds whole has only a post image; one it deletes only a pre image', () => {
  const model = buildCModel(
    diffToPatch(
      diff('e.c', `@@ -10,6 +10,11 @@ static int keep(void)
 \treturn 0;
 }
 
+static int added(int x)
+{
+\treturn x + 1;
+}
+
 static int keep2(void)
 {
 \treturn 1;
@@ -30,8 +35,3 @@ static int keep2(void)
 }
 
-static void gone(void)
-{
-\tstop();
-}
-
 int tail;
`),
    ),
  );
  const fns = model.files[0]!.functions;
  const added = fns.find((f) => f.name === 'added')!;
  const gone = fns.find((f) => f.name === 'gone')!;
  assert.equal(added.pre, undefined);
  assertClean(added.post);
  assert.equal(added.post!.isFragment, false);
  assert.deepEqual(added.addedLines, [13, 14, 15, 16]);
  assert.equal(gone.post, undefined);
  assertClean(gone.pre);
  assert.deepEqual(gone.removedLines, [32, 33, 34, 35]);
  assert.deepEqual(fns.map((f) => f.name).sort(), ['added', 'gone']);
});

test('a prototype whose return type changes in a header is a signature change', () => {
  const model = buildCModel(
    diffToPatch(
      diff('xen/include/xen/iommu.h', `@@ -60,8 +60,9 @@ void iommu_teardown(struct domain *d);
 int iommu_add_device(struct pci_dev *pdev);
-void pci_release_devices(struct domain *d);
+int pci_release_devices(struct domain *d);
-void iommu_pte_flush(struct domain *d, u64 gfn, u64 *pte,
-                     int order, int present);
+int __must_check iommu_pte_flush(struct domain *d, u64 gfn, u64 *pte,
+                                 int order, int present);
+int iommu_new(void);
 struct iommu_ops {
-    void (*suspend)(void);
+    int (*suspend)(void);
 };
`),
    ),
  );
  assert.deepEqual(
    model.signatureChanges.map((c) => [c.name, c.from, c.to, c.kind, c.line]),
    [
      ['pci_release_devices', 'void', 'int', 'prototype', 61],
      ['iommu_pte_flush', 'void', 'int', 'prototype', 62],
      ['suspend', 'void', 'int', 'prototype', 66],
    ],
  );
  assert.equal(model.files[0]!.functions.length, 0);
});

test('a section header that is a prototype does not become the enclosing function', () => {
  const model = buildCModel(
    diffToPatch(
      diff('xen/arch/x86/acpi/power.c', `@@ -45,6 +45,8 @@ void do_suspend_lowlevel(void);
 
 static int device_power_down(void)
 {
+ int rc;
+
 console_suspend();
 
 time_suspend();
`),
    ),
  );
  const fns = model.files[0]!.functions;
  assert.deepEqual(fns.map((f) => f.name), ['device_power_down']);
  assert.equal(fns[0]!.post!.startsInside, false);
  assertClean(fns[0]!.post);
});

test('a broken patch gives warnings, never an exception', () => {
  const model = buildCModel(
    diffToPatch(
      diff('f.c', `@@ -1,3 +1,3 @@ int f(
 }}}}
-(((
+)))
`),
    ),
  );
  assert.ok(Array.isArray(model.warnings));
});

test('a function-like section header over a run of prototypes does not swallow them', () => {
  const model = buildCModel(
    diffToPatch(
      diff('xen/include/xen/pci.h', `@@ -99,5 +99,5 @@ struct pci_dev *pci_lock_domain_pdev(
 void setup_hwdom_pci_devices(struct domain *,
                             int (*)(u8 devfn, struct pci_dev *));
-void pci_release_devices(struct domain *d);
+int pci_release_devices(struct domain *d);
 int pci_add_segment(u16 seg);
`),
    ),
  );
  assert.deepEqual(model.files[0]!.functions, []);
  assert.deepEqual(model.signatureChanges.map((c) => [c.name, c.from, c.to, c.kind]), [['pci_release_devices', 'void', 'int', 'prototype']]);
});

test('a hunk that starts inside a condition reopens it so the image parses', () => {
  const fn = only(
    diff('g.c', `@@ -476,5 +610,4 @@ int hvm_do_IRQ_dpci(struct domain *d, struct pirq *pirq)
 !(pirq_dpci->flags & HVM_IRQ_DPCI_MAPPED) ) return 0;
-pirq_dpci->masked = 1;
-tasklet_schedule(&pirq_dpci->tasklet);
+raise_softirq_for(pirq_dpci);
 return 1;
 }
`),
    'hvm_do_IRQ_dpci',
  );
  assertClean(fn.pre);
  assertClean(fn.post);
});

test('the model is cached per input and options', () => {
  const patch = diffToPatch(diff('h.c', `@@ -1,3 +1,3 @@
 int f(void)
 {
-\treturn 0;
+\treturn 1;
`));
  assert.equal(buildCModel(patch), buildCModel(patch));
});

test('a void function that adds `return g(..);` of a g the patch shows void keeps its void type (GNU C)', () => {
  const text = diff('t.c', `@@ -20,6 +20,10 @@ static void show_peer(struct unit *u)
     unsigned long mask = SIZE;
 
+    if ( is_idle(u) )
+        return;
+
     dump(u, mask);
@@ -60,6 +64,9 @@ static void show_trace(const struct regs *r)
     unsigned long *sp = SP(r);
 
+    if ( peer_mode(r) )
+        return show_peer(current_unit, r);
+
     dump_words(sp);
`);
  const fn = only(text, 'show_trace');
  assertClean(fn.post);
  assert.equal(fn.post!.returnType, 'void');
  assert.equal(fn.post!.returnTypeFrom, 'section-header');
  assert.deepEqual(buildCModel(diffToPatch(text)).signatureChanges, []);
});

test('near miss: `return g(..);` of a g the patch does not show void still reads as a void -> value change', () => {
  const fn = only(
    diff('t.c', `@@ -60,6 +60,9 @@ static void show_trace(const struct regs *r)
     unsigned long *sp = SP(r);
 
+    if ( peer_mode(r) )
+        return show_peer(current_unit, r);
+
     dump_words(sp);
`),
    'show_trace',
  );
  assert.equal(fn.post!.returnType, 'int');
  assert.equal(fn.post!.returnTypeFrom, 'inferred');
});

test('a later hunk whose header still names the old name of a function the patch renames continues the renamed function', () => {
  const text = diff('w.c', `@@ -60,7 +60,9 @@ void w_wake(struct w *w)
 }
 
-static void __w_wait(struct w *w, struct lock *l)
+static int __w_wait_timeout(struct w *w, struct lock *l,
+\t\t\t    unsigned int timeout)
 {
+\tint res = 0;
 \tstruct elem e;
 
 \tlock_release(l);
@@ -80,5 +82,7 @@ static void __w_wait(struct w *w, struct lock *l)
 \t\tw->n--;
-\tsleep_on(&w->q, &e);
+\tres = sleep_on(&w->q, &e, timeout);
 \tlock_take(l);
+
+\treturn res;
 }
`);
  const model = buildCModel(diffToPatch(text));
  const fns = model.files.flatMap((f) => f.functions);
  // The header is pre-image text: the old name is the pre side's function, the new one the post side's, whole.
  assert.deepEqual(fns.map((f) => [f.name, !!f.pre, !!f.post]).sort(), [['__w_wait', true, false], ['__w_wait_timeout', false, true]]);
  const post = fns.find((f) => f.name === '__w_wait_timeout')!.post;
  assertClean(post);
  assert.match(post!.source, /res = sleep_on\(&w->q, &e, timeout\);[\s\S]*return res;/);
});

test('the same when the chunk that renames the function also adds another one before it', () => {
  const text = diff('s.c', `@@ -100,10 +100,16 @@ static int s_probe(void)
     return 0;
 }
 
+static int __init s_check(void)
+{
+    return s_ver < 2 ? -ENOSYS : 0;
+}
+
 /* Set up the layer */
-static int __init s_init(void)
+static int __init s_dom0_init(struct node *dev)
 {
     int ret;
 
@@ -134,6 +140,8 @@ static int __init s_init(void)
     if ( ret )
         return ret;
 
+    ret = s_register(&s_ops);
+
     return 0;
 }
`);
  const fns = buildCModel(diffToPatch(text)).files.flatMap((f) => f.functions);
  assert.deepEqual(fns.map((f) => [f.name, !!f.pre, !!f.post]).sort(), [['s_check', false, true], ['s_dom0_init', false, true], ['s_init', true, false]]);
  const post = fns.find((f) => f.name === 's_dom0_init')!.post;
  assertClean(post);
  assert.match(post!.source, /int ret;[\s\S]*ret = s_register\(&s_ops\);[\s\S]*return 0;/);
});

test('a hunk that shows only parameter lines of a multi-line head (a parameter added; the `)` and the body unseen) completes the head', () => {
  const fn = only(
    diff('c.c', `@@ -597,6 +597,7 @@ TEE_Result crypto_op(uint32_t algo __unused,
 \t\t\tstruct key *key __unused,
 \t\t\tconst uint8_t *label __unused,
 \t\t\tsize_t label_len __unused,
+\t\t\tuint32_t mgf_algo __unused,
 \t\t\tconst uint8_t *src __unused,
 \t\t\tsize_t src_len __unused,
 \t\t\tuint8_t *dst __unused,
`),
    'crypto_op',
  );
  for (const image of [fn.pre, fn.post]) {
    assertClean(image);
    assert.equal(image!.returnType, 'TEE_Result');
    assert.equal(image!.paramsIncomplete, true);
  }
  assert.match(fn.post!.source, /uint32_t mgf_algo[\s\S]*\.\.\.\) \{\n__pr_unseen\(1\);\n\}/);
  assert.doesNotMatch(fn.pre!.source, /mgf_algo/);
  assert.deepEqual(fn.addedLines, [600]);
});

test('near miss: a body hunk of number lists under a multi-line head header is not read as parameters', () => {
  const text = diff('t.c', `@@ -540,6 +540,6 @@ static void log_freq(const struct cpu *c,
 \t\t26667, 13333,
 \t\t20000, 16667,
-\t\t33333, 10000,
+\t\t33333, 10001,
 \t\t40000, 50000,
 \t\t60000, 70000,
 \t\t80000, 90000,
`);
  const model = buildCModel(diffToPatch(text));
  assert.ok(!model.files.flatMap((f) => f.functions).some((f) => f.post?.health.clean && f.post.params.some((p) => p.name === '13333')));
});
