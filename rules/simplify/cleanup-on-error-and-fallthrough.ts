import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { calleeName, callOfStatement, continuationAfter, fold, squash } from '../../src/review/ast.ts';
import { indentAt, insertRowsAfter, removeRows, type Edit } from '../../src/review/edits.ts';
import { controlHead, styleFor } from '../../src/review/fix-check.ts';
import { isLogCall } from '../../src/sim/index.ts';
import { declarationOf, type CarriedResult } from './temporaries.ts';
import { SEED_THREAD } from './source.ts';

interface Shape {
  c: CarriedResult;
  /** The cleanup statements of the error exit (before its `return rc;`). */
  cleanup: SyntaxNode[];
  /** The same statements on the fall-through path. */
  again: SyntaxNode[];
  /** What runs after them on the fall-through path. */
  rest: SyntaxNode[];
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'cleanup-on-error-and-fallthrough',
    pack: 'simplify',
    family: 'duplicated-cleanup',
    severity: 'info',
    summary: 'The error exit repeats the cleanup that the fall-through path runs next: let the failure fall through and return it at the end.',
    source: { ...SEED_THREAD, quote: 'no need for immediate check above. you can return rc in the end.' },
    messages: {
      shareCleanup:
        'On failure of {{callee}}() this block repeats `{{cleanup}}`, which the code below runs anyway: drop the early exit and return {{variable}} after the shared cleanup.',
    },
    fixable: true,
    limitations: 'The cleanup must be the very next code on the fall-through path; the rewrite initialises the variable when its declaration is visible.',
  },
  detect(ctx) {
    const out = [];
    for (const test of [...ctx.post.node.descendantsOfType('if_statement')]) {
      if (test.childForFieldName('alternative') || !ctx.touchesAdded(test)) continue;
      const shape = matchShape(test);
      if (shape) out.push({ node: shape.c.assign, data: { shape } });
    }
    return out;
  },
  check(candidate, ctx) {
    const { c, cleanup, again, rest } = candidate.data.shape as Shape;
    const v = c.variable;
    const edits: Edit[] = [removeRows(ctx.post, c.test)];
    const first = rest[0];
    const style = styleFor(ctx.post, ctx.file);
    if (first?.type === 'return_statement' && fold(first.namedChild(0)?.text ?? '') === '0') {
      const value = first.namedChild(0)!;
      edits.push({ start: value.startIndex, end: value.endIndex, text: v });
    } else {
      const indent = indentAt(ctx.post, again[0]!);
      edits.push(insertRowsAfter(ctx.post, again[again.length - 1]!, [`${indent}${controlHead(style, 'if', v)}`, `${indent}${style.indent}return ${v};`]));
    }
    const decl = declarationOf(ctx, v);
    if (decl && !decl.init) edits.push({ start: decl.declarator.endIndex, end: decl.declarator.endIndex, text: ' = 0' });
    return {
      messageId: 'shareCleanup',
      data: { callee: calleeName(c.call), cleanup: cleanup.map((s) => fold(s.text)).join(' '), variable: v },
      question: {
        kind: 'equivalent-rewrite',
        edits,
        fix: `return ${v} after the shared cleanup`,
        proof: `with the early exit removed, ${ctx.fn.name}() makes the same calls and returns the same value on every path`,
      },
    };
  },
  cases: {
    flagged: [
      {
        name: 'the unmap on failure is the unmap that follows anyway',
        patch: `--- a/xen/drivers/pte.c
+++ b/xen/drivers/pte.c
@@ -10,10 +10,19 @@
-static void pte_clear(struct domain *d, u64 addr)
+static int pte_clear(struct domain *d, u64 addr)
 {
     struct pte *page = map_pte(d, addr);
+    int rc;
 
     clear_pte(page);
     if ( !dont_flush )
-        pte_flush(d, addr);
+    {
+        rc = pte_flush(d, addr);
+        if ( rc )
+        {
+            unmap_pte(page);
+            return rc;
+        }
+    }
 
     unmap_pte(page);
+    return 0;
 }
`,
        expect: [
          { line: 18, messageId: 'shareCleanup', verdict: 'verified', fix: `    int rc = 0;

    clear_pte(page);
    if ( !dont_flush )
    {
        rc = pte_flush(d, addr);
    }

    unmap_pte(page);
    return rc;` },
        ],
      },
    ],
    clean: [
      {
        name: 'rc still holds an earlier count when the flush is skipped, so return rc would change the result',
        refuted: true,
        patch: `--- a/xen/drivers/pte.c
+++ b/xen/drivers/pte.c
@@ -10,11 +10,19 @@
-static void pte_clear(struct domain *d, u64 addr)
+static int pte_clear(struct domain *d, u64 addr)
 {
     struct pte *page = map_pte(d, addr);
     int rc = pte_users(page);
 
     clear_pte(page, rc);
     if ( !dont_flush )
-        pte_flush(d, addr);
+    {
+        rc = pte_flush(d, addr);
+        if ( rc )
+        {
+            unmap_pte(page);
+            return rc;
+        }
+    }
 
     unmap_pte(page);
+    return 0;
 }
`,
      },
      {
        name: 'the fall-through path does something else first',
        patch: `--- a/xen/drivers/pte.c
+++ b/xen/drivers/pte.c
@@ -10,10 +10,20 @@
-static void pte_clear(struct domain *d, u64 addr)
+static int pte_clear(struct domain *d, u64 addr)
 {
     struct pte *page = map_pte(d, addr);
+    int rc;
 
     clear_pte(page);
     if ( !dont_flush )
-        pte_flush(d, addr);
+    {
+        rc = pte_flush(d, addr);
+        if ( rc )
+        {
+            unmap_pte(page);
+            return rc;
+        }
+    }
 
+    pte_count++;
     unmap_pte(page);
+    return 0;
 }
`,
      },
    ],
  },
});

/** `rc = f(); if ( rc ) { C1; ...; Ck; return rc; }` followed on the fall-through path by C1..Ck. */
function matchShape(test: SyntaxNode): Shape | null {
  const block = test.childForFieldName('consequence');
  if (!block || block.type !== 'compound_statement') return null;
  const body = block.namedChildren.filter((n) => n.type !== 'comment');
  const last = body[body.length - 1];
  const cond = test.childForFieldName('condition');
  const v = cond?.namedChild(0)?.type === 'identifier' ? cond.namedChild(0)!.text : null;
  if (!v || !last || last.type !== 'return_statement' || last.namedChild(0)?.text !== v) return null;
  const cleanup = body.slice(0, -1);
  if (cleanup.length === 0) return null;
  for (const s of cleanup) {
    const call = callOfStatement(s);
    if (!call || isLogCall(calleeName(call))) return null;
  }
  const parent = test.parent;
  if (!parent || parent.type !== 'compound_statement') return null;
  const siblings = parent.namedChildren.filter((n) => n.type !== 'comment');
  const prev = siblings[siblings.findIndex((s) => s.id === test.id) - 1];
  const assign = prev?.type === 'expression_statement' ? prev.namedChild(0) : null;
  if (!assign || assign.type !== 'assignment_expression' || assign.childForFieldName('left')?.text !== v) return null;
  const call = assign.childForFieldName('right');
  if (!call || call.type !== 'call_expression') return null;
  const after = continuationAfter(test);
  if (after.kind !== 'statements' || after.statements.length < cleanup.length) return null;
  const again = after.statements.slice(0, cleanup.length);
  if (!again.every((s, i) => squash(s.text) === squash(cleanup[i]!.text))) return null;
  return {
    c: { assign: prev!, call, variable: v, test, guarded: last },
    cleanup,
    again,
    rest: after.statements.slice(cleanup.length),
  };
}
