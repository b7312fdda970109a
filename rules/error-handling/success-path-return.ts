import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { descendants, fold, isMarkerStatement, statementsOf } from '../../src/review/ast.ts';
import { resultUse, testsValue } from '../../src/review/calls.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { SEED_THREAD } from './source.ts';

/**
 * The returned value carries a call's result (`return rc;` after `rc = f(...)`, or `return f(...);`): only
 * such a return is error handling. A plain `return;`, an errno, a protocol value (`X86EMUL_RETRY`) or any
 * other constant is a deliberate answer of the function, which this rule does not question.
 */
function carriedResult(ctx: FunctionContext, r: SyntaxNode): string | null {
  const value = r.namedChild(0);
  if (!value) return null;
  if (value.type === 'call_expression') return fold(value.text);
  if (value.type !== 'identifier') return null;
  for (const call of descendants(ctx.post.node, 'call_expression')) {
    const use = resultUse(call);
    if (use.kind === 'assigned' && use.variable === value.text && use.statement.endIndex <= r.startIndex) return value.text;
  }
  return null;
}

/** `if ( rc ) ... return rc;`: returning only when the value says failure is the right shape. */
function isGuardedByItsValue(r: SyntaxNode, value: string): boolean {
  for (let n: SyntaxNode | null = r.parent; n && n.type !== 'function_definition'; n = n.parent) {
    if (n.type === 'if_statement') return testsValue(n.childForFieldName('condition'), value);
  }
  return false;
}

/** The function's last statement (only unseen code after it): the new final `return 0;` of a former void function. */
function isFinalReturn(r: SyntaxNode): boolean {
  if (r.parent?.parent?.type !== 'function_definition') return false;
  const list = statementsOf(r.parent);
  return list.slice(list.findIndex((s) => s.id === r.id) + 1).every(isMarkerStatement);
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'success-path-return',
    pack: 'error-handling',
    family: 'success-path-change',
    severity: 'error',
    summary: 'A return added for error handling also returns when nothing failed, skipping code that used to run.',
    source: {
      ...SEED_THREAD,
      quote: 'looks you return absolutely regardless of error check. There are still some useful code after this point...',
    },
    messages: {
      returnsEarly:
        'This `return {{value}};` runs even when {{value}} reports success, so the code after it no longer runs on success. Return only on failure (`if ( {{value}} ) return {{value}};`).',
    },
    fixable: false,
    limitations: 'Compares the visible pre- and post-image; code the patch does not show is taken as unknown but the same on both sides.',
  },
  detect(ctx) {
    if (!ctx.pre) return [];
    const out = [];
    for (const r of descendants(ctx.post.node, 'return_statement')) {
      if (!ctx.isAdded(r) || isFinalReturn(r)) continue;
      const value = carriedResult(ctx, r);
      if (value && !isGuardedByItsValue(r, value)) out.push({ node: r, data: { value } });
    }
    return out;
  },
  check(candidate) {
    const value = candidate.data.value as string;
    return {
      messageId: 'returnsEarly',
      data: { value },
      question: { kind: 'success-path-change', at: candidate.node, change: 'returns-early' },
    };
  },
  cases: {
    flagged: [
      {
        name: 'the result is returned unconditionally where the old code went on',
        patch: `--- a/xen/arch/x86/baz.c
+++ b/xen/arch/x86/baz.c
@@ -40,7 +40,10 @@ static int baz_get(struct page_info *page, unsigned long type)
     if ( need_map(d) )
     {
         if ( type == WRITABLE )
-            baz_unmap(d, page);
+        {
+            rc = baz_unmap(d, page);
+            return rc;
+        }
     }
 
     page->count++;
`,
        expect: [
          { line: 45, messageId: 'returnsEarly', verdict: 'verified' },
        ],
      },
    ],
    clean: [
      {
        name: 'the old code returned right there too, so nothing is skipped',
        refuted: true,
        patch: `--- a/xen/arch/x86/baz.c
+++ b/xen/arch/x86/baz.c
@@ -40,9 +40,9 @@ static int baz_get(struct page_info *page, unsigned long type)
     if ( need_map(d) )
     {
         if ( type == WRITABLE )
         {
-            baz_unmap(d, page);
-            return 0;
+            rc = baz_unmap(d, page);
+            return rc;
         }
     }
 
`,
      },
      {
        name: 'the result is returned only when the call failed',
        patch: `--- a/xen/arch/x86/baz.c
+++ b/xen/arch/x86/baz.c
@@ -40,7 +40,11 @@ static int baz_get(struct page_info *page, unsigned long type)
     if ( need_map(d) )
     {
         if ( type == WRITABLE )
-            baz_unmap(d, page);
+        {
+            rc = baz_unmap(d, page);
+            if ( rc )
+                return rc;
+        }
     }
 
     page->count++;
`,
      },
    ],
  },
});
