import { defineRule } from '../../src/review/rule.ts';
import { descendants, fold } from '../../src/review/ast.ts';
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

const wraps = (type: string, errno: string): string => (/bool/.test(type) ? 'true' : `a huge ${type} value (-${errno} converted)`);

export default defineRule({
  scope: 'function',
  meta: {
    id: 'errno-in-unsigned-return',
    pack: 'error-handling',
    family: 'disabled-not-error',
    severity: 'warning',
    summary: 'A function declared to return an unsigned count (or bool) returns a negative errno: the caller gets a huge count (or true), not an error.',
    source: {
      ...SEED_THREAD,
      quote: 'Looks error handling is not only a problem in VT-d code. Above actually should check return values of all suspend callbacks.',
    },
    messages: {
      unsignedErrno:
        '{{function}}() returns {{returnType}}, so `return -{{errno}};` reaches its caller as {{wrapped}}, not as an error. If this case means "nothing here" (an unknown or absent kind, nothing configured), return {{none}} as the caller\'s test for "none" expects; if it is a failure, the function must return a signed error.',
    },
    fixable: false,
    limitations:
      'Reads the return type the patch shows (the definition or the hunk header); `unsigned long` is left out, since some code returns error values through it on purpose. Which of the two fixes is right is the author\'s call; the simulator only proves the return is reachable.',
  },
  detect(ctx) {
    const type = fold(ctx.post.returnType);
    if (!UNSIGNED.test(type) || (ctx.post.returnTypeFrom !== 'declarator' && ctx.post.returnTypeFrom !== 'section-header' && ctx.post.returnTypeFrom !== 'tree')) return [];
    const out = [];
    for (const ret of descendants(ctx.post.node, 'return_statement')) {
      const value = ret.namedChild(0);
      const errno = value ? negativeErrno(fold(value.text)) : null;
      if (!errno || !ctx.touchesAdded(ret)) continue;
      out.push({ node: ret, data: { errno, type } });
    }
    return out;
  },
  check(candidate, ctx) {
    const { errno, type } = candidate.data as { errno: string; type: string };
    return {
      messageId: 'unsignedErrno',
      data: { function: ctx.fn.name, returnType: type, errno, wrapped: wraps(type, errno), none: /bool/.test(type) ? 'false' : '0' },
      question: { kind: 'exit-reachable', exit: candidate.node },
      reliedOn: [`${ctx.fn.name}() is declared to return ${type} (${ctx.post.returnTypeFrom === 'section-header' ? 'the hunk header' : 'its definition'})`],
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
