import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { assignedCall, conditionOf, descendants, fold, isMarker, squash, statementsOf } from '../../src/review/ast.ts';
import { argumentsOf, calleeName } from '../../src/review/calls.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { describeFailure } from '../../src/knowledge/index.ts';
import { SEED_THREAD } from './source.ts';

/**
 * The one variable a failure test reads: `!v`, `v`, `v == NULL`, `NULL == v`, `v < 0`, `v != 0`, `IS_ERR(v)`, `unlikely(..)`,
 * or a `||`/`&&` of such tests and other conditions that name no other tested variable (`!v || v->bad`).
 */
function testedName(cond: SyntaxNode | null): string | null {
  let c = cond;
  for (;;) {
    while (c?.type === 'parenthesized_expression' && c.namedChildCount === 1) c = c.namedChild(0);
    if (c?.type === 'call_expression' && /^(unlikely|likely|IS_ERR|IS_ERR_OR_NULL)$/.test(calleeName(c)) && argumentsOf(c).length === 1) {
      c = argumentsOf(c)[0]!;
      continue;
    }
    break;
  }
  if (!c) return null;
  if (c.type === 'identifier') return c.text;
  if (c.type === 'unary_expression' && c.childForFieldName('operator')?.text === '!') return testedName(c.childForFieldName('argument'));
  if (c.type === 'binary_expression') {
    const op = c.childForFieldName('operator')?.text ?? '';
    const l = c.childForFieldName('left');
    const r = c.childForFieldName('right');
    // `!a || a->bad`, `a->bad || IS_ERR(a)`: a compound condition whose tests name one variable only.
    if (op === '||' || op === '&&') {
      const names = new Set([testedName(l), testedName(r)].filter((n): n is string => n !== null));
      return names.size === 1 ? [...names][0]! : null;
    }
    const constant = (n: SyntaxNode | null | undefined): boolean => !!n && (n.type === 'null' || n.type === 'number_literal' || /^[A-Z][A-Z0-9_]*$/.test(n.text));
    if (!['==', '!=', '<', '<='].includes(op)) return null;
    if (l?.type === 'identifier' && constant(r)) return l.text;
    if (r?.type === 'identifier' && constant(l) && (op === '==' || op === '!=')) return r.text;
  }
  return null;
}

interface Slip {
  /** `a = f(...);` */
  assign: SyntaxNode;
  call: SyntaxNode;
  fresh: string;
  /** The if right after it, testing `other`. */
  test: SyntaxNode;
  other: string;
  /** The earlier if with the same condition, right after `other` was set. */
  earlier: SyntaxNode;
  next: Next;
  /** The patch only moves these lines from another file. */
  moved: boolean;
}


/** Is `id` written here (`id = ..`, `&id`, `id++`)? */
function written(id: SyntaxNode): boolean {
  const p = id.parent;
  if (!p) return false;
  if (p.type === 'assignment_expression' && p.childForFieldName('left')?.id === id.id) return true;
  if (p.type === 'pointer_expression' && p.childForFieldName('operator')?.text === '&') return true;
  return p.type === 'update_expression';
}

/** Inside a condition of an if/while/for/?: (a test of the value). */
function inCondition(id: SyntaxNode): boolean {
  for (let n: SyntaxNode = id; n.parent; n = n.parent) {
    const p = n.parent;
    if (p.childForFieldName('condition')?.id === n.id) return true;
    if (/_statement$|^declaration$/.test(p.type)) return false;
  }
  return false;
}

type Next =
  | { kind: 'use'; node: SyntaxNode; sink: 'deref' | 'argument'; to?: string }
  /** Overwritten before anything reads it, or never mentioned again in a function shown to its end. */
  | { kind: 'lost' };

/** What happens to `name` after `from`: its first mention is a use, it is lost, or anything else (null). */
function nextOf(ctx: FunctionContext, name: string, from: number): Next | null {
  const gaps = [...descendants(ctx.post.node, 'call_expression')].filter((c) => isMarker(c) && c.startIndex > from);
  for (const id of descendants(ctx.post.node, 'identifier')) {
    if (id.text !== name || id.startIndex <= from) continue;
    if (gaps.some((g) => g.startIndex < id.startIndex)) return null;
    if (inCondition(id)) return null;
    const p0 = id.parent;
    if (p0?.type === 'assignment_expression' && p0.childForFieldName('left')?.id === id.id && p0.childForFieldName('operator')?.text === '=') {
      // `a = g(a)` reads it first.
      return [...descendants(p0.childForFieldName('right')!, 'identifier')].some((x) => x.text === name) ? null : { kind: 'lost' };
    }
    if (written(id)) return null;
    let top = id;
    while (top.parent && (top.parent.type === 'parenthesized_expression' || top.parent.type === 'cast_expression')) top = top.parent;
    const p = top.parent;
    if (p?.type === 'field_expression' && p.childForFieldName('argument')?.id === top.id && p.childForFieldName('operator')?.text === '->') return { kind: 'use', node: p, sink: 'deref' };
    if (p?.type === 'pointer_expression' && p.childForFieldName('operator')?.text === '*') return { kind: 'use', node: p, sink: 'deref' };
    if (p?.type === 'subscript_expression' && p.childForFieldName('argument')?.id === top.id) return { kind: 'use', node: p, sink: 'deref' };
    if (p?.type === 'argument_list' && p.parent?.type === 'call_expression' && !isMarker(p.parent)) return { kind: 'use', node: p.parent, sink: 'argument', to: calleeName(p.parent) };
    return null;
  }
  // Never mentioned again: lost, when the function is visible to its end.
  return gaps.length === 0 && !ctx.post.isFragment ? { kind: 'lost' } : null;
}

const LOOP_TYPES = new Set(['for_statement', 'while_statement', 'do_statement']);

/** Conventions whose failure a lost status hides (pointer ones also count). */
const FAILING = new Set(['errno', 'zero-fail', 'bool-success']);

function slips(ctx: FunctionContext): Slip[] {
  const out: Slip[] = [];
  for (const test of descendants(ctx.post.node, 'if_statement')) {
    const block = test.parent;
    if (block?.type !== 'compound_statement') continue;
    const list = statementsOf(block);
    const i = list.findIndex((s) => s.id === test.id);
    const prev = list[i - 1];
    const a = prev ? assignedCall(prev) : null;
    const other = testedName(conditionOf(test));
    if (!a || !other || other === a.variable) continue;
    // Lines the patch only moves from another file count too: the slip is as wrong in its new place, and the move
    // is when a reviewer sees it (the message says the code is moved).
    const own = ctx.touchesAdded(prev!) || ctx.touchesAdded(test);
    if (!own && !(ctx.isMoved(prev!) || ctx.isMoved(test))) continue;
    const cond = squash(conditionOf(test)!.text);
    if (cond.includes(a.variable)) continue;
    // The same test stood right after `other` was set, earlier in the function, and nothing set `other` since.
    const earlier = [...descendants(ctx.post.node, 'if_statement')].find((e) => {
      if (e.endIndex > prev!.startIndex || squash(conditionOf(e)?.text ?? '') !== cond || !e.parent) return false;
      const l = statementsOf(e.parent);
      const before = l[l.findIndex((s) => s.id === e.id) - 1];
      return !!before && assignedCall(before)?.variable === other;
    });
    if (!earlier) continue;
    const setSince = [...descendants(ctx.post.node, 'identifier')].some(
      (id) => id.text === other && id.startIndex > earlier.endIndex && id.startIndex < test.startIndex && written(id),
    );
    if (setSince) continue;
    // In a loop, `other` set anywhere in its body may be a new value by the time the test runs again.
    let loop: SyntaxNode | null = test.parent;
    while (loop && !LOOP_TYPES.has(loop.type) && loop.type !== 'function_definition') loop = loop.parent;
    if (loop && LOOP_TYPES.has(loop.type) && !(earlier.startIndex >= loop.startIndex && earlier.endIndex <= loop.endIndex)) {
      if ([...descendants(loop, 'identifier')].some((id) => id.text === other && written(id))) continue;
    }
    const next = nextOf(ctx, a.variable, prev!.endIndex);
    if (!next) continue;
    out.push({ assign: prev!, call: a.call, fresh: a.variable, test, other, earlier, next, moved: !own });
  }
  return out;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'tested-wrong-variable',
    pack: 'error-handling',
    family: 'unchecked-error',
    severity: 'warning',
    summary: 'The test right after a call\'s result is stored tests another variable, one already tested the same way: the fresh result goes untested.',
    source: {
      ...SEED_THREAD,
      quote: 'Looks error handling is not only a problem in VT-d code. Above actually should check return values of all suspend callbacks.',
    },
    messages: {
      wrongVariable:
        '`if ( {{condition}} )` right after `{{fresh}} = {{callee}}(...)` tests {{other}}, which line {{earlierLine}} already tested the same way, not {{fresh}}: {{callee}}() {{failure}}, and {{function}}() then uses {{fresh}} at line {{useLine}} (`{{useText}}`) untested. Test {{fresh}} here.{{carried}}',
      wrongVariableLost:
        '`if ( {{condition}} )` right after `{{fresh}} = {{callee}}(...)` tests {{other}}, which line {{earlierLine}} already tested the same way, not {{fresh}}: {{callee}}() {{failure}}, and nothing tests {{fresh}} before it is overwritten or the function ends, so the failure is lost. Test {{fresh}} here.{{carried}}',
    },
    fixable: false,
    limitations:
      'Needs the pattern the slip copies to be visible: the same condition right after the other variable was set, earlier in the function, with nothing setting it since (nor anywhere in a loop around the test); and a known failure convention of the callee (knowledge layer) for the simulator to follow the failed value to its use (a pointer; a status or offset handed to another call, inconclusive: whether that call takes the failure is not shown), or to find it overwritten or never tested (a status; only in a function shown to its end). A use in a function the patch does not show keeps the finding inconclusive. Lines the patch only moves from another file count as its own here (unlike style rules): the slip is as wrong in its new place, and the message says the code is moved. A compound condition counts when its tests name only the other variable (`!b || b->bad`) and the same compound stood earlier.',
  },
  detect(ctx) {
    const out = [];
    for (const s of slips(ctx)) {
      const fact = ctx.knowledge.lookup(calleeName(s.call));
      if (!fact) continue;
      const pointer = fact.convention === 'null' || fact.convention === 'err-ptr';
      // A status or offset (`node = fdt_subnode_offset(..)`) handed on untested to another call is the failure passed
      // along as if it were a value; reading through it is a pointer's use only.
      const handedOn = s.next.kind === 'use' && s.next.sink === 'argument' && fact.convention === 'errno';
      if (s.next.kind === 'use' ? !(pointer || handedOn) : !(pointer || FAILING.has(fact.convention))) continue;
      out.push({ node: s.test, data: { s, failure: describeFailure(fact), source: fact.source, errPtr: fact.convention === 'err-ptr', status: fact.convention === 'errno' } });
    }
    return out;
  },
  check(candidate, ctx) {
    const { s, failure, source, errPtr, status } = candidate.data as { s: Slip; failure: string; source: string; errPtr: boolean; status: boolean };
    const callee = calleeName(s.call);
    const failureValue = errPtr ? 'an ERR_PTR()' : status ? 'a negative error code' : 'NULL';
    const data = {
      condition: fold(conditionOf(s.test)!.text),
      fresh: s.fresh,
      other: s.other,
      callee,
      failure,
      function: ctx.fn.name,
      earlierLine: String(ctx.lineOf(s.earlier)),
      carried: s.moved ? ' (The patch moves this code from another file; the slip moves with it.)' : '',
    };
    const reliedOn = [`${callee}() ${failure}: ${source}`, `line ${ctx.lineOf(s.earlier)} tests ${s.other} with the same condition right after setting it`];
    if (s.next.kind === 'lost') {
      return { messageId: 'wrongVariableLost', data, question: { kind: 'result-lost', call: s.call }, reliedOn };
    }
    const use = s.next;
    return {
      messageId: 'wrongVariable',
      data: { ...data, useLine: String(ctx.lineOf(use.node)), useText: fold(use.node.text).slice(0, 80) },
      question: {
        kind: 'failure-reaches-use',
        call: s.call,
        use: use.node,
        ...(use.sink === 'argument' ? { premise: `whether ${use.to}() can take ${failureValue} is not shown by the patch` } : {}),
        ...(status ? { negative: true } : {}),
      },
      reliedOn,
    };
  },
  cases: {
    flagged: [
      {
        // TF-A f33b2433f5a6 (2019) shape: `sub = fdt_subnode_offset(fdt, node, ..); if (node < 0)` then `fdt_getprop(fdt, sub, ..)`.
        name: 'an offset (negative on failure) tested under the previous lookup\'s name, then handed to another call untested',
        patch: `--- a/plat/acme/acme_dt.c
+++ b/plat/acme/acme_dt.c
@@ -30,3 +30,23 @@ static int acme_dt_check(void *fdt)
 	return 0;
 }
 
+uint32_t acme_dt_vdd(void *fdt)
+{
+	int node, sub;
+	const fdt32_t *cuint;
+
+	node = fdt_node_offset_by_compatible(fdt, -1, "acme,pwr");
+	if (node < 0)
+		return 0;
+
+	sub = fdt_subnode_offset(fdt, node, "regulators");
+	if (node < 0)
+		return 0;
+
+	cuint = fdt_getprop(fdt, sub, "vdd-supply", NULL);
+	if (cuint == NULL)
+		return 0;
+
+	return fdt32_to_cpu(*cuint);
+}
+
`,
        expect: [{ line: 43, messageId: 'wrongVariable', verdict: 'inconclusive' }],
      },
      {
        name: 'the second lookup is followed by a copy of the first one\'s test',
        patch: `--- a/xen/arch/arm/tee/quux.c
+++ b/xen/arch/arm/tee/quux.c
@@ -40,2 +40,23 @@ static int quux_probe(void)
 
+static int quux_map(struct domain *d, struct quux_ctx *ctx, gfn_t a, gfn_t b)
+{
+    struct page_info *pa, *pb;
+    p2m_type_t t;
+
+    pa = get_page_from_gfn(d, gfn_x(a), &t, P2M_ALLOC);
+    if ( !pa )
+        return -EINVAL;
+
+    pb = get_page_from_gfn(d, gfn_x(b), &t, P2M_ALLOC);
+    if ( !pa )
+        goto err_put_a;
+
+    ctx->count = pb->count_info;
+    return 0;
+
+ err_put_a:
+    put_page(pa);
+    return -EINVAL;
+}
+
 static void quux_remove(void)
`,
        expect: [{ line: 51, messageId: 'wrongVariable', verdict: 'verified' }],
      },
      {
        name: 'the fresh result is handed to a function the patch does not show',
        patch: `--- a/xen/arch/arm/tee/quux.c
+++ b/xen/arch/arm/tee/quux.c
@@ -40,2 +40,20 @@ static int quux_probe(void)
 
+static int quux_map(struct domain *d, struct quux_ctx *ctx, gfn_t a, gfn_t b)
+{
+    struct page_info *pa, *pb;
+    p2m_type_t t;
+
+    pa = get_page_from_gfn(d, gfn_x(a), &t, P2M_ALLOC);
+    if ( !pa )
+        return -EINVAL;
+
+    pb = get_page_from_gfn(d, gfn_x(b), &t, P2M_ALLOC);
+    if ( !pa )
+        return -EINVAL;
+
+    ctx->va = quux_map_page(pb);
+    ctx->pa = pa;
+    return 0;
+}
+
 static void quux_remove(void)
`,
        expect: [{ line: 51, messageId: 'wrongVariable', verdict: 'inconclusive' }],
      },
      {
        name: 'a status: the second enable\'s result is tested under the first one\'s name and then overwritten',
        patch: `--- a/xen/drivers/quux/quux.c
+++ b/xen/drivers/quux/quux.c
@@ -40,2 +40,18 @@ static int quux_probe(void)
 
+static int quux_power_on(struct quux *q)
+{
+    int rc, rc2;
+
+    rc = clk_prepare_enable(q->clk);
+    if ( rc )
+        return rc;
+
+    rc2 = regulator_enable(q->vdd);
+    if ( rc )
+        return rc;
+
+    rc2 = quux_reset(q);
+    return rc2;
+}
+
 static void quux_remove(void)
`,
        expect: [{ line: 50, messageId: 'wrongVariableLost', verdict: 'verified' }],
      },
      {
        name: 'a slip the patch only moves to a new file is still reported, with a note that the code is moved',
        patch: `--- a/xen/arch/arm/tee/quux.c
+++ b/xen/arch/arm/tee/quux.c
@@ -38,25 +38,4 @@ static int quux_probe(void)
     return 0;
 }
 
-static int quux_map(struct domain *d, struct quux_ctx *ctx, gfn_t a, gfn_t b)
-{
-    struct page_info *pa, *pb;
-    p2m_type_t t;
-
-    pa = get_page_from_gfn(d, gfn_x(a), &t, P2M_ALLOC);
-    if ( !pa )
-        return -EINVAL;
-
-    pb = get_page_from_gfn(d, gfn_x(b), &t, P2M_ALLOC);
-    if ( !pa )
-        goto err_put_a;
-
-    ctx->count = pb->count_info;
-    return 0;
-
- err_put_a:
-    put_page(pa);
-    return -EINVAL;
-}
-
 static void quux_remove(void)
--- /dev/null
+++ b/xen/arch/arm/tee/quux_map.c
@@ -0,0 +1,23 @@
+#include "quux_private.h"
+
+/* Mapping helpers, moved out of quux.c. */
+static int quux_map(struct domain *d, struct quux_ctx *ctx, gfn_t a, gfn_t b)
+{
+    struct page_info *pa, *pb;
+    p2m_type_t t;
+
+    pa = get_page_from_gfn(d, gfn_x(a), &t, P2M_ALLOC);
+    if ( !pa )
+        return -EINVAL;
+
+    pb = get_page_from_gfn(d, gfn_x(b), &t, P2M_ALLOC);
+    if ( !pa )
+        goto err_put_a;
+
+    ctx->count = pb->count_info;
+    return 0;
+
+ err_put_a:
+    put_page(pa);
+    return -EINVAL;
+}
`,
        expect: [{ line: 14, messageId: 'wrongVariable', verdict: 'verified' }],
      },
      {
        name: 'a compound test copied whole: `!pa || t != p2m_ram_rw` again right after the second lookup',
        patch: `--- a/xen/arch/arm/tee/quux.c
+++ b/xen/arch/arm/tee/quux.c
@@ -40,2 +40,23 @@ static int quux_probe(void)
 
+static int quux_map(struct domain *d, struct quux_ctx *ctx, gfn_t a, gfn_t b)
+{
+    struct page_info *pa, *pb;
+    p2m_type_t t;
+
+    pa = get_page_from_gfn(d, gfn_x(a), &t, P2M_ALLOC);
+    if ( !pa || t != p2m_ram_rw )
+        return -EINVAL;
+
+    pb = get_page_from_gfn(d, gfn_x(b), &t, P2M_ALLOC);
+    if ( !pa || t != p2m_ram_rw )
+        goto err_put_a;
+
+    ctx->count = pb->count_info;
+    return 0;
+
+ err_put_a:
+    put_page(pa);
+    return -EINVAL;
+}
+
 static void quux_remove(void)
`,
        expect: [{ line: 51, messageId: 'wrongVariable', verdict: 'verified' }],
      },
    ],
    clean: [
      {
        name: 'near miss: the copied test of the previous offset is followed by a test of the fresh one before it is handed on',
        patch: `--- a/plat/acme/acme_dt.c
+++ b/plat/acme/acme_dt.c
@@ -30,3 +30,25 @@ static int acme_dt_check(void *fdt)
 	return 0;
 }
 
+uint32_t acme_dt_vdd(void *fdt)
+{
+	int node, sub;
+	const fdt32_t *cuint;
+
+	node = fdt_node_offset_by_compatible(fdt, -1, "acme,pwr");
+	if (node < 0)
+		return 0;
+
+	sub = fdt_subnode_offset(fdt, node, "regulators");
+	if (node < 0)
+		return 0;
+	if (sub < 0)
+		return 0;
+
+	cuint = fdt_getprop(fdt, sub, "vdd-supply", NULL);
+	if (cuint == NULL)
+		return 0;
+
+	return fdt32_to_cpu(*cuint);
+}
+
`,
      },
      {
        name: 'near miss: the compound test after the second lookup is not a copy of the first one (no slip pattern to go on)',
        patch: `--- a/xen/arch/arm/tee/quux.c
+++ b/xen/arch/arm/tee/quux.c
@@ -40,2 +40,23 @@ static int quux_probe(void)
 
+static int quux_map(struct domain *d, struct quux_ctx *ctx, gfn_t a, gfn_t b)
+{
+    struct page_info *pa, *pb;
+    p2m_type_t t;
+
+    pa = get_page_from_gfn(d, gfn_x(a), &t, P2M_ALLOC);
+    if ( !pa )
+        return -EINVAL;
+
+    pb = get_page_from_gfn(d, gfn_x(b), &t, P2M_ALLOC);
+    if ( !pa || ctx->busy )
+        goto err_put_a;
+
+    ctx->count = pb->count_info;
+    return 0;
+
+ err_put_a:
+    put_page(pa);
+    return -EINVAL;
+}
+
 static void quux_remove(void)
`,
      },
      {
        name: 'near miss: the same function moved to a new file with the right variable tested draws nothing',
        patch: `--- a/xen/arch/arm/tee/quux.c
+++ b/xen/arch/arm/tee/quux.c
@@ -38,25 +38,4 @@ static int quux_probe(void)
     return 0;
 }
 
-static int quux_map(struct domain *d, struct quux_ctx *ctx, gfn_t a, gfn_t b)
-{
-    struct page_info *pa, *pb;
-    p2m_type_t t;
-
-    pa = get_page_from_gfn(d, gfn_x(a), &t, P2M_ALLOC);
-    if ( !pa )
-        return -EINVAL;
-
-    pb = get_page_from_gfn(d, gfn_x(b), &t, P2M_ALLOC);
-    if ( !pb )
-        goto err_put_a;
-
-    ctx->count = pb->count_info;
-    return 0;
-
- err_put_a:
-    put_page(pa);
-    return -EINVAL;
-}
-
 static void quux_remove(void)
--- /dev/null
+++ b/xen/arch/arm/tee/quux_map.c
@@ -0,0 +1,23 @@
+#include "quux_private.h"
+
+/* Mapping helpers, moved out of quux.c. */
+static int quux_map(struct domain *d, struct quux_ctx *ctx, gfn_t a, gfn_t b)
+{
+    struct page_info *pa, *pb;
+    p2m_type_t t;
+
+    pa = get_page_from_gfn(d, gfn_x(a), &t, P2M_ALLOC);
+    if ( !pa )
+        return -EINVAL;
+
+    pb = get_page_from_gfn(d, gfn_x(b), &t, P2M_ALLOC);
+    if ( !pb )
+        goto err_put_a;
+
+    ctx->count = pb->count_info;
+    return 0;
+
+ err_put_a:
+    put_page(pa);
+    return -EINVAL;
+}
`,
      },
      {
        name: 'in a loop that sets the other variable again, its test is a new one',
        patch: `--- a/xen/arch/arm/tee/quux.c
+++ b/xen/arch/arm/tee/quux.c
@@ -40,2 +40,22 @@ static int quux_probe(void)
 
+static int quux_walk(struct domain *d, struct quux_ctx *ctx, gfn_t a)
+{
+    struct page_info *pa, *pb;
+    p2m_type_t t;
+
+    pa = get_page_from_gfn(d, gfn_x(a), &t, P2M_ALLOC);
+    if ( !pa )
+        return -EINVAL;
+
+    while ( ctx->count-- )
+    {
+        pb = get_page_from_gfn(d, gfn_x(a), &t, P2M_ALLOC);
+        if ( !pa )
+            return -EINVAL;
+        ctx->count += pb->count_info;
+        pa = quux_next(pa);
+    }
+    return 0;
+}
+
 static void quux_remove(void)
`,
      },
      {
        name: 'near miss: the fresh result is tested before the use after all',
        patch: `--- a/xen/arch/arm/tee/quux.c
+++ b/xen/arch/arm/tee/quux.c
@@ -40,2 +40,19 @@ static int quux_probe(void)
 
+static int quux_map(struct domain *d, struct quux_ctx *ctx, gfn_t a, gfn_t b)
+{
+    struct page_info *pa, *pb;
+    p2m_type_t t;
+
+    pa = get_page_from_gfn(d, gfn_x(a), &t, P2M_ALLOC);
+    if ( !pa )
+        return -EINVAL;
+
+    pb = get_page_from_gfn(d, gfn_x(b), &t, P2M_ALLOC);
+    if ( !pa || !pb )
+        return -EINVAL;
+
+    ctx->count = pb->count_info;
+    return 0;
+}
+
 static void quux_remove(void)
`,
      },
      {
        name: 'the other variable was set again in between: its test is a new one',
        patch: `--- a/xen/arch/arm/tee/quux.c
+++ b/xen/arch/arm/tee/quux.c
@@ -40,2 +40,19 @@ static int quux_probe(void)
 
+static int quux_map(struct domain *d, struct quux_ctx *ctx, gfn_t a, gfn_t b)
+{
+    struct page_info *pa, *pb;
+    p2m_type_t t;
+
+    pa = get_page_from_gfn(d, gfn_x(a), &t, P2M_ALLOC);
+    if ( !pa )
+        return -EINVAL;
+
+    pa = quux_next(pa);
+    pb = get_page_from_gfn(d, gfn_x(b), &t, P2M_ALLOC);
+    if ( !pa )
+        return -EINVAL;
+
+    return pb->count_info;
+}
+
 static void quux_remove(void)
`,
      },
    ],
  },
});
