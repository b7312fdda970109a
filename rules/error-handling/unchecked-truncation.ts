import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { descendants, fold } from '../../src/review/ast.ts';
import { argumentsOf, calleeName, peel } from '../../src/review/calls.ts';
import { PRINTF_MACROS, PRINTF_MACROS_SOURCE, TRUNCATION_TESTED_IN, truncatingWriter } from '../../src/review/api-data.ts';
import { isLogCall, modelFor } from '../../src/sim/index.ts';
import { patchDay, projectOf } from '../../src/knowledge/mined.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { SEED_THREAD } from './source.ts';

/** One piece of a format: literal text, or a conversion (`%-8s`, `%llx`) with its width and precision. */
type Piece = { kind: 'text'; length: number } | { kind: 'conv'; conv: string; length: string; width: number | '*' | null; precision: number | '*' | null; flags: string };

/**
 * The format's text when every part of it is a string literal or a known printf macro (`"%" PRIu32 ".ta"`), else null.
 * Escapes count as the one character they stand for.
 */
function formatText(node: SyntaxNode): string | null {
  const parts = node.type === 'concatenated_string' ? node.namedChildren : [node];
  let out = '';
  for (const p of parts) {
    if (p.type === 'string_literal') {
      const body = p.text.replace(/^[LuU8]*"/, '').replace(/"$/, '');
      out += body.replace(/\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)/g, 'e');
    } else if (p.type === 'identifier' && PRINTF_MACROS[p.text]) out += PRINTF_MACROS[p.text];
    else return null;
  }
  return out;
}

function parseFormat(text: string): Piece[] | null {
  const out: Piece[] = [];
  const rx = /%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?(hh|h|ll|l|j|z|t|L)?([a-zA-Z%])/g;
  let last = 0;
  for (let m = rx.exec(text); m; m = rx.exec(text)) {
    if (m.index > last) out.push({ kind: 'text', length: m.index - last });
    last = rx.lastIndex;
    if (m[5] === '%') {
      out.push({ kind: 'text', length: 1 });
      continue;
    }
    const num = (s: string | undefined): number | '*' | null => (s === undefined ? null : s === '*' ? '*' : Number(s || '0'));
    out.push({ kind: 'conv', flags: m[1] ?? '', width: num(m[2]), precision: num(m[3]), length: m[4] ?? '', conv: m[5]! });
  }
  if (text.slice(last).includes('%')) return null;
  if (last < text.length) out.push({ kind: 'text', length: text.length - last });
  return out;
}

/** A parameter of the function that is a string of any length from the caller: `const char *name`. */
function stringParams(ctx: FunctionContext): Set<string> {
  return new Set(ctx.post.params.filter((p) => /\bchar\b/.test(p.type) && /\*\s*$/.test(p.type.replace(/\bconst\b/g, '').trim())).map((p) => p.name));
}

/** Whether `name` is measured (`strlen(name)`, `strnlen(name, ..)`) before `before`: its length is then known to the code. */
function measuredBefore(fn: SyntaxNode, name: string, before: SyntaxNode): boolean {
  for (const c of descendants(fn, 'call_expression')) {
    if (c.startIndex >= before.startIndex) break;
    if (!/len$/.test(calleeName(c))) continue;
    if (argumentsOf(c).some((a) => [...descendants(a, 'identifier')].some((i) => i.text === name) || peel(a)?.text === name)) return true;
  }
  return false;
}

/** The argument that is a caller's string of any length, copied whole into the output (none: the output is bounded or unknown). */
function unboundedSource(ctx: FunctionContext, call: SyntaxNode, writer: NonNullable<ReturnType<typeof truncatingWriter>>): string | null {
  const args = argumentsOf(call);
  const params = stringParams(ctx);
  const unbounded = (a: SyntaxNode | undefined): string | null => {
    const e = peel(a ?? null);
    return e?.type === 'identifier' && params.has(e.text) && !measuredBefore(ctx.post.node, e.text, call) ? e.text : null;
  };
  if (writer.from !== undefined) return unbounded(args[writer.from]);
  if (writer.format === undefined) return null;
  const fmt = args[writer.format];
  const text = fmt ? formatText(fmt) : null;
  const pieces = text === null ? null : parseFormat(text);
  if (!pieces) return null;
  let next = writer.format + 1;
  for (const p of pieces) {
    if (p.kind !== 'conv') continue;
    if (p.width === '*') next++;
    if (p.precision === '*') next++;
    if (p.conv === 's' && p.precision === null) {
      const name = unbounded(args[next]);
      if (name) return name;
    }
    next++;
  }
  return null;
}

/**
 * The size the call is given, as written: the size argument, or for `sizeof(buf)` the bound `buf` is declared with in the
 * function (`char buf[NAME_MAX + 6]`). Null when not visible.
 */
function sizeWritten(fn: SyntaxNode, size: SyntaxNode | undefined): SyntaxNode | null {
  const e = peel(size ?? null);
  if (e?.type !== 'sizeof_expression') return e;
  const of = peel(e.childForFieldName('value') ?? e.namedChild(0));
  if (of?.type !== 'identifier') return null;
  for (const d of descendants(fn, 'array_declarator')) {
    if (d.childForFieldName('declarator')?.text === of.text) return peel(d.childForFieldName('size'));
  }
  return null;
}

/** A size written as a maximum plus room for the rest (`NAME_MAX + 6`): the author sized the buffer for a bounded input. */
function sizedForParts(size: SyntaxNode | null): boolean {
  return size?.type === 'binary_expression' && size.childForFieldName('operator')?.text === '+' &&
    [size.childForFieldName('left'), size.childForFieldName('right')].some((s) => peel(s)?.type === 'number_literal');
}

/** Printing calls: the cut text is only read by a person. */
function isPrinting(callee: string): boolean {
  if (isLogCall(callee) || /^[A-Z]*MSG[A-Z_]*$/.test(callee)) return true;
  return callee.toLowerCase().split('_').some((w) => /^(v?s?n?printk?f?|print|puts|log|trace|panic|warn|err|dbg|debug|info|msg)$/.test(w));
}

/** Calls that release, lock or count an object rather than read its name. */
const HOUSEKEEPING = /(^|_)(free|release|put|destroy|unlock|lock|unref)(_|$)/i;

/** The first later use of the buffer as a name: handed to a call that is not a print, or returned. */
function nameUse(ctx: FunctionContext, call: SyntaxNode, dest: SyntaxNode): SyntaxNode | null {
  const text = fold(dest.text);
  const root = dest.type === 'field_expression' ? peel(dest.childForFieldName('argument')) : null;
  const same = (a: SyntaxNode, callee?: string): boolean => {
    const e = peel(a);
    if (!e) return false;
    const inner = e.type === 'pointer_expression' && e.childForFieldName('operator')?.text === '&' ? peel(e.childForFieldName('argument')) : e;
    const t = fold(inner?.text ?? '');
    if (t === text) return true;
    // The object holding the buffer handed on (`open(fh)` after `snprintf(fh->name, ..)`), to anything but its release or a lock.
    return !!root && root.type === 'identifier' && t === root.text && !(callee && (modelFor(callee) || HOUSEKEEPING.test(callee)));
  };
  for (const n of descendants(ctx.post.node, new Set(['call_expression', 'return_statement']))) {
    if (n.startIndex < call.endIndex) continue;
    if (n.type === 'return_statement') {
      const v = n.namedChild(0);
      if (v && same(v)) return n;
      continue;
    }
    const callee = calleeName(n);
    if (!callee || isPrinting(callee) || truncatingWriter(callee)) continue;
    if (argumentsOf(n).some((a) => same(a, callee))) return n;
  }
  return null;
}

/** The variable a writer's result is stored in (`v = snprintf(..);`, `int v = snprintf(..);`), if that is all the statement does. */
function storedIn(call: SyntaxNode): string | null {
  const up = call.parent;
  if (up?.type === 'assignment_expression' && up.childForFieldName('operator')?.text === '=' && up.parent?.type === 'expression_statement') {
    const left = up.childForFieldName('left');
    return left?.type === 'identifier' ? left.text : null;
  }
  if (up?.type === 'init_declarator') {
    const d = up.childForFieldName('declarator');
    return d?.type === 'identifier' ? d.text : null;
  }
  return null;
}

/** Inside the condition of an if/while/for/?:, or in a comparison: a test of the value. */
function tested(id: SyntaxNode): boolean {
  for (let n: SyntaxNode = id; n.parent; n = n.parent) {
    const p = n.parent;
    if (p.childForFieldName('condition')?.id === n.id) return true;
    if (p.type === 'binary_expression' && ['<', '<=', '>', '>=', '==', '!='].includes(p.childForFieldName('operator')?.text ?? '')) return true;
    if (p.type === 'call_expression' && /min|max|clamp/i.test(calleeName(p))) return true;
    if (/_statement$|^declaration$/.test(p.type)) return false;
  }
  return false;
}

/**
 * The first later call that is handed the buffer and, as another argument, an expression of `v` (`copy(dst, buf, v + 1)`):
 * the result used as the length of what the buffer holds. Null when `v` is tested, or written, on the way.
 */
function lengthUse(ctx: FunctionContext, call: SyntaxNode, dest: SyntaxNode, v: string): SyntaxNode | null {
  const text = fold(dest.text);
  const isDest = (a: SyntaxNode): boolean => {
    const e = peel(a);
    const inner = e?.type === 'pointer_expression' && e.childForFieldName('operator')?.text === '&' ? peel(e.childForFieldName('argument')) : e;
    return fold(inner?.text ?? '') === text;
  };
  let firstUse: SyntaxNode | null = null;
  for (const c of descendants(ctx.post.node, 'call_expression')) {
    if (c.startIndex < call.endIndex) continue;
    const args = argumentsOf(c);
    const i = args.findIndex(isDest);
    if (i < 0 || truncatingWriter(calleeName(c)) || isPrinting(calleeName(c))) continue;
    const readsV = (a: SyntaxNode): boolean => peel(a)?.text === v || [...descendants(a, 'identifier')].some((x) => x.text === v);
    if (args.some((a, j) => j !== i && readsV(a))) {
      firstUse = c;
      break;
    }
  }
  if (!firstUse) return null;
  for (const id of descendants(ctx.post.node, 'identifier')) {
    if (id.text !== v || id.startIndex <= call.endIndex || id.startIndex >= firstUse.startIndex) continue;
    const p = id.parent;
    if (tested(id)) return null;
    if (p?.type === 'assignment_expression' && p.childForFieldName('left')?.id === id.id) return null;
    if (p?.type === 'update_expression' || (p?.type === 'pointer_expression' && p.childForFieldName('operator')?.text === '&')) return null;
  }
  return firstUse;
}

/** A statement of `fn` that tests a truncating writer's result (`r = snprintf(..); if (r >= ..)`, `if (snprintf(..) >= n)`). */
function testsWriterResult(fn: SyntaxNode): boolean {
  for (const c of descendants(fn, 'call_expression')) {
    if (!truncatingWriter(calleeName(c))) continue;
    let up: SyntaxNode | null = c.parent;
    while (up && (up.type === 'parenthesized_expression' || up.type === 'cast_expression')) up = up.parent;
    if (up?.type === 'binary_expression') return true;
    const target = up?.type === 'assignment_expression' ? up.childForFieldName('left') : up?.type === 'init_declarator' ? up.childForFieldName('declarator') : null;
    if (target?.type !== 'identifier') continue;
    for (const b of descendants(fn, 'binary_expression')) {
      if (b.startIndex <= c.endIndex || !['<', '<=', '>', '>=', '==', '!='].includes(b.childForFieldName('operator')?.text ?? '')) continue;
      if ([b.childForFieldName('left'), b.childForFieldName('right')].some((s) => peel(s)?.text === target.text)) return true;
    }
  }
  return false;
}

/** Why a bare call is out of the project's practice: the project's own code, or this patch's, tests such results. */
function evidenceFor(ctx: FunctionContext, callee: string): { says: string; source: string } | null {
  const project = projectOf([ctx.file.path]);
  // A patch written before the project took up the practice did not depart from it (no date: judged as written today).
  const day = patchDay(ctx.patch.meta.date);
  const data = TRUNCATION_TESTED_IN.find((e) => e.project === project && e.names.includes(callee) && (!day || day >= e.since));
  if (data) return { says: data.says, source: data.source };
  if (ctx.fn.pre && testsWriterResult(ctx.fn.pre.node)) {
    const says = `the code this patch replaces in ${ctx.fn.name}() tested such a result`;
    return { says, source: says };
  }
  for (const f of ctx.model.files) {
    for (const fn of f.functions) {
      if (fn.post && fn.post.node.id !== ctx.post.node.id && testsWriterResult(fn.post.node)) {
        const says = `this patch tests such a result in ${fn.post.name}()`;
        return { says, source: says };
      }
    }
  }
  return null;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'unchecked-truncation',
    pack: 'error-handling',
    family: 'unchecked-error',
    severity: 'warning',
    summary: 'An snprintf()/strlcpy() result that can report a cut output is not tested: the buffer is then used as a name (a cut name names something else), or the result as the length of what the buffer holds (read past its end).',
    source: {
      ...SEED_THREAD,
      quote: 'Looks error handling is not only a problem in VT-d code. Above actually should check return values of all suspend callbacks.',
    },
    messages: {
      cutLength:
        '`{{variable}} = {{callee}}(...)` is the length the whole output needed, not what {{dest}} holds: {{why}}, so it can exceed {{size}}, and {{function}}() uses it untested as the length of {{dest}} at line {{useLine}} (`{{useText}}`), reading past the end of {{dest}} when the output was cut. Test {{variable}} against {{size}} first.',
      truncatedName:
        '{{callee}}() copies {{param}}, a string of any length from the caller, into {{dest}} (at most {{size}}) and its result is not tested, yet {{function}}() then uses {{dest}} as a name at line {{useLine}} (`{{useText}}`): a longer {{param}} is silently cut and names something else. {{evidence}} Test the result ({{callee}}() returns the length it needed: `{{cut}}` means it was cut).',
    },
    fixable: false,
    limitations:
      'Two shapes. (1) Result stored in a variable that is never tested (no condition, comparison or min/max reads it) before a call is handed both the buffer and an expression of it (a length): flagged when the output can be longer than the buffer, a `%s` or copied source being a `char *` parameter, or the format computed (not a literal); no other evidence is needed. (2) Only a bare call (result discarded) of a writer listed in api-data.ts TRUNCATING_WRITERS whose format is all literal text and known printf macros, with a `%s` (no precision) or a copied source that is a `char *` parameter of the function not measured (strlen/strnlen) before the call: its length is the caller\'s, so any buffer can be too short. Numeric-only formats are not considered (a cut number needs a value range the review does not have), nor sources that are locals, fields or call results. A buffer sized as a maximum plus room for the rest (`NAME_MAX + 6`, written in the call or the array\'s declaration) is taken as sized for a bounded input and not considered. The buffer (or the object holding it, to anything but a release or a lock) must then be handed to a call that is not a print, or returned. Evidence that the result matters is required: the project tests such results (TRUNCATION_TESTED_IN: OP-TEE, for patches dated since it took up the practice, 2021), or the patch itself does (its pre-image of the function, or another function it shows). The simulator must show a path from the call to that use.',
  },
  detect(ctx) {
    const out = [];
    for (const call of descendants(ctx.post.node, 'call_expression')) {
      const callee = calleeName(call);
      const writer = truncatingWriter(callee);
      if (!writer || !ctx.isAdded(call)) continue;
      const args = argumentsOf(call);
      const dest = peel(args[writer.dest] ?? null);
      if (!dest || !['identifier', 'field_expression'].includes(dest.type)) continue;
      const size = fold(args[writer.size]?.text ?? '');
      const param = unboundedSource(ctx, call, writer);
      const stored = storedIn(call);
      if (stored) {
        // The result read as the length of what the buffer holds: past its end when the output was cut.
        const fmt = writer.format !== undefined ? peel(args[writer.format] ?? null) : null;
        const computed = !!fmt && !['string_literal', 'concatenated_string'].includes(fmt.type);
        if (!param && !computed) continue;
        const use = lengthUse(ctx, call, dest, stored);
        if (!use) continue;
        const why = param ? `${param} is a string of any length from the caller` : `the format \`${fold(fmt!.text)}\` is computed (nothing the patch shows bounds the output's length)`;
        out.push({ node: call, data: { kind: 'length', call, use, dest: fold(dest.text), size, variable: stored, why, writerSource: writer.source } });
        continue;
      }
      if (call.parent?.type !== 'expression_statement' || !param) continue;
      if (sizedForParts(sizeWritten(ctx.post.node, args[writer.size]))) continue;
      const use = nameUse(ctx, call, dest);
      if (!use) continue;
      const evidence = evidenceFor(ctx, callee);
      if (!evidence) continue;
      const cut = writer.format !== undefined ? '< 0 || >= ' : '>= ';
      out.push({ node: call, data: { kind: 'name', call, use, dest: fold(dest.text), size, param, evidence, cut, writerSource: writer.source } });
    }
    return out;
  },
  check(candidate, ctx) {
    const d = candidate.data as {
      kind: 'name' | 'length'; call: SyntaxNode; use: SyntaxNode; dest: string; size: string; writerSource: string;
      param?: string; evidence?: { says: string; source: string }; cut?: string; variable?: string; why?: string;
    };
    const callee = calleeName(d.call);
    const useText = fold(d.use.text);
    const common = {
      callee,
      dest: d.dest,
      size: d.size,
      function: ctx.fn.name,
      useLine: String(ctx.lineOf(d.use)),
      useText: useText.length > 80 ? `${useText.slice(0, 77)}...` : useText,
    };
    // A path from the call (its result anything it can be, a cut length included) to the use, with nothing testing it.
    const question = { kind: 'reached-when', call: d.call, result: 'positive', target: d.use, untested: true } as const;
    if (d.kind === 'length') {
      return {
        messageId: 'cutLength',
        data: { ...common, variable: d.variable!, why: d.why! },
        question,
        reliedOn: [`${callee}(): ${d.writerSource}`, d.why!],
      };
    }
    return {
      messageId: 'truncatedName',
      data: {
        ...common,
        param: d.param!,
        evidence: `${d.evidence!.says[0]!.toUpperCase()}${d.evidence!.says.slice(1)}.`,
        cut: `${d.cut!}${d.size}`,
      },
      question,
      reliedOn: [
        `${callee}(): ${d.writerSource}`,
        d.evidence!.source,
        `${d.param!} is a parameter of ${ctx.fn.name}(); nothing before the call measures it`,
        ...(/\bPRI/.test(d.call.text) ? [PRINTF_MACROS_SOURCE] : []),
      ],
    };
  },
  cases: {
    flagged: [
      {
        name: 'a caller\'s name formatted into a fixed buffer, then looked up (the project tests snprintf results)',
        patch: `--- a/core/drivers/led/led_dt.c
+++ b/core/drivers/led/led_dt.c
@@ -30,4 +30,17 @@ static TEE_Result led_probe(const void *fdt, int node)
 	return TEE_SUCCESS;
 }
 
+TEE_Result led_dt_get(const void *fdt, int node, const char *led_name,
+		      struct led **led)
+{
+	char prop[32] = { };
+	int offs = 0;
+
+	snprintf(prop, sizeof(prop), "%s-leds", led_name);
+	offs = fdt_subnode_offset(fdt, node, prop);
+	if (offs < 0)
+		return TEE_ERROR_ITEM_NOT_FOUND;
+	return led_from_node(fdt, offs, led);
+}
+
 DEFINE_DT_DRIVER(led_dt_driver) = {
`,
        expect: [{ line: 39, messageId: 'truncatedName', verdict: 'verified' }],
      },
      {
        name: 'the patch drops a test the old code made: the name now goes to a bounded buffer unchecked',
        patch: `--- a/xen/common/unit.c
+++ b/xen/common/unit.c
@@ -10,11 +10,8 @@ static struct unit *units;
 
 int unit_register(const char *base, unsigned int idx)
 {
     char name[24];
-    int len = snprintf(name, sizeof(name), "%s.%u", base, idx);
-
-    if ( len < 0 || len >= sizeof(name) )
-        return -ENAMETOOLONG;
 
+    snprintf(name, sizeof(name), "%s.%u", base, idx);
     return unit_add(name);
 }
`,
        expect: [{ line: 15, messageId: 'truncatedName', verdict: 'verified' }],
      },
      {
        name: 'strlcpy of a caller\'s key into a record that is then searched (the patch tests strlcpy elsewhere)',
        patch: `--- a/core/kernel/keystore.c
+++ b/core/kernel/keystore.c
@@ -12,4 +12,24 @@ static struct key_entry *entries;
 	return NULL;
 }
 
+static TEE_Result key_label(struct key_entry *e, char *buf, size_t len)
+{
+	size_t n = strlcpy(buf, e->label, len);
+
+	if (n >= len)
+		return TEE_ERROR_SHORT_BUFFER;
+	return TEE_SUCCESS;
+}
+
+TEE_Result key_find(const char *label, struct key_entry **out)
+{
+	struct key_query q = { };
+
+	strlcpy(q.label, label, sizeof(q.label));
+	*out = key_search(&q);
+	if (!*out)
+		return TEE_ERROR_ITEM_NOT_FOUND;
+	return TEE_SUCCESS;
+}
+
 static TEE_Result keystore_init(void)
`,
        expect: [{ line: 28, messageId: 'truncatedName', verdict: 'verified' }],
      },
      {
        name: 'the stored result is used as the length of what the buffer holds (a computed format)',
        patch: `--- a/xen/common/dirent.c
+++ b/xen/common/dirent.c
@@ -20,2 +20,15 @@ static unsigned int dirent_count;
 
+int dirent_read_name(const struct dirent_tmpl *tmpl, unsigned int id,
+                     void *out)
+{
+    char name[16];
+    unsigned int len;
+
+    len = snprintf(name, sizeof(name), tmpl->pattern, id);
+    if ( copy_bytes(out, name, len + 1) )
+        return -EFAULT;
+
+    return len;
+}
+
 static int __init dirent_init(void)
`,
        expect: [{ line: 27, messageId: 'cutLength', verdict: 'verified' }],
      },
    ],
    clean: [
      {
        name: 'near miss: the result is tested before the name is used',
        patch: `--- a/core/drivers/led/led_dt.c
+++ b/core/drivers/led/led_dt.c
@@ -30,4 +30,20 @@ static TEE_Result led_probe(const void *fdt, int node)
 	return TEE_SUCCESS;
 }
 
+TEE_Result led_dt_get(const void *fdt, int node, const char *led_name,
+		      struct led **led)
+{
+	char prop[32] = { };
+	int offs = 0;
+	int len = 0;
+
+	len = snprintf(prop, sizeof(prop), "%s-leds", led_name);
+	if (len < 0 || (size_t)len >= sizeof(prop))
+		return TEE_ERROR_OVERFLOW;
+	offs = fdt_subnode_offset(fdt, node, prop);
+	if (offs < 0)
+		return TEE_ERROR_ITEM_NOT_FOUND;
+	return led_from_node(fdt, offs, led);
+}
+
 DEFINE_DT_DRIVER(led_dt_driver) = {
`,
      },
      {
        name: 'near miss: the stored result is tested against the size before it is used as a length',
        patch: `--- a/xen/common/dirent.c
+++ b/xen/common/dirent.c
@@ -20,2 +20,17 @@ static unsigned int dirent_count;
 
+int dirent_read_name(const struct dirent_tmpl *tmpl, unsigned int id,
+                     void *out)
+{
+    char name[16];
+    unsigned int len;
+
+    len = snprintf(name, sizeof(name), tmpl->pattern, id);
+    if ( len >= sizeof(name) )
+        return -ENOBUFS;
+    if ( copy_bytes(out, name, len + 1) )
+        return -EFAULT;
+
+    return len;
+}
+
 static int __init dirent_init(void)
`,
      },
      {
        name: 'near miss: the length is used only where the output was not formatted',
        refuted: true,
        patch: `--- a/xen/common/dirent.c
+++ b/xen/common/dirent.c
@@ -20,2 +20,16 @@ static unsigned int dirent_count;
 
+int dirent_read_name(const struct dirent_tmpl *tmpl, unsigned int id,
+                     void *out, bool fixed)
+{
+    char name[16] = "static";
+    unsigned int len = 6;
+
+    if ( !fixed )
+        len = snprintf(name, sizeof(name), tmpl->pattern, id);
+    if ( fixed && copy_bytes(out, name, len + 1) )
+        return -EFAULT;
+
+    return 0;
+}
+
 static int __init dirent_init(void)
`,
      },
      {
        name: 'near miss: the buffer is sized from the string it copies (measured first)',
        patch: `--- a/core/drivers/led/led_dt.c
+++ b/core/drivers/led/led_dt.c
@@ -30,4 +30,17 @@ static TEE_Result led_probe(const void *fdt, int node)
 	return TEE_SUCCESS;
 }
 
+static char *led_prop_name(const char *led_name)
+{
+	size_t len = strlen(led_name) + strlen("-leds") + 1;
+	char *prop = calloc(1, len);
+
+	if (!prop)
+		return NULL;
+	snprintf(prop, len, "%s-leds", led_name);
+	return prop;
+}
+
+
+
 DEFINE_DT_DRIVER(led_dt_driver) = {
`,
      },
      {
        name: 'near miss: only numbers are formatted (the longest output fits, or a value range would be needed)',
        patch: `--- a/core/drivers/led/led_dt.c
+++ b/core/drivers/led/led_dt.c
@@ -30,4 +30,14 @@ static TEE_Result led_probe(const void *fdt, int node)
 	return TEE_SUCCESS;
 }
 
+static int led_node(const void *fdt, int node, unsigned int idx)
+{
+	char name[16] = { };
+
+	snprintf(name, sizeof(name), "led@%u", idx);
+	return fdt_subnode_offset(fdt, node, name);
+}
+
+
+
 DEFINE_DT_DRIVER(led_dt_driver) = {
`,
      },
      {
        name: 'near miss: the buffer is sized as the longest name plus the suffix',
        patch: `--- a/core/tee/store.c
+++ b/core/tee/store.c
@@ -40,4 +40,14 @@ static int store_rename(const char *from, const char *to)
 	return 0;
 }
 
+int store_backup(const char *file)
+{
+	char backup[STORE_NAME_MAX + 4];
+
+	snprintf(backup, sizeof(backup), "%s.bak", file);
+	return store_rename(file, backup);
+}
+
+
+
 static int store_init(void)
`,
      },
      {
        name: 'near miss: the object holding the name is only released afterwards',
        patch: `--- a/core/drivers/led/led_dt.c
+++ b/core/drivers/led/led_dt.c
@@ -30,4 +30,16 @@ static TEE_Result led_probe(const void *fdt, int node)
 	return TEE_SUCCESS;
 }
 
+static void led_rename(struct led *led, const char *led_name)
+{
+	struct led_label *l = led->label;
+
+	snprintf(l->text, sizeof(l->text), "%s", led_name);
+	if (!led->keep)
+		free(l);
+}
+
+
+
+
 DEFINE_DT_DRIVER(led_dt_driver) = {
`,
      },
      {
        name: 'near miss: the cut text is only printed',
        patch: `--- a/core/drivers/led/led_dt.c
+++ b/core/drivers/led/led_dt.c
@@ -30,4 +30,14 @@ static TEE_Result led_probe(const void *fdt, int node)
 	return TEE_SUCCESS;
 }
 
+static void led_report(const char *led_name, int state)
+{
+	char msg[32] = { };
+
+	snprintf(msg, sizeof(msg), "%s: %d", led_name, state);
+	IMSG("%s", msg);
+}
+
+
+
 DEFINE_DT_DRIVER(led_dt_driver) = {
`,
      },
      {
        name: 'near miss: an OP-TEE patch written before the project tested such results',
        patch: `From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001
From: A Developer <dev@example.org>
Date: Thu, 22 Jun 2017 16:14:35 +0200
Subject: [PATCH] core: led: look up a LED by name

---
 core/drivers/led/led_dt.c | 13 +++++++++++++
 1 file changed, 13 insertions(+)

diff --git a/core/drivers/led/led_dt.c b/core/drivers/led/led_dt.c
--- a/core/drivers/led/led_dt.c
+++ b/core/drivers/led/led_dt.c
@@ -30,4 +30,17 @@ static TEE_Result led_probe(const void *fdt, int node)
 	return TEE_SUCCESS;
 }
 
+TEE_Result led_dt_get(const void *fdt, int node, const char *led_name,
+		      struct led **led)
+{
+	char prop[32] = { };
+	int offs = 0;
+
+	snprintf(prop, sizeof(prop), "%s-leds", led_name);
+	offs = fdt_subnode_offset(fdt, node, prop);
+	if (offs < 0)
+		return TEE_ERROR_ITEM_NOT_FOUND;
+	return led_from_node(fdt, offs, led);
+}
+
 DEFINE_DT_DRIVER(led_dt_driver) = {
-- 
2.30.0
`,
      },
      {
        name: 'near miss: no evidence the project or the patch tests such results (Xen)',
        patch: `--- a/xen/common/unit.c
+++ b/xen/common/unit.c
@@ -10,2 +10,10 @@ static struct unit *units;
 
+int unit_register(const char *base, unsigned int idx)
+{
+    char name[24];
+
+    snprintf(name, sizeof(name), "%s.%u", base, idx);
+    return unit_add(name);
+}
+
 static int __init units_init(void)
`,
      },
      {
        name: 'near miss: the name is used only on the path that did not format it',
        patch: `--- a/core/drivers/led/led_dt.c
+++ b/core/drivers/led/led_dt.c
@@ -30,4 +30,16 @@ static TEE_Result led_probe(const void *fdt, int node)
 	return TEE_SUCCESS;
 }
 
+static int led_lookup(const void *fdt, int node, const char *led_name,
+		      bool by_index)
+{
+	char prop[32] = "default-leds";
+
+	if (by_index)
+		snprintf(prop, sizeof(prop), "%s-leds", led_name);
+	if (by_index)
+		return fdt_node_offset_by_phandle(fdt, node);
+	return fdt_subnode_offset(fdt, node, prop);
+}
+
 DEFINE_DT_DRIVER(led_dt_driver) = {
`,
        refuted: true,
      },
    ],
  },
});
