// house-style/control-spacing: scaffolded by `patch-review rules new` from comment 42 of seed thread 002, then written.
import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import type { FunctionImage } from '../../src/c/types.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { descendants } from '../../src/review/ast.ts';
import { styleFor } from '../../src/review/fix-check.ts';
import { replacedBy } from '../../src/review/patch-lines.ts';
import { moved } from '../whitespace/source.ts';

const HEADS = new Set(['if_statement', 'while_statement', 'switch_statement', 'for_statement']);

interface Head {
  node: SyntaxNode;
  /** `kw ( x )` (true) or `kw (x)` / `kw(x)` (false). */
  spaced: boolean;
  added: boolean;
  /** Source offsets: end of the keyword, and end of the closing parenthesis. */
  from: number;
  to: number;
  inner: string;
}

/** The control statements of an image whose parenthesised head sits on one line (`visible` drops synthetic rows). */
function headsOf(image: FunctionImage, visible: (node: SyntaxNode) => boolean, added: (node: SyntaxNode) => boolean): Head[] {
  const out: Head[] = [];
  for (const node of descendants(image.node, HEADS)) {
    if (!visible(node)) continue;
    const cond = node.childForFieldName('condition');
    const open = cond?.type === 'parenthesized_expression' ? cond : undefined;
    const start = open?.startIndex ?? node.children.find((c) => c.type === '(')?.startIndex;
    const end = open?.endIndex ?? node.children.find((c) => c.type === ')')?.endIndex;
    if (start === undefined || end === undefined) continue;
    const text = image.source.slice(start, end);
    if (text.includes('\n') || !/^\(/.test(text)) continue;
    const keywordEnd = node.startIndex + node.type.replace('_statement', '').length;
    if (image.source.slice(keywordEnd, start).trim() !== '') continue;
    out.push({ node, spaced: /^\( \S/.test(text), added: added(node), from: keywordEnd, to: end, inner: text.slice(1, -1).trim() });
  }
  return out;
}

/** The control statements of the function's visible lines whose parenthesised head sits on one line. */
const heads = (ctx: FunctionContext): Head[] => headsOf(ctx.post, (n) => ctx.lineOf(n) > 0, (n) => ctx.isAdded(n));

/**
 * A file the patch adds whole in which another function mixes the two spacings as well: the file has no single
 * style of its own (imported or generated code keeps the mix it came with), so none to hold this function to.
 */
function newFileMixes(ctx: FunctionContext): boolean {
  if (ctx.file.oldPath !== null) return false;
  return ctx.file.functions.some((f) => {
    if (f === ctx.fn || !f.post) return false;
    const all = headsOf(f.post, (n) => (f.post!.lineMap[n.startPosition.row] ?? 0) > 0, () => true);
    return all.some((h) => h.spaced) && all.some((h) => !h.spaced);
  });
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'control-spacing',
    pack: 'house-style',
    family: 'inconsistent-style',
    severity: 'info',
    summary: 'Control statements the patch adds are spaced differently from the rest of their function: Xen `if ( x )` next to Linux `if (x)`.',
    source: {
      list: 'xen-devel',
      thread: 'Re: [Xen-devel] [RFC][PATCH 01/13] tools: introduce some new parameters to set rdm policy',
      date: '2015-05-08',
      reviewer: 'Wei Liu',
      quote: 'Coding style. I haven\'t checked what actual style this file uses, but there is inconsistency in this function by itself.',
    },
    messages: {
      mixed: '{{count}} control statement(s) {{function}}() gains are written `{{wrong}}` where the function writes `{{right}}`.',
    },
    fixable: true,
    optIn: true,
    limitations:
      'Heads on lines the patch moves (removes elsewhere as written) are not the author\'s and are left alone. ' +
      'Judged within one function: against its unchanged lines when they agree (at least two), else, in a function the ' +
      'patch adds whole, against the file\'s other functions or its dialect, and only when the added lines themselves mix ' +
      'the two and, in a file the patch adds whole, no other function of it mixes them too (imported code keeps its ' +
      'mix). Heads whose condition spans several lines are not looked at. Brace placement is not judged.',
  },
  detect(ctx) {
    const all = heads(ctx);
    const old = all.filter((h) => !h.added);
    const added = all.filter((h) => h.added);
    if (added.length === 0) return [];
    let right: boolean | undefined;
    if (old.length >= 2 && old.every((h) => h.spaced === old[0]!.spaced)) right = old[0]!.spaced;
    else if (old.length === 0 && added.some((h) => h.spaced) && added.some((h) => !h.spaced) && !newFileMixes(ctx)) {
      right = styleFor(ctx.post, ctx.file).spaceInParens;
      if (right === undefined) {
        const spaced = added.filter((h) => h.spaced).length;
        if (spaced * 2 !== added.length) right = spaced * 2 > added.length;
      }
    }
    if (right === undefined) return [];
    // A head that rewrites a head of the same keyword the patch removes (a renamed field, a condition rewritten
    // in the project's style) keeps or restyles a line the author chose to touch: not a new inconsistency.
    const keyword = (h: Head): string => h.node.type.replace('_statement', '');
    const rewritten = (h: Head): boolean => replacedBy(ctx, ctx.lineOf(h.node)).some((t) => new RegExp(`\\b${keyword(h)}\\s*\\(`).test(t));
    // A head on a line the patch moves (removed elsewhere as written: a function split out to a new file) keeps
    // the style it had: the author did not write it.
    const bad = added.filter((h) => h.spaced !== right && !rewritten(h) && !moved(ctx, ctx.lineText(h.node)));
    if (bad.length === 0) return [];
    return [{ node: bad[0]!.node, data: { bad, right } }];
  },
  check(candidate, ctx) {
    const bad = candidate.data.bad as Head[];
    const right = candidate.data.right as boolean;
    const head = (h: Head): string => (right ? ` ( ${h.inner} )` : ` (${h.inner})`);
    const keyword = bad[0]!.node.type.replace('_statement', '');
    return {
      messageId: 'mixed',
      data: {
        count: String(bad.length),
        function: ctx.fn.name,
        wrong: ctx.post.source.slice(bad[0]!.node.startIndex, bad[0]!.to),
        right: `${keyword}${head(bad[0]!)}`,
      },
      question: {
        kind: 'equivalent-rewrite',
        edits: bad.map((h) => ({ start: h.from, end: h.to, text: head(h) })),
        fix: right ? 'write the heads as `kw ( x )`, as the function does' : 'write the heads as `kw (x)`, as the function does',
        proof: 'only the spaces around the parentheses change: the function does the same on every path',
      },
    };
  },
  cases: {
    flagged: [
      {
        name: 'the reviewer\'s case: a new Xen-style parser whose for and switch are written Linux-style',
        patch: `--- a/tools/libxl/libxlu_pci.c
+++ b/tools/libxl/libxlu_pci.c
@@ -180,2 +180,23 @@ parse_error:
     return ERROR_INVAL;
 }
+int xlu_rdm_parse(XLU_Config *cfg, libxl_rdm_reserve *rdm, const char *str)
+{
+    unsigned state = STATE_TYPE;
+    char *tok, *ptr, *end;
+
+    for(tok = ptr = buf, end = ptr + len; ptr < end; ptr++) {
+        switch(state) {
+        case STATE_TYPE:
+            if ( *ptr == ',' ) {
+                state = STATE_CHECK_FLAG;
+                tok = ptr + 1;
+            }
+            break;
+        default:
+            break;
+        }
+    }
+    if ( state != STATE_TERMINAL )
+        return ERROR_INVAL;
+    return 0;
+}
`,
        expect: [{ line: 187, messageId: 'mixed', verdict: 'verified', fix: '    for ( tok = ptr = buf, end = ptr + len; ptr < end; ptr++ ) {\n        switch ( state ) {' }],
      },
      {
        name: 'an added if written Linux-style in a function that writes Xen-style heads',
        patch: `--- a/xen/common/foo.c
+++ b/xen/common/foo.c
@@ -20,6 +20,8 @@ static int foo_init(struct domain *d)
     if ( !d )
         return -EINVAL;
     rc = bar(d);
+    if (rc)
+        return rc;
     while ( d->busy )
         cpu_relax();
     return 0;
`,
        expect: [{ line: 23, messageId: 'mixed', verdict: 'verified', fix: '    if ( rc )' }],
      },
      {
        name: 'a new file: the one function that mixes the spacings is held to the file\'s other functions',
        patch: `--- /dev/null
+++ b/tools/gadget/gadget.c
@@ -0,0 +1,17 @@
+int gadget_open(struct gadget *g)
+{
+    if ( !g )
+        return -1;
+    if ( g->open )
+        return 0;
+    if (g->flags & 1)
+        g->mode = 2;
+    return 0;
+}
+
+int gadget_close(struct gadget *g)
+{
+    if ( !g )
+        return -1;
+    return 0;
+}
`,
        expect: [{ line: 7, messageId: 'mixed', verdict: 'verified', fix: '    if ( g->flags & 1 )' }],
      },
    ],
    clean: [
      {
        name: 'near miss: a new file whose functions all mix the two spacings (imported code) has no style of its own',
        patch: `--- /dev/null
+++ b/tools/gadget/gadget.c
@@ -0,0 +1,21 @@
+int gadget_open(struct gadget *g)
+{
+    if ( !g )
+        return -1;
+    if ( g->open )
+        return 0;
+    if (g->flags & 1)
+        g->mode = 2;
+    return 0;
+}
+
+int gadget_close(struct gadget *g)
+{
+    if (!g)
+        return -1;
+    if (!g->open)
+        return 0;
+    if ( g->flags & 2 )
+        g->mode = 0;
+    return 0;
+}
`,
      },
      {
        name: 'near miss: a function moved to a new file keeps the heads it had',
        patch: `--- a/xen/common/widget.c
+++ b/xen/common/widget.c
@@ -10,13 +10,3 @@ int widget_count(const struct widget *w)
     return w->count;
 }
 
-int widget_size(const struct widget *w)
-{
-    if ( !w )
-        return 0;
-    if ( w->busy )
-        return -EBUSY;
-    if (w->size > 8)
-        return 8;
-    return w->size;
-}
--- a/xen/lib/widget-size.c
+++ b/xen/lib/widget-size.c
@@ -0,0 +1,10 @@
+int widget_size(const struct widget *w)
+{
+    if ( !w )
+        return 0;
+    if ( w->busy )
+        return -EBUSY;
+    if (w->size > 8)
+        return 8;
+    return w->size;
+}
`,
      },
      {
        name: 'near miss: the patch renames a field inside a head that was already written this way',
        patch: `--- a/xen/arch/x86/cpu/widget.c
+++ b/xen/arch/x86/cpu/widget.c
@@ -20,9 +20,9 @@ static void init_widget(struct cpuinfo *c)
 {
 	if (c->family == 0x10)
 		setup_widget(c);
-	if ( opt_fast && c->x86 > 0x11 )
+	if ( opt_fast && c->family > 0x11 )
 		fast_widget(c);
 	if (c->model == 2)
 		fix_widget(c);
 	if (c->model == 3)
 		fix_widget(c);
`,
      },
      {
        name: 'Linux code keeps its `if (x)` heads next to each other',
        patch: `--- a/drivers/xen/privcmd.c
+++ b/drivers/xen/privcmd.c
@@ -20,6 +20,8 @@ static long privcmd_ioctl_mmap_batch(void __user *udata, int version)
 	if (copy_from_user(&m, udata, sizeof(m)))
 		return -EFAULT;
 	nr_pages = m.num;
+	if (version == 2)
+		nr_pages = m.num2;
 	while (nr_pages > 0)
 		nr_pages--;
 	return 0;
`,
      },
      {
        name: 'a function that already mixes the two has no single style to hold the patch to',
        patch: `--- a/xen/common/foo.c
+++ b/xen/common/foo.c
@@ -20,6 +20,8 @@ static int foo_init(struct domain *d)
     if ( !d )
         return -EINVAL;
     rc = bar(d);
+    if (rc)
+        return rc;
     while (d->busy)
         cpu_relax();
     return 0;
`,
      },
    ],
  },
});
