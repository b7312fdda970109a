import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { bodyStatements, conditionOf, descendants, errnoReturned, fold } from '../../src/review/ast.ts';
import { calleeName, fallibilityKey, peel } from '../../src/review/calls.ts';
import { controlHead, styleFor } from '../../src/review/fix-check.ts';
import { SEED_THREAD } from './source.ts';

/** The branch leaves for an error: `goto label`, or `return -E...`. */
function errorExit(branch: SyntaxNode | null): SyntaxNode | undefined {
  const list = bodyStatements(branch);
  const last = list[list.length - 1];
  if (!last) return undefined;
  if (last.type === 'goto_statement') return last;
  if (last.type === 'return_statement' && errnoReturned(last)) return last;
  return undefined;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'inverted-success-check',
    pack: 'error-handling',
    family: 'inverted-check',
    severity: 'error',
    summary: 'A call that returns non-zero on success is tested like an errno, so the error path runs when the call worked.',
    source: {
      ...SEED_THREAD,
      quote: 'combine two ifs together. (The quoted hunk tests `if ( get_page_type(pg, PGT_writable_page) ) goto could_not_pin;`, and get_page_type() returns 1 on success.)',
    },
    messages: {
      inverted:
        '{{callee}}() {{note}}, so `{{test}}` takes {{exit}} exactly when the call worked, and carries on when it failed. Test `!{{call}}` instead.',
    },
    fixable: false,
    limitations: 'Knows the success convention only of the APIs the knowledge layer lists as returning non-zero on success (src/review/api-data.ts).',
  },
  detect(ctx) {
    const out = [];
    for (const ifs of descendants(ctx.post.node, 'if_statement')) {
      const cond = peel(conditionOf(ifs));
      if (!cond || cond.type !== 'call_expression' || !ctx.touchesAdded(ifs)) continue;
      const api = ctx.fallibility.booleanSuccess(fallibilityKey(cond));
      const exit = errorExit(ifs.childForFieldName('consequence'));
      if (api && exit) out.push({ node: ifs, data: { call: cond, exit, note: api.note, source: api.source } });
    }
    return out;
  },
  check(candidate, ctx) {
    const { call, exit, note, source } = candidate.data as { call: SyntaxNode; exit: SyntaxNode; note: string; source: string };
    return {
      messageId: 'inverted',
      data: { callee: calleeName(call), note, call: fold(call.text), test: controlHead(styleFor(ctx.post, ctx.file), 'if', fold(call.text)), exit: `\`${fold(exit.text)}\`` },
      question: { kind: 'reached-when', call, result: 'positive', target: exit },
      reliedOn: [`${calleeName(call)}() ${note} (${source})`],
    };
  },
  cases: {
    flagged: [
      {
        name: 'a reference taken on success is tested like an errno',
        patch: `--- a/xen/common/grant.c
+++ b/xen/common/grant.c
@@ -20,5 +20,8 @@ static int grant_map(struct grant *op, struct page_info *pg)
     if ( !(op->flags & READONLY) )
-        get_page_type(pg, PGT_writable_page);
+    {
+        if ( get_page_type(pg, PGT_writable_page) )
+            goto could_not_pin;
+    }
 
     op->status = OKAY;
     return 0;
`,
        expect: [
          { line: 22, messageId: 'inverted', verdict: 'verified' },
        ],
      },
    ],
    clean: [
      {
        name: 'the failure (0) is what leads to the error path',
        patch: `--- a/xen/common/grant.c
+++ b/xen/common/grant.c
@@ -20,5 +20,8 @@ static int grant_map(struct grant *op, struct page_info *pg)
     if ( !(op->flags & READONLY) )
-        get_page_type(pg, PGT_writable_page);
+    {
+        if ( !get_page_type(pg, PGT_writable_page) )
+            goto could_not_pin;
+    }
 
     op->status = OKAY;
     return 0;
`,
      },
      {
        name: 'the error path cannot be reached: every writable mapping already returned',
        refuted: true,
        patch: `--- a/xen/common/grant.c
+++ b/xen/common/grant.c
@@ -20,5 +20,10 @@ static int grant_map(struct grant *op, struct page_info *pg)
     if ( !(op->flags & READONLY) )
-        get_page_type(pg, PGT_writable_page);
+    {
+        if ( !(op->flags & READONLY) )
+            return grant_map_writable(op, pg);
+        if ( get_page_type(pg, PGT_writable_page) )
+            goto could_not_pin;
+    }
 
     op->status = OKAY;
     return 0;
`,
      },
      {
        name: 'near miss: the patch declares the callee to return an int status (0 on success): a bool-success fact of another era does not apply',
        patch: `--- a/xen/include/xen/device_tree.h
+++ b/xen/include/xen/device_tree.h
@@ -50,6 +50,6 @@ struct dt_device_node;
 
 /* Returns 0 when the property was read, a negative errno otherwise. */
 int dt_property_read_u32(const struct dt_device_node *np,
-                         const char *name, u32 *out_value);
+                         const char *name, uint32_t *out_value);
 
 bool dt_device_is_available(const struct dt_device_node *device);
--- a/xen/common/gizmo.c
+++ b/xen/common/gizmo.c
@@ -20,5 +20,7 @@ static int gizmo_probe(const struct dt_device_node *np)
 {
     uint32_t freq;
 
+    if ( dt_property_read_u32(np, "clock-frequency", &freq) )
+        return -EINVAL;
     return gizmo_set_freq(freq);
 }
`,
      },
    ],
  },
});
