import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { descendants, fold, isLoop, isMarker, isMarkerStatement } from '../../src/review/ast.ts';
import { STATUS_VARIABLE_NAMES } from '../../src/review/api-data.ts';
import { calleeName, fallibilityKey, peel, resultUse } from '../../src/review/calls.ts';
import { reliedOn } from '../../src/review/judge.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { SEED_THREAD } from './source.ts';

/** Does `name` occur as an identifier in `node`? */
function names(node: SyntaxNode, name: string): boolean {
  for (const id of descendants(node, 'identifier')) if (id.text === name) return true;
  return false;
}

/** Is `variable` the function's status: returned somewhere (`return rc;`), or named like one? */
function isStatusVariable(ctx: FunctionContext, variable: string): boolean {
  if (STATUS_VARIABLE_NAMES.includes(variable)) return true;
  for (const ret of descendants(ctx.post.node, 'return_statement')) {
    const value = peel(ret.namedChild(0));
    if (value?.type === 'identifier' && value.text === variable) return true;
  }
  return false;
}

/** Does the patch touch how `variable` is handled: an added line naming it, or a removed one? */
function patchTouches(ctx: FunctionContext, variable: string): boolean {
  const word = new RegExp(`\\b${variable}\\b`);
  for (const s of descendants(ctx.post.node, new Set(['expression_statement', 'declaration', 'return_statement', 'if_statement']))) {
    if (ctx.isAdded(s) && names(s.type === 'if_statement' ? (s.childForFieldName('condition') ?? s) : s, variable)) return true;
  }
  if (!ctx.pre) return false;
  const removed = new Set(ctx.fn.removedLines);
  return ctx.pre.rawLines.some((text, row) => removed.has(ctx.pre!.lineMap[row] ?? 0) && word.test(text));
}

/** The first occurrence of `variable` in `node`, in text order. */
function firstMention(node: SyntaxNode, variable: string): SyntaxNode | null {
  let first: SyntaxNode | null = null;
  for (const id of descendants(node, 'identifier')) if (id.text === variable && (!first || id.startIndex < first.startIndex)) first = id;
  return first;
}

/**
 * What the visible code after `stmt` (in its own block) does first with `variable`: overwrites it, returns
 * something else, or loops back to the call, before anything reads it. null: it is read first, or the block is
 * left by break/goto/continue or its end into code this does not follow (the simulator is not asked then).
 */
function visibleLoss(stmt: SyntaxNode, variable: string): 'overwritten' | 'dead' | 'loop' | null {
  const block = stmt.parent;
  if (!block || (block.type !== 'compound_statement' && block.type !== 'case_statement')) return null;
  const list = block.namedChildren.filter((c) => c.type !== 'comment');
  for (const s of list.slice(list.findIndex((c) => c.id === stmt.id) + 1)) {
    // Code the patch does not show may read it.
    if (isMarkerStatement(s) || [...descendants(s, 'call_expression')].some(isMarker)) return null;
    const first = firstMention(s, variable);
    if (first) {
      const parent = first.parent;
      const isWrite = parent?.type === 'assignment_expression' && parent.childForFieldName('left')?.id === first.id && parent.childForFieldName('operator')?.text === '=';
      return isWrite ? 'overwritten' : null;
    }
    if (s.type === 'return_statement') return 'dead';
    if (s.type === 'break_statement' || s.type === 'continue_statement' || s.type === 'goto_statement') return null;
  }
  return block.parent && isLoop(block.parent) ? 'loop' : null;
}

/** The innermost loop around `node` inside the function, if any. */
function enclosingLoop(node: SyntaxNode): SyntaxNode | null {
  for (let n = node.parent; n && n.type !== 'function_definition'; n = n.parent) if (isLoop(n)) return n;
  return null;
}

const LOOP_PATCH = `--- a/xen/drivers/passthrough/flush.c
+++ b/xen/drivers/passthrough/flush.c
@@ -20,8 +20,11 @@ int flush_all_units(struct domain *d)
     struct flush_unit *u;
     int rc = 0;
 
     for_each_unit ( u )
-        unit_flush(u);
+    {
+        rc = unit_flush(u);
+        unit_stats(u);
+    }
 
     return rc;
 }
`;

export default defineRule({
  scope: 'function',
  meta: {
    id: 'lost-result',
    pack: 'error-handling',
    family: 'unchecked-error',
    severity: 'warning',
    summary: 'A call\'s status is stored, then overwritten or left unused before anything tests it.',
    source: {
      ...SEED_THREAD,
      quote: 'rc = iommu_iotlb_flush(d, xatp->idx - done, done); if ( !rc ) rc = iommu_iotlb_flush(d, xatp->gpfn - done, done); return rc; ... rv = iommu_hwdom_init(d), otherwise error is not propagated outside.',
    },
    messages: {
      lost:
        '{{callee}}() can fail, but {{function}}() does not test {{variable}} before it is overwritten or the function ends, so the error is lost. Test {{variable}} right after `{{call}}` (or keep the first error: `if ( !{{variable}} ) {{variable}} = ...`).',
      lostInLoop:
        '{{callee}}() can fail, but {{function}}() calls it again on the next iteration before testing {{variable}}, so a later success hides an earlier failure. Stop the loop on the first error, or keep the first error (`if ( !{{variable}} ) {{variable}} = ...`).',
    },
    fixable: false,
    limitations:
      'Considers results kept in a status variable (named like one, or returned by the function) of calls known or presumed to fail, where the patch touches that variable, and only when the code right after the store shows how the result can be lost (an overwrite, a return of something else, the loop coming round again) before any read; a break, goto or code the patch does not show in between is not followed (a known miss). A callee that cannot really fail kept in a status-named variable is a false positive unless the knowledge base says it returns a plain value.',
  },
  detect(ctx) {
    const out = [];
    for (const call of descendants(ctx.post.node, 'call_expression')) {
      if (isMarker(call)) continue;
      const use = resultUse(call);
      if (use.kind !== 'assigned' || use.checkedBy || !/^[A-Za-z_]\w*$/.test(use.variable)) continue;
      const key = fallibilityKey(call);
      const fallible = ctx.fallibility.reasons(key).length > 0;
      if (!fallible && !STATUS_VARIABLE_NAMES.includes(use.variable)) continue;
      if (!isStatusVariable(ctx, use.variable)) continue;
      if (!ctx.isAdded(use.statement) && !patchTouches(ctx, use.variable)) continue;
      // The visible code must show how it can be lost; the simulator then decides whether some path does.
      // A void function cannot pass a status on: only an overwrite loses it there.
      const loss = visibleLoss(use.statement, use.variable);
      if (!loss || (loss === 'dead' && ctx.post.returnType === 'void')) continue;
      out.push({ node: use.statement, data: { call, key, variable: use.variable } });
    }
    return out;
  },
  check(candidate, ctx) {
    const { call, key, variable } = candidate.data as { call: SyntaxNode; key: string; variable: string };
    return {
      messageId: enclosingLoop(call) ? 'lostInLoop' : 'lost',
      data: { callee: calleeName(call), function: ctx.fn.name, variable, call: fold(candidate.node.text) },
      question: { kind: 'result-lost', call },
      reliedOn: reliedOn(ctx, key, call),
    };
  },
  cases: {
    flagged: [
      {
        name: 'a second call overwrites the first one\'s status before anything tests it',
        patch: `--- a/xen/common/memory.c
+++ b/xen/common/memory.c
@@ -30,8 +30,8 @@ static int flush_both(struct domain *d, unsigned long a, unsigned long b)
 {
     int rc;
 
-    iotlb_flush(d, a);
-    iotlb_flush(d, b);
+    rc = iotlb_flush(d, a);
+    rc = iotlb_flush(d, b);
+    return rc;
 
-    return 0;
 }
`,
        expect: [{ line: 33, messageId: 'lost', verdict: 'verified' }],
      },
      {
        name: 'a status stored and never tested, then success returned',
        patch: `--- a/xen/arch/arm/unpack.c
+++ b/xen/arch/arm/unpack.c
@@ -40,7 +40,8 @@ static int unpack_image(struct image *img)
 {
     int rc;
 
     img->dst = img->start;
-    do_unpack(img);
+    rc = do_unpack(img);
+    img->size = img->dst - img->start;
     return 0;
 }
`,
        expect: [{ line: 44, messageId: 'lost', verdict: 'verified' }],
      },
      {
        name: 'a status stored in a loop without a break: the next iteration overwrites a failure',
        patch: LOOP_PATCH,
        expect: [{ line: 25, messageId: 'lostInLoop', verdict: 'verified' }],
      },
    ],
    clean: [
      {
        name: 'the second assignment keeps the first error: it reads the status before overwriting it',
        patch: `--- a/xen/common/memory.c
+++ b/xen/common/memory.c
@@ -30,8 +30,8 @@ static int flush_both(struct domain *d, unsigned long a, unsigned long b)
 {
     int rc;
 
-    iotlb_flush(d, a);
-    iotlb_flush(d, b);
+    rc = iotlb_flush(d, a);
+    rc = rc ? rc : iotlb_flush(d, b);
+    return rc;
 
-    return 0;
 }
`,
        refuted: true,
      },
      {
        name: 'a loop that keeps the first error tests the status before the next call',
        patch: `--- a/xen/drivers/passthrough/flush.c
+++ b/xen/drivers/passthrough/flush.c
@@ -20,8 +20,13 @@ int flush_all_units(struct domain *d)
     struct flush_unit *u;
     int rc = 0;
 
     for_each_unit ( u )
-        unit_flush(u);
+    {
+        int ret = unit_flush(u);
+
+        if ( ret && !rc )
+            rc = ret;
+    }
 
     return rc;
 }
`,
      },
    ],
  },
});
