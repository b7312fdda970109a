import { defineRule } from '../../src/review/rule.ts';
import { APPLY_THREAD, moved, nodeOnRow, projectCarries, rowEdit, sameAsRaw, visibleRows } from './source.ts';

const TRAILING = /[ \t]+$/;

export default defineRule({
  scope: 'function',
  meta: {
    id: 'trailing-whitespace',
    pack: 'whitespace',
    family: 'whitespace',
    severity: 'info',
    summary: 'Lines the patch adds end in spaces or tabs, which the maintainer then strips on apply.',
    source: { ...APPLY_THREAD, quote: 'applied. fixed some whitespace issues.' },
    messages: {
      trailing: '{{count}} line(s) {{function}}() gains end in whitespace (line {{lines}}); git am --whitespace=fix or the maintainer has to strip it.',
    },
    fixable: true,
    optIn: true,
    limitations:
      'Only added lines inside a function the patch shows; file-scope lines are not looked at. Not flagged when the ' +
      'function\'s unchanged lines end in whitespace too (the file tolerates it), nor when any unchanged line the patch ' +
      'shows (context or removed, in any of its C files) or, in tree mode, the file as it was does, or, in a file the patch adds whole, ' +
      'lines of its other functions do (imported code keeps its habit), nor on a line the patch moves (removes ' +
      'elsewhere as written). Added lines holding only whitespace are ' +
      'not reported (checkpatch and git apply --whitespace=fix do catch them).',
  },
  detect(ctx) {
    const rows = visibleRows(ctx);
    // The file's own habit: if its unchanged lines carry trailing whitespace, this is not a change of style.
    if (rows.some((r) => !r.added && TRAILING.test(r.raw) && r.raw.trim() !== '')) return [];
    // Nor when the patch's other unchanged lines (any hunk, any C file) or, in tree mode, the file as it was carry it.
    if (projectCarries(ctx, 'trailing', TRAILING)) return [];
    // In a file the patch adds whole, its other functions are the file: imported code keeps its habit.
    if (ctx.file.oldPath === null && ctx.file.functions.some((f) => f !== ctx.fn && f.post?.rawLines.some((l) => l.trim() !== '' && TRAILING.test(l)))) return [];
    // Lines with code on them: a whitespace-only line has no node to anchor on, and a fix that empties a row
    // renders as deleting it.
    // A line the patch moves (removed elsewhere as written) carries its whitespace over: not the author's.
    const bad = rows.filter((r) => r.added && r.raw.trim() !== '' && TRAILING.test(r.raw) && sameAsRaw(ctx, r) && !moved(ctx, r.raw));
    if (bad.length === 0) return [];
    return [{ node: nodeOnRow(ctx, bad[0]!.row), data: { rows: bad.map((r) => r.row), lines: bad.map((r) => r.line) } }];
  },
  check(candidate, ctx) {
    const rows = candidate.data.rows as number[];
    const source = ctx.post.source.split('\n');
    const edits = rows.map((row) => {
      const text = source[row]!;
      const kept = text.replace(TRAILING, '');
      return rowEdit(ctx, row, kept.length, text.length - kept.length, '');
    });
    return {
      messageId: 'trailing',
      data: { count: String(rows.length), function: ctx.fn.name, lines: (candidate.data.lines as number[]).join(', ') },
      question: {
        kind: 'equivalent-rewrite',
        edits,
        fix: 'strip the trailing whitespace',
        proof: 'only whitespace at the end of lines changes: the function does the same on every path',
      },
    };
  },
  cases: {
    flagged: [
      {
        name: 'two added lines end in spaces and a tab',
        patch: `--- a/drivers/xen/privcmd.c
+++ b/drivers/xen/privcmd.c
@@ -10,7 +10,9 @@ static int mmap_batch_fn(void *data, void *state)
 	int ret;
 
 	ret = xen_remap_domain_mfn_range(st->vma, st->va & PAGE_MASK, *mfnp, 1,
 					 st->vma->vm_page_prot, st->domain);
+	if (ret < 0)  
+		*mfnp |= 0xf0000000U;	
 	st->va += PAGE_SIZE;
 	return 0;
 }
`,
        expect: [{ line: 14, messageId: 'trailing', verdict: 'verified', fix: '\tif (ret < 0)\n\t\t*mfnp |= 0xf0000000U;' }],
      },
    ],
    clean: [
      {
        name: 'the function\'s unchanged lines end in whitespace too: the file tolerates it',
        patch: `--- a/drivers/xen/privcmd.c
+++ b/drivers/xen/privcmd.c
@@ -10,5 +10,6 @@ static int mmap_batch_fn(void *data, void *state)
 	int ret; 
 
 	ret = do_it(st); 
+	st->va += PAGE_SIZE; 
 	return ret;
 }
`,
      },
      {
        name: 'near miss: another hunk of the patch shows unchanged lines ending in whitespace: the project carries it',
        patch: `--- a/xen/common/widget.c
+++ b/xen/common/widget.c
@@ -10,5 +10,6 @@ static int widget_poke(struct widget *w)
 {
     int rc = widget_prep(w);
 
+    w->poked = 1;\t
     return rc;
 }
@@ -40,5 +41,5 @@ static void widget_drop(struct widget *w)
 {
-    w->refs--;
+    w->refs -= 1;
     if ( !w->refs ) 
         widget_free(w);
 }
`,
      },
      {
        name: 'near miss: a new file whose functions all carry trailing whitespace (imported code) keeps its habit',
        patch: `--- /dev/null
+++ b/tools/gadget/gadget.c
@@ -0,0 +1,9 @@
+int gadget_size(const struct gadget *g)
+{
+\treturn g->size; 
+}
+
+int gadget_mode(const struct gadget *g)
+{
+\treturn g->mode;\t
+}
`,
      },
      {
        name: 'near miss: a helper moved to another file keeps the trailing whitespace it had',
        patch: `--- a/lib/widget.c
+++ b/lib/widget.c
@@ -10,7 +10,3 @@ int widget_count(const struct widget *w)
 	return w->count;
 }
 
-int widget_size(const struct widget *w)
-{
-	return w->size; 
-}
--- a/lib/widget-size.c
+++ b/lib/widget-size.c
@@ -0,0 +1,4 @@
+int widget_size(const struct widget *w)
+{
+	return w->size; 
+}
`,
      },
      {
        name: 'added lines without trailing whitespace',
        patch: `--- a/drivers/xen/privcmd.c
+++ b/drivers/xen/privcmd.c
@@ -10,5 +10,6 @@ static int mmap_batch_fn(void *data, void *state)
 	int ret;
 
 	ret = do_it(st);
+	st->va += PAGE_SIZE;
 	return ret;
 }
`,
      },
    ],
  },
});
