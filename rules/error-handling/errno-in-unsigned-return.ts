import { defineRule, type Report } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { declaredNames, descendants, fold } from '../../src/review/ast.ts';
import { calleeName, peel, resultUse } from '../../src/review/calls.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { SEED_THREAD } from './source.ts';

/**
 * Return types a negative errno cannot pass through: it arrives as a huge count (unsigned) or as `true` (bool).
 * `unsigned long` is left out: some code returns error values through it on purpose (IS_ERR_VALUE()).
 */
const UNSIGNED = /^(unsigned|unsigned int|unsigned short|unsigned char|uint8_t|uint16_t|uint32_t|u8|u16|u32|bool|bool_t|_Bool)$/;

/** `-ECONST`, maybe in parentheses. */
function negativeErrno(value: ReturnType<typeof fold>): string | null {
  const m = /^\(?\s*-\s*(E[A-Z0-9_]+)\s*\)?$/.exec(value);
  return m ? m[1]! : null;
}

/** Types that take the converted value back to the negative errno (32 bits or less, signed). */
const SIGNED_NARROW = /^(int|signed|signed int|short|s8|s16|s32|int8_t|int16_t|int32_t)$/;

/** Variable types in which the converted value never tests negative: unsigned ones, and 64-bit signed ones it fits in. */
const NEVER_NEGATIVE = /^(unsigned|unsigned (int|short|char|long|long int|long long)|u8|u16|u32|u64|uint8_t|uint16_t|uint32_t|uint64_t|size_t|uintptr_t|s64|int64_t|long long|long long int)$/;
/** 64-bit types: the 32-bit value does not equal -E there (`v == -EINVAL` compares with a 64-bit -EINVAL). */
const WIDE = /^(u64|uint64_t|unsigned long long|s64|int64_t|long long|long long int)$/;

/**
 * `x < 0`, `x >= 0`, `0 > x`...: a test of the sign, which an unsigned value always passes the same way; with `wide`,
 * also `x == -ECONST` / `x != -ECONST`, which a 64-bit copy of the 32-bit value never equals.
 */
function signTest(cond: SyntaxNode | null, of: (n: SyntaxNode | null) => boolean, wide = false): SyntaxNode | null {
  const c = peel(cond);
  if (!c || c.type !== 'binary_expression') return null;
  const op = c.childForFieldName('operator')?.text ?? '';
  const l = c.childForFieldName('left');
  const r = c.childForFieldName('right');
  if (op === '&&' || op === '||') return signTest(l, of, wide) ?? signTest(r, of, wide);
  const errno = (n: SyntaxNode | null): boolean => negativeErrno(fold(peel(n)?.text ?? '')) !== null;
  if (wide && (op === '==' || op === '!=')) return (of(l) && errno(r)) || (of(r) && errno(l)) ? c : null;
  if (!['<', '<=', '>', '>='].includes(op)) return null;
  const zero = (n: SyntaxNode | null): boolean => peel(n)?.text === '0';
  return (of(l) && zero(r)) || (of(r) && zero(l)) ? c : null;
}

/** The declared type of a local or parameter `name` in `fn`, if the image shows its declaration. */
function declaredType(fn: SyntaxNode, name: string): string | null {
  for (const d of descendants(fn, new Set(['declaration', 'parameter_declaration']))) {
    const names = d.type === 'declaration' ? declaredNames(d).map((x) => x.name) : [d.childForFieldName('declarator')?.text ?? ''];
    if (!names.includes(name)) continue;
    return fold(d.childForFieldName('type')?.text ?? '').replace(/^const\s+/, '') || null;
  }
  return null;
}

/**
 * How a visible call of the function reads its result: `reads` when -E still arrives as an error (tested for zero or
 * not, or stored in an int, which takes the value back to -E); `misreads` when it tests the sign of the unsigned value
 * (`f() < 0`, or a u32/64-bit variable holding it), which never sees the error; `unknown` otherwise.
 */
function readingOf(call: SyntaxNode, caller: SyntaxNode, callerType: string): { reading: 'reads' | 'misreads' | 'unknown'; test?: SyntaxNode } {
  const use = resultUse(call);
  // `return f(..);` from a function that returns an int: the value is -E again there.
  if (use.kind === 'returned') return SIGNED_NARROW.test(callerType) ? { reading: 'reads' } : { reading: 'unknown' };
  if (use.kind === 'tested') {
    const test = signTest(use.statement?.childForFieldName('condition') ?? null, (n) => peel(n)?.id === call.id);
    return test ? { reading: 'misreads', test } : { reading: 'reads' };
  }
  if (use.kind !== 'assigned') return { reading: 'unknown' };
  const type = declaredType(caller, use.variable);
  if (type && SIGNED_NARROW.test(type)) return { reading: 'reads' };
  const cond = use.checkedBy?.childForFieldName('condition') ?? null;
  const test = signTest(cond, (n) => peel(n)?.text === use.variable, !!type && WIDE.test(type));
  // A sign test reads the error only where the variable takes the value back to -E: not an unsigned or 64-bit one
  // (a `long` is 32 bits on some targets: not known).
  if (test) return type && NEVER_NEGATIVE.test(type) ? { reading: 'misreads', test } : { reading: 'unknown' };
  return use.checkedBy ? { reading: 'reads' } : { reading: 'unknown' };
}

/** The visible calls of the function in the patch's files, with how each reads the result. */
function visibleReadings(ctx: FunctionContext): { call: SyntaxNode; caller: string; line: number; reading: 'reads' | 'misreads' | 'unknown'; test?: SyntaxNode }[] {
  const out = [];
  for (const file of ctx.model.files) {
    for (const fn of file.functions) {
      const node = fn.post?.node;
      if (!node) continue;
      for (const call of descendants(node, 'call_expression')) {
        if (calleeName(call) !== ctx.fn.name) continue;
        out.push({ call, caller: fn.name, line: fn.post?.lineMap[call.startPosition.row] ?? 0, ...readingOf(call, node, fold(fn.post?.returnType ?? '')) });
      }
    }
  }
  return out;
}

const wraps = (type: string, errno: string): string => (/bool/.test(type) ? 'true' : `a large positive ${type} value ((${type})-${errno})`);

export default defineRule({
  scope: 'function',
  meta: {
    id: 'errno-in-unsigned-return',
    pack: 'error-handling',
    // The failure does not reach the caller as one (a sign test never sees it, a bool makes it true): an error
    // left unchecked, not an absent feature reported as an error.
    family: 'unchecked-error',
    severity: 'warning',
    summary: 'A function declared to return an unsigned count (or bool) returns a negative errno: a bool makes it true, and a caller that tests the sign of the unsigned value never sees the error.',
    source: {
      ...SEED_THREAD,
      quote: 'Looks error handling is not only a problem in VT-d code. Above actually should check return values of all suspend callbacks.',
    },
    messages: {
      unsignedErrno:
        '{{function}}() returns {{returnType}}, so `return -{{errno}};` reaches its caller as {{wrapped}}{{consequence}}. If this case means "nothing here" (an unknown or absent kind, nothing configured), return {{none}}; if it is a failure, declare {{function}}() to return a signed int.',
      signTested:
        '{{caller}}() tests `{{test}}` on what {{function}}() returns (line {{line}}), but {{function}}() returns {{returnType}}: `return -{{errno}};` arrives there as {{wrapped}}, which that test never takes for a failure. Declare {{function}}() to return a signed int.',
    },
    fixable: false,
    limitations:
      'Reads the return type the patch shows (the definition or the hunk header); `unsigned long` is left out, since some code returns error values through it on purpose. An unsigned -E is still non-zero and an int takes it back to -E, so the rule reads the calls the patch shows: silent when they store the result in an int or test it for zero or not (the error still reads as one); a call whose sign test (`< 0`, on the call or on an unsigned or 64-bit variable holding it) never passes, or a 64-bit variable compared with -E (`== -EINVAL`, which the 32-bit value never equals there), is named; a `long` (32 bits on some targets) is not known. With no visible call, the finding says what a caller would have to do to miss the error. Which fix is right (return 0 for "none", or a signed type) is the author\'s call; the simulator only proves the return is reachable. One finding per function.',
  },
  detect(ctx) {
    const type = fold(ctx.post.returnType);
    if (!UNSIGNED.test(type) || (ctx.post.returnTypeFrom !== 'declarator' && ctx.post.returnTypeFrom !== 'section-header' && ctx.post.returnTypeFrom !== 'tree')) return [];
    const bool = /bool/.test(type);
    // A bool turns any errno into true; an unsigned count keeps it non-zero, so how the callers read it decides.
    const readings = bool ? [] : visibleReadings(ctx);
    const misread = readings.find((r) => r.reading === 'misreads');
    if (!misread && readings.some((r) => r.reading === 'reads')) return [];
    for (const ret of descendants(ctx.post.node, 'return_statement')) {
      const value = ret.namedChild(0);
      const errno = value ? negativeErrno(fold(value.text)) : null;
      if (!errno || !ctx.touchesAdded(ret)) continue;
      return [{ node: ret, data: { errno, type, misread } }];
    }
    return [];
  },
  check(candidate, ctx): Report {
    const { errno, type, misread } = candidate.data as { errno: string; type: string; misread?: ReturnType<typeof visibleReadings>[number] };
    const bool = /bool/.test(type);
    const declared = `${ctx.fn.name}() is declared to return ${type} (${ctx.post.returnTypeFrom === 'section-header' ? 'the hunk header' : 'its definition'})`;
    if (misread?.test) {
      const line = misread.line;
      return {
        messageId: 'signTested',
        data: { function: ctx.fn.name, returnType: type, errno, wrapped: wraps(type, errno), caller: misread.caller, test: fold(misread.test.text), line: String(line) },
        question: { kind: 'exit-reachable', exit: candidate.node },
        reliedOn: [declared, `${misread.caller}() tests the sign of the result at line ${line}`],
      };
    }
    return {
      messageId: 'unsignedErrno',
      data: {
        function: ctx.fn.name,
        returnType: type,
        errno,
        wrapped: wraps(type, errno),
        consequence: bool ? ', not as an error' : ': a caller that tests its sign (`< 0`) or keeps it in a 64-bit signed variable sees no error',
        none: bool ? 'false' : '0',
      },
      question: { kind: 'exit-reachable', exit: candidate.node },
      reliedOn: [declared],
      ...(bool ? {} : { assumptions: [`the patch shows no call of ${ctx.fn.name}() that reads the result; one that keeps it in an int or tests it for zero or not still sees the error`] }),
    };
  },
  cases: {
    flagged: [
      {
        name: 'a size query answers an unknown type with an errno through an unsigned count',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -50,2 +50,14 @@ static long quux_check(struct domain *d)
 
+static unsigned int quux_max_frames(const struct domain *d, unsigned int type)
+{
+    switch ( type )
+    {
+    case QUUX_RES_TABLE:
+        return quux_table_frames(d);
+
+    default:
+        return -EOPNOTSUPP;
+    }
+}
+
 static int quux_acquire(struct domain *d)
`,
        expect: [{ line: 59, messageId: 'unsignedErrno', verdict: 'verified' }],
      },
      {
        name: 'a bool predicate returns an errno, which reads as true',
        patch: `--- a/core/drivers/drv_quux.c
+++ b/core/drivers/drv_quux.c
@@ -20,2 +20,10 @@ static TEE_Result drv_quux_probe(void)
 
+static bool drv_quux_ready(struct drv_quux *q)
+{
+	if (!q->base)
+		return -EINVAL;
+
+	return io_read32(q->base + QUUX_STATUS) & QUUX_READY;
+}
+
 static void drv_quux_remove(void)
`,
        expect: [{ line: 24, messageId: 'unsignedErrno', verdict: 'verified' }],
      },
      {
        name: 'a caller the patch shows tests the sign of the unsigned result: the errno never reads as a failure there',
        patch: `--- a/drivers/net/enet-glue.c
+++ b/drivers/net/enet-glue.c
@@ -60,6 +60,26 @@ static void enet_release(struct enet_priv *p)
 	writel(0, p->base + ENET_CTRL);
 }
 
+static u32 enet_speed_to_reg(unsigned int speed)
+{
+	switch (speed) {
+	case 100:
+		return ENET_SPEED_100;
+	case 1000:
+		return ENET_SPEED_1000;
+	default:
+		return -EINVAL;
+	}
+}
+
+static int enet_set_speed(struct enet_priv *p, unsigned int speed)
+{
+	if (enet_speed_to_reg(speed) < 0)
+		return -EINVAL;
+	writel(enet_speed_to_reg(speed), p->base + ENET_SPEED);
+	return 0;
+}
+
 static int enet_probe(struct udevice *dev)
 {
 	struct enet_priv *p = dev_get_priv(dev);
`,
        expect: [{ line: 71, messageId: 'signTested', verdict: 'verified' }],
      },
      {
        name: 'a caller keeps the result in a 64-bit variable and compares it with the errno, which the 32-bit value never equals there',
        patch: `--- a/drivers/clk/clk-baz.c
+++ b/drivers/clk/clk-baz.c
@@ -30,6 +30,25 @@ static const struct baz_rate baz_rates[] = {
 	{ 48000000, 2 },
 };
 
+static u32 baz_rate_to_div(unsigned long rate)
+{
+	if (!rate)
+		return -EINVAL;
+
+	return DIV_ROUND_UP(BAZ_PARENT_RATE, rate);
+}
+
+static int baz_set_rate(struct baz_priv *priv, unsigned long rate)
+{
+	u64 div;
+
+	div = baz_rate_to_div(rate);
+	if (div == -EINVAL)
+		return -EINVAL;
+	writel(div, priv->base + BAZ_DIV);
+	return 0;
+}
+
 static int baz_probe(struct udevice *dev)
 {
 	struct baz_priv *priv = dev_get_priv(dev);
`,
        expect: [{ line: 36, messageId: 'signTested', verdict: 'verified' }],
      },
      {
        name: 'a caller keeps the result in a long (32 bits on some targets) and tests its sign: not named, the general note only',
        patch: `--- a/drivers/net/enet-glue.c
+++ b/drivers/net/enet-glue.c
@@ -60,6 +60,22 @@ static void enet_release(struct enet_priv *p)
 	writel(0, p->base + ENET_CTRL);
 }
 
+static u32 enet_mode_to_reg(unsigned int mode)
+{
+	if (mode > ENET_MODE_MAX)
+		return -EINVAL;
+	return ENET_MODE_BASE + mode;
+}
+
+static int enet_set_mode(struct enet_priv *p, unsigned int mode)
+{
+	long reg = enet_mode_to_reg(mode);
+	if (reg < 0)
+		return reg;
+	writel(reg, p->base + ENET_MODE);
+	return 0;
+}
+
 static int enet_probe(struct udevice *dev)
 {
 	struct enet_priv *p = dev_get_priv(dev);
`,
        expect: [{ line: 66, messageId: 'unsignedErrno', verdict: 'verified' }],
      },
    ],
    clean: [
      {
        name: 'a signed function returns the errno',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -50,2 +50,13 @@ static long quux_check(struct domain *d)
 
+static int quux_max_frames(const struct domain *d, unsigned int type)
+{
+    switch ( type )
+    {
+    case QUUX_RES_TABLE:
+        return quux_table_frames(d);
+    default:
+        return -EOPNOTSUPP;
+    }
+}
+
 static int quux_acquire(struct domain *d)
`,
      },
      {
        name: 'near miss: the errno return is dead code after an unconditional return',
        refuted: true,
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -50,2 +50,8 @@ static long quux_check(struct domain *d)
 
+static unsigned int quux_frames(const struct domain *d)
+{
+    return quux_table_frames(d);
+    return -EOPNOTSUPP;
+}
+
 static int quux_acquire(struct domain *d)
`,
      },
      {
        name: 'near miss: the only caller keeps the result in an int and tests it for non-zero: -EINVAL still reads as a failure',
        patch: `--- a/arch/arm/mach-foo/board.c
+++ b/arch/arm/mach-foo/board.c
@@ -40,11 +40,30 @@ static void foo_mac_reset(unsigned int id, u32 mode)
 	foo_release_reset(id);
 }
 
+static u32 foo_iface_to_reg(const char *iface, u32 *reg)
+{
+	if (!iface)
+		return -EINVAL;
+
+	if (!strcmp(iface, "rgmii")) {
+		*reg = FOO_IFACE_RGMII;
+		return 0;
+	}
+
+	return -EINVAL;
+}
+
 static int foo_mac_init(const void *blob, int node)
 {
+	const char *iface;
+	u32 reg;
 	int ret;
 
-	foo_mac_reset(0, FOO_IFACE_RGMII);
+	iface = fdt_getprop(blob, node, "phy-mode", NULL);
+	ret = foo_iface_to_reg(iface, &reg);
+	if (ret)
+		return ret;
+	foo_mac_reset(0, reg);
 
 	return 0;
 }
`,
      },
      {
        name: 'near miss: the only caller returns the result from an int function, where it is -EINVAL again',
        patch: `--- a/drivers/clk/clk-bar.c
+++ b/drivers/clk/clk-bar.c
@@ -30,6 +30,22 @@ static const struct bar_rate bar_rates[] = {
 	{ 48000000, 2 },
 };
 
+static u32 bar_rate_to_div(unsigned long rate)
+{
+	unsigned int i;
+
+	for (i = 0; i < ARRAY_SIZE(bar_rates); i++)
+		if (bar_rates[i].rate == rate)
+			return bar_rates[i].div;
+
+	return -EINVAL;
+}
+
+static int bar_check_rate(unsigned long rate)
+{
+	return bar_rate_to_div(rate);
+}
+
 static int bar_probe(struct udevice *dev)
 {
 	struct bar_priv *priv = dev_get_priv(dev);
`,
      },
      {
        name: 'unsigned long may carry error values on purpose',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -50,2 +50,10 @@ static long quux_check(struct domain *d)
 
+static unsigned long quux_map_area(struct domain *d, unsigned long len)
+{
+    if ( !len )
+        return -EINVAL;
+
+    return quux_find_area(d, len);
+}
+
 static int quux_acquire(struct domain *d)
`,
      },
    ],
  },
});
