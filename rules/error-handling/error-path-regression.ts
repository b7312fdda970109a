import { defineRule, type Report } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { assignedCall, bodyStatements, conditionOf, descendants, fold, isMarker, mentions, statementsOf } from '../../src/review/ast.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { calleeName, fallibilityKey, nextStatement, peel, resultUse, testsValue } from '../../src/review/calls.ts';
import { isLogCall, modelFor } from '../../src/sim/index.ts';
import { filePatchOf } from '../../src/review/patch-lines.ts';
import { reliedOn } from '../../src/review/judge.ts';
import { SEED_THREAD } from './source.ts';
import { messageLetsFailureGo } from '../../src/review/intent.ts';
import { absentCode } from '../../src/review/api-data.ts';

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

/** A branch that leaves: its last statement returns, jumps away or stops the system (`panic();`, `BUG();`). */
function exits(branch: SyntaxNode | null): boolean {
  const list = bodyStatements(branch);
  const exit = list[list.length - 1];
  if (!exit) return false;
  if (exit.type === 'return_statement' || exit.type === 'goto_statement') return true;
  const call = exit.type === 'expression_statement' ? exit.namedChild(0) : null;
  return call?.type === 'call_expression' && modelFor(calleeName(call))?.behaviour.kind === 'abort';
}

/**
 * The `if` right after the call that tests its result and exits (`rc = f(); if ( rc ) return rc;`), if any; in an
 * `if ( rc == K ) ... else if ( rc ) return rc;` chain, the arm that tests the result again and exits.
 */
function passingCheck(call: SyntaxNode): SyntaxNode | null {
  const use = resultUse(call);
  const check = use.kind === 'assigned' ? use.checkedBy : use.kind === 'tested' ? use.statement : null;
  if (!check || check.type !== 'if_statement') return null;
  for (let arm: SyntaxNode | null = check; arm?.type === 'if_statement'; arm = elseIf(arm)) {
    if (arm !== check && use.kind === 'assigned' && !testsValue(conditionOf(arm), use.variable)) continue;
    // `if ( rc == SUCCESS ) goto out;` leaves on success: the failure goes on below, this is no failure exit.
    if (testsForSuccess(conditionOf(arm))) continue;
    // `if ( !rc ) return rc;` hands back the zero it tested (the function's type is no pointer): it leaves on success.
    if (use.kind === 'assigned' && returnsTestedZero(arm, use.variable)) continue;
    if (exits(arm.childForFieldName('consequence'))) return check;
  }
  return null;
}

/** `v == 0`, `v == K_SUCCESS` / `K_OK`: a condition that holds when the status says success (`!p` may be a NULL test). */
function testsForSuccess(cond: SyntaxNode | null): boolean {
  const c = peel(cond);
  if (!c) return false;
  if (c.type !== 'binary_expression' || c.childForFieldName('operator')?.text !== '==') return false;
  const sides = [peel(c.childForFieldName('left')), peel(c.childForFieldName('right'))].map((n) => n?.text ?? '');
  return sides.some((t) => t === '0' || /(?:^|_)(?:SUCCESS|OK)$/.test(t));
}

/** `if ( !v ) return v;`: the arm is taken when v is zero and gives that zero back. */
function returnsTestedZero(arm: SyntaxNode, v: string): boolean {
  const c = peel(conditionOf(arm));
  if (c?.type !== 'unary_expression' || c.childForFieldName('operator')?.text !== '!' || peel(c.childForFieldName('argument'))?.text !== v) return false;
  const list = bodyStatements(arm.childForFieldName('consequence'));
  const last = list[list.length - 1];
  return last?.type === 'return_statement' && peel(last.namedChild(0))?.text === v;
}

/**
 * `if ( rc == -ENOSYS ) rc = 0;` added right after the call: the patch names an absent-feature failure ("not
 * implemented", "not supported") and says it means success. A decision the patch states, not a failure let go.
 */
const ABSENT = /^-\s*E(?:NOSYS|OPNOTSUPP|NOTSUPP)$/;
function mapsAbsentToSuccess(ctx: FunctionContext, call: SyntaxNode): boolean {
  const use = resultUse(call);
  if (use.kind !== 'assigned') return false;
  const next = nextStatement(use.statement);
  if (next?.type !== 'if_statement' || next.childForFieldName('alternative') || !ctx.isAdded(next)) return false;
  const tests = (n: SyntaxNode | null): boolean => {
    const c = peel(n);
    if (c?.type !== 'binary_expression') return false;
    const op = c.childForFieldName('operator')?.text;
    if (op === '||') return tests(c.childForFieldName('left')) && tests(c.childForFieldName('right'));
    const sides = [peel(c.childForFieldName('left'))?.text ?? '', peel(c.childForFieldName('right'))?.text ?? ''].map(fold);
    return op === '==' && sides.includes(use.variable) && sides.some((x) => ABSENT.test(x));
  };
  if (!tests(conditionOf(next))) return false;
  const body = bodyStatements(next.childForFieldName('consequence'));
  const a = body.length === 1 && body[0]!.type === 'expression_statement' ? peel(body[0]!.namedChild(0)) : null;
  return a?.type === 'assignment_expression' && a.childForFieldName('operator')?.text === '=' &&
    a.childForFieldName('left')?.text === use.variable && peel(a.childForFieldName('right'))?.text === '0';
}

/**
 * `if ( rc ) { if ( rc == -FDT_ERR_NOTFOUND ) osc->freq = 0; else panic(); }` added after the call: the patch tells the
 * absent case (a node or property that is not there: not wired, not configured) apart and goes on with it, while every
 * other failure still stops. A decision the patch states in code, not a failure let go.
 */
function goesOnOnlyWhenAbsent(ctx: FunctionContext, call: SyntaxNode): boolean {
  const use = resultUse(call);
  if (use.kind !== 'assigned') return false;
  let test = nextStatement(use.statement);
  if (test?.type !== 'if_statement' || !ctx.isAdded(test)) return false;
  if (peel(conditionOf(test))?.text === use.variable && !test.childForFieldName('alternative')) {
    const body = bodyStatements(test.childForFieldName('consequence'));
    test = body.length === 1 && body[0]!.type === 'if_statement' ? body[0]! : null;
  }
  const c = test ? peel(conditionOf(test)) : null;
  if (!test || c?.type !== 'binary_expression' || c.childForFieldName('operator')?.text !== '==') return false;
  const sides = [peel(c.childForFieldName('left'))?.text ?? '', peel(c.childForFieldName('right'))?.text ?? ''].map(fold);
  if (!sides.includes(use.variable) || !sides.some((x) => absentCode(x) !== null || ABSENT.test(x))) return false;
  const alt = test.childForFieldName('alternative');
  const other = alt?.type === 'else_clause' ? alt.namedChild(0) : alt;
  return !!other && exits(other) && !exits(test.childForFieldName('consequence'));
}

/**
 * The two images are the same code but for a consistent renaming of identifiers (one new name for each old one, both
 * ways) and the text of string literals: the tokens, in order, otherwise equal.
 */
function onlyRenamed(pre: SyntaxNode, post: SyntaxNode): boolean {
  const tokens = (root: SyntaxNode): SyntaxNode[] => {
    const out: SyntaxNode[] = [];
    const walk = (n: SyntaxNode): void => {
      if (n.type === 'comment') return;
      if (n.type === 'string_literal' || n.childCount === 0) {
        out.push(n);
        return;
      }
      for (const c of n.children) walk(c);
    };
    walk(root);
    return out;
  };
  const a = tokens(pre);
  const b = tokens(post);
  if (a.length !== b.length) return false;
  const forward = new Map<string, string>();
  const backward = new Map<string, string>();
  let renamed = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.type !== y.type) return false;
    if (x.type === 'string_literal') continue;
    if (x.type === 'identifier' || x.type === 'field_identifier') {
      if ((forward.get(x.text) ?? y.text) !== y.text || (backward.get(y.text) ?? x.text) !== x.text) return false;
      forward.set(x.text, y.text);
      backward.set(y.text, x.text);
      renamed ||= x.text !== y.text;
      continue;
    }
    if (x.text !== y.text) return false;
  }
  return renamed;
}

/** The `if` of an `else if`, if any. */
function elseIf(ifs: SyntaxNode): SyntaxNode | null {
  const alt = ifs.childForFieldName('alternative');
  const inner = alt?.type === 'else_clause' ? alt.namedChild(0) : alt;
  return inner?.type === 'if_statement' ? inner : null;
}

/** The statement after `v = f();` is `if ( !v )` / `if ( v == 0 )` / `if ( v >= 0 )`: the rest runs only on success. */
function continuesOnSuccessOnly(call: SyntaxNode): boolean {
  const use = resultUse(call);
  if (use.kind !== 'assigned') return false;
  const next = nextStatement(use.statement);
  const cond = next?.type === 'if_statement' && !next.childForFieldName('alternative') ? peel(conditionOf(next)) : null;
  if (!cond) return false;
  const v = use.variable;
  if (cond.type === 'unary_expression') return cond.childForFieldName('operator')?.text === '!' && peel(cond.childForFieldName('argument'))?.text === v;
  if (cond.type !== 'binary_expression') return false;
  const op = cond.childForFieldName('operator')?.text;
  return peel(cond.childForFieldName('left'))?.text === v && peel(cond.childForFieldName('right'))?.text === '0' && (op === '==' || op === '>=');
}

/**
 * The check right after the call still tests its result, and its branch now recovers from the failure instead of
 * leaving: it calls something that is not a log (a cleanup, a fallback, hiding what failed) and has an exit of its own
 * (`if ( rc ) { printk(..); rc = undo(..); if ( rc ) return rc; }`). A deliberate change of how the failure is handled,
 * not a check dropped or reduced to a message.
 */
function recoversInBranch(call: SyntaxNode): boolean {
  const use = resultUse(call);
  const check = use.kind === 'assigned' ? use.checkedBy : use.kind === 'tested' ? use.statement : null;
  if (!check || check.type !== 'if_statement') return false;
  if (use.kind === 'assigned' && !testsValue(conditionOf(check), use.variable)) return false;
  const branch = check.childForFieldName('consequence');
  if (!branch) return false;
  const works = [...descendants(branch, 'call_expression')].some((c) => !isMarker(c) && !isLogCall(calleeName(c)));
  const leaves = [...descendants(branch, new Set(['return_statement', 'goto_statement']))].length > 0;
  return works && leaves;
}

/** After the call, an `if` that tests the stored variable and whose branch is the pre-image check's, word for word. */
function sameExitKept(preCheck: SyntaxNode, call: SyntaxNode): boolean {
  const use = resultUse(call);
  if (use.kind !== 'assigned') return false;
  const next = nextStatement(use.statement);
  if (next?.type !== 'if_statement' || preCheck.type !== 'if_statement') return false;
  const cond = conditionOf(next);
  if (!cond || ![...descendants(cond, new Set(['identifier', 'field_expression']))].some((n) => fold(n.text) === fold(use.variable))) return false;
  const branch = (s: SyntaxNode): string => fold(s.childForFieldName('consequence')?.text ?? '\0');
  return branch(next) === branch(preCheck) && !!next.childForFieldName('alternative') === !!preCheck.childForFieldName('alternative');
}

/**
 * After the call, straight-line statements that neither set the variable nor leave, then an `if` with the pre-image
 * check's condition, word for word, ending in the same exit: the check is kept, only no longer right after the call.
 */
function sameCheckFollows(preCheck: SyntaxNode, call: SyntaxNode): boolean {
  const use = resultUse(call);
  if (use.kind !== 'assigned' || preCheck.type !== 'if_statement') return false;
  const lastOf = (ifs: SyntaxNode): string => {
    const list = bodyStatements(ifs.childForFieldName('consequence'));
    return fold(list[list.length - 1]?.text ?? '\0');
  };
  const cond = fold(conditionOf(preCheck)?.text ?? '\0');
  for (let s = nextStatement(use.statement); s; s = nextStatement(s)) {
    if (s.type === 'if_statement' && fold(conditionOf(s)?.text ?? '') === cond) {
      return exits(s.childForFieldName('consequence')) && lastOf(s) === lastOf(preCheck) && !!s.childForFieldName('alternative') === !!preCheck.childForFieldName('alternative');
    }
    if (s.type !== 'expression_statement' || assigns(s, use.variable)) return false;
  }
  return false;
}

/**
 * Calls on lines the patch keeps whose result the function stores, checked right after by an exit before the patch
 * and no longer after it: the simulator compares whether their failure still reaches the caller.
 */
function unreported(ctx: FunctionContext): { node: SyntaxNode; data: Record<string, unknown> }[] {
  const out: { node: SyntaxNode; data: Record<string, unknown> }[] = [];
  const pre = ctx.fn.pre;
  if (!pre) return out;
  const lastAdded = Math.max(0, ...ctx.fn.addedLines);
  const lastRemoved = Math.max(0, ...ctx.fn.removedLines);
  for (const call of descendants(ctx.post.node, 'call_expression')) {
    if (isMarker(call) || isLogCall(calleeName(call)) || ctx.touchesAdded(call)) continue;
    // A status stored in a variable (`rc = f();`): what a function passes on; a call tested in place is a question.
    if (resultUse(call).kind !== 'assigned') continue;
    const preCall = preImageOf(ctx, call);
    if (!preCall) continue;
    // Something the patch changes comes after the call.
    if (lastAdded <= ctx.lineOf(call) && lastRemoved <= (pre.lineMap[preCall.startPosition.row] ?? 0)) continue;
    // Before: the check right after the call passed the failure on (an exit); after: that check is not the same.
    const before = passingCheck(preCall);
    if (!before) continue;
    // After: no exit right after the call any more (the check was dropped or only notes the failure).
    if (passingCheck(call)) continue;
    // The same exit still follows, under a test of the same variable the patch only rewrote (a bound renamed:
    // `if ( v < NR_CPUS ) return g(v);` -> `if ( v < nr_cpu_ids ) return g(v);`): the check is kept.
    if (sameExitKept(before, call)) continue;
    // The same check still follows, with only straight-line statements the patch put in between (`(void)ctx;`, a log).
    if (sameCheckFollows(before, call)) continue;
    // `if ( !rc ) rc = next();`: work goes on only on success, so the failure is kept by construction.
    if (continuesOnSuccessOnly(call)) continue;
    // The failure is still tested and now recovered from: the branch does work of its own and passes ITS failures on.
    if (recoversInBranch(call)) continue;
    // `if ( rc == -ENOSYS ) rc = 0;`: the patch says in code that this failure means success.
    if (mapsAbsentToSuccess(ctx, call)) continue;
    // `if ( rc == -FDT_ERR_NOTFOUND ) <not wired>; else panic();`: only the absent case goes on.
    if (goesOnOnlyWhenAbsent(ctx, call)) continue;
    // The commit message says the patch lets a failure go on purpose: what this finding would ask the author for.
    if (messageLetsFailureGo(ctx.patch.meta, calleeName(call))) continue;
    out.push({ node: call, data: { preCall, preCheckLine: pre.lineMap[before.startPosition.row] ?? 0 } });
  }
  return out;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'error-path-regression',
    pack: 'error-handling',
    family: 'unchecked-error',
    severity: 'warning',
    summary: 'A failure that reached the caller before the patch no longer does: an error exit now passes on an earlier success, or a kept call\'s failure is let go.',
    source: {
      ...SEED_THREAD,
      quote: 'rv = iommu_hwdom_init(d), otherwise error is not propagated outside.',
    },
    messages: {
      regressed:
        'Since this patch {{callee}}() stores its result in {{variable}} before `{{exit}}`, so when this check fails {{function}}() passes on {{callee}}()\'s success instead of the failure {{variable}} held here before: the caller is told it worked. Set {{variable}} to the error again before the exit, or keep {{callee}}()\'s result in a variable of its own.',
      noLongerReported:
        'Before this patch every failure of {{callee}}() reached the caller of {{function}}(); now a path lets it go and reports success. Pass the error on again (or say in the commit message why the failure no longer matters).',
    },
    fixable: false,
    limitations:
      'Needs the pre-image of the exit (a context line) and an added `v = f(); if ( <test of v> ) goto L;` (or `return v;`) that shows L passes v on; a label the patch shows must return v. Where the pre-image\'s value comes from code the patch does not show (an assignment above the hunk), the finding is inconclusive: the patch does not show it was an error. A kept call is compared only when its result is stored, the check right after it exited before the patch and no longer does, and the code does not go on only on success (`if ( !rc ) rc = g();`); an old check that left with the zero it tested (`if ( !rc ) return rc;`) left on success, and a failure the patch maps to 0 by name as absent (`if ( rc == -ENOSYS ) rc = 0;`) is its stated decision, as is a kept call\'s failure let go by a patch whose commit message says so ("allow failure", "avoid hard failure", "do not fail", "continue without"; or, in the paragraph naming the callee or the next one, "not an error", "harmless", "on purpose": src/review/intent.ts, the reader dropped-error shares), or that goes on only in an absent case the patch tells apart while every other failure still stops (`if ( rc == -FDT_ERR_NOTFOUND ) osc->freq = 0; else panic();`). A check the patch keeps word for word (condition and exit) is kept even when it puts straight-line statements (a log, `(void)ctx;`) between it and the call. A function the patch only renames in (one new name for each old identifier, string literals reworded) is not compared.',
  },
  detect(ctx) {
    if (!ctx.fn.pre) return [];
    // The patch only renames (`cpuid` -> `cpu` everywhere, a message reworded): what reached the caller still does.
    if (onlyRenamed(ctx.fn.pre.node, ctx.post.node)) return [];
    const type = ctx.post.returnType ?? '';
    if (type === 'void' || type.includes('*') || type === 'bool' || type === '_Bool') return [];
    const routes = routedStatuses(ctx);
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
    out.push(...unreported(ctx));
    return out;
  },
  check(candidate, ctx): Report {
    if (candidate.data.preCall) {
      const call = candidate.node;
      return {
        messageId: 'noLongerReported',
        data: { callee: calleeName(call), function: ctx.fn.name },
        question: { kind: 'failure-unreported', call, preCall: candidate.data.preCall as SyntaxNode },
        reliedOn: [
          `before the patch, ${ctx.fn.name}() tested the result of ${calleeName(call)}() and left on failure (pre-image line ${String(candidate.data.preCheckLine)})`,
          ...reliedOn(ctx, fallibilityKey(call), call),
        ],
      };
    }
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
      {
        name: 'the failure of a kept call no longer reaches the caller: its check now only notes it',
        patch: `--- a/xen/common/dev.c
+++ b/xen/common/dev.c
@@ -30,12 +30,12 @@ static int dev_start(struct dev *dv)
 {
     int rc;
 
     rc = dev_power_on(dv);
     if ( rc )
-        return rc;
+        dv->flags |= DEV_DEGRADED;
 
     dev_enable_irq(dv);
     return 0;
 }
 
 static void dev_stop(struct dev *dv)
`,
        expect: [{ line: 33, messageId: 'noLongerReported', verdict: 'verified' }],
      },
      {
        name: 'every failure was returned; now one named failure takes a fallback and goes on into code the patch does not show',
        patch: `--- a/core/drivers/vreg.c
+++ b/core/drivers/vreg.c
@@ -50,18 +50,18 @@ TEE_Result vreg_list_levels(struct vreg *vreg,
 			    struct vreg_desc **desc,
 			    const int **levels)
 {
-	assert(vreg && desc && levels);
+	TEE_Result res = TEE_ERROR_NOT_SUPPORTED;
 
-	if (vreg->ops->list_levels) {
-		TEE_Result res = TEE_ERROR_GENERIC;
+	assert(vreg && desc && levels);
 
+	if (vreg->ops->list_levels)
 		res = vreg->ops->list_levels(vreg, desc,
 					     levels);
-		if (res)
-			return res;
-	} else {
+	if (res == TEE_ERROR_NOT_SUPPORTED) {
 		*desc = &vreg->fallback.desc;
 		*levels = vreg->fallback.levels;
+	} else if (res) {
+		return res;
 	}
 
 	assert((*desc)->count > 0);
`,
        expect: [{ line: 58, messageId: 'noLongerReported', verdict: 'inconclusive' }],
      },
      {
        name: 'a lookup of unknown convention was tested for NULL before the patch; now only another result is tested',
        patch: `--- a/xen/drivers/blip/blip.c
+++ b/xen/drivers/blip/blip.c
@@ -40,10 +40,10 @@ static int blip_enable(struct blip_info *info)
     struct blip_dev *dev;
     unsigned int pos;
 
     dev = blip_dev_lookup(info->seg, info->bus);
-    if ( !dev )
+    pos = blip_find_cap(info->seg, info->bus, BLIP_CAP_ID);
+    if ( !pos )
         return -ENODEV;
 
-    pos = blip_find_cap(info->seg, info->bus, BLIP_CAP_ID);
     dev->cap = pos;
     info->dev = dev;
@@ -60,6 +60,6 @@ static int blip_enable(struct blip_info *info)
     blip_write(dev, BLIP_CTRL, 1);
-    blip_wait(dev);
+    blip_wait(dev, BLIP_TIMEOUT);
     info->enabled = 1;
 
     return 0;
 }
`,
        expect: [{ line: 43, messageId: 'noLongerReported', verdict: 'verified' }],
      },
    ],
    clean: [
      {
        name: 'near miss: the failure is still tested and now recovered from: a fallback runs whose own failure is returned',
        patch: `--- a/xen/common/port.c
+++ b/xen/common/port.c
@@ -40,9 +40,14 @@ static int port_setup_all(struct port_set *ps)
     for ( i = 0; i < ps->nr; i++ )
     {
         rc = port_setup(ps, i);
         if ( rc )
-            return rc;
+        {
+            printk(XENLOG_WARNING "port %u: setup failed: %d, disabling it\n", i, rc);
+            rc = port_disable(ps, i);
+            if ( rc )
+                return rc;
+        }
     }
 
     return 0;
 }
`,
      },
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
      {
        name: 'the check after a kept call only notes the failure now, and the status is still returned at the end',
        refuted: true,
        patch: `--- a/xen/common/dev.c
+++ b/xen/common/dev.c
@@ -30,12 +30,12 @@ static int dev_start(struct dev *dv)
 {
     int rc;
 
     rc = dev_power_on(dv);
     if ( rc )
-        return rc;
+        dv->flags |= DEV_DEGRADED;
 
     dev_enable_irq(dv);
-    return 0;
+    return rc;
 }
 
 static void dev_stop(struct dev *dv)
`,
      },
      {
        name: 'near miss: the old check left on success; the failure went on to the error label, as it still does',
        patch: `--- a/lib/libutee/crate.c
+++ b/lib/libutee/crate.c
@@ -20,18 +20,19 @@ TEE_Result crate_create(uint32_t id, TEE_ObjectHandle *object)
 	uint32_t obj = 0;
 
-	if (!object) {
-		res = TEE_ERROR_BAD_PARAMETERS;
-		goto err;
-	}
-
 	res = crate_obj_create(id, &obj);
 	if (res == TEE_SUCCESS) {
-		*object = (TEE_ObjectHandle)(uintptr_t)obj;
-		goto out;
+		if (object)
+			*object = (TEE_ObjectHandle)(uintptr_t)obj;
+		else
+			res = crate_obj_close(obj);
+		if (res == TEE_SUCCESS)
+			goto out;
 	}
 err:
+	if (object)
+		*object = TEE_HANDLE_NULL;
 	if (res == TEE_ERROR_ITEM_NOT_FOUND)
 		return res;
 	TEE_Panic(res);
 out:
 	return TEE_SUCCESS;
`,
      },
      {
        name: 'near miss: the absent case (-FDT_ERR_NOTFOUND: not wired) goes on, every other failure still stops the system',
        patch: `--- a/core/drivers/clk/quux_clk.c
+++ b/core/drivers/clk/quux_clk.c
@@ -480,11 +480,17 @@ static int quux_clk_parse_all_osc(const void *fdt, struct quux_pdata *pdata)
 	for (i = 0; i < NB_OSC; i++) {
 		struct quux_osci *osci = &pdata->osci[i];
 
 		err = quux_parse_osc_fdt(fdt, node, quux_osc_name(i), osci);
-		if (err < 0)
-			panic();
+		if (err) {
+			if (err == -FDT_ERR_NOTFOUND) {
+				/* Not found: the oscillator is not wired */
+				osci->freq = 0;
+			} else {
+				panic();
+			}
+		}
 	}
 
 	return 0;
 }
 
`,
      },
      {
        name: 'near miss: the patch only renames the status variable (cpuid -> cpu) and rewords a message',
        patch: `--- a/xen/drivers/cpufreq/quux.c
+++ b/xen/drivers/cpufreq/quux.c
@@ -459,20 +459,20 @@ static void print_quux(unsigned int limit)
 
 int set_quux_info(uint32_t acpi_id, struct xen_quux_perf *perf)
 {
-    int ret = 0, cpuid;
+    int ret = 0, cpu;
     struct quux_info *info;
 
-    cpuid = get_cpu_id(acpi_id);
-    if ( cpuid < 0 || !perf )
+    cpu = get_cpu_id(acpi_id);
+    if ( cpu < 0 || !perf )
     {
         ret = -EINVAL;
         goto out;
     }
     if ( quux_verbose )
-        printk("Set CPU acpi_id(%d) cpuid(%d) info:\\n",
-               acpi_id, cpuid);
+        printk("Set CPU acpi_id(%d) cpu(%d) info:\\n",
+               acpi_id, cpu);
 
-    info = quux_info[cpuid];
+    info = quux_info[cpu];
     if ( !info )
     {
         info = xzalloc(struct quux_info);
@@ -482,10 +482,10 @@ int set_quux_info(uint32_t acpi_id, struct xen_quux_perf *perf)
             ret = -ENOMEM;
             goto out;
         }
-        quux_info[cpuid] = info;
+        quux_info[cpu] = info;
     }
     info->acpi_id = acpi_id;
-    info->id = cpuid;
+    info->id = cpu;
 
     if ( perf->flags & XEN_QUUX_INIT )
     {
`,
      },
      {
        name: 'near miss: a failure that was returned now stops the system: it does not end in success',
        patch: `--- a/core/drivers/wdog.c
+++ b/core/drivers/wdog.c
@@ -30,10 +30,10 @@ static TEE_Result wdog_setup(struct wdog *w)
 {
 	TEE_Result res = TEE_ERROR_GENERIC;
 
 	res = wdog_set_timeout(w);
 	if (res)
-		return res;
+		panic();
 
 	wdog_kick(w);
 	return TEE_SUCCESS;
 }
`,
      },
      {
        name: 'near miss: one named failure now takes a fallback, every other one is still returned by the else-if',
        patch: `--- a/core/drivers/vreg.c
+++ b/core/drivers/vreg.c
@@ -30,10 +30,12 @@ static TEE_Result vreg_levels(struct vreg *v)
 {
 	TEE_Result res = TEE_ERROR_GENERIC;
 
 	res = vreg_query(v);
-	if (res)
+	if (res == TEE_ERROR_NOT_SUPPORTED)
+		v->levels = v->fallback;
+	else if (res)
 		return res;
 
 	vreg_apply(v);
 	return TEE_SUCCESS;
 }
`,
      },
      {
        name: 'near miss: the test after a kept call only has its bound renamed; the same exit follows it',
        patch: `--- a/xen/arch/x86/ucode.c
+++ b/xen/arch/x86/ucode.c
@@ -126,7 +126,7 @@ static long ucode_update_one(void *arg)
         info->error = error;
 
     info->cpu = cpu_after(info->cpu, &cpu_online_map);
-    if ( info->cpu < NR_UNITS )
+    if ( info->cpu < nr_unit_ids )
         return run_on_unit(info->cpu, ucode_update_one, info);
 
     error = info->error;
`,
      },
      {
        name: 'near miss: the named failure that takes the fallback now went on past the check before the patch too (open end)',
        patch: `--- a/core/drivers/vreg.c
+++ b/core/drivers/vreg.c
@@ -50,18 +50,18 @@ TEE_Result vreg_list_levels(struct vreg *vreg,
 			    struct vreg_desc **desc,
 			    const int **levels)
 {
-	assert(vreg && desc && levels);
+	TEE_Result res = TEE_ERROR_NOT_SUPPORTED;
 
-	if (vreg->ops->list_levels) {
-		TEE_Result res = TEE_ERROR_GENERIC;
+	assert(vreg && desc && levels);
 
+	if (vreg->ops->list_levels)
 		res = vreg->ops->list_levels(vreg, desc,
 					     levels);
-		if (res != TEE_ERROR_NOT_SUPPORTED)
-			return res;
-	} else {
+	if (res == TEE_ERROR_NOT_SUPPORTED) {
 		*desc = &vreg->fallback.desc;
 		*levels = vreg->fallback.levels;
+	} else if (res) {
+		return res;
 	}
 
 	assert((*desc)->count > 0);
`,
      },
      {
        name: 'near miss: the old check left on success (`if ( !ret ) return ret;`), the failure went on below; now one failure means success and every other one is returned',
        patch: `--- a/drivers/power/vreg/vreg-core.c
+++ b/drivers/power/vreg/vreg-core.c
@@ -40,11 +40,14 @@ int vreg_autoconf(struct vdev *dev)
 	plat = vdev_get_plat(dev);
 
 	if (plat->standby_on) {
 		ret = vreg_set_standby_level(dev, plat->standby_uv);
-		if (!ret)
+		if (ret == -EALREADY)
+			ret = 0;
+
+		if (ret)
 			return ret;
 	}
 
 	if (plat->always_on)
 		ret = vreg_set_on(dev, true);
 
`,
      },
      {
        name: 'near miss: the patch maps "not implemented" to success in code (`if ( ret == -ENOSYS ) ret = 0;`); every other failure is still returned',
        patch: `--- a/drivers/power/vreg/vreg-core.c
+++ b/drivers/power/vreg/vreg-core.c
@@ -40,10 +40,13 @@ int vreg_autoconf(struct vdev *dev)
 	plat = vdev_get_plat(dev);
 
 	ret = vreg_set_standby_level(dev, plat->standby_uv);
+	if (ret == -ENOSYS || ret == -EOPNOTSUPP)
+		ret = 0;
+
 	if (ret)
 		return ret;
 
 	if (plat->always_on)
 		ret = vreg_set_on(dev, true);
 
 	return ret;
`,
      },
      {
        name: 'near miss: the commit message says the patch lets the failure go on purpose (the check now only notes it)',
        patch: `From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001
From: A Developer <dev@example.org>
Date: Mon, 1 Jun 2026 10:00:00 +0200
Subject: [PATCH] dev: avoid hard failure when the power rail does not come up

Mark the device degraded and go on, so that the console still starts.
---
 xen/common/dev.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/xen/common/dev.c b/xen/common/dev.c
--- a/xen/common/dev.c
+++ b/xen/common/dev.c
@@ -30,12 +30,12 @@ static int dev_start(struct dev *dv)
 {
     int rc;
 
     rc = dev_power_on(dv);
     if ( rc )
-        return rc;
+        dv->flags |= DEV_DEGRADED;
 
     dev_enable_irq(dv);
     return 0;
 }
 
 static void dev_stop(struct dev *dv)
`,
      },
      {
        name: 'near miss: the check of a kept call is kept word for word; the patch only puts a statement between them',
        patch: `--- a/lib/quux/quux_arch.c
+++ b/lib/quux/quux_arch.c
@@ -40,8 +40,11 @@ size_t quux_max_granule(void)
 uint32_t quux_get_space(const struct quux_ctx *ctx, uint32_t attr)
 {
 	uint32_t space = quux_space_of(attr);
 
+	quux_trace(ctx, attr);
+	NOTICE("space %u\\n", space);
+
 	if (space == QUUX_NS) {
 		return QUUX_ATTR_NS;
 	} else { /* QUUX_SECURE */
 		if (quux_realm_ok(ctx))
`,
      },
      {
        name: 'near miss: a lookup of unknown convention tested for NULL before the patch is still tested for NULL, together with another result',
        patch: `--- a/xen/drivers/blip/blip.c
+++ b/xen/drivers/blip/blip.c
@@ -40,10 +40,10 @@ static int blip_enable(struct blip_info *info)
     struct blip_dev *dev;
     unsigned int pos;
 
     dev = blip_dev_lookup(info->seg, info->bus);
-    if ( !dev )
+    pos = blip_find_cap(info->seg, info->bus, BLIP_CAP_ID);
+    if ( !dev || !pos )
         return -ENODEV;
 
-    pos = blip_find_cap(info->seg, info->bus, BLIP_CAP_ID);
     dev->cap = pos;
     info->dev = dev;
@@ -60,6 +60,6 @@ static int blip_enable(struct blip_info *info)
     blip_write(dev, BLIP_CTRL, 1);
-    blip_wait(dev);
+    blip_wait(dev, BLIP_TIMEOUT);
     info->enabled = 1;
 
     return 0;
 }
`,
      },
    ],
  },
});
