import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { descendants, isMarkerStatement, squash } from '../../src/review/ast.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { indentAt, insertRowsAfter, reindent, removeRows, rowsText, type Edit } from '../../src/review/edits.ts';
import { SEED_THREAD } from './source.ts';

/** A case label's own statements (its value and comments left out). */
function armStatements(c: SyntaxNode): SyntaxNode[] {
  const value = c.childForFieldName('value');
  return c.namedChildren.filter((x) => x.id !== value?.id && x.type !== 'comment');
}

const isFinal = (s: SyntaxNode): boolean => s.type === 'return_statement' || s.type === 'break_statement';

interface Arm {
  label: SyntaxNode;
  body: SyntaxNode[];
}

/** Arms of a switch that end in `return X;` or `break;` (an arm whose body is a gap or a block is left out). */
function arms(sw: SyntaxNode): Arm[] {
  const body = sw.childForFieldName('body');
  if (body?.type !== 'compound_statement') return [];
  const out: Arm[] = [];
  for (const c of body.namedChildren) {
    if (c.type !== 'case_statement') continue;
    const list = armStatements(c);
    const last = list[list.length - 1];
    if (!last || !isFinal(last) || list.some(isMarkerStatement)) continue;
    out.push({ label: c, body: list });
  }
  return out;
}

/** How many statements before the final one every arm ends with, the same in all (each arm keeps one of its own). */
function commonTail(group: Arm[]): number {
  const bodies = group.map((a) => a.body.slice(0, -1));
  let k = 0;
  while (
    bodies.every((b) => k < b.length - 1) &&
    bodies.every((b) => squash(b[b.length - 1 - k]!.text) === squash(bodies[0]![bodies[0]!.length - 1 - k]!.text))
  ) k++;
  return k;
}

/** Unseen code inside the switch: a gap among its items or at the end of an arm (unseen labels and arms). */
function gapsIn(sw: SyntaxNode): SyntaxNode[] {
  return [...descendants(sw.childForFieldName('body')!, 'expression_statement')].filter(
    (s) => isMarkerStatement(s) && (s.parent?.type === 'case_statement' || s.parent?.id === sw.childForFieldName('body')?.id),
  );
}

/** Groups of at least two arms (one of them added or changed) ending with the same statements and the same exit. */
function duplicatedEpilogues(ctx: FunctionContext, sw: SyntaxNode): { group: Arm[]; k: number }[] {
  const byEnd = new Map<string, Arm[]>();
  for (const arm of arms(sw)) {
    if (arm.body.length < 3) continue;
    const key = `${squash(arm.body[arm.body.length - 2]!.text)}\u0000${squash(arm.body[arm.body.length - 1]!.text)}`;
    byEnd.set(key, [...(byEnd.get(key) ?? []), arm]);
  }
  const out = [];
  for (const group of byEnd.values()) {
    if (group.length < 2 || !group.some((a) => ctx.touchesAdded(a.label))) continue;
    const k = commonTail(group);
    const tail = group[0]!.body.slice(group[0]!.body.length - 1 - k, -1);
    // The epilogue does something (a call), not only an assignment before the exit.
    if (k === 0 || !tail.some((s) => [...descendants(s, 'call_expression')].length > 0)) continue;
    out.push({ group, k });
  }
  return out;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'cleanup-in-switch-arms',
    pack: 'simplify',
    family: 'duplicated-cleanup',
    severity: 'info',
    summary: 'Several switch arms end with the same statements before the same exit: write them once after the switch.',
    source: { ...SEED_THREAD, quote: 'iommu_flush_write_buffer can be combined to one for above two branches.' },
    messages: {
      hoistSwitch:
        '{{count}} arms of this switch ({{labels}}) end with the same `{{first}}`{{more}} before `{{exit}}`: each arm could {{how}}, with the common statements written once after the switch.',
    },
    fixable: true,
    limitations:
      'Compares statements by text. When the patch does not show the whole switch, the rewrite is compared assuming the arms it does not show leave the function (inconclusive); an arm that reaches the end of the switch in the unseen code would make the rewrite wrong.',
  },
  detect(ctx) {
    const out = [];
    for (const sw of descendants(ctx.post.node, 'switch_statement')) {
      if (!ctx.touchesAdded(sw)) continue;
      for (const { group, k } of duplicatedEpilogues(ctx, sw)) {
        const exit = group[0]!.body[group[0]!.body.length - 1]!;
        // After `break;` the common statements run for every arm that leaves the switch: only a switch the patch shows whole.
        if (exit.type === 'break_statement' && gapsIn(sw).length > 0) continue;
        const arm = group.find((a) => ctx.touchesAdded(a.label))!;
        out.push({ node: arm.body[arm.body.length - 1 - k]!, data: { sw, group, k } });
      }
    }
    return out;
  },
  check(candidate, ctx) {
    const { sw, group, k } = candidate.data as { sw: SyntaxNode; group: Arm[]; k: number };
    const exit = group[0]!.body[group[0]!.body.length - 1]!;
    const returns = exit.type === 'return_statement';
    const edits: Edit[] = group.map((a) => {
      const first = a.body[a.body.length - 1 - k]!;
      const last = a.body[a.body.length - (returns ? 1 : 2)]!;
      const cut = removeRows(ctx.post, first, last);
      return returns ? { ...cut, text: `${indentAt(ctx.post, first)}break;\n` } : cut;
    });
    const a0 = group[0]!.body;
    const moved = a0.slice(a0.length - 1 - k, returns ? a0.length : a0.length - 1);
    edits.push(insertRowsAfter(ctx.post, sw, reindent(rowsText(ctx.post, moved[0]!, moved[moved.length - 1]!), indentAt(ctx.post, moved[0]!), indentAt(ctx.post, sw))));
    const gaps = gapsIn(sw);
    const body = sw.childForFieldName('body')!;
    const hasDefault = body.namedChildren.some((c) => c.type === 'case_statement' && !c.childForFieldName('value'));
    const leave = /^\s*void\s*$/.test(ctx.post.returnType) ? 'return;' : 'return __pr_unknown();';
    // The arms the patch does not show (and a default it does not show) are assumed to leave the function.
    const assumed: Edit[] = gaps.length === 0 ? [] : [
      ...gaps.map((g) => ({ start: g.endIndex, end: g.endIndex, text: ` ${leave}` })),
      ...(hasDefault ? [] : [{ start: body.endIndex - 1, end: body.endIndex - 1, text: `default: ${leave}\n` }]),
    ];
    const labels = group.map((a) => a.label.childForFieldName('value')?.text ?? 'default');
    return {
      messageId: 'hoistSwitch',
      data: {
        count: String(group.length),
        labels: labels.join(', '),
        first: candidate.node.text.split('\n')[0]!.trim(),
        more: k > 1 || candidate.node.text.includes('\n') ? ' and what follows it' : '',
        exit: exit.text,
        how: returns ? 'end with `break;`' : 'end with its own statements',
      },
      question: {
        kind: 'equivalent-rewrite',
        edits,
        fix: 'write the common statements once after the switch',
        proof: 'the arms reach the common statements after the switch on the same paths, and no other arm reaches them',
        ...(assumed.length > 0
          ? { assume: { edits: assumed, statement: 'assumes the arms of the switch the patch does not show leave the function rather than reach the end of the switch' } }
          : {}),
      },
    };
  },
  cases: {
    flagged: [
      {
        name: 'two new arms end with the same status epilogue before return',
        patch: `--- a/xen/arch/arm/quux.c
+++ b/xen/arch/arm/quux.c
@@ -40,3 +40,30 @@ static int quux_stop(void)
 
 static int quux_id(void);
 
+static bool quux_dispatch(struct regs *regs, uint32_t op)
+{
+    int e;
+
+    switch ( op )
+    {
+    case QUUX_ID:
+        set_result(regs, quux_id());
+        return true;
+    case QUUX_START:
+        e = quux_start(get_reg(regs, 1));
+        if ( e )
+            set_error(regs, e);
+        else
+            set_success(regs);
+        return true;
+    case QUUX_STOP:
+        e = quux_stop();
+        if ( e )
+            set_error(regs, e);
+        else
+            set_success(regs);
+        return true;
+    default:
+        return false;
+    }
+}
`,
        expect: [{ line: 54, messageId: 'hoistSwitch', verdict: 'verified', fix: `        break;
    case QUUX_STOP:
        e = quux_stop();
        break;
    default:
        return false;
    }
    if ( e )
        set_error(regs, e);
    else
        set_success(regs);
    return true;
}` }],
      },
      {
        name: 'the patch shows part of the switch: the unseen arms are assumed to leave the function',
        patch: `--- a/xen/arch/arm/quux.c
+++ b/xen/arch/arm/quux.c
@@ -60,6 +60,20 @@ static bool quux_dispatch(struct regs *regs, uint32_t op)
     case QUUX_ID:
         set_result(regs, quux_id());
         return true;
+    case QUUX_START:
+        e = quux_start(get_reg(regs, 1));
+        if ( e )
+            set_error(regs, e);
+        else
+            set_success(regs);
+        return true;
+    case QUUX_STOP:
+        e = quux_stop();
+        if ( e )
+            set_error(regs, e);
+        else
+            set_success(regs);
+        return true;
     case QUUX_SEND:
         quux_send(regs);
         return true;
`,
        expect: [{ line: 65, messageId: 'hoistSwitch', verdict: 'inconclusive' }],
      },
    ],
    clean: [
      {
        name: 'another arm breaks out of the switch: it would run the common statements too',
        refuted: true,
        patch: `--- a/xen/arch/arm/quux.c
+++ b/xen/arch/arm/quux.c
@@ -40,3 +40,31 @@ static int quux_stop(void)
 
 static int quux_id(void);
 
+static bool quux_dispatch(struct regs *regs, uint32_t op)
+{
+    int e = 0;
+
+    switch ( op )
+    {
+    case QUUX_ID:
+        set_result(regs, quux_id());
+        break;
+    case QUUX_START:
+        e = quux_start(get_reg(regs, 1));
+        if ( e )
+            set_error(regs, e);
+        else
+            set_success(regs);
+        return true;
+    case QUUX_STOP:
+        e = quux_stop();
+        if ( e )
+            set_error(regs, e);
+        else
+            set_success(regs);
+        return true;
+    default:
+        return false;
+    }
+    return e == 0;
+}
`,
      },
      {
        name: 'the arms end with different calls',
        patch: `--- a/xen/arch/arm/quux.c
+++ b/xen/arch/arm/quux.c
@@ -60,6 +60,16 @@ static bool quux_dispatch(struct regs *regs, uint32_t op)
     case QUUX_ID:
         set_result(regs, quux_id());
         return true;
+    case QUUX_START:
+        e = quux_start(get_reg(regs, 1));
+        if ( e )
+            set_error(regs, e);
+        return true;
+    case QUUX_STOP:
+        e = quux_stop();
+        if ( e )
+            set_stop_error(regs, e);
+        return true;
     case QUUX_SEND:
         quux_send(regs);
         return true;
`,
      },
    ],
  },
});
