import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { calleeName, callOfStatement, conditionOf, descendants, fold, isMarkerStatement, squash, statementsOf } from '../../src/review/ast.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { indentAt, indentStep, removeRows, rowsText, type Edit } from '../../src/review/edits.ts';
import { controlHead, styleFor } from '../../src/review/fix-check.ts';
import { isLogCall } from '../../src/sim/index.ts';
import { SEED_THREAD } from './source.ts';

interface Shape {
  test: SyntaxNode;
  /** The arm's leading statements, before its exit. */
  lead: SyntaxNode[];
  exit: SyntaxNode;
  /** The same statements right after the if. */
  again: SyntaxNode[];
}

/** Names the visible function declares (locals and parameters). */
function declaredNames(ctx: FunctionContext): Set<string> {
  const out = new Set(ctx.post.params.map((p) => p.name));
  for (const d of descendants(ctx.post.node, new Set(['init_declarator', 'declaration']))) {
    const targets = d.type === 'declaration' ? d.childrenForFieldName('declarator') : [d.childForFieldName('declarator')];
    for (let t of targets) {
      while (t && t.type !== 'identifier') t = t.childForFieldName('declarator');
      if (t) out.add(t.text);
    }
  }
  return out;
}

/**
 * A condition the hoisted statements cannot change: no calls, no memory reads (fields, `*p`, subscripts), only
 * locals the visible function declares (or sets from a call's result) and constants, none of them handed to the
 * statements by address.
 */
function steadyCondition(ctx: FunctionContext, cond: SyntaxNode, lead: SyntaxNode[]): boolean {
  const banned = new Set(['call_expression', 'field_expression', 'pointer_expression', 'subscript_expression', 'assignment_expression', 'update_expression']);
  if ([...descendants(cond)].some((n) => banned.has(n.type))) return false;
  const locals = declaredNames(ctx);
  const byAddress = new Set(
    lead.flatMap((s) => [...descendants(s, 'pointer_expression')].filter((p) => p.childForFieldName('operator')?.text === '&').map((p) => fold(p.childForFieldName('argument')?.text ?? ''))),
  );
  const ids = cond.type === 'identifier' ? [cond] : [...descendants(cond, 'identifier')];
  return ids.every((id) => !byAddress.has(id.text) && (locals.has(id.text) || /^[A-Z][A-Z0-9_]*$/.test(id.text)));
}

function shapeOf(ctx: FunctionContext, test: SyntaxNode): Shape | null {
  if (test.childForFieldName('alternative')) return null;
  const arm = test.childForFieldName('consequence');
  const block = test.parent;
  if (arm?.type !== 'compound_statement' || block?.type !== 'compound_statement') return null;
  // A comment in the block would be lost when the block becomes the bare exit.
  if (arm.namedChildren.some((c) => c.type === 'comment')) return null;
  const body = statementsOf(arm);
  const exit = body[body.length - 1];
  if (!exit || (exit.type !== 'return_statement' && exit.type !== 'goto_statement')) return null;
  const lead = body.slice(0, -1);
  if (lead.length === 0 || lead.some((s) => isMarkerStatement(s))) return null;
  // Cleanup calls (an unlock, a put, a free), not a message about the failure.
  for (const s of lead) {
    const call = callOfStatement(s);
    if (!call || isLogCall(calleeName(call))) return null;
  }
  // The exit must not read what the statements change: a returned value of locals and constants only.
  const value = exit.type === 'return_statement' ? exit.namedChild(0) : null;
  if (value && !steadyCondition(ctx, value, lead)) return null;
  const list = statementsOf(block);
  const at = list.findIndex((s) => s.id === test.id);
  const again = list.slice(at + 1, at + 1 + lead.length);
  if (again.length < lead.length || !again.every((s, i) => squash(s.text) === squash(lead[i]!.text))) return null;
  if (!steadyCondition(ctx, conditionOf(test)!, lead)) return null;
  return { test, lead, exit, again };
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'cleanup-before-early-exit',
    pack: 'simplify',
    family: 'duplicated-cleanup',
    severity: 'info',
    summary: 'An early exit starts with the same cleanup the code right after the if starts with: do it once, before the if.',
    source: { ...SEED_THREAD, quote: 'iommu_flush_write_buffer can be combined to one for above two branches.' },
    messages: {
      hoistBefore:
        'Both the exit under `{{head}}` and the code after it start with `{{first}}`{{more}}: do it once before the if, and the branch is just `{{exit}}`.',
    },
    fixable: true,
    limitations:
      'Only an if without else whose block is cleanup calls and then a return or goto, followed right after the if by the same calls; the condition may read only locals (no calls, no memory), so running the cleanup first cannot change it. The simulator proves the rewrite equivalent.',
  },
  detect(ctx) {
    const out = [];
    for (const test of descendants(ctx.post.node, 'if_statement')) {
      if (!ctx.touchesAdded(test)) continue;
      const shape = shapeOf(ctx, test);
      if (shape) out.push({ node: shape.lead[0]!, data: { shape } });
    }
    return out;
  },
  check(candidate, ctx) {
    const { test, lead, exit, again } = candidate.data.shape as Shape;
    const indent = indentAt(ctx.post, test);
    const moved = rowsText(ctx.post, lead[0]!, lead[lead.length - 1]!)
      .split('\n')
      .map((row) => (row.startsWith(indentAt(ctx.post, lead[0]!)) ? indent + row.slice(indentAt(ctx.post, lead[0]!).length) : row));
    const rowStart = (n: SyntaxNode): number => ctx.post.source.lastIndexOf('\n', n.startIndex - 1) + 1;
    const arm = test.childForFieldName('consequence')!;
    const edits: Edit[] = [
      { start: rowStart(test), end: rowStart(test), text: moved.map((r) => `${r}\n`).join('') },
      // From the end of the condition: the block's brace may stand on the if's own row (K&R) or on a row of its own.
      { start: test.childForFieldName('condition')!.endIndex, end: arm.endIndex, text: `\n${indent}${indentStep(ctx.post)}${exit.text}` },
      removeRows(ctx.post, again[0]!, again[again.length - 1]!),
    ];
    return {
      messageId: 'hoistBefore',
      data: {
        head: controlHead(styleFor(ctx.post, ctx.file), 'if', fold(conditionOf(test)!.text)),
        first: fold(lead[0]!.text),
        more: lead.length > 1 ? ' and what follows it' : '',
        exit: fold(exit.text),
      },
      question: {
        kind: 'equivalent-rewrite',
        edits,
        fix: 'do the common cleanup once before the if',
        proof: 'the cleanup runs on the same paths, in the same order, and the condition and the exit read nothing it changes',
      },
    };
  },
  cases: {
    flagged: [
      {
        name: 'the unlock before the early return is the unlock right after the if',
        patch: `--- a/xen/arch/arm/quux.c
+++ b/xen/arch/arm/quux.c
@@ -20,2 +20,21 @@ static int quux_probe(void)
 
+int quux_cpu_on(struct domain *d, struct vcpu *v, struct quux_ctxt *ctxt)
+{
+    int rc;
+
+    domain_lock(d);
+    rc = quux_set_info(v, ctxt);
+    quux_free_ctxt(ctxt);
+
+    if ( rc < 0 )
+    {
+        domain_unlock(d);
+        return QUUX_DENIED;
+    }
+    domain_unlock(d);
+
+    vcpu_wake(v);
+    return QUUX_SUCCESS;
+}
+
 static void quux_remove(void)
`,
        expect: [{ line: 31, messageId: 'hoistBefore', verdict: 'verified', fix: '    domain_unlock(d);\n    if ( rc < 0 )\n        return QUUX_DENIED;' }],
      },
      {
        name: 'OP-TEE style: the brace on the if\'s row',
        patch: `--- a/core/drivers/drv_quux.c
+++ b/core/drivers/drv_quux.c
@@ -20,2 +20,17 @@ static TEE_Result drv_quux_probe(void)
 
+static TEE_Result drv_quux_start(struct drv_quux *q)
+{
+	TEE_Result res = TEE_ERROR_GENERIC;
+
+	mutex_lock(&q->lock);
+	res = drv_quux_hw_start(q);
+	if (res) {
+		mutex_unlock(&q->lock);
+		return res;
+	}
+	mutex_unlock(&q->lock);
+
+	return drv_quux_notify(q);
+}
+
 static void drv_quux_remove(void)
`,
        expect: [{ line: 28, messageId: 'hoistBefore', verdict: 'verified', fix: '\tmutex_unlock(&q->lock);\n\tif (res)\n\t\treturn res;' }],
      },
    ],
    clean: [
      {
        name: 'near miss: the condition reads a global the cleanup may change',
        patch: `--- a/xen/arch/arm/quux.c
+++ b/xen/arch/arm/quux.c
@@ -20,2 +20,18 @@ static int quux_probe(void)
 
+int quux_cpu_on(struct domain *d, struct vcpu *v)
+{
+    domain_lock(d);
+    quux_prepare(v);
+
+    if ( quux_pending )
+    {
+        domain_unlock(d);
+        return QUUX_DENIED;
+    }
+    domain_unlock(d);
+
+    vcpu_wake(v);
+    return QUUX_SUCCESS;
+}
+
 static void quux_remove(void)
`,
      },
      {
        name: 'near miss: the exit logs before the cleanup, so the order would change',
        patch: `--- a/xen/arch/arm/quux.c
+++ b/xen/arch/arm/quux.c
@@ -20,2 +20,21 @@ static int quux_probe(void)
 
+int quux_cpu_on(struct domain *d, struct vcpu *v, struct quux_ctxt *ctxt)
+{
+    int rc;
+
+    domain_lock(d);
+    rc = quux_set_info(v, ctxt);
+
+    if ( rc < 0 )
+    {
+        printk(XENLOG_ERR "quux: %d\\n", rc);
+        domain_unlock(d);
+        return rc;
+    }
+    domain_unlock(d);
+
+    vcpu_wake(v);
+    return QUUX_SUCCESS;
+}
+
 static void quux_remove(void)
`,
      },
      {
        name: 'near miss: the exit returns a global the cleanup may change',
        patch: `--- a/xen/arch/arm/quux.c
+++ b/xen/arch/arm/quux.c
@@ -20,2 +20,18 @@ static int quux_probe(void)
 
+int quux_cpu_on(struct domain *d, struct vcpu *v)
+{
+    int rc;
+
+    rc = quux_set_info(v);
+    if ( rc < 0 )
+    {
+        quux_release(d);
+        return quux_last_error;
+    }
+    quux_release(d);
+
+    vcpu_wake(v);
+    return rc;
+}
+
 static void quux_remove(void)
`,
      },
    ],
  },
});
