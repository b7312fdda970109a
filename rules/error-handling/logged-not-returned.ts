import { defineRule, type Report } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { assignedCall, bodyStatements, conditionOf, declaredNames, descendants, fold, isMarker, isMarkerStatement, mentions, onlyLogs, squash, statementsOf } from '../../src/review/ast.ts';
import { argumentsOf, calleeName, fallibilityKey, peel, testsValue } from '../../src/review/calls.ts';
import { reliedOn } from '../../src/review/judge.ts';
import { isAllocCall, isLogCall, modelFor } from '../../src/sim/index.ts';
import { replacedBy } from '../../src/review/patch-lines.ts';
import { SEED_THREAD } from './source.ts';
import { STATUS_VARIABLE_NAMES, isErrorConstant, isInfoLevelLog } from '../../src/review/api-data.ts';
import { messageLetsFailureGo } from '../../src/review/intent.ts';

/** The variable the function returns at its visible end (`return rv;`), if one. */
function returnedVariable(fnNode: SyntaxNode): string | null {
  const body = fnNode.childForFieldName('body');
  if (!body) return null;
  const rets = [...descendants(body, 'return_statement')];
  const last = rets[rets.length - 1];
  const value = last?.namedChild(0);
  return value?.type === 'identifier' ? value.text : null;
}

/**
 * The if stands in the function's shared exit (at or after a label of the body's top level) and the returned
 * variable already holds what the function computed before that label: a cleanup whose failure is only printed
 * there (`out: if ( unmap(..) ) EMSG("failed to unmap"); return res;`) is not the caller's to learn, and handing it
 * on would overwrite the result the function reports.
 */
function inSharedExit(ifs: SyntaxNode, returned: string | null): boolean {
  if (!returned) return false;
  let s = ifs;
  while (s.parent?.type === 'labeled_statement') s = s.parent;
  if (s.parent?.type !== 'compound_statement') return false;
  // The body's own statements (a fragment's body too), not a nested block's.
  for (let p = s.parent.parent; p; p = p.parent) if (p.type === 'compound_statement') return false;
  const list = s.parent.namedChildren.filter((n) => n.type !== 'comment');
  const at = list.findIndex((n) => n.id === s.id);
  const label = list.findIndex((n, i) => i <= at && n.type === 'labeled_statement');
  if (label < 0) return false;
  return list.slice(0, label).some((n) =>
    [...descendants(n, 'assignment_expression')].some((a) => a.childForFieldName('left')?.text === returned));
}

/**
 * Does the visible code treat `v` as a status: named like one, or given a call's result, an error constant or a
 * negative value somewhere (declaration or assignment), or handed to a call by address? null: nothing visible
 * writes it (a fragment's unseen code may).
 */
function holdsStatus(fnNode: SyntaxNode, v: string): boolean | null {
  if (STATUS_VARIABLE_NAMES.includes(v)) return true;
  const values: SyntaxNode[] = [];
  for (const decl of descendants(fnNode, 'declaration')) for (const d of declaredNames(decl)) if (d.name === v && d.init) values.push(d.init);
  for (const a of descendants(fnNode, 'assignment_expression')) {
    if (a.childForFieldName('left')?.text !== v) continue;
    const r = a.childForFieldName('right');
    if (a.childForFieldName('operator')?.text !== '=' || !r) return true;
    values.push(r);
  }
  for (const u of descendants(fnNode, 'pointer_expression')) if (u.childForFieldName('operator')?.text === '&' && peel(u.childForFieldName('argument'))?.text === v) return true;
  if (values.length === 0) return null;
  return values.some((x) => {
    const e = peel(x);
    return e?.type === 'call_expression' || e?.type === 'conditional_expression' || isErrorConstant(fold(e?.text ?? '')) || /^-/.test(fold(e?.text ?? ''));
  });
}

/** Some visible return reports a failure or passes a value on: an errno, a negative number, an error constant, a variable or a call. */
function returnsFailure(fnNode: SyntaxNode): boolean {
  return [...descendants(fnNode, 'return_statement')].some((r) => {
    const e = peel(r.namedChild(0));
    const t = fold(e?.text ?? '');
    return !!e && (e.type === 'call_expression' || /^-/.test(t) || isErrorConstant(t) || /^[a-z_]\w*$/.test(t));
  });
}

/**
 * Another test of a call's result in the function leaves with a failure (a return of something other than 0 or a
 * success constant, or a goto): the function's habit is to hand failures on, so a failure it only prints stands out.
 */
function propagatesAnother(fnNode: SyntaxNode, ifs: SyntaxNode): boolean {
  for (const other of descendants(fnNode, 'if_statement')) {
    if (other.id === ifs.id || !failingCall(other)) continue;
    const body = other.childForFieldName('consequence');
    if (!body) continue;
    if ([...descendants(body, 'goto_statement')].length > 0 || body.type === 'goto_statement') return true;
    const rets = body.type === 'return_statement' ? [body] : [...descendants(body, 'return_statement')];
    if (rets.some((r) => { const t = fold(r.namedChild(0)?.text ?? ''); return t !== '' && t !== '0' && !/SUCCESS$/.test(t); })) return true;
  }
  return false;
}

/** The calls in an expression, the expression itself included. */
const callsIn = (e: SyntaxNode): SyntaxNode[] => (e.type === 'call_expression' ? [e] : []).concat([...descendants(e, 'call_expression')]);

const behaviour = (call: SyntaxNode): string | undefined => modelFor(calleeName(call))?.behaviour.kind;
/** IS_ERR(p) and friends, PTR_ERR(p): tests and reads of an error pointer, not uses of what it points to. */
const isErrorPointerCall = (call: SyntaxNode): boolean => ['is-err', 'ptr-err'].includes(behaviour(call) ?? '');

/** A branch that only prints, maybe leaving its loop afterwards (`printk(...); break;`): the first statement. */
function logOnlyBranch(ifs: SyntaxNode): SyntaxNode | null {
  const body = ifs.childForFieldName('consequence');
  const list = bodyStatements(body);
  const last = list[list.length - 1];
  const leaves = !!last && (last.type === 'break_statement' || last.type === 'continue_statement');
  const logs = leaves ? list.slice(0, -1) : list;
  if (logs.length === 0) return null;
  if (leaves ? !logs.every((st) => onlyLogs(st)) : !onlyLogs(body)) return null;
  return list[0]!;
}

/**
 * A branch that notes the failure in a status and goes on (`if ( !p ) rc = -ENOMEM;`, maybe with prints around it):
 * the first statement and the error constant set. Nothing in it leaves.
 */
function errorSetBranch(ifs: SyntaxNode): { first: SyntaxNode; code: string; variable: string } | null {
  const list = bodyStatements(ifs.childForFieldName('consequence'));
  let set: { code: string; variable: string } | null = null;
  for (const st of list) {
    const a = st.type === 'expression_statement' ? st.namedChild(0) : null;
    if (a?.type === 'assignment_expression' && a.childForFieldName('operator')?.text === '=' && a.childForFieldName('left')?.type === 'identifier') {
      const code = fold(a.childForFieldName('right')?.text ?? '');
      if (set || !isErrorConstant(code)) return null;
      set = { code, variable: a.childForFieldName('left')!.text };
      continue;
    }
    if (!onlyLogs(st)) return null;
  }
  return set && list[0] ? { first: list[0], ...set } : null;
}

/** memset/memcpy/memmove write through their first argument (and the copies read the second). */
const MEM_WRITERS = new Set(['memset', 'memcpy', 'memmove']);
function writtenThroughByMem(node: SyntaxNode, v: string): boolean {
  for (const c of callsIn(node)) if (MEM_WRITERS.has(calleeName(c)) && argumentsOf(c).slice(0, 2).some((a) => peel(a)?.text === v)) return true;
  return false;
}

/** The print statements of a log-only branch (the statement logOnlyBranch() returned and its siblings). */
const logsOf = (first: SyntaxNode): SyntaxNode[] =>
  first.parent?.type === 'compound_statement' ? bodyStatements(first.parent).filter((st) => st.type !== 'break_statement' && st.type !== 'continue_statement') : [first];

interface Failing {
  call: SyntaxNode;
  /** The variable that holds the failed result, when the code tests a variable. */
  variable?: string;
  /** How the code tests it: an error pointer (IS_ERR), NULL, a status, or `!v` (NULL only if v is dereferenced). */
  test: 'err-ptr' | 'null' | 'status' | 'not';
}

/**
 * How `cond` tests `value` for failure, as the code writes it: `v` / `v != 0` / `v < 0` (a status), `v == NULL`
 * (NULL), `IS_ERR(v)` (an error pointer), `!v` (NULL or a zero failure: decided by the caller). Anything else
 * (`v == 0`, `v > 0`, a test joined with && or ||) is not taken as a failure test.
 */
function failureTest(cond: SyntaxNode, value: string): Failing['test'] | null {
  const e = peel(cond);
  if (!e) return null;
  const same = (n: SyntaxNode | null): boolean => !!n && squash(peel(n)?.text ?? '') === squash(value);
  if (same(e)) return 'status';
  if (e.type === 'unary_expression' && e.childForFieldName('operator')?.text === '!') return same(e.childForFieldName('argument')) ? 'not' : null;
  if (e.type === 'call_expression' && behaviour(e) === 'is-err') return same(argumentsOf(e)[0] ?? null) ? 'err-ptr' : null;
  if (e.type !== 'binary_expression') return null;
  const op = e.childForFieldName('operator')?.text;
  const l = e.childForFieldName('left');
  const r = e.childForFieldName('right');
  const other = same(l) ? peel(r)?.text : same(r) ? peel(l)?.text : undefined;
  if (other === undefined) return null;
  if (op === '==' && other === 'NULL') return 'null';
  if (same(l) && ((op === '<' && other === '0') || (op === '!=' && other === '0'))) return 'status';
  return null;
}

/** Words with which a log message says something failed. */
const FAILURE_WORDS = /\b(fail\w*|error|unable|cannot|can't|could not|couldn't|out of memory|no memory)\b/i;
/** Words with which a message says the failure is tolerated on purpose. */
const TOLERATED_WORDS = /\b(continu\w*|ignor\w*|skip\w*|anyway|fall(ing)? ?back|not fatal|non-fatal|retry\w*|will try|proceed\w*|without)\b/i;

/** The string literals the branch's log calls print. */
function printedStrings(branch: SyntaxNode): string[] {
  return logsOf(branch).flatMap((st) => [...descendants(st, 'string_literal')].map((n) => n.text));
}

/** A string the branch prints says the failure is tolerated ("continuing without it", "ignoring"). */
function toleratedInMessage(branch: SyntaxNode): boolean {
  return printedStrings(branch).some((t) => TOLERATED_WORDS.test(t));
}

/**
 * The branch's own message says the call failed (a failure word in one of its strings, none saying the failure is
 * tolerated, at warning level or above): the author's evidence that the callee can fail, as good as the knowledge.
 */
function saysFailed(ctx: FunctionContext, branch: SyntaxNode): boolean {
  const logs = logsOf(branch);
  if (logs.length === 0 || logs.every((st) => isInfoLevelLog(ctx.lineText(st)))) return false;
  return printedStrings(branch).some((t) => FAILURE_WORDS.test(t)) && !toleratedInMessage(branch);
}

/**
 * The call whose failure the `if` tests, as the code itself tests it: the call in the condition (`f()`,
 * `f() == NULL`, `(p = f()) == NULL`, `!alloc()`), or the call the statement just before assigned to what the
 * condition tests (`p = f(); if ( IS_ERR(p) )`). `!v` stays 'status' here; a dereference after it makes it NULL.
 */
function failingCall(ifs: SyntaxNode): Failing | null {
  const cond = conditionOf(ifs);
  if (!cond) return null;
  const pick = (call: SyntaxNode, tested: string, variable?: string): Failing | null => {
    const t = failureTest(cond, tested);
    if (!t) return null;
    // `!f()`: a failure only for a call that returns NULL when it fails (an allocation).
    if (t === 'not' && !variable && !isAllocCall(calleeName(call))) return null;
    const test = t === 'not' && !variable ? 'null' : t;
    return variable ? { call, variable, test } : { call, test };
  };
  for (const a of descendants(cond, 'assignment_expression')) {
    const right = peel(a.childForFieldName('right'));
    const left = a.childForFieldName('left');
    if (right?.type === 'call_expression' && left) return pick(right, a.text, left.text);
  }
  for (const c of callsIn(cond)) {
    if (isMarker(c) || isErrorPointerCall(c) || behaviour(c) === 'transparent') continue;
    const f = pick(c, c.text);
    if (f) return f;
  }
  const block = ifs.parent;
  if (!block || block.type !== 'compound_statement') return null;
  const list = statementsOf(block);
  const prev = list[list.findIndex((st) => st.id === ifs.id) - 1];
  const assigned = prev ? assignedCall(prev) : null;
  return assigned ? pick(assigned.call, assigned.variable, assigned.variable) : null;
}

/** The callee reports failure with NULL or with false: a plain truth test of its result asks whether it worked. */
function truthIsSuccess(ctx: FunctionContext, key: string): boolean {
  return ctx.fallibility.convention(key)?.convention === 'null' || ctx.fallibility.booleanSuccess(key) !== undefined;
}

/** A line with every call's arguments dropped (`if ( !f(a, g(b)) )` -> `if(!f())`): the shape of a test. */
function shapeOf(line: string): string {
  let t = squash(line);
  for (let prev = ''; prev !== t; ) {
    prev = t;
    t = t.replace(/\b(?!(?:if|while|for|switch|return|sizeof)\()(\w+)\((?:[^()]|\(\))*\)/g, '$1()');
  }
  return t;
}

/** The head row of an if (`if ( rc )`), as a shape. */
const headShape = (ifs: SyntaxNode): string => shapeOf(ifs.text.split('\n')[0] ?? '');

/** In `pre` (the function before the patch), a log-only branch under a test of the same shape for the same callee. */
function handledBefore(pre: SyntaxNode, ifs: SyntaxNode, failing: Failing): boolean {
  const head = headShape(ifs);
  for (const old of descendants(pre, 'if_statement')) {
    if (old.childForFieldName('alternative') || !logOnlyBranch(old) || headShape(old) !== head) continue;
    const f = failingCall(old);
    if (f && f.test === failing.test && calleeName(f.call) === calleeName(failing.call)) return true;
  }
  return false;
}

/** `p->x`, `*p`, `p[i]`: reads through p. */
function dereferences(node: SyntaxNode, v: string): boolean {
  for (const n of descendants(node, new Set(['field_expression', 'pointer_expression', 'subscript_expression']))) {
    if (n.type === 'field_expression' && n.childForFieldName('operator')?.text !== '->') continue;
    if (n.type === 'pointer_expression' && n.childForFieldName('operator')?.text !== '*') continue;
    const base = peel(n.type === 'field_expression' ? n.childForFieldName('argument') : n.type === 'pointer_expression' ? n.childForFieldName('argument') : n.childForFieldName('argument'));
    if (base?.text === v) return true;
  }
  return false;
}

/** `f(p)` for a call that is not a log or an error-pointer test. */
function passes(node: SyntaxNode, v: string): boolean {
  for (const c of callsIn(node)) {
    if (isLogCall(calleeName(c)) || isErrorPointerCall(c) || isMarker(c)) continue;
    if (argumentsOf(c).some((a) => peel(a)?.text === v)) return true;
  }
  return false;
}

/** `p == NULL`, `!p`, `p != NULL` as an if's condition (or part of it): a NULL test, which an error pointer passes. */
function nullTest(node: SyntaxNode, v: string): boolean {
  if (node.type !== 'if_statement') return false;
  const cond = conditionOf(node);
  return !!cond && testsValue(cond, v) && !callsIn(cond).some((c) => isErrorPointerCall(c) && mentions(c, v));
}

/**
 * The first statement after the failure branch that uses the failed value: a dereference; for an error pointer also
 * passing it to a call or testing it for NULL (which does not catch an error pointer). Null when the value is
 * assigned again first, or nothing visible uses it.
 */
function useAfter(ifs: SyntaxNode, f: Failing): { use: SyntaxNode; how: 'deref' | 'passed' | 'null-test' } | null {
  const v = f.variable;
  if (!v || f.test === 'status' || f.test === 'not') return null;
  // A branch that leaves (`EMSG(..); continue;`) does not reach the statements after the if with the failed value.
  const branch = bodyStatements(ifs.childForFieldName('consequence'));
  const last = branch[branch.length - 1];
  if (last?.type === 'continue_statement' || last?.type === 'break_statement') return null;
  const block = ifs.parent;
  if (!block || block.type !== 'compound_statement') return null;
  const list = statementsOf(block);
  for (const st of list.slice(list.findIndex((x) => x.id === ifs.id) + 1)) {
    if (!mentions(st, v)) continue;
    const cond = st.type === 'if_statement' ? conditionOf(st) : null;
    const head = cond ?? st;
    if (dereferences(head, v) || (f.test !== 'err-ptr' && writtenThroughByMem(head, v))) return { use: st, how: 'deref' };
    if (f.test === 'err-ptr' && passes(head, v)) return { use: st, how: 'passed' };
    if (f.test === 'err-ptr' && nullTest(st, v)) return { use: st, how: 'null-test' };
    return null;
  }
  return null;
}

/** The variable an argument reads through (`&uart->irqaction` -> uart, `p[i].x` -> p, `dev` -> dev), if one. */
function rootOf(e: SyntaxNode | null): string | null {
  for (let n = peel(e); n; n = peel(n.childForFieldName('argument'))) {
    if (n.type === 'identifier') return n.text;
    if (!['pointer_expression', 'field_expression', 'subscript_expression'].includes(n.type)) return null;
  }
  return null;
}

/**
 * The objects a call is given, as the variables its arguments read through, constants (`QUUX_ON`) left out, and
 * outputs too: `&v` of a plain variable is what the call fills in, and what a failure leaves there (the default)
 * is the author's to read, not work on something the call set up.
 */
function objectsOf(call: SyntaxNode, variable?: string): string[] {
  return argumentsOf(call).filter((a) => {
    const e = peel(a);
    return !(e?.type === 'pointer_expression' && e.childForFieldName('operator')?.text === '&' && peel(e.childForFieldName('argument'))?.type === 'identifier');
  }).map(rootOf).filter((r): r is string => !!r && r !== variable && !/^[A-Z][A-Z0-9_]*$/.test(r));
}

/** Calls that undo or release: work that is right to do after a failure too. */
const RELEASE = /(free|put|release|unlock|unmap|destroy|close|exit|fini|deinit|cleanup|clean_up|disable|unregister|remove|stop|reset)/i;

/**
 * In a void function, the first statement after the if (climbing out of the enclosing ifs' blocks, not out of a
 * loop) that works on an object the failed call was given (`setup_irq(uart->irq, &uart->irqaction)` then
 * `pl011_write(uart, IMSC, ..)` or `uart->regs[IMSC] = ..`): a call on its own or an assignment. Null when the status
 * is looked at again, the code leaves (return, goto, break, continue, a label other paths share), the code the
 * patch does not show comes first, or the first such statement releases or undoes (free, put, unlock, disable..).
 */
function workAfter(ifs: SyntaxNode, failing: Failing): SyntaxNode | null {
  // A warning followed by continue or break does not reach the code after the if.
  const branch = bodyStatements(ifs.childForFieldName('consequence'));
  if (branch.some((st) => st.type === 'continue_statement' || st.type === 'break_statement')) return null;
  const roots = new Set(objectsOf(failing.call, failing.variable));
  if (roots.size === 0) return null;
  for (let s: SyntaxNode = ifs; ; ) {
    for (let n = s.nextNamedSibling; n; n = n.nextNamedSibling) {
      if (n.type === 'comment') continue;
      if (failing.variable && mentions(n, failing.variable)) return null;
      if (n.type !== 'expression_statement' || isMarkerStatement(n) || [...descendants(n, 'call_expression')].some(isMarker)) return null;
      if (onlyLogs(n)) continue;
      const e = peel(n.namedChild(0));
      const call = e?.type === 'call_expression' ? e : null;
      if (call && modelFor(calleeName(call))) continue;
      if (!call && e?.type !== 'assignment_expression') return null;
      if (![...roots].some((r) => mentions(n, r))) continue;
      return call && RELEASE.test(calleeName(call)) ? null : n;
    }
    const block = s.parent;
    let up = block?.type === 'compound_statement' ? block.parent : block;
    if (up?.type === 'else_clause') up = up.parent;
    if (!up || up.type !== 'if_statement') return null;
    s = up;
  }
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'logged-not-returned',
    pack: 'error-handling',
    family: 'unchecked-error',
    severity: 'warning',
    summary: 'A failure is printed (or only noted in a status) and then forgotten: the function goes on, reports success or uses the failed value.',
    source: {
      ...SEED_THREAD,
      quote: 'rv = iommu_hwdom_init(d), otherwise error is not propagated outside. ... why no error return in this case.',
    },
    messages: {
      logged:
        '{{callee}}() can fail, but {{function}}() only prints a warning and carries on, so its caller never learns of the failure. Return the error instead (or stop here, if the failure cannot be survived).',
      notReturned:
        '{{function}}() returns {{variable}}, which never sees the failure of {{callee}}(): only a warning is printed. Assign the result (`{{variable}} = {{call}};`) so the error is propagated.',
      usedAfterError:
        'When {{callee}}() fails, {{function}}() sets {{status}} = {{code}} but does not stop: it goes on to use {{variable}} at line {{useLine}} (`{{useText}}`). Leave with the error there (`return {{code}};` or a goto to the error exit).',
      usedAfterLog:
        'When {{callee}}() fails, {{function}}() only prints a warning and goes on to use {{variable}} at line {{useLine}} (`{{useText}}`). Stop there: return the error (or handle the missing {{variable}}).',
      goesOnInVoid:
        '{{callee}}() can fail, but {{function}}() only prints an error and goes on to `{{work}}` (line {{workLine}}), work on {{object}}, which {{callee}}() was given to set up; {{function}}() returns nothing, so no caller can undo it. Return after the message (or say why the work is right without {{callee}}()).',
      nullTestMissesErrPtr:
        'When {{callee}}() fails, {{function}}() only prints a warning, and the NULL test at line {{useLine}} (`{{useText}}`) does not catch an error pointer, so it goes on with {{variable}} holding ERR_PTR(...). Stop at the IS_ERR() test: return (or panic) there.',
    },
    fixable: false,
    limitations:
      'Recognises a failure branch made of log calls (printk and friends from the simulator\'s log model), optionally followed by break/continue, after a test of a call\'s result the code writes itself. A use is only the first visible statement that reads the failed value (a dereference; for an error pointer also an argument or a NULL test). Where the path after the warning leaves into code the patch does not show, the finding is inconclusive. Also a branch that only notes the failure in a status (`if ( !p ) rc = -ENOMEM;`, prints allowed) and does not leave, but only when the next statement naming the failed pointer uses it (a dereference, or memset/memcpy/memmove writing through it): a status set for the caller while the code goes on is not reported by itself. A status test of a callee neither the knowledge nor the patch says can fail counts when the branch\'s own message (warning level or above) says it failed and the function hands another call\'s failure on (a return of an error or a goto); a message that says the failure is tolerated (continuing, ignoring, skipping, falling back) is not reported, whatever says the callee can fail, nor is a failure the commit message says the patch lets go on purpose ("allow failure in ..", "avoid hard failure on ..", "continue without .."; the reader dropped-error and error-path-regression share), unless the failed value is used after the branch. Nor is a cleanup at or after a label of the body whose failure is printed while the returned variable already holds the function\'s result, a returned variable that is no status (an id or a count: never given a call\'s result or an error), or a function returning an enum none of whose visible returns reports a failure. A warning followed by continue or break does not reach the code after the if. In a void function (no caller to tell) a status failure that is only printed counts where the message says the call failed (warning level or above, no word of tolerating it) and the code after the if (climbing out of enclosing ifs, not out of a loop) goes on to work on an object the failed call was given (`bind_irq(dev->irq, &dev->action)` then `dev_write(dev, IMR, ..)` or `dev->ready = true;`; not a constant, nor an output `&v` of a plain variable, whose default a failure leaves for the author to read): a call on its own or an assignment naming that object, before the status is read again and before anything leaves; a release (free, put, unlock, disable, unregister..) is right after a failure too and ends the search, and work on other objects is passed over. The path is the simulator\'s, but whether that work needs the call to have succeeded is not shown: inconclusive at best.',
  },
  detect(ctx) {
    const type = ctx.post.returnType ?? '';
    const statusType = type !== 'void' && !type.includes('*') && type !== 'bool' && type !== '_Bool';
    const out = [];
    for (const ifs of descendants(ctx.post.node, 'if_statement')) {
      if (!ctx.touchesAdded(ifs) || ifs.childForFieldName('alternative')) continue;
      // A branch that only sets an error in a status and goes on counts when the failed value is then used.
      const logged = logOnlyBranch(ifs);
      const noted = logged ? null : errorSetBranch(ifs);
      const branch = logged ?? noted?.first;
      if (!branch) continue;
      // A comment in the branch says why it goes on ("Use continue instead: returning an error would ..."): the author
      // chose to tolerate the failure there (Xen vPCI ReBAR: keep the other register hooks rather than fail).
      if ([...descendants(ifs.childForFieldName('consequence') ?? ifs, 'comment')].some((c) => TOLERATED_WORDS.test(c.text))) continue;
      // The warning must sit on its own line: the simulator tells the failure path by the lines it runs.
      if (ctx.lineOf(branch) === ctx.lineOf(ifs)) continue;
      let failing = failingCall(ifs);
      if (!failing) continue;
      // `if ( find(x) ) warn(..)` of a callee that fails with NULL or with false: the branch runs when the call
      // succeeded (Xen: `else if ( subpage_mmio_find_page(mfn) ) gprintk(..)` warns of a write to a page it found).
      if (failing.test === 'status' && truthIsSuccess(ctx, fallibilityKey(failing.call))) continue;
      // The same call's failure was only printed before the patch too, under a test of the same shape: the patch
      // changed what the call or the message is given, not how the failure is handled.
      if (ctx.pre && handledBefore(ctx.pre.node, ifs, failing)) continue;
      // The patch must change how the failure is handled, not only the arguments of the same test.
      const head = shapeOf(ctx.lineText(ifs));
      if (replacedBy(ctx, ctx.lineOf(ifs)).some((removed) => shapeOf(removed) === head)) continue;
      // `if ( !p )` followed by `p->x`: a pointer, so the test is a NULL test; otherwise `!v` is no failure test.
      if (failing.test === 'not') {
        const asNull: Failing = { ...failing, test: 'null' };
        if (!useAfter(ifs, asNull)) continue;
        failing = asNull;
      }
      const key = fallibilityKey(failing.call);
      // The code's own NULL / IS_ERR() test with a warning says the call can fail; a status test needs evidence.
      // Without the knowledge: the code's own message says the call failed, and the function hands other failures on.
      if (failing.test === 'status' && !ctx.fallibility.canFail(key) && !(saysFailed(ctx, branch) && (type === 'void' || propagatesAnother(ctx.post.node, ifs)))) continue;
      const use = useAfter(ifs, failing);
      // A void function has no caller to tell: a status failure it only prints counts where it goes on to work on
      // what the failed call was given, and its own message says the call failed.
      if (!use && !noted && type === 'void' && failing.test === 'status') {
        const work = saysFailed(ctx, branch) ? workAfter(ifs, failing) : null;
        if (work) out.push({ node: ifs, data: { failing, branch, use: null, work } });
        continue;
      }
      if (noted) {
        if (use?.how === 'deref') out.push({ node: ifs, data: { failing, branch, use, noted } });
        continue;
      }
      if (!use && !statusType) continue;
      // The author says the failure is let go on purpose, in the branch's own message ("Failed probing USB,
      // continue without USB") or in the commit message ("Allow failure in getting the attribute"): the caller is
      // not told on purpose. A use of the failed value after the branch is reported all the same.
      if (!use && (toleratedInMessage(branch) || messageLetsFailureGo(ctx.patch.meta, calleeName(failing.call)))) continue;
      if (!use && inSharedExit(ifs, returnedVariable(ctx.post.node))) continue;
      // What the function returns is no status (an id it looked up, a count), or an enum return type none of whose
      // visible returns reports a failure (`return ITRR_HANDLED;`): there is no error for the caller to learn.
      const returned = returnedVariable(ctx.post.node);
      if (!use && returned && returned !== failing.variable && holdsStatus(ctx.post.node, returned) === false) continue;
      if (!use && /^enum\b/.test(type) && !returnsFailure(ctx.post.node)) continue;
      // Every print at info or debug level: a best-effort step the author chose to tolerate, not a forgotten error.
      if (!use && logsOf(branch).every((st) => isInfoLevelLog(ctx.lineText(st)))) continue;
      // NULL reported as success needs more than the test: the call is known to fail, or the warning says it failed
      // (a NULL that is merely noted can be a normal answer: an optional thing that is absent).
      if (failing.test === 'null' && !use && !ctx.fallibility.canFail(key) && !FAILURE_WORDS.test(branch.text)) continue;
      out.push({ node: ifs, data: { failing, branch, use } });
    }
    return out;
  },
  check(candidate, ctx): Report {
    const { failing, branch, use, noted, work } = candidate.data as { failing: Failing; branch: SyntaxNode; use: ReturnType<typeof useAfter>; noted?: ReturnType<typeof errorSetBranch>; work?: SyntaxNode };
    const call = failing.call;
    const callee = calleeName(call);
    const evidence = reliedOn(ctx, fallibilityKey(call), call);
    const own = failing.test === 'status'
      ? (evidence.length === 0 ? [`${ctx.fn.name}() itself tests the result of ${callee}() and its message says it failed (line ${ctx.lineOf(branch)})`] : [])
      : [`${ctx.fn.name}() itself tests the result of ${callee}() for ${failing.test === 'err-ptr' ? 'an error pointer' : 'NULL'} and ${noted ? `sets ${noted.variable} = ${noted.code}` : 'prints a warning'} (line ${ctx.lineOf(candidate.node)})`];
    if (work) {
      const workText = fold(work.text).replace(/;$/, '');
      const shown = workText.length > 80 ? `${workText.slice(0, 77)}...` : workText;
      const object = objectsOf(call, failing.variable).find((r) => mentions(work, r)) ?? '';
      return {
        messageId: 'goesOnInVoid',
        data: { callee, function: ctx.fn.name, work: shown, workLine: String(ctx.lineOf(work)), object },
        question: {
          kind: 'failure-goes-on', call, branch, use: work, work: true,
          premise: `whether \`${shown}\` needs ${callee}() to have succeeded is not shown (the work is on ${object}, which ${callee}() was given)`,
        },
        reliedOn: [...own, ...evidence],
      };
    }
    if (use) {
      const useText = fold(use.use.type === 'if_statement' ? `if ( ${conditionOf(use.use)?.text ?? ''} )` : use.use.text);
      return {
        messageId: noted ? 'usedAfterError' : use.how === 'null-test' ? 'nullTestMissesErrPtr' : 'usedAfterLog',
        data: {
          callee, function: ctx.fn.name, variable: failing.variable ?? '', useLine: String(ctx.lineOf(use.use)), useText: useText.length > 80 ? `${useText.slice(0, 77)}...` : useText,
          status: noted?.variable ?? '', code: noted?.code ?? '',
        },
        question: { kind: 'failure-goes-on', call, branch, use: use.use, ...(noted ? { doing: `sets ${noted.variable} = ${noted.code}` } : {}) },
        reliedOn: [...own, ...evidence.filter((e) => own.length === 0 || !e.endsWith(`:${ctx.lineOf(call)}`))],
      };
    }
    // `return TEE_SUCCESS;` names a constant, and a returned variable that holds the failed result is lost later:
    // neither is "a variable that never sees the failure".
    const returned = returnedVariable(ctx.post.node);
    const variable = returned && returned !== failing.variable && !/^[A-Z][A-Z0-9_]*$/.test(returned) ? returned : null;
    return {
      messageId: variable ? 'notReturned' : 'logged',
      data: { callee, function: ctx.fn.name, call: fold(call.text), variable: variable ?? '' },
      question: { kind: 'failure-goes-on', call, branch },
      reliedOn: [...own, ...evidence.filter((e) => own.length === 0 || !e.endsWith(`:${ctx.lineOf(call)}`))],
    };
  },
  cases: {
    flagged: [
      {
        name: 'OP-TEE: the failure is only printed with EMSG() (a log call) and success is returned; the message says it failed, and the function returns the failure of the call before',
        patch: `--- a/core/drivers/quux_rng.c
+++ b/core/drivers/quux_rng.c
@@ -40,7 +40,15 @@ static TEE_Result quux_rng_probe(const void *fdt, int node)
 {
 	TEE_Result res = TEE_ERROR_GENERIC;
 
+	res = quux_rng_hw_init(quux_rng);
+	if (res)
+		return res;
+
 	res = quux_rng_hw_enable(quux_rng);
+	if (res)
+		EMSG("Failed to enable the RNG: %#"PRIx32, res);
+
+	quux_rng_register(quux_rng);
 	return TEE_SUCCESS;
 }
 
`,
        expect: [{ line: 48, messageId: 'logged', verdict: 'verified' }],
      },
      {
        name: 'a callee the knowledge does not know: the code\'s own error message says it failed, then the status is overwritten',
        patch: `--- a/plat/quux/quux_pm.c
+++ b/plat/quux/quux_pm.c
@@ -40,7 +40,14 @@ int quux_pwr_init(void)
 {
 	int ret;
 
 	ret = quux_pmic_setup();
+	if (ret != 0) {
+		ERROR("PMIC setup failed\n");
+	}
+	ret = quux_rail_enable(QUUX_VDD);
+	if (ret != 0) {
+		return ret;
+	}
 	return ret;
 }
 
`,
        expect: [{ line: 44, messageId: 'logged', verdict: 'verified' }],
      },
      {
        name: 'a failure that is only printed before returning rv',
        patch: `--- a/xen/common/bar.c
+++ b/xen/common/bar.c
@@ -20,7 +20,8 @@ static int bar_late_init(struct domain *d)
 
     rv = bar_setup(d);
 
-    bar_enable(d);
+    if ( bar_enable(d) )
+        printk("bar: enable failed\\n");
 
     return rv;
 }
--- a/xen/include/xen/bar.h
+++ b/xen/include/xen/bar.h
@@ -3,3 +3,3 @@
 
-void bar_enable(struct domain *d);
+int bar_enable(struct domain *d);
 
`,
        expect: [
          { line: 23, messageId: 'notReturned', verdict: 'verified' },
        ],
      },
      {
        name: 'an allocation failure in a loop is printed, the loop is left and the function returns 0',
        patch: `--- a/xen/arch/arm/build.c
+++ b/xen/arch/arm/build.c
@@ -80,6 +80,16 @@ int build_guest(struct domain *d)
     }
 #endif
 
+    for ( i = 1, cpu = 0; i < d->max_cpus; i++ )
+    {
+        cpu = cpu_next(cpu, &online_map);
+        if ( cpu_alloc(d, i, cpu) == NULL )
+        {
+            printk("Failed to allocate cpu %d on %d\\n", i, cpu);
+            break;
+        }
+    }
+
     irq_enable();
 
     return 0;
`,
        expect: [{ line: 86, messageId: 'logged', verdict: 'verified' }],
      },
      {
        name: 'an error pointer is printed, and the NULL test after it lets it through',
        patch: `--- a/xen/arch/arm/boot.c
+++ b/xen/arch/arm/boot.c
@@ -200,7 +200,7 @@ void __init boot_main(unsigned long offset)
 
     /* Create the first guest. */
     g0 = guest_create(0, 0);
-    if ( g0 == NULL )
+    if ( IS_ERR(g0) )
             printk("guest_create failed\\n");
     if ( (g0 == NULL) || (guest_alloc_cpu0() == NULL) )
             panic("Error creating guest 0\\n");
`,
        expect: [{ line: 203, messageId: 'nullTestMissesErrPtr', verdict: 'verified' }],
      },
      {
        name: 'a failed lookup is printed and the pointer dereferenced right after',
        patch: `--- a/xen/common/chan.c
+++ b/xen/common/chan.c
@@ -40,7 +40,9 @@ static int chan_open(struct domain *d, unsigned int port)
     struct chan *c;
 
     c = chan_lookup(d, port);
+    if ( !c )
+        printk(XENLOG_WARNING "no channel %u\\n", port);
     c->users++;
 
     return 0;
 }
`,
        expect: [{ line: 43, messageId: 'usedAfterLog', verdict: 'verified' }],
      },
      {
        name: 'after the warning the function goes on into code the patch does not show: inconclusive',
        patch: `--- a/xen/arch/arm/build.c
+++ b/xen/arch/arm/build.c
@@ -80,6 +80,13 @@ int build_guest(struct domain *d)
     }
 #endif
 
+    if ( cpu_alloc(d, 0, 0) == NULL )
+    {
+        printk("Failed to allocate cpu 0\\n");
+    }
+
+    irq_enable();
+
     d->ready = true;
 
     kick_guest(d);
`,
        expect: [{ line: 83, messageId: 'logged', verdict: 'inconclusive' }],
      },
      {
        name: 'a failed allocation only sets rc = -ENOMEM and the code goes on to clear and fill the NULL buffer',
        patch: `--- a/xen/drivers/quux/quux.c
+++ b/xen/drivers/quux/quux.c
@@ -170,11 +170,16 @@ int quux_add_cpu(unsigned int cpu)
             return -EINVAL;
     }
 
-    policy = xmalloc(struct quux_policy);
+    if ( !exists )
+    {
+        policy = xmalloc(struct quux_policy);
+        if ( !policy )
+            ret = -ENOMEM;
 
-    memset(policy, 0, sizeof(struct quux_policy));
-    policy->cpu = cpu;
-    quux_cpu_policy[cpu] = policy;
+        memset(policy, 0, sizeof(struct quux_policy));
+        policy->cpu = cpu;
+        quux_cpu_policy[cpu] = policy;
+    }
 
     ret = quux_driver->init(policy);
     if ( ret )
`,
        expect: [{ line: 176, messageId: 'usedAfterError', verdict: 'verified' }],
      },
      {
        name: 'a void function only prints that registering the interrupt failed and goes on to unmask it on the same device (nested in the test of the IRQ number)',
        patch: `--- a/xen/drivers/char/quux-uart.c
+++ b/xen/drivers/char/quux-uart.c
@@ -60,9 +60,17 @@ static void __init quux_uart_init_postirq(struct serial_port *port)
     struct quux_uart *uart = port->uart;
     int rc;
 
+    if ( uart->irq > 0 )
+    {
+        uart->irqaction.handler = quux_uart_interrupt;
+        uart->irqaction.dev_id  = port;
+        if ( (rc = bind_quux_irq(uart->irq, 0, &uart->irqaction)) != 0 )
+            printk("ERROR: Failed to allocate quux-uart IRQ %d\\n", uart->irq);
+    }
+
     /* Clear pending interrupts */
     quux_uart_write(uart, QUUX_ICR, ~0);
 
     /* Unmask the receive interrupt */
     quux_uart_write(uart, QUUX_IMR, QUUX_RX);
 }
`,
        expect: [{ line: 67, messageId: 'goesOnInVoid', verdict: 'inconclusive' }],
      },
      {
        name: 'a void power hook prints that the cluster did not power on and marks the context powered anyway (a constant argument is no object)',
        patch: `--- a/plat/quux/quux_pm.c
+++ b/plat/quux/quux_pm.c
@@ -40,5 +40,11 @@ void quux_pwr_domain_on_finish(const psci_power_state_t *target_state)
 {
 	int ret;
 
+	ret = quux_scmi_set_state(quux_ctx, QUUX_ON);
+	if (ret != 0) {
+		ERROR("Failed to power on the cluster: %d\\n", ret);
+	}
+	quux_ctx->powered = true;
+
 	gicv3_cpuif_enable(plat_my_core_pos());
 }
`,
        expect: [{ line: 44, messageId: 'goesOnInVoid', verdict: 'inconclusive' }],
      },
    ],
    clean: [
      {
        name: 'near miss: in a void function the failure of a channel is printed and the loop goes on to the next channel (continue): the work after the if is for a channel that worked',
        patch: `--- a/core/drivers/quux_mbox.c
+++ b/core/drivers/quux_mbox.c
@@ -50,6 +50,12 @@ static void quux_mbox_probe_channels(struct quux_mbox *mbox)
 	size_t n = 0;
 
 	for (n = 0; n < mbox->count; n++) {
+		res = quux_chan_read_attrs(&mbox->chan[n]);
+		if (res) {
+			EMSG("Failed to read attributes of channel %zu", n);
+			continue;
+		}
+		mbox->chan[n].ready = true;
 		mbox->valid++;
 	}
 }
`,
      },
      {
        name: 'near miss: in a void function the failure is printed and what follows releases the device (a cleanup is right after a failure too)',
        patch: `--- a/xen/drivers/quux/quux.c
+++ b/xen/drivers/quux/quux.c
@@ -80,4 +80,7 @@ static void quux_detach(struct quux_dev *qd)
 {
     spin_lock(&quux_lock);
+    if ( quux_hw_quiesce(qd->hw) != 0 )
+        printk(XENLOG_ERR "quux: failed to quiesce %s\\n", qd->name);
+    quux_put_hw(qd);
     spin_unlock(&quux_lock);
 }
`,
      },
      {
        name: 'near miss: in a void function the failure is printed and the status is read again after it (the work depends on it)',
        patch: `--- a/xen/drivers/char/quux-uart.c
+++ b/xen/drivers/char/quux-uart.c
@@ -60,5 +60,8 @@ static void __init quux_uart_init_postirq(struct serial_port *port)
     struct quux_uart *uart = port->uart;
     int rc;
 
+    if ( (rc = bind_quux_irq(uart->irq, 0, &uart->irqaction)) != 0 )
+        printk("ERROR: Failed to allocate quux-uart IRQ %d\\n", uart->irq);
+    uart->polling = (rc != 0);
     quux_uart_write(uart, QUUX_IMR, QUUX_RX);
 }
`,
      },
      {
        name: 'near miss: in a void function the failure is printed and the function goes on with work on nothing the failed call was given',
        patch: `--- a/xen/drivers/char/quux-uart.c
+++ b/xen/drivers/char/quux-uart.c
@@ -60,5 +60,7 @@ static void __init quux_uart_init_postirq(struct serial_port *port)
     struct quux_uart *uart = port->uart;
     int rc;
 
+    if ( (rc = bind_quux_irq(uart->irq, 0, &uart->irqaction)) != 0 )
+        printk("ERROR: Failed to allocate quux-uart IRQ %d\\n", uart->irq);
     quux_console_ready();
 }
`,
      },
      {
        name: 'near miss: in a void function the failure is printed and the code goes on to read the output the call fills in (`&base`): what a failure leaves there is its default, the author\'s to read',
        patch: `--- a/core/arch/arm/plat-quux/main.c
+++ b/core/arch/arm/plat-quux/main.c
@@ -120,6 +120,10 @@ void main_init_quux(void)
 	vaddr_t regs = 0;
+	paddr_t base = 0;
 
-	regs = (vaddr_t)phys_to_virt(QUUX_BASE, MEM_AREA_IO_SEC);
+	if (quux_base_from_dt(&base))
+		EMSG("Failed to get the QUUX base address from DT");
+
+	regs = (vaddr_t)phys_to_virt(base, MEM_AREA_IO_SEC);
 	if (!regs)
 		panic();
 }
`,
      },
      {
        name: 'near miss: the warning is followed by continue, so the failed pointer never reaches the dereference after the if',
        patch: `--- a/core/arch/quux/boot.c
+++ b/core/arch/quux/boot.c
@@ -30,8 +30,12 @@ static void quux_init_ids(const void *fdt, int offset)
 	int i = 0;
 	int n = 0;
 
 	for (n = 0; n < QUUX_NB_CORE; n++) {
 		reg = fdt_getprop(fdt, offset + n, "reg", NULL);
+		if (!reg) {
+			EMSG("CPU node does not have 'reg' property");
+			continue;
+		}
 		ids[i++] = fdt32_to_cpu(*reg);
 	}
 }
`,
      },
      {
        name: 'near miss: the function returns an id it looked up, not a status: the unmap failure has no caller to tell',
        patch: `--- a/core/drivers/quux/quux_main.c
+++ b/core/drivers/quux/quux_main.c
@@ -100,6 +100,28 @@ static TEE_Result quux_send(uint32_t id)
 	return TEE_SUCCESS;
 }
 
+static uint32_t quux_get_channel(void)
+{
+	uint32_t channel = QUUX_MAX_CHANNELS;
+	void *info = NULL;
+	uint32_t id = 0;
+	int ret = 0;
+
+	info = core_mmu_add_mapping(MEM_AREA_IO_SEC, QUUX_BASE, QUUX_SIZE);
+	if (!info)
+		return channel;
+
+	for (id = 0; id < QUUX_MAX_CHANNELS; id++)
+		if (io_read32((vaddr_t)info + id * 4) == QUUX_OWNER)
+			channel = id;
+
+	ret = core_mmu_remove_mapping(MEM_AREA_IO_SEC, info, QUUX_SIZE);
+	if (ret)
+		EMSG("Failed to unmap the config area");
+
+	return channel;
+}
+
 static void quux_done(void)
 {
 }
`,
      },
      {
        name: 'near miss: an interrupt handler returning an enum that has no failure value (every return is ITRR_HANDLED)',
        patch: `--- a/core/drivers/quux_tamp.c
+++ b/core/drivers/quux_tamp.c
@@ -40,8 +40,11 @@ static enum itr_return quux_tamp_it_handler(struct itr_handler *h __unused)
 	struct quux_time ts = { };
 	vaddr_t base = get_base();
 
-	quux_handle_events(base);
+	if (quux_get_timestamp(&ts))
+		EMSG("Failed to get the timestamp");
+	FMSG("Tamper event at %"PRIu32, ts.sec);
+	quux_handle_events(base);
 
 	return ITRR_HANDLED;
 }
 
`,
      },
      {
        name: 'near miss: a truth test of a lookup that fails with NULL: the warning is printed when the call succeeded',
        patch: `--- a/drivers/misc/quux_core.c
+++ b/drivers/misc/quux_core.c
@@ -40,6 +40,9 @@ static int quux_probe(struct platform_device *pdev)
 	if (!res)
 		return -ENODEV;
 
+	if (platform_get_resource(pdev, IORESOURCE_MEM, 1))
+		dev_warn(&pdev->dev, "unsupported second register region, not mapped\n");
+
 	priv->base = devm_ioremap_resource(&pdev->dev, res);
 	if (IS_ERR(priv->base))
 		return PTR_ERR(priv->base);
`,
      },
      {
        name: 'near miss: a test of strcmp() (a value, not a status) with a note: the branch compares, nothing failed',
        patch: `--- a/xen/drivers/char/quux-uart.c
+++ b/xen/drivers/char/quux-uart.c
@@ -120,6 +120,35 @@ static struct uart_driver __read_mostly quux_uart_driver = {
     .putc = quux_uart_putc,
 };
 
+static int __init quux_uart_init(struct dt_device_node *dev, const void *data)
+{
+    const char *config = data;
+    struct quux_uart *uart = &quux_com;
+    uint32_t baud;
+    int res;
+
+    if ( strcmp(config, "") )
+    {
+        baud = simple_strtoul(config, &config, 10);
+        if ( strcmp(config, "") )
+            printk("quux-uart: only the baud rate is configurable, dropping: %s\\n",
+                   config);
+    }
+    else
+    {
+        baud = QUUX_DEFAULT_BAUD;
+        printk("quux-uart: no baud rate given, using %u\\n", baud);
+    }
+
+    res = dt_device_get_paddr(dev, 0, &uart->addr, &uart->size);
+    if ( res )
+        return res;
+
+    uart->baud = baud;
+
+    return 0;
+}
+
 static void __init quux_uart_register(void)
 {
     dt_device_set_used_by(quux_dev, DOMID_XEN);
`,
      },
      {
        name: 'near miss: a comment in the failure branch says why it goes on (continue keeps the other hooks; an error would be worse)',
        patch: `--- /dev/null
+++ b/xen/drivers/vpci/quux.c
@@ -0,0 +1,40 @@
+#include <xen/sched.h>
+#include <xen/vpci.h>
+
+static int cf_check init_quux(struct pci_dev *pdev)
+{
+    unsigned int offset = pci_find_ext_capability(pdev->sbdf, PCI_EXT_CAP_ID_QUUX);
+    unsigned int n;
+
+    if ( !offset )
+        return 0;
+
+    if ( !is_hardware_domain(pdev->domain) )
+        return -EOPNOTSUPP;
+
+    n = quux_count(pdev, offset);
+    for ( unsigned int i = 0; i < n; i++ )
+    {
+        struct vpci_bar *bar = &pdev->vpci->header.bars[i];
+        int rc;
+
+        rc = vpci_add_register(pdev->vpci, vpci_hw_read32, quux_ctrl_write,
+                               offset + QUUX_CTRL(i), 4, bar);
+        if ( rc )
+        {
+            printk(XENLOG_ERR "%pp: BAR%u: cannot add the QUUX_CTRL handler: %d\\n",
+                   &pdev->sbdf, i, rc);
+            /*
+             * Ideally we would hide the capability on error, but that code
+             * still needs to be written.  Use continue instead to keep the
+             * register hooks already set up: returning an error would give
+             * the hardware domain unmediated access to the device.
+             */
+            continue;
+        }
+
+        bar->quux_sizes = quux_sizes(pdev, offset, i);
+    }
+
+    return 0;
+}
`,
      },
      {
        name: 'near miss: a cleanup in the shared exit whose failure is only printed; the returned status already holds the result',
        patch: `--- a/core/pta/quux_auth.c
+++ b/core/pta/quux_auth.c
@@ -60,6 +60,15 @@ static TEE_Result quux_verify(struct quux_fw *fw)
 	if (!va)
 		return TEE_ERROR_GENERIC;
 
-	return quux_check(va, fw->size);
+	res = quux_check(va, fw->size);
+	if (res)
+		goto out;
+
+	res = quux_check_hash(va, fw->size);
+out:
+	if (quux_unmap(va, fw->size))
+		EMSG("failed to unmap the image");
+
+	return res;
 }
 
`,
      },
      {
        name: 'near miss: a callee the knowledge does not know, whose failure the message reports, in a function that hands no failure on (a best-effort sequence)',
        patch: `--- a/plat/quux/quux_pm.c
+++ b/plat/quux/quux_pm.c
@@ -40,7 +40,11 @@ int quux_pwr_init(void)
 {
 	int ret;
 
 	ret = quux_pmic_setup();
+	if (ret != 0) {
+		ERROR("PMIC setup failed\n");
+	}
+	quux_rail_enable(QUUX_VDD);
 	return 0;
 }
 
`,
      },
      {
        name: 'near miss: the message says the failure is tolerated (continuing without it)',
        patch: `--- a/plat/quux/quux_pm.c
+++ b/plat/quux/quux_pm.c
@@ -40,7 +40,13 @@ int quux_pwr_init(void)
 {
 	int ret;
 
 	ret = quux_pmic_setup();
+	if (ret != 0) {
+		ERROR("PMIC setup failed, continuing without it\n");
+	}
+	ret = quux_rail_enable(QUUX_VDD);
+	if (ret != 0)
+		return ret;
 	return 0;
 }
 
`,
      },
      {
        name: 'near miss: the failure of a call the knowledge knows can fail (clk_enable) is printed with a message saying the code goes on without it',
        patch: `--- a/core/drivers/quux_rng.c
+++ b/core/drivers/quux_rng.c
@@ -40,7 +40,15 @@ static TEE_Result quux_rng_probe(const void *fdt, int node)
 {
 	TEE_Result res = TEE_ERROR_GENERIC;
 
+	res = quux_rng_hw_init(quux_rng);
+	if (res)
+		return res;
+
 	res = clk_enable(quux_rng->clk);
+	if (res)
+		EMSG("No RNG clock, continuing without it: %#"PRIx32, res);
+
+	quux_rng_register(quux_rng);
 	return TEE_SUCCESS;
 }
 
`,
      },
      {
        name: 'near miss: the commit message says the patch allows the failure (the caller is not told on purpose)',
        patch: `From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001
From: A Developer <dev@example.org>
Date: Mon, 1 Jun 2026 10:00:00 +0200
Subject: [PATCH] rng: quux: allow failure in enabling the RNG

Boards without the RNG clock still boot.
---
 core/drivers/quux_rng.c | 8 ++++++++
 1 file changed, 8 insertions(+)

diff --git a/core/drivers/quux_rng.c b/core/drivers/quux_rng.c
--- a/core/drivers/quux_rng.c
+++ b/core/drivers/quux_rng.c
@@ -40,7 +40,15 @@ static TEE_Result quux_rng_probe(const void *fdt, int node)
 {
 	TEE_Result res = TEE_ERROR_GENERIC;
 
+	res = quux_rng_hw_init(quux_rng);
+	if (res)
+		return res;
+
 	res = quux_rng_hw_enable(quux_rng);
+	if (res)
+		EMSG("Failed to enable the RNG: %#"PRIx32, res);
+
+	quux_rng_register(quux_rng);
 	return TEE_SUCCESS;
 }
 
`,
      },
      {
        name: 'near miss: an info-level print (Trusted Firmware-A INFO) of a failure the author tolerates',
        patch: `--- a/plat/quux/quux_pm.c
+++ b/plat/quux/quux_pm.c
@@ -40,7 +40,13 @@ int quux_pwr_init(void)
 {
 	int ret;
 
 	ret = quux_pmic_setup();
+	if (ret != 0) {
+		INFO("PMIC setup failed\n");
+	}
+	ret = quux_rail_enable(QUUX_VDD);
+	if (ret != 0)
+		return ret;
 	return 0;
 }
 
`,
      },
      {
        name: 'near miss: the failure was only printed before the patch too; the patch changes the arguments only',
        patch: `--- a/xen/common/bar.c
+++ b/xen/common/bar.c
@@ -20,10 +20,10 @@ static int bar_late_init(struct domain *d)
 
     rv = bar_setup(d);
 
-    rc = bar_enable(d->bar_seg, d->bar_id);
+    rc = bar_enable(d->bar);
     if ( rc )
         printk(XENLOG_ERR "bar %u:%u: enable failed (%d)\n",
-               d->bar_seg, d->bar_id, rc);
+               d->bar.seg, d->bar.id, rc);
 
     return rv;
 }
--- a/xen/include/xen/bar.h
+++ b/xen/include/xen/bar.h
@@ -3,3 +3,3 @@
 
-int __must_check bar_enable(uint16_t seg, uint16_t id);
+int __must_check bar_enable(struct bar_id bar);
 
`,
      },
      {
        name: 'the failure is printed and still returned through rv',
        refuted: true,
        patch: `--- a/xen/common/bar.c
+++ b/xen/common/bar.c
@@ -20,7 +20,9 @@ static int bar_late_init(struct domain *d)
 
     rv = bar_setup(d);
 
-    bar_enable(d);
+    rv = bar_enable(d);
+    if ( rv )
+        printk("bar: enable failed\\n");
 
     return rv;
 }
--- a/xen/include/xen/bar.h
+++ b/xen/include/xen/bar.h
@@ -3,3 +3,3 @@
 
-void bar_enable(struct domain *d);
+int bar_enable(struct domain *d);
 
`,
      },
      {
        name: 'near miss: the failure of a best-effort step is reported at info level',
        patch: `--- a/xen/common/bar.c
+++ b/xen/common/bar.c
@@ -20,7 +20,8 @@ static int bar_late_init(struct domain *d)
 
     rv = bar_setup(d);
 
-    bar_enable(d);
+    if ( bar_enable(d) )
+        printk(XENLOG_INFO "bar: could not enable the fast path\\n");
 
     return rv;
 }
--- a/xen/include/xen/bar.h
+++ b/xen/include/xen/bar.h
@@ -3,3 +3,3 @@
 
-void bar_enable(struct domain *d);
+int bar_enable(struct domain *d);
 
`,
      },
      {
        name: 'the failure is printed and returned',
        patch: `--- a/xen/common/bar.c
+++ b/xen/common/bar.c
@@ -20,7 +20,12 @@ static int bar_late_init(struct domain *d)
 
     rv = bar_setup(d);
 
-    bar_enable(d);
+    rv = bar_enable(d);
+    if ( rv )
+    {
+        printk("bar: enable failed\\n");
+        return rv;
+    }
 
     return rv;
 }
--- a/xen/include/xen/bar.h
+++ b/xen/include/xen/bar.h
@@ -3,3 +3,3 @@
 
-void bar_enable(struct domain *d);
+int bar_enable(struct domain *d);
 
`,
      },
      {
        name: 'the loop is left after the warning, and the function then returns an error when it stopped early',
        refuted: true,
        patch: `--- a/xen/arch/arm/build.c
+++ b/xen/arch/arm/build.c
@@ -80,6 +80,18 @@ int build_guest(struct domain *d)
     }
 #endif
 
+    for ( i = 1, cpu = 0; i < d->max_cpus; i++ )
+    {
+        cpu = cpu_next(cpu, &online_map);
+        if ( cpu_alloc(d, i, cpu) == NULL )
+        {
+            printk("Failed to allocate cpu %d on %d\\n", i, cpu);
+            break;
+        }
+    }
+    if ( i < d->max_cpus )
+        return -ENOMEM;
+
     irq_enable();
 
     return 0;
`,
      },
      {
        name: 'the loop is left with the failure in its status variable; a later hunk of the loop leaves with another failure',
        refuted: true,
        patch: `--- a/xen/arch/x86/fw_load.c
+++ b/xen/arch/x86/fw_load.c
@@ -60,7 +60,12 @@ static int fw_load_tables(struct fw *fw, const void *buf, size_t size)
     while ( offset < size )
     {
         error = fw_install_table(fw, buf, &offset);
+        if ( error )
+        {
+            printk(XENLOG_ERR "fw: installing the table failed\\n");
+            break;
+        }
 
-        if ( !error && fw_find_entry(fw, &entry) )
+        if ( fw_find_entry(fw, &entry) )
             break;
 
@@ -74,6 +79,6 @@ static int fw_load_tables(struct fw *fw, const void *buf, size_t size)
         {
             printk(XENLOG_ERR "fw: buffer overrun\\n");
             error = -EINVAL;
-            goto out;
+            break;
         }
     }
--- a/xen/include/xen/fw.h
+++ b/xen/include/xen/fw.h
@@ -3,3 +3,3 @@
 
-void fw_install_table(struct fw *fw, const void *buf, size_t *offset);
+int fw_install_table(struct fw *fw, const void *buf, size_t *offset);
 
`,
      },
      {
        name: 'the error pointer is printed and then returned',
        refuted: true,
        patch: `--- a/xen/common/chan.c
+++ b/xen/common/chan.c
@@ -40,7 +40,11 @@ static int chan_open(struct domain *d, unsigned int port)
     struct chan *c;
 
     c = chan_get(d, port);
+    if ( IS_ERR(c) )
+        printk(XENLOG_WARNING "no channel %u\\n", port);
+    if ( IS_ERR(c) )
+        return PTR_ERR(c);
     c->users++;
 
     return 0;
 }
`,
      },
      {
        name: 'a void function that prints the failure and has nothing more to do',
        patch: `--- a/xen/common/chan.c
+++ b/xen/common/chan.c
@@ -40,6 +40,8 @@ static void chan_note(struct domain *d, unsigned int port)
     struct chan *c;
 
     c = chan_get(d, port);
+    if ( IS_ERR(c) )
+        printk(XENLOG_WARNING "no channel %u\\n", port);
 }
 
 static int chan_close(struct domain *d, unsigned int port)
`,
      },
      {
        name: 'near miss: the branch sets rc = -ENOMEM and the code goes on, but only to code that does not touch the NULL buffer',
        patch: `--- a/xen/drivers/quux/quux.c
+++ b/xen/drivers/quux/quux.c
@@ -170,6 +170,10 @@ int quux_add_cpu(unsigned int cpu)
             return -EINVAL;
     }
 
+    policy = xmalloc(struct quux_policy);
+    if ( !policy )
+        ret = -ENOMEM;
+
     quux_cpu_policy[cpu] = policy;
     return ret;
 }
`,
      },
      {
        name: 'near miss: the branch sets rc = -ENOMEM and leaves before the buffer is used',
        patch: `--- a/xen/drivers/quux/quux.c
+++ b/xen/drivers/quux/quux.c
@@ -170,6 +170,13 @@ int quux_add_cpu(unsigned int cpu)
             return -EINVAL;
     }
 
+    policy = xmalloc(struct quux_policy);
+    if ( !policy )
+    {
+        ret = -ENOMEM;
+        goto out;
+    }
+    memset(policy, 0, sizeof(*policy));
     quux_cpu_policy[cpu] = policy;
     return ret;
 }
`,
      },
    ],
  },
});
