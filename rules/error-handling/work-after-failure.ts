import { defineRule, type Report } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { conditionOf, descendants, errnoReturned, fold, isMarker, isMarkerStatement } from '../../src/review/ast.ts';
import { isErrorConstant } from '../../src/review/api-data.ts';
import { argumentsOf, calleeName, fallibilityKey, peel, resultUse } from '../../src/review/calls.ts';
import { reliedOn } from '../../src/review/judge.ts';
import { modelFor } from '../../src/sim/index.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import type { TouchedFunction } from '../../src/c/types.ts';
import { SEED_THREAD } from './source.ts';

/** The first identifier `variable` in `node`, in text order. */
function firstMention(node: SyntaxNode, variable: string): SyntaxNode | null {
  let first: SyntaxNode | null = null;
  for (const id of descendants(node, 'identifier')) if (id.text === variable && (!first || id.startIndex < first.startIndex)) first = id;
  return first;
}

/** `f(...);` as a statement of its own (not an assignment, not a cast to void). */
const isCallStatement = (s: SyntaxNode): boolean => s.type === 'expression_statement' && s.namedChild(0)?.type === 'call_expression' && !isMarker(s.namedChild(0)!);

/**
 * The statements of the same block between `stmt` (`v = f(..);`) and the first look at `v`, when that look is a
 * read (`return v;`, a condition testing it): the calls made on their own before it, up to a label (code after a
 * label is shared with other paths, so it is not this path's own work). null: `v` is overwritten or never read in
 * the block, or the code leaves the block first (return of something else, goto, break, code the patch does not show).
 */
export function workBeforeLook(stmt: SyntaxNode, variable: string): { work: SyntaxNode[]; look: SyntaxNode } | null {
  const block = stmt.parent;
  if (!block || block.type !== 'compound_statement') return null;
  const work: SyntaxNode[] = [];
  let own = true;
  for (let s = stmt.nextNamedSibling; s; s = s.nextNamedSibling) {
    if (s.type === 'comment') continue;
    if (isMarkerStatement(s) || [...descendants(s, 'call_expression')].some(isMarker)) return null;
    if (s.type === 'labeled_statement') own = false;
    const first = firstMention(s, variable);
    if (first) {
      const parent = first.parent;
      if (parent?.type === 'assignment_expression' && parent.childForFieldName('left')?.id === first.id) return null;
      const inner = s.type === 'labeled_statement' ? s.namedChildren.find((c) => c.type !== 'statement_identifier') ?? s : s;
      if (inner.type === 'return_statement' && peel(inner.namedChild(0))?.text === variable) return { work, look: inner };
      if (inner.type === 'if_statement' && firstMention(conditionOf(inner) ?? inner, variable)) return { work, look: inner };
      return null;
    }
    if (s.type === 'return_statement' || s.type === 'goto_statement' || s.type === 'break_statement' || s.type === 'continue_statement') return null;
    // Calls the simulator models (locks, logs, allocation, assertions) are bookkeeping, not work.
    if (own && isCallStatement(s) && !modelFor(calleeName(s.namedChild(0)!))) work.push(s);
  }
  return null;
}

type Sibling = { fn: TouchedFunction; call: SyntaxNode; work: SyntaxNode[] };

/**
 * Another function of the patch, shown whole, that stores the result of a call to the same callee and then, before
 * it looks at it, makes a call to the same callee as `work` on its own (the same shape as here).
 */
function siblingOf(ctx: FunctionContext, call: SyntaxNode, work: SyntaxNode): Sibling | undefined {
  const callee = calleeName(call);
  const workCallee = calleeName(work.namedChild(0)!);
  for (const fn of ctx.model.files.flatMap((f) => f.functions)) {
    if (fn === ctx.fn || !fn.post || fn.post.isFragment || fn.name === ctx.fn.name) continue;
    for (const other of descendants(fn.post.node, 'call_expression')) {
      if (isMarker(other) || calleeName(other) !== callee) continue;
      const use = resultUse(other);
      if (use.kind !== 'assigned' || use.statement.type !== 'expression_statement') continue;
      const shape = workBeforeLook(use.statement, use.variable);
      const same = shape?.work.filter((w) => calleeName(w.namedChild(0)!) === workCallee) ?? [];
      if (same.length > 0) return { fn, call: other, work: same };
    }
  }
  return undefined;
}

type Moved = { fn: TouchedFunction; removed: SyntaxNode; exit: SyntaxNode; line: number; exitLine: number };

/** The statement's text with each variable that names a parameter replaced by the caller's argument for it. */
function asCaller(st: SyntaxNode, params: Map<string, string>): string {
  let out = '';
  let at = st.startIndex;
  for (const id of descendants(st, 'identifier')) {
    const arg = params.get(id.text);
    if (arg === undefined) continue;
    out += st.text.slice(at - st.startIndex, id.startIndex - st.startIndex) + (/^[\w.>-]+$/.test(arg) ? arg : `(${arg})`);
    at = id.endIndex;
  }
  return out + st.text.slice(at - st.startIndex);
}

/** `return -EBUSY;`, `return TEE_ERROR_BUSY;`: a return of a named failure. */
const returnsFailureCode = (r: SyntaxNode): boolean => !!errnoReturned(r) || isErrorConstant(fold(r.namedChild(0)?.text ?? ''));

/**
 * The patch moves `work` out of the callee: the callee's body before the patch (shown in the patch, its name the
 * callee's) made the same statement, which the patch removes there, at the top level of its body after a return of
 * a failure code it still has (`return -EBUSY;` before `desc->handler->startup(desc);`). Before the patch, that
 * failure skipped the work; now the caller runs it after the call.
 */
function movedFrom(ctx: FunctionContext, call: SyntaxNode, work: SyntaxNode): Moved | undefined {
  const callee = calleeName(call);
  const text = fold(work.text);
  const args = argumentsOf(call).map((a) => fold(a.text));
  for (const fn of ctx.model.files.flatMap((f) => f.functions)) {
    if (fn === ctx.fn || fn.name !== callee || !fn.pre || !fn.post) continue;
    const body = fn.pre.node.childForFieldName('body');
    if (!body) continue;
    // The callee's parameters read as the caller's arguments (`startup(desc)` there is `startup(d)` here).
    const params = fn.pre.paramsIncomplete || fn.pre.params.length !== args.length ? null : new Map(fn.pre.params.map((p, i) => [p.name, args[i]!]));
    for (const st of body.namedChildren) {
      if (st.type !== 'expression_statement' || (fold(st.text) !== text && (!params || fold(asCaller(st, params)) !== text))) continue;
      const line = fn.pre.lineMap[st.startPosition.row] ?? 0;
      if (!line || !fn.removedLines.includes(line)) continue;
      // The callee no longer makes it.
      if ([...descendants(fn.post.node, 'expression_statement')].some((x) => fold(x.text) === text)) continue;
      const still = new Set([...descendants(fn.post.node, 'return_statement')].map((r) => fold(r.text)));
      const exit = [...descendants(body, 'return_statement')].filter((r) => r.startIndex < st.startIndex && returnsFailureCode(r) && still.has(fold(r.text))).pop();
      if (exit) return { fn, removed: st, exit, line, exitLine: fn.pre.lineMap[exit.startPosition.row] ?? 0 };
    }
  }
  return undefined;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'work-after-failure',
    pack: 'error-handling',
    family: 'unchecked-error',
    severity: 'warning',
    summary: 'A call\'s status is stored, and before anything looks at it the function goes on with work that its handling of other failures skips.',
    source: {
      ...SEED_THREAD,
      quote: 'rv = iommu_hwdom_init(d), otherwise error is not propagated outside.',
    },
    messages: {
      goesOn:
        '{{callee}}() can fail, but {{function}}() goes on to `{{work}}` before it looks at {{variable}}, although its handling of other failures skips that work. Test {{variable}} right after `{{call}}` and leave before the work.',
      movedPastFailure:
        '`{{work}}` moved out of {{callee}}(), where a failure returned before it (`{{exit}}`, line {{exitLine}}), into {{function}}(), which runs it after `{{call}}` before it looks at {{variable}}: when {{callee}}() fails, the work is now done. Test {{variable}} first and leave on failure, as {{callee}}() did.',
      goesOnLikeSibling:
        '{{callee}}() can fail, but {{function}}() goes on to `{{work}}` before it looks at {{variable}}; {{sibling}}() makes the same call followed by the same work, and the handling of other failures (here or there) skips that work. Test {{variable}} right after `{{call}}` and leave before the work.',
    },
    fixable: false,
    limitations:
      'Considers `v = f(..);` statements the patch adds, for callees known to fail with an errno or a status code, followed in the same block by a call made on its own (not one the simulator models: locks, logs, allocation; not after a label, which other paths share) and then by a read of v (returning or testing it). The simulator must show a path where f() fails and that call runs, and the evidence that it is work for a success only: the NEAREST earlier failure the function handles (a fallible call before f() that fails on a path reporting a failure) leaves by a return or a stop before the work, never makes that call, and is unrelated to it (the work reads none of that call\'s arguments, is not given its result, and uses nothing set up after it: a failure before `buf = malloc(..)` skips `free(buf)` for that reason alone). A function whose nearest handled failure jumps to a common exit after the work (`goto out;`: an unwinding sequence the work may belong to), or that has no other visible failure, is not reported: a known miss when the earlier failures lie in code the patch does not show. Whether the work really needs f() to have succeeded is not checked; the function\'s own handling stands for it. When the function shows no such evidence itself, another function of the patch that makes the same call followed by the same work (before it looks at the result: copied start-up sequences, a primary and a secondary CPU) lends its own: the same question verified there (its nearest handled failure leaves before that work) stands for this one. A simulation that stops early (budget, a construct the simulator does not follow) without showing the evidence reports nothing: the evidence is the finding. Second shape: work the patch moves out of the callee. The patch shows the callee\'s body and removes from it, at the top level of the body, a statement after a return of a failure code it keeps (`if ( desc->action ) return -EBUSY; .. desc->handler->startup(desc);`), and adds the same statement (same text) in the caller after the call (stored or not by the patch) and before the caller looks at the result: before the patch that failure skipped the work, now the caller does it. The simulator must show a path from the call to the work with nothing testing the result. The statement must read the same in both places, the callee\'s parameters read as the caller\'s arguments for them (`startup(desc)` there, `startup(d)` after `f(d, ..)` here; other renames are not recognised); a move whose failure return the patch removes too, or that ran before the failure return, is not reported.',
  },
  detect(ctx) {
    const out = [];
    for (const call of descendants(ctx.post.node, 'call_expression')) {
      if (isMarker(call)) continue;
      const use = resultUse(call);
      if (use.kind !== 'assigned' || !/^[A-Za-z_]\w*$/.test(use.variable) || use.statement.type !== 'expression_statement') continue;
      const added = ctx.isAdded(use.statement);
      // A stored result the patch leaves as it was counts only for work the patch adds after it (moved here below).
      const addedWork = (shape: ReturnType<typeof workBeforeLook>): SyntaxNode[] => shape?.work.filter((w) => ctx.isAdded(w)) ?? [];
      if (!added && addedWork(workBeforeLook(use.statement, use.variable)).length === 0) continue;
      const key = fallibilityKey(call);
      if (ctx.fallibility.reasons(key).length === 0 || ctx.fallibility.convention(key)?.convention !== 'errno') continue;
      const shape = workBeforeLook(use.statement, use.variable);
      if (!shape || shape.work.length === 0) continue;
      // Work the patch moves here from the callee's success path: the callee's own code before the patch is the evidence.
      const moved = addedWork(shape).map((w) => ({ w, from: movedFrom(ctx, call, w) })).find((m) => m.from);
      if (moved) {
        out.push({ node: use.statement, data: { call, key, variable: use.variable, work: moved.w, moved: moved.from } });
        continue;
      }
      if (!added) continue;
      const work = shape.work[0]!;
      out.push({ node: use.statement, data: { call, key, variable: use.variable, work, sibling: siblingOf(ctx, call, work) } });
    }
    return out;
  },
  check(candidate, ctx): Report {
    const { call, key, variable, work, sibling, moved } = candidate.data as { call: SyntaxNode; key: string; variable: string; work: SyntaxNode; sibling?: Sibling; moved?: Moved };
    if (moved) {
      const callee = calleeName(call);
      return {
        messageId: 'movedPastFailure',
        data: {
          callee, function: ctx.fn.name, variable, call: fold(candidate.node.text).replace(/;$/, ''),
          work: fold(work.text).replace(/;$/, ''), exit: fold(moved.exit.text), exitLine: String(moved.exitLine),
        },
        question: { kind: 'reached-when', call, result: 'negative', target: work, untested: true },
        reliedOn: reliedOn(ctx, key, call),
      };
    }
    return {
      messageId: sibling ? 'goesOnLikeSibling' : 'goesOn',
      data: {
        callee: calleeName(call), function: ctx.fn.name, variable, call: fold(candidate.node.text),
        work: fold(work.text).replace(/;$/, ''),
        ...(sibling ? { sibling: sibling.fn.name } : {}),
      },
      question: { kind: 'work-after-failure', call, work: [work], ...(sibling ? { sibling } : {}) },
      reliedOn: reliedOn(ctx, key, call),
    };
  },
  cases: {
    flagged: [
      {
        name: 'a status stored, then set-up work done before it is returned, where a failed mapping returns before that work',
        patch: `--- a/xen/arch/arm/vintc.c
+++ b/xen/arch/arm/vintc.c
@@ -60,4 +60,26 @@ static void vintc_lr_setup(void)
     WRITE_SYSREG32(0, ICH_HCR_EL2);
 }
 
+static int vintc_cpu_enable(struct vintc *v)
+{
+    if ( !(READ_SYSREG32(ICC_SRE_EL2) & ICC_SRE_EL2_SRE) )
+        return -ENODEV;
+    v->enabled = 1;
+    return 0;
+}
+
+static int vintc_init(struct vintc *v)
+{
+    int rc;
+
+    v->regs = ioremap_nocache(v->base, v->size);
+    if ( !v->regs )
+        return -ENOMEM;
+
+    rc = vintc_cpu_enable(v);
+    vintc_lr_setup();
+
+    return rc;
+}
+
 static const struct intc_ops vintc_ops = {
`,
        expect: [{ line: 79, messageId: 'goesOn', verdict: 'verified' }],
      },
      {
        name: 'a TEE_Result stored, then an interrupt enabled before it is returned, where a failed allocation returns first',
        patch: `--- a/core/drivers/pta_dev.c
+++ b/core/drivers/pta_dev.c
@@ -30,4 +30,24 @@ static void pta_enable_irq(size_t it)
 	itr_enable(it);
 }
 
+static TEE_Result pta_hw_init(vaddr_t base)
+{
+	if (io_read32(base + PTA_ID) != PTA_MAGIC)
+		return TEE_ERROR_NOT_SUPPORTED;
+	return TEE_SUCCESS;
+}
+
+static TEE_Result pta_setup(struct pta *p, size_t it)
+{
+	TEE_Result res = TEE_ERROR_GENERIC;
+
+	p->buf = malloc(p->size);
+	if (!p->buf)
+		return TEE_ERROR_OUT_OF_MEMORY;
+
+	res = pta_hw_init(p->base);
+	pta_enable_irq(it);
+	return res;
+}
+
 DEFINE_PTA_DRIVER(pta_dev);
`,
        expect: [{ line: 48, messageId: 'goesOn', verdict: 'verified' }],
      },
      {
        name: 'a secondary start-up that repeats the primary one: the primary\'s own handling of other failures is the evidence for both',
        patch: `--- a/xen/arch/arm/vintc.c
+++ b/xen/arch/arm/vintc.c
@@ -60,4 +60,36 @@ static void vintc_lr_setup(void)
     WRITE_SYSREG32(0, ICH_HCR_EL2);
 }
 
+static int vintc_cpu_enable(struct vintc *v)
+{
+    if ( !(READ_SYSREG32(ICC_SRE_EL2) & ICC_SRE_EL2_SRE) )
+        return -ENODEV;
+    v->enabled = 1;
+    return 0;
+}
+
+static int vintc_secondary_init(struct vintc *v)
+{
+    int rc;
+
+    rc = vintc_cpu_enable(v);
+    vintc_lr_setup();
+
+    return rc;
+}
+
+static int vintc_init(struct vintc *v)
+{
+    int rc;
+
+    v->regs = ioremap_nocache(v->base, v->size);
+    if ( !v->regs )
+        panic("vintc: cannot map the registers\n");
+
+    rc = vintc_cpu_enable(v);
+    vintc_lr_setup();
+
+    return rc;
+}
+
 static const struct intc_ops vintc_ops = {
`,
        expect: [
          { line: 75, messageId: 'goesOnLikeSibling', verdict: 'verified' },
          { line: 89, messageId: 'goesOnLikeSibling', verdict: 'verified' },
        ],
      },
      {
        name: 'near miss beside a flagged sibling: the other function releases what it acquired itself (its own unwinding; only the primary is reported)',
        patch: `--- a/xen/arch/arm/vintc.c
+++ b/xen/arch/arm/vintc.c
@@ -60,4 +60,37 @@ static void vintc_lr_setup(void)
     WRITE_SYSREG32(0, ICH_HCR_EL2);
 }
 
+static int vintc_cpu_enable(struct vintc *v)
+{
+    if ( !(READ_SYSREG32(ICC_SRE_EL2) & ICC_SRE_EL2_SRE) )
+        return -ENODEV;
+    v->enabled = 1;
+    return 0;
+}
+
+static int vintc_secondary_init(struct vintc *v)
+{
+    struct vintc_slot *s;
+    int rc;
+
+    s = vintc_get_slot(v);
+    rc = vintc_cpu_enable(v);
+    vintc_put_slot(s);
+    return rc;
+}
+
+static int vintc_init(struct vintc *v)
+{
+    int rc;
+
+    v->regs = ioremap_nocache(v->base, v->size);
+    if ( !v->regs )
+        panic("vintc: cannot map the registers\n");
+
+    rc = vintc_cpu_enable(v);
+    vintc_put_slot(boot_slot);
+
+    return rc;
+}
+
 static const struct intc_ops vintc_ops = {
`,
        expect: [{ line: 90, messageId: 'goesOnLikeSibling', verdict: 'verified' }],
      },
      {
        name: 'a start-up step moved out of the callee, where a failure returned before it, into the caller after the call and before the status is returned',
        patch: `--- a/xen/arch/arm/quux-irq.c
+++ b/xen/arch/arm/quux-irq.c
@@ -80,11 +80,9 @@ static int __quux_bind(struct irq_desc *desc, struct irqaction *new)
     if ( desc->action != NULL )
         return -EBUSY;
 
     desc->action = new;
     smp_wmb();
 
-    desc->handler->startup(desc);
-
     return 0;
 }
 
@@ -96,9 +94,11 @@ int quux_bind_irq(unsigned int irq, struct irqaction *new)
     desc = irq_to_desc(irq);
 
     spin_lock_irqsave(&desc->lock, flags);
     rc = __quux_bind(desc, new);
     spin_unlock_irqrestore(&desc->lock, flags);
 
+    desc->handler->startup(desc);
+
     return rc;
 }
 
`,
        expect: [{ line: 97, messageId: 'movedPastFailure', verdict: 'verified' }],
      },
      {
        name: 'the moved step names the callee\'s parameter; in the caller it names the argument given for it',
        patch: `--- a/xen/arch/arm/quux-irq.c
+++ b/xen/arch/arm/quux-irq.c
@@ -80,11 +80,9 @@ static int __quux_bind(struct irq_desc *desc, struct irqaction *new)
     if ( desc->action != NULL )
         return -EBUSY;
 
     desc->action = new;
     smp_wmb();
 
-    quux_irq_startup(desc, new->flags);
-
     return 0;
 }
 
@@ -96,9 +94,11 @@ int quux_bind_irq(unsigned int irq, struct irqaction *action)
     d = irq_to_desc(irq);
 
     spin_lock_irqsave(&d->lock, flags);
     rc = __quux_bind(d, action);
     spin_unlock_irqrestore(&d->lock, flags);
 
+    quux_irq_startup(d, action->flags);
+
     return rc;
 }
 
`,
        expect: [{ line: 97, messageId: 'movedPastFailure', verdict: 'verified' }],
      },
    ],
    clean: [
      {
        name: 'near miss: the step moved out of the callee ran there before its failure return, so a failure did not skip it before the patch either',
        patch: `--- a/xen/arch/arm/quux-irq.c
+++ b/xen/arch/arm/quux-irq.c
@@ -78,12 +78,10 @@ static int __quux_bind(struct irq_desc *desc, struct irqaction *new)
 {
-    desc->handler->startup(desc);
-
     if ( desc->action != NULL )
         return -EBUSY;
 
     desc->action = new;
     smp_wmb();
 
     return 0;
 }
 
@@ -96,9 +94,11 @@ int quux_bind_irq(unsigned int irq, struct irqaction *new)
     desc = irq_to_desc(irq);
 
     spin_lock_irqsave(&desc->lock, flags);
     rc = __quux_bind(desc, new);
     spin_unlock_irqrestore(&desc->lock, flags);
 
+    desc->handler->startup(desc);
+
     return rc;
 }
 
`,
      },
      {
        name: 'near miss: the patch also removes the callee\'s failure return that came before the moved step; the failure it keeps came after the step before the patch too',
        patch: `--- a/xen/arch/arm/quux-irq.c
+++ b/xen/arch/arm/quux-irq.c
@@ -80,12 +80,7 @@ static int __quux_bind(struct irq_desc *desc, struct irqaction *new)
-    if ( desc->action != NULL )
-        return -EBUSY;
-
-    desc->handler->startup(desc);
-
     if ( new->handler == NULL )
         return -EINVAL;
 
     desc->action = new;
     return 0;
 }
 
@@ -96,9 +91,11 @@ int quux_bind_irq(unsigned int irq, struct irqaction *new)
     desc = irq_to_desc(irq);
 
     spin_lock_irqsave(&desc->lock, flags);
     rc = __quux_bind(desc, new);
     spin_unlock_irqrestore(&desc->lock, flags);
 
+    desc->handler->startup(desc);
+
     return rc;
 }
 
`,
      },
      {
        name: 'near miss: the simulation stops early (a jump into a loop body) without showing any failure that skips the work',
        patch: `--- a/xen/common/vthing.c
+++ b/xen/common/vthing.c
@@ -60,4 +60,28 @@ static void vthing_free(struct vthing *t)
     xfree(t);
 }
 
+static int vthing_set(struct domain *d, struct vthing *t)
+{
+    if ( t->level > d->max_level )
+        return -EINVAL;
+    d->level = t->level;
+    return 0;
+}
+
+static int vthing_apply(struct domain *d, struct vthing *t)
+{
+    int rc;
+
+    if ( t->resume )
+        goto again;
+    while ( t->count )
+    {
+ again:
+        t->count--;
+    }
+    rc = vthing_set(d, t);
+    vthing_count_attempt();
+    return rc;
+}
+
 static const struct vthing_ops ops = {
`,
        refuted: true,
      },
      {
        name: 'near miss: two functions make the same call and work, and neither shows the work is for a success only',
        patch: `--- a/xen/common/vthing.c
+++ b/xen/common/vthing.c
@@ -60,4 +60,30 @@ static void vthing_free(struct vthing *t)
     xfree(t);
 }
 
+static int vthing_set(struct domain *d, struct vthing *t)
+{
+    if ( t->level > d->max_level )
+        return -EINVAL;
+    d->level = t->level;
+    return 0;
+}
+
+static int vthing_apply(struct domain *d, struct vthing *t)
+{
+    int rc;
+
+    rc = vthing_set(d, t);
+    vthing_count_attempt();
+    return rc;
+}
+
+static int vthing_reapply(struct domain *d, struct vthing *t)
+{
+    int rc;
+
+    rc = vthing_set(d, t);
+    vthing_count_attempt();
+    return rc;
+}
+
 static const struct vthing_ops ops = {
`,
        refuted: true,
      },
      {
        name: 'near miss: a release of what an earlier call acquired, done before the status is returned',
        patch: `--- a/xen/common/vthing.c
+++ b/xen/common/vthing.c
@@ -60,4 +60,24 @@ static void vthing_free(struct vthing *t)
     xfree(t);
 }
 
+static int vthing_set(struct domain *d, struct vthing *t)
+{
+    if ( t->level > d->max_level )
+        return -EINVAL;
+    d->level = t->level;
+    return 0;
+}
+
+static int vthing_apply(domid_t id, struct vthing *t)
+{
+    struct domain *d = get_domain_by_id(id);
+    int rc;
+
+    if ( !d )
+        return -ESRCH;
+    rc = vthing_set(d, t);
+    put_domain(d);
+    return rc;
+}
+
 static const struct vthing_ops ops = {
`,
        refuted: true,
      },
      {
        name: 'near miss: the same call also runs on the path of another failure (it is not success-only work)',
        patch: `--- a/xen/common/vthing.c
+++ b/xen/common/vthing.c
@@ -60,4 +60,27 @@ static void vthing_free(struct vthing *t)
     xfree(t);
 }
 
+static int vthing_set(struct domain *d, struct vthing *t)
+{
+    if ( t->level > d->max_level )
+        return -EINVAL;
+    d->level = t->level;
+    return 0;
+}
+
+static int vthing_apply(struct domain *d, struct vthing *t)
+{
+    int rc;
+
+    t->buf = xzalloc_bytes(t->size);
+    if ( !t->buf )
+    {
+        vthing_count_attempt();
+        return -ENOMEM;
+    }
+    rc = vthing_set(d, t);
+    vthing_count_attempt();
+    return rc;
+}
+
 static const struct vthing_ops ops = {
`,
        refuted: true,
      },
      {
        name: 'near miss: no other failure in the function shows the work is for a success only',
        patch: `--- a/xen/common/vthing.c
+++ b/xen/common/vthing.c
@@ -60,4 +60,21 @@ static void vthing_free(struct vthing *t)
     xfree(t);
 }
 
+static int vthing_set(struct domain *d, struct vthing *t)
+{
+    if ( t->level > d->max_level )
+        return -EINVAL;
+    d->level = t->level;
+    return 0;
+}
+
+static int vthing_apply(struct domain *d, struct vthing *t)
+{
+    int rc;
+
+    rc = vthing_set(d, t);
+    vthing_count_attempt();
+    return rc;
+}
+
 static const struct vthing_ops ops = {
`,
        refuted: true,
      },
      {
        name: 'near miss: the earlier failures jump to a common exit after the work (an unwinding sequence, not success-only work)',
        patch: `--- a/core/drivers/crypto/acc_dev.c
+++ b/core/drivers/crypto/acc_dev.c
@@ -30,4 +30,38 @@ static void acc_disable(void)
 	io_write32(acc_base + ACC_CR, 0);
 }
 
+static TEE_Result acc_start(vaddr_t base)
+{
+	io_write32(base + ACC_CR, ACC_CR_START);
+	if (!(io_read32(base + ACC_SR) & ACC_SR_READY))
+		return TEE_ERROR_BUSY;
+	return TEE_SUCCESS;
+}
+
+static TEE_Result acc_result(vaddr_t base)
+{
+	if (io_read32(base + ACC_SR) & ACC_SR_ERR)
+		return TEE_ERROR_SECURITY;
+	return TEE_SUCCESS;
+}
+
+static TEE_Result acc_run(vaddr_t base)
+{
+	TEE_Result res = TEE_ERROR_GENERIC;
+
+	mutex_lock(&acc_lock);
+	res = acc_start(base);
+	if (res)
+		goto out;
+
+	res = acc_result(base);
+	acc_clear_irq();
+
+out:
+	acc_disable();
+	mutex_unlock(&acc_lock);
+
+	return res;
+}
+
 DEFINE_ACC_DRIVER(acc_dev);
`,
        refuted: true,
      },
      {
        name: 'the status is tested before any work is done',
        patch: `--- a/xen/arch/arm/vintc.c
+++ b/xen/arch/arm/vintc.c
@@ -60,4 +60,27 @@ static void vintc_lr_setup(void)
     WRITE_SYSREG32(0, ICH_HCR_EL2);
 }
 
+static int vintc_cpu_enable(struct vintc *v)
+{
+    if ( !(READ_SYSREG32(ICC_SRE_EL2) & ICC_SRE_EL2_SRE) )
+        return -ENODEV;
+    v->enabled = 1;
+    return 0;
+}
+
+static int vintc_init(struct vintc *v)
+{
+    int rc;
+
+    v->regs = ioremap_nocache(v->base, v->size);
+    if ( !v->regs )
+        return -ENOMEM;
+
+    rc = vintc_cpu_enable(v);
+    if ( rc )
+        return rc;
+    vintc_lr_setup();
+    return 0;
+}
+
 static const struct intc_ops vintc_ops = {
`,
      },
    ],
  },
});
