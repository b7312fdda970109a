import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { assignedCall, callOfStatement, carriesNoStatus, conditionOf, declaredNames, descendants, fold, isMarker } from '../../src/review/ast.ts';
import { STATUS_TYPE_VARIABLE, STATUS_VARIABLE_NAMES, isErrorConstant } from '../../src/review/api-data.ts';
import { statusTypeOf } from '../../src/knowledge/status-types.ts';
import { controlHead, styleFor } from '../../src/review/fix-check.ts';
import { calleeName, fallibilityKey, nextStatement, peel, resultUse } from '../../src/review/calls.ts';
import { filePatchOf } from '../../src/review/patch-lines.ts';
import { reliedOn } from '../../src/review/judge.ts';
import { failsOnlyUnreachably, pinnedQuiet } from '../../src/review/pinned.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { SEED_THREAD } from './source.ts';
import { messageLetsFailureGo } from '../../src/review/intent.ts';

const POWER_C = `static int power_down(void)
{
    console_suspend();
    clock_suspend();
    dev_suspend();
    return 0;
}
`;

const POWER_PATCH = `--- a/xen/arch/x86/power.c
+++ b/xen/arch/x86/power.c
@@ -1,7 +1,11 @@
 static int power_down(void)
 {
+    int rc;
+
     console_suspend();
     clock_suspend();
-    dev_suspend();
+    rc = dev_suspend();
+    if ( rc )
+        return rc;
     return 0;
 }
`;

/** A patch that moves a dropped TEE_Result call out of a void helper into the set-up function (OP-TEE style). */
const STATUS_MOVE_PATCH = `--- a/core/drivers/knob_wdt.c
+++ b/core/drivers/knob_wdt.c
@@ -8,17 +8,17 @@
 TEE_Result knob_clk_on(struct clk *clk);
 
 static void knob_kick(struct knob_wdt *w)
 {
-	knob_clk_on(w->bus_clk);
 	io_write32(w->base + KNOB_KR, KNOB_RELOAD);
 }
 
 static TEE_Result knob_setup(struct knob_wdt *w)
 {
 	if (!w->base)
 		return TEE_ERROR_BAD_PARAMETERS;
 
+	knob_clk_on(w->bus_clk);
 	w->flags |= KNOB_READY;
 
 	return TEE_SUCCESS;
 }
`;

/**
 * A patch that moves gear_sync() from gear.c to gear-ops.c unchanged; its dropped gear_commit() is declared by
 * `prototype` (lines of a header hunk the patch shows).
 */
const MOVED_PATCH = (prototype: string[]): string => `--- a/xen/include/xen/gear.h
+++ b/xen/include/xen/gear.h
@@ -10,${prototype.length + 3} +10,${prototype.length + 4} @@ struct gear;
 int gear_init(struct gear *g);
${prototype.map((l) => ` ${l}`).join('\n')}
+int gear_sync(struct gear *g);
 void gear_free(struct gear *g);
 
--- a/xen/common/gear.c
+++ b/xen/common/gear.c
@@ -30,14 +30,5 @@ int gear_init(struct gear *g)
     return 0;
 }
 
-static int gear_sync(struct gear *g)
-{
-    if ( !g->dirty )
-        return 0;
-    gear_commit(g);
-    g->dirty = false;
-    return 0;
-}
-
 void gear_free(struct gear *g)
 {
--- a/xen/common/gear-ops.c
+++ b/xen/common/gear-ops.c
@@ -18,3 +18,12 @@ int gear_resize(struct gear *g, unsigned int n)
     return 0;
 }
 
+int gear_sync(struct gear *g)
+{
+    if ( !g->dirty )
+        return 0;
+    gear_commit(g);
+    g->dirty = false;
+    return 0;
+}
+
`;

/**
 * A patch that moves flush_gadget() from gadget.c to gadget-io.c, turning it from void into an int that can fail on the
 * way (`ret` is its new return type); gadget_reset() in gadget.c keeps calling it for effect, with a new argument.
 */
const MOVE_CONVERT_PATCH = (ret: string, busy: string): string => `--- a/xen/common/gadget.c
+++ b/xen/common/gadget.c
@@ -10,12 +10,7 @@ struct gadget_state gstate;
 
-static void flush_gadget(struct gadget *g)
-{
-    g->dirty = 0;
-}
-
 int gadget_reset(struct gadget *g)
 {
     g->count = 0;
-    flush_gadget(g);
+    flush_gadget(g, 0);
     return 0;
 }
--- a/xen/common/gadget-io.c
+++ b/xen/common/gadget-io.c
@@ -20,3 +20,10 @@ int gadget_read(struct gadget *g)
     return 0;
 }
 
+${ret} flush_gadget(struct gadget *g, bool_t wait)
+{
+    if ( g->busy )
+        return${busy};
+    g->dirty = 0;
+    return${ret === 'void' ? '' : ' 0'};
+}
`;

/**
 * `rc = f(x); if ( rc ) return rc;` with the function's own status variable and the file's spacing. A callee that
 * returns the bytes it could not copy is tested in place and reported as -EFAULT (a count is not an error code);
 * a function returning a status type keeps the variable of that type (`TEE_Result res`).
 */

function suggestion(ctx: FunctionContext, call: string, key: string): string {
  const style = styleFor(ctx.post, ctx.file);
  if (ctx.fallibility.convention(key)?.convention === 'count') return `${controlHead(style, 'if', call)} return -EFAULT;`;
  const names = new Set<string>();
  let typed: string | undefined;
  for (const decl of descendants(ctx.post.node, 'declaration')) {
    const type = decl.childForFieldName('type')?.text;
    for (const d of declaredNames(decl)) {
      names.add(d.name);
      if (!typed && statusTypeOf(type)) typed = d.name;
    }
  }
  const status = statusTypeOf(ctx.post.returnType);
  const v = typed ?? STATUS_VARIABLE_NAMES.find((n) => names.has(n)) ?? (status ? STATUS_TYPE_VARIABLE : STATUS_VARIABLE_NAMES[0]!);
  return `${v} = ${call}; ${controlHead(style, 'if', v)} return ${v};`;
}

/** Whether the image has the very statement (whitespace aside) somewhere. */
function sameStatementIn(fn: SyntaxNode | undefined, stmt: SyntaxNode): boolean {
  if (!fn) return false;
  const text = stmt.text.replace(/\s+/g, '');
  for (const s of descendants(fn, 'expression_statement')) if (s.text.replace(/\s+/g, '') === text) return true;
  return false;
}

/** Whether the image drops the result of a call with this key somewhere. */
function droppedIn(fn: SyntaxNode, key: string): boolean {
  for (const stmt of descendants(fn, 'expression_statement')) {
    const call = callOfStatement(stmt);
    if (call && fallibilityKey(call) === key && resultUse(call).kind === 'dropped') return true;
  }
  return false;
}

/**
 * Two callees of one family: their names share the first or the last word (`console_suspend` / `time_suspend`,
 * `ops->suspend` / `dev_suspend`), as the seed thread's "check return values of all suspend callbacks".
 */
function sameFamily(a: string, b: string): boolean {
  const words = (n: string): string[] => n.split(/->|\.|_/).filter((w) => w.length > 0);
  const x = words(a);
  const y = words(b);
  if (x.length === 0 || y.length === 0) return false;
  return x[x.length - 1] === y[y.length - 1] || (x.length > 1 && y.length > 1 && x[0] === y[0]);
}

/**
 * The author's own word that the result does not matter: a comment right before the call's statement (or before the
 * if the call is alone under), or after it on the same line ("Intentionally discard ...", "ignore the return value",
 * "best effort", "don't otherwise act upon failure", "if read_u32() fails, the default is used").
 */
const SAYS_IGNORED = /\b(?:ignor|discard|intentional|deliberate|on purpose|best[- ]effort|harmless|don'?t care|do not care|no need to check|not (?:checked|needed|important)|(?:don'?t|do not|doesn'?t|does not|won'?t|will not|need not|needn'?t)\s+(?:\w+\s+)?(?:act|bother|matter))|\bfails?\b[^.]{0,40}\bdefault\b/i;
function commentSaysIgnored(stmt: SyntaxNode): boolean {
  // The call alone under an if (`if ( name ) read_u32(np, name, &mask);`): the comment sits before the if.
  const guard = stmt.parent?.type === 'if_statement' && stmt.parent.childForFieldName('consequence')?.id === stmt.id ? stmt.parent : null;
  const head = stmt.previousSibling?.type !== 'comment' && guard ? guard : stmt;
  const before = head.previousSibling;
  if (before?.type === 'comment' && before.endPosition.row >= head.startPosition.row - 1 && SAYS_IGNORED.test(before.text)) return true;
  const after = stmt.nextSibling;
  return after?.type === 'comment' && after.startPosition.row === stmt.endPosition.row && SAYS_IGNORED.test(after.text);
}

/**
 * The call fills in an output (`f(..., &x)`) and the very next statement tests it: the failure shows as the output
 * left at its default (`check_id(&is_owner); if ( !is_owner ) return;`), which is the author's check.
 */
/**
 * `v = f(..);` where v is a local of a void function the patch shows whole and nothing ever reads v (every other mention
 * declares it or stores into it): the result is stored only to be forgotten, a drop. Not a static, not a
 * variable whose address is taken, not where code the patch does not show could read it.
 */
function storedNeverRead(ctx: FunctionContext, stmt: SyntaxNode): { call: SyntaxNode; variable: string } | null {
  // A function that returns a value is lost-result's (a status stored and then another value returned).
  if (stmt.type !== 'expression_statement' || ctx.post.isFragment || ctx.post.returnType !== 'void') return null;
  const a = assignedCall(stmt);
  if (!a || isMarker(a.call)) return null;
  const fnNode = ctx.post.node;
  if ([...descendants(fnNode, 'call_expression')].some(isMarker)) return null;
  const decl = [...descendants(fnNode, 'declaration')].find((d) => declaredNames(d).some((n) => n.name === a.variable));
  if (!decl || /^\s*static\b/.test(decl.text)) return null;
  for (const id of descendants(fnNode, 'identifier')) {
    if (id.text !== a.variable) continue;
    const p = id.parent;
    if (p?.type === 'init_declarator' && p.childForFieldName('declarator')?.id === id.id) continue;
    if (p?.type === 'declaration') continue;
    if (p?.type === 'assignment_expression' && p.childForFieldName('left')?.id === id.id && p.childForFieldName('operator')?.text === '=') continue;
    return null;
  }
  return { call: a.call, variable: a.variable };
}

/**
 * `name` is a local the function declares, shown, without an initialiser (and not static), and nothing the patch shows
 * or hides between that declaration and the call mentions it: the output has no default. Where the call fails
 * without writing it, a test of it reads an indeterminate value (`ulong addr; get_addr(h, &addr); if (
 * check_header(addr) )`), so that test is not the author's check of the call.
 */
const SCALAR_TYPE = /^(?:bool|_Bool|[us](?:8|16|32|64)|u?int(?:8|16|32|64|ptr)_t|ulong|uint|ushort|uchar|size_t|ssize_t|off_t|loff_t|lbaint_t|phys_addr_t|phys_size_t|dma_addr_t|paddr_t|vaddr_t|uintptr_t|fdt_addr_t|fdt_size_t)$/;

function withoutDefault(call: SyntaxNode, name: string): boolean {
  if (!/^[A-Za-z_]\w*$/.test(name)) return false;
  let fn: SyntaxNode | null = call.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  if (!fn) return false;
  let decl: SyntaxNode | undefined;
  for (const d of descendants(fn, 'declaration')) {
    if (d.startIndex >= call.startIndex) break;
    for (const child of d.namedChildren) {
      let n: SyntaxNode | null = child;
      const initialised = n.type === 'init_declarator';
      if (initialised) n = n.childForFieldName('declarator');
      while (n && (n.type === 'pointer_declarator' || n.type === 'array_declarator')) n = n.childForFieldName('declarator');
      if (n?.type !== 'identifier' || n.text !== name) continue;
      // A value or a pointer; a structure may be what the callee clears before anything can fail (a response).
      const type = d.childForFieldName('type');
      const pointer = (initialised ? child.childForFieldName('declarator') : child)?.type === 'pointer_declarator';
      if (!pointer && !(type && (type.type === 'primitive_type' || type.type === 'sized_type_specifier' || SCALAR_TYPE.test(type.text)))) continue;
      const block = d.parent;
      if (!block || block.startIndex > call.startIndex || block.endIndex < call.endIndex) continue;
      decl = initialised || /\bstatic\b/.test(d.text) ? undefined : d;
    }
  }
  if (!decl) return false;
  for (const n of descendants(fn, new Set(['identifier', 'call_expression']))) {
    if (n.startIndex <= decl.endIndex || n.startIndex >= call.startIndex) continue;
    if (n.type === 'identifier' ? n.text === name : isMarker(n)) return false;
  }
  return true;
}

function outputTestedNext(stmt: SyntaxNode, call: SyntaxNode, withDefault = true): boolean {
  const outputs = (call.childForFieldName('arguments')?.namedChildren ?? [])
    .filter((a) => a.type === 'pointer_expression' && a.childForFieldName('operator')?.text === '&')
    .map((a) => fold(a.childForFieldName('argument')?.text ?? ''))
    .filter((t) => t !== '' && (!withDefault || !withoutDefault(call, t)));
  if (outputs.length === 0) return false;
  const names = (o: string): RegExp => new RegExp(`(?:^|[^\\w.>])${o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w])`);
  let next = nextStatement(stmt);
  // Or read into a flag that the statement after tests (`ok = RESP_OK(resp.status) & 1; if ( !ok ) return -EIO;`).
  const read = next?.type === 'expression_statement' && next.namedChild(0)?.type === 'assignment_expression' ? next.namedChild(0)! : null;
  const flag = read?.childForFieldName('left');
  if (read && flag?.type === 'identifier' && outputs.some((o) => names(o).test(fold(read.childForFieldName('right')?.text ?? '')))) {
    outputs.splice(0, outputs.length, flag.text);
    next = nextStatement(next!);
  }
  const cond = next && /^(?:if|while|for)_statement$/.test(next.type) ? next.childForFieldName('condition') : null;
  if (!cond) return false;
  const text = fold(cond.text);
  return outputs.some((o) => names(o).test(text));
}

/**
 * The very statement (same callee, same arguments) is among the lines the patch removes from the file: the patch
 * moves a call whose result was already dropped (into a new helper, another branch), it does not start dropping it.
 */
function movedDrop(ctx: FunctionContext, stmt: SyntaxNode): boolean {
  const file = filePatchOf(ctx);
  if (!file) return false;
  const text = stmt.text.replace(/\s+/g, '');
  for (const hunk of file.hunks) {
    const removed = hunk.lines.filter((l) => l.kind === 'del').map((l) => l.text).join('\n').replace(/\s+/g, '');
    for (let at = removed.indexOf(text); at >= 0; at = removed.indexOf(text, at + 1)) {
      // A statement of its own: at the start, after `;`, a brace, an `if (...)` head or `else`.
      if (at === 0 || /(?:[;{})]|else)$/.test(removed.slice(0, at))) return true;
    }
  }
  return false;
}

/**
 * The statement is cleanup on an error exit that already reports another failure: it stands in the branch of
 * `if ( v )` / `if ( v < 0 )` / `if ( v != OK )` (v a variable holding another call's status) and the branch then
 * returns v itself; or in the branch of `if ( !p )` / `if ( p == NULL )` (another call's pointer is missing) that
 * then leaves for the function's exit (`goto`) or returns NULL, p or an error. The first error is what the caller gets; checking the cleanup's result could only replace it
 * (the suggestion `rc = cleanup(..); if ( rc ) return rc;` would even lose it).
 */
function unwindsAnotherFailure(stmt: SyntaxNode, call: SyntaxNode): boolean {
  const block = stmt.parent;
  if (!block) return false;
  const branch = block.type === 'compound_statement' ? block : stmt;
  const test = branch.parent;
  if (test?.type !== 'if_statement' || test.childForFieldName('consequence')?.id !== branch.id) return false;
  const cond = peel(conditionOf(test));
  if (!cond) return false;
  // the variable the condition tests as a whole: `v`, `v < 0`, `v != X`, `X != v`
  let v: SyntaxNode | null = null;
  if (cond.type === 'identifier') v = cond;
  else if (cond.type === 'binary_expression' && ['<', '!=', '<='].includes(cond.childForFieldName('operator')?.text ?? '')) {
    const l = peel(cond.childForFieldName('left'));
    const r = peel(cond.childForFieldName('right'));
    v = l?.type === 'identifier' && !/^[A-Z][A-Z0-9_]*$/.test(l.text) ? l : r?.type === 'identifier' && !/^[A-Z][A-Z0-9_]*$/.test(r.text) ? r : null;
  }
  // `!p`, `p == NULL`: another call's pointer is missing (a failed allocation or lookup)
  let missing = false;
  if (!v && cond.type === 'unary_expression' && cond.childForFieldName('operator')?.text === '!') {
    const a = peel(cond.childForFieldName('argument'));
    if (a?.type === 'identifier') [v, missing] = [a, true];
  } else if (!v && cond.type === 'binary_expression' && cond.childForFieldName('operator')?.text === '==') {
    const l = peel(cond.childForFieldName('left'));
    const r = peel(cond.childForFieldName('right'));
    const isNull = (n: SyntaxNode | null): boolean => n?.text === 'NULL';
    const id = isNull(r) && l?.type === 'identifier' ? l : isNull(l) && r?.type === 'identifier' ? r : null;
    if (id) [v, missing] = [id, true];
  }
  if (!v || fold(call.text).includes(v.text)) return false;
  // the branch returns v itself, after the statement
  const rest = branch.type === 'compound_statement' ? branch.namedChildren.filter((n) => n.startIndex > stmt.startIndex && n.type !== 'comment') : [];
  const last = rest[rest.length - 1];
  if (!missing) return last?.type === 'return_statement' && peel(last.namedChild(0))?.text === v.text;
  // a missing pointer: the branch leaves for the function's exit (`goto out;`) or returns NULL, the pointer or an error
  if (last?.type === 'goto_statement') return true;
  const value = last?.type === 'return_statement' ? fold(peel(last.namedChild(0))?.text ?? '') : undefined;
  return value !== undefined && (value === 'NULL' || value === v.text || isErrorConstant(value) || /^-\s*\d+$/.test(value));
}

/**
 * The statement is cleanup in a function's error tail: it stands after a label that only `goto` reaches (the
 * statement before the run of labels returns), and the tail ends returning a status variable (`return 0;
 * clks_err: disable(..); vbus_err: disable(..); return ret;`). The failure that jumped there is what the caller
 * gets, as in unwindsAnotherFailure(). (A tail returning a constant is the simulator's to refute.)
 */
function inErrorTail(stmt: SyntaxNode): boolean {
  let s = stmt;
  while (s.parent?.type === 'labeled_statement') s = s.parent;
  const list = s.parent?.type === 'compound_statement' ? s.parent.namedChildren.filter((n) => n.type !== 'comment') : [];
  const at = list.findIndex((n) => n.id === s.id);
  let first = at;
  while (first >= 0 && list[first]!.type !== 'labeled_statement') first--;
  if (first < 0) return false;
  while (first > 0 && list[first - 1]!.type === 'labeled_statement') first--;
  const before = list[first - 1];
  if (before?.type !== 'return_statement' && before?.type !== 'goto_statement') return false;
  for (let i = at + 1; i < list.length; i++) {
    let n = list[i]!;
    while (n.type === 'labeled_statement' && n.namedChildren.length > 1) n = n.namedChildren[n.namedChildren.length - 1]!;
    if (n.type !== 'return_statement') continue;
    const value = fold(peel(n.namedChild(0))?.text ?? '');
    return /^[a-z_]\w*$/.test(value);
  }
  return false;
}

/** The block a statement stands in (its nearest enclosing compound statement). */
function blockOf(n: SyntaxNode): SyntaxNode | null {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'compound_statement') return p;
  return null;
}

/**
 * Fallible callees whose results this patch starts checking in the function (conditions or `rc = f(); if ( rc )`),
 * with the block each check stands in: a sibling is a call dropped in the same block, not anywhere in a long
 * function, and of the same family (a fix to one boot step is no comment on an unrelated step above it). Test macros such as IS_ERR()
 * are not callees that can fail.
 */
function checkedOnAddedLines(ctx: FunctionContext): { name: string; block: SyntaxNode | null }[] {
  const out: { name: string; block: SyntaxNode | null }[] = [];
  for (const call of descendants(ctx.post.node, 'call_expression')) {
    const use = resultUse(call);
    if (!ctx.isAdded(call) || (use.kind !== 'tested' && use.kind !== 'assigned')) continue;
    const name = fallibilityKey(call);
    if (ctx.fallibility.canFail(name)) out.push({ name, block: blockOf(use.statement ?? call) });
  }
  return out;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'dropped-error',
    pack: 'error-handling',
    family: 'unchecked-error',
    severity: 'warning',
    summary: 'The result of a call that can fail is thrown away.',
    groupsRepeated: true,
    source: {
      ...SEED_THREAD,
      quote: 'Looks error handling is not only a problem in VT-d code. Above actually should check return values of all suspend callbacks.',
    },
    messages: {
      dropped:
        '{{callee}}() can fail, but {{function}}() drops its result, so a failure goes unnoticed. Check it and pass the error on, e.g. `{{suggestion}}`.',
      siblingDropped:
        'This patch checks {{other}}() here, but {{callee}}() can fail too and its result is still dropped. Check the return values of all of them, not only {{other}}().',
      storedNeverRead:
        '{{callee}}() can fail, but {{function}}() stores its result in {{variable}} and never reads {{variable}}, so a failure goes unnoticed. Test {{variable}} and handle the failure (or drop the variable if the failure is harmless, and say why).',
      droppedInVoid:
        '{{callee}}() can fail, but {{function}}() drops its result and, being void, cannot report it. Either make {{function}}() return the error or say why the failure is harmless.',
      droppedNoStatus:
        '{{callee}}() can fail, but {{function}}() drops its result, so a failure goes unnoticed. {{function}}() returns {{returnType}}, which cannot carry an error: check the result and decide what a failure means here (a safe default, or a way to report it).',
    },
    fixable: false,
    limitations:
      'Knows a call can fail from what the patch shows (void->int conversions; checks it adds, keeps in context or removes; bodies, status return types, __must_check prototypes, hunk-header heads and int function-pointer members anywhere in the patch, learned like the knowledge base; a comment the patch shows right above the callee\'s head that says it returns an error code: "Returns 0 on success, -ENOMEM when ...", "a negative errno on failure"), from the project\'s knowledge base (tree, --kb, config) and the built-in API data. A callee none of these covers is not flagged. A call dropped on an error exit that already returns another call\'s failure (`if ( rc ) { cleanup(..); return rc; }`), or in the branch of another call\'s missing pointer that then leaves (`if ( !p ) { cleanup(..); goto out; }`, or returns NULL or an error), is not flagged: the first error is what the caller gets; nor is a cleanup in the error tail after `return 0;` (labels only `goto` reaches) that ends returning the status variable. A call that fills in an output the next statement tests, directly or through a flag read from it (`ok = RESP_OK(resp.status); if ( !ok )`), is checked there. A removed `return f(..);` in a void function forwarded nothing. A call of the patch\'s own function whose only failure comes through a parameter (`res = g(.., p, ..); .. return res;`) that the call pins to a constant with which the patch drops g() itself (a wait with timeout 0 cannot time out; src/review/pinned.ts) is not flagged, nor is a call of the patch\'s own function, shown whole, whose every failure return comes right after an ASSERT_UNREACHABLE()/BUG() (`default: ASSERT_UNREACHABLE(); return false;`). A dropped call the patch only moves (from another file, or from elsewhere in the file) or only rewrites (the function dropped it before) is flagged only where the project checks that callee (__must_check, or the knowledge base counts its callers testing it), once per callee and function; or, for a callee declared to return a status type (TEE_Result) whose callers nothing counts, where the patch moves the call into an existing function that returns a value and did not make it before (a drop extracted into a new void wrapper is not flagged). Drops of one callee in one function with the same message and verdict are one finding at the first call that lists the others (as related locations), a run at most 40 lines long: a driver\'s forty unchecked register writes are one comment, or a few in a long function. A result stored in a local of a void function the patch shows whole that nothing ever reads (`res = f(..);`, res only declared and stored into; not a static, no address taken) is dropped too (storedNeverRead); in a function that returns a value, a stored status it never returns is lost-result\'s.',
  },
  detect(ctx) {
    const out = [];
    const checkedHere = checkedOnAddedLines(ctx);
    const retouched = new Set<string>();
    for (const stmt of descendants(ctx.post.node, 'expression_statement')) {
      // A result stored in a local nothing ever reads is dropped as well (`res = f(..);`, res never read).
      const stored = callOfStatement(stmt) ? null : storedNeverRead(ctx, stmt);
      const call = stored?.call ?? callOfStatement(stmt);
      if (!call || isMarker(call) || (!stored && resultUse(call).kind !== 'dropped')) continue;
      const key = fallibilityKey(call);
      const callee = calleeName(call);
      const reasons = ctx.fallibility.reasons(key);
      if (reasons.length === 0) continue;
      if (commentSaysIgnored(stmt) || outputTestedNext(stmt, call) || messageLetsFailureGo(ctx.patch.meta, callee)) continue;
      // The next test reads an output declared without a value: a test of it is no check, unless the callee sets it
      // before it can fail, which the patch does not show.
      const noDefault = outputTestedNext(stmt, call, false);
      if (unwindsAnotherFailure(stmt, call) || inErrorTail(stmt)) continue;
      // The patch's own function whose only failure this call pins away (a wait with timeout 0: pinned.ts).
      if (pinnedQuiet(ctx.model, call)) continue;
      // The patch's own function whose every failure return follows an ASSERT_UNREACHABLE() (pinned.ts).
      if (failsOnlyUnreachably(ctx.model, call)) continue;
      const converted = reasons.some((r) => r.kind === 'converted');
      // A call whose result the function already dropped before the patch (only its arguments changed) is not
      // a drop this patch introduces; a callee the patch makes fallible is.
      // Unless the project's own callers check it (__must_check, or the knowledge base counts them testing it):
      // a patch that rewrites the dropped call is the moment to fix it; once per callee and function.
      // A call the patch moves from another file (a function moved out of a header, a file split or rename) is the
      // same: not written by the patch, but put in a new place, where the project's own practice asks for a check.
      const moved = ctx.isMoved(stmt);
      if (!converted && (moved || (ctx.isAdded(stmt) && ((ctx.pre && droppedIn(ctx.pre.node, key)) || movedDrop(ctx, stmt))))) {
        const conv = ctx.fallibility.convention(key);
        // How the project's callers treat the callee is the knowledge base's count, also when the patch itself
        // shows how the callee fails (a definition or a hunk header naming its status type).
        const c = ctx.knowledge.lookup(key)?.callers ?? conv?.callers;
        // A callee whose declared type is a status by definition (TEE_Result, acpi_status), with no count of the
        // project's callers to say they drop it, moved into an existing function that returns a value and did not
        // make this call before: that function now loses the status where it could report it. (Extracting the
        // drop into a new void wrapper moves it, and no more.)
        const statusMoved = !c && !!statusTypeOf(conv?.returnType) && (moved || movedDrop(ctx, stmt)) && !!ctx.pre
          && ctx.post.returnType !== 'void' && !sameStatementIn(ctx.pre.node, stmt);
        const projectChecks = statusMoved || reasons.some((r) => r.kind === 'must-check') || (!!c && c.tested >= 2 && c.dropped * 5 <= c.tested);
        if (!projectChecks || retouched.has(key)) continue;
        retouched.add(key);
      }
      if (ctx.isAdded(stmt) || converted || moved) {
        out.push({ node: stmt, data: { call, callee, key, ...(noDefault ? { noDefault } : {}), ...(stored ? { stored: stored.variable } : {}) } });
        continue;
      }
      // An unchanged sibling, declared fallible in the tree, next to a call this patch starts checking.
      const declared = reasons.some((r) => r.kind === 'must-check' || r.kind === 'declared');
      const block = blockOf(stmt);
      const other = checkedHere.find((c) => c.name !== key && block !== null && c.block?.id === block.id && sameFamily(c.name, key))?.name;
      if (declared && other) out.push({ node: stmt, data: { call, callee, key, other } });
    }
    return out;
  },
  check(candidate, ctx) {
    const { call, callee, key } = candidate.data as { call: SyntaxNode; callee: string; key: string };
    const other = candidate.data.other as string | undefined;
    const isVoid = ctx.post.returnType === 'void';
    const stored = candidate.data.stored as string | undefined;
    return {
      messageId: stored ? 'storedNeverRead' : isVoid ? 'droppedInVoid' : other ? 'siblingDropped' : carriesNoStatus(ctx.post.returnType) ? 'droppedNoStatus' : 'dropped',
      data: { callee, function: ctx.fn.name, call: fold(call.text), other: other ?? '', suggestion: suggestion(ctx, fold(call.text), key), returnType: fold(ctx.post.returnType ?? ''), variable: stored ?? '' },
      question: {
        kind: 'failure-swallowed',
        call,
        ...(candidate.data.noDefault ? { premise: `the next test reads what ${callee}() writes through its output, declared without a value; whether ${callee}() sets it when it fails is not shown` } : {}),
      },
      reliedOn: reliedOn(ctx, key, call),
    };
  },
  cases: {
    flagged: [
      {
        // TF-A ac41faff6393 (2025) shape: a uint32_t boot-state helper drops an I2C transfer the same patch checks elsewhere.
        name: 'a helper returning an unsigned state drops a call the patch checks elsewhere: the message does not suggest returning the error through a type that cannot carry it',
        patch: `--- a/plat/acme/acme_boot.c
+++ b/plat/acme/acme_boot.c
@@ -30,3 +30,24 @@ static int acme_debug;
 
 static uint32_t acme_boot_count;
 
+int32_t acme_save_boot_state(uint8_t state)
+{
+	int32_t ret;
+
+	ret = acme_i2c_write(ACME_PMIC_ADDR, ACME_STATE_REG, state);
+	if (ret != 0)
+		return ret;
+	return 0;
+}
+
+static uint32_t acme_boot_state(void)
+{
+	uint32_t state = ACME_COLD_BOOT;
+
+	acme_i2c_write(ACME_PMIC_ADDR, ACME_STATE_REG, 0U);
+	acme_boot_count++;
+	if (acme_boot_count > 1U)
+		state = ACME_WARM_BOOT;
+	return state;
+}
+
`,
        expect: [{ line: 47, messageId: 'droppedNoStatus', verdict: 'verified' }],
      },
      {
        // U-Boot 607b07554e23 (2023) shape: a refactor drops the check; the next test reads the output, declared without a value.
        name: 'the patch drops the check of a call whose output the next test reads, an output declared without an initialiser: no default to fall back on',
        patch: `--- a/boot/gizmo.c
+++ b/boot/gizmo.c
@@ -20,17 +20,13 @@ static int gizmo_debug;
 
 int gizmo_get_blob(ulong hdr, ulong *addr)
 {
 	ulong blob_addr;
-	int ret;
 
-	ret = gizmo_get_blob_addr(hdr, &blob_addr);
-	if (ret)
-		return ret;
-
+	gizmo_get_blob_addr(hdr, &blob_addr);
 	if (gizmo_check_header(blob_addr))
 		return -EINVAL;
 
 	*addr = blob_addr;
 	return 0;
 }
 
`,
        expect: [{ line: 25, messageId: 'dropped', verdict: 'inconclusive' }],
      },
      {
        name: 'a hook called through a dispatch macro that reads it from the ops struct; the patch declares the member to return int',
        patch: `--- a/xen/arch/x86/include/asm/hooks.h
+++ b/xen/arch/x86/include/asm/hooks.h
@@ -9,7 +9,8 @@
 struct gadget_hooks {
     const char *name;
     void (*init)(void);
+    int (*set_mode)(struct vcpu *v, unsigned int mode);
 };
 
 extern struct gadget_hooks gadget_hooks;
--- a/xen/arch/x86/gadget.c
+++ b/xen/arch/x86/gadget.c
@@ -30,6 +30,14 @@ static int gadget_reset(struct vcpu *v)
     return 0;
 }
 
+int gadget_enter(struct vcpu *v)
+{
+    alternative_call(gadget_hooks.set_mode, v, 1);
+    v->arch.gadget_on = true;
+
+    return 0;
+}
+
 int gadget_leave(struct vcpu *v)
 {
     return gadget_reset(v);
`,
        expect: [{ line: 35, messageId: 'dropped', verdict: 'verified' }],
      },
      {
        name: 'the comment above the callee, shown by the patch, says it returns an errno; a new caller drops it',
        patch: `--- a/xen/common/knob.c
+++ b/xen/common/knob.c
@@ -20,7 +20,7 @@ static unsigned int knob_count;
 
 /*
  * Adds @k to the knob table.
  * Returns 0 on success, -ENOMEM when the table is full.
  */
 static int knob_add(struct knob *k)
 {
@@ -40,3 +40,10 @@ static int knob_add(struct knob *k)
     return 0;
 }
 
+int knob_setup(struct knob *k)
+{
+    k->ready = 1;
+    knob_add(k);
+
+    return 0;
+}
`,
        expect: [{ line: 46, messageId: 'dropped', verdict: 'verified' }],
      },
      {
        name: 'in tree mode, a patch rewrites a dropped call whose result the callers in the project test',
        patch: `--- a/xen/drivers/gadget.c
+++ b/xen/drivers/gadget.c
@@ -1,5 +1,5 @@
 static void gadget_reset(struct gadget *g)
 {
-    gadget_write_reg(g, 0, GADGET_RESET);
+    gadget_write_reg(g, GADGET_CTRL, GADGET_RESET);
     g->state = GADGET_IDLE;
 }
`,
        tree: {
          'xen/drivers/gadget.c': `static void gadget_reset(struct gadget *g)
{
    gadget_write_reg(g, 0, GADGET_RESET);
    g->state = GADGET_IDLE;
}
`,
          'xen/drivers/gadget_core.c': `int gadget_write_reg(struct gadget *g, unsigned int reg, uint32_t val)
{
    if ( reg > GADGET_MAX_REG )
        return -EINVAL;
    writel(val, g->base + reg);
    return 0;
}

int gadget_start(struct gadget *g)
{
    if ( gadget_write_reg(g, GADGET_CTRL, GADGET_GO) )
        return -EIO;
    return 0;
}

int gadget_stop(struct gadget *g)
{
    int rc = gadget_write_reg(g, GADGET_CTRL, 0);

    if ( rc )
        return rc;
    return 0;
}

int gadget_mask(struct gadget *g, uint32_t mask)
{
    if ( gadget_write_reg(g, GADGET_IRQ_MASK, mask) )
        return -EIO;
    if ( gadget_write_reg(g, GADGET_IRQ_ACK, mask) )
        return -EIO;
    if ( gadget_write_reg(g, GADGET_IRQ_CLR, mask) )
        return -EIO;
    return gadget_write_reg(g, GADGET_IRQ_EN, ~mask) ? -EIO : 0;
}
`,
        },
        expect: [{ line: 3, messageId: 'droppedInVoid', verdict: 'verified' }],
      },
      {
        name: 'in tree mode, a sibling the tree declares int stays unchecked next to a newly checked call',
        patch: POWER_PATCH,
        tree: {
          'xen/arch/x86/power.c': POWER_C,
          'xen/include/asm-x86/power.h': 'int dev_suspend(void);\nint clock_suspend(void);\nvoid console_suspend(void);\n',
        },
        expect: [
          { line: 6, messageId: 'siblingDropped', verdict: 'verified' },
        ],
      },
      {
        name: 'a void wrapper pins the timeout its callee\'s failure comes through to 10, where the patch drops the inner wait only with 0: it can time out',
        patch: `--- a/core/kernel/waiter.c
+++ b/core/kernel/waiter.c
@@ -20,5 +20,5 @@ static void __waiter_lock(struct waiter *w, struct lock *l)
 		if (lock_busy(l))
-			wq_sleep(&w->wq, &e, l);
+			wq_sleep(&w->wq, &e, 0, l);
 		else
 			return;
 	}
@@ -60,16 +60,26 @@ void waiter_wake(struct waiter *w)
 	wq_wake(&w->wq);
 }
 
-static void __waiter_wait(struct waiter *w, struct lock *l)
+static TEE_Result __waiter_wait_timeout(struct waiter *w, struct lock *l,
+					uint32_t timeout_ms)
 {
-	struct wq_elem e;
+	TEE_Result res = TEE_SUCCESS;
+	struct wq_elem e = { };
 
 	lock_release(l);
-	wq_sleep(&w->wq, &e, l);
+	res = wq_sleep(&w->wq, &e, timeout_ms, l);
 	lock_take(l);
+
+	return res;
 }
 
 void waiter_wait(struct waiter *w, struct lock *l)
 {
-	__waiter_wait(w, l);
+	__waiter_wait_timeout(w, l, 10);
+}
+
+TEE_Result waiter_wait_timeout(struct waiter *w, struct lock *l,
+			       uint32_t timeout_ms)
+{
+	return __waiter_wait_timeout(w, l, timeout_ms);
 }
`,
        expect: [{ line: 78, messageId: 'droppedInVoid', verdict: 'verified' }],
      },
      {
        name: 'a converted function called for effect in an int function',
        patch: `--- a/xen/drivers/foo.c
+++ b/xen/drivers/foo.c
@@ -10,12 +10,14 @@
-void foo_flush(struct foo *f)
+int foo_flush(struct foo *f)
 {
     if ( !f->dirty )
-        return;
+        return 0;
     write_back(f);
+    return 0;
 }
 
 int foo_sync(struct foo *f)
 {
+    f->count++;
     foo_flush(f);
     return 0;
 }
`,
        expect: [
          { line: 21, messageId: 'dropped', verdict: 'verified' },
        ],
      },
      {
        name: 'the fragment ends before the function does: falling off the visible end is not a return, so inconclusive',
        patch: `--- a/xen/drivers/foo.c
+++ b/xen/drivers/foo.c
@@ -10,4 +10,4 @@
-void foo_flush(struct foo *f)
+int foo_flush(struct foo *f)
 {
     f->n++;
     return 0;
@@ -40,4 +40,5 @@ static void foo_stop(struct foo *f)
     foo_lock(f);
+    f->stopping = 1;
     foo_flush(f);
     foo_unlock(f);
     f->count--;
`,
        expect: [{ line: 42, messageId: 'droppedInVoid', verdict: 'inconclusive' }],
      },
      {
        name: 'a function moved to another file drops a call that is declared __must_check',
        patch: MOVED_PATCH(['int __must_check gear_commit(struct gear *g);']),
        expect: [{ line: 25, messageId: 'dropped', verdict: 'verified' }],
      },
      {
        name: 'a dropped call of a TEE_Result function moves from a void helper into a function that returns a status',
        patch: STATUS_MOVE_PATCH,
        expect: [{ line: 20, messageId: 'dropped', verdict: 'verified' }],
      },
      {
        name: 'a function moved to another file and converted from void to int on the way; its old caller still drops it',
        patch: MOVE_CONVERT_PATCH('int', ' -EBUSY'),
        expect: [{ line: 14, messageId: 'dropped', verdict: 'verified' }],
      },
      {
        name: 'a TEE_Result function the patch shows in part (head untouched) is dropped by a new caller: its type is the evidence',
        patch: `--- a/core/drivers/knob_ctl.c
+++ b/core/drivers/knob_ctl.c
@@ -20,7 +20,7 @@ static void knob_lock_rng(vaddr_t base)
 	io_setbits32(base + KNOB_RNG, KNOB_LOCK);
 }
 
 static TEE_Result knob_apply(void)
 {
 	vaddr_t base = knob_base();
-	size_t i = 0;
+	size_t i = 1;
@@ -40,4 +40,13 @@ static TEE_Result knob_apply(void)
 	return TEE_SUCCESS;
 }
 
+static TEE_Result knob_pm(enum pm_op op, uint32_t hint __unused,
+			  const struct pm_callback_handle *h __unused)
+{
+	if (op == PM_OP_RESUME)
+		knob_apply();
+
+	return TEE_SUCCESS;
+}
+
 driver_init(knob_init);
`,
        expect: [{ line: 47, messageId: 'dropped', verdict: 'verified' }],
      },
      {
        name: 'a void function stores a call\'s status in a local it never reads: the result is dropped all the same',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -10,6 +10,22 @@ static unsigned int quux_count;
 
 static DEFINE_SPINLOCK(quux_lock);
 
+static int quux_claim(unsigned int id)
+{
+    if ( id >= QUUX_MAX )
+        return -EINVAL;
+    quux_count++;
+    return 0;
+}
+
+static void quux_setup(unsigned int id)
+{
+    int rc;
+
+    rc = quux_claim(id);
+    quux_enable(id);
+}
+
 static void quux_teardown(void)
 {
 }
`,
        expect: [{ line: 25, messageId: 'storedNeverRead', verdict: 'verified' }],
      },
    ],
    clean: [
      {
        name: 'near miss: the stored status is read later in the function (a test that prints the failure: logged-not-returned\'s to judge, not a drop)',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -10,6 +10,24 @@ static unsigned int quux_count;
 
 static DEFINE_SPINLOCK(quux_lock);
 
+static int quux_claim(unsigned int id)
+{
+    if ( id >= QUUX_MAX )
+        return -EINVAL;
+    quux_count++;
+    return 0;
+}
+
+static void quux_setup(unsigned int id)
+{
+    int rc;
+
+    rc = quux_claim(id);
+    if ( rc )
+        printk(XENLOG_ERR "quux: claim %u failed\\n", id);
+    quux_enable(id);
+}
+
 static void quux_teardown(void)
 {
 }
`,
      },
      {
        name: 'near miss: the patch shows only part of the void function, whose unseen rest may read the stored status',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -10,6 +10,14 @@ static unsigned int quux_count;
 
 static DEFINE_SPINLOCK(quux_lock);
 
+static int quux_claim(unsigned int id)
+{
+    if ( id >= QUUX_MAX )
+        return -EINVAL;
+    quux_count++;
+    return 0;
+}
+
 static void quux_teardown(void)
 {
 }
@@ -40,6 +48,7 @@ static void quux_setup(unsigned int id)
     int rc;
 
     spin_lock(&quux_lock);
+    rc = quux_claim(id);
     quux_enable(id);
     spin_unlock(&quux_lock);
 
`,
      },
      {
        name: 'near miss: the output the next test reads is initialised where it is declared (`ulong blob_addr = 0;`): the default is what a failure leaves',
        patch: `--- a/boot/gizmo.c
+++ b/boot/gizmo.c
@@ -20,17 +20,13 @@ static int gizmo_debug;
 
 int gizmo_get_blob(ulong hdr, ulong *addr)
 {
 	ulong blob_addr = 0;
-	int ret;
 
-	ret = gizmo_get_blob_addr(hdr, &blob_addr);
-	if (ret)
-		return ret;
-
+	gizmo_get_blob_addr(hdr, &blob_addr);
 	if (gizmo_check_header(blob_addr))
 		return -EINVAL;
 
 	*addr = blob_addr;
 	return 0;
 }
 
`,
      },
      {
        name: 'near miss: the code the patch removes only handed the pointer on (`return map_addr(0, 0);`), it never checked it',
        patch: `--- a/xen/arch/x86/quux.c
+++ b/xen/arch/x86/quux.c
@@ -471,12 +471,14 @@ static void *__init quux_map_addr(paddr_t start, paddr_t end)
 
 void *__init quux_map(const struct quux_mod *mod)
 {
-    if ( !mod )
-        return quux_map_addr(0, 0);
-
     return quux_map_addr(mod->start, mod->start + mod->size);
 }
 
+void __init quux_unmap(void)
+{
+    quux_map_addr(0, 0);
+}
+
 static void __init quux_move(
     uint64_t dst, uint64_t src, unsigned int size)
 {
`,
      },
      {
        name: 'near miss: the comment before the if that guards the call says a failure keeps the default',
        patch: `--- a/xen/common/device-tree/quux.c
+++ b/xen/common/device-tree/quux.c
@@ -210,6 +210,18 @@ int dt_quux_map_id(const struct dt_device_node *np, uint32_t id,
         return -EINVAL;
     }
 
+    /* The default is to select all bits. */
+    map_mask = GENMASK(31, 0);
+
+    /*
+     * Can be overridden by the "quux-map-mask" property.
+     * If dt_property_read_u32() fails, the default is used.
+     */
+    if ( map_mask_name )
+        dt_property_read_u32(np, map_mask_name, &map_mask);
+
+    masked_id = map_mask & id;
+
     for ( ; map_len > 0; map_len -= 4 * sizeof(*map), map += 4 )
     {
         uint32_t id_base = be32_to_cpup(map + 0);
`,
      },
      {
        name: 'near miss: the patch\'s own helper fails only after ASSERT_UNREACHABLE() (a size no caller passes): dropping it loses nothing',
        patch: `--- a/xen/include/xen/quux-io.h
+++ b/xen/include/xen/quux-io.h
@@ -20,4 +20,25 @@ static inline unsigned long quux_read(const volatile void __iomem *mem,
     }
 }
 
+static inline bool quux_write(volatile void __iomem *mem, unsigned long data,
+                              unsigned int size)
+{
+    switch ( size )
+    {
+    case 1:
+        writeb(data, mem);
+        break;
+
+    case 4:
+        writel(data, mem);
+        break;
+
+    default:
+        ASSERT_UNREACHABLE();
+        return false;
+    }
+
+    return true;
+}
+
 #endif /* XEN__QUUX_IO_H */
--- a/xen/drivers/vpci/quux.c
+++ b/xen/drivers/vpci/quux.c
@@ -440,6 +440,12 @@ static bool quux_access_allowed(unsigned int len)
     return len == 1 || len == 4;
 }
 
+static void quux_adjacent_write(void __iomem *mem, unsigned long addr,
+                                unsigned long data, unsigned int len)
+{
+    quux_write(mem + PAGE_OFFSET(addr), data, len);
+}
+
 static int cf_check quux_write_hook(struct vcpu *v, unsigned long addr,
                                     unsigned int len, unsigned long data)
 {
@@ -460,6 +466,9 @@ static int cf_check quux_write_hook(struct vcpu *v, unsigned long addr,
         return X86EMUL_OKAY;
     }
 
+    if ( !quux_write(mem + PAGE_OFFSET(addr), data, len) )
+        return X86EMUL_UNHANDLEABLE;
+
     spin_unlock(&quux_lock);
 
     return X86EMUL_OKAY;
`,
      },
      {
        name: 'near miss: a hook read from the ops struct through a dispatch macro, declared by the patch to return nothing',
        patch: `--- a/xen/arch/x86/include/asm/hooks.h
+++ b/xen/arch/x86/include/asm/hooks.h
@@ -9,7 +9,8 @@
 struct gadget_hooks {
     const char *name;
     void (*init)(void);
+    void (*set_mode)(struct vcpu *v, unsigned int mode);
 };
 
 extern struct gadget_hooks gadget_hooks;
--- a/xen/arch/x86/gadget.c
+++ b/xen/arch/x86/gadget.c
@@ -30,6 +30,14 @@ static int gadget_reset(struct vcpu *v)
     return 0;
 }
 
+int gadget_enter(struct vcpu *v)
+{
+    alternative_vcall(gadget_hooks.set_mode, v, 1);
+    v->arch.gadget_on = true;
+
+    return 0;
+}
+
 int gadget_leave(struct vcpu *v)
 {
     return gadget_reset(v);
`,
      },
      {
        name: 'near miss: a function moved to another file stays void; its old caller still calls it for effect',
        patch: MOVE_CONVERT_PATCH('void', ''),
      },
      {
        name: 'near miss: a function moved to another file drops a call that can fail, but nothing says the project checks it',
        patch: MOVED_PATCH(['static inline int gear_commit(struct gear *g)', '{', '    if ( !g->ok )', '        return -EIO;', '    return 0;', '}']),
      },
      {
        name: 'near miss: only the arguments of a TEE_Result call the function already dropped change (no move)',
        patch: `--- a/core/drivers/knob_wdt.c
+++ b/core/drivers/knob_wdt.c
@@ -8,9 +8,9 @@
 TEE_Result knob_clk_on(struct clk *clk);
 
 static TEE_Result knob_setup(struct knob_wdt *w)
 {
-	knob_clk_on(w->clk);
+	knob_clk_on(w->bus_clk);
 	w->flags |= KNOB_READY;
 
 	return TEE_SUCCESS;
 }
`,
      },
      {
        name: 'near miss: a cleanup dropped where an allocation failed and the function leaves for its failure exit',
        patch: `--- a/core/tee/knob_dir.c
+++ b/core/tee/knob_dir.c
@@ -4,10 +4,29 @@
 static int knob_close(int fd)
 {
 	if (fd < 0)
 		return -EBADF;
 	return 0;
 }
 
+struct knob_dir *knob_opendir(const char *name)
+{
+	struct knob_dir *dir = NULL;
+	int fd = knob_open(name);
+
+	if (fd < 0)
+		goto exit;
+
+	dir = malloc(sizeof(*dir));
+	if (!dir) {
+		knob_close(fd);
+		goto exit;
+	}
+	dir->fd = fd;
+
+exit:
+	return dir;
+}
+
 int knob_count(void)
 {
 	return 0;
`,
      },
      {
        name: 'near miss: a cleanup dropped on an error exit that returns the first call\'s failure',
        patch: `--- a/xen/drivers/gadget.c
+++ b/xen/drivers/gadget.c
@@ -10,6 +10,26 @@ static void gadget_reset(struct gadget *g)
     g->state = 0;
 }
 
+static int gadget_unbind(struct gadget *g)
+{
+    if ( !g->bound )
+        return -EBUSY;
+    g->bound = 0;
+    return 0;
+}
+
+int gadget_bind(struct gadget *g)
+{
+    int rc = gadget_map(g);
+
+    if ( rc )
+    {
+        gadget_unbind(g);
+        return rc;
+    }
+    return 0;
+}
+
 int gadget_probe(struct gadget *g)
 {
     return 0;
`,
      },
      {
        name: 'near miss: the comment above the callee says it returns a count, not an error',
        patch: `--- a/xen/common/knob.c
+++ b/xen/common/knob.c
@@ -20,7 +20,7 @@ static unsigned int knob_count;
 
 /*
  * Adds the knobs of @set to the knob table.
  * Returns the number of knobs added (0 when the table is full).
  */
 static int knob_add_set(struct knob_set *set)
 {
@@ -40,3 +40,10 @@ static int knob_add_set(struct knob_set *set)
     return n;
 }
 
+int knob_setup(struct knob_set *set)
+{
+    set->ready = 1;
+    knob_add_set(set);
+
+    return 0;
+}
`,
      },
      {
        name: 'in tree mode, a patch rewrites a dropped call whose result the callers in the project drop too',
        patch: `--- a/xen/drivers/gadget.c
+++ b/xen/drivers/gadget.c
@@ -1,5 +1,5 @@
 static void gadget_reset(struct gadget *g)
 {
-    gadget_write_reg(g, 0, GADGET_RESET);
+    gadget_write_reg(g, GADGET_CTRL, GADGET_RESET);
     g->state = GADGET_IDLE;
 }
`,
        tree: {
          'xen/drivers/gadget.c': `static void gadget_reset(struct gadget *g)
{
    gadget_write_reg(g, 0, GADGET_RESET);
    g->state = GADGET_IDLE;
}
`,
          'xen/drivers/gadget_core.c': `int gadget_write_reg(struct gadget *g, unsigned int reg, uint32_t val)
{
    if ( reg > GADGET_MAX_REG )
        return -EINVAL;
    writel(val, g->base + reg);
    return 0;
}

int gadget_start(struct gadget *g)
{
    gadget_write_reg(g, GADGET_CTRL, GADGET_GO);
    return 0;
}

int gadget_stop(struct gadget *g)
{
    gadget_write_reg(g, GADGET_CTRL, 0);
    gadget_write_reg(g, GADGET_IRQ, 0);
    return 0;
}

int gadget_mask(struct gadget *g, uint32_t mask)
{
    gadget_write_reg(g, GADGET_IRQ_MASK, mask);
    gadget_write_reg(g, GADGET_IRQ_ACK, mask);
    if ( gadget_write_reg(g, GADGET_IRQ_CLR, mask) )
        return -EIO;
    return gadget_write_reg(g, GADGET_IRQ_EN, ~mask) ? -EIO : 0;
}
`,
        },
      },
      {
        name: 'only the arguments of a call whose result was already dropped change',
        patch: `--- a/xen/drivers/foo.c
+++ b/xen/drivers/foo.c
@@ -10,5 +10,5 @@ int foo_probe(struct foo *f)
 {
-    request_irq(f->irq, foo_old_handler, 0, "foo", f);
+    request_irq(f->irq, foo_handler, 0, "foo", f);
     f->ready = 1;
     return 0;
 }
`,
      },
      {
        name: 'in tree mode, the unchecked siblings are declared void',
        patch: POWER_PATCH,
        tree: {
          'xen/arch/x86/power.c': POWER_C,
          'xen/include/asm-x86/power.h': 'int dev_suspend(void);\nvoid clock_suspend(void);\nvoid console_suspend(void);\n',
        },
      },
      {
        name: 'the failure cannot be swallowed: the function panics right after',
        refuted: true,
        patch: `--- a/xen/drivers/foo.c
+++ b/xen/drivers/foo.c
@@ -10,12 +10,14 @@
-void foo_flush(struct foo *f)
+int foo_flush(struct foo *f)
 {
     if ( !f->dirty )
-        return;
+        return 0;
     write_back(f);
+    return 0;
 }
 
 int foo_halt(struct foo *f)
 {
+    f->count++;
     foo_flush(f);
     panic("foo: halted\\n");
 }
`,
      },
      {
        name: 'the converted function\'s result is checked',
        patch: `--- a/xen/drivers/foo.c
+++ b/xen/drivers/foo.c
@@ -10,12 +10,12 @@
-void foo_flush(struct foo *f)
+int foo_flush(struct foo *f)
 {
     if ( !f->dirty )
-        return;
+        return 0;
     write_back(f);
+    return 0;
 }
 
 int foo_sync(struct foo *f)
 {
-    foo_flush(f);
-    return 0;
+    return foo_flush(f);
 }
`,
      },
      {
        // Xen d96694508a28 (2026): pci_mmcfg_arch_disable() made to return whether it was mapped.
        name: 'near miss: a function converted from void to return a flag computed from a test (`int was = !p->virt; .. return was;`) reports what happened, not a failure: neither the conversion nor a caller forwarding it says it can fail',
        patch: `--- a/xen/drivers/bar.c
+++ b/xen/drivers/bar.c
@@ -30,8 +30,8 @@ static bool bar_check_all(struct bar *b)
     for ( i = 0; i < b->nr; i++ )
     {
-        if ( !bar_reserved(b, i) || bar_map(b, i) )
+        if ( !bar_reserved(b, i) || bar_map(b, i) < 0 )
         {
             bar_unmap(b, i);
             valid = false;
         }
     }
@@ -60,7 +60,6 @@ int bar_reserve(struct bar *b, unsigned int i, unsigned int flags)
         if ( flags & BAR_KEEP )
             return bar_map(b, i);
-        bar_unmap(b, i);
-        return 0;
+        return bar_unmap(b, i);
     }
 
     return -ENODEV;
@@ -100,8 +99,9 @@ int bar_map(struct bar *b, unsigned int i)
     return 0;
 }
 
-void bar_unmap(struct bar *b, unsigned int i)
+int bar_unmap(struct bar *b, unsigned int i)
 {
+    int was = !b->slot[i].virt;
 
     b->slot[i].virt = NULL;
     bar_flush(b, i);
@@ -112,2 +112,4 @@ void bar_unmap(struct bar *b, unsigned int i)
     printk("bar: slot %u unmapped\\n", i);
+
+    return was;
 }
`,
      },
      {
        // OP-TEE ea413ca5cc1e (2024): condvar_wait() pins the timeout of __condvar_wait_timeout() to 0 (wait forever).
        name: 'near miss: a void wrapper pins to 0 the parameter its callee\'s only failure comes through (`res = wq_sleep(.., timeout_ms, ..)`), and the patch drops wq_sleep(.., 0, ..) itself: a wait that cannot time out',
        patch: `--- a/core/kernel/waiter.c
+++ b/core/kernel/waiter.c
@@ -20,5 +20,5 @@ static void __waiter_lock(struct waiter *w, struct lock *l)
 		if (lock_busy(l))
-			wq_sleep(&w->wq, &e, l);
+			wq_sleep(&w->wq, &e, 0, l);
 		else
 			return;
 	}
@@ -60,16 +60,26 @@ void waiter_wake(struct waiter *w)
 	wq_wake(&w->wq);
 }
 
-static void __waiter_wait(struct waiter *w, struct lock *l)
+static TEE_Result __waiter_wait_timeout(struct waiter *w, struct lock *l,
+					uint32_t timeout_ms)
 {
-	struct wq_elem e;
+	TEE_Result res = TEE_SUCCESS;
+	struct wq_elem e = { };
 
 	lock_release(l);
-	wq_sleep(&w->wq, &e, l);
+	res = wq_sleep(&w->wq, &e, timeout_ms, l);
 	lock_take(l);
+
+	return res;
 }
 
 void waiter_wait(struct waiter *w, struct lock *l)
 {
-	__waiter_wait(w, l);
+	__waiter_wait_timeout(w, l, 0);
+}
+
+TEE_Result waiter_wait_timeout(struct waiter *w, struct lock *l,
+			       uint32_t timeout_ms)
+{
+	return __waiter_wait_timeout(w, l, timeout_ms);
 }
`,
      },
      {
        name: 'near miss: the output the call fills in is tested right after (it stays at its default on failure)',
        patch: `--- a/core/drivers/tick.c
+++ b/core/drivers/tick.c
@@ -10,5 +10,10 @@ static void tick_stamp(struct tick *tk)
 {
 	TEE_Time t = { };
 
+	tee_time_get_sys_time(&t);
+	if (!t.seconds && !t.millis)
+		return;
+
+	tk->stamp = t.seconds;
 	tick_done(tk);
 }
`,
      },
      {
        name: 'near miss: a comment right above says the status is discarded on purpose',
        patch: `--- a/core/drivers/tock.c
+++ b/core/drivers/tock.c
@@ -10,5 +10,8 @@ static void tock_stamp(struct tock *tk)
 {
 	TEE_Time t = { };
 
+	/* Intentionally discard the status: t stays zero on failure */
+	tee_time_get_sys_time(&t);
+	tk->stamp = t.seconds;
 	tock_done(tk);
 }
`,
      },
      {
        name: 'near miss: a void callback drops a call while it handles another failure, which it reports through memory',
        refuted: true,
        patch: `--- a/xen/arch/x86/cpu/knob.c
+++ b/xen/arch/x86/cpu/knob.c
@@ -40,7 +40,10 @@ static void cf_check knob_write(void *info)
     struct knob_data *data = info;
 
     if ( knob_wr(KNOB_REQ, data->req) )
+    {
+        knob_rd(KNOB_REQ, &data->cached);
         data->ret = -EINVAL;
+    }
 }
 
 static int knob_init(struct knob_data *data)
@@ -60,5 +63,8 @@ static int knob_init(struct knob_data *data)
     if ( !data )
         return -EINVAL;
 
+    if ( knob_rd(KNOB_CAPS, &data->caps) )
+        return -ENODEV;
+
     return 0;
 }
`,
      },
      {
        name: 'near miss: the commit message names the callee and says its failure is not an error here',
        patch: `From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001
From: A Developer <dev@example.org>
Date: Mon, 2 Mar 2026 10:00:00 +0000
Subject: [PATCH] x86/rendezvous: keep the first error

rv_wait() returns false when the leader moves to the exit state.  Every
follower turns that into -EBUSY, which overwrites the real error.

For a follower the exit state is not an error condition: drop the -EBUSY
and report success.

Signed-off-by: A Developer <dev@example.org>
---
 xen/arch/x86/rendezvous.c | 4 +++-
 1 file changed, 3 insertions(+), 1 deletion(-)

diff --git a/xen/arch/x86/rendezvous.c b/xen/arch/x86/rendezvous.c
--- a/xen/arch/x86/rendezvous.c
+++ b/xen/arch/x86/rendezvous.c
@@ -40,5 +40,7 @@ static int rv_follower(void)
 {
     cpumask_set_cpu(smp_processor_id(), &rv_callin);
 
-    return rv_wait(RV_EXIT) ? 0 : -EBUSY;
+    rv_wait(RV_EXIT);
+
+    return 0;
 }
`,
      },
      {
        name: 'near miss: a comment above says a failure is not acted upon (the callee already logged it)',
        patch: `--- a/core/drivers/knob_cfg.c
+++ b/core/drivers/knob_cfg.c
@@ -10,5 +10,12 @@ static void knob_refresh(struct knob *kb)
 {
 	knob_lock(kb);
 
+	/*
+	 * A failed refresh leaves the knob usable with its old limits and the
+	 * callee has printed why, so don't otherwise act upon the failure.
+	 */
+	tee_time_get_sys_time(&kb->stamp);
+
+	kb->count++;
 	knob_unlock(kb);
 }
`,
      },
      {
        name: 'near miss: the patch moves a call whose result both callers already dropped into a new helper',
        patch: `--- a/core/drivers/pm/knob.c
+++ b/core/drivers/pm/knob.c
@@ -10,14 +10,18 @@ static TEE_Result knob_suspend(uint32_t op)
 	return TEE_SUCCESS;
 }
 
+static void knob_change(uint32_t op, uint32_t hint)
+{
+	if (knob_ready)
+		clk_enable(knob_clk);
+}
+
 static void knob_idle(uint32_t op, uint32_t hint)
 {
-	if (knob_ready)
-		clk_enable(knob_clk);
+	knob_change(op, hint);
 }
 
 static void knob_off(uint32_t op, uint32_t hint)
 {
-	if (knob_ready)
-		clk_enable(knob_clk);
+	knob_change(op, hint);
 }
`,
      },
      {
        name: 'near miss: a cleanup on the unwind path drops a failure, but the function returns a failure there anyway',
        refuted: true,
        patch: `--- a/core/drivers/gizmo.c
+++ b/core/drivers/gizmo.c
@@ -10,4 +10,16 @@ static TEE_Result gizmo_init(void)
 {
 	vaddr_t va = 0;
 
+	va = gizmo_map(GIZMO_BASE);
+	if (!va)
+		return TEE_ERROR_OUT_OF_MEMORY;
+	if (gizmo_probe(va) != TEE_SUCCESS)
+		goto unmap;
+	if (gizmo_unmap(va) != TEE_SUCCESS)
+		return TEE_ERROR_GENERIC;
+	return TEE_SUCCESS;
+
+unmap:
+	gizmo_unmap(va);
+	return TEE_ERROR_GENERIC;
 }
`,
      },
      {
        name: 'an explicit (void) cast says the result is not wanted',
        patch: `--- a/xen/drivers/foo.c
+++ b/xen/drivers/foo.c
@@ -10,6 +10,7 @@ int foo_sync(struct foo *f)
 {
     int rc = foo_flush(f);
 
+    (void)foo_flush(f);
     if ( rc )
         return rc;
     return 0;
`,
      },
      {
        name: 'near miss: the patch renames a TEE_Result function shown in part, with no failure shown, and drops it at every call it writes',
        patch: `--- a/core/drivers/knob_ctl.c
+++ b/core/drivers/knob_ctl.c
@@ -20,7 +20,7 @@ static void knob_lock_rng(vaddr_t base)
 	io_setbits32(base + KNOB_RNG, KNOB_LOCK);
 }
 
-static TEE_Result knob_init(void)
+static TEE_Result knob_apply(void)
 {
 	vaddr_t base = knob_base();
 	size_t i = 0;
@@ -40,4 +40,21 @@ static TEE_Result knob_init(void)
 	return TEE_SUCCESS;
 }
 
+static TEE_Result knob_pm(enum pm_op op, uint32_t hint __unused,
+			  const struct pm_callback_handle *h __unused)
+{
+	if (op == PM_OP_RESUME)
+		knob_apply();
+
+	return TEE_SUCCESS;
+}
+
+static TEE_Result knob_init(void)
+{
+	knob_apply();
+	register_pm_driver_cb(knob_pm, NULL, "knob");
+
+	return TEE_SUCCESS;
+}
+
 driver_init(knob_init);
`,
      },
      {
        name: 'near miss: the only other use of the callee is a loop condition (a gang lookup iterating while it finds entries), not a failure check',
        patch: `--- a/xen/common/gizmo.c
+++ b/xen/common/gizmo.c
@@ -30,4 +30,22 @@ static void gizmo_poke(struct gizmo *g)
     g->poked = 1;
 }
 
+static struct gizmo *gizmo_first(struct gizmo_tbl *t)
+{
+    struct gizmo *g = NULL;
+
+    gizmo_gang_lookup(t, &g, 0, 1);
+    return g;
+}
+
+static void gizmo_walk(struct gizmo_tbl *t)
+{
+    struct gizmo *g = gizmo_first(t);
+
+    if ( !g )
+        return;
+    do {
+        gizmo_poke(g);
+    } while ( gizmo_gang_lookup(t, &g, g->nr + 1, 1) );
+}
 /* end */
`,
      },
      {
        name: 'near miss: Arm boot code drops irq_set_type() for its timer interrupts, as the project does at most of its calling sites',
        patch: `--- a/xen/arch/arm/gizmo_timer.c
+++ b/xen/arch/arm/gizmo_timer.c
@@ -20,7 +20,9 @@ static int __init gizmo_timer_acpi_init(struct acpi_table_header *header)
 
     gtdt = container_of(header, struct acpi_table_gtdt, header);
     irq = gtdt->non_secure_el1_interrupt;
+    irq_set_type(irq, IRQ_TYPE_LEVEL_LOW);
     gizmo_irq[GIZMO_PHYS_NONSECURE_PPI] = irq;
+    irq_set_type(gtdt->virtual_timer_interrupt, IRQ_TYPE_LEVEL_LOW);
 
     return 0;
 }
`,
      },
      {
        name: 'near miss: the patch defines the callee void with an attribute macro between the type and the name; the knowledge base\'s fallible function of that name is another',
        patch: `--- a/xen/arch/x86/gizmo.c
+++ b/xen/arch/x86/gizmo.c
@@ -10,3 +10,14 @@ struct gizmo_state;
 
 static struct gizmo_state gizmo;
 
+static void init_or_livepatch arch_domain_create(struct gizmo_state *g, bool force)
+{
+    g->ready = force;
+}
+
+int gizmo_setup(void)
+{
+    arch_domain_create(&gizmo, true);
+    return 0;
+}
+
`,
      },
      {
        // TF-A 0c3709a8957a (2026): `return ea_proceed(..);` in a void handler became a call followed by more work.
        name: 'near miss: the removed `return f(..);` was a void function\'s tail call (C lets a void function return a void expression); the call now followed by more work drops no result',
        patch: `--- a/common/gizmo_svc.c
+++ b/common/gizmo_svc.c
@@ -276,6 +276,10 @@ void gizmo_sync_exception(struct gizmo_ctx *ctx)
 			return gizmo_uncontainable();
 		}
 		/* Hand the abort to the platform */
-		return gizmo_proceed(GIZMO_SYNC, esr, ctx);
+		gizmo_proceed(GIZMO_SYNC, esr, ctx);
+
+		gizmo_inject_sync(ctx, esr);
+
+		return;
 	}
 
`,
      },
      {
        // U-Boot 0f8cbf3a0d6f (2026): the error tail of a probe turns its supplies off again and returns ret.
        name: 'near miss: cleanups dropped in the error tail after `return 0;` (labels only goto reaches), which returns the failure that jumped there',
        patch: `--- a/drivers/usb/gizmo.c
+++ b/drivers/usb/gizmo.c
@@ -10,3 +10,28 @@ struct gizmo_host;
 
 static int gizmo_debug;
 
+static int gizmo_rscs_init(struct gizmo_host *h)
+{
+	int ret;
+
+	ret = regulator_set_enable(h->core_supply, true);
+	if (ret)
+		return ret;
+
+	ret = regulator_set_enable(h->vbus_supply, true);
+	if (ret)
+		goto vbus_err;
+
+	ret = clk_enable(&h->clk);
+	if (ret)
+		goto clk_err;
+
+	return 0;
+
+clk_err:
+	regulator_set_enable(h->vbus_supply, false);
+vbus_err:
+	regulator_set_enable(h->core_supply, false);
+	return ret;
+}
+
`,
      },
      {
        // U-Boot b8487e7e2d10 (2026): `readl(&regs->clr_tx_abrt);` clears the abort; the patch tests other reads' values.
        name: 'near miss: an MMIO read whose value is dropped clears a status (read-to-clear); the patch testing other reads\' values is no failure evidence',
        patch: `--- a/drivers/i2c/gizmo_i2c.c
+++ b/drivers/i2c/gizmo_i2c.c
@@ -10,3 +10,18 @@ struct gizmo_i2c_regs;
 
 static int gizmo_debug;
 
+static int gizmo_i2c_wait(struct gizmo_i2c_regs *regs)
+{
+	ulong start = get_timer(0);
+
+	while (!(readl(&regs->status) & GIZMO_TFE)) {
+		if (readl(&regs->raw_intr) & GIZMO_TX_ABRT) {
+			readl(&regs->clr_tx_abrt);
+			return -EREMOTEIO;
+		}
+		if (get_timer(start) > GIZMO_TIMEOUT)
+			return -ETIMEDOUT;
+	}
+	return 0;
+}
+
`,
      },
      {
        // TF-A 2ccc7ecb2695 (2026): a mailbox request's response status, read into a flag, is what the driver tests.
        name: 'near miss: the call fills in a response that the next statement reads into a flag and the one after tests',
        patch: `--- a/plat/gizmo/gizmo_mailbox.c
+++ b/plat/gizmo/gizmo_mailbox.c
@@ -10,3 +10,30 @@ struct gizmo_resp;
 
 static int gizmo_debug;
 
+int gizmo_stop(uintptr_t base)
+{
+	struct gizmo_resp resp;
+
+	if (gizmo_mb_req(base, GIZMO_CMD_STOP, 0, &resp) != 0)
+		return -EIO;
+	return 0;
+}
+
+int gizmo_start(uintptr_t base)
+{
+	struct gizmo_resp resp;
+	bool started;
+
+	if (gizmo_ready(base) != 0)
+		return -EBUSY;
+
+	gizmo_mb_req(base, GIZMO_CMD_START, 0, &resp);
+
+	started = GIZMO_RESP_SHORT(resp.status) & 1;
+
+	if (!started)
+		return -ENOEXEC;
+
+	return 0;
+}
+
`,
      },
    ],
  },
});
