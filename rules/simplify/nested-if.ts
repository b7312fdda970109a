import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { bodyStatements, conditionOf, descendants, fold } from '../../src/review/ast.ts';
import { indentAt, indentStep, reindent, rowsText } from '../../src/review/edits.ts';
import { fragmentAssumptions, rewriteJudgement } from '../../src/review/judge.ts';
import { SEED_THREAD } from './source.ts';

/** Operators that bind looser than && and so need parentheses inside the combined condition. */
const LOOSER = new Set(['||', '?', '=', ',']);
const operand = (e: SyntaxNode): string => {
  const op = e.childForFieldName('operator')?.text;
  const loose = e.type === 'conditional_expression' || e.type === 'assignment_expression' || e.type === 'comma_expression' || (op && LOOSER.has(op));
  return loose ? `(${fold(e.text)})` : fold(e.text);
};

export default defineRule({
  scope: 'function',
  meta: {
    id: 'nested-if',
    pack: 'simplify',
    family: 'nested-if',
    severity: 'info',
    summary: 'An if whose only statement is another if, neither with an else: one condition reads better.',
    source: { ...SEED_THREAD, quote: 'combine two ifs together.' },
    messages: {
      combine: 'These two ifs can be one: `if ( {{combined}} )`.',
    },
    fixable: true,
    limitations: 'Only ifs without else; the combined condition keeps the evaluation order, which the simulator checks.',
    yieldsTo: ['unchecked-error'],
  },
  detect(ctx) {
    const out = [];
    for (const outer of descendants(ctx.post.node, 'if_statement')) {
      if (outer.childForFieldName('alternative')) continue;
      const inner = bodyStatements(outer.childForFieldName('consequence'));
      const only = inner.length === 1 ? inner[0]! : null;
      if (!only || only.type !== 'if_statement' || only.childForFieldName('alternative')) continue;
      if (!ctx.touchesAdded(outer) || ctx.lineOf(outer) === 0) continue;
      out.push({ node: only, data: { outer, inner: only } });
    }
    return out;
  },
  check(candidate, ctx) {
    const { outer, inner } = candidate.data as { outer: SyntaxNode; inner: SyntaxNode };
    const combined = `${operand(conditionOf(outer)!)} && ${operand(conditionOf(inner)!)}`;
    const body = inner.childForFieldName('consequence')!;
    const bodyIndent = indentAt(ctx.post, outer) + indentStep(ctx.post);
    const bodyRows = reindent(rowsText(ctx.post, body), indentAt(ctx.post, body), bodyIndent);
    const edits = [{ start: outer.startIndex, end: outer.endIndex, text: [`if ( ${combined} )`, ...bodyRows].join('\n') }];
    const answer = ctx.sim.equivalentRewrite(edits);
    const data = { combined };
    const assumptions = fragmentAssumptions(ctx);
    return rewriteJudgement(answer, {
      messageId: 'combine',
      data,
      proof: 'the combined condition evaluates the same calls in the same order and guards the same statement',
      assumptions,
      fix: { description: 'combine the two conditions', edits },
    });
  },
  cases: {
    flagged: [
      {
        name: 'a check added inside an if',
        patch: `--- a/xen/common/grant.c
+++ b/xen/common/grant.c
@@ -20,5 +20,8 @@ static int grant_map(struct grant *op, struct page *pg)
     if ( !(op->flags & READONLY) )
-        take_type(pg, WRITABLE);
+    {
+        if ( take_type(pg, WRITABLE) )
+            goto fail;
+    }
 
     op->status = OKAY;
     return 0;
`,
        expect: { snippet: 'if ( take_type(pg, WRITABLE) )', verdict: 'verified', fixContains: '!(op->flags & READONLY) && take_type(pg, WRITABLE)' },
      },
    ],
    clean: [
      {
        name: 'the outer if does more than the inner one',
        patch: `--- a/xen/common/grant.c
+++ b/xen/common/grant.c
@@ -20,5 +20,9 @@ static int grant_map(struct grant *op, struct page *pg)
     if ( !(op->flags & READONLY) )
-        take_type(pg, WRITABLE);
+    {
+        op->writes++;
+        if ( take_type(pg, WRITABLE) )
+            goto fail;
+    }
 
     op->status = OKAY;
     return 0;
`,
      },
    ],
  },
});
