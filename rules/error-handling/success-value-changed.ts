import { defineRule, type Report } from '../../src/review/rule.ts';
import { declaredNames, descendants, errnoReturned, fold, isLoop, statementsOf } from '../../src/review/ast.ts';
import { isErrorConstant } from '../../src/review/api-data.ts';
import { calleeName, peel, resultUse } from '../../src/review/calls.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import type { CModel } from '../../src/c/types.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { replacedBy } from '../../src/review/patch-lines.ts';
import { SEED_THREAD } from './source.ts';

const NON_NEGATIVE = /^\(?\s*\d+[uUlL]*\s*\)?$/;

/**
 * The patch adds error handling (an errno return, or a call whose result it now checks) in some function it
 * touches: the reviewer's case, where a non-error value was changed on the way. A patch that only changes
 * what a function computes is not questioned.
 */
const errorHandlingPatches = new WeakMap<CModel, boolean>();
function addsErrorHandling(model: CModel): boolean {
  let known = errorHandlingPatches.get(model);
  if (known !== undefined) return known;
  known = model.files.some((file) =>
    file.functions.some((fn) => {
      const post = fn.post;
      if (!post) return false;
      const added = new Set(fn.addedLines);
      const isAdded = (n: SyntaxNode): boolean => added.has(post.lineMap[n.startPosition.row] ?? 0);
      for (const ret of descendants(post.node, 'return_statement')) if (isAdded(ret) && errnoReturned(ret)) return true;
      for (const call of descendants(post.node, 'call_expression')) {
        const use = resultUse(call);
        if (use.kind === 'tested' && isAdded(call)) return true;
        if (use.kind === 'assigned' && use.checkedBy && (isAdded(call) || isAdded(use.checkedBy))) return true;
      }
      return false;
    }),
  );
  errorHandlingPatches.set(model, known);
  return known;
}

/** `return -EINVAL;` or a negative literal (`return -1;`, the error value of code without errno names). */
const NEGATIVE_LITERAL = /^\(?\s*-\s*\d+[lL]?\s*\)?$/;
const errorReturned = (r: SyntaxNode): boolean => !!errnoReturned(r) || NEGATIVE_LITERAL.test(fold(r.namedChild(0)?.text ?? ''));

/**
 * The patch turns a `return 0;` into an error return (`-EINVAL`, `-1`) in this function: 0 meant failure before and
 * means success now. Its other 1 -> 0 changes are that deliberate change of convention, not a lost signal. The same
 * the other way: an error return that becomes `return 0;` makes 0 the failure, and its 0 -> 1 changes the success.
 */
function flipsConvention(ctx: FunctionContext): boolean {
  return [...descendants(ctx.post.node, 'return_statement')].some((r) => {
    if (!ctx.isAdded(r)) return false;
    const olds = replacedReturns(ctx, r);
    // 0 (failure) -> an error; or the way back to a boolean convention: an error -> 0, 0 meaning failure now.
    if (errorReturned(r)) return olds.includes('0');
    return fold(r.namedChild(0)?.text ?? '') === '0' && olds.some((v) => !!/^-\s*E[A-Z0-9]+$/.exec(v) || NEGATIVE_LITERAL.test(v));
  });
}

/**
 * The same patch makes callers of this function tell errors from other values by sign (`f(..) < 0`, `f(..) >= 0`,
 * `f(..) > 0` on an added line): the caller was adapted to a non-negative value that means something, so the new
 * value is the author's change of the function's interface, not a lost signal.
 */
const SIGN_TESTS = new Set(['<', '>=', '>', '<=']);
/** `x <op> 0` with a sign test: the operand compared, else null. */
function signTested(cmp: SyntaxNode | null | undefined): SyntaxNode | null {
  let c = cmp;
  while (c?.type === 'parenthesized_expression') c = c.namedChild(0);
  if (c?.type !== 'binary_expression') return null;
  if (!SIGN_TESTS.has(c.childForFieldName('operator')?.text ?? '') || c.childForFieldName('right')?.text !== '0') return null;
  return c.childForFieldName('left');
}
/** Per model, the callees some added line tests by sign: one pass over the patch, not one per function (perf). */
const signTestedCallees = new WeakMap<CModel, Set<string>>();
function callersTestSign(model: CModel, name: string): boolean {
  let names = signTestedCallees.get(model);
  if (!names) {
    names = new Set();
    for (const file of model.files) {
      for (const fn of file.functions) {
        const post = fn.post;
        if (!post) continue;
        const added = new Set(fn.addedLines);
        for (const call of descendants(post.node, 'call_expression')) {
          if (!added.has(post.lineMap[call.startPosition.row] ?? 0)) continue;
          let e: SyntaxNode = call;
          while (e.parent?.type === 'parenthesized_expression') e = e.parent;
          const cmp = e.parent;
          if (cmp?.type !== 'binary_expression' || cmp.childForFieldName('left')?.id !== e.id) continue;
          if (SIGN_TESTS.has(cmp.childForFieldName('operator')?.text ?? '') && cmp.childForFieldName('right')?.text === '0') names.add(calleeName(call));
        }
        // `v = f(..);` (kept or added) whose next test the patch rewrites into a sign test of v (`if ( v <= 0 )`).
        for (const call of descendants(post.node, 'call_expression')) {
          const use = resultUse(call);
          if (use.kind !== 'assigned' || !use.checkedBy) continue;
          const cond = use.checkedBy.childForFieldName('condition');
          if (!cond || !added.has(post.lineMap[cond.startPosition.row] ?? 0)) continue;
          const tested = [...descendants(cond, 'binary_expression')].map(signTested).find((l) => l?.text === use.variable);
          if (tested) names.add(calleeName(call));
        }
      }
    }
    signTestedCallees.set(model, names);
  }
  return names.has(name);
}

/** The values the removed lines of this change block returned. */
function replacedReturns(ctx: FunctionContext, r: SyntaxNode): string[] {
  return replacedBy(ctx, ctx.lineOf(r)).flatMap((t) => {
    const v = /^\s*return\s+([^;]+);/.exec(t)?.[1]?.trim();
    return v === undefined ? [] : [v];
  });
}

/**
 * The status a function initialises to an error and returns at its end, set only by calls in the arms of a switch
 * inside a loop whose default arm does nothing (`default: break;`): when every iteration takes the default, nothing
 * failed and nothing set it, yet the initial error is returned. (Each iteration that sets it overwrites what an
 * earlier one left, so the initial value cannot be meant as the default arm's answer.) Returns the final return, the
 * variable, its initial error and the default arm's statement.
 */
function initialErrorAtEnd(ctx: FunctionContext): { ret: SyntaxNode; variable: string; code: string; through: SyntaxNode } | null {
  const body = ctx.post.node.childForFieldName('body');
  const stmts = body ? statementsOf(body) : [];
  const ret = stmts[stmts.length - 1];
  if (ret?.type !== 'return_statement') return null;
  const v = peel(ret.namedChild(0));
  if (v?.type !== 'identifier') return null;
  const variable = v.text;
  let code: string | null = null;
  for (const decl of descendants(ctx.post.node, 'declaration')) {
    for (const d of declaredNames(decl)) if (d.name === variable && d.init && isErrorConstant(fold(d.init.text))) code = fold(d.init.text);
  }
  if (!code) return null;
  // Every other write of the status is a call's result, in a case arm of a switch inside a loop.
  let sw: SyntaxNode | null = null;
  let writes = 0;
  for (const a of descendants(ctx.post.node, 'assignment_expression')) {
    if (a.childForFieldName('left')?.text !== variable) continue;
    if (a.childForFieldName('operator')?.text !== '=' || peel(a.childForFieldName('right'))?.type !== 'call_expression') return null;
    let s: SyntaxNode | null = a.parent;
    while (s && s.type !== 'switch_statement' && s.type !== 'function_definition') s = s.parent;
    if (!s || s.type !== 'switch_statement' || (sw && sw.id !== s.id)) return null;
    let loop: SyntaxNode | null = s.parent;
    while (loop && !isLoop(loop) && loop.type !== 'function_definition') loop = loop.parent;
    if (!loop || !isLoop(loop)) return null;
    sw = s;
    writes++;
  }
  if (!sw || writes === 0) return null;
  // Pointers and other `&v` uses hand the status to someone else.
  for (const u of descendants(ctx.post.node, 'pointer_expression')) if (peel(u.childForFieldName('argument'))?.text === variable) return null;
  // The default arm does nothing: `default: break;` (or continue).
  const arms = sw.childForFieldName('body');
  const def = arms ? statementsOf(arms).find((c) => c.type === 'case_statement' && !c.childForFieldName('value')) : undefined;
  const inDefault = def ? def.namedChildren.filter((c) => c.type !== 'comment' && c.type !== 'identifier') : [];
  if (inDefault.length !== 1 || (inDefault[0]!.type !== 'break_statement' && inDefault[0]!.type !== 'continue_statement')) return null;
  if (!ctx.isAdded(ret) && !ctx.touchesAdded(sw)) return null;
  return { ret, variable, code, through: inDefault[0]! };
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'success-value-changed',
    pack: 'error-handling',
    family: 'success-path-change',
    severity: 'error',
    summary: 'A return value that meant something other than an error was changed, or a status still holding its initial error is returned, on a path where nothing failed.',
    source: {
      ...SEED_THREAD,
      quote: 'this looks problematic. originally 0/1 is used to indicate whether caller needs to flush cache. Here you return 0 then may break something...',
    },
    messages: {
      initialError:
        '{{function}}() returns {{variable}}, which still holds its initial {{code}} when every pass of the loop takes the default arm (`{{through}}`): nothing failed and nothing set it, yet the caller is told it failed. Return {{success}} after the loop (or set {{variable}} to {{success}} before it).',
      valueChanged:
        'This `return {{value}};` changes what {{function}}() returns when nothing failed{{old}}. A non-negative return value is not an error: callers may read it. Keep it, and report errors with negative values only.',
    },
    fixable: false,
    limitations: 'Only non-negative constant returns whose value changed are considered; callers\' use of the value is not checked, except that a patch which makes callers test the function\'s result by sign (`f() < 0`) is taken to change the value on purpose. Also: a status initialised to an error constant and returned as the function\'s last statement, written only with calls\' results in the arms of one switch inside a loop whose default arm only breaks (or continues): the simulator decides that a path where no call failed takes the default and returns the initial error. A switch outside a loop is not considered (its initial value may be meant as the answer for the values no arm names), nor a default arm that does anything else.',
  },
  detect(ctx) {
    const initial = initialErrorAtEnd(ctx);
    if (initial) return [{ node: initial.ret, data: { initial } }];
    if (!ctx.pre || ctx.pre.returnType === 'void' || !addsErrorHandling(ctx.model) || flipsConvention(ctx)) return [];
    if (callersTestSign(ctx.model, ctx.fn.name)) return [];
    // The reviewer's case: a constant status that meant something (1: "flush needed") replaced by another
    // constant. A computed value the patch changes is what the function now computes, not a lost signal.
    return [...descendants(ctx.post.node, 'return_statement')]
      .filter((r) => ctx.isAdded(r) && NON_NEGATIVE.test(r.namedChild(0)?.text ?? ''))
      .filter((r) => {
        const olds = replacedReturns(ctx, r);
        return olds.length > 0 && olds.every((v) => NON_NEGATIVE.test(v));
      })
      .map((node) => ({ node, data: {} }));
  },
  check(candidate, ctx): Report {
    const initial = candidate.data.initial as ReturnType<typeof initialErrorAtEnd>;
    if (initial) {
      const success = initial.code.startsWith('TEE_ERROR_') ? 'TEE_SUCCESS' : '0';
      return {
        messageId: 'initialError',
        data: { function: ctx.fn.name, variable: initial.variable, code: initial.code, through: fold(initial.through.text), success },
        question: { kind: 'exit-without-failure', exit: initial.ret, value: initial.code, through: initial.through },
      };
    }
    const value = fold(candidate.node.namedChild(0)?.text ?? '');
    const old = replacedReturns(ctx, candidate.node).find((v) => v !== value);
    return {
      messageId: 'valueChanged',
      data: { value, function: ctx.fn.name, old: old ? ` (it returned ${old} here before)` : '' },
      question: { kind: 'success-path-change', at: candidate.node, change: 'return-value' },
    };
  },
  cases: {
    flagged: [
      {
        name: 'return 1 (flush needed) becomes return 0',
        patch: `--- a/xen/drivers/qux.c
+++ b/xen/drivers/qux.c
@@ -30,7 +30,7 @@ static int qux_flush(struct qux *q, int non_present)
     if ( non_present )
     {
         if ( !caching_mode(q) )
-            return 1;
+            return 0;
         else
             did = 0;
     }
@@ -50,6 +50,8 @@ static int qux_sync(struct qux *q)
     int rc;
 
     rc = qux_start(q);
+    if ( rc )
+        return rc;
     qux_wait(q);
     return 0;
 }
`,
        expect: [
          { line: 33, messageId: 'valueChanged', verdict: 'verified' },
        ],
      },
      {
        name: 'a status initialised to TEE_ERROR_GENERIC is set only by the copy in two arms of a switch in a loop whose default breaks: no output parameter returns the initial error',
        patch: `--- a/core/kernel/quux.c
+++ b/core/kernel/quux.c
@@ -10,6 +10,29 @@ static TEE_Result quux_prepare(uint32_t types)
 	return TEE_SUCCESS;
 }
 
+TEE_Result quux_copy_back(uint32_t types, struct quux_param *p,
+			  struct quux_param *bounce)
+{
+	TEE_Result res = TEE_ERROR_GENERIC;
+	size_t n = 0;
+
+	for (n = 0; n < QUUX_NUM_PARAMS; n++) {
+		switch (QUUX_PARAM_TYPE_GET(types, n)) {
+		case QUUX_PARAM_MEMREF_OUTPUT:
+		case QUUX_PARAM_MEMREF_INOUT:
+			res = copy_to_user(p[n].buf, bounce[n].buf,
+					   bounce[n].size);
+			if (res)
+				return res;
+			break;
+		default:
+			break;
+		}
+	}
+
+	return res;
+}
+
 static void quux_done(void)
 {
 }
`,
        expect: [{ line: 33, messageId: 'initialError', verdict: 'verified' }],
      },
    ],
    clean: [
      {
        name: 'the patch flips the function\'s convention (0 was failure, now success): its 1 -> 0 is deliberate',
        patch: `--- a/xen/common/pg.c
+++ b/xen/common/pg.c
@@ -20,10 +20,10 @@ static int pg_remove(struct domain *d, unsigned long gfn)
     if ( pg_is_shared(d, gfn) )
     {
         pg_unshare(d, gfn);
-        return 1;
+        return 0;
     }
     if ( !pg_valid(d, gfn) )
-        return 0;
+        return -EINVAL;
     pg_drop(d, gfn);
-    return 1;
+    return 0;
 }
`,
      },
      {
        name: 'near miss: the convention flips with a negative literal (0 failure, 1 success -> -1 failure, 0 success), as in code without errno names, and the caller\'s test flips with it',
        patch: `--- a/services/std_svc/quux/quux_main.c
+++ b/services/std_svc/quux/quux_main.c
@@ -40,12 +40,12 @@ static int32_t quux_init(void)
 	rc = quux_sync_entry(ctx);
 	if (rc != QUUX_BOOT_SUCCESS) {
 		ERROR("QUUX init failed: %ld\\n", rc);
 		quux_boot_failed = true;
-		return 0;
+		return -1;
 	}
 
 	INFO("QUUX init end.\\n");
 
-	return 1;
+	return 0;
 }
 
@@ -90,7 +90,7 @@ int quux_activate(void)
 	}
 
 	rc = quux_init();
-	if (rc == 0) {
+	if (rc != 0) {
 		ERROR("quux_init failed: %d\\n", rc);
 		return rc;
 	}
`,
      },
      {
        name: 'near miss: the convention flips back to a boolean (-EIO failure, 0 success -> 0 failure, 1 success) and the callers follow it',
        patch: `--- a/drivers/net/quux_emac.c
+++ b/drivers/net/quux_emac.c
@@ -20,9 +20,9 @@ int quux_phy_read(u8 phy, u8 reg, u16 *data)
 
 	if (tmp & QUUX_ACK) {
 		*data = tmp & 0xffff;
-		return 0;
+		return 1;
 	}
 
-	return -EIO;
+	return 0;
 }
 
@@ -60,7 +60,6 @@ static int quux_mii_read(struct mii_dev *bus, int addr, int devad, int reg)
 {
 	u16 value = 0;
 	int ret = quux_phy_read(addr, reg, &value);
-	if (ret < 0)
-		return ret;
-	return value;
+
+	return ret ? value : -EIO;
 }
@@ -80,6 +79,6 @@ static int quux_phy_detect(void)
 	u16 id = 0;
 
-	if (quux_phy_read(0, QUUX_PHYSID1, &id) < 0)
+	if (!quux_phy_read(0, QUUX_PHYSID1, &id))
 		return -ENODEV;
 	return id;
 }
`,
      },
      {
        name: 'near miss: the same patch makes the callers test the result by sign: the new 1 is deliberate',
        patch: `--- a/xen/drivers/qux.c
+++ b/xen/drivers/qux.c
@@ -30,6 +30,6 @@ static int qux_map(struct qux *q)
 {
     if ( q->virt )
-        return 0;
+        return 1; /* already mapped */
 
     q->virt = qux_ioremap(q);
     if ( !q->virt )
@@ -60,6 +60,6 @@ static int qux_setup(struct qux *q)
     int rc;
 
-    if ( qux_map(q) )
+    if ( qux_map(q) < 0 )
         return -ENOMEM;
     rc = qux_start(q);
     if ( rc )
`,
      },
      {
        name: 'near miss: the caller stores the result and the patch rewrites its test into a sign test (`rc <= 0`)',
        patch: `--- a/xen/arch/x86/blob.c
+++ b/xen/arch/x86/blob.c
@@ -40,11 +40,7 @@ static int blob_fits(const struct blob *b, unsigned int cpu)
     if ( b->sig != cpu_sig(cpu) )
         return 0;
 
-    if ( !blob_table )
-        goto out;
-
     printk(XENLOG_INFO "blob: CPU%u takes version %#x\n", cpu, b->rev);
- out:
-    return 0;
+    return 1;
 }
 
@@ -80,7 +76,7 @@ static int blob_load(unsigned int cpu, const void *buf, size_t size)
     while ( (ret = blob_next(b, buf, size, &offset)) == 0 )
     {
         error = blob_fits(b, cpu);
-        if ( error != 0 )
+        if ( error <= 0 )
             continue;
 
         error = blob_apply(b, cpu);
`,
      },
      {
        name: 'a computed value replaced by 0 in an error-handling patch is what the function now computes',
        patch: `--- a/xen/common/idle.c
+++ b/xen/common/idle.c
@@ -40,6 +40,8 @@ static u64 idle_time(unsigned int cpu)
     if ( cpu_ready(cpu) )
         return idle_get(cpu);
 
-    return state.time[IDLE_RUNNING];
+    if ( idle_check(cpu) )
+        return -EINVAL;
+    return 0;
 }
 
`,
      },
      {
        name: 'a patch that only changes what a function computes, with no error handling in it',
        patch: `--- a/xen/common/tree.c
+++ b/xen/common/tree.c
@@ -80,7 +80,7 @@ static unsigned long tree_maxindex(unsigned int height)
         return ~0UL;
 
     if ( shift >= BITS_PER_LONG )
-        return ~0UL;
+        return 0UL;
 
     return ~0UL >> shift;
 }
`,
      },
      {
        name: 'the same non-error value is returned after the new wait',
        refuted: true,
        patch: `--- a/xen/drivers/qux.c
+++ b/xen/drivers/qux.c
@@ -30,6 +30,7 @@ static int qux_flush(struct qux *q, int non_present)
     if ( non_present )
     {
-        return 1;
+        qux_drain(q);
+        return 1;
     }
     return 0;
 }
@@ -50,6 +50,8 @@ static int qux_sync(struct qux *q)
     int rc;
 
     rc = qux_start(q);
+    if ( rc )
+        return rc;
     qux_wait(q);
     return 0;
 }
`,
      },
      {
        name: 'an error return replaces a success return only on failure',
        patch: `--- a/xen/drivers/qux.c
+++ b/xen/drivers/qux.c
@@ -30,6 +30,7 @@ static int qux_flush(struct qux *q, int non_present)
     if ( non_present )
     {
-        qux_wait(q);
+        if ( qux_wait(q) )
+            return -EIO;
         return 1;
     }
     return 0;
`,
      },
      {
        name: 'near miss: the switch is not in a loop: the initial error is the answer for the commands no arm names',
        patch: `--- a/core/kernel/quux.c
+++ b/core/kernel/quux.c
@@ -10,6 +10,21 @@ static TEE_Result quux_prepare(uint32_t types)
 	return TEE_SUCCESS;
 }
 
+TEE_Result quux_invoke(uint32_t cmd, struct quux_param *p)
+{
+	TEE_Result res = TEE_ERROR_NOT_SUPPORTED;
+
+	switch (cmd) {
+	case QUUX_CMD_OPEN:
+		res = quux_open(p);
+		break;
+	default:
+		break;
+	}
+
+	return res;
+}
+
 static void quux_done(void)
 {
 }
`,
      },
      {
        name: 'near miss: the loop\'s default arm reports its own error, and the status is written before the loop',
        patch: `--- a/core/kernel/quux.c
+++ b/core/kernel/quux.c
@@ -10,6 +10,28 @@ static TEE_Result quux_prepare(uint32_t types)
 	return TEE_SUCCESS;
 }
 
+TEE_Result quux_copy_in(uint32_t types, struct quux_param *p)
+{
+	TEE_Result res = TEE_ERROR_GENERIC;
+	size_t n = 0;
+
+	res = quux_check_types(types);
+	if (res)
+		return res;
+	for (n = 0; n < QUUX_NUM_PARAMS; n++) {
+		switch (QUUX_PARAM_TYPE_GET(types, n)) {
+		case QUUX_PARAM_MEMREF_INPUT:
+			res = quux_copy_one(p + n);
+			if (res)
+				return res;
+			break;
+		default:
+			break;
+		}
+	}
+	return res;
+}
+
 static void quux_done(void)
 {
 }
`,
      },
    ],
  },
});
