import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { calleeName, conditionOf, descendants, fold, isLoop, statementsOf } from '../../src/review/ast.ts';
import { removeRows } from '../../src/review/edits.ts';
import { controlHead, styleFor } from '../../src/review/fix-check.ts';
import { carriedResults, declarationOf, dropDeclaration, usesOutside, type CarriedResult } from './temporaries.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { SEED_THREAD } from './source.ts';

/** A memory_add()-like unwind whose variable is declared and returned outside the hunk. */
const GROW_PATCH = `--- a/xen/arch/x86/grow.c
+++ b/xen/arch/x86/grow.c
@@ -8,5 +8,9 @@ int grow_add(struct domain *d, unsigned long n)
     if ( i != n )
     {
         while ( i-- > 0 )
-            grow_unmap(d, i);
+        {
+            ret = grow_unmap(d, i);
+            if ( ret )
+                break;
+        }
     }
`;

/** The first mention of the variable in the statements after the test (same block) reads it. */
function readNext(c: CarriedResult): boolean {
  const list = c.test.parent ? statementsOf(c.test.parent) : [];
  for (const s of list.slice(list.findIndex((x) => x.id === c.test.id) + 1)) {
    const ids = [...descendants(s, 'identifier')].filter((id) => id.text === c.variable);
    if (ids.length === 0) continue;
    const first = ids[0]!;
    const p = first.parent;
    return !(p?.type === 'assignment_expression' && p.childForFieldName('left')?.id === first.id);
  }
  return false;
}

/** The statement a `break`/`continue` leaves: the innermost visible loop or switch (a `continue` ignores switches). */
function breakTarget(node: SyntaxNode): SyntaxNode | null {
  for (let n = node.parent; n; n = n.parent) {
    if (isLoop(n) || (n.type === 'switch_statement' && node.type === 'break_statement')) return n;
    if (n.type === 'function_definition') return null;
  }
  return null;
}

/**
 * `int rc; rc = f(...); if ( rc ) return -EFAULT;`: a variable the patch declares in the test's own block (so every
 * use of it is visible), used for nothing but this test, whose exit does not pass it on.
 */
function carriesOnlyToExit(ctx: FunctionContext, c: CarriedResult): boolean {
  const decl = declarationOf(ctx, c.variable);
  if (!decl || decl.all.length !== 1 || decl.decl.parent?.id !== c.test.parent?.id || !ctx.isAdded(decl.decl) || !ctx.touchesAdded(c.assign)) return false;
  // Declared for this one call: right before the assignment, in a block of its own (not the function's body, where a
  // status variable declared at the top is the file's ordinary way of writing).
  const list = statementsOf(c.test.parent!);
  if (list[list.findIndex((x) => x.id === c.assign.id) - 1]?.id !== decl.decl.id || c.test.parent?.parent?.type === 'function_definition') return false;
  if (decl.init && (decl.init.type === 'call_expression' || [...descendants(decl.init, 'call_expression')].length > 0)) return false;
  if ([...descendants(c.guarded, 'identifier')].some((id) => id.text === c.variable)) return false;
  return usesOutside(ctx, c.variable, [c.assign, c.test]).length === 0;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'test-call-directly',
    pack: 'simplify',
    family: 'redundant-temporary',
    severity: 'info',
    summary: 'A variable only carries a call\'s result to a loop exit test, or to an exit that does not pass it on: test the call.',
    source: {
      ...SEED_THREAD,
      quote: 'here you can do simple check: if (iommu_unmap_page(hardware_domain, i)) break;',
    },
    messages: {
      testDirectly:
        '{{variable}} only carries the result of {{callee}}() to the test: `{{test}} {{exit}};` is enough.',
      overwritesError:
        '{{variable}} does more than carry the result of {{callee}}() to the test: it overwrites the error {{variable}} held, so after an earlier failure {{function}}() can report success. `{{test}} {{exit}};` would keep the earlier error: decide which failure the caller must see.',
      testDirectlyIfUnused:
        '{{variable}} seems to only carry the result of {{callee}}() to the test, so `{{test}} {{exit}};` would do, but only if nothing after the visible code reads {{variable}}: the patch does not show that.',
    },
    fixable: true,
    limitations: 'The simulator decides whether the variable is read later; when only code the patch does not show could read it, the verdict is inconclusive and says so. An exit other than break/continue (`return -EFAULT;`, `goto out;`) is taken only when the patch declares the variable right before the assignment, in the test\'s own nested block (not the function\'s body), uses it for nothing else, and the exit does not name it.',
  },
  detect(ctx) {
    const out = [];
    for (const c of carriedResults(ctx)) {
      if (c.guarded.type === 'return_statement' || c.guarded.type === 'goto_statement') {
        if (carriesOnlyToExit(ctx, c)) out.push({ node: c.assign, data: { c } });
        continue;
      }
      if (c.guarded.type !== 'break_statement' && c.guarded.type !== 'continue_statement') continue;
      // The reviewer's case is a loop exit. `if ( rc ) break;` in a switch arm (or under a switch the patch does not
      // show) leaves the switch with rc for the code after it: rc is the result, not a carrier.
      const target = breakTarget(c.guarded);
      if (!target || !isLoop(target)) continue;
      // Whether the variable is read later is the simulator's question, not the detector's; but a read right after
      // the test, in the same block, before anything sets it again, shows it carries more than the test.
      if (!ctx.touchesAdded(c.assign) || readNext(c)) continue;
      out.push({ node: c.assign, data: { c } });
    }
    return out;
  },
  check(candidate, ctx) {
    const c = candidate.data.c as CarriedResult;
    const cond = conditionOf(c.test)!;
    // The call takes the variable's place in the test: `if ( v )` -> `if ( f() )`, `if ( v < 0 )` -> `if ( f() < 0 )`.
    const tested = cond.type === 'identifier' ? cond : cond.childForFieldName('left') ?? cond;
    const testText = `${ctx.post.source.slice(cond.startIndex, tested.startIndex)}${fold(c.call.text)}${ctx.post.source.slice(tested.endIndex, cond.endIndex)}`;
    const edits = [removeRows(ctx.post, c.assign), { start: tested.startIndex, end: tested.endIndex, text: fold(c.call.text) }];
    const drop = usesOutside(ctx, c.variable, [c.assign, c.test]).length === 0 ? dropDeclaration(ctx, c.variable) : undefined;
    if (drop) edits.push(drop);
    const exit = c.guarded.type === 'break_statement' ? 'break' : c.guarded.type === 'continue_statement' ? 'continue' : fold(c.guarded.text).replace(/\s*;$/, '');
    const last = ctx.post.gaps.length > 0 ? ctx.post.gaps[ctx.post.gaps.length - 1]!.afterLine : ctx.lineOf(c.test);
    return {
      messageId: 'testDirectly',
      data: { variable: c.variable, callee: calleeName(c.call), call: fold(c.call.text), test: controlHead(styleFor(ctx.post, ctx.file), 'if', fold(testText)), exit, function: ctx.fn.name },
      question: {
        kind: 'equivalent-rewrite',
        edits,
        fix: `test ${calleeName(c.call)}() directly`,
        proof: `${c.variable} is dead after the test on every path`,
        unlessRead: {
          variables: [c.variable],
          messageId: 'testDirectlyIfUnused',
          statement: `assumes ${c.variable} is not read after line ${last}, which the patch does not show`,
        },
        ifCodeLosesError: { messageId: 'overwritesError' },
      },
    };
  },
  cases: {
    flagged: [
      {
        name: 'the patch does not show whether the variable is read later: inconclusive, with the assumption',
        patch: GROW_PATCH,
        expect: [
          { line: 12, messageId: 'testDirectlyIfUnused', verdict: 'inconclusive' },
        ],
      },
      {
        name: 'a local only carries the unmap result to break',
        patch: `--- a/xen/arch/x86/grow.c
+++ b/xen/arch/x86/grow.c
@@ -10,9 +10,14 @@
 static void grow_undo(struct domain *d, unsigned long n)
 {
     unsigned long i = n;
+    int err;
 
     while ( i-- > 0 )
-        grow_unmap(d, i);
+    {
+        err = grow_unmap(d, i);
+        if ( err )
+            break;
+    }
 
     grow_done(d);
 }
`,
        expect: [
          { line: 17, messageId: 'testDirectly', verdict: 'verified', fix: `    while ( i-- > 0 )
    {
        if ( grow_unmap(d, i) )` },
        ],
      },
      {
        name: 'a sign test keeps its comparison: the call takes the variable\'s place in it',
        patch: `--- a/core/drivers/sprocket.c
+++ b/core/drivers/sprocket.c
@@ -10,9 +10,13 @@
 static void sprocket_drain(struct sprocket *s, unsigned int n)
 {
 	unsigned int i = 0;
+	int rc = 0;
 
-	for (i = 0; i < n; i++)
-		sprocket_pop(s, i);
+	for (i = 0; i < n; i++) {
+		rc = sprocket_pop(s, i);
+		if (rc < 0)
+			break;
+	}
 
 	sprocket_done(s);
 }
`,
        expect: [
          { line: 16, messageId: 'testDirectly', verdict: 'verified', fix: `	for (i = 0; i < n; i++) {
		if (sprocket_pop(s, i) < 0)` },
        ],
      },
      {
        name: 'a block-local variable only carries the result to an exit that returns a fixed error',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -20,11 +20,15 @@ static int quux_helper(void)
 static int quux_load(struct quux *q, unsigned int n)
 {
     unsigned int i;
 
     for ( i = 0; i < n; i++ )
     {
-        quux_copy(q, i);
+        int rc;
+
+        rc = quux_copy(q, i);
+        if ( rc )
+            return -EFAULT;
     }
 
     return 0;
 }
`,
        expect: [{ line: 28, messageId: 'testDirectly', verdict: 'verified', fix: '        if ( quux_copy(q, i) )' }],
      },
    ],
    clean: [
      {
        name: 'near miss: a status variable declared at the top of the function: the file\'s ordinary way of writing',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -20,6 +20,11 @@ static int quux_helper(void)
 static int quux_load(struct quux *q, unsigned int n)
 {
+    int rc;
+
     quux_prepare(q, n);
+    rc = quux_copy(q, n);
+    if ( rc )
+        return -EFAULT;
 
     return 0;
 }
`,
      },
      {
        name: 'near miss: the variable is declared at the top of a function the patch shows only in part: unseen code may read it',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -30,8 +30,10 @@ static int quux_load(struct quux *q, unsigned int n)
     int rc;
 
     for ( i = 0; i < n; i++ )
     {
-        quux_copy(q, i);
+        rc = quux_copy(q, i);
+        if ( rc )
+            return -EFAULT;
     }
 
     q->loaded = 1;
`,
      },
      {
        name: 'near miss: the exit passes the variable on: it is the result, not a carrier',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -20,11 +20,15 @@ static int quux_helper(void)
 static int quux_load(struct quux *q, unsigned int n)
 {
     unsigned int i;
 
     for ( i = 0; i < n; i++ )
     {
-        quux_copy(q, i);
+        int rc;
+
+        rc = quux_copy(q, i);
+        if ( rc )
+            return rc;
     }
 
     return 0;
 }
`,
      },
      {
        name: 'a break whose loop or switch the patch does not show may leave a switch with rc: not a carrier',
        patch: `--- a/xen/common/ctl.c
+++ b/xen/common/ctl.c
@@ -40,4 +40,6 @@ long do_ctl(struct ctl_op *op)
         void *handle = op->u.buf.p;
 
-        rc = ctl_check(op);
+        rc = ctl_check_priv(op);
+        if ( rc )
+            break;
 
`,
      },
      {
        name: 'a break in a switch arm hands rc to the code after the switch: rc is the result, not a carrier',
        patch: `--- a/xen/common/ctl.c
+++ b/xen/common/ctl.c
@@ -30,7 +30,9 @@ long do_ctl(struct ctl_op *op)
     switch ( op->cmd )
     {
     case CTL_SET:
-        ctl_set(op->d, op->val);
+        rc = ctl_set(op->d, op->val);
+        if ( rc )
+            break;
         op->done = 1;
         break;
 
`,
      },
      {
        name: 'in tree mode the whole function shows the variable is returned later, so the rewrite is refuted',
        patch: GROW_PATCH,
        refuted: true,
        tree: {
          'xen/arch/x86/grow.c': `#include <xen/grow.h>

int grow_add(struct domain *d, unsigned long n)
{
    unsigned long i = grow_map_all(d, n);
    int ret = 0;

    if ( i != n )
    {
        while ( i-- > 0 )
            grow_unmap(d, i);
    }
    return ret;
}
`,
        },
      },
      {
        name: 'near miss: a negative result skips the entry, a non-negative one is used as an index after the test',
        patch: `--- a/core/drivers/cog.c
+++ b/core/drivers/cog.c
@@ -10,5 +10,13 @@ static void cog_map(const void *fdt, int node, struct cog *c)
 	int idx = 0;
 	unsigned int i = 0;
 
+	for (i = 0; i < COG_NB; i++) {
+		idx = fdt_stringlist_search(fdt, node, "reg-names", cog_names[i]);
+		if (idx < 0)
+			continue;
+
+		c->base[i] = cog_reg(fdt, node, idx);
+	}
+
 	cog_done(c);
 }
`,
      },
      {
        name: 'the variable is read after the loop',
        refuted: true,
        patch: `--- a/xen/arch/x86/grow.c
+++ b/xen/arch/x86/grow.c
@@ -10,9 +10,15 @@
 static int grow_undo(struct domain *d, unsigned long n)
 {
     unsigned long i = n;
+    int err = 0;
 
     while ( i-- > 0 )
-        grow_unmap(d, i);
+    {
+        err = grow_unmap(d, i);
+        if ( err )
+            break;
+    }
 
     grow_done(d);
+    return err;
 }
`,
      },
    ],
  },
});
