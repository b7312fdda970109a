import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { callOfStatement, descendants, ifElseBlocks, isMarker, isMarkerStatement, squash, statementsOf } from '../../src/review/ast.ts';
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

/** `if {..} else if {..} ... else {..}`: every arm's block, when every arm is a block and the chain ends in an else. */
function chainArms(ifs: SyntaxNode): SyntaxNode[] | null {
  const arms: SyntaxNode[] = [];
  for (let n: SyntaxNode | undefined = ifs; n; ) {
    const then = n.childForFieldName('consequence');
    if (then?.type !== 'compound_statement') return null;
    arms.push(then);
    const alt = n.childForFieldName('alternative');
    if (!alt) return null;
    const block = alt.namedChildren.find((c) => c.type === 'compound_statement');
    if (block) return [...arms, block];
    n = alt.namedChildren.find((c) => c.type === 'if_statement');
  }
  return null;
}

function chainTop(ifs: SyntaxNode): SyntaxNode {
  let n = ifs;
  while (n.parent?.type === 'else_clause' && n.parent.parent?.type === 'if_statement') n = n.parent.parent;
  return n;
}

/** How many statements every arm ends with, the same in all of them (each arm keeps one of its own). */
function commonTail(arms: SyntaxNode[]): number {
  if (arms.length < 2) return 0;
  const bodies = arms.map((b) => split(b).body);
  let k = 0;
  while (
    bodies.every((b) => k < b.length - 1) &&
    bodies.every((b) => squash(b[b.length - 1 - k]!.text) === squash(bodies[0]![bodies[0]!.length - 1 - k]!.text))
  ) k++;
  return k;
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
      hoistChain: 'Every arm of this if/else-if chain ends with the same `{{first}}`{{more}}: it can be written once after the chain.',
    },
    fixable: true,
    limitations: 'Compares statements by text; when the patch stops inside a branch the rest of it is unknown and the verdict says what it assumed.',
  },
  detect(ctx) {
    const out = [];
    for (const ifs of descendants(ctx.post.node, 'if_statement')) {
      if (!ctx.touchesAdded(ifs)) continue;
      // An if inside an else-if chain whose every arm ends the same way is reported once, at the chain's top.
      const top = chainTop(ifs);
      if (top !== ifs && commonTail(chainArms(top) ?? []) > 0) continue;
      const chain = chainArms(ifs);
      const arms = chain && chain.length > 2 && commonTail(chain) > 0 ? chain : ifElseBlocks(ifs);
      if (!arms) continue;
      const k = commonTail(arms);
      if (k === 0) continue;
      const a = split(arms[0]!).body;
      const cleanup = firstCleanupCall(a.slice(a.length - k));
      if (!cleanup) continue;
      out.push({ node: cleanup, data: { ifs, arms, k } });
    }
    return out;
  },
  check(candidate, ctx) {
    const { ifs, arms, k } = candidate.data as { ifs: SyntaxNode; arms: SyntaxNode[]; k: number };
    const parts = arms.map((arm) => split(arm));
    const tails = parts.map((p) => p.body.slice(p.body.length - k));
    const sa = tails[0]!;
    const sb = tails[tails.length - 1]!;
    const moved = reindent(rowsText(ctx.post, sa[0]!, sa[sa.length - 1]!), indentAt(ctx.post, sa[0]!), indentAt(ctx.post, ifs));
    const edits: Edit[] = [
      ...tails.map((t) => removeRows(ctx.post, t[0]!, t[t.length - 1]!)),
      insertRowsAfter(ctx.post, ifs, moved),
    ];
    // When the patch stops inside a branch, the proof holds only if the branch ends there.
    const cut = parts.flatMap((p) => p.trailingGaps);
    return {
      messageId: arms.length > 2 ? 'hoistChain' : 'hoist',
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
      {
        name: 'every arm of an else-if chain ends with the same unlock',
        patch: `--- a/xen/drivers/quux.c
+++ b/xen/drivers/quux.c
@@ -10,6 +10,20 @@
 static void quux_set_mode(struct quux *q, unsigned int mode)
 {
-    quux_write(q, mode);
+    if ( mode == 0 )
+    {
+        quux_write(q, 0);
+        spin_unlock(&q->lock);
+    }
+    else if ( mode == 1 )
+    {
+        quux_write(q, 1);
+        spin_unlock(&q->lock);
+    }
+    else
+    {
+        quux_reset(q);
+        spin_unlock(&q->lock);
+    }
 }
 
 static void quux_helper(void)
`,
        expect: [
          { line: 15, messageId: 'hoistChain', verdict: 'verified', fix: `    }
    else if ( mode == 1 )
    {
        quux_write(q, 1);
    }
    else
    {
        quux_reset(q);
    }
    spin_unlock(&q->lock);
}` },
        ],
      },
    ],
    clean: [
      {
        name: 'every arm of an else-if chain ends with the same call, on a variable each arm declares for itself',
        refuted: true,
        patch: `--- a/xen/drivers/quux.c
+++ b/xen/drivers/quux.c
@@ -10,6 +10,23 @@
 static void quux_set_mode(struct quux *q, unsigned int mode)
 {
-    quux_write(q, mode);
+    if ( mode == 0 )
+    {
+        int v = quux_low(q);
+        quux_write(q, v);
+        quux_report(q, v);
+    }
+    else if ( mode == 1 )
+    {
+        int v = quux_high(q);
+        quux_write(q, v);
+        quux_report(q, v);
+    }
+    else
+    {
+        int v = quux_mid(q);
+        quux_reset(q);
+        quux_report(q, v);
+    }
 }
 
 static void quux_helper(void)
`,
      },
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
