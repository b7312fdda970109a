import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { calleeName, continuationAfter, fold, isMarkerStatement, statementsOf } from '../../src/review/ast.ts';
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

function rewrite(ctx: Parameters<typeof carriedResults>[0], c: CarriedResult, returnZero: SyntaxNode | null): Edit[] {
  const block = c.assign.parent!;
  const ret = `return ${fold(c.call.text)};`;
  const others = statementsOf(block).filter(
    (s) => s.id !== c.assign.id && s.id !== c.test.id && !(s.type === 'declaration' && declarationOf(ctx, c.variable)?.decl.id === s.id),
  );
  const edits: Edit[] = [];
  if (others.length === 0 && block.parent?.type === 'if_statement') {
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
  const declInside = inBlockDecl && inBlockDecl.decl.parent?.id === block.id;
  if (!declInside && usesOutside(ctx, c.variable, [c.assign, c.test]).length === 0) {
    const drop = dropDeclaration(ctx, c.variable);
    if (drop) edits.push(drop);
  }
  return edits;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'return-call-directly',
    pack: 'simplify',
    family: 'redundant-temporary',
    severity: 'info',
    summary: 'A variable only carries a call\'s result to `if ( rc ) return rc;` followed by `return 0;`: return the call.',
    source: { ...SEED_THREAD, quote: 'if ( iommu_enabled ) return ops->suspend(); return 0;' },
    messages: {
      returnDirectly:
        '{{variable}} only carries the result of {{callee}}() to the return: `{{suggestion}}` says the same in fewer lines.',
    },
    fixable: true,
    limitations: 'Only when the code after the check is `return 0;`; the rewrite is offered only when the simulator proves it equivalent.',
  },
  detect(ctx) {
    const out = [];
    for (const c of carriedResults(ctx)) {
      if (!isReturnOf(c.guarded, c.variable) || !(ctx.touchesAdded(c.assign) || ctx.touchesAdded(c.test))) continue;
      const after = continuationAfter(c.test);
      const first = after.kind === 'statements' ? after.statements[0] : undefined;
      if (first && isReturnOf(first, '0')) out.push({ node: c.assign, data: { c, returnZero: first } });
      // The patch stops right here: the rewrite holds if what follows is `return 0;`, which the verdict says it assumes.
      // Only where the patch turns a void function into an int one: its old end must become `return 0;`.
      else if (first && isTrailingGap(first) && ctx.pre?.returnType === 'void' && ctx.post.returnType !== 'void') {
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
    ],
    clean: [
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
    ],
  },
});
