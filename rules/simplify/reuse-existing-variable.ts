import { defineRule, type Report } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { declaredNames, descendants, fold } from '../../src/review/ast.ts';
import { removeRows, type Edit } from '../../src/review/edits.ts';
import { isIntegerType, STATUS_VARIABLE_NAMES } from '../../src/review/api-data.ts';
import { calleeName } from '../../src/review/calls.ts';
import { isLogCall } from '../../src/sim/index.ts';
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

/** Signed integer types by conversion rank (C11 6.3.1.1; Xen's s8..s64 and the fixed-width types with them). */
const SIGNED_RANK: Record<string, number> = {
  'signed char': 1, int8_t: 1, s8: 1, short: 2, 'short int': 2, 'signed short': 2, int16_t: 2, s16: 2,
  int: 3, signed: 3, 'signed int': 3, int32_t: 3, s32: 3, long: 4, 'long int': 4, 'signed long': 4, ssize_t: 4,
  'long long': 5, 'long long int': 5, 'signed long long': 5, int64_t: 5, s64: 5,
};

/** Whether a variable of type `wide` holds every value of type `narrow`: the same type, or a signed one of no lower rank. */
function holdsEvery(wide: string, narrow: string): boolean {
  if (wide === narrow) return true;
  const w = SIGNED_RANK[wide];
  const n = SIGNED_RANK[narrow];
  return w !== undefined && n !== undefined && w >= n;
}

/** Removes one declarator from its declaration (`int rc = 0, ret = 0;` -> `int rc = 0;`). */
/**
 * Every read of the variable is an argument of a log call (`if ( rel ) printk(.., rel);` reads it in the test and the
 * print): a secondary status the author only prints, kept apart from the function's result on purpose, so that it
 * never becomes what the function returns.
 */
function onlyPrinted(uses: SyntaxNode[]): boolean {
  const reads = uses.filter((id) => {
    const p = id.parent;
    if (p?.type === 'assignment_expression' && p.childForFieldName('left')?.id === id.id) return false;
    return !(p?.type === 'init_declarator' || p?.type === 'declaration');
  });
  const printed = (id: SyntaxNode): boolean => {
    for (let n = id.parent; n && n.type !== 'expression_statement' && n.type !== 'compound_statement'; n = n.parent) {
      if (n.type === 'call_expression' && isLogCall(calleeName(n))) return true;
    }
    return false;
  };
  const tested = (id: SyntaxNode): boolean => id.parent?.type === 'parenthesized_expression' && id.parent.parent?.type === 'if_statement';
  return reads.some(printed) && reads.every((id) => printed(id) || tested(id));
}

/**
 * The variable holds a quantity, not a status: it is an operand of arithmetic, an index, or compared with anything
 * but 0 (`size < (int)sizeof(u32)`, `total = size / 4`). A status variable (rc, ret) carrying it would read as an
 * error code; the author's name says what it is.
 */
function usedAsQuantity(uses: SyntaxNode[]): boolean {
  return uses.some((id) => {
    let n = id;
    while (n.parent && (n.parent.type === 'parenthesized_expression' || n.parent.type === 'cast_expression')) n = n.parent;
    const p = n.parent;
    if (p?.type === 'subscript_expression' && p.childForFieldName('index')?.id === n.id) return true;
    if (p?.type !== 'binary_expression') return false;
    const op = p.childForFieldName('operator')?.text ?? '';
    if (['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^'].includes(op)) return true;
    const other = p.childForFieldName('left')?.id === n.id ? p.childForFieldName('right') : p.childForFieldName('left');
    return ['<', '>', '<=', '>='].includes(op) && fold(other?.text ?? '') !== '0';
  });
}

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
      shadow:
        'This block declares its own {{type}} {{variable}}, hiding the function\'s {{variable}} (line {{line}}): the function\'s {{variable}} can be used here without changing behaviour, and one name then means one variable.',
    },
    fixable: true,
    limitations:
      'Reuse is proposed only for an existing status variable whose type holds every value of the new one (the same type, or a signed integer type of no lower rank: `long rc` for an `int ret`), and only when the simulator proves it changes nothing (a comparison that does not finish drops the suggestion); a reviewer\'s "reuse rc" that would overwrite an error still held in rc is refuted with the counterexample. When code the patch does not show follows the variable\'s last use, the verdict is at most inconclusive (that code may read the existing variable).',
  },
  detect(ctx) {
    const all = locals(ctx.post.node);
    const before = new Set(ctx.pre ? locals(ctx.pre.node).map((l) => l.name) : []);
    const isNew = (l: Local): boolean => ctx.isAdded(l.declarator) && !before.has(l.name);
    const out = [];
    for (const v of all) {
      if (!isNew(v) || !isIntegerType(v.type)) continue;
      const uses = [...descendants(ctx.post.node, 'identifier')].filter((id) => id.text === v.name);
      if (uses.some((id) => !ctx.isAdded(id)) || onlyPrinted(uses) || usedAsQuantity(uses)) continue;
      // Only a status variable the function already had is a candidate to carry the new results, and only one whose
      // type holds every value of the new one: another type would convert them (an `unsigned int order` is no `int rc`).
      const existing = all
        .filter((w) => w.name !== v.name && !isNew(w) && holdsEvery(w.type, v.type) && STATUS_VARIABLE_NAMES.includes(w.name))
        .sort((a, b) => rankName(a.name) - rankName(b.name))[0];
      if (existing) out.push({ node: v.declarator, data: { v, existing } });
    }
    // A block-scope declaration the patch adds that hides a variable of the same name and type the function already
    // has in an enclosing scope: the outer one can serve, if the simulator proves it.
    const declaredIn = (l: Local[], name: string): number => l.filter((x) => x.name === name).length;
    const pre = ctx.pre ? locals(ctx.pre.node) : [];
    const body = ctx.post.node.childForFieldName('body');
    for (const v of all) {
      if (!ctx.isAdded(v.declarator) || v.siblings !== 1) continue;
      // A new declaration of the name (not one the patch only moves), hiding one at the top of the function's body:
      // in a fragment, only the function's own first block is known to enclose what follows.
      if (declaredIn(all, v.name) <= declaredIn(pre, v.name) || ctx.post.startsInside) continue;
      const outer = outerNamesake(v, all.filter((w) => w.decl.parent?.id === body?.id));
      if (outer) out.push({ node: v.declarator, data: { v, existing: outer, shadow: true } });
    }
    return out;
  },
  check(candidate, ctx): Report {
    const v = candidate.data.v as Local;
    const existing = candidate.data.existing as Local;
    if (candidate.data.shadow) {
      const init = v.declarator.type === 'init_declarator' ? v.declarator.childForFieldName('value') : null;
      const edits: Edit[] = [init ? { start: v.decl.startIndex, end: v.decl.endIndex, text: `${v.name} = ${init.text};` } : removeRows(ctx.post, v.decl)];
      const last = ctx.post.gaps.length > 0 ? ctx.post.gaps[ctx.post.gaps.length - 1]!.afterLine : 0;
      return {
        messageId: 'shadow',
        data: { variable: v.name, type: v.type, line: String(ctx.lineOf(existing.decl)) },
        question: {
          kind: 'equivalent-rewrite',
          edits,
          fix: `use the function's own ${v.name}`,
          proof: `the outer ${v.name} holds nothing still needed while the block uses it`,
          proofRequired: true,
          // Unseen code after the declaration may read the function's variable the rewrite now writes: never better
          // than inconclusive then, whatever the comparison of the visible paths says.
          ...(last > ctx.lineOf(v.decl)
            ? {
                assume: { edits: [], statement: `assumes the function's ${v.name} is not read after line ${last}, which the patch does not show, before it is set again` },
                unlessRead: { variables: [v.name], messageId: 'shadow', statement: `assumes the function's ${v.name} is not read after line ${last}, which the patch does not show, before it is set again` },
              }
            : {}),
        },
      };
    }
    const edits: Edit[] = [removeDeclarator(ctx.post.source, v, ctx.post)];
    const uses = [...descendants(ctx.post.node, 'identifier')].filter((id) => id.text === v.name).map((id) => ctx.lineOf(id));
    const lastUse = Math.max(0, ...uses);
    const unseenAfter = Math.max(0, ...ctx.post.gaps.map((g) => g.afterLine));
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
        // A style suggestion on a variable the author chose stands only on a proof: a comparison that does not
        // finish drops it (a loop's increment may read the variable after the body, as the proof would have shown).
        proofRequired: true,
        // Unseen code after the variable's last use may read what the rewrite now leaves in the existing variable:
        // never better than inconclusive then, whatever the visible paths say.
        ...(unseenAfter > lastUse
          ? { assume: { edits: [], statement: `assumes ${existing.name} is not read after line ${unseenAfter}, which the patch does not show, before it is set again` } }
          : {}),
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
      {
        name: 'a block declares its own rc, hiding the function\'s rc',
        patch: `--- a/xen/common/flag.c
+++ b/xen/common/flag.c
@@ -5,13 +5,16 @@
 static int flag_sync(struct domain *d, unsigned int n)
 {
     int rc;
 
     if ( n > 1 )
     {
-        flag_flush_all(d);
+        int rc = flag_flush_all(d);
+
+        if ( rc )
+            return rc;
     }
     rc = flag_prepare(d);
     if ( rc )
         return rc;
     return 0;
 }
`,
        expect: [
          { line: 11, messageId: 'shadow', verdict: 'verified', fix: `        rc = flag_flush_all(d);` },
        ],
      },
    ],
    clean: [
      {
        name: 'near miss: too many paths to compare: without a proof the suggestion is dropped, never left inconclusive',
        refuted: true,
        patch: `--- a/xen/common/flag.c
+++ b/xen/common/flag.c
@@ -5,10 +5,38 @@
 static int flag_sync(struct domain *d)
 {
     int rc;
+    int ret;
 
     rc = flag_prepare(d);
     if ( rc )
         return rc;
-    flag_flush(d);
+    if ( flag_test(d, 0) )
+        flag_note(d, 0);
+    if ( flag_test(d, 1) )
+        flag_note(d, 1);
+    if ( flag_test(d, 2) )
+        flag_note(d, 2);
+    if ( flag_test(d, 3) )
+        flag_note(d, 3);
+    if ( flag_test(d, 4) )
+        flag_note(d, 4);
+    if ( flag_test(d, 5) )
+        flag_note(d, 5);
+    if ( flag_test(d, 6) )
+        flag_note(d, 6);
+    if ( flag_test(d, 7) )
+        flag_note(d, 7);
+    if ( flag_test(d, 8) )
+        flag_note(d, 8);
+    if ( flag_test(d, 9) )
+        flag_note(d, 9);
+    if ( flag_test(d, 10) )
+        flag_note(d, 10);
+    if ( flag_test(d, 11) )
+        flag_note(d, 11);
+    ret = flag_flush(d);
+    if ( ret )
+        return ret;
+
     return 0;
 }
`,
      },
      {
        name: 'near miss: the new variable has another type than the status: reusing it would convert the values',
        patch: `--- a/xen/common/flag.c
+++ b/xen/common/flag.c
@@ -5,10 +5,13 @@
 static int flag_sync(struct domain *d)
 {
     int rc;
+    unsigned int order;
 
     rc = flag_prepare(d);
     if ( rc )
         return rc;
-    flag_flush(d);
+    order = flag_order(d);
+    flag_flush(d, 1UL << order);
+
     return 0;
 }
`,
      },
      {
        // U-Boot 11f5a60ba75a (2026): `size = ofnode_read_size(..); if (size < (int)sizeof(u32)) return 0;`.
        name: 'near miss: the new int holds a size the function compares and divides: a quantity, not a status for rc to carry',
        patch: `--- a/drivers/pinctrl/flag.c
+++ b/drivers/pinctrl/flag.c
@@ -5,10 +5,14 @@
 static int flag_parse(struct udevice *dev)
 {
     int ret;
+    int size;
 
     ret = flag_prepare(dev);
     if ( ret )
         return ret;
-    flag_flush(dev);
+    size = flag_read_size(dev);
+    if ( size < (int)sizeof(u32) )
+        return 0;
+    flag_flush(dev, size / sizeof(u32));
     return 0;
 }
`,
      },
      {
        name: 'near miss: the new status is only printed: kept apart from the function\'s result on purpose',
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
+        printk(XENLOG_WARNING "flag: flush failed: %d\\n", ret);
+
     return 0;
 }
`,
      },
      {
        name: 'the block\'s own rc keeps the outer rc\'s earlier value intact for the return after it',
        refuted: true,
        patch: `--- a/xen/common/flag.c
+++ b/xen/common/flag.c
@@ -5,10 +5,12 @@
 static int flag_sync(struct domain *d, unsigned int n)
 {
     int rc = flag_prepare(d);
 
     if ( n > 1 )
     {
-        flag_flush_all(d);
+        int rc = flag_flush_all(d);
+
+        flag_report(d, rc);
     }
     return rc;
 }
`,
      },
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

/** The same name and type declared in a block enclosing v's declaration (not v's own block). */
function outerNamesake(v: Local, all: Local[]): Local | undefined {
  const block = v.decl.parent;
  if (block?.type !== 'compound_statement') return undefined;
  return all.find((w) => {
    if (w === v || w.name !== v.name || w.type !== v.type || w.siblings < 1) return false;
    const scope = w.decl.parent;
    return !!scope && scope.id !== block.id && scope.type === 'compound_statement' && v.decl.startIndex > w.decl.endIndex && v.decl.endIndex <= scope.endIndex;
  });
}

function rankName(name: string): number {
  const i = STATUS_VARIABLE_NAMES.indexOf(name);
  return i < 0 ? STATUS_VARIABLE_NAMES.length : i;
}
