import { defineRule } from '../../src/review/rule.ts';
import { descendants } from '../../src/review/ast.ts';
import { evidence, fragmentAssumptions } from '../../src/review/judge.ts';
import { SEED_THREAD } from './source.ts';

const NON_NEGATIVE = /^\(?\s*\d+[uUlL]*\s*\)?$/;

export default defineRule({
  scope: 'function',
  meta: {
    id: 'success-value-changed',
    pack: 'error-handling',
    family: 'success-path-change',
    severity: 'error',
    summary: 'A return value that meant something other than an error was changed, on a path where nothing failed.',
    source: {
      ...SEED_THREAD,
      quote: 'this looks problematic. originally 0/1 is used to indicate whether caller needs to flush cache. Here you return 0 then may break something...',
    },
    messages: {
      valueChanged:
        'This changes what the function returns when nothing failed ({{story}}). The old value was not an error: callers may read it (e.g. as "flush needed"). Keep it, and report errors with negative values only.',
    },
    fixable: false,
    limitations: 'Only non-negative constant returns whose value changed are considered; callers\' use of the value is not checked.',
  },
  detect(ctx) {
    if (!ctx.pre || ctx.pre.returnType === 'void') return [];
    return [...descendants(ctx.post.node, 'return_statement')]
      .filter((r) => ctx.isAdded(r) && NON_NEGATIVE.test(r.namedChild(0)?.text ?? ''))
      .map((node) => ({ node, data: {} }));
  },
  check(candidate, ctx) {
    const diff = ctx.sim.differential();
    const line = ctx.lineOf(candidate.node);
    const change = diff?.successPathChanges.find((c) => c.line === line && c.kind === 'return-value');
    if (!change) {
      return {
        verdict: diff?.status === 'inconclusive' ? 'inconclusive' : 'refuted',
        messageId: 'valueChanged',
        data: { story: diff?.reason ?? 'No success path returns a different value here.' },
        evidence: evidence(undefined, { story: diff?.reason ?? 'the success-path return values agree', assumptions: fragmentAssumptions(ctx) }),
      };
    }
    return {
      verdict: 'verified',
      messageId: 'valueChanged',
      data: { story: change.story.replace(/\.$/, '') },
      evidence: evidence(change, { assumptions: fragmentAssumptions(ctx) }),
    };
  },
  cases: {
    flagged: [
      {
        name: 'return 1 (flush needed) becomes return 0',
        patch: `--- a/xen/drivers/qux.c
+++ b/xen/drivers/qux.c
@@ -30,7 +30,7 @@ static int qux_flush(struct qux *q, int non_present)
     if ( non_present )
     {
         if ( !caching_mode(q) )
-            return 1;
+            return 0;
         else
             did = 0;
     }
`,
        expect: { snippet: 'return 0;', verdict: 'verified' },
      },
    ],
    clean: [
      {
        name: 'the same non-error value is returned after the new wait',
        refuted: true,
        patch: `--- a/xen/drivers/qux.c
+++ b/xen/drivers/qux.c
@@ -30,6 +30,7 @@ static int qux_flush(struct qux *q, int non_present)
     if ( non_present )
     {
-        return 1;
+        qux_drain(q);
+        return 1;
     }
     return 0;
 }
`,
      },
      {
        name: 'an error return replaces a success return only on failure',
        patch: `--- a/xen/drivers/qux.c
+++ b/xen/drivers/qux.c
@@ -30,6 +30,7 @@ static int qux_flush(struct qux *q, int non_present)
     if ( non_present )
     {
-        qux_wait(q);
+        if ( qux_wait(q) )
+            return -EIO;
         return 1;
     }
     return 0;
`,
      },
    ],
  },
});
