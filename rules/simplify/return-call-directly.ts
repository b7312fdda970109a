import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { calleeName, conditionOf, continuationAfter, fold, isMarkerStatement, statementsOf } from '../../src/review/ast.ts';
import { indentAt, removeRows, type Edit } from '../../src/review/edits.ts';
import { carriedResults, declarationOf, dropDeclaration, usesOutside, type CarriedResult } from './temporaries.ts';
import { SEED_THREAD } from './source.ts';

/** Unseen code standing at the very end of the function body. */
function isTrailingGap(s: SyntaxNode): boolean {
  if (!isMarkerStatement(s) || s.parent?.parent?.type !== 'function_definition') return false;
  const list = statementsOf(s.parent);
  return list[list.length - 1]?.id === s.id;
}

const isReturnOf = (s: SyntaxNode, text: string): boolean =>
  s.type === 'return_statement' && fold(s.namedChild(0)?.text ?? '') === text;

/**
 * `return f(...);`: a call written on one row is folded; one written over several rows keeps its rows, the
 * continuation rows moved by the width `return ` takes instead of `v = ` (so arguments stay aligned).
 */
function returnText(c: CarriedResult): string {
  if (!c.call.text.includes('\n')) return `return ${fold(c.call.text)};`;
  const delta = 'return '.length - (c.call.startIndex - c.assign.startIndex);
  const rows = c.call.text.split('\n').map((row, i) => {
    if (i === 0 || delta === 0) return row;
    if (delta > 0) return row.replace(/^[ \t]*/, (ws) => ws + ' '.repeat(delta));
    return row.replace(new RegExp(`^([ \\t]*) {${-delta}}(?=\\S)`), '$1');
  });
  return `return ${rows.join('\n')};`;
}

/** A removed first statement of a block takes the blank row after it along (it would open the block). */
function withBlankAfterOpening(ctx: Parameters<typeof carriedResults>[0], decl: SyntaxNode, drop: Edit): Edit {
  const block = decl.parent;
  if (!block || statementsOf(block)[0]?.id !== decl.id || drop.text !== '' || ctx.post.source[drop.end - 1] !== '\n') return drop;
  const next = ctx.post.source.indexOf('\n', drop.end);
  return next >= 0 && /^[ \t]*$/.test(ctx.post.source.slice(drop.end, next)) ? { ...drop, end: next + 1 } : drop;
}

function rewrite(ctx: Parameters<typeof carriedResults>[0], c: CarriedResult, returnZero: SyntaxNode | null): Edit[] {
  const block = c.assign.parent!;
  const ret = returnText(c);
  const others = statementsOf(block).filter(
    (s) => s.id !== c.assign.id && s.id !== c.test.id && !(s.type === 'declaration' && declarationOf(ctx, c.variable)?.decl.id === s.id),
  );
  const edits: Edit[] = [];
  const wholeBlock = others.length === 0 && block.parent?.type === 'if_statement';
  if (wholeBlock) {
    // `if ( x ) { [int rc;] rc = f(); if ( rc ) return rc; }` -> `if ( x ) return f();`
    const indent = indentAt(ctx.post, c.assign);
    const rowStart = ctx.post.source.lastIndexOf('\n', block.startIndex - 1) + 1;
    edits.push({ start: rowStart, end: block.endIndex, text: `${indent}${ret}` });
  } else {
    edits.push({ start: c.assign.startIndex, end: c.test.endIndex, text: ret });
    const list = statementsOf(block);
    const next = list[list.findIndex((s) => s.id === c.test.id) + 1];
    if (next && returnZero && next.id === returnZero.id) edits.push(removeRows(ctx.post, returnZero));
  }
  const inBlockDecl = declarationOf(ctx, c.variable);
  // The block replaced whole takes a declaration inside it along.
  const declInside = wholeBlock && inBlockDecl && inBlockDecl.decl.parent?.id === block.id;
  if (!declInside && usesOutside(ctx, c.variable, [c.assign, c.test]).length === 0) {
    const drop = dropDeclaration(ctx, c.variable);
    if (drop) edits.push(withBlankAfterOpening(ctx, inBlockDecl!.decl, drop));
  }
  return edits;
}

/**
 * An earlier link of the same chain: `v = f(...); if ( <same test> ) <same exit>;` with the same variable and the
 * same callee, before `c`. Calls of one function checked one after the other (`f(a, x)`, `f(a, y)`) read as a list;
 * returning only the last one directly breaks the list, which no maintainer asks for.
 */
function chainedLink(all: CarriedResult[], c: CarriedResult): CarriedResult | undefined {
  const shape = (x: CarriedResult) => `${x.variable}\u0000${fold(conditionOf(x.test)?.text ?? '')}\u0000${fold(x.guarded.text)}\u0000${calleeName(x.call)}`;
  const key = shape(c);
  return all.find((x) => x.assign.startIndex < c.assign.startIndex && shape(x) === key);
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'return-call-directly',
    pack: 'simplify',
    family: 'redundant-temporary',
    severity: 'info',
    summary: 'A variable only carries a call\'s result to `if ( rc ) return rc;` followed by `return 0;` (or `if ( rc != K ) return rc; return K;`): return the call.',
    source: { ...SEED_THREAD, quote: 'if ( iommu_enabled ) return ops->suspend(); return 0;' },
    messages: {
      returnDirectly:
        '{{variable}} only carries the result of {{callee}}() to the return: `{{suggestion}}` says the same in fewer lines.',
    },
    fixable: true,
    limitations: 'Only when the code after the check returns the success value the check names (`return K;` after `rc != K`, `return 0;` after a truth test); the rewrite is offered only when the simulator proves it equivalent. Not proposed for the last of several calls of one function checked the same way (same variable, test and exit): that chain is a list the author keeps symmetric.',
  },
  detect(ctx) {
    const out = [];
    const carried = carriedResults(ctx, { namedSuccess: true });
    for (const c of carried) {
      if (!isReturnOf(c.guarded, c.variable) || !(ctx.touchesAdded(c.assign) || ctx.touchesAdded(c.test))) continue;
      // The last of several calls of one function, each checked the same way: the symmetry is the author's style.
      if (chainedLink(carried, c)) continue;
      const after = continuationAfter(c.test);
      const first = after.kind === 'statements' ? after.statements[0] : undefined;
      // A preprocessor line between the test and the success return (`#endif`): the check stands in one
      // configuration only, and the return after it serves the others; folding them joins what the author kept apart.
      if (first && ctx.post.rawLines.slice(c.test.endPosition.row + 1, first.startPosition.row).some((l) => /^\s*#/.test(l))) continue;
      // The success return: the constant the test names (`if ( rc != K ) return rc; return K;`), or 0 after a truth test.
      if (first && isReturnOf(first, fold(c.success ?? '0'))) out.push({ node: c.assign, data: { c, returnZero: first } });
      // The patch stops right here: the rewrite holds if what follows is `return 0;`, which the verdict says it assumes.
      // Only where the patch turns a void function into an int one: its old end must become `return 0;`.
      else if (first && c.success === undefined && isTrailingGap(first) && ctx.pre?.returnType === 'void' && ctx.post.returnType !== 'void') {
        out.push({ node: c.assign, data: { c, unseenEnd: first } });
      }
    }
    return out;
  },
  check(candidate, ctx) {
    const c = candidate.data.c as CarriedResult;
    const unseenEnd = candidate.data.unseenEnd as SyntaxNode | undefined;
    const edits = rewrite(ctx, c, (candidate.data.returnZero as SyntaxNode | undefined) ?? null);
    const last = ctx.post.gaps.find((g) => g.reason === 'after-fragment')?.afterLine ?? ctx.lineOf(c.test);
    return {
      messageId: 'returnDirectly',
      data: { variable: c.variable, callee: calleeName(c.call), suggestion: `return ${fold(c.call.text)};` },
      question: {
        kind: 'equivalent-rewrite',
        edits,
        fix: `return ${calleeName(c.call)}()'s result directly`,
        proof: `the rewrite returns the same value with the same calls on every path of ${ctx.fn.name}()`,
        ...(unseenEnd
          ? {
              assume: {
                edits: [{ start: unseenEnd.startIndex, end: unseenEnd.endIndex, text: 'return 0;' }],
                statement: `assumes ${ctx.fn.name}() goes on to \`return 0;\` after line ${last}, which the patch does not show`,
              },
            }
          : {}),
      },
    };
  },
  cases: {
    flagged: [
      {
        name: 'the result is carried to the return inside an if',
        patch: `--- a/xen/drivers/ops.c
+++ b/xen/drivers/ops.c
@@ -20,8 +20,16 @@ int ops_do(void)
 
-void ops_suspend(void)
+int ops_suspend(void)
 {
     const struct ops *ops = get_ops();
+    int rc;
+
     if ( ops_enabled )
-        ops->suspend();
+    {
+        rc = ops->suspend();
+        if ( rc )
+            return rc;
+    }
+
+    return 0;
 }
 
`,
        expect: [
          { line: 28, messageId: 'returnDirectly', verdict: 'verified', fix: `    if ( ops_enabled )
        return ops->suspend();` },
        ],
      },
      {
        name: 'a status type with a named success value: the test names it, the function returns it',
        patch: `--- a/core/drivers/drv_clk.c
+++ b/core/drivers/drv_clk.c
@@ -40,5 +40,11 @@ static drv_result_t drv_clk_probe(void)
 
 static drv_result_t drv_clk_enable(struct drv_clk *clk)
 {
-	return drv_clk_hw_enable(clk);
+	drv_result_t res = DRV_ERROR_GENERIC;
+
+	res = drv_clk_hw_enable(clk);
+	if (res != DRV_SUCCESS)
+		return res;
+
+	return DRV_SUCCESS;
 }
`,
        expect: [{ line: 45, messageId: 'returnDirectly', verdict: 'verified', fix: '\treturn drv_clk_hw_enable(clk);' }],
      },
      {
        name: 'a call written over two rows keeps its rows, its arguments still aligned under the parenthesis',
        patch: `--- a/core/drivers/drv_clk.c
+++ b/core/drivers/drv_clk.c
@@ -39,11 +39,16 @@ static drv_result_t drv_clk_probe(void)
 
 static drv_result_t drv_clk_set(struct drv_clk *clk, unsigned long rate)
 {
 	drv_result_t res = DRV_SUCCESS;
 
 	res = drv_clk_hw_prepare(clk);
 	if (res != DRV_SUCCESS)
 		return res;
+
+	res = drv_clk_hw_set_rate(clk->hw, clk->parent_rate,
+				  rate);
+	if (res != DRV_SUCCESS)
+		return res;
 
 	return DRV_SUCCESS;
 }
`,
        expect: [{ line: 48, messageId: 'returnDirectly', verdict: 'verified', fix: '\treturn drv_clk_hw_set_rate(clk->hw, clk->parent_rate,\n\t\t\t\t   rate);' }],
      },
    ],
    clean: [
      {
        // TF-A cd87e22c8cee (2026): the last step of a protocol init runs only when a build option is on.
        name: 'near miss: the last check stands under `#if` and the success return after `#endif` serves every configuration',
        patch: `--- a/drivers/arm/gizmo/gizmo_scmi.c
+++ b/drivers/arm/gizmo/gizmo_scmi.c
@@ -366,3 +366,21 @@ void gizmo_reboot(void)
 	gizmo_off(GIZMO_COLD_RESET);
 }
 
+static int gizmo_protocol_init(struct gizmo_ch *ch)
+{
+	int ret;
+
+	ret = gizmo_pwr_init(ch);
+	if (ret != 0) {
+		return ret;
+	}
+
+#if GIZMO_RESET_ADDRESS
+	ret = gizmo_core_init(ch);
+	if (ret != 0) {
+		return ret;
+	}
+#endif
+
+	return 0;
+}
`,
      },
      {
        name: 'the last of several calls of one function, each checked the same way: the chain stays symmetric',
        patch: `--- a/core/drivers/drv_key.c
+++ b/core/drivers/drv_key.c
@@ -60,3 +60,18 @@ static drv_result_t drv_key_check(struct drv_key *key)
 	return DRV_SUCCESS;
 }
 
+static drv_result_t drv_key_import(struct drv_key *key, const uint8_t *buf,
+				   size_t len)
+{
+	drv_result_t res = DRV_SUCCESS;
+
+	res = drv_num_from_bytes(buf, len, key->x);
+	if (res != DRV_SUCCESS)
+		return res;
+
+	res = drv_num_from_bytes(buf + len, len, key->y);
+	if (res != DRV_SUCCESS)
+		return res;
+
+	return DRV_SUCCESS;
+}
`,
      },
      {
        name: 'the variable is a global that callers read, so the assignment must stay',
        refuted: true,
        patch: `--- a/xen/drivers/ops.c
+++ b/xen/drivers/ops.c
@@ -20,5 +20,8 @@ int ops_do(void)
 
 int ops_suspend(void)
 {
-    return ops_get()->suspend();
+    ops_last_rc = ops_get()->suspend();
+    if ( ops_last_rc )
+        return ops_last_rc;
+    return 0;
 }
`,
      },
      {
        name: 'more work follows the check, so the variable is needed',
        patch: `--- a/xen/drivers/ops.c
+++ b/xen/drivers/ops.c
@@ -20,8 +20,17 @@ int ops_do(void)
 
-void ops_suspend(void)
+int ops_suspend(void)
 {
     const struct ops *ops = get_ops();
+    int rc;
+
     if ( ops_enabled )
-        ops->suspend();
+    {
+        rc = ops->suspend();
+        if ( rc )
+            return rc;
+    }
+
+    ops_count++;
+    return 0;
 }
 
`,
      },
      {
        name: 'the function returns another constant than the success value its test names',
        patch: `--- a/core/drivers/drv_clk.c
+++ b/core/drivers/drv_clk.c
@@ -40,5 +40,9 @@ static drv_result_t drv_clk_probe(void)
 
 static drv_result_t drv_clk_enable(struct drv_clk *clk)
 {
-	return drv_clk_hw_enable(clk);
+	drv_result_t res = drv_clk_hw_enable(clk);
+
+	if (res != DRV_SUCCESS)
+		return res;
+	return DRV_PENDING;
 }
`,
      },
      {
        name: 'a named success value, but the status is a global that callers read, so the assignment must stay',
        refuted: true,
        patch: `--- a/core/drivers/drv_clk.c
+++ b/core/drivers/drv_clk.c
@@ -40,5 +40,8 @@ static drv_result_t drv_clk_probe(void)
 
 static drv_result_t drv_clk_enable(struct drv_clk *clk)
 {
-	return drv_clk_hw_enable(clk);
+	drv_clk_last_res = drv_clk_hw_enable(clk);
+	if (drv_clk_last_res != DRV_SUCCESS)
+		return drv_clk_last_res;
+	return DRV_SUCCESS;
 }
`,
      },
    ],
  },
});
