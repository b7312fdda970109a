// Which calls can fail, and why the tool believes so. Every reason is said in a finding's evidence.
// Evidence comes from the patch itself (conversions to a status return, checks the patch adds, keeps in
// its context or removes, bodies, prototypes, hunk headers and function-pointer members it shows, learned
// with the knowledge base's own learner: src/knowledge/patch-learn.ts), then from the project's knowledge.
import type { CModel, FunctionImage } from '../c/types.ts';
import type { Patch } from '../patch/types.ts';
import type { SyntaxNode } from '../c/parser.ts';
import { declaredNames, descendants, errnoReturned, fold, onlyLogs } from './ast.ts';
import { fallibilityKey, nextStatement, peel, resultUse } from './calls.ts';
import { STATUS_RETURN_TYPES, isErrorConstant, isIntegerType, type ApiFact } from './api-data.ts';
import { describeFailure, isFallibleConvention, isUsuallyIgnored, type ApiFact as KnownFact, type Knowledge } from '../knowledge/index.ts';
import { learnFromPatch, statusTypeOf, type Documented, type PatchDeclaration, type PatchKnowledge } from '../knowledge/patch-learn.ts';
import { carriesNoStatus, isBoolType } from '../c/declarator.ts';

export interface FallibleReason {
  kind: 'converted' | 'checked-in-patch' | 'returns-errno' | 'declared' | 'must-check' | 'known-api' | 'documented';
  text: string;
  /** Where the evidence stands, when it is one place. */
  at?: { file: string; line: number };
  /** The evidence is a check on lines the patch removes (what the old code thought of the callee). */
  removed?: boolean;
}

export interface Fallibility {
  /** Why the callee (keyed by `fallibilityKey`) can fail, one reason per kind; evidence at `except` is not used. */
  reasons(callee: string, except?: { file: string; line: number }): FallibleReason[];
  canFail(callee: string): boolean;
  /** The call's success convention when it returns non-zero on success (1/true) and 0 on failure. */
  booleanSuccess(callee: string): ApiFact | undefined;
  /**
   * The callee's failure convention for the simulator (a witness states it): what the patch shows when that
   * says it can fail (its body, its status type, its member declaration), else the project's knowledge.
   */
  convention(callee: string): KnownFact | undefined;
  /**
   * How the code the patch shows (its changed functions and the ones it only shows) handles the pointer the
   * callee returns: the sites that test it for NULL right after the call, and how many dereference it untested.
   */
  nullTests(callee: string): NullTests;
  /**
   * The patch shows the callee's whole definition and every `return` in it hands back an address (`&a[i]`, or a
   * variable last set to one just before): it never returns NULL, whatever a body-wide scan of it said. Where.
   */
  neverNull(callee: string): { file: string; line: number } | undefined;
  /**
   * What the comment right above the callee's head, shown by the patch, says it returns on failure ("NULL
   * otherwise", "-ENOMEM if ..."), unless a body the patch shows whole says it never fails or the project's own
   * callers mostly drop or use its result untested.
   */
  documented(callee: string): Documented | undefined;
}

/** `&x`, `&a[i]`, `&p->f`, through parentheses and casts. */
function isAddress(e: SyntaxNode | null): boolean {
  while (e && (e.type === 'parenthesized_expression' || e.type === 'cast_expression')) e = e.type === 'cast_expression' ? e.childForFieldName('value') : e.namedChild(0);
  return e?.type === 'pointer_expression' && e.childForFieldName('operator')?.text === '&';
}

/** Every return of a whole definition hands back an address (see Fallibility.neverNull). */
function returnsOnlyAddresses(image: FunctionImage): boolean {
  if (image.isFragment || image.startsInside || image.gaps.length > 0 || !image.health.clean) return false;
  const returns = [...descendants(image.node, 'return_statement')];
  if (returns.length === 0) return false;
  return returns.every((ret) => {
    const value = ret.namedChild(0);
    if (isAddress(value)) return true;
    // `table + i`: an element of a file-scope array (a name the function neither declares nor takes)
    if (value?.type === 'binary_expression' && value.childForFieldName('operator')?.text === '+') {
      const base = value.childForFieldName('left');
      const locals = new Set([...image.params.map((p) => p.name), ...[...descendants(image.node, 'declaration')].flatMap((d) => declaredNames(d).map((x) => x.name))]);
      if (base?.type === 'identifier' && !locals.has(base.text) && !/^[A-Z][A-Z0-9_]*$/.test(base.text)) return true;
    }
    if (value?.type !== 'identifier') return false;
    // `v = &...;` as the statement right before the return, in the same block
    let prev = ret.previousNamedSibling;
    while (prev && prev.type === 'comment') prev = prev.previousNamedSibling;
    const assign = prev?.type === 'expression_statement' ? prev.namedChild(0) : null;
    return assign?.type === 'assignment_expression' && assign.childForFieldName('operator')?.text === '='
      && assign.childForFieldName('left')?.text === value.text && isAddress(assign.childForFieldName('right'));
  });
}

export interface NullTests {
  tested: { file: string; line: number }[];
  untested: { file: string; line: number }[];
}

/** `*p` of a plain variable: the object an output parameter points to. */
const isDerefOf = (n: SyntaxNode): boolean =>
  n.type === 'pointer_expression' && n.childForFieldName('operator')?.text === '*' && n.childForFieldName('argument')?.type === 'identifier';

/** `cond` tests `name` against NULL: `!p`, `p`, `p == NULL`, `NULL != p`, as a whole or an operand of `&&`/`||`. */
export function testsForNull(cond: SyntaxNode | null, name: string): boolean {
  let e = cond;
  while (e && (e.type === 'parenthesized_expression' || e.type === 'cast_expression')) e = e.type === 'cast_expression' ? e.childForFieldName('value') : e.namedChild(0);
  if (!e) return false;
  if (e.type === 'identifier' || isDerefOf(e)) return fold(e.text) === name;
  if (e.type === 'unary_expression' && e.childForFieldName('operator')?.text === '!') return testsForNull(e.childForFieldName('argument'), name);
  if (e.type !== 'binary_expression') return false;
  const op = e.childForFieldName('operator')?.text ?? '';
  const l = e.childForFieldName('left');
  const r = e.childForFieldName('right');
  if (op === '&&' || op === '||') return testsForNull(l, name) || testsForNull(r, name);
  if (op !== '==' && op !== '!=') return false;
  const isNull = (n: SyntaxNode | null): boolean => /^\(?\s*(NULL|0)\s*\)?$/.test(n?.text ?? '');
  const is = (n: SyntaxNode | null): boolean => !!n && (n.type === 'identifier' || isDerefOf(n)) && fold(n.text) === name;
  return (is(l) && isNull(r)) || (is(r) && isNull(l));
}

/** Whether `stmt` reads through `name` (`name->f`, `*name`, `name[i]`) outside a test of it. */
function dereferences(stmt: SyntaxNode, name: string): boolean {
  for (const id of descendants(stmt, 'identifier')) {
    if (id.text !== name) continue;
    const p = id.parent;
    if (!p) continue;
    if (p.type === 'field_expression' && p.childForFieldName('argument')?.id === id.id && p.childForFieldName('operator')?.text === '->') return true;
    if (p.type === 'pointer_expression' && p.childForFieldName('operator')?.text === '*') return true;
    if (p.type === 'subscript_expression' && p.childForFieldName('argument')?.id === id.id) return true;
  }
  return false;
}

/** How one call site handles the pointer it gets: tests it for NULL next, dereferences it untested next, or neither. */
function pointerSite(call: SyntaxNode): 'tested' | 'untested' | undefined {
  let top = call;
  while (top.parent && (top.parent.type === 'parenthesized_expression' || top.parent.type === 'cast_expression')) top = top.parent;
  const p = top.parent;
  if (!p) return undefined;
  // `if ( !f(..) )`, `if ( f(..) == NULL )`
  if (p.type === 'unary_expression' && p.childForFieldName('operator')?.text === '!') return 'tested';
  if (p.type === 'binary_expression' && ['==', '!='].includes(p.childForFieldName('operator')?.text ?? '')) {
    const other = p.childForFieldName('left')?.id === top.id ? p.childForFieldName('right') : p.childForFieldName('left');
    return /^(NULL|0)$/.test(other?.text ?? '') ? 'tested' : undefined;
  }
  if (p.type === 'field_expression' && p.childForFieldName('operator')?.text === '->') return 'untested';
  // `v = f(..);`, `v = (T *)f(..);`, `T *v = f(..);`
  let target: SyntaxNode | null = null;
  let statement: SyntaxNode | null = null;
  if (p.type === 'assignment_expression' && p.childForFieldName('operator')?.text === '=' && p.childForFieldName('right')?.id === top.id) {
    target = p.childForFieldName('left');
    statement = p.parent?.type === 'expression_statement' ? p.parent : null;
    // `if ( (v = f(..)) == NULL )`, `if ( !(v = f(..)) )`
    if (!statement && target?.type === 'identifier') {
      let up: SyntaxNode = p;
      while (up.parent?.type === 'parenthesized_expression') up = up.parent;
      const test = up.parent;
      if (test?.type === 'unary_expression' && test.childForFieldName('operator')?.text === '!') return 'tested';
      if (test?.type === 'binary_expression' && ['==', '!='].includes(test.childForFieldName('operator')?.text ?? '')) {
        const other = test.childForFieldName('left')?.id === up.id ? test.childForFieldName('right') : test.childForFieldName('left');
        return /^(NULL|0)$/.test(other?.text ?? '') ? 'tested' : undefined;
      }
    }
  } else if (p.type === 'init_declarator' && p.childForFieldName('value')?.id === top.id) {
    target = p.childForFieldName('declarator');
    while (target?.type === 'pointer_declarator') target = target.childForFieldName('declarator');
    statement = p.parent?.type === 'declaration' ? p.parent : null;
  }
  // `*out = f(..); if ( !*out )`: a result stored through an output parameter and tested there (tested only: a
  // dereference of the stored pointer reads as `**out`, which this does not follow).
  if (target && statement && isDerefOf(target)) {
    const name = fold(target.text);
    const after = nextStatement(statement);
    const test = after && /^(if|while)_statement$/.test(after.type) ? after.childForFieldName('condition') : null;
    return test && testsForNull(test, name) ? 'tested' : undefined;
  }
  if (!target || !statement || target.type !== 'identifier') return undefined;
  const variable = target.text;
  // The first statement that names the value decides (`T *p = f(..); int rc = 0;` then `if ( !p )`), a few at most.
  let next = nextStatement(statement);
  for (let skipped = 0; next && skipped < 3 && (next.type === 'declaration' || next.type === 'expression_statement')
    && ![...descendants(next, 'identifier')].some((id) => id.text === variable); skipped++) next = nextStatement(next);
  if (!next) return undefined;
  const cond = /^(if|while)_statement$/.test(next.type) ? next.childForFieldName('condition') : null;
  if (cond && testsForNull(cond, variable)) return 'tested';
  // `p = f(..); if ( n > 0 ) p->x = n;`: a condition that does not name the value guards a branch that reads
  // through it untested, the same use before a test that the rule reports (U-Boot fc054d563bfb's getter); a branch
  // that tests it first is neither.
  if (cond && next.type === 'if_statement' && ![...descendants(cond, 'identifier')].some((id) => id.text === variable)) {
    const testsIt = [...descendants(next, new Set(['if_statement', 'while_statement']))].some((s) => testsForNull(s.childForFieldName('condition'), variable));
    return !testsIt && dereferences(next, variable) ? 'untested' : undefined;
  }
  return dereferences(cond ?? next, variable) ? 'untested' : undefined;
}

/** The result reaches a real check or the caller: `return f();`, `if ( f() )` with a branch that does more
 * than print, or `v = f();` followed by an `if` that tests v itself (a mere mention of v is not a check). */
function isPropagatedOrChecked(call: SyntaxNode): boolean {
  const use = resultUse(call);
  switch (use.kind) {
    case 'returned':
      return true;
    case 'tested':
      // A loop's condition (`do { .. } while ( gang_lookup(..) );`) iterates on a count or a predicate: not a failure check.
      if (use.statement && /^(?:while|do|for)_statement$/.test(use.statement.type)) return false;
      return use.statement?.type !== 'if_statement' || !onlyLogs(use.statement.childForFieldName('consequence'));
    case 'assigned':
      return !!use.checkedBy && !(use.checkedBy.type === 'if_statement' && onlyLogs(use.checkedBy.childForFieldName('consequence')));
    default:
      return false;
  }
}

/**
 * `return f(..);` hands on a value, not a status, when the function's own type cannot carry a failure (char, bool,
 * an unsigned count or address) or the value is converted on the way (`return (int)f(..);`): a wrapper of an
 * operation multiplexer (`char readc(void) { return do_op(OP_READC, 0); }`) says nothing about how f fails.
 */
function forwardsValue(call: SyntaxNode, returnType: string | undefined): boolean {
  if (resultUse(call).kind !== 'returned') return false;
  let n: SyntaxNode | null = call.parent;
  while (n?.type === 'parenthesized_expression') n = n.parent;
  if (n?.type === 'cast_expression') return true;
  return carriesNoStatus(returnType);
}

/**
 * `return f(..);` in a void function: a tail call of a void callee (C allows returning a void expression), which
 * forwards nothing. Removing it (`return f(..);` becomes `f(..); g(..); return;`) drops no result.
 */
function voidTail(call: SyntaxNode, returnType: string | undefined): boolean {
  return resultUse(call).kind === 'returned' && (returnType ?? '').replace(/\b(?:static|inline|__init|__maybe_unused)\b/g, '').trim() === 'void';
}

/**
 * A check in code the patch does not change (context lines) counts only when its branch hands a failure on:
 * `goto` an exit, return the tested variable, an errno or an error constant, or a negative number. A test whose
 * branch does something ordinary (`if ( test_and_set_bit(..) ) return;`) is a predicate, not a failure check.
 */
function propagatesFailure(call: SyntaxNode): boolean {
  const use = resultUse(call);
  const branch = use.kind === 'tested' && use.statement?.type === 'if_statement' ? use.statement.childForFieldName('consequence')
    : use.kind === 'assigned' && use.checkedBy?.type === 'if_statement' ? use.checkedBy.childForFieldName('consequence') : null;
  if (!branch) return false;
  const variable = use.kind === 'assigned' ? use.variable : undefined;
  if (branch.type === 'goto_statement' || [...descendants(branch, 'goto_statement')].length > 0) return true;
  for (const ret of branch.type === 'return_statement' ? [branch] : descendants(branch, 'return_statement')) {
    const value = fold(ret.namedChild(0)?.text ?? '').replace(/^\((.*)\)$/, '$1');
    if (value === '') continue;
    if ((variable && value === variable) || errnoReturned(ret) || isErrorConstant(value) || /^-\s*\d+$/.test(value)) return true;
  }
  return false;
}

/** Where a declaration stands, in words. */
function where(d: PatchDeclaration): string {
  switch (d.kind) {
    case 'section-header':
      return `in the header of the hunk at ${d.file}:${d.line}`;
    case 'member':
      return `as a function-pointer member at ${d.file}:${d.line}`;
    case 'parameter':
      return `as a function-pointer parameter at ${d.file}:${d.line}`;
    case 'prototype':
      return `at ${d.file}:${d.line}`;
    default:
      return `where this patch defines it, ${d.file}:${d.line}`;
  }
}

const isPointerMember = (d: PatchDeclaration): boolean => d.kind === 'member' || d.kind === 'parameter';

/**
 * What the patch's declarations and bodies say about a callee: a body that returns failures (learned), a
 * status return type, __must_check, or a function-pointer member/parameter declared to return a signed integer
 * status whose implementations in the patch (if any) do not return computed values.
 */
function patchReasons(callee: string, learned: PatchKnowledge): { reasons: FallibleReason[]; fact?: KnownFact } {
  const reasons: FallibleReason[] = [];
  const decl = learned.declaration(callee);
  const doc = learned.documented(callee);
  if (doc?.convention === 'errno' && !(decl?.complete && learned.fact(callee)?.convention === 'value')) {
    reasons.push({ kind: 'documented', text: `the comment above ${callee}() (${doc.file}:${doc.line}) says it returns an error: "${doc.quote}"` });
  }
  // A pointer body that can return NULL is no evidence that dropping its result drops an error: NULL is as often
  // a default (`void *old = NULL; ... return old;` in a swap) as a failure. ERR_PTR() is.
  const learnedFact = learned.fact(callee);
  const fact = learnedFact?.convention === 'null' ? undefined : learnedFact;
  if (fact && isFallibleConvention(fact.convention)) {
    // the learner's source already says what the body returns ("returns -ENOMEM, f.c:12"); say it once
    const said = /^returns\b/.test(fact.source) ? fact.source : `${describeFailure(fact)}: ${fact.source}`;
    reasons.push({ kind: 'returns-errno', text: `${callee}() ${said} (shown in this patch)` });
  }
  const documentedFact = (): { fact?: KnownFact } => {
    if (doc?.convention !== 'errno' || reasons.every((r) => r.kind !== 'documented')) return {};
    const codes = doc.quote.match(/-E[A-Z0-9]{2,}\b|\bTEE_ERROR_[A-Z0-9_]+/g);
    return { fact: { name: callee, returnType: doc.returnType, convention: 'errno', ...(codes ? { failValues: [...new Set(codes)] } : {}), source: `documented at ${doc.file}:${doc.line}: "${doc.quote}"` } };
  };
  if (!decl) return { reasons, ...(fact && isFallibleConvention(fact.convention) ? { fact } : documentedFact()) };
  if (decl.mustCheck) {
    reasons.push({ kind: 'must-check', text: `${callee}() is declared __must_check ${where(decl)}` });
  }
  const status = statusTypeOf(decl.returnType);
  const bodySays = !!fact && isFallibleConvention(fact.convention);
  if (status) {
    // the body already says how it fails; the type adds nothing a reader needs
    if (bodySays) return { reasons, fact };
    // a whole body in the patch that only ever returns success cannot fail, whatever its type says
    if (decl.complete && fact?.convention === 'value') return { reasons };
    reasons.push({ kind: 'declared', text: `${callee}() returns ${decl.returnType} ${where(decl)}, a status code (${status.success} or ${status.failure}; ${status.source})` });
    return { reasons, fact: { name: callee, returnType: decl.returnType, convention: 'errno', failValues: [status.failure], source: `declared ${decl.returnType} ${where(decl)}` } };
  }
  // A hook's int is the interface's contract for every implementation, not one body's choice; an
  // implementation in the patch that returns computed values (a count, an index, 0/1) says it is a value.
  if (isPointerMember(decl) && !decl.computedBy && /^(?:int|long|s32|s64|int32_t|int64_t)$/.test(decl.returnType) && isIntegerType(decl.returnType)) {
    const impl = fact && isFallibleConvention(fact.convention);
    const shape = decl.via ? `\`${decl.via.type} ${decl.name}\` (${decl.via.type} is \`${decl.returnType} (*)(...)\`, ${decl.via.file}:${decl.via.line})` : `\`${decl.returnType} (*${decl.name})(...)\``;
    reasons.push({ kind: 'declared', text: `${callee.replace(/^.*(?:->|\.|:)/, '')} is declared ${shape} ${where(decl)}: its callers receive each implementation's status` });
    if (!impl) return { reasons, fact: { name: callee, returnType: decl.returnType, convention: 'errno', source: `declared ${decl.returnType} ${where(decl)}` } };
  }
  return { reasons, ...(fact && isFallibleConvention(fact.convention) ? { fact } : documentedFact()) };
}

const FLAG_OPERATORS = new Set(['!', '==', '!=', '<', '>', '<=', '>=', '&&', '||']);

/** A 0/1 value computed from a test (`!e`, a comparison, `a && b`), or with `literal` also 0, 1, true, false. */
function isFlagExpression(e: SyntaxNode | null, literal: boolean): boolean {
  const n = peel(e);
  if (!n) return false;
  if (n.type === 'unary_expression' || n.type === 'binary_expression') return FLAG_OPERATORS.has(n.childForFieldName('operator')?.text ?? '');
  return literal && /^(?:0|1|true|false)$/.test(n.text);
}

/**
 * Functions the patch converts from void to a value type whose every value return is a flag computed from a test:
 * `return !x;`, `return a == b;`, or `return v;` of a variable the patch declares in it whose every assignment the
 * patch shows is such a flag (or 0/1), at least one of them computed. The unchanged code the patch does not show
 * was the void function's: it returned no value and could not assign a variable the patch adds to the function.
 * A conversion that returns only literals (`return 1;` on failure) or an errno is not a flag.
 */
function flagConversions(model: CModel, images: { image: FunctionImage; added: Set<number> }[]): Set<string> {
  const out = new Set<string>();
  const voided = new Set(model.signatureChanges.filter((c) => c.from.trim() === 'void' && c.to.trim() !== 'void').map((c) => c.name));
  for (const { image, added } of images) {
    if (image.side !== 'post' || !voided.has(image.name)) continue;
    const addedVars = new Map<string, SyntaxNode[]>();
    for (const decl of descendants(image.node, 'declaration')) {
      if (!added.has(image.lineMap[decl.startPosition.row] ?? 0)) continue;
      for (const d of declaredNames(decl)) addedVars.set(d.name, d.init ? [d.init] : []);
    }
    for (const a of descendants(image.node, 'assignment_expression')) {
      const left = a.childForFieldName('left');
      const values = left?.type === 'identifier' ? addedVars.get(left.text) : undefined;
      if (values) values.push(a.childForFieldName('operator')?.text === '=' ? a.childForFieldName('right')! : a);
    }
    let computed = false;
    const returns = [...descendants(image.node, 'return_statement')].map((r) => r.namedChildren.find((c) => c.type !== 'comment') ?? null);
    const isFlag = returns.length > 0 && returns.every((v) => {
      if (!v) return true;
      const n = peel(v);
      const values = n?.type === 'identifier' ? addedVars.get(n.text) : undefined;
      const exprs = values ?? [v];
      if (exprs.length === 0 || !exprs.every((e) => isFlagExpression(e, true))) return false;
      if (exprs.some((e) => isFlagExpression(e, false))) computed = true;
      return true;
    });
    if (isFlag && computed && returns.some((v) => v)) out.add(image.name);
  }
  return out;
}

/** What the patch teaches; a text the learner cannot read teaches nothing rather than failing every rule that asks. */
function learnSafely(patch: Patch | undefined, knowledge: Knowledge | undefined): PatchKnowledge {
  try {
    return learnFromPatch(patch?.files ?? [], knowledge ? (n) => knowledge.lookup(n) : undefined);
  } catch {
    return { fact: () => undefined, declaration: () => undefined, documented: () => undefined };
  }
}

export function buildFallibility(
  model: CModel,
  images: { image: FunctionImage; added: Set<number>; removed?: Set<number>; file: string }[],
  /**
   * The project's knowledge base (src/knowledge): its config, tree, saved kb and the built-in API data, scoped to
   * the patch's project by the engine (mined facts answer only for their own project's patches).
   */
  knowledge?: Knowledge,
  /** The patch: its every hunk (headers, context, other files) is evidence too. */
  patch?: Patch,
): Fallibility {
  const table = new Map<string, FallibleReason[]>();
  // A function the patch converts from void to return a computed flag (`int ret = !p->virt; ... return ret;`): its
  // new value says what happened, never a failure, so neither the conversion nor a caller forwarding or testing it
  // is evidence that it can fail (the body the patch shows outweighs how it is used).
  const flags = flagConversions(model, images);
  const add = (name: string, reason: FallibleReason): void => {
    if (flags.has(name) && (reason.kind === 'converted' || reason.kind === 'checked-in-patch')) return;
    // An all-caps function-like macro (`FIELD_GET(MASK, reg)`, `MT_PAS(attr)`) computes a value: a test of that value
    // (`== STATE_ON`, `== CNF_DT_UNKNOWN`) asks what it is, not whether something failed.
    if (reason.kind === 'checked-in-patch' && /^[A-Z][A-Z0-9_]*$/.test(name)) return;
    // The knowledge says it returns a value, not a status (strcmp()'s ordering, a register read): a test of it that
    // leads to an error (`if ( strcmp(opt, "") ) return -EINVAL;`) asks what the value is, not whether it failed.
    if (reason.kind === 'checked-in-patch' && knowledge?.lookup(name)?.convention === 'value') return;
    table.set(name, [...(table.get(name) ?? []), reason]);
  };
  for (const change of model.signatureChanges) {
    if (change.from.trim() === 'void' && change.to.trim() !== 'void') {
      add(change.name, {
        kind: 'converted',
        text: `${change.name}() returns ${change.to} since this patch (it was void), ${change.file}:${change.line}`,
      });
    }
  }
  // A function the patch moves to another file and converts from void on the way: its void definition removed from
  // one file, a definition returning a value added in another (a change in place is a signature change above).
  const converted = new Set(model.signatureChanges.map((c) => c.name));
  const headed = (i: FunctionImage | undefined): i is FunctionImage => !!i && i.returnTypeFrom === 'declarator' && !i.startsInside;
  const removedVoid = new Map<string, string>();
  for (const f of model.files) for (const fn of f.functions) if (!fn.post && headed(fn.pre) && fn.pre.returnType.trim() === 'void') removedVoid.set(fn.name, f.path);
  for (const f of model.files) {
    for (const fn of f.functions) {
      const from = removedVoid.get(fn.name);
      if (fn.pre || !headed(fn.post) || !from || from === f.path || converted.has(fn.name)) continue;
      const to = fn.post.returnType.trim();
      if (to === 'void' || to === '') continue;
      add(fn.name, {
        kind: 'converted',
        text: `${fn.name}() returns ${to} since this patch, which moves it from ${from} (where it was void) to ${f.path}:${fn.post.lineMap[fn.post.node.startPosition.row] ?? 0}`,
      });
    }
  }
  for (const { image, added, removed, file } of images) {
    if (image.side === 'pre') {
      // A check the patch deletes is evidence too: the old code thought the call could fail (kb).
      for (const call of descendants(image.node, 'call_expression')) {
        const line = image.lineMap[call.startPosition.row] ?? 0;
        if (!removed?.has(line) || !isPropagatedOrChecked(call) || voidTail(call, image.returnType)) continue;
        // `return f(..);` handing a value or a pointer on (`return map_addr(0, 0);` in a `void *` function) did not
        // check f(): the caller had it, and the patch keeping the call without a return says nothing of its failure.
        if (forwardsValue(call, image.returnType) || (resultUse(call).kind === 'returned' && (image.returnType ?? '').includes('*'))) continue;
        const name = fallibilityKey(call);
        add(name, { kind: 'checked-in-patch', text: `the code this patch removes checked the result of ${name}() (old ${file}:${line})`, removed: true });
      }
      continue;
    }
    if (image.side !== 'post') continue;
    for (const call of descendants(image.node, 'call_expression')) {
      const line = image.lineMap[call.startPosition.row] ?? 0;
      if (line === 0) continue;
      const isAdded = added.has(line);
      // The patch's own check, or one the code around it keeps (context) that hands a failure on.
      if (isAdded ? !isPropagatedOrChecked(call) : !propagatesFailure(call)) continue;
      if (forwardsValue(call, image.returnType) || voidTail(call, image.returnType)) continue;
      const name = fallibilityKey(call);
      add(name, {
        kind: 'checked-in-patch',
        text: isAdded ? `this patch checks the result of ${name}() at ${file}:${line}` : `the result of ${name}() is checked and passed on at ${file}:${line}`,
        at: { file, line },
      });
    }
    if (image.returnType && image.returnType !== 'void') {
      for (const ret of descendants(image.node, 'return_statement')) {
        if (errnoReturned(ret)) {
          add(image.name, {
            kind: 'returns-errno',
            text: `${image.name}() returns ${fold(ret.namedChild(0)!.text)} at ${file}:${image.lineMap[ret.startPosition.row]}`,
          });
          break;
        }
      }
    }
  }
  // Functions the patch shows but does not change: how their code checks a callee is evidence too.
  for (const file of model.files) {
    for (const image of file.contextImages ?? []) {
      for (const call of descendants(image.node, 'call_expression')) {
        const line = image.lineMap[call.startPosition.row] ?? 0;
        if (line === 0 || !propagatesFailure(call)) continue;
        const name = fallibilityKey(call);
        add(name, { kind: 'checked-in-patch', text: `the result of ${name}() is checked and passed on at ${file.path}:${line}`, at: { file: file.path, line } });
      }
    }
  }
  // Tree mode: one declarations lookup per name and patch (a lookup may scan the tree's files).
  const decls = new Map<string, ReturnType<NonNullable<CModel['declarations']>['lookup']>>();
  const declared = (name: string): ReturnType<NonNullable<CModel['declarations']>['lookup']> => {
    if (!decls.has(name)) decls.set(name, model.declarations?.lookup(name));
    return decls.get(name);
  };
  // Everything the patch shows, learned once per patch with the project's knowledge for what it calls.
  let learned: PatchKnowledge | undefined;
  const fromPatch = new Map<string, ReturnType<typeof patchReasons>>();
  const shown = (callee: string): ReturnType<typeof patchReasons> => {
    let r = fromPatch.get(callee);
    if (!r) {
      learned ??= learnSafely(patch, knowledge);
      r = patchReasons(callee, learned);
      // The project's own callers mostly drop it (best-effort calls): the patch's evidence does not overrule that.
      const fact = knowledge?.lookup(callee);
      if (fact && isUsuallyIgnored(fact)) r = { reasons: [] };
      else if (authorsQuietStatus(callee, r, learned)) r = { reasons: [] };
      fromPatch.set(callee, r);
    }
    return r;
  };
  /**
   * The patch writes the head of a status-typed function (defines or renames it) and shows only part of its body,
   * with no failure among what it shows, and every call of it the patch shows drops the result: its type is the
   * only evidence, and the author, who knows the body, treats it as not failing everywhere (a renamed init routine
   * whose returns are all TEE_SUCCESS). The type alone does not outweigh the author's every call (issue 8).
   */
  const authorsQuietStatus = (callee: string, r: ReturnType<typeof patchReasons>, known: PatchKnowledge): boolean => {
    if (r.reasons.length === 0 || r.reasons.some((x) => x.kind !== 'declared')) return false;
    const decl = known.declaration(callee);
    if (!decl || decl.kind !== 'definition' || decl.complete) return false;
    const fact = known.fact(callee);
    if (fact && isFallibleConvention(fact.convention)) return false;
    const headWritten = images.some((i) => i.image.side === 'post' && i.file === decl.file && i.image.name === callee && i.added.has(decl.line));
    if (!headWritten) return false;
    const calls = shownImages.flatMap(({ image }) =>
      [...descendants(image.node, 'call_expression')].filter((c) => (image.lineMap[c.startPosition.row] ?? 0) > 0 && fallibilityKey(c) === callee),
    );
    return calls.length > 0 && calls.every((c) => resultUse(c).kind === 'dropped');
  };
  const declaredVoid = (callee: string): boolean => {
    learned ??= learnSafely(patch, knowledge);
    const decl = learned.declaration(callee) ?? (/^[A-Za-z_]\w*$/.test(callee) ? learned.declaration(`->${callee}`) : undefined);
    // `static void init_or_livepatch f(..)`: an attribute macro between the type and the name is still void.
    const type = decl?.returnType ?? '';
    return type === 'void' || (!type.includes('*') && /(?:^|\s)void(?:\s|$)/.test(type));
  };
  // The post images the patch shows (changed and context-only), for how its own code handles a callee's pointer.
  const shownImages = [
    ...images.filter((i) => i.image.side === 'post').map((i) => ({ image: i.image, file: i.file })),
    ...model.files.flatMap((f) => (f.contextImages ?? []).map((image) => ({ image, file: f.path }))),
  ];
  // An iterator whose only failure is its callback's (ApiFact.failsThrough): when every call of it the patch shows
  // hands it a function the patch shows whole and returning success only, the call cannot fail.
  const quietIterators = new Map<string, string | undefined>();
  const quietCallback = (callee: string): string | undefined => {
    if (quietIterators.has(callee)) return quietIterators.get(callee);
    let quiet: string | undefined;
    if (knowledge?.lookup(callee)?.failsThrough === 'callback') {
      const known = (learned ??= learnSafely(patch, knowledge));
      const neverFails = (arg: SyntaxNode): string | undefined => {
        const name = arg.type === 'pointer_expression' ? arg.namedChild(0)?.text : arg.text;
        if (!name || !/^[A-Za-z_]\w*$/.test(name)) return undefined;
        return known.declaration(name)?.complete && known.fact(name)?.convention === 'value' ? name : undefined;
      };
      const sites = shownImages.flatMap(({ image }) =>
        [...descendants(image.node, 'call_expression')].filter((c) => (image.lineMap[c.startPosition.row] ?? 0) > 0 && fallibilityKey(c) === callee),
      );
      const callbacks = sites.map((c) => (c.childForFieldName('arguments')?.namedChildren ?? []).map(neverFails).find((n) => n !== undefined));
      if (callbacks.length > 0 && callbacks.every((n) => n !== undefined)) quiet = callbacks[0];
    }
    quietIterators.set(callee, quiet);
    return quiet;
  };
  const nullTested = new Map<string, NullTests>();
  let callSites: Map<string, { call: SyntaxNode; file: string; line: number }[]> | undefined;
  return {
    documented(callee) {
      learned ??= learnSafely(patch, knowledge);
      const doc = learned.documented(callee);
      if (!doc) return undefined;
      const fact = knowledge?.lookup(callee);
      if (fact && isUsuallyIgnored(fact)) return undefined;
      if (doc.convention === 'null' && this.neverNull(callee)) return undefined;
      return doc;
    },
    neverNull(callee) {
      for (const { image, file } of shownImages) {
        if (image.name === callee && returnsOnlyAddresses(image)) return { file, line: image.lineMap[image.node.startPosition.row] ?? 0 };
      }
      return undefined;
    },
    nullTests(callee) {
      let r = nullTested.get(callee);
      if (!r) {
        r = { tested: [], untested: [] };
        // One pass over every shown call, keyed by callee, the first time any callee is asked (perf: a scan per
        // callee was quadratic in a large patch's functions). Same order: images in order, calls in document order.
        if (!callSites) {
          callSites = new Map();
          for (const { image, file } of shownImages) {
            for (const call of descendants(image.node, 'call_expression')) {
              const line = image.lineMap[call.startPosition.row] ?? 0;
              if (line === 0) continue;
              const key = fallibilityKey(call);
              let list = callSites.get(key);
              if (!list) callSites.set(key, (list = []));
              list.push({ call, file, line });
            }
          }
        }
        for (const { call, file, line } of callSites.get(callee) ?? []) {
          const site = pointerSite(call);
          if (site) r[site].push({ file, line });
        }
        nullTested.set(callee, r);
      }
      return r;
    },
    reasons(callee, except) {
      if (quietCallback(callee)) return [];
      const own: FallibleReason[] = [];
      const add1 = (r: FallibleReason): void => {
        if (!own.some((o) => o.kind === r.kind)) own.push(r);
      };
      for (const r of table.get(callee) ?? []) {
        const here = except && r.at && r.at.file === except.file && r.at.line === except.line;
        // The old code's checks went with the old type: a callee the patch declares void cannot fail any more.
        if (r.removed && declaredVoid(callee)) continue;
        if (!here) add1(r);
      }
      for (const r of shown(callee).reasons) add1(r);
      const fact = knowledge?.lookup(callee);
      // The project's own callers mostly drop it (cache maintenance, best-effort calls): not evidence (kb).
      // A name the patch declares to return void (a local `void (*f)(..)` pointer, a void definition) is not the
      // fallible function of that name the knowledge base describes.
      if (fact && isFallibleConvention(fact.convention) && !isUsuallyIgnored(fact) && !declaredVoid(callee)) {
        add1({ kind: 'known-api', text: `${callee}() ${describeFailure(fact)}: ${fact.source}` });
      }
      const decl = declared(callee);
      if (!decl) {
        if (fact?.mustCheck) add1({ kind: 'must-check', text: `${callee}() is declared __must_check (${fact.source})` });
        return own;
      }
      if (decl.mustCheck) add1({ kind: 'must-check', text: `${callee}() is declared __must_check at ${decl.file}:${decl.line}` });
      // A declared int is evidence only when the knowledge base has nothing better: it knows snprintf() returns a length.
      else if (STATUS_RETURN_TYPES.includes(decl.returnType.trim()) && (!fact || fact.convention === 'unknown')) {
        add1({ kind: 'declared', text: `${callee}() is declared to return ${decl.returnType} at ${decl.file}:${decl.line}` });
      }
      return own;
    },
    canFail(callee) {
      return this.reasons(callee).length > 0;
    },
    booleanSuccess(callee) {
      const fact = knowledge?.lookup(callee);
      if (fact?.convention !== 'bool-success') return undefined;
      // The patch declares it with another type than the fact's bool (a TEE_Result, an int status): the fact is of
      // another era of the function (OP-TEE's tee_pager_add_uta_area() was bool before it returned TEE_Result).
      learned ??= learnSafely(patch, knowledge);
      const decl = learned.declaration(callee);
      if (decl && decl.returnType && isBoolType(fact.returnType) && !isBoolType(decl.returnType)) return undefined;
      return { name: callee, note: describeFailure(fact), source: fact.source };
    },
    convention(callee) {
      // A pointer the patch's body can return NULL for is evidence for a dropped result, but not a convention the
      // simulator applies to every use: a lookup tested inside a `while ( true )` loop was reported as used
      // untested (OP-TEE sp_mem.c, libfdt's can_assume() tests); those conventions come from the knowledge base only.
      const quiet = quietCallback(callee);
      if (quiet) return { name: callee, convention: 'value', source: `its only failure is its callback's, and ${quiet}() the patch passes it only returns success` };
      const f = shown(callee).fact;
      if (f && f.convention !== 'null' && f.convention !== 'err-ptr') return f;
      return declaredVoid(callee) ? undefined : knowledge?.lookup(callee);
    },
  };
}
