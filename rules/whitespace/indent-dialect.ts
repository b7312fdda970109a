import { defineRule } from '../../src/review/rule.ts';
import { replacedBy } from '../../src/review/patch-lines.ts';
import { APPLY_THREAD, moved, nodeOnRow, rowEdit, sameAsRaw, visibleRows, type Row } from './source.ts';

/** How a row indents: a leading tab, two or more leading spaces, or neither (column 0, one space of a comment). */
const leadOf = (raw: string): 'tab' | 'spaces' | undefined => (/^\t/.test(raw) ? 'tab' : /^ {2,}\S/.test(raw) ? 'spaces' : undefined);
/** Evidence needed from the function's own unchanged lines before its dialect is taken as known. */
const EVIDENCE = 3;

export default defineRule({
  scope: 'function',
  meta: {
    id: 'indent-dialect',
    pack: 'whitespace',
    family: 'whitespace',
    severity: 'info',
    summary: 'Lines the patch adds indent with spaces where the function indents with tabs, or with tabs where it indents with spaces.',
    source: { ...APPLY_THREAD, quote: 'applied. fixed some whitespace issues.' },
    messages: {
      spacesInTabs: '{{count}} line(s) {{function}}() gains indent with spaces (line {{lines}}); the function indents with tabs.',
      tabsInSpaces: '{{count}} line(s) {{function}}() gains indent with tabs (line {{lines}}); the function indents with {{width}} spaces.',
    },
    fixable: true,
    optIn: true,
    limitations:
      'Judged against the function\'s own unchanged lines only (at least three, all of one kind); a function the patch ' +
      'adds whole, or one that already mixes tabs and spaces, is left alone. Continuation lines aligned with tabs then ' +
      'spaces count as tab-indented. A line the patch moves (removes elsewhere as written) keeps its indent and is left ' +
      'alone. File-scope lines are not looked at.',
  },
  detect(ctx) {
    const rows = visibleRows(ctx);
    const old = rows.filter((r) => !r.added).map((r) => leadOf(r.raw));
    const tabs = old.filter((k) => k === 'tab').length;
    const spaces = old.filter((k) => k === 'spaces').length;
    const dialect = tabs >= EVIDENCE && spaces === 0 ? 'tab' : spaces >= EVIDENCE && tabs === 0 ? 'spaces' : undefined;
    if (!dialect) return [];
    // A rewritten line that keeps the indent kind of a line it replaces was already so before the patch.
    const kept = (r: Row): boolean => replacedBy(ctx, r.line).some((t) => leadOf(t) === leadOf(r.raw));
    const bad = rows.filter((r) => r.added && sameAsRaw(ctx, r) && leadOf(r.raw) !== undefined && leadOf(r.raw) !== dialect && !kept(r) && !moved(ctx, r.raw));
    if (bad.length === 0) return [];
    return [{ node: nodeOnRow(ctx, bad[0]!.row), data: { rows: bad, dialect, oldRows: rows.filter((r) => !r.added) } }];
  },
  check(candidate, ctx) {
    const rows = candidate.data.rows as Row[];
    const dialect = candidate.data.dialect as 'tab' | 'spaces';
    const oldRows = candidate.data.oldRows as Row[];
    // The function's step in spaces (Xen: 4), or the author's step when converting their spaces to tabs.
    const widths = (list: Row[]): number[] => list.map((r) => /^ */.exec(r.raw)![0].length).filter((n) => n > 0);
    const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
    const stepOf = (list: Row[], fallback: number): number => {
      const g = widths(list).reduce(gcd, 0);
      return g >= 2 && g <= 8 ? g : fallback;
    };
    const width = dialect === 'spaces' ? stepOf(oldRows, 4) : stepOf(rows, 8);
    const edits = rows.map((r) => {
      const lead = /^[ \t]*/.exec(r.raw)![0];
      let text: string;
      if (dialect === 'tab') {
        const n = lead.length;
        text = '\t'.repeat(Math.floor(n / width)) + ' '.repeat(n % width);
      } else {
        const tabsLead = /^\t*/.exec(lead)![0].length;
        text = ' '.repeat(tabsLead * width) + lead.slice(tabsLead);
      }
      return rowEdit(ctx, r.row, 0, lead.length, text);
    });
    return {
      messageId: dialect === 'tab' ? 'spacesInTabs' : 'tabsInSpaces',
      data: { count: String(rows.length), function: ctx.fn.name, width: String(width), lines: rows.map((r) => r.line).join(', ') },
      question: {
        kind: 'equivalent-rewrite',
        edits,
        fix: dialect === 'tab' ? 'indent with tabs, as the function does' : `indent with ${width} spaces, as the function does`,
        proof: 'only leading whitespace changes: the function does the same on every path',
      },
    };
  },
  cases: {
    flagged: [
      {
        name: 'Linux code: the added lines indent with spaces where the function uses tabs',
        patch: `--- a/drivers/xen/privcmd.c
+++ b/drivers/xen/privcmd.c
@@ -20,7 +20,10 @@ static long privcmd_ioctl_mmap_batch(void __user *udata, int version)
 	if (copy_from_user(&m, udata, sizeof(m)))
 		return -EFAULT;
 
 	nr_pages = m.num;
+        if (version == 2)
+                nr_pages = m.num2;
+
 	if ((m.num <= 0) || (nr_pages > (LONG_MAX >> PAGE_SHIFT)))
 		return -EINVAL;
 	return 0;
`,
        expect: [{ line: 24, messageId: 'spacesInTabs', verdict: 'verified', fix: '\tif (version == 2)\n\t\tnr_pages = m.num2;' }],
      },
      {
        name: 'Xen code: an added line indents with a tab where the function uses four spaces',
        patch: `--- a/xen/common/foo.c
+++ b/xen/common/foo.c
@@ -20,5 +20,7 @@ static int foo_init(struct domain *d)
     if ( !d )
         return -EINVAL;
     rc = bar(d);
+	if ( rc )
+	    return rc;
     d->ready = 1;
     return 0;
`,
        expect: [{ line: 23, messageId: 'tabsInSpaces', verdict: 'verified', fix: '    if ( rc )\n        return rc;' }],
      },
    ],
    clean: [
      {
        name: 'near miss: a statement moved from one function to another keeps its tab',
        patch: `--- a/xen/common/gizmo.c
+++ b/xen/common/gizmo.c
@@ -10,8 +10,7 @@ static void gizmo_start(struct gizmo *g)
 {
     g->state = 1;
     g->count = 0;
-\tgizmo_flush(g);
     g->ready = 1;
     g->busy = 0;
     return;
 }
@@ -30,6 +29,7 @@ static void gizmo_stop(struct gizmo *g)
 {
     g->state = 0;
     g->count = 0;
     g->ready = 0;
+\tgizmo_flush(g);
     return;
 }
`,
      },
      {
        name: 'near miss: a rewritten continuation line keeps the tabs the line it replaces had',
        patch: `--- a/xen/common/gizmo.c
+++ b/xen/common/gizmo.c
@@ -20,10 +20,10 @@ static void gizmo_count(const struct node *np,
     return 0;
 }
 
-static void gizmo_cells(const struct node *np,
-\t\t\t\t   int *addrc, int *sizec)
+static void cf_check gizmo_cells(const struct node *np,
+\t\t\t\t            int *addrc, int *sizec)
 {
     if ( addrc )
         *addrc = 3;
     if ( sizec )
         *sizec = 2;
`,
      },
      {
        name: 'Linux continuation lines aligned with tabs then spaces follow the dialect',
        patch: `--- a/drivers/xen/privcmd.c
+++ b/drivers/xen/privcmd.c
@@ -20,5 +20,7 @@ static long privcmd_ioctl_mmap_batch(void __user *udata, int version)
 	if (copy_from_user(&m, udata, sizeof(m)))
 		return -EFAULT;
 	nr_pages = m.num;
+	ret = traverse_pages(m.num, sizeof(xen_pfn_t),
+			     &pagelist, mmap_batch_fn, &state);
 	return 0;
 }
`,
      },
      {
        name: 'a function that already mixes tabs and spaces has no dialect to judge by',
        patch: `--- a/xen/common/foo.c
+++ b/xen/common/foo.c
@@ -20,6 +20,7 @@ static int foo_init(struct domain *d)
     if ( !d )
 	return -EINVAL;
     rc = bar(d);
+	d->ready = 1;
     d->count = 0;
     return 0;
 }
`,
      },
    ],
  },
});
