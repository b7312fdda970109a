// Regression cases for parse gaps seen on real history (shapes written for the project).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCModel } from '../../src/c/index.ts';
import { normalizeC } from '../../src/c/normalize.ts';
import { parseC } from '../../src/c/parser.ts';
import type { Dialect, FunctionImage, TouchedFunction } from '../../src/c/types.ts';
import { diffToPatch } from './helpers.ts';

const diff = (path: string, body: string): string =>
  `diff --git a/${path} b/${path}\nindex 1111111..2222222 100644\n--- a/${path}\n+++ b/${path}\n${body}`;

function touched(text: string): TouchedFunction[] {
  return buildCModel(diffToPatch(text)).files.flatMap((f) => f.functions);
}

function only(text: string, name: string): TouchedFunction {
  const fn = touched(text).find((f) => f.name === name);
  assert.ok(fn, `${name} among ${touched(text).map((f) => f.name).join(', ')}`);
  return fn;
}

function assertClean(image: FunctionImage | undefined): FunctionImage {
  assert.ok(image, 'image');
  assert.ok(image.health.clean, `${image.side} of ${image.name}:\n${image.source}\n${JSON.stringify(image.health.firstError)}`);
  return image;
}

function parsesClean(source: string, dialect: Dialect = 'xen'): void {
  const text = normalizeC(source, { dialect }).text;
  assert.equal(text.length, source.length);
  const tree = parseC(text);
  assert.equal(tree.rootNode.hasError, false, `${text}\n${tree.rootNode.toString()}`);
}

test('alignof over an expression parses (as sizeof, same length)', () => {
  const source = 'void check(struct item *it)\n{\n    BUILD_BUG_ON(alignof(*it) < PAGE_SIZE);\n    BUILD_BUG_ON(__alignof__(it->x) > 8);\n}\n';
  parsesClean(source);
  assert.match(normalizeC(source, { dialect: 'xen' }).text, /BUILD_BUG_ON\(sizeof \(\*it\) < PAGE_SIZE\)/);
});

test('string macros juxtaposed without a literal become one literal argument', () => {
  parsesClean('void warn_bad(int id)\n{\n    dprintk(XENLOG_WARNING VTDPREFIX,\n            " bad unit %d\\n", id);\n}\n');
});

test('a type macro before a parameter or a local name reads as a type', () => {
  parsesClean('long do_thing_op(int cmd, XEN_GUEST_HANDLE_PARAM(void) arg)\n{\n    XEN_GUEST_HANDLE_PARAM(char) buf;\n    SLIST_ENTRY(item) link;\n    return use(cmd, arg, buf);\n}\n');
});

test('annotation macros no table names are dropped from heads, parameters and declarations', () => {
  parsesClean('static XSM_LIKE int cf_check guard_one(void)\n{\n    return 0;\n}\n');
  parsesClean('static const unsigned char *for_livepatch pick_nops(unsigned int k)\n{\n    return table[k];\n}\n');
  parsesClean('static ANNOTATE_INLINE my_type_t pick(void)\n{\n    return 1;\n}\n', 'generic');
  parsesClean('static int check_one(DEFAULT_ARG struct dom *d, DEFAULT_ARG uint32_t flags)\n{\n    return d != 0;\n}\n');
  parsesClean('int fill(void)\n{\n    struct cfg c __aligned_buf = { };\n    uint32_t words[4]__aligned_buf = { 0 };\n    return c.x + words[0];\n}\n', 'generic');
});

test('upper-case FOREACH list macros are loops', () => {
  parsesClean('void drop_all(struct head *h)\n{\n    struct node *n, *tmp;\n\n    LIST_FOREACH_SAFE(n, &h->list, link, tmp) {\n        release(n);\n    }\n    STAILQ_FOREACH(n, &h->queue, link)\n        count++;\n}\n', 'generic');
});

test('a hunk starting among designated initialisers reopens an initialiser list, not a block', () => {
  const fn = only(
    diff('xen/include/ev.h', `@@ -20,9 +20,9 @@ static inline void raise_debug(unsigned long pending)
         .vector      = EXC_DB,
-        .type        = ET_HW,
+        .type        = ET_HW_EXC,
         .error_code  = NO_EC,
         .data        = pending,
     };
 
     inject_event(&ev);
 }
`),
    'raise_debug',
  );
  const post = assertClean(fn.post);
  const list = post.node.descendantsOfType('initializer_list');
  assert.equal(list.length, 1);
  assert.equal(list[0]!.descendantsOfType('initializer_pair').length, 4);
  assert.equal(post.calls.find((c) => c.callee === 'inject_event')?.use, 'dropped');
});

test('a hunk ending inside a nested initialiser closes the lists before the unseen rest', () => {
  const fn = only(
    diff('src/rpc.c', `@@ -180,4 +180,5 @@
 int rpc_truncate(int id, int fd, long len)
 {
+\tint rc;
 \tstruct rpc_op op = {
 \t\t.id = id, .num_params = 1, .params = {
`),
    'rpc_truncate',
  );
  const post = assertClean(fn.post);
  assert.equal(post.node.descendantsOfType('initializer_list').length, 2);
  assert.equal(post.gaps.length, 1);
  assert.equal(post.gaps[0]!.reason, 'after-fragment');
});

test('a section header that is a macro list entry does not make file-scope lines a function', () => {
  const fns = touched(diff('xen/include/hooks.h', `@@ -40,6 +40,7 @@ HOOK(int, console_io, struct domain *, int)
 HOOK(int, first_op)
 HOOK(int, second_op, struct domain *)
+HOOK(int, third_op, struct domain *)
 
 #ifdef CONFIG_X
 HOOK(int, fourth_op, unsigned long)
`));
  assert.deepEqual(fns.map((f) => f.name), []);
});

test('a parameter whose name is followed by a known annotation keeps its type', () => {
  const text = normalizeC('static int setup(u64 *addr __maybe_unused, my_t v)\n{\n    return 0;\n}\n', { dialect: 'generic' }).text;
  assert.match(text, /^static int setup\(u64 \*addr +, my_t v\)/);
});

test('a hunk starting in the tail of a block comment reads its braces as comment text', () => {
  const fn = only(
    diff('xen/arch/x86/dom.c', `@@ -1950,6 +1950,7 @@ static void load_state(struct vcpu *n)
      * bases may also change through WR{FS,GS}BASE when
      * enabled, so the copy is re-read.
      */
+    ASSERT(n);
     if ( n->dirty )
         reload(n);
`),
    'load_state',
  );
  const post = assertClean(fn.post);
  assert.equal(post.node.descendantsOfType('if_statement').length, 1);
});

test('a hunk wholly inside a block comment still parses', () => {
  const fn = only(
    diff('xen/arch/x86/dom.c', `@@ -1950,4 +1950,4 @@ static void load_state(struct vcpu *n)
      * bases may also change through WR{FS,GS}BASE when
-     * enabled.
+     * enabled, so the copy is re-read.
      *
`),
    'load_state',
  );
  assertClean(fn.post);
});

test('an #if group left open by a hunk ends at the gap, and an #else whose #if is unseen drops its arm', () => {
  const fn = only(
    diff('core/gic.c', `@@ -213,6 +213,6 @@ static size_t probe_max(vaddr_t cbase, vaddr_t dbase)
 \t/* Probe which interrupt number is the largest. */
 #ifdef CFG_GIC_V3
-\told = read_ctlr();
+\told = read_ctlr_el1();
 \twrite_ctlr(0);
 #else
@@ -237,7 +237,7 @@ static size_t probe_max(vaddr_t cbase, vaddr_t dbase)
 \t\t}
 \t}
 #ifdef CFG_GIC_V3
 \twrite_ctlr(old);
 #else
-\tio_write32(cbase + CTLR, old);
+\tio_write32(cbase + GICC_CTLR, old);
 #endif
 \treturn ret;
 }
`),
    'probe_max',
  );
  const post = assertClean(fn.post);
  assert.ok(post.source.includes('return ret;'), 'the second hunk is live code');
  assert.equal(post.calls.filter((c) => c.callee === 'io_write32').length, 0, 'the #else arm is blanked');
});

test('a hunk starting with the body of an if whose head is unseen, then else, parses', () => {
  const fn = only(
    diff('xen/common/dump.c', `@@ -3455,9 +3455,9 @@ void dump_all(struct pool *c)
     {
         sched = c->sched;
-        show(sched);
+        show_settings(sched);
     }
     else
     {
         sched = &default_ops;
     }
`),
    'dump_all',
  );
  const post = assertClean(fn.post);
  const ifs = post.node.descendantsOfType('if_statement');
  assert.equal(ifs.length, 1);
  assert.ok(ifs[0]!.childForFieldName('alternative'));
});

test('a hunk ending inside a do block closes it with a while of unknown condition', () => {
  const fn = only(
    diff('xen/common/map.c', `@@ -400,6 +400,7 @@ static int fill_map(const struct range *r, unsigned int n)
         spdx = ROUNDDOWN(spdx, 1UL << shift);
+        ASSERT(shift);
         do {
             if ( map[spdx >> shift] != NO_NODE &&
                  map[spdx >> shift] != ids[i] )
`),
    'fill_map',
  );
  const post = assertClean(fn.post);
  assert.equal(post.node.descendantsOfType('do_statement').length, 1);
});

test('a hunk ending at a GNU-style head line keeps the next function out of the current one', () => {
  const fns = touched(diff('core/sw.c', `@@ -30,4 +30,4 @@ static int probe_(void *fdt)
 
-/* old state comment */
+/* 'memrsv' state: after create() */
 static int probe_memrsv_(void *fdt)
`));
  assert.deepEqual(fns.map((f) => f.name), []);
});

test('a hunk starting on the continuation of a GNU-style head (type on the line before) parses', () => {
  const fn = only(
    diff('xen/arch/x86/emul.c', `@@ -890,6 +890,7 @@ load_seg(
     const struct emul_ops *ops)
 {
+    ASSERT(ops);
     return ops->load(seg);
 }
`),
    'load_seg',
  );
  const post = assertClean(fn.post);
  assert.equal(post.returnType, '');
});

test('a scoped-block macro and a macro of case labels parse inside a function', () => {
  parsesClean('void change(struct vcpu *v, int op)\n{\n    with_seq_write(&v->seq)\n    {\n        v->state = 1;\n    }\n    switch ( op )\n    {\n    case 1:\n    CASE_SIMD_OPS(0x0f, 0x2e): /* ops */\n        break;\n    }\n}\n');
});

test('a hunk starting with the tail of a conditional expression gets its unseen operands', () => {
  const fn = only(
    diff('xen/arch/x86/wd.c', `@@ -350,5 +350,5 @@ void setup_watchdog(void)
-                              : EVENT_CYCLES);
+                              : EVENT_CLOCKS);
             break;
         case 15:
             setup_p4(misc);
`),
    'setup_watchdog',
  );
  assertClean(fn.post);
});

test('a hunk starting with the continuation line of a statement whose first line is unseen gets an unknown left operand', () => {
  const fn = only(
    diff('xen/arch/x86/irq.c', `@@ -281,6 +281,9 @@ void inject(struct domain *d, uint32_t data)
         >> DATA_SHIFT;
     uint8_t vector = data & DATA_MASK;
 
+    if ( !vector )
+        return;
+
     deliver(d, vector);
 }
`),
    'inject',
  );
  assertClean(fn.pre);
  assertClean(fn.post);
  // Its own words still read as code: the changed lines are in the function.
  assert.ok(fn.post!.source.includes('if ( !vector )'));
});

test('a hunk starting in the tail of a multi-line #define stays out of the function the header names', () => {
  const fns = touched(diff('xen/arch/arm/build.c', `@@ -113,6 +113,6 @@ int parse_param(const char *s, const char *e)
                              (IS_ENABLED(CONFIG_X) ?         \\
-                              (NR_BANKS * 160) : 0))
+                              (NR_BANKS * (160 + 16)) : 0))
 
 paddr_t fdt_size(void)
 {
`));
  assert.deepEqual(fns.map((f) => f.name), []);
});

test('a hunk starting deep in a nested designated initialiser keeps every level an initialiser', () => {
  const fn = only(
    diff('tools/tests/t.c', `@@ -150,8 +150,9 @@ int main(int argc, char **argv)
                 { .start = 0x1000, .end = 0x1fff },
             },
         },
         {
+            .name = "second",
             .ram = {
                 { .start = 0x0, .end = 0x9ffff },
             },
         },
`),
    'main',
  );
  assertClean(fn.post);
});

test('a pp-number that is no C number and an empty-argument label macro parse', () => {
  parsesClean('void emulate(int op)\n{\n    switch ( op )\n    {\n    CASE_PACKED(, 0x0f, 0x2c): /* cvt */\n        must_have(3dnow);\n        break;\n    }\n}\n');
});

test('a hunk ending inside a compound literal closes it before the unseen rest', () => {
  const fn = only(
    diff('core/mm/map.c', `@@ -2478,4 +2478,5 @@ void *add_mapping(enum mem_type type, paddr_t addr, size_t len)
 \t}
 
+\tassert(map);
 \tmm->map[mm->count] = (struct mmap_region){
 \t\t.va = map->va,
`),
    'add_mapping',
  );
  assertClean(fn.post);
});

test('a hunk of defines and a struct definition stays at file scope whatever the header names', () => {
  const fns = touched(diff('core/pki.c', `@@ -126,6 +126,7 @@ static inline int get_random(void *buf, size_t len)
 #define MAX_RETRY\t\t10000
+#define CMPL_SIZE\t\t8
 
 struct pki {
 \tvaddr_t regs;
`));
  assert.deepEqual(fns.map((f) => f.name), []);
});

test('an annotation between a declaration type and its name is dropped', () => {
  parsesClean('int write_key(void)\n{\n    struct write_req __aligned_buf req = {\n        .len = 4,\n    };\n    return send(&req);\n}\n', 'generic');
});

// Session 3 (issue 8): parse coverage of recent history, each shape written for the project.

test('offsetof over a nested member designator parses (one field name of the same length)', () => {
  const source = 'void setup(struct log *l)\n{\n\tl->off = offsetof(struct log, ring.buf);\n\tl->end = offsetof(struct log, slots[2].next);\n}\n';
  parsesClean(source, 'generic');
  assert.match(normalizeC(source, { dialect: 'generic' }).text, /offsetof\(struct log, ring_buf\);/);
});

test('a hunk ending inside a local struct/union body closes it with an unseen declarator, not a statement inside it', () => {
  const fn = only(
    diff('core/drv/rng.c', `@@ -40,7 +40,7 @@ static void fill(uint32_t *w)
 }
 
-int get_bytes(void *buf, size_t len)
+int get_bytes_nolock(void *buf, size_t len)
 {
 \tstatic union {
 \t\tuint32_t val[4];
`),
    'get_bytes_nolock',
  );
  const post = assertClean(fn.post);
  assert.match(post.source, /uint32_t val\[4\];\n\} __pr_unseen_list;\n__pr_unseen\(1\);/);
  assertClean(only(diff('core/drv/rng.c', `@@ -40,7 +40,7 @@ static void fill(uint32_t *w)
 int get_bytes(void *buf, size_t len)
 {
 \tstatic union {
-\t\tuint32_t val[4];
+\t\tuint32_t word[4];
`), 'get_bytes').post);
});

test('a hunk starting with the unbraced body of an if whose head is unseen, then else: the if is restored', () => {
  const fn = only(
    diff('core/lib/err.c', `@@ -48,7 +48,7 @@ const char *err_str(int errval)
 \t\treturn "<valid offset>";
 \telse if (errval == 0)
 \t\treturn "<no error>";
-\telse if (errval > -TABSIZE) {
+\telse if (-errval < TABSIZE) {
 \t\tconst char *s = table[-errval].str;
 
 \t\tif (s)
`),
    'err_str',
  );
  const post = assertClean(fn.post);
  assert.match(post.source, /if \( __pr_unknown\(\) \)\n\t\treturn "<valid offset>";/);
});

test('a hunk after the visible closing brace of the function its section header names is at file scope', () => {
  const text = diff('core/pta/demo.c', `@@ -20,7 +20,8 @@ demo_open_session(uint32_t pt __unused,
 \t\t  void **ctx __unused)
 {
-\treturn TEE_SUCCESS;
+\tif (!allowed())
+\t\treturn TEE_ERROR_ACCESS_DENIED;
+\treturn TEE_SUCCESS;
 }
 
 /*
@@ -40,6 +41,6 @@ demo_open_session(uint32_t pt __unused,
  * comment on the registration
  */
 register_pta(.uuid = DEMO_UUID, .name = "demo",
-\t     .flags = FLAGS | EXTRA,
+\t     .flags = FLAGS,
 \t     .open_session_entry_point = demo_open_session);
`);
  const fns = touched(text);
  assert.deepEqual(fns.map((f) => f.name), ['demo_open_session']);
  assertClean(fns[0]!.post);
  assert.deepEqual(buildCModel(diffToPatch(text)).notReviewed, []);
});

test('an indented closing brace does not end the function: the next hunk of the same function stays in it', () => {
  const fns = touched(diff('xen/arch/x86/pod.c', `@@ -536,6 +536,7 @@ decrease(struct domain *d, unsigned int order)
         unsigned int cur;
+        cur = order;
 
         n = 1UL << cur;
     }
 
@@ -644,6 +645,8 @@ decrease(struct domain *d, unsigned int order)
             page = get(mfn);
+            if ( special(page) )
+                continue;
 
             /* This shouldn't be able to fail */
`));
  // Both hunks are read inside the function (the second at a depth only known to be at least 1).
  assert.ok(fns.length > 0 && fns.every((f) => f.name === 'decrease'));
  assert.ok(fns.some((f) => f.addedLines.includes(646)), 'the second hunk\'s lines are in the function');
});

test('a GNU-style head split after its type: the type line in the section header is set before the name line', () => {
  const fn = only(
    diff('core/drv/nvm.c', `@@ -115,8 +154,8 @@ static TEE_Result
 prepare_cmd(struct ipi_cmd *cmd, enum api_id id,
 \t    struct nvm_buf *ibufs, uint32_t *arg)
 {
-\tuint32_t a = 0;
+\tuint32_t low = 0;
 \tsize_t i = 0;
 
 \tcmd->data[i++] = API_ID(id);
`),
    'prepare_cmd',
  );
  const post = assertClean(fn.post);
  assert.equal(post.returnType, 'TEE_Result');
});

test('a hunk at the top of a file, or whose first code is an #include, is at file scope', () => {
  const created = touched(`diff --git a/core/drv/new.c b/core/drv/new.c
new file mode 100644
index 0000000..2222222
--- /dev/null
+++ b/core/drv/new.c
@@ -0,0 +1,12 @@
+// SPDX-License-Identifier: BSD-2-Clause
+#include <io.h>
+
+static struct {
+\tpaddr_t pa;
+} dev = {
+\t.pa = BASE,
+};
+
+int probe(void)
+{
+\treturn init(&dev);
+}
`);
  assert.deepEqual(created.map((f) => f.name), ['probe']);
  const model = buildCModel(diffToPatch(diff('core/drv/old.c', `@@ -2,6 +2,7 @@ static int helper(void)
 /*
  * Copyright
  */
+#include <assert.h>
 #include <io.h>
 
 #define BASE 0x1000
`)));
  assert.deepEqual(model.notReviewed, []);
});

test('a hunk continuing a multi-line prototype (the section header) is at file scope; #ifdef __cplusplus lines are C++ only', () => {
  const model = buildCModel(diffToPatch(diff('include/lib/asn1.h', `@@ -380,6 +380,8 @@ named_data *store_named_data(named_data **list,
                                      const unsigned char *val,
                                      size_t val_len);
 
+int asn1_free(named_data *head);
+
 #ifdef __cplusplus
 }
 #endif
`)));
  assert.deepEqual(model.files[0]!.functions, []);
  assert.deepEqual(model.notReviewed, []);
});

test('a hunk whose section header opens a data definition does not continue the function before it', () => {
  const fns = touched(diff('lib/wrap.c', `@@ -519,5 +519,6 @@ static void *ctx_alloc(void)
 static void ctx_free(void *ctx)
 {
     struct xts *x = ctx;
+    xts_free(x);
 
@@ -555,6 +556,7 @@ static const struct cipher_base xts_info = {
     setkey_enc,
     ctx_alloc,
+    ctx_clone,
     ctx_free
 };
`));
  assert.deepEqual(fns.map((f) => f.name), ['ctx_free']);
  assertClean(fns[0]!.post);
});

test('a section header declaring a pointer to a function is no function head', () => {
  const model = buildCModel(diffToPatch(diff('lib/common.h', `@@ -109,6 +109,10 @@ extern void (*test_hook_fail)(const char *test, int line, const char *file);
  * unsafe fallback. */
 #define LENGTH(a) LENGTH_UNSAFE(a)
 #endif
+
+#define HAS_BUILTIN(x) 0
+extern int builtin_seen;
+
 /** Allow access to private members.
  *
`)));
  assert.deepEqual(model.files[0]!.functions, []);
  assert.deepEqual(model.notReviewed, []);
});

test('a section header of a function returning a struct by value names that function', () => {
  const fns = touched(diff('xen/common/efi/rt.c', `@@ -95,6 +95,8 @@ struct rs_state rs_enter(void)
      */
     sync_state();
     state.cr3 = read_cr3();
+    if ( !is_idle(current) )
+        save_fpu(current);
     asm volatile ( "fnclex" );
 
`));
  assert.deepEqual(fns.map((f) => f.name), ['rs_enter']);
  assertClean(fns[0]!.post);
});

// A hunk that opens and closes its own blocks shows no closer of the levels around it: its braces
// say "depth 1", its indentation (column 8 of a Xen file, two tabs of a Linux one) says deeper.
const NESTED_XEN = `@@ -40,10 +40,11 @@ static void fill(struct args *a)
     for ( i = a->done; i < a->count; i++ )
     {
         if ( i != a->done && preempt_check() )
         {
             a->preempted = 1;
@@ -60,12 +61,13 @@ static void fill(struct args *a)
         {
             if ( direct(d) )
             {
-                n = first;
+                n = first + 1;
+
                 for ( j = 0; j < limit; j++ )
                 {
                     if ( !valid(n) )
                         goto out;
                 }
 
@@ -74,9 +76,9 @@ static void fill(struct args *a)
                     if ( !take(page, d) )
                         goto out;
                     put(page);
                 }
-                n = first;
+                n = first + 2;
             }
             else
             {
`;

test('a chunk whose own braces balance starts as deep as its indentation says (Xen and Linux style)', () => {
  const xen = only(diff('xen/common/fill.c', NESTED_XEN), 'fill');
  assertClean(xen.pre);
  assertClean(xen.post);
  const tabs = NESTED_XEN.split('\n')
    .map((l) => (/^[ +-]/.test(l) ? l[0] + l.slice(1).replace(/^((?: {4})+)/, (s) => '\t'.repeat(s.length / 4)) : l))
    .map((l) => l.replace(/\( /g, '(').replace(/ \)/g, ')'))
    .join('\n');
  const linux = only(diff('core/kernel/fill.c', tabs), 'fill');
  assertClean(linux.pre);
  assertClean(linux.post);
});

test('the chunks of one function stay one function when a chunk deep inside it balances its own braces', () => {
  const fns = touched(diff('xen/common/fill.c', NESTED_XEN));
  assert.deepEqual(fns.map((f) => f.name), ['fill']);
});

test('a hunk starting among an array initialiser inside a function reopens the list from its closing line alone', () => {
  const fn = only(
    diff('xen/arch/x86/tables.c', `@@ -20,7 +20,7 @@ static bool __init table_allowed(const char *sig,
         SIG_ONE, SIG_TWO, SIG_THREE,
         SIG_FOUR, SIG_FIVE,
-        SIG_SIX,
+        SIG_SIX, SIG_SEVEN,
     };
     unsigned int i;
 
`),
    'table_allowed',
  );
  assertClean(fn.pre);
  assertClean(fn.post);
});

test('a hunk starting in the arguments of an if body whose else follows keeps the if', () => {
  const fn = only(
    diff('xen/arch/arm/vdev.c', `@@ -80,9 +80,10 @@ static int vdev_write(struct vcpu *v, const char *name, uint32_t r)
                    v, name, r, reg);
         else
-            printk("%pv: %s: bad write %#x\\n", v, name, r);
+            printk("%pv: %s: bad write %#x to %u\\n", v, name, r, reg);
         return 0;
     }
`),
    'vdev_write',
  );
  assertClean(fn.pre);
  assertClean(fn.post);
});

test('an anonymous enum at column 0 is file scope, not the function the section header names', () => {
  const fns = touched(diff('xen/arch/arm/dom.c', `@@ -1040,8 +1040,9 @@ static int relinquish_all(struct domain *d)
  */
 enum {
     STEP_pci = 1,
+    STEP_sci,
     STEP_tee,
     STEP_xen,
     STEP_page,
`));
  assert.deepEqual(fns.map((f) => f.name), []);
});

test('a hunk starting in the middle of a for header, its first clause unseen, reopens a for', () => {
  const fn = only(
    diff('xen/arch/x86/table.c', `@@ -190,8 +190,9 @@ static int share_table(struct domain *d)
           v != TABLE_END;
           v += 1 << TABLE_SHIFT )
     {
+        ASSERT(v);
         if ( !present(v) )
             continue;
         share(d, v);
`),
    'share_table',
  );
  assertClean(fn.pre);
  assert.match(assertClean(fn.post).source, /for \( ;/);
});

test('a hunk starting in the second arm of a conditional expression gets an unknown condition before it', () => {
  const fn = only(
    diff('xen/arch/x86/gate.c', `@@ -3626,7 +3626,7 @@ static void emulate_gate(struct cpu_user_regs *regs)
           ((ar >> 13) & 3) > (regs->cs & 3) :
           ((ar >> 13) & 3) != (regs->cs & 3)) )
     {
-        fault(regs, sel);
+        fault(regs, sel & ~3);
         return;
     }
`),
    'emulate_gate',
  );
  assertClean(fn.pre);
  assertClean(fn.post);
});

test('an asm statement open before a gap is closed with an empty template', () => {
  const fn = only(
    diff('xen/arch/x86/acpi/save.c', `@@ -25,7 +25,7 @@
 void save_state(void)
 {
-    save_fpu(current);
+    save_fpu_all(current);
 
     asm volatile (
`),
    'save_state',
  );
  assertClean(fn.pre);
  assertClean(fn.post);
});

test('a data definition with an initialiser at column 0 is file scope, whatever function the section header names', () => {
  const fns = touched(diff('core/kernel/ops.c', `@@ -480,9 +480,9 @@ static bool ops_handle(struct regs *regs)
  * A note about the table below.
  */
-const struct table_ops ops_table __rodata_section("ops") = {
+const struct table_ops ops_table __relro_section("ops") = {
 	.enter = ops_enter,
 	.handle = ops_handle,
 };
`));
  assert.deepEqual(fns.map((f) => f.name), []);
});

test('a conditional expression left open before a gap gets its unseen second arm', () => {
  const fn = only(
    diff('xen/arch/x86/hvm/cache.c', `@@ -800,9 +800,9 @@ int cache_type(struct domain *d, struct vcpu *v)
     case -1:
         return -1;
     }
 
-    mtype = is_hvm(d) && v ?
+    mtype = is_hvm(d) && v != NULL ?
             get_type(&v->arch.state,
`),
    'cache_type',
  );
  assertClean(fn.pre);
  assertClean(fn.post);
});

test('a type macro before a pointer parameter reads as a type (`M(void) *p`), in a parameter list only', () => {
  parsesClean('static int read_entry(unsigned int id, bool last, XEN_GUEST_HANDLE_PARAM(void) *uaddr)\n{\n    return copy_out(*uaddr, id, last);\n}\n');
  parsesClean('int scale(int a)\n{\n    return SCALE(a) * a;\n}\n');
});
