import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { declaredNames, descendants, fold } from '../../src/review/ast.ts';
import { calleeName, fallibilityKey, peel } from '../../src/review/calls.ts';
import { reliedOn } from '../../src/review/judge.ts';
import { SEED_THREAD } from './source.ts';

/**
 * Unsigned types of at least int's rank: comparing an int with one of them converts the int to unsigned (C11
 * 6.3.1.8, the usual arithmetic conversions), and storing a negative int in one makes it huge. Narrower unsigned
 * types (unsigned char/short, uint8_t, uint16_t) are promoted to int and compare signed: not listed.
 */
const UNSIGNED_WIDE = /^(unsigned|unsigned int|unsigned long|unsigned long int|unsigned long long|size_t|uint32_t|uint64_t|uintptr_t|u32|u64|paddr_t|vaddr_t)$/;

/** The declared type (and declaration) of each parameter and local of the function (the last declaration of a name wins). */
function declaredTypes(fn: SyntaxNode): Map<string, { type: string; decl: SyntaxNode }> {
  const out = new Map<string, { type: string; decl: SyntaxNode }>();
  const plain = (t: string): string => fold(t.replace(/\b(const|volatile|static|register)\b/g, ''));
  for (const p of descendants(fn, 'parameter_declaration')) {
    const d = p.childForFieldName('declarator');
    if (d?.type === 'identifier') out.set(d.text, { type: plain(p.childForFieldName('type')?.text ?? ''), decl: p });
  }
  for (const decl of descendants(fn, 'declaration')) {
    const type = plain(decl.childForFieldName('type')?.text ?? '');
    for (const { name } of declaredNames(decl)) out.set(name, { type, decl });
  }
  return out;
}

/** The statement holding `node` (its expression statement or declaration). */
function statementOf(node: SyntaxNode): SyntaxNode {
  let n: SyntaxNode = node;
  while (n.parent && n.type !== 'expression_statement' && n.type !== 'declaration') n = n.parent;
  return n;
}

/** The last store of a call's result in `name` before `before` (`name = f(..)` or `T name = f(..)`), if that is what it holds. */
function lastCallStore(fn: SyntaxNode, name: string, before: SyntaxNode): { call: SyntaxNode; statement: SyntaxNode } | null {
  let last: SyntaxNode | null = null;
  let value: SyntaxNode | null = null;
  for (const a of descendants(fn, new Set(['assignment_expression', 'init_declarator', 'update_expression']))) {
    if (a.endIndex > before.startIndex) continue;
    const target = a.type === 'init_declarator' ? a.childForFieldName('declarator') : a.type === 'update_expression' ? a.childForFieldName('argument') : a.childForFieldName('left');
    if (target?.type !== 'identifier' || target.text !== name) continue;
    if (last && a.startIndex < last.startIndex) continue;
    last = a;
    value = a.type === 'update_expression' || (a.type === 'assignment_expression' && a.childForFieldName('operator')?.text !== '=') ? null : peel(a.childForFieldName(a.type === 'init_declarator' ? 'value' : 'right'));
  }
  return last && value?.type === 'call_expression' ? { call: value, statement: statementOf(last) } : null;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'negative-count-bound',
    pack: 'error-handling',
    family: 'unchecked-error',
    severity: 'warning',
    summary: 'A count that is a negative errno on failure bounds a loop against an unsigned value without being tested: the failure becomes a huge count.',
    source: {
      ...SEED_THREAD,
      quote: 'Looks error handling is not only a problem in VT-d code. Above actually should check return values of all suspend callbacks.',
    },
    messages: {
      hugeBound:
        '{{callee}}() returns a negative error when it fails, but {{function}}() uses {{bound}} as the bound of `{{loop}}` without testing it; compared with {{unsignedSide}} ({{type}}), a negative value becomes a huge count and the loop runs far past the real entries. Test {{bound}} < 0 first (keep {{bound}} signed).',
    },
    fixable: false,
    limitations:
      'Considers for and while loops (the patch adds the store, the loop or the unsigned declaration) whose whole condition compares an index with a variable (`i < n`, `i <= n`, `i != n`, `n > i`) where one of the two is declared unsigned of at least int\'s rank in the function (a signed comparison just skips the loop: not reported) and the variable last holds, before the loop, the result of a call known to return a negative errno on failure. The simulator must show a path reaching the loop with that result still allowed negative (a test `n < 0` or `n <= 0` before it refutes). A callee whose negative results the knowledge does not know is not considered; types hidden behind typedefs other than the listed ones are not read.',
  },
  detect(ctx) {
    const out = [];
    const types = declaredTypes(ctx.post.node);
    for (const loop of descendants(ctx.post.node, new Set(['for_statement', 'while_statement']))) {
      const cond = peel(loop.childForFieldName('condition'));
      if (cond?.type !== 'binary_expression') continue;
      const op = cond.childForFieldName('operator')?.text ?? '';
      const [l, r] = [peel(cond.childForFieldName('left')), peel(cond.childForFieldName('right'))];
      const [index, bound] = ['<', '<=', '!='].includes(op) ? [l, r] : ['>', '>='].includes(op) ? [r, l] : [null, null];
      if (index?.type !== 'identifier' || bound?.type !== 'identifier') continue;
      const [it, bt] = [types.get(index.text)?.type ?? '', types.get(bound.text)?.type ?? ''];
      const unsignedSide = UNSIGNED_WIDE.test(bt) ? bound.text : UNSIGNED_WIDE.test(it) ? index.text : null;
      if (!unsignedSide) continue;
      const store = lastCallStore(ctx.post.node, bound.text, loop);
      if (!store) continue;
      const key = fallibilityKey(store.call);
      const conv = ctx.fallibility.convention(key);
      // Negative failures only (`-EINVAL`, `-FDT_ERR_NOTFOUND`, `-1`), not named status codes.
      if (conv?.convention !== 'errno' || !(conv.failValues ?? []).some((v) => /^-\s*([A-Z][A-Z0-9_]*|\d+)$/.test(v))) continue;
      // The patch adds the store, the loop, or the declaration that makes the comparison unsigned.
      const declared = types.get(unsignedSide)?.decl;
      if (!ctx.isAdded(store.statement) && !ctx.isAdded(loop) && !(declared && ctx.isAdded(declared))) continue;
      out.push({ node: store.statement, data: { call: store.call, key, loop, cond, bound: bound.text, unsignedSide, type: unsignedSide === bound.text ? bt : it } });
    }
    return out;
  },
  check(candidate, ctx) {
    const { call, key, loop, cond, bound, unsignedSide, type } = candidate.data as { call: SyntaxNode; key: string; loop: SyntaxNode; cond: SyntaxNode; bound: string; unsignedSide: string; type: string };
    const head = fold(loop.text.split('\n')[0] ?? '');
    return {
      messageId: 'hugeBound',
      data: { callee: calleeName(call), function: ctx.fn.name, bound, loop: head.length > 60 ? `${head.slice(0, 57)}...` : head, unsignedSide, type },
      // The loop's test, reached with the result still allowed negative (the simulator compares signed: it cannot run the loop itself).
      question: { kind: 'reached-when', call, result: 'negative', target: cond },
      reliedOn: [...reliedOn(ctx, key, call), `${unsignedSide} is declared ${type} in ${ctx.fn.name}()`],
    };
  },
  cases: {
    flagged: [
      {
        name: 'an unsigned count holds a negative errno and bounds the loop',
        patch: `--- a/xen/arch/arm/bootinfo.c
+++ b/xen/arch/arm/bootinfo.c
@@ -40,4 +40,20 @@ static void __init print_banks(void)
     printk("\\n");
 }
 
+static int __init rsv_count(const void *blob)
+{
+    if ( blob_magic(blob) != BLOB_MAGIC )
+        return -EINVAL;
+    return blob_rsv_entries(blob);
+}
+
+static void __init print_reserved(const void *blob)
+{
+    unsigned int i, nr;
+
+    nr = rsv_count(blob);
+    for ( i = 0; i < nr; i++ )
+        print_rsv(blob, i);
+}
+
 void __init boot_info(const void *blob)
`,
        expect: [{ line: 54, messageId: 'hugeBound', verdict: 'verified' }],
      },
      {
        name: 'a signed count compared with an unsigned index (converted to unsigned) without a test',
        patch: `--- a/core/drivers/list_dev.c
+++ b/core/drivers/list_dev.c
@@ -20,4 +20,20 @@ static struct item *item_at(struct list *l, size_t i)
 	return l->items + i;
 }
 
+static int list_count(struct list *l)
+{
+	if (!l->ready)
+		return -EBUSY;
+	return l->nb;
+}
+
+static void list_reset(struct list *l)
+{
+	size_t i = 0;
+	int n = list_count(l);
+
+	for (i = 0; i < n; i++)
+		item_at(l, i)->state = 0;
+}
+
 DEFINE_LIST_DRIVER(list_dev);
`,
        expect: [{ line: 33, messageId: 'hugeBound', verdict: 'verified' }],
      },
      {
        name: 'the patch only makes the variables unsigned: the untested count in the loop test becomes huge on failure',
        patch: `--- a/xen/arch/arm/bootinfo.c
+++ b/xen/arch/arm/bootinfo.c
@@ -44,14 +44,14 @@ static int __init rsv_count(const void *blob)
 {
     if ( blob_magic(blob) != BLOB_MAGIC )
         return -EINVAL;
     return blob_rsv_entries(blob);
 }
 
 static void __init print_reserved(const void *blob)
 {
-    int i, nr;
+    unsigned int i, nr;
 
     nr = rsv_count(blob);
     for ( i = 0; i < nr; i++ )
         print_rsv(blob, i);
 }
`,
        expect: [{ line: 54, messageId: 'hugeBound', verdict: 'verified' }],
      },
    ],
    clean: [
      {
        name: 'near miss: the count is tested for a negative value before the loop',
        patch: `--- a/core/drivers/list_dev.c
+++ b/core/drivers/list_dev.c
@@ -20,4 +20,22 @@ static struct item *item_at(struct list *l, size_t i)
 	return l->items + i;
 }
 
+static int list_count(struct list *l)
+{
+	if (!l->ready)
+		return -EBUSY;
+	return l->nb;
+}
+
+static void list_reset(struct list *l)
+{
+	size_t i = 0;
+	int n = list_count(l);
+
+	if (n < 0)
+		return;
+	for (i = 0; i < n; i++)
+		item_at(l, i)->state = 0;
+}
+
 DEFINE_LIST_DRIVER(list_dev);
`,
        refuted: true,
      },
      {
        name: 'both sides signed: a negative count only skips the loop',
        patch: `--- a/xen/arch/arm/bootinfo.c
+++ b/xen/arch/arm/bootinfo.c
@@ -40,4 +40,20 @@ static void __init print_banks(void)
     printk("\\n");
 }
 
+static int __init rsv_count(const void *blob)
+{
+    if ( blob_magic(blob) != BLOB_MAGIC )
+        return -EINVAL;
+    return blob_rsv_entries(blob);
+}
+
+static void __init print_reserved(const void *blob)
+{
+    int i, nr;
+
+    nr = rsv_count(blob);
+    for ( i = 0; i < nr; i++ )
+        print_rsv(blob, i);
+}
+
 void __init boot_info(const void *blob)
`,
      },
    ],
  },
});
