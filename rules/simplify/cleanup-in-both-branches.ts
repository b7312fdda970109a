import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { callOfStatement, descendants, isMarker, isMarkerStatement, squash, statementsOf } from '../../src/review/ast.ts';
import { indentAt, insertRowsAfter, reindent, removeRows, rowsText, type Edit } from '../../src/review/edits.ts';
import { SEED_THREAD } from './source.ts';

/** A branch's statements, and the unseen-code markers that end it (the patch stops inside it). */
function split(block: SyntaxNode): { body: SyntaxNode[]; trailingGaps: SyntaxNode[] } {
  const list = statementsOf(block);
  let end = list.length;
  while (end > 0 && isMarkerStatement(list[end - 1]!)) end--;
  return { body: list.slice(0, end), trailingGaps: list.slice(end) };
}

function firstCleanupCall(stmts: SyntaxNode[]): SyntaxNode | undefined {
  for (const s of stmts) {
    if (callOfStatement(s)) return s;
    for (const e of descendants(s, 'expression_statement')) if (callOfStatement(e) && !isMarker(callOfStatement(e)!)) return e;
  }
  return undefined;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'cleanup-in-both-branches',
    pack: 'simplify',
    family: 'duplicated-cleanup',
    severity: 'info',
    summary: 'Both branches of an if/else end with the same statements: write them once after the if.',
    source: { ...SEED_THREAD, quote: 'iommu_flush_write_buffer can be combined to one for above two branches.' },
    messages: {
      hoist: 'Both branches end with the same `{{first}}`{{more}}: it can be written once after the if/else.',
    },
    fixable: true,
    limitations: 'Compares statements by text; when the patch stops inside a branch the rest of it is unknown and the verdict says what it assumed.',
  },
  detect(ctx) {
    const out = [];
    for (const ifs of descendants(ctx.post.node, 'if_statement')) {
      const then = ifs.childForFieldName('consequence');
      const alt = ifs.childForFieldName('alternative');
      const elseBlock = alt?.namedChildren.find((c) => c.type === 'compound_statement');
      if (!then || then.type !== 'compound_statement' || !elseBlock || !ctx.touchesAdded(ifs)) continue;
      const a = split(then).body;
      const b = split(elseBlock).body;
      let k = 0;
      while (k < a.length - 1 && k < b.length - 1 && squash(a[a.length - 1 - k]!.text) === squash(b[b.length - 1 - k]!.text)) k++;
      if (k === 0) continue;
      const suffix = a.slice(a.length - k);
      const cleanup = firstCleanupCall(suffix);
      if (!cleanup) continue;
      out.push({ node: cleanup, data: { ifs, then, elseBlock, k } });
    }
    return out;
  },
  check(candidate, ctx) {
    const { ifs, then, elseBlock, k } = candidate.data as { ifs: SyntaxNode; then: SyntaxNode; elseBlock: SyntaxNode; k: number };
    const a = split(then);
    const b = split(elseBlock);
    const sa = a.body.slice(a.body.length - k);
    const sb = b.body.slice(b.body.length - k);
    const moved = reindent(rowsText(ctx.post, sa[0]!, sa[sa.length - 1]!), indentAt(ctx.post, sa[0]!), indentAt(ctx.post, ifs));
    const edits: Edit[] = [
      removeRows(ctx.post, sa[0]!, sa[sa.length - 1]!),
      removeRows(ctx.post, sb[0]!, sb[sb.length - 1]!),
      insertRowsAfter(ctx.post, ifs, moved),
    ];
    // When the patch stops inside a branch, the proof holds only if the branch ends there.
    const cut = [...a.trailingGaps, ...b.trailingGaps];
    return {
      messageId: 'hoist',
      data: { first: candidate.node.text.trim(), more: k > 1 || sa.length > 1 ? ' and what follows it' : '' },
      question: {
        kind: 'equivalent-rewrite',
        edits,
        fix: 'write the common statements once after the if/else',
        proof: 'the hoisted statements run on the same paths, in the same order, with the same results',
        ...(cut.length > 0
          ? { assume: { edits: cut.map((g) => removeRows(ctx.post, g)), statement: `assumes each branch ends where the patch stops showing it (after line ${ctx.lineOf(sb[sb.length - 1]!)})` } }
          : {}),
      },
    };
  },
  cases: {
    flagged: [
      {
        name: 'the same flush on failure in both branches',
        patch: `--- a/xen/drivers/tlb.c
+++ b/xen/drivers/tlb.c
@@ -10,13 +10,24 @@
 static int tlb_flush(struct iommu *iommu, unsigned long gfn, unsigned int count)
 {
+    int rc;
+
     if ( count > 1 )
     {
-        if ( flush_all(iommu) )
+        rc = flush_all(iommu);
+        if ( rc )
+        {
             write_buffer_flush(iommu);
+            return rc;
+        }
     }
     else
     {
-        if ( flush_one(iommu, gfn) )
+        rc = flush_one(iommu, gfn);
+        if ( rc )
+        {
             write_buffer_flush(iommu);
+            return rc;
+        }
     }
+    return 0;
 }
`,
        expect: [
          { line: 19, messageId: 'hoist', verdict: 'verified', fix: `    }
    else
    {
        rc = flush_one(iommu, gfn);
    }
    if ( rc )
    {
        write_buffer_flush(iommu);
        return rc;
    }
    return 0;` },
        ],
      },
    ],
    clean: [
      {
        name: 'the common statement reads a variable each branch declares for itself',
        refuted: true,
        patch: `--- a/xen/drivers/tlb.c
+++ b/xen/drivers/tlb.c
@@ -10,13 +10,15 @@
 static void tlb_flush(struct iommu *iommu, unsigned long gfn, unsigned int count)
 {
     if ( count > 1 )
     {
         int did = all_domains(iommu);
         flush_all(iommu, did);
+        report_flush(iommu, did);
     }
     else
     {
         int did = one_domain(iommu, gfn);
         flush_one(iommu, did, gfn);
+        report_flush(iommu, did);
     }
 }
`,
      },
      {
        name: 'the branches clean up different things',
        patch: `--- a/xen/drivers/tlb.c
+++ b/xen/drivers/tlb.c
@@ -10,13 +10,24 @@
 static int tlb_flush(struct iommu *iommu, unsigned long gfn, unsigned int count)
 {
+    int rc;
+
     if ( count > 1 )
     {
-        if ( flush_all(iommu) )
+        rc = flush_all(iommu);
+        if ( rc )
+        {
             write_buffer_flush(iommu);
+            return rc;
+        }
     }
     else
     {
-        if ( flush_one(iommu, gfn) )
+        rc = flush_one(iommu, gfn);
+        if ( rc )
+        {
             queue_flush(iommu);
+            return rc;
+        }
     }
+    return 0;
 }
`,
      },
    ],
  },
});
