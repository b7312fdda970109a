import { defineRule, type Edit } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { conditionOf, descendants, fold, statementsOf } from '../../src/review/ast.ts';
import { testsValue } from '../../src/review/calls.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { indentAt, removeRows } from '../../src/review/edits.ts';
import { STATUS_VARIABLE_NAMES } from '../../src/review/api-data.ts';
import { declarationOf } from './temporaries.ts';
import { SEED_THREAD } from './source.ts';

interface Copy {
  /** `rc = v;` */
  copy: SyntaxNode;
  status: string;
  variable: string;
  /** The if whose condition tests v and whose branch holds the copy. */
  test: SyntaxNode;
  exit: SyntaxNode;
}

/** `status = v;` right before an exit, inside `if ( <test of v> ) { ... }`. */
function copyBeforeExit(stmt: SyntaxNode): Copy | null {
  const e = stmt.type === 'expression_statement' ? stmt.namedChild(0) : null;
  if (e?.type !== 'assignment_expression' || e.childForFieldName('operator')?.text !== '=') return null;
  const left = e.childForFieldName('left');
  const right = e.childForFieldName('right');
  if (left?.type !== 'identifier' || right?.type !== 'identifier' || left.text === right.text) return null;
  if (!STATUS_VARIABLE_NAMES.includes(left.text) || STATUS_VARIABLE_NAMES.includes(right.text)) return null;
  const block = stmt.parent;
  if (block?.type !== 'compound_statement' || block.parent?.type !== 'if_statement') return null;
  const test = block.parent;
  if (test.childForFieldName('consequence')?.id !== block.id || !testsValue(conditionOf(test), right.text)) return null;
  const list = statementsOf(block);
  const exit = list[list.findIndex((s) => s.id === stmt.id) + 1];
  if (!exit || !(exit.type === 'goto_statement' || (exit.type === 'return_statement' && exit.namedChild(0)?.text === left.text))) return null;
  return { copy: stmt, status: left.text, variable: right.text, test, exit };
}

/** Identifiers naming `name` that read it (not the left side of a plain assignment). */
function reads(root: SyntaxNode, name: string): SyntaxNode[] {
  return [...descendants(root, 'identifier')].filter((id) => {
    if (id.text !== name) return false;
    const p = id.parent;
    if (p?.type === 'assignment_expression' && p.childForFieldName('left')?.id === id.id && p.childForFieldName('operator')?.text === '=') return false;
    if (p?.type === 'init_declarator' && p.childForFieldName('declarator')?.id === id.id) return false;
    if (p?.type === 'declaration') return false;
    return p?.type !== 'field_expression' || p.childForFieldName('field')?.id !== id.id;
  });
}

const within = (n: SyntaxNode, outer: SyntaxNode): boolean => n.startIndex >= outer.startIndex && n.endIndex <= outer.endIndex;

/** Lines the patch removes, in any hunk of this function, that read `name`. */
function removedReads(ctx: FunctionContext, name: string): number[] {
  const out: number[] = [];
  for (const fn of ctx.file.functions) {
    if (fn.name !== ctx.fn.name || !fn.pre) continue;
    const removed = new Set(fn.removedLines);
    for (const id of reads(fn.pre.node, name)) {
      const line = fn.pre.lineMap[id.startPosition.row] ?? 0;
      if (removed.has(line)) out.push(line);
    }
  }
  return out;
}

/** Removes the variable's declarator (`int rc = 0, v;` -> `int rc = 0;`), or turns `int v = f();` into `rc = f();`. */
function dropDeclarator(ctx: FunctionContext, d: NonNullable<ReturnType<typeof declarationOf>>, status: string): Edit {
  if (d.all.length === 1) {
    return d.init ? { start: d.decl.startIndex, end: d.decl.endIndex, text: `${status} = ${d.init.text};` } : removeRows(ctx.post, d.decl);
  }
  const src = ctx.post.source;
  const before = src.lastIndexOf(',', d.declarator.startIndex);
  if (before > d.decl.startIndex) return { start: before, end: d.declarator.endIndex, text: '' };
  const after = src.indexOf(',', d.declarator.endIndex);
  const next = /\S/.exec(src.slice(after + 1))!;
  return { start: d.declarator.startIndex, end: after + 1 + next.index, text: '' };
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'copied-into-status',
    pack: 'simplify',
    family: 'redundant-temporary',
    severity: 'info',
    summary: 'A variable only carries a call\'s result into the status variable before an exit: the status variable can hold it directly.',
    source: { ...SEED_THREAD, quote: 'you can reuse \'rc\' here.' },
    messages: {
      carried:
        '{{variable}} only carries a result into {{status}} before `{{exit}}`: {{status}} can hold it directly (assign the result to {{status}} and test {{status}}), and {{variable}} is then not needed.',
    },
    fixable: true,
    limitations:
      'Needs every other read of the variable gone: in a whole function (tree mode) none may be left; in a fragment the patch must remove its other reads, and the code the patch does not show (where the variable is set) is assumed not to read it, so the finding is inconclusive. A variable the patch adds is reuse-existing-variable\'s case; one declared with another type than the status is left alone (the copy converts the value).',
  },
  detect(ctx) {
    const out = [];
    for (const stmt of descendants(ctx.post.node, 'expression_statement')) {
      if (!ctx.isAdded(stmt)) continue;
      const c = copyBeforeExit(stmt);
      if (!c) continue;
      const decl = declarationOf(ctx, c.variable);
      // A variable the patch adds is another rule's (reuse-existing-variable).
      if (decl && ctx.isAdded(decl.decl)) continue;
      // `int rc, v = f();`: the initialiser would have to move; left to the author.
      if (decl && decl.all.length > 1 && decl.init) continue;
      // Declared with another type than the status: the copy converts the value, a rename would not.
      const statusDecl = declarationOf(ctx, c.status);
      const typeOf = (d: NonNullable<typeof decl>): string => fold(d.decl.childForFieldName('type')?.text ?? '');
      const shown = (d: typeof decl): d is NonNullable<typeof decl> => !!d && ctx.lineOf(d.decl) > 0;
      if (shown(decl) && shown(statusDecl) && typeOf(decl) !== typeOf(statusDecl)) continue;
      const cond = conditionOf(c.test)!;
      const others = reads(ctx.post.node, c.variable).filter((id) => !within(id, cond) && !within(id, c.copy));
      if (others.length > 0) continue;
      // Unseen code may read it: in a fragment, the patch must show the variable's other reads going away.
      if (ctx.post.isFragment && removedReads(ctx, c.variable).length === 0) continue;
      out.push({ node: c.copy, data: { c } });
    }
    return out;
  },
  check(candidate, ctx) {
    const c = candidate.data.c as Copy;
    const data = { variable: c.variable, status: c.status, exit: fold(c.exit.text) };
    const proof = `${c.status} holds nothing still needed where ${c.variable} is set`;
    if (!ctx.post.isFragment) {
      // The whole function: rename the variable to the status everywhere, drop the copy and the declaration.
      const decl = declarationOf(ctx, c.variable);
      const edits: Edit[] = [removeRows(ctx.post, c.copy)];
      for (const id of descendants(ctx.post.node, 'identifier')) {
        if (id.text !== c.variable || within(id, c.copy) || (decl && within(id, decl.decl))) continue;
        if (id.parent?.type === 'field_expression' && id.parent.childForFieldName('field')?.id === id.id) continue;
        edits.push({ start: id.startIndex, end: id.endIndex, text: c.status });
      }
      if (decl) edits.push(dropDeclarator(ctx, decl, c.status));
      return {
        messageId: 'carried',
        data,
        question: { kind: 'equivalent-rewrite', edits, fix: `let ${c.status} hold the result instead of ${c.variable}`, proof },
      };
    }
    // A fragment: the variable is set where the patch does not show. What can be proven is that the status may take
    // the value before the test (its old value is not needed on the path that goes on); assigning the call to it
    // directly is then the same program, if the unseen code does not read the variable.
    const cond = conditionOf(c.test)!;
    const indent = indentAt(ctx.post, c.test);
    const rowStart = ctx.post.source.lastIndexOf('\n', c.test.startIndex - 1) + 1;
    const edits: Edit[] = [
      { start: rowStart, end: rowStart, text: `${indent}${c.status} = ${c.variable};\n` },
      ...reads(cond, c.variable).map((id) => ({ start: id.startIndex, end: id.endIndex, text: c.status })),
      removeRows(ctx.post, c.copy),
    ];
    const last = ctx.post.gaps.length > 0 ? ctx.post.gaps[ctx.post.gaps.length - 1]!.afterLine : ctx.lineOf(c.exit);
    return {
      messageId: 'carried',
      data,
      question: {
        kind: 'equivalent-rewrite',
        edits,
        fix: `let ${c.status} hold the result instead of ${c.variable}`,
        proof: `${c.status} can take ${c.variable}'s value before the test: ${proof}`,
        assume: { edits: [], statement: `assumes ${c.variable} is set where the patch does not show it and read nowhere else, so ${c.status} can be set there instead, and that code the patch does not show reads no older value of ${c.status}` },
        unlessRead: {
          variables: [c.status],
          messageId: 'carried',
          statement: `assumes ${c.status} is not read after line ${last}, which the patch does not show, before it is set again`,
        },
      },
    };
  },
  cases: {
    flagged: [
      {
        name: 'the early exit leaves the old variable only carrying the map result into rc (a fragment)',
        patch: `--- a/xen/arch/x86/quux.c
+++ b/xen/arch/x86/quux.c
@@ -120,5 +120,12 @@ static int quux_get_type(struct page_info *page, unsigned long type)
             else
                 map_ret = quux_map(d, page, QUUX_RW);
         }
+
+        if ( unlikely(map_ret) )
+        {
+            quux_put_type(page);
+            rc = map_ret;
+            goto out;
+        }
     }
 
@@ -140,12 +147,10 @@ static int quux_get_type(struct page_info *page, unsigned long type)
     }
 
     rc = quux_validate(page, type);
+ out:
     if ( quux_partial(page) )
         quux_put(page);
 
-    if ( !rc )
-        rc = map_ret;
-
     return rc;
 }
 
`,
        expect: [{ line: 127, messageId: 'carried', verdict: 'inconclusive' }],
      },
      {
        name: 'the whole function: the variable is renamed to rc and the copy dropped',
        patch: `--- a/xen/arch/x86/quux.c
+++ b/xen/arch/x86/quux.c
@@ -10,15 +10,19 @@ static int quux_other(void)
 static int quux_get_type(struct page_info *page, unsigned long type)
 {
     int rc = 0, map_ret;
 
     map_ret = quux_map(page, QUUX_RW);
+    if ( unlikely(map_ret) )
+    {
+        quux_put_type(page);
+        rc = map_ret;
+        goto out;
+    }
 
     if ( type )
         rc = quux_validate(page, type);
 
-    if ( !rc )
-        rc = map_ret;
-
+ out:
     return rc;
 }
 
`,
        expect: [{ line: 18, messageId: 'carried', verdict: 'verified', fix: `    int rc = 0;

    rc = quux_map(page, QUUX_RW);
    if ( unlikely(rc) )
    {
        quux_put_type(page);` }],
      },
    ],
    clean: [
      {
        name: 'near miss: the variable has another type than rc: the copy converts the value, a rename would not',
        patch: `--- a/xen/arch/x86/quux.c
+++ b/xen/arch/x86/quux.c
@@ -10,16 +10,20 @@ static int quux_other(void)
 static int quux_get_type(struct page_info *page, unsigned long type)
 {
     int rc = 0;
     long map_ret;
 
     map_ret = quux_map(page, QUUX_RW);
+    if ( unlikely(map_ret) )
+    {
+        quux_put_type(page);
+        rc = map_ret;
+        goto out;
+    }
 
     if ( type )
         rc = quux_validate(page, type);
 
-    if ( !rc )
-        rc = map_ret;
-
+ out:
     return rc;
 }
 
`,
      },
      {
        name: 'rc already holds an error that the copy would lose on the path that goes on',
        refuted: true,
        patch: `--- a/xen/arch/x86/quux.c
+++ b/xen/arch/x86/quux.c
@@ -120,5 +120,13 @@ static int quux_get_type(struct page_info *page, unsigned long type)
             else
                 map_ret = quux_map(d, page, QUUX_RW);
         }
+
+        if ( unlikely(map_ret) )
+        {
+            quux_put_type(page);
+            rc = map_ret;
+            goto out;
+        }
+        quux_report(rc);
     }
 
@@ -140,12 +148,10 @@ static int quux_get_type(struct page_info *page, unsigned long type)
         rc = quux_validate(page, type);
     }
 
+ out:
     if ( quux_partial(page) )
         quux_put(page);
 
-    if ( !rc )
-        rc = map_ret;
-
     return rc;
 }
 
`,
      },
      {
        name: 'the variable is still read after the exit',
        patch: `--- a/xen/arch/x86/quux.c
+++ b/xen/arch/x86/quux.c
@@ -120,5 +120,13 @@ static int quux_get_type(struct page_info *page, unsigned long type)
             else
                 map_ret = quux_map(d, page, QUUX_RW);
         }
+
+        if ( unlikely(map_ret) )
+        {
+            quux_put_type(page);
+            rc = map_ret;
+            goto out;
+        }
+        quux_log(map_ret);
     }
 
@@ -140,12 +148,10 @@ static int quux_get_type(struct page_info *page, unsigned long type)
         rc = quux_validate(page, type);
     }
 
+ out:
     if ( quux_partial(page) )
         quux_put(page);
 
-    if ( !rc )
-        rc = map_ret;
-
     return rc;
 }
 
`,
      },
    ],
  },
});
