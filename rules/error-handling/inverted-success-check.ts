import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { bodyStatements, calleeName, conditionOf, descendants, errnoReturned, fold } from '../../src/review/ast.ts';
import { evidence, fragmentAssumptions } from '../../src/review/judge.ts';
import { knownBooleanSuccess } from './known-boolean-success.ts';
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
        '{{callee}}() {{note}}, so `if ( {{call}} )` takes {{exit}} exactly when the call worked, and carries on when it failed. Test `!{{call}}` instead.',
    },
    fixable: false,
    limitations: 'Knows the success convention only of the APIs in the pack list (known-boolean-success.ts).',
  },
  detect(ctx) {
    const out = [];
    for (const ifs of descendants(ctx.post.node, 'if_statement')) {
      const cond = conditionOf(ifs);
      if (!cond || cond.type !== 'call_expression' || !ctx.touchesAdded(ifs)) continue;
      const api = knownBooleanSuccess.find((a) => a.name === calleeName(cond));
      const exit = errorExit(ifs.childForFieldName('consequence'));
      if (api && exit) out.push({ node: ifs, data: { call: cond, exit, note: api.note } });
    }
    return out;
  },
  check(candidate, ctx) {
    const { call, exit, note } = candidate.data as { call: SyntaxNode; exit: SyntaxNode; note: string };
    const answer = ctx.sim.reachedWhen(call, 'positive', exit);
    return {
      verdict: answer.verdict,
      messageId: 'inverted',
      data: { callee: calleeName(call), note, call: fold(call.text), exit: `\`${fold(exit.text)}\`` },
      evidence: evidence(answer.witness, {
        story: answer.reason ?? '',
        assumptions: fragmentAssumptions(ctx),
        reliedOn: [`${calleeName(call)}() ${note}`],
      }),
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
        expect: { snippet: 'if ( get_page_type(pg, PGT_writable_page) )', verdict: 'verified' },
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
    ],
  },
});
