import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { descendants, errnoReturned, isMarkerStatement, mentions, statementsOf } from '../../src/review/ast.ts';
import { evidence, fragmentAssumptions } from '../../src/review/judge.ts';
import { SEED_THREAD } from './source.ts';

/** `return -EINVAL;`: an error exit, which other rules judge. */
const isErrorExit = (r: SyntaxNode): boolean => errnoReturned(r) !== null;

/** `if ( rc ) ... return rc;`: returning only when the value says failure is the right shape. */
function isGuardedByItsValue(r: SyntaxNode): boolean {
  const value = r.namedChild(0);
  if (!value) return false;
  for (let n: SyntaxNode | null = r.parent; n && n.type !== 'function_definition'; n = n.parent) {
    if (n.type === 'if_statement') {
      const cond = n.childForFieldName('condition');
      return !!cond && (value.type === 'identifier' ? mentions(cond, value.text) : cond.text.includes(value.text));
    }
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
        'This `return {{value}};` runs even when nothing failed, so the code after it no longer runs on success. Return only on failure (`if ( {{value}} ) return {{value}};`).',
    },
    fixable: false,
    limitations: 'Compares the visible pre- and post-image; code the patch does not show is taken as unknown but the same on both sides.',
  },
  detect(ctx) {
    if (!ctx.pre) return [];
    return [...descendants(ctx.post.node, 'return_statement')]
      .filter((r) => ctx.isAdded(r) && !isErrorExit(r) && !isGuardedByItsValue(r) && !isFinalReturn(r))
      .map((node) => ({ node, data: {} }));
  },
  check(candidate, ctx) {
    const diff = ctx.sim.differential();
    const line = ctx.lineOf(candidate.node);
    const change = diff?.successPathChanges.find((c) => c.line === line && c.kind === 'returns-early');
    const value = candidate.node.namedChild(0)?.text ?? 'rc';
    if (!change) {
      return {
        verdict: diff?.status === 'inconclusive' ? 'inconclusive' : 'refuted',
        messageId: 'returnsEarly',
        data: { story: diff?.reason ?? 'no path where every callee succeeds changes here.', value },
        evidence: evidence(undefined, { story: diff?.reason ?? 'with every callee succeeding, pre- and post-image agree at this return', assumptions: fragmentAssumptions(ctx) }),
      };
    }
    return {
      verdict: 'verified',
      messageId: 'returnsEarly',
      data: { story: change.story.endsWith('.') ? change.story : `${change.story}.`, value },
      evidence: evidence(change, { assumptions: fragmentAssumptions(ctx) }),
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
        expect: { snippet: 'return rc;', verdict: 'verified' },
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
