import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { assignedCall, bodyStatements, callOfStatement, conditionOf, descendants, fold, squash, statementsOf } from '../../src/review/ast.ts';
import { calleeName, peel, testsValue } from '../../src/review/calls.ts';
import { SEED_THREAD } from './source.ts';

interface Site {
  fn: FunctionContext;
  call: SyntaxNode;
  cleanup: SyntaxNode;
}

const argsOf = (call: SyntaxNode): string[] =>
  (call.childForFieldName('arguments')?.namedChildren ?? []).map((a) => squash(a.text));

/** `if ( f(x, ...) ) { g(x); ... }` or `rc = f(x, ...); if ( rc ) { g(x); ... }` where g only takes f's arguments. */
function sitesIn(fn: FunctionContext): Site[] {
  const out: Site[] = [];
  for (const test of descendants(fn.post.node, 'if_statement')) {
    const cond = conditionOf(test);
    // The one call the condition tests, however it tests it: whether the cleanup runs on failure is the simulator's question.
    const calls = cond ? [...(cond.type === 'call_expression' ? [cond] : []), ...descendants(cond, 'call_expression')].filter((c) => peel(c)?.id === c.id) : [];
    let call: SyntaxNode | null = calls.length === 1 ? calls[0]! : null;
    if (!call) {
      const list = test.parent ? statementsOf(test.parent) : [];
      const prev = list[list.findIndex((s) => s.id === test.id) - 1];
      const assigned = prev ? assignedCall(prev) : null;
      if (assigned && testsValue(cond, assigned.variable)) call = assigned.call;
    }
    const first = bodyStatements(test.childForFieldName('consequence'))[0];
    const cleanup = first ? callOfStatement(first) : null;
    if (!call || !cleanup || !first) continue;
    const theirs = argsOf(call);
    const ours = argsOf(cleanup);
    if (ours.length === 0 || !ours.every((a) => theirs.includes(a))) continue;
    out.push({ fn, call, cleanup: first });
  }
  // The caller does the same cleanup outside its failure branches too (on success): the resource is the
  // caller's to release, not something the callee should do on failure.
  const branches = out.map((site) => site.cleanup.parent!);
  const inBranch = (n: SyntaxNode): boolean => branches.some((b) => n.startIndex >= b.startIndex && n.endIndex <= b.endIndex);
  const statements = [...descendants(fn.post.node, 'expression_statement')];
  return out.filter((site) => !statements.some((s) => squash(s.text) === squash(site.cleanup.text) && !inBranch(s)));
}

export default defineRule({
  scope: 'patch',
  meta: {
    id: 'cleanup-after-callee',
    pack: 'simplify',
    family: 'duplicated-cleanup',
    severity: 'info',
    summary: 'Every caller repeats the same cleanup after a callee fails: it belongs inside the callee.',
    source: {
      ...SEED_THREAD,
      quote: "if write_buffer needs be flushed for every iotlb flush error, shouldn't it be better handled within iommu_flush_... instead of duplicating in every caller?",
    },
    messages: {
      moveIntoCallee:
        '`{{cleanup}}` follows a failed {{callees}} in {{count}} places of this patch ({{functions}}). If it must happen whenever that call fails, do it once inside the callee instead of in every caller.',
    },
    fixable: false,
    limitations: 'Groups cleanups by their text and requires them to act only on the failed call\'s own arguments.',
  },
  detect(ctx) {
    const groups = new Map<string, Site[]>();
    for (const fn of ctx.functions) {
      for (const site of sitesIn(fn)) {
        const key = squash(site.cleanup.text);
        groups.set(key, [...(groups.get(key) ?? []), site]);
      }
    }
    const out = [];
    for (const sites of groups.values()) {
      const fns = [...new Set(sites.map((s) => s.fn))];
      if (fns.length < 2 || !sites.some((s) => s.fn.touchesAdded(s.cleanup.parent ?? s.cleanup))) continue;
      for (const fn of fns) {
        const mine = sites.filter((s) => s.fn === fn);
        out.push({ fn, candidate: { node: mine[0]!.cleanup, data: { mine, sites } } });
      }
    }
    return out;
  },
  check(candidate) {
    const { mine, sites } = candidate.data as { mine: Site[]; sites: Site[] };
    const site = mine[0]!;
    const callees = [...new Set(sites.map((s) => `${calleeName(s.call)}()`))];
    const functions = [...new Set(sites.map((s) => `${s.fn.fn.name}()`))];
    return {
      messageId: 'moveIntoCallee',
      data: {
        cleanup: fold(site.cleanup.text),
        callees: callees.join(' or '),
        count: String(sites.length),
        functions: functions.join(', '),
      },
      question: { kind: 'effect-on-failure', call: site.call, effect: site.cleanup },
    };
  },
  cases: {
    flagged: [
      {
        name: 'two functions flush the write buffer after a failed iotlb flush',
        patch: `--- a/xen/drivers/iotlb.c
+++ b/xen/drivers/iotlb.c
@@ -10,11 +10,23 @@
-static void flush_one(struct iommu *iommu, int did)
+static int flush_one(struct iommu *iommu, int did)
 {
-    if ( flush_iotlb(iommu, did) )
+    int rc = flush_iotlb(iommu, did);
+
+    if ( rc )
+    {
         flush_write_buffer(iommu);
+        return rc;
+    }
+    return 0;
 }
 
-static void flush_range(struct iommu *iommu, int did, u64 addr)
+static int flush_range(struct iommu *iommu, int did, u64 addr)
 {
-    if ( flush_iotlb_psi(iommu, did, addr) )
+    int rc = flush_iotlb_psi(iommu, did, addr);
+
+    if ( rc )
+    {
         flush_write_buffer(iommu);
+        return rc;
+    }
+    return 0;
 }
`,
        expect: [
          { line: 16, messageId: 'moveIntoCallee', verdict: 'verified' },
          { line: 28, messageId: 'moveIntoCallee', verdict: 'verified' },
        ],
      },
    ],
    clean: [
      {
        name: 'the callers free their own buffer on success too: the buffer is theirs, not the callee\'s',
        patch: `--- a/core/drivers/nvm.c
+++ b/core/drivers/nvm.c
@@ -10,13 +10,19 @@
 static int nvm_read_a(struct nvm *n, uint8_t *buf)
 {
-	nvm_read(n, buf);
+	if (nvm_read(n, buf)) {
+		free(buf);
+		return -1;
+	}
 	free(buf);
 	return 0;
 }
 
 static int nvm_read_b(struct nvm *n, uint8_t *buf)
 {
-	nvm_read(n, buf);
+	if (nvm_read(n, buf)) {
+		free(buf);
+		return -1;
+	}
 	free(buf);
 	return 0;
 }
`,
      },
      {
        name: 'the same call follows a successful flush, not a failed one',
        refuted: true,
        patch: `--- a/xen/drivers/iotlb.c
+++ b/xen/drivers/iotlb.c
@@ -10,11 +10,11 @@
 static void flush_one(struct iommu *iommu, int did)
 {
-    if ( flush_iotlb(iommu, did) == 1 )
+    if ( !flush_iotlb(iommu, did) )
         flush_write_buffer(iommu);
 }
 
 static void flush_range(struct iommu *iommu, int did, u64 addr)
 {
-    if ( flush_iotlb_psi(iommu, did, addr) == 1 )
+    if ( !flush_iotlb_psi(iommu, did, addr) )
         flush_write_buffer(iommu);
 }
`,
      },
      {
        name: 'one caller only',
        patch: `--- a/xen/drivers/iotlb.c
+++ b/xen/drivers/iotlb.c
@@ -10,5 +10,11 @@
-static void flush_one(struct iommu *iommu, int did)
+static int flush_one(struct iommu *iommu, int did)
 {
-    if ( flush_iotlb(iommu, did) )
+    int rc = flush_iotlb(iommu, did);
+
+    if ( rc )
+    {
         flush_write_buffer(iommu);
+        return rc;
+    }
+    return 0;
 }
`,
      },
    ],
  },
});
