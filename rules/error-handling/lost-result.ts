import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { conditionOf, descendants, fold, isLoop, isMarker, isMarkerStatement } from '../../src/review/ast.ts';
import { STATUS_VARIABLE_NAMES, isErrorConstant, isIntegerType } from '../../src/review/api-data.ts';
import { STATUS_TYPES } from '../../src/knowledge/status-types.ts';
import { calleeName, fallibilityKey, peel, resultUse, testsValue } from '../../src/review/calls.ts';
import { reliedOn } from '../../src/review/judge.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { SEED_THREAD } from './source.ts';

/** Does `name` occur as an identifier in `node`? */
function names(node: SyntaxNode, name: string): boolean {
  for (const id of descendants(node, 'identifier')) if (id.text === name) return true;
  return false;
}

/** Does the patch touch how `variable` is handled: an added line naming it, or a removed one? */
function patchTouches(ctx: FunctionContext, variable: string): boolean {
  const word = new RegExp(`\\b${variable}\\b`);
  for (const s of descendants(ctx.post.node, new Set(['expression_statement', 'declaration', 'return_statement', 'if_statement']))) {
    if (ctx.isAdded(s) && names(s.type === 'if_statement' ? (s.childForFieldName('condition') ?? s) : s, variable)) return true;
  }
  if (!ctx.pre) return false;
  const removed = new Set(ctx.fn.removedLines);
  return ctx.pre.rawLines.some((text, row) => removed.has(ctx.pre!.lineMap[row] ?? 0) && word.test(text));
}

/** The first occurrence of `variable` in `node`, in text order. */
function firstMention(node: SyntaxNode, variable: string): SyntaxNode | null {
  let first: SyntaxNode | null = null;
  for (const id of descendants(node, 'identifier')) if (id.text === variable && (!first || id.startIndex < first.startIndex)) first = id;
  return first;
}

/** Does `cond` compare `variable` with a named negative code (`rc == -EBUSY`)? That is partial-check's shape. */
export function namesErrorCode(cond: SyntaxNode, variable: string): boolean {
  for (const b of descendants(cond, 'binary_expression')) {
    const op = b.childForFieldName('operator')?.text;
    if (op !== '==' && op !== '!=') continue;
    const [l, r] = [peel(b.childForFieldName('left')), peel(b.childForFieldName('right'))];
    const side = (x: SyntaxNode | null, y: SyntaxNode | null): boolean =>
      x?.type === 'identifier' && x.text === variable && !!y && (/^-\s*E[A-Z0-9_]+$/.test(fold(y.text)) || (/^[A-Z]/.test(y.text) && isErrorConstant(y.text)));
    if (side(l, r) || side(r, l)) return true;
  }
  return false;
}

/** Does `cond` test `variable` alone (`rc`, `!rc`, `rc < 0`, `rc != TEE_SUCCESS`, `IS_ERR(p)`), not inside `&&`/`||`? */
function testsAlone(cond: SyntaxNode, variable: string): boolean {
  const e = peel(cond);
  if (!e) return false;
  const op = e.type === 'binary_expression' ? e.childForFieldName('operator')?.text : undefined;
  return op !== '&&' && op !== '||' && testsValue(e, variable);
}

/** `!v && x` / `v == 0 && x` / `v == TEE_SUCCESS && x`: a conjunction with a conjunct that holds only on success. */
function successConjunct(cond: SyntaxNode, variable: string): boolean {
  const e = peel(cond);
  if (!e || e.type !== 'binary_expression' || e.childForFieldName('operator')?.text !== '&&') return false;
  const isZeroTest = (n: SyntaxNode | null): boolean => {
    const x = peel(n);
    if (!x) return false;
    if (x.type === 'binary_expression' && x.childForFieldName('operator')?.text === '&&') return isZeroTest(x.childForFieldName('left')) || isZeroTest(x.childForFieldName('right'));
    if (x.type === 'unary_expression' && x.childForFieldName('operator')?.text === '!') return peel(x.childForFieldName('argument'))?.text === variable;
    if (x.type === 'binary_expression' && x.childForFieldName('operator')?.text === '==') {
      const [l, r] = [peel(x.childForFieldName('left'))?.text, peel(x.childForFieldName('right'))?.text];
      const zero = (t: string | undefined): boolean => t === '0' || STATUS_TYPES.some((st) => st.success === t);
      return (l === variable && zero(r)) || (r === variable && zero(l));
    }
    return false;
  };
  return isZeroTest(e);
}

/** `x`, `!x`, `x == NULL`, `x != NULL` for one of `names`. */
function testsPointer(cond: SyntaxNode | null, names: string[]): boolean {
  const e = peel(cond);
  if (!e) return false;
  const norm = (n: SyntaxNode | null): string => (n ? n.text.replace(/\s+/g, '') : '');
  if (names.includes(norm(e))) return true;
  if (e.type === 'unary_expression' && e.childForFieldName('operator')?.text === '!') return names.includes(norm(peel(e.childForFieldName('argument'))));
  if (e.type === 'binary_expression' && ['==', '!='].includes(e.childForFieldName('operator')?.text ?? '')) {
    const [l, r] = [peel(e.childForFieldName('left')), peel(e.childForFieldName('right'))];
    return (names.includes(norm(l)) && r?.text === 'NULL') || (names.includes(norm(r)) && l?.text === 'NULL');
  }
  return false;
}

/**
 * What the call writes through `&x` arguments, when `x` is not a local integer (a pointer or a member the call
 * fills in): conventionally NULL when the call failed, so testing it is testing the call.
 */
/** The pre-image assigns `variable` from a call with the same key and loses it the same way. */
function lostBefore(ctx: FunctionContext, key: string, variable: string, how: string): boolean {
  if (!ctx.pre) return false;
  for (const call of descendants(ctx.pre.node, 'call_expression')) {
    if (fallibilityKey(call) !== key) continue;
    const use = resultUse(call);
    if (use.kind !== 'assigned' || use.variable !== variable) continue;
    const before = visibleLoss(use.statement, variable, { tests: true });
    // A test on the way that told a failure from a success (`if ( rc != EFI_SUCCESS ) goto out;`) was the pre-image's
    // check: the patch that removes it brings the loss in.
    if (before?.how === how && !before.tests.some((t) => { const c = conditionOf(t); return !c || testsAlone(c, variable) || namesErrorCode(c, variable); })) return true;
  }
  return false;
}

function pointerOutputs(ctx: FunctionContext, call: SyntaxNode): string[] {
  const ints = new Set<string>();
  for (const d of descendants(ctx.post.node, 'declaration')) {
    const type = d.childForFieldName('type')?.text ?? '';
    for (const n of d.childrenForFieldName('declarator')) {
      const name = n.type === 'init_declarator' ? n.childForFieldName('declarator') : n;
      if (name?.type === 'identifier' && isIntegerType(type)) ints.add(name.text);
    }
  }
  const out: string[] = [];
  for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (a.type !== 'pointer_expression' || a.childForFieldName('operator')?.text !== '&') continue;
    const x = a.childForFieldName('argument');
    if (!x || (x.type === 'identifier' && ints.has(x.text))) continue;
    out.push(x.text.replace(/\s+/g, ''));
  }
  return out;
}

/** Is every mention of `variable` in the if statement `s` inside its condition (the branches neither read nor write it)? */
function onlyInCondition(s: SyntaxNode, variable: string): boolean {
  if (s.type !== 'if_statement') return false;
  const cond = s.childForFieldName('condition');
  if (!cond) return false;
  for (const id of descendants(s, 'identifier')) {
    if (id.text !== variable) continue;
    if (id.startIndex < cond.startIndex || id.endIndex > cond.endIndex) return false;
  }
  // An assignment inside the condition (`if ( (rc = g()) )`) is a write, not a test.
  return ![...descendants(cond, 'assignment_expression')].some((a) => a.childForFieldName('left')?.text === variable);
}

export interface VisibleLoss {
  how: 'overwritten' | 'dead' | 'loop';
  /** Conditions on the way that only test the variable (the simulator decides whether they act on a failure). */
  tests: SyntaxNode[];
}

/** `v = x ?: v`: the right side is a GNU conditional without a middle whose other arm is `v` itself. */
function keptUnlessFailing(assignment: SyntaxNode, variable: string): boolean {
  const right = peel(assignment.childForFieldName('right'));
  return right?.type === 'conditional_expression' && !right.childForFieldName('consequence') && peel(right.childForFieldName('alternative'))?.text === variable;
}

/**
 * What the visible code after `stmt` does first with `variable`: overwrites it, returns something else, or
 * loops back to the call, before anything reads it. The walk climbs out of if/else arms and plain blocks (a
 * status set in a nested block and overwritten after it), and goes on past conditional exits that do not name
 * the variable. With `tests`, an if statement that only tests the variable in its condition is passed and
 * recorded. null: it is read first, or the code goes where this does not follow (break, goto, continue, the
 * end of a case, code the patch does not show): the simulator is not asked then.
 */
export function visibleLoss(stmt: SyntaxNode, variable: string, options: { tests?: boolean; outputs?: string[] } = {}): VisibleLoss | null {
  const tests: SyntaxNode[] = [];
  let cur = stmt;
  for (;;) {
    const block = cur.parent;
    if (!block) return null;
    if (block.type === 'if_statement' || block.type === 'else_clause') {
      cur = block.type === 'else_clause' ? block.parent! : block;
      continue;
    }
    if (isLoop(block)) return { how: 'loop', tests };
    if (block.type !== 'compound_statement' && block.type !== 'case_statement') return null;
    const list = block.namedChildren.filter((c) => c.type !== 'comment');
    for (const s of list.slice(list.findIndex((c) => c.id === cur.id) + 1)) {
      // Code the patch does not show may read it.
      if (isMarkerStatement(s) || [...descendants(s, 'call_expression')].some(isMarker)) return null;
      // The pointer the call delivered is tested instead (`if ( !p->clk ) goto err;`): that is the call's check.
      if (options.outputs?.length && s.type === 'if_statement' && testsPointer(conditionOf(s), options.outputs)) return null;
      const first = firstMention(s, variable);
      if (first) {
        const parent = first.parent;
        const isWrite = parent?.type === 'assignment_expression' && parent.childForFieldName('left')?.id === first.id && parent.childForFieldName('operator')?.text === '=';
        // `rc = g(..) ?: rc;` (GNU `?:`): rc is replaced only by g()'s failure, a non-zero status; otherwise kept.
        if (isWrite && keptUnlessFailing(parent, variable)) return null;
        if (isWrite) return { how: 'overwritten', tests };
        if (options.tests && onlyInCondition(s, variable)) {
          tests.push(s);
          continue;
        }
        return null;
      }
      if (s.type === 'return_statement') return { how: 'dead', tests };
      if (s.type === 'break_statement' || s.type === 'continue_statement' || s.type === 'goto_statement') return null;
    }
    // The end of a case falls into the next one; the end of the body leaves the function.
    if (block.type === 'case_statement' || !block.parent || block.parent.type === 'function_definition') return null;
    cur = block;
  }
}

/**
 * Is `variable` the function's status: named like one, returned somewhere (`return rc;`), or tested right
 * after another call's result is stored in it (the function itself treats what it holds as a status)?
 */
function isStatusVariable(ctx: FunctionContext, variable: string, except: SyntaxNode): boolean {
  if (STATUS_VARIABLE_NAMES.includes(variable)) return true;
  for (const ret of descendants(ctx.post.node, 'return_statement')) {
    const value = peel(ret.namedChild(0));
    if (value?.type === 'identifier' && value.text === variable) return true;
  }
  return statusTestedAfter(ctx, variable, except) !== undefined;
}

/**
 * Another call whose result the function stores in `variable` and compares right away with a named code
 * (`if ( v != CRYPT_OK )`): the function treats what the variable holds as a status. A plain truth test of a
 * value read (`if ( tmp )`) is not such a sign.
 */
function statusTestedAfter(ctx: FunctionContext, variable: string, except: SyntaxNode): SyntaxNode | undefined {
  for (const call of descendants(ctx.post.node, 'call_expression')) {
    if (call.id === except.id) continue;
    const use = resultUse(call);
    if (use.kind !== 'assigned' || use.variable !== variable || !use.checkedBy) continue;
    const cond = peel(conditionOf(use.checkedBy));
    if (cond?.type !== 'binary_expression' || !['==', '!='].includes(cond.childForFieldName('operator')?.text ?? '')) continue;
    const [l, r] = [peel(cond.childForFieldName('left')), peel(cond.childForFieldName('right'))];
    const other = l?.text === variable ? r : r?.text === variable ? l : null;
    if (other?.type === 'identifier' && /^[A-Z][A-Z0-9_]*$/.test(other.text) && other.text !== 'NULL') return use.statement;
  }
  return undefined;
}

/** The innermost loop around `node` inside the function, if any. */
function enclosingLoop(node: SyntaxNode): SyntaxNode | null {
  for (let n = node.parent; n && n.type !== 'function_definition'; n = n.parent) if (isLoop(n)) return n;
  return null;
}

const LOOP_PATCH = `--- a/xen/drivers/passthrough/flush.c
+++ b/xen/drivers/passthrough/flush.c
@@ -20,8 +20,11 @@ int flush_all_units(struct domain *d)
     struct flush_unit *u;
     int rc = 0;
 
     for_each_unit ( u )
-        unit_flush(u);
+    {
+        rc = unit_flush(u);
+        unit_stats(u);
+    }
 
     return rc;
 }
`;

export default defineRule({
  scope: 'function',
  meta: {
    id: 'lost-result',
    pack: 'error-handling',
    family: 'unchecked-error',
    severity: 'warning',
    summary: 'A call\'s status is stored, then overwritten or left unused before anything tests it (or after tests that let a failure pass as a success).',
    source: {
      ...SEED_THREAD,
      quote: 'rc = iommu_iotlb_flush(d, xatp->idx - done, done); if ( !rc ) rc = iommu_iotlb_flush(d, xatp->gpfn - done, done); return rc; ... rv = iommu_hwdom_init(d), otherwise error is not propagated outside.',
    },
    messages: {
      lost:
        '{{callee}}() can fail, but {{function}}() does not test {{variable}} before it is overwritten or the function ends, so the error is lost. Test {{variable}} right after `{{call}}` (or keep the first error: `if ( !{{variable}} ) {{variable}} = ...`).',
      lostAfterTest:
        '{{callee}}() can fail, but {{function}}() only looks at {{variable}} in `{{test}}`, which lets a failure go on as if it had succeeded, and then overwrites or drops {{variable}}, so the error is lost. Handle the failure where it is tested (`if ( {{variable}} ) ...` with an exit), or keep it for the caller.',
      lostInLoop:
        '{{callee}}() can fail, but {{function}}() calls it again on the next iteration before testing {{variable}}, so a later success hides an earlier failure. Stop the loop on the first error, or keep the first error (`if ( !{{variable}} ) {{variable}} = ...`).',
    },
    fixable: false,
    limitations:
      'Considers results kept in a status variable (named like one, returned by the function, or one the function compares with a named code right after storing another call\'s result in it: `!= CRYPT_OK`) of calls known or presumed to fail, where the patch touches that variable, and only when the visible code after the store shows how the result can be lost (an overwrite, a return of something else, the loop coming round again) before any read. The walk climbs out of if/else arms and blocks (a status set in a nested block and overwritten after it) and passes conditional exits that do not name the variable; a break, goto, continue, the end of a case or code the patch does not show on the way is not followed (a known miss). A condition that tests the status only as a conjunct that a failure falsifies (`!rc && x`) is passed in a function returning a status; then the simulator must show a failure going the way of a success up to the loss. Comparisons with success constants the simulator has no value for (`rc != CRYPT_OK && x`) are not proposed. The walk stops where the code tests a pointer the call filled in instead of its status (`if ( !p->clk ) goto err;`: NULL when the call failed, by convention), and a macro call (`ULL(0)`) is not a status unless the knowledge says it fails. A callee that cannot really fail kept in a status-named variable is a false positive unless the knowledge base says it returns a plain value. `rc = g(..) ?: rc;` (GNU `?:`) replaces a failure only with another one and is no loss.',
  },
  detect(ctx) {
    const out = [];
    for (const call of descendants(ctx.post.node, 'call_expression')) {
      if (isMarker(call)) continue;
      const use = resultUse(call);
      if (use.kind !== 'assigned' || !/^[A-Za-z_]\w*$/.test(use.variable)) continue;
      const key = fallibilityKey(call);
      const fallible = ctx.fallibility.reasons(key).length > 0;
      // A macro (`ULL(0)`, `BIT(3)`) computes a constant, not a status.
      if (/^[A-Z][A-Z0-9_]*$/.test(calleeName(call)) && !fallible) continue;
      const testedElsewhere = statusTestedAfter(ctx, use.variable, call);
      if (!fallible && !STATUS_VARIABLE_NAMES.includes(use.variable) && !testedElsewhere) continue;
      if (!isStatusVariable(ctx, use.variable, call)) continue;
      if (!ctx.isAdded(use.statement) && !patchTouches(ctx, use.variable)) continue;
      // The visible code must show how it can be lost; the simulator then decides whether some path does.
      // A void function cannot pass a status on: only an overwrite loses it there.
      const loss = visibleLoss(use.statement, use.variable, { tests: true, outputs: pointerOutputs(ctx, call) });
      if (!loss || (loss.how === 'dead' && ctx.post.returnType === 'void')) continue;
      // The pre-image lost the same callee's result in the same variable the same way (only the arguments changed):
      // not a loss this patch brings in.
      if (lostBefore(ctx, key, use.variable, loss.how)) continue;
      // A test of the value alone (`if ( rc )`, `rc < 0`, `rc != TEE_SUCCESS`) tells a failure from a success; a
      // test for one named code is partial-check's. What is left: the value in a compound condition (`!rc && x`).
      const conds = loss.tests.map((t) => conditionOf(t));
      if (conds.some((c) => !c || testsAlone(c, use.variable) || namesErrorCode(c, use.variable))) continue;
      const tested = conds as SyntaxNode[];
      // Only a test a failure falsifies (`!rc && x`: a failure skips the branch and goes on), in a function
      // that reports a status (a bool or void function may mean "not this time" by a failure).
      if (tested.length && (!tested.every((c) => successConjunct(c, use.variable)) || /^(void|bool|bool_t|_Bool)$/.test(ctx.post.returnType ?? ''))) continue;
      out.push({ node: use.statement, data: { call, key, variable: use.variable, tests: loss.tests, testedElsewhere: fallible ? undefined : testedElsewhere } });
    }
    return out;
  },
  check(candidate, ctx) {
    const { call, key, variable, tests, testedElsewhere } = candidate.data as { call: SyntaxNode; key: string; variable: string; tests: SyntaxNode[]; testedElsewhere?: SyntaxNode };
    const afterTests = tests.length > 0;
    const why = reliedOn(ctx, key, call);
    if (testedElsewhere && why.length === 0) why.push(`${ctx.fn.name}() keeps it in ${variable}, which it tests as a status after \`${fold(testedElsewhere.text)}\` (line ${ctx.lineOf(testedElsewhere)})`);
    return {
      messageId: afterTests ? 'lostAfterTest' : enclosingLoop(call) ? 'lostInLoop' : 'lost',
      data: {
        callee: calleeName(call), function: ctx.fn.name, variable, call: fold(candidate.node.text),
        test: afterTests ? fold(conditionOf(tests[0]!)?.text ?? '') : '',
      },
      question: afterTests ? { kind: 'result-lost', call, afterTests: true } : { kind: 'result-lost', call },
      reliedOn: why,
    };
  },
  cases: {
    flagged: [
      {
        name: 'the patch removes the check between two stores of the status: the first failure is now overwritten',
        patch: `--- a/lib/efi_loader/quux.c
+++ b/lib/efi_loader/quux.c
@@ -40,15 +40,12 @@ static efi_status_t quux_append_version(struct udevice *dev)
 efi_status_t quux_init_log(struct udevice *dev)
 {
 	efi_status_t ret;
 
 	quux_log_pos = quux_elog_position();
 
-	if (!quux_elog_found()) {
+	if (!quux_elog_found())
 		ret = quux_append_version(dev);
-		if (ret != EFI_SUCCESS)
-			goto free_pool;
-	}
 
 	ret = quux_create_final_event();
 	if (ret != EFI_SUCCESS)
 		goto free_pool;
`,
        expect: [{ line: 47, messageId: 'lost', verdict: 'verified' }],
      },
      {
        name: 'a second call overwrites the first one\'s status before anything tests it',
        patch: `--- a/xen/common/memory.c
+++ b/xen/common/memory.c
@@ -30,8 +30,8 @@ static int flush_both(struct domain *d, unsigned long a, unsigned long b)
 {
     int rc;
 
-    iotlb_flush(d, a);
-    iotlb_flush(d, b);
+    rc = iotlb_flush(d, a);
+    rc = iotlb_flush(d, b);
+    return rc;
 
-    return 0;
 }
`,
        expect: [{ line: 33, messageId: 'lost', verdict: 'verified' }],
      },
      {
        name: 'a status stored and never tested, then success returned',
        patch: `--- a/xen/arch/arm/unpack.c
+++ b/xen/arch/arm/unpack.c
@@ -40,7 +40,8 @@ static int unpack_image(struct image *img)
 {
     int rc;
 
     img->dst = img->start;
-    do_unpack(img);
+    rc = do_unpack(img);
+    img->size = img->dst - img->start;
     return 0;
 }
`,
        expect: [{ line: 44, messageId: 'lost', verdict: 'verified' }],
      },
      {
        name: 'a status stored in a loop without a break: the next iteration overwrites a failure',
        patch: LOOP_PATCH,
        expect: [{ line: 25, messageId: 'lostInLoop', verdict: 'verified' }],
      },
      {
        name: 'a status tested only to skip a success action, then overwritten by the next call',
        patch: `--- a/xen/arch/x86/blobs.c
+++ b/xen/arch/x86/blobs.c
@@ -50,7 +50,16 @@ static int load_blobs(struct loader *l, const void *buf, size_t size)
     size_t off = 0;
     int error = 0;
 
-    error = read_table(l, buf, &off);
+    while ( off < size )
+    {
+        error = read_table(l, buf, &off);
+        if ( !error && table_matches(l) )
+            break;
+
+        error = skip_blob(buf, size - off, &off);
+        if ( error )
+            return error;
+    }
 
     return error;
 }
`,
        expect: [{ line: 55, messageId: 'lostAfterTest', verdict: 'verified' }],
      },
      {
        name: 'a status set in a nested block of a switch arm, then overwritten after the block',
        patch: `--- a/xen/arch/x86/ctl.c
+++ b/xen/arch/x86/ctl.c
@@ -70,6 +70,9 @@ long do_ctl(struct ctl *op, struct vcpu *v)
     case CTL_set_mode:
     {
         v->arch.mode = op->mode;
+
+        if ( op->size >= sizeof(*op) )
+            ret = restore_extra(v, op->extra);
     }
 
     ret = 0;
`,
        expect: [{ line: 75, messageId: 'lost', verdict: 'verified' }],
      },
      {
        name: 'a status set in both arms of an if/else; only another output of the call is tested, then the status is overwritten',
        patch: `--- a/core/lib/ecc/decrypt.c
+++ b/core/lib/ecc/decrypt.c
@@ -30,5 +30,19 @@ static TEE_Result check_point(struct key *key, struct point *c1, struct point *s)
 	int inf = 0;
 	int lres = 0;
 
+	if (key->cofactor != 1) {
+		lres = mul_point(key, c1, s);
+		if (lres != ECC_OK)
+			return TEE_ERROR_BAD_STATE;
+		lres = point_at_infinity(s, &inf);
+	} else {
+		lres = point_at_infinity(c1, &inf);
+	}
+	if (inf)
+		return TEE_ERROR_BAD_STATE;
+
+	lres = mul_point(key, c1, s);
+	if (lres != ECC_OK)
+		return TEE_ERROR_BAD_STATE;
 	return TEE_SUCCESS;
 }
`,
        expect: [
          { line: 37, messageId: 'lost', verdict: 'verified' },
          { line: 39, messageId: 'lost', verdict: 'verified' },
        ],
      },
      {
        name: 'a status the patch shows only in use (declared above the hunk, returned below) is set by a new conditional call and overwritten by the next one',
        patch: `--- a/xen/arch/arm/quux.c
+++ b/xen/arch/arm/quux.c
@@ -3145,6 +3145,9 @@ static int __init quux_construct(struct domain *d,
     else
         quux_assign(d, &kinfo, node);
 
+    if ( kinfo.uart )
+        rc = quux_uart_init(d, NULL);
+
     rc = quux_prepare(d, &kinfo);
     if ( rc < 0 )
         return rc;
`,
        expect: [{ line: 3149, messageId: 'lost', verdict: 'verified' }],
      },
    ],
    clean: [
      {
        name: 'near miss: the status was already lost before the patch; the patch only changes the call\'s arguments',
        patch: `--- a/xen/common/probe.c
+++ b/xen/common/probe.c
@@ -20,8 +20,8 @@ int __init probe_all(struct probe_set *ps)
 {
     int ret = 0;
 
-    ret = probe_core_init();
+    ret = probe_core_init(ps->buf, ps->size);
     probe_unmap(ps);
 
     return 0;
 }
`,
      },
      {
        name: 'the pointer the call fills in is tested instead of its status (NULL when it failed), then the status is reused',
        patch: `--- a/core/drivers/firewall/probe.c
+++ b/core/drivers/firewall/probe.c
@@ -40,6 +40,14 @@ static TEE_Result fw_probe(const void *fdt, int node, struct fw *fw)
 {
 	TEE_Result ret = TEE_ERROR_GENERIC;
 
+	ret = clk_get_by_index(fdt, node, 0, &fw->clock);
+	if (!fw->clock)
+		goto err;
+
+	ret = clk_enable(fw->clock);
+	if (ret)
+		goto err;
+
 	return TEE_SUCCESS;
 err:
 	return ret;
`,
      },
      {
        name: 'a status tested to skip a success action and then tested again for failure before the next call',
        patch: `--- a/xen/arch/x86/blobs.c
+++ b/xen/arch/x86/blobs.c
@@ -50,7 +50,18 @@ static int load_blobs(struct loader *l, const void *buf, size_t size)
     size_t off = 0;
     int error = 0;
 
-    error = read_table(l, buf, &off);
+    while ( off < size )
+    {
+        error = read_table(l, buf, &off);
+        if ( !error && table_matches(l) )
+            break;
+        if ( error )
+            return error;
+
+        error = skip_blob(buf, size - off, &off);
+        if ( error )
+            return error;
+    }
 
     return error;
 }
`,
      },
      {
        name: 'near miss: `ret = copy(..) ?: ret;` replaces the status only with the second copy\'s failure: a failure is still what the caller gets',
        patch: `--- a/xen/drivers/acpi/quux.c
+++ b/xen/drivers/acpi/quux.c
@@ -219,15 +219,13 @@ static int get_quux_para(struct xen_sysctl_quux_op *op)
     for_each_cpu(cpu, policy->cpus)
         data[i++] = cpu;
     ret = copy_to_guest(op->u.get_para.affected_cpus,
-                        data, op->u.get_para.cpu_num);
-    if ( ret )
-        goto out;
+                        data, op->u.get_para.cpu_num);
 
     for ( i = 0; i < op->u.get_para.freq_num; i++ )
         data[i] = quux_freq(policy, i);
     ret = copy_to_guest(op->u.get_para.frequencies,
-                        data, op->u.get_para.freq_num);
- out:
+                        data, op->u.get_para.freq_num) ?: ret;
+
     xfree(data);
     if ( ret )
         return ret;
`,
      },
      {
        name: 'the second assignment keeps the first error: it reads the status before overwriting it',
        patch: `--- a/xen/common/memory.c
+++ b/xen/common/memory.c
@@ -30,8 +30,8 @@ static int flush_both(struct domain *d, unsigned long a, unsigned long b)
 {
     int rc;
 
-    iotlb_flush(d, a);
-    iotlb_flush(d, b);
+    rc = iotlb_flush(d, a);
+    rc = rc ? rc : iotlb_flush(d, b);
+    return rc;
 
-    return 0;
 }
`,
        refuted: true,
      },
      {
        name: 'a loop that keeps the first error tests the status before the next call',
        patch: `--- a/xen/drivers/passthrough/flush.c
+++ b/xen/drivers/passthrough/flush.c
@@ -20,8 +20,13 @@ int flush_all_units(struct domain *d)
     struct flush_unit *u;
     int rc = 0;
 
     for_each_unit ( u )
-        unit_flush(u);
+    {
+        int ret = unit_flush(u);
+
+        if ( ret && !rc )
+            rc = ret;
+    }
 
     return rc;
 }
`,
      },
      {
        name: 'near miss: a status-named variable the fragment neither declares nor returns may be a global the next call reads',
        refuted: true,
        patch: `--- a/xen/arch/arm/quux.c
+++ b/xen/arch/arm/quux.c
@@ -3145,6 +3145,9 @@ static int __init quux_construct(struct domain *d,
     else
         quux_assign(d, &kinfo, node);
 
+    if ( kinfo.uart )
+        rc = quux_uart_init(d, NULL);
+
     rc = quux_prepare(d, &kinfo);
     if ( rc < 0 )
         return -EINVAL;
`,
      },
    ],
  },
});
