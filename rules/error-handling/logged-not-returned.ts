import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { assignedCall, onlyLogs, conditionOf, descendants, fold, statementsOf } from '../../src/review/ast.ts';
import { calleeName, fallibilityKey, peel, testsValue } from '../../src/review/calls.ts';
import { reliedOn } from '../../src/review/judge.ts';
import { SEED_THREAD } from './source.ts';

/** The variable the function returns at its visible end (`return rv;`), if one. */
function returnedVariable(fnNode: SyntaxNode): string | null {
  const body = fnNode.childForFieldName('body');
  if (!body) return null;
  const rets = [...descendants(body, 'return_statement')];
  const last = rets[rets.length - 1];
  const value = last?.namedChild(0);
  return value?.type === 'identifier' ? value.text : null;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'logged-not-returned',
    pack: 'error-handling',
    family: 'unchecked-error',
    severity: 'warning',
    summary: 'A failure is printed and then forgotten: the function goes on and reports success.',
    source: {
      ...SEED_THREAD,
      quote: 'rv = iommu_hwdom_init(d), otherwise error is not propagated outside. ... why no error return in this case.',
    },
    messages: {
      logged:
        '{{callee}}() can fail, but {{function}}() only prints a warning and carries on, so its caller never learns of the failure. Return the error instead (or stop here, if the failure cannot be survived).',
      notReturned:
        '{{function}}() returns {{variable}}, which never sees the failure of {{callee}}(): only a warning is printed. Assign the result (`{{variable}} = {{call}};`) so the error is propagated.',
    },
    fixable: false,
    limitations: 'Only recognises a failure branch made of log calls (printk and friends from the simulator\'s log model).',
  },
  detect(ctx) {
    if (ctx.post.returnType === 'void') return [];
    const out = [];
    for (const ifs of descendants(ctx.post.node, 'if_statement')) {
      if (!ctx.touchesAdded(ifs) || ifs.childForFieldName('alternative')) continue;
      if (!onlyLogs(ifs.childForFieldName('consequence'))) continue;
      const cond = conditionOf(ifs);
      const tested = peel(cond);
      let call: SyntaxNode | null = tested?.type === 'call_expression' ? tested : null;
      if (!call) {
        // `rc = f(); if ( rc ) printk(...);`
        const list = ifs.parent ? statementsOf(ifs.parent) : [];
        const prev = list[list.findIndex((s) => s.id === ifs.id) - 1];
        const assigned = prev ? assignedCall(prev) : null;
        if (assigned && testsValue(cond, assigned.variable)) call = assigned.call;
      }
      if (!call || !ctx.fallibility.canFail(fallibilityKey(call))) continue;
      out.push({ node: ifs, data: { call } });
    }
    return out;
  },
  check(candidate, ctx) {
    const call = candidate.data.call as SyntaxNode;
    const callee = calleeName(call);
    const variable = returnedVariable(ctx.post.node);
    return {
      messageId: variable ? 'notReturned' : 'logged',
      data: { callee, function: ctx.fn.name, call: fold(call.text), variable: variable ?? '' },
      question: { kind: 'failure-swallowed', call },
      reliedOn: reliedOn(ctx, fallibilityKey(call), call),
    };
  },
  cases: {
    flagged: [
      {
        name: 'a failure that is only printed before returning rv',
        patch: `--- a/xen/common/bar.c
+++ b/xen/common/bar.c
@@ -20,7 +20,8 @@ static int bar_late_init(struct domain *d)
 
     rv = bar_setup(d);
 
-    bar_enable(d);
+    if ( bar_enable(d) )
+        printk("bar: enable failed\\n");
 
     return rv;
 }
--- a/xen/include/xen/bar.h
+++ b/xen/include/xen/bar.h
@@ -3,3 +3,3 @@
 
-void bar_enable(struct domain *d);
+int bar_enable(struct domain *d);
 
`,
        expect: [
          { line: 23, messageId: 'notReturned', verdict: 'verified' },
        ],
      },
    ],
    clean: [
      {
        name: 'the failure is printed and still returned through rv',
        refuted: true,
        patch: `--- a/xen/common/bar.c
+++ b/xen/common/bar.c
@@ -20,7 +20,9 @@ static int bar_late_init(struct domain *d)
 
     rv = bar_setup(d);
 
-    bar_enable(d);
+    rv = bar_enable(d);
+    if ( rv )
+        printk("bar: enable failed\\n");
 
     return rv;
 }
--- a/xen/include/xen/bar.h
+++ b/xen/include/xen/bar.h
@@ -3,3 +3,3 @@
 
-void bar_enable(struct domain *d);
+int bar_enable(struct domain *d);
 
`,
      },
      {
        name: 'the failure is printed and returned',
        patch: `--- a/xen/common/bar.c
+++ b/xen/common/bar.c
@@ -20,7 +20,12 @@ static int bar_late_init(struct domain *d)
 
     rv = bar_setup(d);
 
-    bar_enable(d);
+    rv = bar_enable(d);
+    if ( rv )
+    {
+        printk("bar: enable failed\\n");
+        return rv;
+    }
 
     return rv;
 }
--- a/xen/include/xen/bar.h
+++ b/xen/include/xen/bar.h
@@ -3,3 +3,3 @@
 
-void bar_enable(struct domain *d);
+int bar_enable(struct domain *d);
 
`,
      },
    ],
  },
});
