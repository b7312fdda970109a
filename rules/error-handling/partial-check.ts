import { defineRule, type Report } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { assignedCall, bodyStatements, conditionOf, declaredNames, descendants, fold, isMarker, isMarkerStatement, statementsOf } from '../../src/review/ast.ts';
import { controlHead, styleFor } from '../../src/review/fix-check.ts';
import { argumentsOf, calleeName, fallibilityKey, peel, testsValue } from '../../src/review/calls.ts';
import { reliedOn } from '../../src/review/judge.ts';
import { isErrorConstant } from '../../src/review/api-data.ts';
import { STATUS_TYPES } from '../../src/knowledge/status-types.ts';
import { SEED_THREAD } from './source.ts';

/** `-EBUSY` -> "-EBUSY", `TEE_ERROR_BUSY` -> "TEE_ERROR_BUSY" (a named failure code); anything else null. */
function failureCode(n: SyntaxNode | null): string | null {
  const t = fold(n?.text ?? '').replace(/\s+/g, '');
  const errno = /^-(E[A-Z0-9_]+)$/.exec(t)?.[1];
  if (errno) return `-${errno}`;
  return /^[A-Z]/.test(t) && isErrorConstant(t) ? t : null;
}

interface Shape {
  /** The compared value: the call itself, `(rc = f())`, or a variable. */
  subject: SyntaxNode;
  code: string;
}

/** `X == -ECODE` (either order) as the whole condition. */
function comparedWithCode(cond: SyntaxNode | null): Shape | null {
  const e = peel(cond);
  if (!e || e.type !== 'binary_expression' || e.childForFieldName('operator')?.text !== '==') return null;
  const l = peel(e.childForFieldName('left'));
  const r = peel(e.childForFieldName('right'));
  const rc = failureCode(r);
  if (l && rc) return { subject: l, code: rc };
  const lc = failureCode(l);
  if (r && lc) return { subject: r, code: lc };
  return null;
}

const isStatement = (n: SyntaxNode): boolean => n.type === 'declaration' || n.type.endsWith('_statement');

/** The statement before `stmt` on the way back to the function's top (previous sibling, else the enclosing statement's). */
function previousStatement(stmt: SyntaxNode): SyntaxNode | null {
  let cur = stmt;
  for (;;) {
    const block = cur.parent;
    if (!block || block.type === 'function_definition') return null;
    if (block.type === 'compound_statement' || block.type === 'case_statement') {
      const list = block.namedChildren.filter(isStatement);
      const i = list.findIndex((c) => c.id === cur.id);
      if (i > 0) return list[i - 1]!;
    }
    cur = block;
  }
}

/**
 * Does the code right after `stmt` hand `variable` on before anything else names it (`return rc;`, `f(rc)`,
 * `s->err = rc;`)? Then the caller or callee sees every failure: nothing to propose. A test, an overwrite, or
 * code that never names it again is left to the simulator.
 */
function passedOnNext(stmt: SyntaxNode, variable: string): boolean {
  let cur = stmt;
  for (;;) {
    const block = cur.parent;
    if (!block || block.type === 'function_definition') return false;
    if (block.type === 'compound_statement' || block.type === 'case_statement') {
      const list = block.namedChildren.filter(isStatement);
      for (const s of list.slice(list.findIndex((c) => c.id === cur.id) + 1)) {
        if (![...descendants(s, 'identifier')].some((id) => id.text === variable)) {
          // Control leaves here: what follows in the text is not what runs next.
          if (['return_statement', 'goto_statement', 'break_statement', 'continue_statement'].includes(s.type)) return false;
          continue;
        }
        if (s.type === 'if_statement' || s.type === 'switch_statement') return false;
        const e = s.type === 'expression_statement' ? s.namedChild(0) : null;
        const isWrite = e?.type === 'assignment_expression' && e.childForFieldName('operator')?.text === '=' && e.childForFieldName('left')?.text === variable && ![...descendants(e.childForFieldName('right')!, 'identifier')].some((id) => id.text === variable);
        return !isWrite;
      }
    }
    cur = block;
  }
}

/** `v == 0` ... `else if ( v == 1 )` ... with no final else: the variable and the non-negative values named. */
function successValueChain(stmt: SyntaxNode): { variable: string; values: string[] } | null {
  let variable: string | undefined;
  const values: string[] = [];
  for (let s: SyntaxNode | null = stmt; s; ) {
    const e = peel(conditionOf(s));
    if (!e || e.type !== 'binary_expression' || e.childForFieldName('operator')?.text !== '==') return null;
    const [l, r] = [peel(e.childForFieldName('left')), peel(e.childForFieldName('right'))];
    const [v, n] = l?.type === 'identifier' && r && /^\d+[uUlL]*$/.test(r.text) ? [l, r] : r?.type === 'identifier' && l && /^\d+[uUlL]*$/.test(l.text) ? [r, l] : [null, null];
    if (!v || !n || (variable !== undefined && v.text !== variable)) return null;
    variable = v.text;
    values.push(n.text);
    const alt = s.childForFieldName('alternative');
    if (!alt) break;
    // A final else handles what the chain did not name.
    s = alt.namedChildren.find((c) => c.type === 'if_statement') ?? null;
    if (!s) return null;
  }
  return variable ? { variable, values } : null;
}

/**
 * Does the visible code after `stmt` get somewhere the simulator can judge (a return, a jump, a loop coming
 * round, the function's visible closing brace, or a statement that stores another call's result in `variable`
 * without reading it: the value checked is gone there) before code the patch does not show?
 */
function reachesVisibleExit(ctx: FunctionContext, stmt: SyntaxNode, variable = ''): boolean {
  let cur = stmt;
  for (;;) {
    const block = cur.parent;
    if (!block) return false;
    if (block.type === 'function_definition') return ctx.lineOf(cur.lastChild ?? cur) !== 0;
    if (['while_statement', 'for_statement', 'do_statement'].includes(block.type)) return true;
    if (block.type === 'compound_statement' || block.type === 'case_statement') {
      const list = block.namedChildren.filter(isStatement);
      for (const s of list.slice(list.findIndex((c) => c.id === cur.id) + 1)) {
        if (isMarkerStatement(s) || [...descendants(s, 'call_expression')].some(isMarker)) return false;
        if (['return_statement', 'goto_statement', 'break_statement', 'continue_statement'].includes(s.type)) return true;
        const store = variable ? assignedCall(s) : null;
        if (store && store.variable === variable && !argumentsOf(store.call).some((a) => a.text === variable || [...descendants(a, 'identifier')].some((id) => id.text === variable))) return true;
      }
      if (block.type === 'compound_statement' && block.parent?.type === 'function_definition') return ctx.lineOf(block.lastChild ?? block) !== 0;
    }
    cur = block;
  }
}

/** A status name the simulator reads: a known success code or a failure-code spelling. */
const knownName = (t: string): boolean => STATUS_TYPES.some((s) => s.success === t) || isErrorConstant(t);

/** Is `variable` compared anywhere in `fn` with an upper-case name that is neither a known success code nor a failure code? */
function comparedWithUnknownName(fn: SyntaxNode, variable: string): boolean {
  return [...descendants(fn, 'binary_expression')].some((b) => {
    if (!['==', '!=', '<', '>', '<=', '>='].includes(b.childForFieldName('operator')?.text ?? '')) return false;
    const [l, r] = [peel(b.childForFieldName('left')), peel(b.childForFieldName('right'))];
    const other = l?.text === variable ? r : r?.text === variable ? l : null;
    return !!other && other.type === 'identifier' && /^[A-Z][A-Z0-9_]*$/.test(other.text) && !knownName(other.text);
  });
}

/** Does the check's own else-if chain test `variable` for failure as such (`else if ( rc )`, `rc < 0`)? The rest is handled there. */
function chainHandlesRest(stmt: SyntaxNode, variable: string): boolean {
  for (let alt = stmt.childForFieldName('alternative'); alt; ) {
    const inner = alt.namedChildren.find((c) => c.type === 'if_statement') ?? null;
    if (!inner) return false;
    const c = peel(conditionOf(inner));
    const op = c?.type === 'binary_expression' ? c.childForFieldName('operator')?.text : undefined;
    if (c && op !== '&&' && op !== '||' && testsValue(c, variable) && !comparedWithCode(c)) return true;
    alt = inner.childForFieldName('alternative');
  }
  return false;
}

/**
 * The statement that stored a call's result in `variable` last before `stmt` (the closest earlier statement
 * that names it at all must be that store), with the call.
 */
function storeBefore(stmt: SyntaxNode, variable: string): { statement: SyntaxNode; call: SyntaxNode } | null {
  for (let s = previousStatement(stmt); s; s = previousStatement(s)) {
    const named = [...descendants(s, 'identifier')].some((id) => id.text === variable);
    if (!named) continue;
    let inner = s;
    while (inner.type === 'labeled_statement' && inner.lastNamedChild) inner = inner.lastNamedChild;
    const store = assignedCall(inner);
    if (store && store.variable === variable) return { statement: inner, call: store.call };
    return null;
  }
  return null;
}

/**
 * Failure codes the callee's own body (a definition the patch shows whole) can return: every return is a
 * number, an errno or a local that only ever holds those. undefined when the body is not shown or returns
 * anything else (another call's result, a parameter).
 */
function failuresShown(ctx: FunctionContext, callee: string): Set<string> | undefined {
  const def = ctx.model.files.flatMap((f) => f.functions).find((f) => f.name === callee && f.post && !f.post.isFragment)?.post;
  if (!def) return undefined;
  const codes = new Set<string>();
  const constant = (n: SyntaxNode | null): boolean => {
    const t = fold(n?.text ?? '').replace(/^\((.*)\)$/, '$1');
    if (/^\d+[uUlL]*$/.test(t) || STATUS_TYPES.some((s) => s.success === t)) return true;
    const code = failureCode(n);
    if (code) codes.add(code);
    return !!code;
  };
  const localOk = new Map<string, boolean>();
  const holdsConstants = (name: string): boolean => {
    if (localOk.has(name)) return localOk.get(name)!;
    localOk.set(name, false);
    let declared = false;
    let ok = true;
    for (const d of descendants(def.node, 'declaration')) {
      for (const n of declaredNames(d)) if (n.name === name) { declared = true; if (n.init && !constant(n.init)) ok = false; }
    }
    for (const a of descendants(def.node, 'assignment_expression')) {
      if (a.childForFieldName('left')?.text !== name) continue;
      if (a.childForFieldName('operator')?.text !== '=' || !constant(a.childForFieldName('right'))) ok = false;
    }
    localOk.set(name, declared && ok);
    return declared && ok;
  };
  for (const ret of descendants(def.node, 'return_statement')) {
    const v = peel(ret.namedChild(0));
    if (!v) continue;
    if (constant(v)) continue;
    if (v.type === 'identifier' && holdsConstants(v.text)) continue;
    return undefined;
  }
  return codes;
}

const GET_PORT = `--- a/xen/common/ports.c
+++ b/xen/common/ports.c
@@ -40,9 +40,15 @@ static int find_free_slot(struct table *t)
 {
     int slot;
 
-    for ( slot = 0; slot < t->nr; slot++ )
-        if ( slot_is_free(t, slot) )
-            return slot;
+    for ( slot = 0; slot <= t->max; slot++ )
+    {
+        int rc = claim_slot(t, slot);
+
+        if ( rc == -EBUSY )
+            continue;
+
+        return slot;
+    }
 
     return -ENOSPC;
 }
`;

/** `if ( !v )`, `v == 0`, `v == TEE_SUCCESS` (either order): the variable a test for success reads. */
function successTested(cond: SyntaxNode | null): string | null {
  const e = peel(cond);
  if (!e) return null;
  if (e.type === 'unary_expression' && e.childForFieldName('operator')?.text === '!') {
    const a = peel(e.childForFieldName('argument'));
    return a?.type === 'identifier' ? a.text : null;
  }
  if (e.type !== 'binary_expression' || e.childForFieldName('operator')?.text !== '==') return null;
  const l = peel(e.childForFieldName('left'));
  const r = peel(e.childForFieldName('right'));
  const ok = (n: SyntaxNode | null): boolean => !!n && (n.text === '0' || /^[A-Z][A-Z0-9_]*_SUCCESS$/.test(n.text));
  if (l?.type === 'identifier' && ok(r)) return l.text;
  if (r?.type === 'identifier' && ok(l)) return r.text;
  return null;
}

/** `if ( v )`, `v != 0`, `v < 0`, `v != TEE_SUCCESS` (either order for !=): the variable a test for failure reads. */
function failureTested(cond: SyntaxNode | null): string | null {
  const e = peel(cond);
  if (!e) return null;
  if (e.type === 'identifier') return e.text;
  if (e.type !== 'binary_expression') return null;
  const op = e.childForFieldName('operator')?.text;
  const l = peel(e.childForFieldName('left'));
  const r = peel(e.childForFieldName('right'));
  const ok = (n: SyntaxNode | null): boolean => !!n && (n.text === '0' || /^[A-Z][A-Z0-9_]*_SUCCESS$/.test(n.text));
  if (op === '!=' && l?.type === 'identifier' && ok(r)) return l.text;
  if (op === '!=' && r?.type === 'identifier' && ok(l)) return r.text;
  if (op === '<' && l?.type === 'identifier' && r?.text === '0') return l.text;
  return null;
}

/** The label of a branch that only jumps (`goto out;`, maybe in braces). */
function jumpOnly(branch: SyntaxNode | null): SyntaxNode | null {
  const list = bodyStatements(branch);
  const only = list.length === 1 ? list[0]! : null;
  return only?.type === 'goto_statement' ? only : null;
}

const LOOPS = new Set(['for_statement', 'while_statement', 'do_statement']);

/**
 * `v = f(..); if ( !v ) goto L; v = g(..);`: a step of a sequence that jumps to L when f() worked and goes on to the
 * next step (overwriting the failure) when it failed, where the function's own test of v before another step jumps
 * to the same L on failure (`if ( v != TEE_SUCCESS ) goto L;`). Not in a loop (a retry until one attempt works).
 */
function invertedStep(ifs: SyntaxNode, fnNode: SyntaxNode): { variable: string; call: SyntaxNode; exit: SyntaxNode; other: SyntaxNode } | null {
  if (ifs.childForFieldName('alternative')) return null;
  const variable = successTested(conditionOf(ifs));
  const exit = jumpOnly(ifs.childForFieldName('consequence'));
  if (!variable || !exit) return null;
  for (let p = ifs.parent; p && p.id !== fnNode.id; p = p.parent) if (LOOPS.has(p.type)) return null;
  const block = ifs.parent;
  if (block?.type !== 'compound_statement') return null;
  const list = statementsOf(block);
  const at = list.findIndex((x) => x.id === ifs.id);
  const before = at > 0 ? assignedCall(list[at - 1]!) : null;
  const after = list[at + 1] ? assignedCall(list[at + 1]!) : null;
  if (before?.variable !== variable || after?.variable !== variable) return null;
  const label = exit.namedChild(0)?.text;
  const other = [...descendants(fnNode, 'if_statement')].find((o) => o.id !== ifs.id && failureTested(conditionOf(o)) === variable && jumpOnly(o.childForFieldName('consequence'))?.namedChild(0)?.text === label);
  return other ? { variable, call: before.call, exit, other } : null;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'partial-check',
    pack: 'error-handling',
    family: 'unchecked-error',
    severity: 'warning',
    summary: 'A call\'s result is compared with one error code only (or only with success values), so every other failure goes on as a success.',
    source: {
      ...SEED_THREAD,
      quote: 'rv = iommu_hwdom_init(d), otherwise error is not propagated outside.',
    },
    messages: {
      invertedStep:
        '{{callee}}() returns 0 on success, so `{{test}}` jumps to {{label}} exactly when the call worked, and when it failed {{function}}() goes on to the next step, which overwrites {{variable}}: the failure is lost and a success skips the rest. The same function jumps to {{label}} on failure at line {{otherLine}} (`{{other}}`). Test `{{failing}}` instead.',
      unhandled:
        '{{callee}}() can fail, but {{function}}() only tests {{value}} for {{values}}: a failure takes none of these branches and is dropped. Handle it (`else if ( {{value}} < 0 )` or an else) or pass it on.',
      partial:
        '{{callee}}() can fail in other ways than {{code}}, but {{function}}() only checks for {{code}}: any other failure goes on as if {{callee}}() had succeeded. Handle {{code}} first, then test for failure as such (`{{value}} < 0`, `!= 0`, `!= TEE_SUCCESS`) and pass it on.',
    },
    fixable: false,
    limitations:
      'Considers an if whose whole condition compares a call\'s result (the call itself, or the variable that stored it last) with one negated errno constant (`== -EBUSY`) or one named failure code (`== TEE_ERROR_BUSY`); the comparison is taken as evidence that the callee returns such codes. Known success names (TEE_SUCCESS...) and failure-code spellings are data (status-types.ts, api-data.ts); a check followed by a test against another name the simulator has no value for (`else if ( st != PSA_SUCCESS )`) is not proposed. When the patch shows the callee\'s whole body, or the knowledge base (tree, --kb) learned its failure values, and every failure it can return is that code, nothing is proposed. The visible code after the check must not pass the variable on (return, call, store) before it is overwritten or the function returns something else, and must reach a return, a jump, the end of the function or a statement storing another call\'s result in the variable (the value checked is gone there) before code the patch does not show; the simulator then needs a path where the call fails with another value and goes the way of a success. A callee whose only failure really is the checked code, with its body not in the patch, is a false positive. Second shape: an if/else-if chain that compares the stored result only with two or more non-negative literals (`== 0`, `== 1`) and has no final else, for a callee known or shown to fail; the simulator must show a failure taking no branch of those tests before the value is lost. Third shape, a test for success where the function tests for failure: `v = f(..); if ( !v ) goto L;` (or `v == 0`, `v == X_SUCCESS`) for a callee known to return 0 on success (an errno or a status code), where the next statement stores another call\'s result in v and the same function jumps to the same label L on a failure of v elsewhere (`if ( v != TEE_SUCCESS ) goto L;`): the success leaves for L, the failure goes on and is overwritten. Not in a loop (a retry until one attempt works), not where nothing else in the function jumps to L on failure (a chain of alternatives that stops at the first that works), not where the statement after the test is no new store into v. The simulator shows the success reaching the jump; whether the steps after f() are needed after its success is not shown: inconclusive at best.',
  },
  detect(ctx) {
    const out = [];
    for (const stmt of descendants(ctx.post.node, 'if_statement')) {
      const shape = comparedWithCode(conditionOf(stmt));
      if (!shape) continue;
      let call: SyntaxNode | null = null;
      let variable = '';
      let anchor: SyntaxNode = stmt;
      const s = shape.subject;
      if (s.type === 'call_expression') call = s;
      else if (s.type === 'assignment_expression' && s.childForFieldName('operator')?.text === '=' && s.childForFieldName('left')?.type === 'identifier') {
        const right = peel(s.childForFieldName('right'));
        if (right?.type === 'call_expression') [call, variable] = [right, s.childForFieldName('left')!.text];
      } else if (s.type === 'identifier') {
        const store = storeBefore(stmt, s.text);
        if (store) [call, variable, anchor] = [store.call, s.text, store.statement];
      }
      if (!call || isMarker(call)) continue;
      if (!ctx.isAdded(stmt) && !ctx.isAdded(anchor)) continue;
      const callee = calleeName(call);
      // The patch shows the callee whole, and it fails only with the code checked: the check is complete.
      const shown = failuresShown(ctx, callee);
      if (shown && [...shown].every((c) => c === shape.code)) continue;
      // The knowledge base (tree, --kb) learned the callee's failure values from its body: the same judgement.
      const known = ctx.fallibility.convention(callee)?.failValues;
      const norm = (v: string): string => v.replace(/[\s()]/g, '');
      if (known && known.length > 0 && known.every((v) => norm(v) === norm(shape.code))) continue;
      // A kept value must not be handed on right after the check (`return rc;`); whether another failure goes
      // the way of a success (tested again later, overwritten, left behind) is the simulator's question.
      if (variable && passedOnNext(stmt, variable)) continue;
      // Compared somewhere with a name the simulator has no value for (`st != PSA_SUCCESS`): the rest may well be
      // handled, and nothing could decide it. The check's own else-if chain testing for failure handles the rest.
      if (variable && (comparedWithUnknownName(ctx.post.node, variable) || chainHandlesRest(stmt, variable))) continue;
      // The code after the check must be visible up to somewhere a loss can be judged.
      if (!reachesVisibleExit(ctx, stmt, variable)) continue;
      out.push({ node: stmt, data: { call, variable, code: shape.code } });
    }
    // A chain that only names values a success can have (`rc == 0`, `rc == 1`) and no else: a failure takes no branch.
    for (const stmt of descendants(ctx.post.node, 'if_statement')) {
      if (stmt.parent?.type === 'else_clause') continue;
      // One value (`if ( err == 0 )`) is a success test like `if ( !err )`: skipping the success action is
      // handling. Two or more name the outcomes one by one, and the failure is the one left out.
      const chain = successValueChain(stmt);
      if (!chain || chain.values.length < 2) continue;
      const store = storeBefore(stmt, chain.variable);
      if (!store || isMarker(store.call)) continue;
      if (!ctx.isAdded(stmt) && !ctx.isAdded(store.statement)) continue;
      // No sign of the errno convention here: the callee must be known or shown to fail.
      if (ctx.fallibility.reasons(fallibilityKey(store.call)).length === 0) continue;
      if (passedOnNext(stmt, chain.variable) || comparedWithUnknownName(ctx.post.node, chain.variable) || !reachesVisibleExit(ctx, stmt)) continue;
      out.push({ node: stmt, data: { call: store.call, variable: chain.variable, code: '', values: chain.values.join(' or ') } });
    }
    for (const ifs of descendants(ctx.post.node, 'if_statement')) {
      if (!ctx.touchesAdded(ifs)) continue;
      const step = invertedStep(ifs, ctx.post.node);
      if (!step) continue;
      const key = fallibilityKey(step.call);
      // The callee's convention must say 0 is its success: an errno or a status code.
      if (ctx.fallibility.convention(key)?.convention !== 'errno' || ctx.fallibility.booleanSuccess(key)) continue;
      out.push({ node: ifs, data: { step } });
    }
    return out;
  },
  check(candidate, ctx): Report {
    const { step } = candidate.data as { step?: NonNullable<ReturnType<typeof invertedStep>> };
    if (step) {
      const callee = calleeName(step.call);
      const label = step.exit.namedChild(0)?.text ?? '';
      const cond = fold(conditionOf(candidate.node)?.text ?? '');
      const failing = /==/.test(cond) ? cond.replace('==', '!=') : step.variable;
      return {
        messageId: 'invertedStep',
        data: {
          callee, function: ctx.fn.name, variable: step.variable, label,
          test: controlHead(styleFor(ctx.post, ctx.file), 'if', cond), failing,
          otherLine: String(ctx.lineOf(step.other)), other: controlHead(styleFor(ctx.post, ctx.file), 'if', fold(conditionOf(step.other)?.text ?? '')),
        },
        question: {
          kind: 'reached-when', call: step.call, result: 'zero', target: step.exit,
          premise: `whether a success of ${callee}() means the steps after it are not needed (a chain of alternatives that stops at the first that works) is not shown`,
        },
        reliedOn: reliedOn(ctx, fallibilityKey(step.call), step.call),
      };
    }
    const { call, variable, code, values } = candidate.data as { call: SyntaxNode; variable: string; code: string; values?: string };
    const callee = calleeName(call);
    if (values) {
      return {
        messageId: 'unhandled',
        data: { callee, function: ctx.fn.name, value: variable, values },
        question: { kind: 'result-lost', call, afterTests: true, unhandled: true },
        reliedOn: reliedOn(ctx, fallibilityKey(call), call),
      };
    }
    return {
      messageId: 'partial',
      data: { callee, code, function: ctx.fn.name, value: variable || `${callee}(...)` },
      question: { kind: 'result-lost', call, afterTests: true },
      reliedOn: [`the comparison with ${code} at line ${ctx.lineOf(candidate.node)} treats ${callee}() as returning ${code.startsWith('-E') ? 'negative errno values' : 'status codes'}`, ...reliedOn(ctx, fallibilityKey(call), call)],
    };
  },
  cases: {
    flagged: [
      {
        name: 'a status kept in the function\'s own res (declared in code the patch does not show) is checked for one code, then overwritten',
        patch: `--- a/core/tee/knob_store.c
+++ b/core/tee/knob_store.c
@@ -40,8 +40,8 @@ TEE_Result knob_store_move(struct knob_store *s, struct knob *k)
 	k->moving = true;
 
 	res = s->ops->shift(k, s->slot);
-	if (res)
+	if (res == TEE_ERROR_BUSY)
 		goto exit;
 
 	res = knob_commit(k);
 	k->moves++;
`,
        expect: [{ line: 43, messageId: 'partial', verdict: 'verified' }],
      },
      {
        name: 'only -EBUSY is skipped; any other failure returns the slot as if it had been claimed',
        patch: GET_PORT,
        expect: [{ line: 47, messageId: 'partial', verdict: 'verified' }],
      },
      {
        name: 'a call compared with -ENOMEM where it is made: other failures reach the success exit',
        patch: `--- a/xen/common/store.c
+++ b/xen/common/store.c
@@ -60,6 +60,8 @@ static int store_page(struct store *s, struct page *pg)
     if ( !s->enabled )
         return -ENODEV;
 
+    if ( share_page(s, pg) == -ENOMEM )
+        return -ENOMEM;
     s->count++;
 
     return 0;
`,
        expect: [{ line: 63, messageId: 'partial', verdict: 'verified' }],
      },
      {
        name: 'a status code compared with one named failure only (TEE_ERROR_BUSY): other failures take the success exit',
        patch: `--- a/core/kernel/slots.c
+++ b/core/kernel/slots.c
@@ -20,5 +20,13 @@ TEE_Result find_slot(struct table *t, size_t *idx)
 	TEE_Result res = TEE_SUCCESS;
 	size_t n = 0;
 
+	for (n = 0; n < t->count; n++) {
+		res = claim_entry(t, n);
+		if (res == TEE_ERROR_BUSY)
+			continue;
+		*idx = n;
+		return TEE_SUCCESS;
+	}
+
 	return TEE_ERROR_ITEM_NOT_FOUND;
 }
`,
        expect: [{ line: 25, messageId: 'partial', verdict: 'verified' }],
      },
      {
        name: 'a chain that names only the values a success can have (0, 1) and no else: a failure is dropped',
        patch: `--- a/xen/drivers/passthrough/source.c
+++ b/xen/drivers/passthrough/source.c
@@ -10,5 +10,25 @@ static int find_parent(struct dev *d, unsigned int *bus)
 
 static int find_parent(struct dev *d, unsigned int *bus)
 {
+    if ( !d->parent )
+        return -ENODEV;
+    *bus = d->parent->bus;
+    return d->parent->bridge ? 1 : 0;
+}
+
+static void set_source(struct dev *d, struct entry *e)
+{
+    unsigned int bus = d->bus;
+    int ret;
+
+    ret = find_parent(d, &bus);
+    if ( ret == 0 )
+        e->sid = d->sid;
+    else if ( ret == 1 )
+        e->sid = bus << 8;
+}
+
+static void unused_helper(void)
+{
     return;
 }
`,
        expect: [{ line: 25, messageId: 'unhandled', verdict: 'verified' }],
      },
      {
        name: 'a step of a sequence of TEE_Result calls tested for success and jumping to the exit the earlier step jumps to on failure; the next step overwrites the status',
        patch: `--- a/core/tee/quux_fs.c
+++ b/core/tee/quux_fs.c
@@ -60,9 +60,21 @@ static TEE_Result quux_fs_truncate(struct quux_fd *fdp, size_t len)
 {
 	TEE_Result res = TEE_ERROR_GENERIC;
+	struct quux_dirh *dirh = NULL;
 
 	mutex_lock(&quux_fs_mutex);
+
+	res = quux_dir_open(fdp->uuid, &dirh);
+	if (res != TEE_SUCCESS)
+		goto out;
+
 	res = quux_truncate_internal(fdp, len);
+	if (!res)
+		goto out;
+
+	res = quux_dir_update(dirh, fdp);
+out:
+	quux_dir_close(dirh);
 	mutex_unlock(&quux_fs_mutex);
 
 	return res;
 }
--- a/core/include/tee/quux_fs.h
+++ b/core/include/tee/quux_fs.h
@@ -10,3 +10,5 @@
 
 TEE_Result quux_truncate_internal(struct quux_fd *fdp, size_t len);
+TEE_Result quux_dir_open(const TEE_UUID *uuid, struct quux_dirh **dirh);
+TEE_Result quux_dir_update(struct quux_dirh *dirh, struct quux_fd *fdp);
 
`,
        expect: [{ line: 71, messageId: 'invertedStep', verdict: 'inconclusive' }],
      },
    ],
    clean: [
      {
        name: 'near miss: a chain of alternatives, each tested for success and jumping to the exit when one works; nothing in the function jumps there on failure',
        patch: `--- a/core/tee/quux_fs.c
+++ b/core/tee/quux_fs.c
@@ -60,7 +60,15 @@ static TEE_Result quux_fs_find(struct quux_fd *fdp)
 {
 	TEE_Result res = TEE_ERROR_GENERIC;
 
+	res = quux_find_in_cache(fdp);
+	if (!res)
+		goto out;
+
+	res = quux_find_on_disk(fdp);
+	if (!res)
+		goto out;
+
 	res = quux_find_by_rpc(fdp);
 out:
 	return res;
 }
--- a/core/include/tee/quux_fs.h
+++ b/core/include/tee/quux_fs.h
@@ -10,3 +10,6 @@
 
 TEE_Result quux_find_by_rpc(struct quux_fd *fdp);
+TEE_Result quux_find_in_cache(struct quux_fd *fdp);
+TEE_Result quux_find_on_disk(struct quux_fd *fdp);
+TEE_Result quux_dir_open(const TEE_UUID *uuid, struct quux_dirh **dirh);
 
`,
      },
      {
        name: 'near miss: retries in a loop until one attempt works, where a failure to start jumps to the same exit',
        patch: `--- a/core/tee/quux_fs.c
+++ b/core/tee/quux_fs.c
@@ -60,7 +60,17 @@ static TEE_Result quux_fs_sync(struct quux_fd *fdp)
 {
 	TEE_Result res = TEE_ERROR_GENERIC;
 	size_t n = 0;
 
+	res = quux_dir_open(fdp->uuid, &fdp->dirh);
+	if (res != TEE_SUCCESS)
+		goto out;
+
+	for (n = 0; n < QUUX_RETRIES; n++) {
+		res = quux_sync_once(fdp);
+		if (!res)
+			goto out;
+		res = quux_reset_link(fdp);
+	}
 out:
 	return res;
 }
--- a/core/include/tee/quux_fs.h
+++ b/core/include/tee/quux_fs.h
@@ -10,3 +10,6 @@
 
 TEE_Result quux_find_by_rpc(struct quux_fd *fdp);
+TEE_Result quux_sync_once(struct quux_fd *fdp);
+TEE_Result quux_reset_link(struct quux_fd *fdp);
+TEE_Result quux_dir_open(const TEE_UUID *uuid, struct quux_dirh **dirh);
 
`,
      },
      {
        name: 'near miss: a success jumps to the common exit, a failure is handled right after and returned (the status is not overwritten)',
        patch: `--- a/core/tee/quux_fs.c
+++ b/core/tee/quux_fs.c
@@ -60,6 +60,15 @@ static TEE_Result quux_fs_sync(struct quux_fd *fdp)
 {
 	TEE_Result res = TEE_ERROR_GENERIC;
 
+	res = quux_dir_open(fdp->uuid, &fdp->dirh);
+	if (res != TEE_SUCCESS)
+		goto out;
+
+	res = quux_sync_once(fdp);
+	if (!res)
+		goto out;
+	EMSG("sync failed: %#"PRIx32, res);
+	quux_mark_dirty(fdp);
 out:
 	return res;
 }
--- a/core/include/tee/quux_fs.h
+++ b/core/include/tee/quux_fs.h
@@ -10,3 +10,5 @@
 
 TEE_Result quux_find_by_rpc(struct quux_fd *fdp);
+TEE_Result quux_sync_once(struct quux_fd *fdp);
+TEE_Result quux_dir_open(const TEE_UUID *uuid, struct quux_dirh **dirh);
 
`,
      },
      {
        name: 'near miss: the status checked for one code is tested for every other failure before it is overwritten',
        refuted: true,
        patch: `--- a/core/tee/knob_store.c
+++ b/core/tee/knob_store.c
@@ -40,8 +40,10 @@ TEE_Result knob_store_move(struct knob_store *s, struct knob *k)
 	k->moving = true;
 
 	res = s->ops->shift(k, s->slot);
-	if (res)
+	if (res == TEE_ERROR_BUSY)
 		goto exit;
+	if (res)
+		goto exit;
 
 	res = knob_commit(k);
 	k->moves++;
`,
      },
      {
        name: 'the remaining values are handled by the next test: -EAGAIN retries, any other failure goes to the error exit',
        patch: `--- a/xen/common/retry.c
+++ b/xen/common/retry.c
@@ -30,8 +30,16 @@ static int start_op(struct op *o)
 {
     int rc;
 
-    rc = 0;
+ again:
+    rc = begin_op(o);
+    if ( rc == -EAGAIN )
+        goto again;
+    if ( rc )
+        goto err;
     o->started = 1;
 
     return 0;
+ err:
+    o->failed = 1;
+    return rc;
 }
`,
        refuted: true,
      },
      {
        name: 'a chain of success values followed by a test for failure that passes it on',
        patch: `--- a/xen/drivers/passthrough/source.c
+++ b/xen/drivers/passthrough/source.c
@@ -10,5 +10,28 @@ static int find_parent(struct dev *d, unsigned int *bus)
 
 static int find_parent(struct dev *d, unsigned int *bus)
 {
+    if ( !d->parent )
+        return -ENODEV;
+    *bus = d->parent->bus;
+    return d->parent->bridge ? 1 : 0;
+}
+
+static int set_source(struct dev *d, struct entry *e)
+{
+    unsigned int bus = d->bus;
+    int ret;
+
+    ret = find_parent(d, &bus);
+    if ( ret == 0 )
+        e->sid = d->sid;
+    else if ( ret == 1 )
+        e->sid = bus << 8;
+    if ( ret < 0 )
+        d->bad = 1;
+    return ret < 0 ? ret : 0;
+}
+
+static void unused_helper(void)
+{
     return;
 }
`,
        refuted: true,
      },
      {
        name: 'a chain of success values with a final else that handles the rest',
        patch: `--- a/xen/drivers/passthrough/source.c
+++ b/xen/drivers/passthrough/source.c
@@ -10,5 +10,27 @@ static int find_parent(struct dev *d, unsigned int *bus)
 
 static int find_parent(struct dev *d, unsigned int *bus)
 {
+    if ( !d->parent )
+        return -ENODEV;
+    *bus = d->parent->bus;
+    return d->parent->bridge ? 1 : 0;
+}
+
+static void set_source(struct dev *d, struct entry *e)
+{
+    unsigned int bus = d->bus;
+    int ret;
+
+    ret = find_parent(d, &bus);
+    if ( ret == 0 )
+        e->sid = d->sid;
+    else if ( ret == 1 )
+        e->sid = bus << 8;
+    else
+        e->sid = 0;
+}
+
+static void unused_helper(void)
+{
     return;
 }
`,
      },
      {
        name: 'a status code: the named failure is skipped and every other one is passed on',
        patch: `--- a/core/kernel/slots.c
+++ b/core/kernel/slots.c
@@ -20,5 +20,15 @@ TEE_Result find_slot(struct table *t, size_t *idx)
 	TEE_Result res = TEE_SUCCESS;
 	size_t n = 0;
 
+	for (n = 0; n < t->count; n++) {
+		res = claim_entry(t, n);
+		if (res == TEE_ERROR_BUSY)
+			continue;
+		if (res)
+			return res;
+		*idx = n;
+		return TEE_SUCCESS;
+	}
+
 	return TEE_ERROR_ITEM_NOT_FOUND;
 }
`,
        refuted: true,
      },
      {
        name: 'the value is tested again for every other failure after the named code',
        patch: `--- a/xen/common/lookup.c
+++ b/xen/common/lookup.c
@@ -20,8 +20,13 @@ static int lookup_entry(struct table *t, unsigned int key)
 {
     int rc;
 
-    rc = 0;
+    rc = find_entry(t, key);
+    if ( rc == -ENOENT )
+        return 0;
+    if ( rc )
+        return rc;
+
     t->hits++;
 
     return 1;
 }
`,
        refuted: true,
      },
      {
        name: 'the check\'s own else-if chain handles the rest: -EAGAIN retries, any other failure goes to the error exit',
        patch: `--- a/xen/common/retry.c
+++ b/xen/common/retry.c
@@ -30,8 +30,16 @@ static int start_op(struct op *o)
 {
     int rc;
 
-    rc = 0;
+ again:
+    rc = begin_op(o);
+    if ( rc == -EAGAIN )
+        goto again;
+    else if ( rc )
+        goto err;
     o->started = 1;
 
     return 0;
+ err:
+    o->failed = 1;
+    return rc;
 }
`,
      },
      {
        name: 'the value is returned right after the check: the caller sees every failure',
        patch: `--- a/xen/common/lookup.c
+++ b/xen/common/lookup.c
@@ -20,4 +20,8 @@ static int lookup_entry(struct table *t, unsigned int key)
 {
     int rc;
 
+    rc = find_entry(t, key);
+    if ( rc == -ENOENT )
+        rc = 0;
+    return rc;
 }
`,
      },
      {
        name: 'the patch shows the callee whole and -ENOMEM is the only failure it returns',
        patch: `--- a/xen/common/store.c
+++ b/xen/common/store.c
@@ -40,8 +40,20 @@ static void count_page(struct store *s)
     s->count++;
 }
 
+static int share_page(struct store *s, struct page *pg)
+{
+    struct entry *e = alloc_entry(s);
+
+    if ( !e )
+        return -ENOMEM;
+    e->page = pg;
+    return 0;
+}
+
 static int store_page(struct store *s, struct page *pg)
 {
+    if ( share_page(s, pg) == -ENOMEM )
+        return -ENOMEM;
     s->count++;
 
     return 0;
`,
      },
      {
        name: "in tree mode, the tree's body of the callee fails only with the code checked",
        patch: `--- a/xen/common/store.c
+++ b/xen/common/store.c
@@ -11,5 +11,7 @@ int store_page(struct store *s, struct page *pg)
 {
+    if ( share_page(s, pg) == -ENOMEM )
+        return -ENOMEM;
     s->count++;
 
     return 0;
 }
`,
        tree: {
          'xen/common/share.c': `int share_page(struct store *s, struct page *pg)
{
    struct entry *e = alloc_entry(s);

    if ( !e )
        return -ENOMEM;
    e->page = pg;
    return 0;
}
`,
          'xen/common/store.c': `#include "store.h"









int store_page(struct store *s, struct page *pg)
{
    s->count++;

    return 0;
}
`,
        },
      },
    ],
  },
});
