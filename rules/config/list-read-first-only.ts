// config/list-read-first-only: scaffolded by `patch-review rules new` from comment 49 of seed thread 002, then written.
import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { calleeName } from '../../src/review/calls.ts';
import { descendants, fold } from '../../src/review/ast.ts';
import { listReader, type ListReader } from '../../src/review/config-data.ts';

/** An argument that asks for nothing: `0`, `NULL`. */
const NOTHING = /^\(?\s*(0|NULL|\(\s*void\s*\*\s*\)\s*0)\s*\)?$/;

/** `&list` -> `list` (a plain variable; a member or an element is not followed). */
const outVariable = (arg: SyntaxNode | undefined): string | undefined => {
  if (!arg || arg.type !== 'pointer_expression' || arg.child(0)?.type !== '&') return undefined;
  const v = arg.childForFieldName('argument');
  return v?.type === 'identifier' ? v.text : undefined;
};

export default defineRule({
  scope: 'function',
  meta: {
    id: 'list-read-first-only',
    pack: 'config',
    family: 'invalid-input-accepted',
    severity: 'warning',
    summary: 'A configuration key is read as a list, but only its first item is ever used: further items are silently ignored.',
    source: {
      list: 'xen-devel',
      thread: 'Re: [Xen-devel] [RFC][PATCH 01/13] tools: introduce some new parameters to set rdm policy',
      date: '2015-05-11',
      reviewer: 'Wei Liu',
      quote: 'You only have one rdm in b_info, so there is no need to use a list for it in config file.',
    },
    messages: {
      firstOnly:
        '{{function}}() reads `{{key}}` as a list ({{reader}}()) but only ever uses item 0 ({{accessor}}({{list}}, 0)): a second item in the config file is silently ignored. If the setting holds one value, read it as one (a string or a number), so that a list is rejected instead of cut short.',
    },
    fixable: false,
    limitations:
      'Knows the list readers and item accessors in src/review/config-data.ts (data with sources; today Xen\'s libxlutil ' +
      'xlu_cfg_get_list/xlu_cfg_get_listitem). The list must come back in a plain local through the reader\'s out-parameter, and the ' +
      'item count must not be asked for (a count the code then checks is the author handling several items), and every item ' +
      'read the function shows must be at the written index 0 (an index the code computes walks the items, in a loop or ' +
      'through a macro that advances a counter). Whether the paths where the reader succeeds read only item 0 is the ' +
      'simulator\'s answer: the list handed to another function clears it; a path that goes on into code the patch does not show is ' +
      'inconclusive (that code may read the other items). Whether one value is the design is the reviewer\'s judgement: ' +
      'the rule says only that the others are ignored.',
  },
  detect(ctx) {
    const out = [];
    for (const call of descendants(ctx.post.node, 'call_expression')) {
      const reader: ListReader | undefined = listReader(calleeName(call));
      if (!reader || !ctx.touchesAdded(call)) continue;
      const args = call.childForFieldName('arguments')?.namedChildren.filter((a) => a.type !== 'comment') ?? [];
      const list = outVariable(args[reader.listArg]);
      const count = args[reader.countArg];
      if (!list || !count || !NOTHING.test(count.text)) continue;
      // The item reads of this list the function shows: all at the written index 0 (an index the code computes walks
      // the items: a loop), one of them added. Which items the paths then read is the simulator's answer.
      const reads = [...descendants(ctx.post.node, 'call_expression')].filter((c) => {
        if (calleeName(c) !== reader.accessor || c.startIndex < call.endIndex) return false;
        const a = c.childForFieldName('arguments')?.namedChildren ?? [];
        return a[reader.accessorListArg]?.text === list;
      });
      const index = (c: SyntaxNode): string => c.childForFieldName('arguments')?.namedChildren[reader.accessorIndexArg]?.text.trim() ?? '';
      if (reads.length === 0 || !reads.every((c) => /^0[uUlL]*$/.test(index(c))) || !reads.some((c) => ctx.touchesAdded(c))) continue;
      out.push({ node: call, data: { reader, list, key: fold(args[reader.keyArg]?.text ?? '?') } });
    }
    return out;
  },
  check(candidate, ctx) {
    const d = candidate.data as { reader: ListReader; list: string; key: string };
    return {
      messageId: 'firstOnly',
      data: { function: ctx.fn.name, key: d.key, reader: d.reader.reader, accessor: d.reader.accessor, list: d.list },
      question: {
        kind: 'items-read',
        call: candidate.node,
        list: d.list,
        accessor: d.reader.accessor,
        listArg: d.reader.accessorListArg,
        indexArg: d.reader.accessorIndexArg,
      },
      reliedOn: [`${d.reader.reader}() hands back a list, ${d.reader.accessor}() reads one item by index (${d.reader.source})`],
    };
  },
  cases: {
    flagged: [
      {
        name: 'the reviewer\'s case: a key read as a list of which only item 0 is used; the rest of the parser is not shown',
        patch: `--- a/tools/xl/xl_parse.c
+++ b/tools/xl/xl_parse.c
@@ -1727,3 +1727,12 @@ static void parse_config_data(const char *config_source,
         xlu_cfg_get_defbool(config, "e820_host", &b_info->u.pv.e820_host, 0);
     }
+    if (!xlu_cfg_get_list (config, "rdm", &rdms, 0, 0)) {
+        if ((buf = xlu_cfg_get_listitem (rdms, 0)) != NULL ) {
+            libxl_rdm_reserve rdm;
+            if (!xlu_rdm_parse(config, &rdm, buf)) {
+                b_info->rdm.type = rdm.type;
+                b_info->rdm.reserve = rdm.reserve;
+            }
+        }
+    }
 
`,
        expect: [{ line: 1729, messageId: 'firstOnly', verdict: 'inconclusive' }],
      },
      {
        name: 'a whole parser function that reads item 0 of a list and returns',
        patch: `--- a/tools/xl/xl_opts.c
+++ b/tools/xl/xl_opts.c
@@ -0,0 +1,16 @@
+static int parse_boot(XLU_Config *config, struct boot_opts *o)
+{
+    XLU_ConfigList *devs;
+    const char *buf;
+
+    if (xlu_cfg_get_list(config, "boot_dev", &devs, NULL, 0))
+        return 0;
+
+    buf = xlu_cfg_get_listitem(devs, 0);
+    if (!buf)
+        return ERROR_INVAL;
+
+    o->dev = strdup(buf);
+    return 0;
+}
+
`,
        expect: [{ line: 6, messageId: 'firstOnly', verdict: 'verified' }],
      },
    ],
    clean: [
      {
        name: 'a loop over the items: every item is read',
        patch: `--- a/tools/xl/xl_opts.c
+++ b/tools/xl/xl_opts.c
@@ -0,0 +1,17 @@
+static int parse_devs(XLU_Config *config, struct boot_opts *o)
+{
+    XLU_ConfigList *devs;
+    const char *buf;
+    int i = 0;
+
+    if (xlu_cfg_get_list(config, "boot_dev", &devs, 0, 0))
+        return 0;
+
+    while ((buf = xlu_cfg_get_listitem(devs, i)) != NULL) {
+        if (add_dev(o, buf))
+            return ERROR_INVAL;
+        i++;
+    }
+    return 0;
+}
+
`,
      },
      {
        name: 'a loop whose index is a counter a macro advances: the first read is at index 0, but it walks the items',
        patch: `--- a/tools/xl/xl_opts.c
+++ b/tools/xl/xl_opts.c
@@ -0,0 +1,18 @@
+static void parse_vdevs(XLU_Config *config, struct dev_config *d)
+{
+    XLU_ConfigList *vdevs;
+    const char *buf;
+
+    if (!xlu_cfg_get_list(config, "vdev", &vdevs, 0, 0)) {
+        d->num_vdevs = 0;
+        d->vdevs = NULL;
+        while ((buf = xlu_cfg_get_listitem(vdevs, d->num_vdevs)) != NULL) {
+            struct vdev *v = ARRAY_EXTEND_INIT(d->vdevs, d->num_vdevs, vdev_init);
+
+            parse_vdev(v, buf);
+        }
+    }
+}
+
+
+
`,
      },
      {
        name: 'the count is asked for and checked: the author handles a list of several items',
        patch: `--- a/tools/xl/xl_opts.c
+++ b/tools/xl/xl_opts.c
@@ -0,0 +1,19 @@
+static int parse_boot(XLU_Config *config, struct boot_opts *o)
+{
+    XLU_ConfigList *devs;
+    const char *buf;
+    int n;
+
+    if (xlu_cfg_get_list(config, "boot_dev", &devs, &n, 0))
+        return 0;
+    if (n != 1) {
+        fprintf(stderr, "boot_dev takes exactly one device\\n");
+        return ERROR_INVAL;
+    }
+
+    buf = xlu_cfg_get_listitem(devs, 0);
+    o->dev = strdup(buf);
+    return 0;
+}
+
+
`,
      },
      {
        name: 'item 0 is read apart, then a loop reads the items after it',
        patch: `--- a/tools/xl/xl_opts.c
+++ b/tools/xl/xl_opts.c
@@ -0,0 +1,18 @@
+static int parse_boot(XLU_Config *config, struct boot_opts *o)
+{
+    XLU_ConfigList *devs;
+    const char *buf;
+    int i = 1;
+
+    if (xlu_cfg_get_list(config, "boot_dev", &devs, 0, 0))
+        return 0;
+
+    o->first = xlu_cfg_get_listitem(devs, 0);
+    while ((buf = xlu_cfg_get_listitem(devs, 0 + i)) != NULL) {
+        if (add_dev(o, buf))
+            return ERROR_INVAL;
+        i++;
+    }
+    return 0;
+}
+
`,
      },
      {
        name: 'the list is handed on after item 0 is read: the callee may read the rest',
        refuted: true,
        patch: `--- a/tools/xl/xl_opts.c
+++ b/tools/xl/xl_opts.c
@@ -0,0 +1,14 @@
+static int parse_boot(XLU_Config *config, struct boot_opts *o)
+{
+    XLU_ConfigList *devs;
+    const char *buf;
+
+    if (xlu_cfg_get_list(config, "boot_dev", &devs, 0, 0))
+        return 0;
+
+    buf = xlu_cfg_get_listitem(devs, 0);
+    o->dev = strdup(buf);
+    return parse_more_devs(o, devs);
+}
+
+
`,
      },
    ],
  },
});
