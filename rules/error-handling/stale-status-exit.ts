import { defineRule, type Report } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { assignedCall, conditionOf, declaredNames, descendants, fold, isLoop, isMarker, statementsOf } from '../../src/review/ast.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { calleeName, fallibilityKey, nextStatement, peel, testsValue } from '../../src/review/calls.ts';
import { reliedOn } from '../../src/review/judge.ts';
import { isErrorConstant, notMemoryCode } from '../../src/review/api-data.ts';
import { errorLogLevel, isSuccessConstant, writtenText } from '../../src/review/log-levels.ts';
import { SEED_THREAD } from './source.ts';

/** The identifier a `return` gives back, if it is one. */
function returnedVariable(ret: SyntaxNode): string | null {
  const v = peel(ret.namedChild(0));
  return v?.type === 'identifier' ? v.text : null;
}

/** The status variable the code after `label:` returns (the first return after the label, in the label's block). */
function labelReturn(fn: SyntaxNode, label: string): string | null {
  for (const l of descendants(fn, 'labeled_statement')) {
    if (l.childForFieldName('label')?.text !== label) continue;
    const before: SyntaxNode[] = [];
    for (let s: SyntaxNode | null = l; s; s = nextStatement(s)) {
      for (const r of s.type === 'return_statement' ? [s] : [...descendants(s, 'return_statement')]) {
        const v = returnedVariable(r);
        // Code after the label that sets v again (a later level's lookup, a retry's result) does not pass on the
        // value v held at the goto: the label is the start of more work, not the function's exit.
        if (v) return before.some((b) => assigns(b, v)) ? null : v;
      }
      if (s.type === 'return_statement') return null;
      before.push(s);
    }
    // The return may be the labelled statement itself.
    for (const r of descendants(l, 'return_statement')) return returnedVariable(r);
  }
  return null;
}

/**
 * An error-only label: `label:` comes right after an unconditional return of success in its block (`return 0;`,
 * `return TEE_SUCCESS;` then `err:`), so only gotos reach it and the function's success leaves before it. Returns
 * that success return.
 */
function errorOnlyLabel(fn: SyntaxNode, label: string): SyntaxNode | null {
  for (const l of descendants(fn, 'labeled_statement')) {
    if (l.childForFieldName('label')?.text !== label) continue;
    const block = l.parent;
    if (block?.type !== 'compound_statement') return null;
    const list = statementsOf(block);
    const prev = list[list.findIndex((x) => x.id === l.id) - 1];
    if (prev?.type !== 'return_statement') return null;
    const v = fold(peel(prev.namedChild(0))?.text ?? '');
    return v === '0' || isSuccessConstant(v) ? prev : null;
  }
  return null;
}

/** Does `label:` stand before `jump` in the function (a backward goto: a retry loop)? */
function labelAbove(fn: SyntaxNode, label: string, jump: SyntaxNode): boolean {
  for (const l of descendants(fn, 'labeled_statement')) if (l.childForFieldName('label')?.text === label) return l.startIndex < jump.startIndex;
  return false;
}

/** Is `label:` in the visible code? */
function labelVisible(fn: SyntaxNode, label: string): boolean {
  for (const l of descendants(fn, 'labeled_statement')) if (l.childForFieldName('label')?.text === label) return true;
  return false;
}

/**
 * For a label the patch does not show: the status a check sends there (`v = f(); if ( <test of v> ) goto L;`),
 * which only works if L passes v on. Returns v and the line of that check's call.
 */
function routedTo(ctx: FunctionContext, label: string): { variable: string; call: SyntaxNode } | null {
  for (const ifs of descendants(ctx.post.node, 'if_statement')) {
    const body = ifs.childForFieldName('consequence');
    const list = body ? (body.type === 'compound_statement' ? statementsOf(body) : [body]) : [];
    const exit = list[list.length - 1];
    if (exit?.type !== 'goto_statement' || exit.childForFieldName('label')?.text !== label) continue;
    const block = ifs.parent;
    if (!block || block.type !== 'compound_statement') continue;
    const stmts = statementsOf(block);
    const prev = stmts[stmts.findIndex((x) => x.id === ifs.id) - 1];
    const assigned = prev ? assignedCall(prev) : null;
    if (assigned && testsValue(conditionOf(ifs), assigned.variable)) return { variable: assigned.variable, call: assigned.call };
  }
  return null;
}

/** Is `variable` assigned a call's result (`v = f(...)`, `T v = f(...)`) before `before`? */
function heldCallResult(fn: SyntaxNode, variable: string, before: SyntaxNode): boolean {
  for (const a of descendants(fn, new Set(['assignment_expression', 'init_declarator']))) {
    if (a.startIndex >= before.startIndex) continue;
    const target = a.type === 'assignment_expression' ? a.childForFieldName('left') : a.childForFieldName('declarator');
    const value = peel(a.type === 'assignment_expression' ? a.childForFieldName('right') : a.childForFieldName('value'));
    if (target?.text === variable && value?.type === 'call_expression' && !isMarker(value)) return true;
  }
  return false;
}

/**
 * `variable` is declared in the visible code with a success initialiser (`= 0`, `= TEE_SUCCESS`) and nothing writes it
 * (or takes its address) before `before`.
 */
function initialSuccessOnly(fn: SyntaxNode, variable: string, before: SyntaxNode): boolean {
  let init = false;
  for (const decl of descendants(fn, 'declaration')) {
    for (const d of declaredNames(decl)) {
      if (d.name !== variable) continue;
      const v = fold(d.init?.text ?? '');
      init = v === '0' || isSuccessConstant(v);
    }
  }
  if (!init) return false;
  for (const a of descendants(fn, new Set(['assignment_expression', 'update_expression', 'pointer_expression']))) {
    if (a.startIndex >= before.startIndex) continue;
    const target = a.type === 'assignment_expression' ? a.childForFieldName('left') : a.childForFieldName('argument');
    if (a.type === 'pointer_expression' && a.childForFieldName('operator')?.text !== '&') continue;
    if (peel(target)?.text === variable) return false;
  }
  return true;
}

/** The last call whose result is assigned to `variable` before `before` (`v = f(..)`, `T v = f(..)`). */
function lastCallInto(fn: SyntaxNode, variable: string, before: SyntaxNode): SyntaxNode | null {
  let last: SyntaxNode | null = null;
  for (const a of descendants(fn, new Set(['assignment_expression', 'init_declarator']))) {
    if (a.startIndex >= before.startIndex) continue;
    const target = a.type === 'assignment_expression' ? a.childForFieldName('left') : a.childForFieldName('declarator');
    const value = peel(a.type === 'assignment_expression' ? a.childForFieldName('right') : a.childForFieldName('value'));
    if (target?.text === variable && value?.type === 'call_expression' && !isMarker(value) && (!last || a.startIndex > last.startIndex)) last = value;
  }
  return last;
}

/** Does `node` assign `variable`? */
function assigns(node: SyntaxNode, variable: string): boolean {
  for (const a of descendants(node, 'assignment_expression')) if (a.childForFieldName('left')?.text === variable) return true;
  return false;
}

/**
 * The call whose failure `cond` tests: a call assigned inside it (`(p = f()) == NULL`), the call the statement just
 * before assigned to what it tests, or a call tested directly that is known to fail.
 */
function testedCall(ctx: FunctionContext, ifs: SyntaxNode, cond: SyntaxNode): SyntaxNode | null {
  const inside = [...descendants(cond, 'call_expression')].filter((c) => !isMarker(c));
  const assignedInside = inside.find((c) => {
    let n = c.parent;
    while (n && (n.type === 'parenthesized_expression' || n.type === 'cast_expression')) n = n.parent;
    return n?.type === 'assignment_expression';
  });
  if (assignedInside) return assignedInside;
  const known = inside.find((c) => ctx.fallibility.reasons(fallibilityKey(c)).length > 0);
  if (known) return known;
  const block = ifs.parent;
  if (!block || block.type !== 'compound_statement') return null;
  const list = statementsOf(block);
  const prev = list[list.findIndex((s) => s.id === ifs.id) - 1];
  // `p = f(..);` or a declaration `T *p = f(..);` just before.
  const a = prev?.type === 'expression_statement' ? prev.namedChild(0) : prev?.type === 'declaration' ? prev.namedChildren.find((c) => c.type === 'init_declarator') : null;
  if (!a || (a.type !== 'assignment_expression' && a.type !== 'init_declarator')) return null;
  const right = peel(a.childForFieldName(a.type === 'assignment_expression' ? 'right' : 'value'));
  let target = a.childForFieldName(a.type === 'assignment_expression' ? 'left' : 'declarator');
  while (target?.type === 'pointer_declarator') target = target.childForFieldName('declarator');
  const left = target?.text;
  if (right?.type !== 'call_expression' || !left) return null;
  const mentioned = [...descendants(cond, new Set(['identifier', 'field_expression']))].some((n) => n.text === left);
  return mentioned ? right : null;
}

/** A heap allocation: a known fallible API whose contract says its failure is running out of memory (`allocates`). */
function isHeapAllocation(ctx: FunctionContext, call: SyntaxNode): boolean {
  const key = fallibilityKey(call);
  return ctx.fallibility.reasons(key).some((r) => r.kind === 'known-api') && ctx.knowledge.lookup(key)?.allocates === true;
}

/** `!p`, `p == NULL`, `NULL == p`, `p == 0` (p possibly an assignment): a test that the value is NULL. */
function isNullTest(cond: SyntaxNode): boolean {
  const c = peel(cond);
  if (c?.type === 'unary_expression') return c.childForFieldName('operator')?.text === '!';
  if (c?.type !== 'binary_expression' || c.childForFieldName('operator')?.text !== '==') return false;
  return [c.childForFieldName('left')?.text, c.childForFieldName('right')?.text].some((t) => t === 'NULL' || t === '0');
}

/**
 * The code an allocation-failure branch reports: the constant its `return` names, or the constant the branch
 * assigns to the variable the exit passes on (`ret = CODE; goto out;` with `out:` returning ret).
 */
function reportedCode(ctx: FunctionContext, list: SyntaxNode[], exit: SyntaxNode): string | null {
  let variable: string | null = null;
  if (exit.type === 'return_statement') {
    const v = peel(exit.namedChild(0));
    if (!v) return null;
    // A constant (`return -ENOSPC;`, `return TEE_ERROR_X;`: an identifier too) is the code itself.
    if (v.type !== 'identifier' || notMemoryCode(v.text)) return v.text;
    variable = v.text;
  } else {
    const label = exit.childForFieldName('label')?.text;
    if (!label) return null;
    variable = labelVisible(ctx.post.node, label) ? labelReturn(ctx.post.node, label) : routedTo(ctx, label)?.variable ?? null;
  }
  if (!variable) return null;
  for (const s of list) {
    const a = s.type === 'expression_statement' ? s.namedChild(0) : null;
    if (a?.type === 'assignment_expression' && a.childForFieldName('left')?.text === variable) return a.childForFieldName('right')?.text ?? null;
  }
  return null;
}

/** A long call cut to its first 70 characters. */
const shorten = (t: string): string => (t.length > 72 ? `${t.slice(0, 70)}...)` : t);

/** The branch's own word that it is a failure: a statement before the exit printing at error level. */
function errorLogIn(ctx: FunctionContext, list: SyntaxNode[]): SyntaxNode | null {
  for (const s of list.slice(0, -1)) {
    const call = s.type === 'expression_statement' ? peel(s.namedChild(0)) : null;
    if (call?.type === 'call_expression' && errorLogLevel(call, (n) => writtenText(ctx.post, n))) return call;
  }
  return null;
}

/**
 * Another exit of the function that reports a failure with an error constant (`return -EINVAL;`,
 * `return TEE_ERROR_BAD_PARAMETERS;`): the function reports its failures, so a success literal on a failure path is no
 * convention of its own.
 */
function errorReturnElsewhere(ctx: FunctionContext, exit: SyntaxNode): { at: SyntaxNode; code: string } | null {
  for (const r of descendants(ctx.post.node, 'return_statement')) {
    if (r.id === exit.id) continue;
    const v = fold(peel(r.namedChild(0))?.text ?? '');
    if (isErrorConstant(v)) return { at: r, code: v.replace(/[()\s]/g, '') };
  }
  return null;
}

/** The loop or switch a `break` leaves. */
function breakTarget(brk: SyntaxNode): SyntaxNode | null {
  for (let n = brk.parent; n && n.type !== 'function_definition'; n = n.parent) if (isLoop(n) || n.type === 'switch_statement') return n;
  return null;
}

/**
 * The status variable the code right after `construct` (a loop or switch a break leaves) returns: the first return
 * in the statements that follow it in its block, when none of them sets the variable before; else null.
 */
function returnAfter(construct: SyntaxNode): string | null {
  const before: SyntaxNode[] = [];
  for (let s = nextStatement(construct); s; s = nextStatement(s)) {
    for (const r of s.type === 'return_statement' ? [s] : [...descendants(s, 'return_statement')]) {
      const v = returnedVariable(r);
      return v && !before.some((b) => assigns(b, v)) && !assigns(s, v) ? v : null;
    }
    before.push(s);
  }
  return null;
}

/** Do two exits leave the same way: the same label, both `return v;` of the same variable, or breaks out of the same construct? */
function sameExit(a: SyntaxNode, b: SyntaxNode): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'break_statement') return breakTarget(a)?.id === breakTarget(b)?.id;
  if (a.type === 'goto_statement') return a.childForFieldName('label')?.text === b.childForFieldName('label')?.text;
  const v = returnedVariable(a);
  return !!v && v === returnedVariable(b);
}

/** `variable = <error constant>;` as a statement: the constant, else null. */
function errorSet(s: SyntaxNode | undefined, variable: string): string | null {
  const a = s?.type === 'expression_statement' ? s.namedChild(0) : null;
  if (a?.type !== 'assignment_expression' || a.childForFieldName('operator')?.text !== '=' || a.childForFieldName('left')?.text !== variable) return null;
  const v = a.childForFieldName('right')?.text ?? '';
  return isErrorConstant(v) ? fold(v) : null;
}

/**
 * The function's own habit for a status that holds no call's result (only its initial success): another check of a
 * call's failure that sets `variable` to an error constant, in its branch or in the statements just before the call
 * (`rc = -ENOMEM; p = alloc(); if ( !p ) goto out;`), and then leaves the same way as `exit`. That check is the
 * evidence that a failure leaving there must set the status; returns it with the constant.
 */
function habitOfSettingError(ctx: FunctionContext, variable: string, exit: SyntaxNode, except: SyntaxNode, anyCheck = false): { at: SyntaxNode; code: string } | null {
  for (const ifs of descendants(ctx.post.node, 'if_statement')) {
    if (ifs.id === except.id) continue;
    const body = ifs.childForFieldName('consequence');
    const cond = conditionOf(ifs);
    if (!body || !cond) continue;
    const list = body.type === 'compound_statement' ? statementsOf(body) : [body];
    const last = list[list.length - 1];
    if (!last || !sameExit(last, exit)) continue;
    let set: { at: SyntaxNode; code: string } | null = null;
    for (const s of list.slice(0, -1)) {
      const code = errorSet(s, variable);
      if (code) set = { at: s, code };
    }
    if (!set && ifs.parent?.type === 'compound_statement') {
      const stmts = statementsOf(ifs.parent);
      const i = stmts.findIndex((x) => x.id === ifs.id);
      for (const s of stmts.slice(Math.max(0, i - 2), i)) {
        const code = errorSet(s, variable);
        if (code) set = { at: s, code };
      }
    }
    if (set && (anyCheck || testedCall(ctx, ifs, cond))) return set;
  }
  return null;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'stale-status-exit',
    pack: 'error-handling',
    family: 'unchecked-error',
    severity: 'warning',
    summary: 'An error exit returns the status variable while it still holds an earlier success, or reports a failed allocation with a code that names another shortage.',
    source: {
      ...SEED_THREAD,
      quote: 'rv = iommu_hwdom_init(d), otherwise error is not propagated outside.',
    },
    messages: {
      stale:
        'When {{callee}}() fails, {{function}}() takes `{{exit}}` but {{variable}} still holds the 0 of an earlier success, so the caller is told it worked. Set {{variable}} to the error before the exit.',
      unset:
        'When {{callee}}() fails, {{function}}() takes `{{exit}}` without setting {{variable}}, which still holds its initial success, so the caller is told it worked; the failure checked at line {{line}} sets {{variable}} = {{code}} before the same exit. Set {{variable}} to the error before the exit.',
      loggedExit:
        '{{function}}() reports an error (`{{log}}`) and takes `{{exit}}`, but {{variable}} still holds {{held}}, so the caller is told it worked. Set {{variable}} to the error before the exit.',
      errorLabelInitial:
        '{{function}}() takes `{{exit}}`{{when}}, its error exit (the label follows `{{success}}` at line {{line}}), but {{variable}} still holds its initial success, so the caller is told it worked. Set {{variable}} to the error before the exit.',
      errorLabel:
        '{{function}}() takes `{{exit}}`, its error exit (the label follows `{{success}}` at line {{line}}), but {{variable}} still holds the success of {{callee}}(), so the caller is told it worked. Set {{variable}} to the error before the exit.',
      successOnFailure:
        'When {{callee}}() fails, {{function}}() takes `{{exit}}` and reports success, while it reports its other failures (`return {{other}};`, line {{line}}): the caller goes on as if the allocation had worked. Return {{memory}}.',
      notMemory:
        'When {{callee}}() fails, {{function}}() takes `{{exit}}` reporting {{code}}, which tells the caller {{means}}; the allocation failed for lack of memory, which is {{memory}}.{{more}}',
    },
    fixable: false,
    limitations:
      'Only exits (`return v;`, a goto whose visible label returns v, or a break whose loop or switch is followed by `return v;`, where v held a call\'s result before) guarded by a test of a call (assigned in the condition or just before it, or known to fail) where the branch does not set v. A label the patch does not show is taken to pass on the status another check sends there (`v = f(); if ( v ) goto L;`), stated as an assumption; without such a check it is not followed. An exit that is meant to report success there is a false positive the simulator cannot tell apart. A status that holds no call\'s result (only its initial success: `int rc = 0;`, `TEE_Result res = TEE_SUCCESS;`) is followed only when the function\'s own habit says failures set it: another check of a call\'s failure sets it to an error constant (in its branch or in the two statements before it) and leaves the same way; and only for an exit the patch adds. A break is followed only with that habit or an error message (a break also ends a search or a retry on success). A goto the patch adds to an error-only label (one that comes right after a return of success in its block, `return TEE_SUCCESS; err:`, so only gotos reach it) is a failure exit whatever its condition tests, for a status that held a call\'s result or holds only its success initialiser (`int rc = 0;`, nothing writes it before the goto); the simulator decides that some path through it still returns success (a label the success path also falls into is not taken as an error exit). A failed heap allocation (a known allocator\'s NULL, tested with `!p` or `== NULL`) whose added branch returns success (`return 0;`, `return TEE_SUCCESS;`) in a function that returns an error constant elsewhere: the simulator decides that the exit is reached when the allocation returns NULL (a best-effort allocation whose failure is meant to be ignored is a false positive). A branch that prints at error level (XENLOG_ERR, EMSG: log-level data with its source) before an exit the patch adds stands for a failure test whatever its condition (and then any other check setting an error constant before the same exit shows the habit); a warning does not. Also: a failed heap allocation (a known allocator\'s NULL, tested with `!p` or `== NULL`) reported with a code that names another shortage (TEE_ERROR_STORAGE_NO_SPACE, TEE_ERROR_SHORT_BUFFER, -ENOSPC: data with its source), returned or assigned in the branch to what the exit passes on; the simulator decides that the exit is reached when the allocation returns NULL; one finding per function, naming the other such exits.',
  },
  detect(ctx) {
    // A status is an integer-like value: not void, not a pointer, not a boolean.
    const type = ctx.post.returnType ?? 'void';
    if (type === 'void' || type.includes('*') || type === 'bool' || type === '_Bool') return [];
    const out = [];
    // The status is a local variable (not a constant the label returns).
    const locals = new Set<string>();
    for (const decl of descendants(ctx.post.node, 'declaration')) for (const d of declaredNames(decl)) locals.add(d.name);
    for (const ifs of descendants(ctx.post.node, 'if_statement')) {
      if (ifs.childForFieldName('alternative')) continue;
      const body = ifs.childForFieldName('consequence');
      const cond = conditionOf(ifs);
      if (!body || !cond) continue;
      const list = body.type === 'compound_statement' ? statementsOf(body) : [body];
      const exit = list[list.length - 1];
      if (!exit || (exit.type !== 'goto_statement' && exit.type !== 'return_statement' && exit.type !== 'break_statement')) continue;
      const label = exit.type === 'goto_statement' ? exit.childForFieldName('label')?.text : undefined;
      // A jump back to a label above it is a retry, not an exit.
      if (label && labelAbove(ctx.post.node, label, exit)) continue;
      // A label the patch does not show: the status another check sends there is what it passes on.
      const routed = label && !labelVisible(ctx.post.node, label) ? routedTo(ctx, label) : null;
      // A break leaves its loop or switch for the code after it, which must return the status right away.
      const target = exit.type === 'break_statement' ? breakTarget(exit) : null;
      const variable =
        exit.type === 'return_statement' ? returnedVariable(exit)
        : target ? returnAfter(target)
        : routed ? routed.variable
        : label ? labelReturn(ctx.post.node, label) : null;
      if (!variable || !locals.has(variable) || assigns(body, variable)) continue;
      // A status: it holds a call's result somewhere before the exit (not a counter or a computed value), or the
      // function's other failures set it to an error before the same exit (it holds only its initial success).
      // A branch printing an error is itself a failure: then any other check setting an error before the same
      // exit shows the habit.
      const held = heldCallResult(ctx.post.node, variable, exit);
      const habit = held ? null : habitOfSettingError(ctx, variable, exit, ifs, !!errorLogIn(ctx, list));
      // A status that holds only its initial success (`int rc = 0;`, never written before the exit) leaving by a new
      // goto to an error-only label: the label is the evidence that the exit is a failure.
      const initialOnly = !held && !habit && label && ctx.isAdded(exit) && labelVisible(ctx.post.node, label) && initialSuccessOnly(ctx.post.node, variable, exit)
        ? errorOnlyLabel(ctx.post.node, label) : null;
      if (!held && !habit && !initialOnly) continue;
      // A test of the status itself passes it on; this is about a check that leaves it untouched.
      // (`descendants` leaves out the node itself: `if ( rc )` is the identifier alone.)
      if ((cond.type === 'identifier' && cond.text === variable) || [...descendants(cond, 'identifier')].some((n) => n.text === variable)) continue;
      // What says the exit is a failure: the test of a call's failure, else the branch printing an error.
      const tested = testedCall(ctx, ifs, cond);
      const log = tested ? null : errorLogIn(ctx, list);
      // A goto to an error-only label (it follows the success return) is a failure exit whatever its condition
      // tests: the status must hold the failure there. Only with a status that held a call's result, and only for
      // an exit the patch adds.
      const onlyError = !tested && !log && held && label && labelVisible(ctx.post.node, label) && ctx.isAdded(exit) ? errorOnlyLabel(ctx.post.node, label) : null;
      const call = tested ?? log ?? (onlyError ? lastCallInto(ctx.post.node, variable, exit) : initialOnly ? ifs : null);
      if (!call) continue;
      if (!ctx.touchesAdded(ifs) && !ctx.isAdded(call)) continue;
      // The habit's and the log's shapes: the exit itself is the patch's (not a call whose arguments changed above
      // an old check, nor an old message reworded).
      if ((habit || log) && !ctx.isAdded(exit)) continue;
      // A break also ends a search or a retry on success: only the function's habit or an error message says it fails.
      if (target && !habit && !log) continue;
      // A break is also how a loop stops when a predicate says there is nothing left to do (`if ( count_of(..) == 0 )
      // break;`): a call the patch merely tests elsewhere is no failure there; it must be known to fail by its
      // convention (its status type, its errno returns, the project's knowledge).
      if (target && !log && tested && !ctx.fallibility.reasons(fallibilityKey(tested)).some((r) => r.kind !== 'checked-in-patch')) continue;
      out.push({
        node: exit,
        data: {
          call, variable, exitText: fold(exit.text), ...(routed ? { routedLine: ctx.lineOf(routed.call) } : {}),
          ...(habit ? { habitLine: ctx.lineOf(habit.at), habitCode: habit.code } : {}),
          ...(log ? { logged: true } : {}),
          ...(onlyError ? { successLine: ctx.lineOf(onlyError), successText: fold(onlyError.text) } : {}),
          ...(initialOnly ? { successLine: ctx.lineOf(initialOnly), successText: fold(initialOnly.text), initial: true, ...(tested ? { testedCall: tested } : {}) } : {}),
        },
      });
    }
    // A heap allocation that fails, reported with a code naming another shortage (storage or device full).
    const wrong: { node: SyntaxNode; data: { call: SyntaxNode; wrong: ReturnType<typeof notMemoryCode>; exitText: string; more: string } }[] = [];
    for (const ifs of descendants(ctx.post.node, 'if_statement')) {
      const body = ifs.childForFieldName('consequence');
      const cond = conditionOf(ifs);
      if (!body || !cond || !isNullTest(cond)) continue;
      const list = body.type === 'compound_statement' ? statementsOf(body) : [body];
      const exit = list[list.length - 1];
      if (!exit || (exit.type !== 'goto_statement' && exit.type !== 'return_statement')) continue;
      const call = testedCall(ctx, ifs, cond);
      if (!call || !isHeapAllocation(ctx, call)) continue;
      if (!ctx.touchesAdded(ifs) && !ctx.isAdded(call)) continue;
      // The failed allocation reports success (`return 0;`, `return TEE_SUCCESS;`) where the function's other
      // exits report failures with error constants: the exit must be the patch's.
      const success = exit.type === 'return_statement' ? fold(peel(exit.namedChild(0))?.text ?? '') : '';
      if ((success === '0' || isSuccessConstant(success)) && ctx.isAdded(exit)) {
        const other = errorReturnElsewhere(ctx, exit);
        if (other) {
          const memory = /^-E/.test(other.code) ? '-ENOMEM' : /^TEE_ERROR_/.test(other.code) ? 'TEE_ERROR_OUT_OF_MEMORY' : null;
          if (memory) out.push({ node: exit, data: { call, successOnFailure: true, exitText: fold(exit.text), otherCode: other.code, otherLine: ctx.lineOf(other.at), memory } });
        }
        continue;
      }
      const code = notMemoryCode(reportedCode(ctx, list, exit) ?? '');
      if (code) wrong.push({ node: exit, data: { call, wrong: code, exitText: fold(exit.text), more: '' } });
    }
    // One finding per function: the same habit at other allocations is named in it, not repeated.
    if (wrong.length > 0) {
      const rest = wrong.slice(1).map((w) => ctx.lineOf(w.node));
      if (rest.length > 0) wrong[0]!.data.more = ` The same code is reported for a failed allocation at line${rest.length > 1 ? 's' : ''} ${rest.join(', ')}.`;
      out.push(wrong[0]!);
    }
    return out;
  },
  check(candidate, ctx): Report {
    if (candidate.data.successOnFailure) {
      const { call, exitText, otherCode, otherLine, memory } = candidate.data as { call: SyntaxNode; exitText: string; otherCode: string; otherLine: number; memory: string };
      return {
        messageId: 'successOnFailure',
        data: { callee: calleeName(call), function: ctx.fn.name, exit: exitText, other: otherCode, line: String(otherLine), memory },
        question: { kind: 'reached-when', call, result: 'zero', target: candidate.node },
        reliedOn: reliedOn(ctx, fallibilityKey(call), call),
      };
    }
    const wrong = candidate.data.wrong as ReturnType<typeof notMemoryCode>;
    if (wrong) {
      const call = candidate.data.call as SyntaxNode;
      return {
        messageId: 'notMemory',
        data: { callee: calleeName(call), function: ctx.fn.name, exit: candidate.data.exitText as string, code: wrong.code, means: wrong.means, memory: wrong.memory, more: candidate.data.more as string },
        question: { kind: 'reached-when', call, result: 'zero', target: candidate.node },
        reliedOn: reliedOn(ctx, fallibilityKey(call), call),
        assumptions: [`${wrong.code} means ${wrong.means}, ${wrong.memory} that memory ran out (${wrong.source})`],
      };
    }
    const { call, variable, exitText, routedLine, habitLine, habitCode, logged, successLine, successText } = candidate.data as {
      call: SyntaxNode; variable: string; exitText: string; routedLine?: number; habitLine?: number; habitCode?: string; logged?: boolean;
      successLine?: number; successText?: string;
    };
    if (successLine !== undefined && candidate.data.initial) {
      const testedCall = candidate.data.testedCall as SyntaxNode | undefined;
      return {
        messageId: 'errorLabelInitial',
        data: { function: ctx.fn.name, variable, exit: exitText, line: String(successLine), success: successText ?? '', when: testedCall ? ` when ${calleeName(testedCall)}() fails` : '' },
        question: { kind: 'success-via', via: candidate.node },
        reliedOn: [`\`${exitText}\` leads to the error exit: its label follows \`${successText ?? ''}\` (line ${successLine}), so only gotos reach it`],
      };
    }
    if (successLine !== undefined) {
      return {
        messageId: 'errorLabel',
        data: { callee: calleeName(call), function: ctx.fn.name, variable, exit: exitText, line: String(successLine), success: successText ?? '' },
        question: { kind: 'success-via', via: candidate.node },
        reliedOn: [`\`${exitText}\` leads to the error exit: its label follows \`${successText ?? ''}\` (line ${successLine}), so only gotos reach it`],
      };
    }
    const key = fallibilityKey(call);
    const held = habitLine !== undefined ? `its initial success; the failure checked at line ${habitLine} sets ${variable} = ${habitCode ?? ''} before the same exit` : 'the 0 of an earlier success';
    return {
      messageId: logged ? 'loggedExit' : habitLine !== undefined ? 'unset' : 'stale',
      data: {
        callee: calleeName(call), function: ctx.fn.name, variable, exit: exitText, line: String(habitLine ?? ''), code: habitCode ?? '',
        log: logged ? shorten(fold(writtenText(ctx.post, call))) : '', held,
      },
      question: { kind: 'success-via', via: candidate.node, ...(routedLine !== undefined ? { asReturn: variable } : {}) },
      reliedOn: logged ? [] : reliedOn(ctx, key, call),
      ...(routedLine !== undefined
        ? { assumptions: [`\`${exitText}\` passes ${variable} on to the caller, as the check at line ${routedLine} relies on (the label is not shown)`] }
        : {}),
    };
  },
  cases: {
    flagged: [
      {
        name: 'a new failure breaks out of the loop without the error the other failure sets before its break; the code after the loop returns rc',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -10,18 +10,21 @@ int quux_fill(struct domain *d, unsigned int n)
 {
     unsigned int i;
     int rc = 0;
 
     for ( i = 0; i < n; i++ )
     {
         struct quux *p = xzalloc(struct quux);
 
         if ( !p )
         {
             rc = -ENOMEM;
             break;
         }
+        p->page = alloc_domheap_page(d, 0);
+        if ( !p->page )
+            break;
         quux_add(d, p);
     }
 
     return rc;
 }
`,
        expect: [{ line: 25, messageId: 'unset', verdict: 'verified' }],
      },
      {
        name: 'a status holding only its initial 0: a new check prints an error and leaves the way another check leaves after setting -EINVAL',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -10,16 +10,22 @@ int quux_setup(struct domain *d, unsigned int n)
 {
     int rc = 0;
 
     if ( n == 0 )
     {
         rc = -EINVAL;
         goto out;
     }
 
+    if ( n > d->max_quux )
+    {
+        printk(XENLOG_ERR "d%d: too many quux (%u)\\n", d->domain_id, n);
+        goto out;
+    }
+
     spin_lock(&d->quux_lock);
     d->nr_quux = n;
     spin_unlock(&d->quux_lock);
 
  out:
     return rc;
 }
`,
        expect: [{ line: 22, messageId: 'loggedExit', verdict: 'verified' }],
      },
      {
        name: 'a failed allocation returns 0 where the function reports its other failures with an errno',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -10,11 +10,15 @@ int quux_setup(struct domain *d, unsigned int n)
 {
     struct quux *p;
 
     if ( n > MAX_QUUX )
         return -EINVAL;
 
+    p = xzalloc(struct quux);
+    if ( !p )
+        return 0;
+
     p->n = n;
     d->quux = p;
 
     return 0;
 }
`,
        expect: [{ line: 18, messageId: 'successOnFailure', verdict: 'verified' }],
      },
      {
        name: 'a failed allocation returns TEE_SUCCESS where the function reports its other failures with a TEE_ERROR code',
        patch: `--- a/core/drivers/quux.c
+++ b/core/drivers/quux.c
@@ -10,10 +10,16 @@ static TEE_Result quux_probe(const void *fdt, int node)
 {
 	struct quux *p = NULL;
 
 	if (node < 0)
 		return TEE_ERROR_BAD_PARAMETERS;
 
+	p = calloc(1, sizeof(*p));
+	if (!p) {
+		EMSG("Out of memory");
+		return TEE_SUCCESS;
+	}
+
 	p->node = node;
 	quux_register(p);
 	return TEE_SUCCESS;
 }
`,
        expect: [{ line: 19, messageId: 'successOnFailure', verdict: 'verified' }],
      },
      {
        name: 'a new check prints an error and leaves while rc still holds the earlier success',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -10,12 +10,18 @@ int quux_setup(struct domain *d, unsigned int n)
 {
     int rc;
 
     rc = quux_alloc(d, n);
     if ( rc )
         goto out;
 
+    if ( n > d->max_quux )
+    {
+        printk(XENLOG_ERR "d%d: too many quux (%u)\\n", d->domain_id, n);
+        goto out;
+    }
+
     d->nr_quux = n;
 
  out:
     return rc;
 }
`,
        expect: [{ line: 20, messageId: 'loggedExit', verdict: 'verified' }],
      },
      {
        name: 'a new check prints an error (EMSG) and returns res, which holds the earlier TEE_SUCCESS',
        patch: `--- a/core/drivers/quux.c
+++ b/core/drivers/quux.c
@@ -10,11 +10,16 @@ static TEE_Result quux_probe(const void *fdt, int node)
 {
 	TEE_Result res = TEE_ERROR_GENERIC;
 	size_t sz = 0;
 
 	res = quux_get_size(fdt, node, &sz);
 	if (res)
 		return res;
 
+	if (sz > QUUX_MAX) {
+		EMSG("Size %zu too big", sz);
+		return res;
+	}
+
 	quux_size = sz;
 	return TEE_SUCCESS;
 }
`,
        expect: [{ line: 20, messageId: 'loggedExit', verdict: 'verified' }],
      },
      {
        name: 'a status that holds only its initial 0: a new allocation failure leaves without the error the other failure sets',
        patch: `--- a/xen/common/pool.c
+++ b/xen/common/pool.c
@@ -10,17 +10,23 @@ int pool_setup(struct domain *d, unsigned int n)
 {
     int rc = 0;
     struct pool *p;
+    struct slot *s;
 
     p = xzalloc(struct pool);
     if ( !p )
     {
         rc = -ENOMEM;
         goto out;
     }
 
+    s = xzalloc_array(struct slot, n);
+    if ( !s )
+        goto out;
+
     p->nr = n;
+    p->slots = s;
     d->pool = p;
 
  out:
     return rc;
 }
`,
        expect: [{ line: 24, messageId: 'unset', verdict: 'verified' }],
      },
      {
        name: 'a TEE_Result initialised to TEE_SUCCESS: a new allocation failure leaves without the code the other failure sets',
        patch: `--- a/core/drivers/pool.c
+++ b/core/drivers/pool.c
@@ -10,16 +10,22 @@ static TEE_Result pool_probe(const void *fdt, int node)
 {
 	TEE_Result res = TEE_SUCCESS;
 	struct pool *p = NULL;
+	uint8_t *buf = NULL;
 
 	p = calloc(1, sizeof(*p));
 	if (!p) {
 		res = TEE_ERROR_OUT_OF_MEMORY;
 		goto out;
 	}
 
+	buf = malloc(p->size);
+	if (!buf)
+		goto out;
+
 	p->node = node;
+	p->buf = buf;
 	pool_register(p);
 
 out:
 	return res;
 }
`,
        expect: [{ line: 23, messageId: 'unset', verdict: 'verified' }],
      },
      {
        name: 'an allocation failure jumps to the common exit while rc still holds the earlier success',
        patch: `--- a/xen/arch/arm/dom.c
+++ b/xen/arch/arm/dom.c
@@ -10,17 +10,16 @@ int dom_create(struct domain *d)
 {
     int rc;
 
-    rc = -ENOMEM;
-    if ( (d->info = alloc_info()) == NULL )
-        goto fail;
-
     rc = p2m_setup(d);
     if ( rc )
         goto fail;
 
+    if ( (d->info = alloc_info()) == NULL )
+        goto fail;
+
     return 0;
 
  fail:
     p2m_teardown(d);
     return rc;
 }
`,
        expect: [{ line: 18, messageId: 'stale', verdict: 'verified' }],
      },
      {
        name: 'a lookup failure returns the status directly while it still holds the earlier success',
        patch: `--- a/xen/common/bind.c
+++ b/xen/common/bind.c
@@ -20,9 +20,13 @@ static int bind_port(struct domain *d, unsigned int port)
     int rc;
 
     rc = port_reserve(d, port);
     if ( rc )
         return rc;
 
+    chn = port_lookup(d, port);
+    if ( !chn )
+        return rc;
+
     chn->state = STATE_BOUND;
     return 0;
 }
`,
        expect: [{ line: 28, messageId: 'stale', verdict: 'verified' }],
      },
      {
        name: 'the label is not shown: another check sends the status there, and a later failure leaves its 0 in it',
        patch: `--- a/xen/common/img.c
+++ b/xen/common/img.c
@@ -58,8 +58,17 @@ static int img_bind(struct img *img, unsigned int idx)
 {
     struct slot *slot;
+    int rc;
 
     spin_lock(&img->lock);
 
+    rc = img_reserve(img, idx);
+    if ( rc )
+        goto unlock;
+
+    slot = img_slot_alloc(img);
+    if ( !slot )
+        goto unlock;
+
     img->slots[idx] = slot;
     img->count++;
 
`,
        expect: [{ line: 70, messageId: 'stale', verdict: 'verified' }],
      },
      {
        name: 'a failed allocation jumps to the exit reporting that storage is full',
        patch: `--- a/core/drivers/quux/quux_ctx.c
+++ b/core/drivers/quux/quux_ctx.c
@@ -30,3 +30,26 @@ static void quux_ctx_reset(struct quux_ctx *c)
 	c->len = 0;
 }
 
+TEE_Result quux_ctx_new(struct quux_ctx **out, size_t words)
+{
+	struct quux_ctx *c = NULL;
+	TEE_Result res = TEE_SUCCESS;
+
+	c = calloc(1, sizeof(*c));
+	if (!c)
+		return TEE_ERROR_OUT_OF_MEMORY;
+
+	c->buf = calloc(words, sizeof(uint32_t));
+	if (!c->buf) {
+		res = TEE_ERROR_STORAGE_NO_SPACE;
+		goto err;
+	}
+
+	*out = c;
+	return TEE_SUCCESS;
+
+err:
+	free(c);
+	return res;
+}
+
`,
        expect: [{ line: 45, messageId: 'notMemory', verdict: 'verified' }],
      },
      {
        name: 'a failed allocation returns the storage-full code directly',
        patch: `--- a/core/drivers/quux/quux_buf.c
+++ b/core/drivers/quux/quux_buf.c
@@ -12,3 +12,13 @@ static size_t quux_buf_words(struct quux_buf *b)
 	return b->len / sizeof(uint32_t);
 }
 
+static TEE_Result quux_buf_grow(struct quux_buf *b, size_t n)
+{
+	b->data = malloc(n);
+	if (!b->data) {
+		EMSG("no room for %zu bytes", n);
+		return TEE_ERROR_STORAGE_NO_SPACE;
+	}
+	b->len = n;
+	return TEE_SUCCESS;
+}
`,
        expect: [{ line: 20, messageId: 'notMemory', verdict: 'verified' }],
      },
      {
        name: 'a failed allocation reports that the device is full',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -40,3 +40,13 @@ static void quux_slot_put(struct quux *q)
     q->used--;
 }
 
+int quux_table_init(struct quux *q, unsigned int nr)
+{
+    q->slots = xzalloc_array(struct quux_slot, nr);
+    if ( !q->slots )
+        return -ENOSPC;
+
+    q->nr = nr;
+    return 0;
+}
+
`,
        expect: [{ line: 47, messageId: 'notMemory', verdict: 'verified' }],
      },
      {
        name: 'a new size check jumps to the error-only label (it follows the success return) while res still holds the read\'s success',
        patch: `--- a/core/kernel/quux.c
+++ b/core/kernel/quux.c
@@ -10,6 +10,28 @@ static TEE_Result quux_check(struct quux *q)
 	return TEE_SUCCESS;
 }
 
+static TEE_Result quux_open(const TEE_UUID *uuid, struct quux_handle **h)
+{
+	TEE_Result res = TEE_ERROR_GENERIC;
+	struct quux *q = NULL;
+	size_t l = 0;
+
+	res = quux_db_open(uuid, &q);
+	if (res)
+		return res;
+	res = quux_db_read(q, NULL, &l);
+	if (res)
+		goto err;
+	if (l != q->hdr_size)
+		goto err;
+
+	*h = (struct quux_handle *)q;
+	return TEE_SUCCESS;
+err:
+	quux_db_close(q);
+	return res;
+}
+
 static void quux_done(void)
 {
 }
`,
        expect: [{ line: 26, messageId: 'errorLabel', verdict: 'verified' }],
      },
      {
        name: 'a status that holds only its initial 0: a new allocation failure jumps to the error-only label (it follows `return 0;`), which frees and returns rc',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -10,16 +10,22 @@ int quux_setup(struct domain *d, unsigned int n)
 {
     int rc = 0;
     struct quux *q;
+    struct quux_slot *s;
 
     q = xzalloc(struct quux);
     if ( !q )
         return -ENOMEM;
 
+    s = xzalloc_array(struct quux_slot, n);
+    if ( !s )
+        goto fail;
+
     q->nr = n;
+    q->slots = s;
     d->quux = q;
     return 0;
 
  fail:
     xfree(q);
     return rc;
 }
`,
        expect: [{ line: 21, messageId: 'errorLabelInitial', verdict: 'verified' }],
      },
    ],
    clean: [
      {
        name: 'near miss: a loop stops when a count it reads says nothing is left (`== 0` then break); the patch tests that count elsewhere, but a predicate is no failure',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -10,16 +10,20 @@ int quux_drain(struct domain *d, unsigned int n)
 {
     unsigned int i;
     int rc = 0;
 
+    if ( quux_count(d) > QUUX_MAX )
+        return -E2BIG;
     for ( i = 0; i < n; i++ )
     {
+        if ( quux_count(d) == 0 )
+            break;
         if ( (i & 511) == 0 && hypercall_preempt_check() )
         {
             rc = -EAGAIN;
             break;
         }
         quux_drop_one(d);
     }
 
     return rc;
 }
`,
      },
      {
        name: 'near miss: a failed lookup jumps back to retry after repopulating; the label is no exit',
        patch: `--- a/xen/arch/x86/mm/walk.c
+++ b/xen/arch/x86/mm/walk.c
@@ -10,10 +10,16 @@ static int walk_entry(struct walker *w, unsigned long addr)
 {
     int rc;
 
     rc = walk_prepare(w);
     if ( rc )
         return rc;
+ retry:
+    if ( (w->entry = walk_lookup(w, addr)) == NULL )
+    {
+        walk_populate(w, addr);
+        goto retry;
+    }
 
     walk_finish(w);
     return rc;
 }
`,
      },
      {
        name: 'near miss: the label is the next level of the work, which sets the status again before it returns',
        patch: `--- a/xen/arch/x86/mm/walk.c
+++ b/xen/arch/x86/mm/walk.c
@@ -10,9 +10,15 @@ static int walk_entry(struct walker *w, unsigned long addr)
 {
     int rc;
 
     rc = walk_prepare(w);
     if ( rc )
         return rc;
 
+    if ( (w->entry = walk_lookup(w, addr)) == NULL )
+        goto level2;
+    rc = walk_level(w, 3);
+
+ level2:
+    rc = walk_level(w, 2);
     return rc;
 }
`,
      },
      {
        name: 'near miss: a pool of storage blocks, not the heap, is full: storage-full is the right code',
        patch: `--- a/core/drivers/quux/quux_ctx.c
+++ b/core/drivers/quux/quux_ctx.c
@@ -30,3 +30,15 @@ static void quux_ctx_reset(struct quux_ctx *c)
 	c->len = 0;
 }
 
+TEE_Result quux_blocks_grow(struct quux_ctx *c, size_t words)
+{
+	struct quux_blk *b = NULL;
+
+	b = quux_pool_take(&c->pool, words);
+	if (!b)
+		return TEE_ERROR_STORAGE_NO_SPACE;
+
+	c->blk = b;
+	return TEE_SUCCESS;
+}
+
`,
      },
      {
        name: 'near miss: the allocation failure reports memory; storage-full is kept for a size the store cannot hold',
        patch: `--- a/core/drivers/quux/quux_ctx.c
+++ b/core/drivers/quux/quux_ctx.c
@@ -30,3 +30,19 @@ static void quux_ctx_reset(struct quux_ctx *c)
 	c->len = 0;
 }
 
+TEE_Result quux_ctx_new(struct quux_ctx **out, size_t words)
+{
+	struct quux_ctx *c = NULL;
+
+	if (words > QUUX_MAX_WORDS)
+		return TEE_ERROR_STORAGE_NO_SPACE;
+
+	c = calloc(1, sizeof(*c));
+	if (!c)
+		return TEE_ERROR_OUT_OF_MEMORY;
+
+	c->len = words;
+	*out = c;
+	return TEE_SUCCESS;
+}
+
`,
      },
      {
        name: 'the status is set to an error before the goto',
        patch: `--- a/xen/arch/arm/dom.c
+++ b/xen/arch/arm/dom.c
@@ -10,17 +10,17 @@ int dom_create(struct domain *d)
 {
     int rc;
 
-    rc = -ENOMEM;
-    if ( (d->info = alloc_info()) == NULL )
-        goto fail;
-
     rc = p2m_setup(d);
     if ( rc )
         goto fail;
 
+    rc = -ENOMEM;
+    if ( (d->info = alloc_info()) == NULL )
+        goto fail;
+
     return 0;
 
  fail:
     p2m_teardown(d);
     return rc;
 }
`,
        refuted: true,
      },
      {
        name: 'the label is not shown, and the status is set to an error before the later exit',
        refuted: true,
        patch: `--- a/xen/common/img.c
+++ b/xen/common/img.c
@@ -58,8 +58,18 @@ static int img_bind(struct img *img, unsigned int idx)
 {
     struct slot *slot;
+    int rc;
 
     spin_lock(&img->lock);
 
+    rc = img_reserve(img, idx);
+    if ( rc )
+        goto unlock;
+
+    rc = -ENOMEM;
+    slot = img_slot_alloc(img);
+    if ( !slot )
+        goto unlock;
+
     img->slots[idx] = slot;
     img->count++;
 
`,
      },
      {
        name: 'near miss: a status that holds only its initial 0, and no other failure sets it before the same exit (a benign early exit)',
        patch: `--- a/xen/common/pool.c
+++ b/xen/common/pool.c
@@ -10,12 +10,18 @@ int pool_resize(struct domain *d, unsigned int n)
 {
     int rc = 0;
     struct pool *p = d->pool;
+    struct slot *s;
 
     if ( p->nr >= n )
         goto out;
 
+    s = pool_find_spare(p, n);
+    if ( !s )
+        goto out;
+
     p->nr = n;
+    p->spare = s;
 
  out:
     return rc;
 }
`,
      },
      {
        name: 'the habit is kept: the status is set to the error before the call whose failure leaves',
        refuted: true,
        patch: `--- a/xen/common/pool.c
+++ b/xen/common/pool.c
@@ -10,17 +10,24 @@ int pool_setup(struct domain *d, unsigned int n)
 {
     int rc = 0;
     struct pool *p;
+    struct slot *s;
 
     p = xzalloc(struct pool);
     if ( !p )
     {
         rc = -ENOMEM;
         goto out;
     }
 
+    rc = -ENOMEM;
+    s = xzalloc_array(struct slot, n);
+    if ( !s )
+        goto out;
+
     p->nr = n;
+    p->slots = s;
     d->pool = p;
 
  out:
     return rc;
 }
`,
      },
      {
        name: 'near miss: the new check prints only a warning before the exit (a tolerated case may report success)',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -10,12 +10,18 @@ int quux_setup(struct domain *d, unsigned int n)
 {
     int rc;
 
     rc = quux_alloc(d, n);
     if ( rc )
         goto out;
 
+    if ( n > d->max_quux )
+    {
+        printk(XENLOG_WARNING "d%d: too many quux (%u), ignored\\n", d->domain_id, n);
+        goto out;
+    }
+
     d->nr_quux = n;
 
  out:
     return rc;
 }
`,
      },
      {
        name: 'the status is set to an error before the logged check',
        refuted: true,
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -10,12 +10,19 @@ int quux_setup(struct domain *d, unsigned int n)
 {
     int rc;
 
     rc = quux_alloc(d, n);
     if ( rc )
         goto out;
 
+    rc = -EINVAL;
+    if ( n > d->max_quux )
+    {
+        printk(XENLOG_ERR "d%d: too many quux (%u)\\n", d->domain_id, n);
+        goto out;
+    }
+
     d->nr_quux = n;
 
  out:
     return rc;
 }
`,
      },
      {
        name: 'near miss: a failed allocation returns 0 from a function that reports no failure anywhere (0 is its count of nothing done)',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -10,11 +10,15 @@ unsigned int quux_fill(struct domain *d, unsigned int n)
 {
     struct quux *p;
 
     if ( n > MAX_QUUX )
         n = MAX_QUUX;
 
+    p = xzalloc(struct quux);
+    if ( !p )
+        return 0;
+
     p->n = n;
     d->quux = p;
 
     return n;
 }
`,
      },
      {
        name: 'near miss: a lookup that finds nothing ends a search loop with a break; nothing says that is a failure',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -10,15 +10,17 @@ int quux_find(struct domain *d, unsigned int n)
 {
     unsigned int i;
     int rc = 0;
 
     for ( i = 0; i < n; i++ )
     {
         struct quux *p = quux_lookup(d, i);
 
+        if ( !p )
+            break;
         rc = quux_visit(d, p);
         if ( rc )
             break;
     }
 
     return rc;
 }
`,
      },
      {
        name: 'near miss: a new size check leaves by a label the success path also falls into (an early exit that may mean nothing to do)',
        patch: `--- a/core/kernel/quux.c
+++ b/core/kernel/quux.c
@@ -10,6 +10,23 @@ static TEE_Result quux_check(struct quux *q)
 	return TEE_SUCCESS;
 }
 
+static TEE_Result quux_load(struct quux *q, void *buf)
+{
+	TEE_Result res = TEE_ERROR_GENERIC;
+	size_t l = 0;
+
+	res = quux_db_read(q, NULL, &l);
+	if (res)
+		goto out;
+	if (l != q->hdr_size)
+		goto out;
+
+	res = quux_db_read(q, buf, &l);
+out:
+	quux_db_rewind(q);
+	return res;
+}
+
 static void quux_done(void)
 {
 }
`,
      },
      {
        name: 'near miss: the jump to the error-only label sits where the status already holds the failure',
        refuted: true,
        patch: `--- a/core/kernel/quux.c
+++ b/core/kernel/quux.c
@@ -10,6 +10,29 @@ static TEE_Result quux_check(struct quux *q)
 	return TEE_SUCCESS;
 }
 
+static TEE_Result quux_open(const TEE_UUID *uuid, struct quux_handle **h)
+{
+	TEE_Result res = TEE_ERROR_GENERIC;
+	struct quux *q = NULL;
+	size_t l = 0;
+
+	res = quux_db_open(uuid, &q);
+	if (res)
+		return res;
+	res = quux_db_read(q, NULL, &l);
+	if (res) {
+		if (l > q->hdr_size)
+			goto err;
+		return res;
+	}
+
+	*h = (struct quux_handle *)q;
+	return TEE_SUCCESS;
+err:
+	quux_db_close(q);
+	return res;
+}
+
 static void quux_done(void)
 {
 }
`,
      },
      {
        name: 'near miss: the error-only label sets the status itself before it returns it',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -10,16 +10,23 @@ int quux_setup(struct domain *d, unsigned int n)
 {
     int rc = 0;
     struct quux *q;
+    struct quux_slot *s;
 
     q = xzalloc(struct quux);
     if ( !q )
         return -ENOMEM;
 
+    s = xzalloc_array(struct quux_slot, n);
+    if ( !s )
+        goto fail;
+
     q->nr = n;
+    q->slots = s;
     d->quux = q;
     return 0;
 
  fail:
+    rc = -ENOMEM;
     xfree(q);
     return rc;
 }
`,
      },
    ],
  },
});
