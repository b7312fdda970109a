import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { assignedCall, calleeName, descendants, fold, isMarkerStatement } from '../../src/review/ast.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { indentAt, removeRows, type Edit } from '../../src/review/edits.ts';
import { returnCallText } from './temporaries.ts';
import { SEED_THREAD } from './source.ts';

/** `v = f(...);` (or `T v = f(...);`) right before `return v;` in the same block. */
interface Pair {
  assign: SyntaxNode;
  ret: SyntaxNode;
  call: SyntaxNode;
  variable: string;
  /** The statements of the block both stand in. */
  block: SyntaxNode;
}

/** A local's declaration anywhere in the visible function: the declaration statement, its declarator, its type. */
interface Local {
  decl: SyntaxNode;
  declarator: SyntaxNode;
  init: SyntaxNode | null;
  /** Names the declaration declares. */
  count: number;
  /** The declared type with pointer stars, spaces folded ("struct page *"). */
  type: string;
  /** static/extern/volatile: the value outlives the return or is observable elsewhere. */
  lasting: boolean;
}

/** Statements of a block or of a case arm (the case's value is no statement). */
function statementsIn(block: SyntaxNode): SyntaxNode[] {
  const value = block.type === 'case_statement' ? block.childForFieldName('value') : null;
  return block.namedChildren.filter((c) => c.type !== 'comment' && c.id !== value?.id);
}

const returned = (ret: SyntaxNode): SyntaxNode | null => {
  let v = ret.namedChild(0);
  while (v?.type === 'parenthesized_expression' && v.namedChildCount === 1) v = v.namedChild(0);
  return v;
};

function pairs(ctx: FunctionContext): Pair[] {
  const out: Pair[] = [];
  for (const ret of descendants(ctx.post.node, 'return_statement')) {
    const value = returned(ret);
    const block = ret.parent;
    if (value?.type !== 'identifier' || !block || (block.type !== 'compound_statement' && block.type !== 'case_statement')) continue;
    const list = statementsIn(block);
    const prev = list[list.findIndex((s) => s.id === ret.id) - 1];
    const a = prev ? assignedCall(prev) : null;
    if (!a || a.variable !== value.text || isMarkerStatement(prev!)) continue;
    // A comment between them would go with the rewrite: the author's words stay.
    if (block.namedChildren.some((c) => c.type === 'comment' && c.startIndex > prev!.endIndex && c.endIndex < ret.startIndex)) continue;
    out.push({ assign: prev!, ret, call: a.call, variable: a.variable, block });
  }
  return out;
}

const normType = (t: string): string => fold(t.replace(/\*/g, ' * ')).replace(/ \*/g, ' *').replace(/\* /g, '*').replace(/\*(?=\w)/, '* ');

/** The declarator's name and the pointer stars around it. */
function declaratorName(d: SyntaxNode): { name: string; stars: number } | null {
  let n: SyntaxNode | null = d.type === 'init_declarator' ? d.childForFieldName('declarator') : d;
  let stars = 0;
  while (n && n.type === 'pointer_declarator') {
    stars++;
    n = n.childForFieldName('declarator');
  }
  return n?.type === 'identifier' ? { name: n.text, stars } : null;
}

function localOf(ctx: FunctionContext, name: string): Local | undefined {
  for (const decl of descendants(ctx.post.node, 'declaration')) {
    const declarators = decl.childrenForFieldName('declarator');
    for (const d of declarators) {
      const hit = declaratorName(d);
      if (hit?.name !== name) continue;
      const typeNode = decl.childForFieldName('type');
      const qualifiers = decl.namedChildren.filter((c) => c.type === 'type_qualifier').map((c) => c.text);
      const storage = decl.namedChildren.filter((c) => c.type === 'storage_class_specifier').map((c) => c.text);
      const base = [...qualifiers.filter((q) => q === 'const'), typeNode?.text ?? ''].join(' ');
      return {
        decl,
        declarator: d,
        init: d.type === 'init_declarator' ? d.childForFieldName('value') : null,
        count: declarators.length,
        type: normType(`${base} ${'*'.repeat(hit.stars)}`),
        lasting: storage.some((s) => s !== 'register' && s !== 'auto') || qualifiers.includes('volatile'),
      };
    }
  }
  return undefined;
}

/** Identifier uses of `name` outside the pair and outside its declaration's declarator name. */
function otherUses(ctx: FunctionContext, p: Pair, local: Local | undefined): SyntaxNode[] {
  const inside = (n: SyntaxNode, o: SyntaxNode): boolean => n.startIndex >= o.startIndex && n.endIndex <= o.endIndex;
  return [...descendants(ctx.post.node, 'identifier')].filter((id) => {
    if (id.text !== p.variable || inside(id, p.assign) || inside(id, p.ret)) return false;
    if (local && inside(id, local.declarator) && !(local.init && inside(id, local.init))) return false;
    return !(id.parent?.type === 'field_expression' && id.parent.childForFieldName('field')?.id === id.id);
  });
}

/** A constant (or nothing) initialises it: dropping the declaration drops no effect. */
const harmlessInit = (init: SyntaxNode | null): boolean =>
  !init || init.type === 'number_literal' || init.type === 'null' || init.type === 'true' || init.type === 'false' ||
  (init.type === 'identifier' && /^[A-Z][A-Z0-9_]*$/.test(init.text)) ||
  (init.type === 'unary_expression' && init.namedChild(0)?.type === 'number_literal');

/** The declarator removed from its declaration: the whole rows when it declares only this name. */
function dropLocal(ctx: FunctionContext, l: Local): Edit {
  if (l.count === 1) {
    const drop = removeRows(ctx.post, l.decl);
    const src = ctx.post.source;
    const first = l.decl.parent && statementsIn(l.decl.parent)[0]?.id === l.decl.id;
    if (drop.text !== '' || src[drop.end - 1] !== '\n' || drop.start === 0) return drop;
    if (first) {
      // The block's first statement takes the blank row after it along (it would open the block).
      const next = src.indexOf('\n', drop.end);
      return next >= 0 && /^[ \t]*$/.test(src.slice(drop.end, next)) ? { ...drop, end: next + 1 } : drop;
    }
    // From the end of the row before: the blank row after the declarations stays where it was.
    return { start: drop.start - 1, end: drop.end - 1, text: '' };
  }
  const src = ctx.post.source;
  const before = src.lastIndexOf(',', l.declarator.startIndex);
  if (before > l.decl.startIndex) return { start: before, end: l.declarator.endIndex, text: '' };
  const after = src.indexOf(',', l.declarator.endIndex);
  const next = /\S/.exec(src.slice(after + 1))!;
  return { start: l.declarator.startIndex, end: after + 1 + next.index, text: '' };
}

/** The pair becomes `return f(...);`; a braced if-body left holding only that return loses its braces. */
function rewrite(ctx: FunctionContext, p: Pair): Edit[] {
  const text = returnCallText(p.call, p.assign);
  const rest = statementsIn(p.block).filter((s) => s.id !== p.assign.id && s.id !== p.ret.id);
  const holder = p.block.parent;
  if (rest.length === 0 && p.block.type === 'compound_statement' && holder?.type === 'if_statement' &&
      holder.childForFieldName('consequence')?.id === p.block.id && !holder.childForFieldName('alternative')) {
    const rowStart = ctx.post.source.lastIndexOf('\n', p.block.startIndex - 1) + 1;
    return [{ start: rowStart, end: p.block.endIndex, text: `${indentAt(ctx.post, p.assign)}${text}` }];
  }
  return [{ start: p.assign.startIndex, end: p.ret.endIndex, text }];
}

/** The lines the patch removes, folded: a pair the patch only moves is the old code, not the author's choice. */
function removedTexts(ctx: FunctionContext): Set<string> {
  const out = new Set<string>();
  for (const f of ctx.patch.files) for (const h of f.hunks) for (const l of h.lines) if (l.kind === 'del') out.add(fold(l.text));
  return out;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'returned-temporary',
    pack: 'simplify',
    family: 'redundant-temporary',
    severity: 'info',
    summary: 'A local only carries a call\'s result to the `return` right after it: return the call.',
    source: { ...SEED_THREAD, quote: 'if ( !seg ) return me_wifi_quirk(...);' },
    messages: {
      returnDirectly:
        '{{variable}} only carries the result of {{callee}}() to the `return` on the next line: `{{suggestion}}` says the same, and {{variable}} is then not needed.',
      returnDirectlyIfUnused:
        '{{variable}} seems to only carry the result of {{callee}}() to the `return` on the next line, so `{{suggestion}}` would do, if {{variable}} is a local of {{function}}() of its return type that the code the patch does not show does not use.',
    },
    fixable: true,
    limitations:
      'Only a variable whose every visible use is the assignment and the return (a declaration with a constant initialiser aside), declared with the function\'s own return type (not static or volatile); a pair the patch only moves (the same lines removed elsewhere) is left alone. In a fragment whose unseen code may declare or use the variable the verdict is inconclusive and says what it assumes.',
  },
  detect(ctx) {
    const out = [];
    let removed: Set<string> | undefined;
    for (const p of pairs(ctx)) {
      if (!(ctx.touchesAdded(p.assign) || ctx.touchesAdded(p.ret))) continue;
      const local = localOf(ctx, p.variable);
      // The variable does more than carry this value: the author's sequence (`rc = a(); ... rc = b(); return rc;`).
      if (otherUses(ctx, p, local).length > 0) continue;
      if (local && (local.lasting || (local.decl.id !== p.assign.id && !harmlessInit(local.init)))) continue;
      // Declared with another type than the function returns: the copy converts the value.
      if (local && ctx.post.returnType && normType(ctx.post.returnType) !== local.type) continue;
      if (!local && !ctx.post.isFragment && !ctx.post.params.some((x) => x.name === p.variable)) {
        // Not declared in a whole function: a global, whose value callers may read. The simulator refutes it.
        out.push({ node: p.assign, data: { p } });
        continue;
      }
      removed ??= removedTexts(ctx);
      if (removed.has(fold(p.assign.text)) && removed.has(fold(p.ret.text))) continue;
      out.push({ node: p.assign, data: { p } });
    }
    return out;
  },
  check(candidate, ctx) {
    const p = candidate.data.p as Pair;
    const local = localOf(ctx, p.variable);
    const param = ctx.post.params.some((x) => x.name === p.variable);
    const edits = rewrite(ctx, p);
    if (local && local.decl.id !== p.assign.id) edits.push(dropLocal(ctx, local));
    const suggestion = `return ${fold(p.call.text)};`;
    const data = { variable: p.variable, callee: calleeName(p.call), suggestion, function: ctx.fn.name };
    const proof = `${p.variable} is not read after the return, and the rewrite returns the same value with the same calls on every path of ${ctx.fn.name}()`;
    const unseen = ctx.post.isFragment && ctx.post.gaps.length > 0;
    if (!unseen || (param && !local)) {
      return {
        messageId: 'returnDirectly',
        data,
        question: { kind: 'equivalent-rewrite', edits, fix: `return ${calleeName(p.call)}()'s result directly`, proof },
      };
    }
    const what = local
      ? `assumes the code the patch does not show does not use ${p.variable}, so its declaration goes too`
      : `assumes ${p.variable} is a local of ${ctx.fn.name}()${ctx.post.returnType ? ` of type ${ctx.post.returnType}` : ' of its return type'}, declared and used nowhere else in the code the patch does not show`;
    return {
      messageId: 'returnDirectlyIfUnused',
      data,
      question: {
        kind: 'equivalent-rewrite',
        edits,
        fix: `return ${calleeName(p.call)}()'s result directly`,
        proof,
        assume: { edits: [], statement: what },
      },
    };
  },
  cases: {
    flagged: [
      {
        name: 'the whole function: the variable is declared for this one value',
        patch: `--- a/xen/arch/x86/acpi/quux.c
+++ b/xen/arch/x86/acpi/quux.c
@@ -40,10 +40,12 @@ static unsigned int quux_freq(unsigned int cpu)
 static unsigned int quux_cur_freq(unsigned int cpu)
 {
     struct quux_data *data = quux_data[cpu];
+    unsigned int freq;
 
     if ( !data )
         return 0;
 
-    return data->freq;
+    freq = quux_extract(quux_read(cpu), data);
+    return freq;
 }
 
`,
        expect: [
          {
            line: 48,
            messageId: 'returnDirectly',
            verdict: 'verified',
            fix: '    struct quux_data *data = quux_data[cpu];\n\n    if ( !data )\n        return 0;\n\n    return quux_extract(quux_read(cpu), data);',
          },
        ],
      },
      {
        name: 'inside an if: the braces go with the temporary',
        patch: `--- a/xen/drivers/quux/qinv.c
+++ b/xen/drivers/quux/qinv.c
@@ -30,12 +30,12 @@ static int quux_wait(struct quux *q, int sw)
 int quux_sync(struct quux *q)
 {
     int ret = -1;
 
     if ( q->maddr != 0 )
     {
-        ret = quux_wait(q, 0, 1);
+        ret = quux_wait(q, 1);
         return ret;
     }
     return 0;
 }
 
`,
        expect: [{ line: 36, messageId: 'returnDirectly', verdict: 'verified', fix: '    if ( q->maddr != 0 )\n        return quux_wait(q, 1);' }],
      },
      {
        name: 'a fragment: the declaration is in code the patch does not show',
        patch: `--- a/xen/arch/x86/quux.c
+++ b/xen/arch/x86/quux.c
@@ -817,7 +817,7 @@ static int quux_enable(struct quux_info *info, struct quux_desc **desc)
 
     }
 
-    status = quux_capability_init(dev, info, desc);
+    status = quux_capability_init(dev, info, desc, nr);
     return status;
 }
 
`,
        expect: [{ line: 820, messageId: 'returnDirectlyIfUnused', verdict: 'inconclusive' }],
      },
      {
        name: 'an OP-TEE style declaration with its call, in a whole function',
        patch: `--- a/core/drivers/drv_clk.c
+++ b/core/drivers/drv_clk.c
@@ -40,5 +40,7 @@ static TEE_Result drv_clk_probe(void)
 
 static TEE_Result drv_clk_enable(struct drv_clk *clk)
 {
-	return drv_clk_hw_enable(clk, 0);
+	TEE_Result res = drv_clk_hw_enable(clk, DRV_FLAGS);
+
+	return res;
 }
`,
        expect: [{ line: 43, messageId: 'returnDirectly', verdict: 'verified', fix: '\treturn drv_clk_hw_enable(clk, DRV_FLAGS);' }],
      },
    ],
    clean: [
      {
        name: 'the variable is a global that callers read, so the assignment must stay',
        refuted: true,
        patch: `--- a/xen/drivers/ops.c
+++ b/xen/drivers/ops.c
@@ -20,5 +20,6 @@ int ops_do(void)
 
 int ops_suspend(void)
 {
-    return ops_get()->suspend();
+    ops_last_rc = ops_get()->suspend();
+    return ops_last_rc;
 }
`,
      },
      {
        name: 'the variable carries other results too: the author\'s sequence of calls',
        patch: `--- a/xen/drivers/ops.c
+++ b/xen/drivers/ops.c
@@ -20,5 +20,10 @@ int ops_do(void)
 
 int ops_resume(void)
 {
-    return ops_get()->resume();
+    int rc = ops_get()->prepare();
+
+    if ( rc )
+        return rc;
+    rc = ops_get()->resume();
+    return rc;
 }
`,
      },
      {
        name: 'the variable has another type than the function returns: the copy converts the value',
        patch: `--- a/xen/drivers/ops.c
+++ b/xen/drivers/ops.c
@@ -20,5 +20,8 @@ int ops_do(void)
 
 long ops_count(void)
 {
-    return ops_get()->count();
+    int n;
+
+    n = ops_get()->count();
+    return n;
 }
`,
      },
      {
        name: 'a static local keeps the value for the next call',
        patch: `--- a/xen/drivers/ops.c
+++ b/xen/drivers/ops.c
@@ -20,5 +20,8 @@ int ops_do(void)
 
 int ops_last(void)
 {
-    return ops_get()->last();
+    static int last;
+
+    last = ops_get()->last();
+    return last;
 }
`,
      },
      {
        name: 'the patch only moves the function: the pair is the old code',
        patch: `--- a/xen/drivers/ops.c
+++ b/xen/drivers/ops.c
@@ -20,13 +20,13 @@ int ops_do(void)
 
-static int ops_register(void)
-{
-    int ret;
-
-    ret = ops_register_one(&ops_driver);
-    return ret;
-}
-
 int ops_init(void)
 {
     return 0;
 }
+
+static int ops_register(void)
+{
+    int ret;
+
+    ret = ops_register_one(&ops_driver);
+    return ret;
+}
`,
      },
    ],
  },
});
