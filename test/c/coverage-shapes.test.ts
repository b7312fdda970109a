// Shapes of real patches whose changed functions the C model once left unreviewed (coverage10, session 10).
// Each fixture is written for the test in the shape of the real code, never copied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCModel } from '../../src/c/index.ts';
import { diffToPatch } from './helpers.ts';

const file = (path: string, hunks: string): string => `diff --git a/${path} b/${path}
index 1111111..2222222 100644
--- a/${path}
+++ b/${path}
${hunks}`;

const reviewed = (diff: string): { functions: string[]; notReviewed: string[] } => {
  const model = buildCModel(diffToPatch(diff));
  return {
    functions: model.files.flatMap((f) => f.functions.map((fn) => fn.name)),
    notReviewed: model.notReviewed.map((n) => `${n.function}: ${n.reason}`),
  };
};

test('hunks inside a GNU asm statement whose `asm volatile (` is unseen: template lines, then operands', () => {
  const r = reviewed(file('lib/lock.c', `@@ -120,6 +120,7 @@ static bool try_lock(volatile uint32_t *dst)
 \t"ldaxr\t%w[tmp], %[dst]\\n"
 \t"stlxr\t%w[out], %w[src], %[dst]\\n"
 \t"eor\t%w[out], %w[out], #1\\n"
+\t".arch_extension nolse\\n"
 \t: [dst] "+Q" (*dst), [tmp] "+r" (tmp), [out] "=r" (out)
 \t: [src] "r" (1));
 
@@ -150,6 +151,7 @@ void hold_bit(uint32_t *word, uint32_t mask)
 \tassert(lse_supported());
 
 \t__asm__ volatile (
+\t".arch_extension lse\\n"
 \t"1:\tldsetab\t%w[mask], %w[tmp], %[dst]\\n"
 \t"\ttst\t%w[tmp], %w[mask]\\n"
 \t"\tb.eq\t2f\\n"
@@ -159,6 +161,7 @@ void hold_bit(uint32_t *word, uint32_t mask)
 \t"\twfe\\n"
 \t"\tb\t1b\\n"
 \t"2:\\n"
+\t".arch_extension nolse\\n"
 \t: [dst] "+Q" (*word), [tmp] "=&r" (tmp)
 \t: [mask] "r" (mask));
 }
`));
  assert.deepEqual(r, { functions: ['try_lock', 'hold_bit'], notReviewed: [] });
});

test('a hunk whose section header is a line of a macro definition (`... ## name ## ...(void) \\\\`) touches no function', () => {
  const r = reviewed(file('include/features.h', `@@ -270,6 +270,8 @@ static inline bool is_ ## name ## _present(void)\t\t\t\t\\
  * +--------------------+
  * |    FEAT_A          |
  * +--------------------+
+ * |    FEAT_B          |
+ * +--------------------+
  */
 
 __attribute__((always_inline))
`));
  assert.deepEqual(r, { functions: [], notReviewed: [] });
});

test('a .c file that is a generator\'s table (prototype-like lines, no statement): its hunks touch no function', () => {
  const r = reviewed(file('include/call-defs.c', `@@ -137,7 +137,9 @@ mem_op(unsigned int cmd, void *arg)
 #ifdef CONFIG_DM
 dev_op(unsigned int id, unsigned int nr, void *bufs)
 #endif
+#ifdef CONFIG_MMU
 mmu_op(void *arg, unsigned int count, uint *done)
+#endif
 #ifdef CONFIG_LEGACY
 set_table(table_entry_t *entries)
 set_frames(unsigned int *frames, unsigned int nr)
@@ -269,9 +271,6 @@ sched_op                   compat   do       compat   do
 nmi_op                     compat   do       -        -
 sched_op                   compat   do       compat   do
 timer_op                   compat   do       -        -
-#ifdef CONFIG_PROF
-prof_op                    compat   do       -        -
-#endif
 event_op                   do       do       do:1     do:1
 phys_op                    compat   do       hvm      hvm
 #ifdef CONFIG_HVM
`));
  assert.deepEqual(r, { functions: [], notReviewed: [] });
});

test('a hunk of a function body is still one, even when its lines are calls and conditions', () => {
  const r = reviewed(file('lib/x.c', `@@ -20,6 +20,7 @@ static int setup(struct dev *d)
 \tif (check(d))
 \t\treturn -EINVAL;
 \tprepare(d)
+\t\t|| reset(d);
 \tstart(d);
 \treturn 0;
 }
`));
  assert.deepEqual(r.functions, ['setup']);
});

test('a GNU-style head whose type line carries an attribute with arguments', () => {
  const r = reviewed(file('common/detect.c', `@@ -11,10 +11,10 @@
 
 static bool done[CORES] = { false };
 
 static inline bool __attribute((__always_inline__))
 check_one(int state, unsigned long field, const char *name,
 \t  unsigned int min, unsigned int max)
 {
 \tif (state == STATE_ON && field < min) {
-\t\tERROR("FEAT_%s not supported\\n", name);
+\t\tERROR("%s not supported\\n", name);
 \t\treturn true;
 \t}
`));
  assert.deepEqual(r, { functions: ['check_one'], notReviewed: [] });
});

test('a hunk headed by a label (`out:`) is read as a fragment of the function around it, its name unknown', () => {
  const r = reviewed(file('net/q.c', `@@ -265,6 +265,7 @@ out:
 \tstruct tbl *t = ctx->tbl;
 
 \tt->length = sizeof(*t);
+\tt->sum = 0;
 \tt->sum = checksum((u8 *)t, sizeof(*t));
 
 \tset_start(table_addr());
`));
  assert.deepEqual(r, { functions: ['(unknown, label out)'], notReviewed: [] });
});

test('near miss: a data definition or a case label heading a hunk is no function', () => {
  const r = reviewed(file('net/q.c', `@@ -30,6 +30,7 @@ static const struct ops q_ops = {
 \t.open = q_open,
 \t.close = q_close,
+\t.flush = q_flush,
 \t.read = q_read,
 };
`));
  assert.deepEqual(r, { functions: [], notReviewed: [] });
});

test('a hunk that starts inside an element of a local initialiser list, the element\'s call opened above it', () => {
  const r = reviewed(file('plat/b/setup.c', `@@ -292,8 +294,10 @@ void plat_arch_setup(void)
 \t\t\t\tMT_CODE | MT_SECURE),
 \t\tMAP_FLAT(RO_BASE, RO_END - RO_BASE,
 \t\t\t\tMT_RO_DATA | MT_SECURE),
+#if (NO_PM == 1)
 \t\tMAP_FLAT(SHM_BASE, 0x1000,
 \t\t\tMT_DEVICE | MT_RW | MT_NS),
+#endif
 \t\t{0}
 \t};
 
`));
  assert.deepEqual(r, { functions: ['plat_arch_setup'], notReviewed: [] });
});

test('a hunk in a local table whose `= {` is unseen, its end marker `{0}` visible', () => {
  const r = reviewed(file('plat/q/setup.c', `@@ -273,9 +275,11 @@ void plat_arch_setup(void)
 #if USE_COHERENT
 \t\tMAP_COHERENT_RAM,
 #endif
-#if ENABLE_A
+#if ENABLE_B
 \t\tMAP_L0_REGION,
 \t\tMAP_L1_REGION,
+#endif
+#if ENABLE_A
 \t\tMAP_SHARED_MEM,
 #endif
 \t\t{0}
`));
  assert.deepEqual(r, { functions: ['plat_arch_setup'], notReviewed: [] });
});

test('a call whose arguments go on under a directive when the hunk ends', () => {
  const r = reviewed(file('plat/c/cfg.c', `@@ -377,6 +377,10 @@ int set_fw_info(uintptr_t addr, size_t size)
 
 \tbase = params->info.base;
 
+#if HAS_LIST
+\tmax_size = size;
+#endif
+
 \t/* Write the address and its size */
 \terr = set_log_info(base,
 #ifdef SPD_X
`));
  assert.deepEqual(r, { functions: ['set_fw_info'], notReviewed: [] });
});

test('a statement whose conditional expression is cut after its `?` when the hunk ends', () => {
  const r = reviewed(file('plat/v/pm.c', `@@ -225,10 +222,8 @@ static void pwr_suspend(const struct pstate *st)
 \t\t\t__func__, i, st->state[i]);
 \t}
 
-\tcpuif_disable();
-
 \tif (st->state[1] > MAX_RET) {
-\t\told_save();
+\t\tsave();
 \t}
 
 \tstate = (st->state[1] > MAX_RET) ?
`));
  assert.deepEqual(r, { functions: ['pwr_suspend'], notReviewed: [] });
});

test("a hunk of parameter lines that closes the list, the body's `{` unseen", () => {
  const r = reviewed(file('svc/d/sp.c', `@@ -594,6 +597,9 @@ static bool direct_req_common(uint64_t x1,
 \t\t\t\t uint64_t x2,
 \t\t\t\t uint64_t x3,
 \t\t\t\t uint64_t x4,
+\t\t\t\t uint64_t x5,
+\t\t\t\t uint64_t x6,
 \t\t\t\t uint64_t fid,
 \t\t\t\t void *handle,
 \t\t\t\t struct val *retval)
`));
  assert.deepEqual(r, { functions: ['direct_req_common'], notReviewed: [] });
});

test('a hunk that starts in the parameters of a one-line stub (`size_t n __unused) { }`) and adds a function after it', () => {
  const r = reviewed(file('include/k/virt.h', `@@ -154,7 +162,10 @@ static inline void virt_setup(struct region *map __unused,
 \t\t\t\t    paddr_t base __unused,
 \t\t\t\t    size_t size __unused) { }
 static inline uint16_t current_id(void) { return 0; }
-
+static inline uint16_t id_of(struct part *p __unused)
+{
+\treturn 0;
+}
 static inline struct part *current_part(void)
 {
 \treturn NULL;
`));
  assert.deepEqual(r, { functions: ['id_of'], notReviewed: [] });
});

test('a changed parameter of a prototype whose annotations (`__weak __alias("..")`) and `;` follow on the next line', () => {
  const r = reviewed(file('lib/c/rsa.c', `@@ -437,6 +437,7 @@ TEE_Result rsa_decrypt(uint32_t algo,
 \t\t\t\t\tstruct rsa_key *key,
 \t\t\t\t\tconst uint8_t *label __unused,
 \t\t\t\t\tsize_t label_len __unused,
+\t\t\t\t\tuint32_t mgf_algo,
 \t\t\t\t\tconst uint8_t *src, size_t src_len,
 \t\t\t\t\tuint8_t *dst, size_t *dst_len)
 __weak __alias("sw_rsa_decrypt");
`));
  assert.deepEqual(r, { functions: [], notReviewed: [] });
});

test('GNU asm written with macros: `asm_inline goto (` and a macro as the template (`asm volatile ( swap_gs )`)', () => {
  const r = reviewed(file('arch/x/msr.h', `@@ -50,10 +50,10 @@ static inline int read_safe(unsigned int msr, uint64_t *val)
 {
     uint32_t lo, hi;
 
-    asm_inline volatile ( "1: rdmsr\\n2:\\n" : "=a" (lo), "=d" (hi) : "c" (msr) );
+    asm_inline goto ( "1: rdmsr\\n" : : "c" (msr) : : fault );
+    asm volatile ( swap_gs );
 
     *val = lo | ((uint64_t)hi << 32);
     return 0;
 }
`));
  assert.deepEqual(r, { functions: ['read_safe'], notReviewed: [] });
});

test('an iteration macro with `foreach` inside its name (`class_id_foreach_dev(id, dev, uc)`) is a loop head', () => {
  const r = reviewed(file('drivers/clk/c.c', `@@ -0,0 +1,12 @@
+static struct clk *clk_by_id(struct clk *clk)
+{
+\tstruct priv *priv = dev_get_priv(clk->dev);
+\tstruct udevice *dev;
+\tstruct uclass *uc;
+
+\tclass_id_foreach_dev(CLASS_CLK, dev, uc)
+\t\tif (dev->seq == priv->clk->seq + clk->id + 1)
+\t\t\treturn dev_clk(dev);
+
+\treturn NULL;
+}
`));
  assert.deepEqual(r, { functions: ['clk_by_id'], notReviewed: [] });
});

test('near miss: a hunk that starts in an `if (` condition under a header cut in its parameters stays in the body', () => {
  const r = reviewed(file('arch/x/cpu.c', `@@ -603,8 +603,8 @@ void process_freq(const struct cpuinfo *c,
 \t    !read_safe(BASE + idx, &val) && (val >> 63) &&
 \t    !read_safe(BASE, &hi) && (hi >> 63)) {
 \t\tif (nom)
-\t\t\t*nom = parse_freq(c->x86, val);
+\t\t\t*nom = parse_freq(c->family, val);
 \t} else if (low)
 \t\t*low = parse_freq(c->family, lo);
 }
`));
  assert.deepEqual(r, { functions: ['process_freq'], notReviewed: [] });
});

test('a block closed with a stray `};` after a statement is a block, not an initialiser', () => {
  const r = reviewed(file('drivers/m/mbox.c', `@@ -145,7 +145,7 @@ static int mbox_probe(struct udevice *dev)
 \t\treturn ret;
 \t};
 
-\tmbox->base = map(dev, regs.start, regs.start - regs.end);
+\tmbox->base = map(dev, res.start, res_size(&res));
 
 \tret = read_resource(node, 2, &regs);
 \tif (ret) {
`));
  assert.deepEqual(r, { functions: ['mbox_probe'], notReviewed: [] });
});

test("a struct's declarator and initialiser (`} boards[3] = {`) in a hunk headed by the struct are data, not a function", () => {
  const r = reviewed(file('board/f/spl.c', `@@ -33,9 +33,10 @@ static struct _boards {
 \tu8 id;
 \tstruct timing *timing;
 \tchar *name;
-} boards[2] = {
+} boards[3] = {
 \t{0x10, &timing_1g, "1GB" },
-\t{0x18, &timing_2g, "2GB" },
+\t{0x12, &timing_2cs, "2CS 2GB" },
+\t{0x18, &timing_1cs, "1CS 2GB" },
 };
 
 int boot_device(enum boot_device dev)
`));
  assert.deepEqual(r, { functions: [], notReviewed: [] });
});

test('a function defined after file-scope lines that read like calls (`CHECK(..);`) under a data header', () => {
  const r = reviewed(file('plat/q/common.c', `@@ -37,13 +37,20 @@ const struct region plat_map[] = {
 
 CHECK(ARRAY_SIZE(plat_map) <= MAX_REGIONS, too_many_regions);
 
+static const struct {
+\tuintptr_t start;
+\tuintptr_t end;
+} sec_spans[] = {
+\t{ BL31_BASE, BL31_LIMIT },
+};
 
-bool is_overlap(unsigned long long addr, size_t size)
+static bool is_overlap(uintptr_t addr, size_t size)
 {
 \tif (addr > addr + size)
 \t\treturn true;
 \treturn false;
 }
 
`));
  assert.deepEqual(r, { functions: ['is_overlap'], notReviewed: [] });
});

test('a hunk headed by an X-macro list entry (`ERRNO_ENTRY(ECONNREFUSED, 111)`) with only directives changed touches no function', () => {
  const r = reviewed(file('include/pub/errno.h', `@@ -123,7 +123,7 @@ ERRNO_ENTRY(ECONNREFUSED,\t111)\t/* Connection refused */
 /* Clean up from a default include.  Close the enum (for C). */
 #ifdef ERRNO_DEFAULT_INCLUDE
 #undef ERRNO_DEFAULT_INCLUDE
-#ifndef __ASSEMBLY__
+#ifndef __ASSEMBLER__
 };
 #endif
 
`));
  assert.deepEqual(r, { functions: [], notReviewed: [] });
});

test('two hunks of two if/else chains at one depth: the first ends in a final `else {` body, the second closes with `} else`', () => {
  const r = reviewed(file('drivers/t/tmu.c', `@@ -189,6 +189,9 @@ static int read_temp(struct udevice *dev, int *temp)
 \t\t} else if (flags & FLAG_V4) {
 \t\t\tval = readl(&regs->v4.sr);
 \t\t\tvalid = val & 0x80000000;
+\t\t} else if (flags & FLAG_Q) {
+\t\t\tval = readl(&regs->q.site[id].sr);
+\t\t\tvalid = val & SR_V;
 \t\t} else {
 \t\t\tval = readl(&regs->v1.site[id].sr);
 \t\t\tvalid = val & 0x80000000;
@@ -213,6 +216,9 @@ static int read_temp(struct udevice *dev, int *temp)
 
 \t\t\t/* Kelvin to Celsius */
 \t\t\t*temp -= 273000;
+\t\t} else if (flags & FLAG_Q) {
+\t\t\t*temp = ((val & TEMP_MASK) -
+\t\t\t\t KELVIN_OFFSET) * 1000;
 \t\t} else {
 \t\t\t*temp = (val & 0xff) * 1000;
 \t\t}
`));
  assert.deepEqual(r, { functions: ['read_temp'], notReviewed: [] });
});
