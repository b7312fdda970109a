import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { assignedCall, bodyStatements, conditionOf, descendants, fold, mentions, statementsOf } from '../../src/review/ast.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { calleeName, fallibilityKey, nextStatement, peel, testsValue } from '../../src/review/calls.ts';
import { filePatchOf } from '../../src/review/patch-lines.ts';
import { reliedOn } from '../../src/review/judge.ts';
import { SEED_THREAD } from './source.ts';

/** The exit a branch ends with: `goto L;` (label) or `return v;` (variable), else null. */
function exitOf(ifs: SyntaxNode): { exit: SyntaxNode; label?: string; variable?: string } | null {
  if (ifs.childForFieldName('alternative')) return null;
  const list = bodyStatements(ifs.childForFieldName('consequence'));
  const exit = list[list.length - 1];
  if (exit?.type === 'goto_statement') {
    const label = exit.childForFieldName('label')?.text;
    return label ? { exit, label } : null;
  }
  if (exit?.type === 'return_statement') {
    const v = peel(exit.namedChild(0));
    return v?.type === 'identifier' ? { exit, variable: v.text } : null;
  }
  return null;
}

/** The statement just before `stmt` in its block. */
function previousStatement(stmt: SyntaxNode): SyntaxNode | null {
  const block = stmt.parent;
  if (!block || block.type !== 'compound_statement') return null;
  const list = statementsOf(block);
  return list[list.findIndex((s) => s.id === stmt.id) - 1] ?? null;
}

/** Does `node` assign `variable` (`v = ...`, `v += ...`, `v++`)? */
function assigns(node: SyntaxNode, variable: string): boolean {
  for (const a of descendants(node, new Set(['assignment_expression', 'update_expression']))) {
    const target = a.type === 'assignment_expression' ? a.childForFieldName('left') : a.childForFieldName('argument');
    if (target?.text === variable) return true;
  }
  return false;
}

/** A visible `label:`'s first return: the variable it gives back (null: it returns something else; undefined: not visible). */
function labelReturns(fn: SyntaxNode, label: string): string | null | undefined {
  for (const l of descendants(fn, 'labeled_statement')) {
    if (l.childForFieldName('label')?.text !== label) continue;
    for (let s: SyntaxNode | null = l; s; s = nextStatement(s)) {
      const r = s.type === 'return_statement' ? s : [...descendants(s, 'return_statement')][0];
      if (r) {
        const v = peel(r.namedChild(0));
        return v?.type === 'identifier' ? v.text : null;
      }
    }
    return undefined;
  }
  return undefined;
}

/**
 * Where the patch routes a status to an exit: an added `v = f(...);` followed by `if ( <test of v> ) goto L;`
 * (or `return v;`). Such a check only works if L passes v on to the caller: that is the rule's premise.
 * Returns, per variable, the exits ("goto L" or "return") and the added assignments.
 */
function routedStatuses(ctx: FunctionContext): Map<string, { exits: Set<string>; calls: SyntaxNode[] }> {
  const out = new Map<string, { exits: Set<string>; calls: SyntaxNode[] }>();
  for (const ifs of descendants(ctx.post.node, 'if_statement')) {
    const e = exitOf(ifs);
    const prev = previousStatement(ifs);
    const assigned = prev ? assignedCall(prev) : null;
    if (!e || !assigned || !ctx.isAdded(assigned.assignment)) continue;
    const v = assigned.variable;
    if (!testsValue(conditionOf(ifs), v)) continue;
    if (e.variable !== undefined && e.variable !== v) continue;
    const entry = out.get(v) ?? { exits: new Set<string>(), calls: [] };
    entry.exits.add(e.label !== undefined ? `goto ${e.label}` : 'return');
    entry.calls.push(assigned.call);
    out.set(v, entry);
  }
  return out;
}

/** The pre-image statement at the old line of a post-image context line (same type and text), if any. */
function preImageOf(ctx: FunctionContext, node: SyntaxNode): SyntaxNode | null {
  const pre = ctx.fn.pre;
  const file = filePatchOf(ctx);
  if (!pre || !file) return null;
  const newLine = ctx.lineOf(node);
  let oldLine: number | undefined;
  for (const h of file.hunks) for (const l of h.lines) if (l.kind === 'context' && l.newLine === newLine) oldLine = l.oldLine;
  if (oldLine === undefined) return null;
  for (const n of descendants(pre.node, node.type)) {
    if ((pre.lineMap[n.startPosition.row] ?? 0) === oldLine && fold(n.text) === fold(node.text)) return n;
  }
  return null;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'error-path-regression',
    pack: 'error-handling',
    family: 'unchecked-error',
    severity: 'warning',
    summary: 'An error exit that used to pass on a failure now passes on the success of a call the patch put before it.',
    source: {
      ...SEED_THREAD,
      quote: 'rv = iommu_hwdom_init(d), otherwise error is not propagated outside.',
    },
    messages: {
      regressed:
        'Since this patch {{callee}}() stores its result in {{variable}} before `{{exit}}`, so when this check fails {{function}}() passes on {{callee}}()\'s success instead of the failure {{variable}} held here before: the caller is told it worked. Set {{variable}} to the error again before the exit, or keep {{callee}}()\'s result in a variable of its own.',
    },
    fixable: false,
    limitations:
      'Needs the pre-image of the exit (a context line) and an added `v = f(); if ( <test of v> ) goto L;` (or `return v;`) that shows L passes v on; a label the patch shows must return v. Where the pre-image\'s value comes from code the patch does not show (an assignment above the hunk), the finding is inconclusive: the patch does not show it was an error.',
  },
  detect(ctx) {
    if (!ctx.fn.pre) return [];
    const type = ctx.post.returnType ?? '';
    if (type === 'void' || type.includes('*') || type === 'bool' || type === '_Bool') return [];
    const routes = routedStatuses(ctx);
    if (routes.size === 0) return [];
    const out = [];
    for (const ifs of descendants(ctx.post.node, 'if_statement')) {
      const e = exitOf(ifs);
      if (!e || ctx.touchesAdded(ifs)) continue;
      const key = e.label !== undefined ? `goto ${e.label}` : 'return';
      for (const [variable, route] of routes) {
        if (!route.exits.has(key)) continue;
        if (e.variable !== undefined && e.variable !== variable) continue;
        // A label the patch shows must give the status back.
        if (e.label !== undefined) {
          const returns = labelReturns(ctx.post.node, e.label);
          if (returns !== undefined && returns !== variable) continue;
        }
        const cond = conditionOf(ifs);
        if (!cond || mentions(cond, variable) || assigns(ifs, variable)) continue;
        // The status the patch stores before this (older) exit.
        const earlier = route.calls.filter((c) => c.endIndex < ifs.startIndex);
        const call = earlier[earlier.length - 1];
        if (!call) continue;
        const preExit = preImageOf(ctx, e.exit);
        if (!preExit) continue;
        out.push({ node: e.exit, data: { call, variable, preExit } });
      }
    }
    return out;
  },
  check(candidate, ctx) {
    const { call, variable, preExit } = candidate.data as { call: SyntaxNode; variable: string; preExit: SyntaxNode };
    return {
      messageId: 'regressed',
      data: { callee: calleeName(call), function: ctx.fn.name, variable, exit: fold(candidate.node.text) },
      question: { kind: 'status-regressed', exit: candidate.node, preExit, variable },
      reliedOn: reliedOn(ctx, fallibilityKey(call), call),
      assumptions: [`\`${fold(candidate.node.text)}\` passes ${variable} on to the caller, as the patch's own check of ${calleeName(call)}() at line ${ctx.lineOf(call)} relies on`],
    };
  },
  cases: {
    flagged: [
      {
        name: 'a checked call inserted between the error assignment and an older exit leaves its 0 for that exit',
        patch: `--- a/xen/common/img.c
+++ b/xen/common/img.c
@@ -30,19 +30,22 @@ static int img_setup(struct img *img)
 {
     int rc;
 
     rc = -ENOMEM;
     img->ctrl = img_alloc_page(img, 32);
     if ( !img->ctrl )
         goto out;
+    rc = img_map_page(img, page_addr(img->ctrl));
+    if ( rc < 0 )
+        goto out;
 
     img->head = img_alloc_page(img, 0);
     if ( !img->head )
         goto out;
 
     img->first = page_addr(img->head);
     return 0;
 
  out:
     img_free(img);
     return rc;
 }
`,
        expect: [{ line: 43, messageId: 'regressed', verdict: 'verified' }],
      },
      {
        name: 'the label is not shown and the error was set above the hunk: inconclusive',
        patch: `--- a/xen/common/img.c
+++ b/xen/common/img.c
@@ -40,11 +40,14 @@ static int img_alloc(struct img **out, unsigned long nr)
     img->ctrl = img_alloc_page(img, 32);
     if ( !img->ctrl )
         goto fail;
+    rc = img_map_page(img, page_addr(img->ctrl));
+    if ( rc < 0 )
+        goto fail;
 
     /* An empty head page. */
     img->head = img_alloc_page(img, 0);
     if ( !img->head )
         goto fail;
 
     img->first = page_addr(img->head);
 
`,
        expect: [{ line: 50, messageId: 'regressed', verdict: 'inconclusive' }],
      },
      {
        name: 'a direct return of the status after an inserted checked call',
        patch: `--- a/xen/common/port.c
+++ b/xen/common/port.c
@@ -20,10 +20,14 @@ static int port_bind(struct domain *d, unsigned int port)
     struct port *chn;
     int err = -ENOENT;
 
+    err = port_reserve(d, port);
+    if ( err )
+        return err;
+
     chn = port_lookup(d, port);
     if ( !chn )
         return err;
 
     chn->state = STATE_BOUND;
     return 0;
 }
`,
        expect: [{ line: 29, messageId: 'regressed', verdict: 'verified' }],
      },
    ],
    clean: [
      {
        name: 'the error is set again after the inserted call',
        refuted: true,
        patch: `--- a/xen/common/img.c
+++ b/xen/common/img.c
@@ -30,19 +30,23 @@ static int img_setup(struct img *img)
 {
     int rc;
 
     rc = -ENOMEM;
     img->ctrl = img_alloc_page(img, 32);
     if ( !img->ctrl )
         goto out;
+    rc = img_map_page(img, page_addr(img->ctrl));
+    if ( rc < 0 )
+        goto out;
+    rc = -ENOMEM;
 
     img->head = img_alloc_page(img, 0);
     if ( !img->head )
         goto out;
 
     img->first = page_addr(img->head);
     return 0;
 
  out:
     img_free(img);
     return rc;
 }
`,
      },
      {
        name: 'the exit already passed on a success before the patch',
        refuted: true,
        patch: `--- a/xen/common/img.c
+++ b/xen/common/img.c
@@ -30,17 +30,20 @@ static int img_probe(struct img *img)
 {
     int rc = 0;
 
     img->ctrl = img_find_page(img, 32);
     if ( !img->ctrl )
         goto out;
+    rc = img_map_page(img, page_addr(img->ctrl));
+    if ( rc < 0 )
+        goto out;
 
     img->head = img_find_page(img, 0);
     if ( !img->head )
         goto out;
 
     img->first = page_addr(img->head);
 
  out:
     img_put(img);
     return rc;
 }
`,
      },
      {
        name: 'the inserted call keeps its result in a variable of its own',
        patch: `--- a/xen/common/img.c
+++ b/xen/common/img.c
@@ -30,19 +30,22 @@ static int img_setup(struct img *img)
 {
-    int rc;
+    int rc, err;
 
     rc = -ENOMEM;
     img->ctrl = img_alloc_page(img, 32);
     if ( !img->ctrl )
         goto out;
+    err = img_map_page(img, page_addr(img->ctrl));
+    if ( err < 0 )
+        return err;
 
     img->head = img_alloc_page(img, 0);
     if ( !img->head )
         goto out;
 
     img->first = page_addr(img->head);
     return 0;
 
  out:
     img_free(img);
     return rc;
 }
`,
      },
    ],
  },
});
