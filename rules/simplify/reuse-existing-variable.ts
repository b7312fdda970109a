import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { declaredNames, descendants, fold } from '../../src/review/ast.ts';
import { removeRows, type Edit } from '../../src/review/edits.ts';
import { isIntegerType, STATUS_VARIABLE_NAMES } from '../../src/review/api-data.ts';
import { SEED_THREAD } from './source.ts';


interface Local {
  name: string;
  decl: SyntaxNode;
  declarator: SyntaxNode;
  type: string;
  siblings: number;
}

function locals(root: SyntaxNode): Local[] {
  const out: Local[] = [];
  for (const decl of descendants(root, 'declaration')) {
    const type = fold(decl.childForFieldName('type')?.text ?? '');
    const names = declaredNames(decl);
    for (const d of names) out.push({ name: d.name, decl, declarator: d.declarator, type, siblings: names.length });
  }
  return out;
}

/** Removes one declarator from its declaration (`int rc = 0, ret = 0;` -> `int rc = 0;`). */
function removeDeclarator(source: string, v: Local, image: Parameters<typeof removeRows>[0]): Edit {
  if (v.siblings === 1) return removeRows(image, v.decl);
  const before = source.lastIndexOf(',', v.declarator.startIndex);
  if (before > v.decl.startIndex) return { start: before, end: v.declarator.endIndex, text: '' };
  const after = source.indexOf(',', v.declarator.endIndex);
  const next = /\S/.exec(source.slice(after + 1))!;
  return { start: v.declarator.startIndex, end: after + 1 + next.index, text: '' };
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'reuse-existing-variable',
    pack: 'simplify',
    family: 'redundant-temporary',
    severity: 'info',
    summary: 'The patch adds a variable where an existing one could serve, when that is proven safe.',
    source: { ...SEED_THREAD, quote: 'you can reuse \'rc\' here.' },
    messages: {
      reuse: 'The new variable {{variable}} is not needed: {{existing}} can carry the same results without changing behaviour.',
    },
    fixable: true,
    limitations:
      'Reuse is proposed only when the simulator proves it changes nothing; a reviewer\'s "reuse rc" that would overwrite an error still held in rc is refuted with the counterexample.',
  },
  detect(ctx) {
    const all = locals(ctx.post.node);
    const before = new Set(ctx.pre ? locals(ctx.pre.node).map((l) => l.name) : []);
    const isNew = (l: Local): boolean => ctx.isAdded(l.declarator) && !before.has(l.name);
    const out = [];
    for (const v of all) {
      if (!isNew(v) || !isIntegerType(v.type)) continue;
      const uses = [...descendants(ctx.post.node, 'identifier')].filter((id) => id.text === v.name);
      if (uses.some((id) => !ctx.isAdded(id))) continue;
      // Only a status variable the function already had is a candidate to carry the new results.
      const existing = all
        .filter((w) => w.name !== v.name && !isNew(w) && isIntegerType(w.type) && STATUS_VARIABLE_NAMES.includes(w.name))
        .sort((a, b) => rankName(a.name) - rankName(b.name))[0];
      if (existing) out.push({ node: v.declarator, data: { v, existing } });
    }
    return out;
  },
  check(candidate, ctx) {
    const v = candidate.data.v as Local;
    const existing = candidate.data.existing as Local;
    const edits: Edit[] = [removeDeclarator(ctx.post.source, v, ctx.post)];
    for (const id of descendants(ctx.post.node, 'identifier')) {
      if (id.text === v.name && !(id.startIndex >= v.decl.startIndex && id.endIndex <= v.decl.endIndex)) {
        edits.push({ start: id.startIndex, end: id.endIndex, text: existing.name });
      }
    }
    return {
      messageId: 'reuse',
      data: { variable: v.name, existing: existing.name },
      question: {
        kind: 'equivalent-rewrite',
        edits,
        fix: `reuse ${existing.name} instead of ${v.name}`,
        proof: `${existing.name} holds nothing that is still needed where ${v.name} is used`,
      },
    };
  },
  cases: {
    flagged: [
      {
        name: 'a second status variable whose value is never needed alongside the first',
        patch: `--- a/xen/common/flag.c
+++ b/xen/common/flag.c
@@ -5,10 +5,14 @@
 static int flag_sync(struct domain *d)
 {
     int rc;
+    int ret;
 
     rc = flag_prepare(d);
     if ( rc )
         return rc;
-    flag_flush(d);
+    ret = flag_flush(d);
+    if ( ret )
+        return ret;
+
     return 0;
 }
`,
        expect: [
          { line: 8, messageId: 'reuse', verdict: 'verified', fix: `    rc = flag_prepare(d);
    if ( rc )
        return rc;
    rc = flag_flush(d);
    if ( rc )
        return rc;` },
        ],
      },
    ],
    clean: [
      {
        name: 'reusing rc would overwrite the error it still holds',
        patch: `--- a/xen/common/flag.c
+++ b/xen/common/flag.c
@@ -5,13 +5,19 @@
 static int flag_add(struct domain *d, unsigned long n)
 {
-    int rc = 0;
+    int rc = 0, ret = 0;
     unsigned long i = n;
 
     rc = flag_map(d, n);
     if ( rc != 0 )
     {
         while ( i-- > 0 )
-            flag_unmap(d, i);
+        {
+            ret = flag_unmap(d, i);
+            if ( ret )
+                break;
+        }
+        if ( ret )
+            rc = ret;
     }
     return rc;
 }
`,
      },
    ],
  },
});

function rankName(name: string): number {
  const i = STATUS_VARIABLE_NAMES.indexOf(name);
  return i < 0 ? STATUS_VARIABLE_NAMES.length : i;
}
