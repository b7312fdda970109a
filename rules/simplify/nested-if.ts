import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { bodyStatements, conditionOf, descendants, fold } from '../../src/review/ast.ts';
import { indentAt, reindent, rowsText } from '../../src/review/edits.ts';
import { controlHead, styleFor } from '../../src/review/fix-check.ts';
import { SEED_THREAD } from './source.ts';

/** Operators that bind looser than && and so need parentheses inside the combined condition. */
const LOOSER = new Set(['||', '?', '=', ',']);
const operand = (e: SyntaxNode): string => {
  const op = e.childForFieldName('operator')?.text;
  const loose = e.type === 'conditional_expression' || e.type === 'assignment_expression' || e.type === 'comma_expression' || (op && LOOSER.has(op));
  return loose ? `(${fold(e.text)})` : fold(e.text);
};

/** The combined if, written as the file writes ifs: spacing, brace placement, indentation. */
function combinedIf(ctx: FunctionContext, outer: SyntaxNode, inner: SyntaxNode, combined: string): string {
  const style = styleFor(ctx.post, ctx.file);
  const indent = indentAt(ctx.post, outer);
  const inside = indent + style.indent;
  const head = controlHead(style, 'if', combined);
  const body = inner.childForFieldName('consequence')!;
  const statements = bodyStatements(body);
  const first = statements[0]!;
  const last = statements[statements.length - 1]!;
  const rows = reindent(rowsText(ctx.post, first, last), indentAt(ctx.post, first), inside);
  if (body.type !== 'compound_statement') return [head, ...rows].join('\n');
  const ownLine = style.braceOnOwnLine ?? !/\)\s*\{\s*$/.test(ctx.lineText(outer));
  return ownLine ? [head, `${indent}{`, ...rows, `${indent}}`].join('\n') : [`${head} {`, ...rows, `${indent}}`].join('\n');
}

/** Only statements (no comments, no preprocessor lines) between the braces, which the rewrite would lose. */
const isPlain = (block: SyntaxNode | null): boolean =>
  !block || block.type !== 'compound_statement' || block.namedChildren.every((c) => c.type !== 'comment' && !c.type.startsWith('preproc'));

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
      combine: 'These two ifs can be one: `{{combined}}`.',
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
      if (!isPlain(outer.childForFieldName('consequence')) || !isPlain(only.childForFieldName('consequence'))) continue;
      if (bodyStatements(only.childForFieldName('consequence')).length === 0) continue;
      // The reviewer's case: the patch puts a new if inside an existing one. Two ifs the author wrote nested on
      // purpose (both new, or both old) are a style choice, not something this patch made worse.
      if (ctx.lineOf(outer) === 0 || ctx.isAdded(outer) || !ctx.isAdded(only)) continue;
      // ... and makes the nesting: the outer body gains its braces in this patch (it was one statement).
      const body = outer.childForFieldName('consequence')!;
      const braceAdded = (row: number): boolean => ctx.fn.addedLines.includes(ctx.post.lineMap[row] ?? 0);
      if (body.type === 'compound_statement' && !braceAdded(body.startPosition.row) && !braceAdded(body.endPosition.row)) continue;
      out.push({ node: only, data: { outer, inner: only } });
    }
    return out;
  },
  check(candidate, ctx) {
    const { outer, inner } = candidate.data as { outer: SyntaxNode; inner: SyntaxNode };
    const combined = `${operand(conditionOf(outer)!)} && ${operand(conditionOf(inner)!)}`;
    const edits = [{ start: outer.startIndex, end: outer.endIndex, text: combinedIf(ctx, outer, inner, combined) }];
    return {
      messageId: 'combine',
      data: { combined: controlHead(styleFor(ctx.post, ctx.file), 'if', combined) },
      question: {
        kind: 'equivalent-rewrite',
        edits,
        fix: 'combine the two conditions',
        proof: 'the combined condition evaluates the same calls in the same order and guards the same statement',
      },
    };
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
        expect: [
          { line: 22, messageId: 'combine', verdict: 'verified', fix: `    if ( !(op->flags & READONLY) && take_type(pg, WRITABLE) )
        goto fail;` },
        ],
      },
      {
        name: 'Linux style: tabs, if (x), a condition over two lines and the brace on the if line are kept',
        patch: `--- a/drivers/foo/bar.c
+++ b/drivers/foo/bar.c
@@ -10,5 +10,9 @@ static int bar_open(struct bar_dev *fd)
 \tif (fd->mode == BAR_MODE_FAST &&
-\t    fd->strict)
-\t\tbar_reset(fd);
+\t    fd->strict) {
+\t\tif (bar_busy(fd)) {
+\t\t\tbar_reset(fd);
+\t\t\treturn -EBUSY;
+\t\t}
+\t}
 
 \treturn 0;
`,
        expect: [{ line: 12, messageId: 'combine', verdict: 'verified', fix: '\tif (fd->mode == BAR_MODE_FAST && fd->strict && bar_busy(fd)) {\n\t\tbar_reset(fd);\n\t\treturn -EBUSY;\n\t}' }],
      },
    ],
    clean: [
      {
        name: 'a check added inside an if that already had its braces keeps the author\'s nesting',
        patch: `--- a/core/drivers/rng.c
+++ b/core/drivers/rng.c
@@ -20,5 +20,6 @@ static int rng_generate(struct rng *r)
 \tif (r->age >= r->life) {
-\t\trng_reseed(r);
+\t\tif (rng_reseed(r))
+\t\t\tgoto error;
 \t}
 
 \treturn 0;
`,
      },
      {
        name: 'two ifs the patch writes nested in new code are the author\'s choice',
        patch: `--- a/core/drivers/foo.c
+++ b/core/drivers/foo.c
@@ -20,3 +20,7 @@ static int foo_start(struct foo *f)
 	int res = 0;
 
+	if (f->mode == FOO_FAST) {
+		if (foo_ready(f))
+			res = foo_go(f);
+	}
 	return res;
`,
      },
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
