// config/default-outside-defaults: scaffolded by `patch-review rules new` from comment 43 of seed thread 002, then written.
import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { descendants, fold, squash } from '../../src/review/ast.ts';
import { calleeName } from '../../src/review/calls.ts';
import { isErrorCode } from '../../src/review/log-levels.ts';
import { DEFAULTS_FUNCTIONS, defaultsNameCandidates, isDefaultsFunctionName, namesDefaultsOf } from '../../src/review/config-data.ts';

/** A value that stands for itself: a macro constant, a number, true/false, a string. */
const CONSTANT = /^(-?\s*\d\w*|[A-Z_][A-Z0-9_]*|true|false|"[^"]*")$/;
/** Statements under which an assignment is not what every run does. */
const CONDITIONAL = new Set(['if_statement', 'for_statement', 'while_statement', 'do_statement', 'switch_statement', 'case_statement', 'conditional_expression']);

/** `X->a.b` -> `X` (the object whose member is set), for member paths rooted at a plain variable. */
function rootOf(left: SyntaxNode): string | undefined {
  if (left.type !== 'field_expression') return undefined;
  let n: SyntaxNode | null = left;
  while (n?.type === 'field_expression') n = n.childForFieldName('argument');
  return n?.type === 'identifier' ? n.text : undefined;
}

/** The type a parameter or a local of the function is declared with (`libxl_domain_build_info`), without `*`. */
function declaredType(ctx: FunctionContext, name: string): string | undefined {
  const bare = (t: string): string => t.replace(/\b(const|volatile|struct|static)\b/g, ' ').replace(/[*\s]+/g, ' ').trim();
  const param = (ctx.post.params ?? []).find((p) => p.name === name);
  if (param) return bare(param.type);
  for (const decl of descendants(ctx.post.node, 'declaration')) {
    const type = decl.childForFieldName('type')?.text;
    if (!type) continue;
    for (const d of decl.childrenForFieldName('declarator')) {
      let n: SyntaxNode | null = d;
      while (n && n.type !== 'identifier') n = n.childForFieldName('declarator');
      if (n?.text === name) return bare(type);
    }
  }
  return undefined;
}

interface Defaults {
  name: string;
  where: string;
}

/**
 * A defaults function of `type` whose signature the patch shows (a definition or declaration in a line or a hunk
 * header: the name followed by a parameter list that names the type), or that the tree's copy of the file declares.
 */
function shownDefaults(ctx: FunctionContext, type: string): Defaults | undefined {
  const signature = (text: string): string | undefined => {
    for (const m of text.matchAll(/\b([A-Za-z_]\w*)\s*\(([^()]*)/g)) {
      if (namesDefaultsOf(m[1]!, type) && new RegExp(`\\b${type}\\s*\\*`).test(m[2]!)) return m[1];
    }
    return undefined;
  };
  for (const file of ctx.patch.files) {
    for (const hunk of file.hunks) {
      for (const text of [hunk.section, ...hunk.lines.map((l) => l.text)]) {
        const name = signature(text);
        if (name) return { name, where: `declared in the patch, ${file.newPath ?? file.oldPath}` };
      }
    }
  }
  for (const line of ctx.treeText()?.split('\n') ?? []) {
    const name = /^[A-Za-z_]/.test(line) ? signature(line) : undefined;
    if (name) return { name, where: `declared in ${ctx.file.path}` };
  }
  // Tree mode: the tree's headers (and the touched sources) declare a function named after the type.
  for (const name of defaultsNameCandidates(type)) {
    const d = ctx.model.declarations?.lookup(name);
    if (d) return { name, where: `declared in the tree, ${d.file}:${d.line}` };
  }
  return undefined;
}

interface Found {
  stmt: SyntaxNode;
  target: string;
  value: string;
  object: string;
  type: string;
  byName: boolean;
  defaults: Defaults;
  members: string[];
}

function candidates(ctx: FunctionContext): Found[] {
  const fn = ctx.fn.name;
  // The defaults function itself, an init or a setter of defaults: where defaults belong.
  if (isDefaultsFunctionName(fn) || /(^|_)(init|defaults?|setdefaults?)(_|$)/i.test(fn)) return [];
  const out = new Map<string, Found>();
  const body = ctx.post.node.childForFieldName('body');
  if (!body) return [];
  const assigns = [...descendants(body, 'assignment_expression')].filter((a) => a.childForFieldName('operator')?.text === '=');
  for (const a of assigns) {
    const stmt = a.parent;
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (stmt?.type !== 'expression_statement' || !left || !right || !ctx.isAdded(stmt)) continue;
    const value = fold(right.text);
    if (!CONSTANT.test(value) || isErrorCode(value)) continue;
    const object = rootOf(left);
    if (!object) continue;
    let p: SyntaxNode | null = stmt.parent;
    while (p && p !== body && !CONDITIONAL.has(p.type)) p = p.parent;
    if (p !== body) continue;
    const target = squash(left.text);
    // What the input says replaces it on some path: a later write of another value, or the member handed to a call.
    const overridden = assigns.some((b) => {
      const l = b.childForFieldName('left');
      const r = b.childForFieldName('right');
      return b.startIndex > stmt.endIndex && !!l && !!r && squash(l.text) === target && !CONSTANT.test(fold(r.text));
    }) || [...descendants(body, 'pointer_expression')].some((e) => e.startIndex > stmt.endIndex && e.parent?.type === 'argument_list' && squash(e.childForFieldName('argument')?.text ?? '') === target);
    if (!overridden) continue;
    const seen = out.get(object);
    if (seen) {
      seen.members.push(target);
      continue;
    }
    let type = declaredType(ctx, object);
    let byName = false;
    if (!type) {
      const known = DEFAULTS_FUNCTIONS.find((d) => d.names.includes(object) && ctx.file.path.startsWith(d.root));
      if (!known) continue;
      type = known.type;
      byName = true;
    }
    const data = DEFAULTS_FUNCTIONS.find((d) => d.type === type && ctx.file.path.startsWith(d.root));
    const defaults = shownDefaults(ctx, type) ?? (data ? { name: data.function, where: `${data.file}; ${data.source}` } : undefined);
    if (!defaults) continue;
    // The function hands the object to its defaults function itself: what it sets is an override, not a default.
    if ([...descendants(body, 'call_expression')].some((c) => calleeName(c) === defaults.name)) continue;
    out.set(object, { stmt, target, value, object, type, byName, defaults, members: [target] });
  }
  return [...out.values()];
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'default-outside-defaults',
    pack: 'config',
    family: 'misplaced-default',
    severity: 'info',
    summary: 'A parser gives a field of a configuration type a constant default although the type has a defaults function, where every user of the type gets its defaults.',
    source: {
      list: 'xen-devel',
      thread: 'Re: [Xen-devel] [RFC][PATCH 01/13] tools: introduce some new parameters to set rdm policy',
      date: '2015-05-18',
      reviewer: 'Wei Liu',
      quote: 'This should probably to into the _setdefault function of libxl_domain_build_info. ... Check libxl_domain_build_info_setdefault. To use libxl types. You normally do: libxl_TYPE_init libxl_TYPE_setdefault DO STUFF libxl_TYPE_dispose',
    },
    messages: {
      misplaced:
        '{{function}}() gives {{count}} of `{{object}}` a constant default (`{{target}} = {{value}}`) that it then replaces with what the input says, but {{type}} has a defaults function, {{defaults}}(): set the default there, so that every user of {{type}} gets it, not only this parser.',
    },
    fixable: false,
    limitations:
      'An added assignment of a constant (a macro, a number, true/false, a string) to a member of an object, outside any ' +
      'condition or loop of the function, that a later statement of the function replaces with a value that is not a ' +
      'constant (a write, or the member handed to a call by address). The object\'s type comes from its declaration in the ' +
      'function; when the patch does not show it, from the project\'s names for objects of a type (src/review/config-data.ts), ' +
      'and the verdict is then inconclusive. The defaults function is one whose name is built on the type ' +
      '(`<prefix><type>_setdefault`, `_set_defaults`, `_defaults`) that the patch declares, that the tree declares (the file\'s copy, or in tree mode its headers), ' +
      'or that the project data names. Not reported in the defaults function itself, in an init or defaults ' +
      'helper, or when the function calls the defaults function (what it sets after that is an override). Whether the ' +
      'default is kept on some path (the input does not set it) is the simulator\'s answer; a path into code the patch does ' +
      'not show is inconclusive. A default that only this front end wants (not the library\'s) is a judgement the rule cannot make.',
  },
  detect(ctx) {
    return candidates(ctx).map((f) => ({ node: f.stmt, data: f as unknown as Record<string, unknown> }));
  },
  check(candidate, ctx) {
    const f = candidate.data as unknown as Found;
    const premise = f.byName
      ? `the patch does not show how \`${f.object}\` is declared; in this project an object named ${f.object} is a ${f.type} (src/review/config-data.ts)`
      : undefined;
    return {
      messageId: 'misplaced',
      data: {
        function: ctx.fn.name,
        target: fold(f.stmt.text).replace(/\s*=.*$/, ''),
        value: f.value,
        count: f.members.length === 1 ? 'a member' : `${f.members.length} members (${f.members.join(', ')})`,
        object: f.object,
        type: f.type,
        defaults: f.defaults.name,
      },
      question: { kind: 'write-kept', at: f.stmt, target: f.target, ...(premise ? { premise } : {}) },
      reliedOn: [`${f.defaults.name}() fills in the defaults of ${f.type} (${f.defaults.where})`],
      ...(premise ? { assumptions: [premise] } : {}),
    };
  },
  cases: {
    flagged: [
      {
        name: 'the reviewer\'s case: the parser sets a default the config may override; the declaration of the object is not shown',
        patch: `--- a/tools/xl/xl_parse.c
+++ b/tools/xl/xl_parse.c
@@ -1727,3 +1727,16 @@ static void parse_config_data(const char *config_source,
         xlu_cfg_get_defbool(config, "e820_host", &b_info->u.pv.e820_host, 0);
     }
+    /*
+     * By default our global policy is to query all rdm entries, and
+     * force reserve them.
+     */
+    b_info->rdm.type = LIBXL_RDM_RESERVE_TYPE_HOST;
+    b_info->rdm.reserve = LIBXL_RDM_RESERVE_FLAG_TRY;
+    if (!xlu_cfg_get_string (config, "rdm", &buf, 0)) {
+        libxl_rdm_reserve rdm;
+        if (!xlu_rdm_parse(config, &rdm, buf)) {
+            b_info->rdm.type = rdm.type;
+            b_info->rdm.reserve = rdm.reserve;
+        }
+    }
 
`,
        expect: [{ line: 1733, messageId: 'misplaced', verdict: 'inconclusive' }],
      },
      {
        name: 'a whole parser, the type declared, its defaults function declared in the patch\'s other file',
        patch: `--- a/tools/libs/light/libxl_mode.c
+++ b/tools/libs/light/libxl_mode.c
@@ -40,4 +40,8 @@ int libxl__mode_info_setdefault(libxl__gc *gc, libxl_mode_info *mi)
 {
     libxl_defbool_setdefault(&mi->enabled, false);
+    if (!mi->level)
+        mi->level = LIBXL_MODE_LEVEL_LOW;
     return 0;
 }
+
+
--- a/tools/xl/xl_mode.c
+++ b/tools/xl/xl_mode.c
@@ -0,0 +1,14 @@
+static int parse_mode(XLU_Config *config, libxl_mode_info *mi)
+{
+    const char *buf;
+
+    mi->level = LIBXL_MODE_LEVEL_HIGH;
+    if (!xlu_cfg_get_string(config, "mode_level", &buf, 0)) {
+        if (libxl_mode_level_from_string(buf, &mi->level))
+            return ERROR_INVAL;
+    }
+
+    return 0;
+}
+
+
`,
        expect: [{ line: 5, messageId: 'misplaced', verdict: 'verified' }],
      },
      {
        name: 'in tree mode, the tree\'s header declares the type\'s defaults function',
        patch: `--- a/tools/xl/xl_mode.c
+++ b/tools/xl/xl_mode.c
@@ -1,6 +1,19 @@
 #include "libxl_mode.h"
 
 static int other(void)
 {
     return 0;
 }
+
+static int parse_mode(XLU_Config *config, libxl_mode_info *mi)
+{
+    const char *buf;
+
+    mi->level = LIBXL_MODE_LEVEL_HIGH;
+    if (!xlu_cfg_get_string(config, "mode_level", &buf, 0)) {
+        if (libxl_mode_level_from_string(buf, &mi->level))
+            return ERROR_INVAL;
+    }
+
+    return 0;
+}
`,
        tree: {
          'tools/xl/xl_mode.c': '#include "libxl_mode.h"\n\nstatic int other(void)\n{\n    return 0;\n}\n',
          'tools/include/libxl_mode.h': 'typedef struct libxl_mode_info libxl_mode_info;\n\nint libxl__mode_info_setdefault(libxl__gc *gc, libxl_mode_info *mi);\n',
        },
        expect: [{ line: 12, messageId: 'misplaced', verdict: 'verified' }],
      },
    ],
    clean: [
      {
        name: 'the default is set in the defaults function itself',
        patch: `--- a/tools/libs/light/libxl_mode.c
+++ b/tools/libs/light/libxl_mode.c
@@ -0,0 +1,12 @@
+int libxl__mode_info_setdefault(libxl__gc *gc, libxl_mode_info *mi)
+{
+    mi->level = LIBXL_MODE_LEVEL_LOW;
+    if (mi->flags & MODE_FLAG_FAST)
+        mi->level = mode_level_for(mi->flags);
+    return 0;
+}
+
+
+
+
+
`,
      },
      {
        name: 'the value comes from the input, not a constant: a setting, not a default',
        patch: `--- a/tools/xl/xl_mode.c
+++ b/tools/xl/xl_mode.c
@@ -0,0 +1,15 @@
+int libxl__mode_info_setdefault(libxl__gc *gc, libxl_mode_info *mi);
+
+static int parse_mode(XLU_Config *config, libxl_mode_info *mi, long def)
+{
+    const char *buf;
+
+    mi->level = def;
+    if (!xlu_cfg_get_string(config, "mode_level", &buf, 0)) {
+        if (libxl_mode_level_from_string(buf, &mi->level))
+            return ERROR_INVAL;
+    }
+
+    return 0;
+}
+
`,
      },
      {
        name: 'every path replaces the constant: it is never kept, so it is no default',
        refuted: true,
        patch: `--- a/tools/libs/light/libxl_mode.c
+++ b/tools/libs/light/libxl_mode.c
@@ -0,0 +1,16 @@
+int libxl__mode_info_setdefault(libxl__gc *gc, libxl_mode_info *mi);
+
+static int parse_mode(const char *buf, libxl_mode_info *mi)
+{
+    int rc;
+
+    mi->level = LIBXL_MODE_LEVEL_HIGH;
+    rc = libxl_mode_level_from_string(buf, &mi->level);
+    mi->level = mode_level_clamp(mi->level);
+    return rc;
+}
+
+
+
+
+
`,
      },
    ],
  },
});
