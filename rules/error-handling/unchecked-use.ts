import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { descendants, fold, isMarker, squash } from '../../src/review/ast.ts';
import { argumentsOf, calleeName, fallibilityKey, resultUse } from '../../src/review/calls.ts';
import { dereferencesArgument, DEREFERENCING_CALLS, DEREFERENCING_CALLS_SOURCE } from '../../src/review/api-data.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { isLogCall, modelFor } from '../../src/sim/index.ts';
import { describeFailure, isUsuallyIgnored, isUsuallyUsedUntested, type ApiFact } from '../../src/knowledge/index.ts';
import { isMined } from '../../src/knowledge/mined.ts';
import { SEED_THREAD } from './source.ts';

type Sink = 'deref' | 'arith' | 'argument';

interface Use {
  node: SyntaxNode;
  sink: Sink;
  /** A node that tests the value between the call and the use, if any. */
  testedBy?: SyntaxNode;
  /** argument sinks: the callee the pointer is handed to. */
  to?: string;
  /** A callee the patch defines, which dereferences the parameter first thing: where. */
  through?: { param: string; file: string; line: number };
  /** deref sinks: the value was dereferenced before, inside a branch of its own test; this use stands after that test. */
  afterGuard?: SyntaxNode;
}

/**
 * A function this patch shows whole from its opening brace, whose first mention of its parameter `index` reads
 * through it (`p->x`, `*p`, `p[i]`) before anything tests it: a pointer handed to it is dereferenced there.
 */
function dereferencedParameter(ctx: FunctionContext, callee: string, index: number): Use['through'] | 'tests' {
  for (const file of ctx.model.files) {
    const images = [...file.functions.map((f) => f.post), ...(file.contextImages ?? [])];
    for (const image of images) {
      if (!image || image.name !== callee || image.paramsIncomplete || image.startsInside) continue;
      const param = image.params[index]?.name;
      if (!param || image.params.length === 0) return undefined;
      const body = image.node.childForFieldName('body');
      if (!body) return undefined;
      for (const id of descendants(body, 'identifier')) {
        if (id.text !== param) continue;
        // unseen code before the first mention may test it
        if (image.gaps.some((g) => g.afterLine > 0 && g.afterLine < (image.lineMap[id.startPosition.row] ?? 0))) return undefined;
        const p = id.parent;
        const line = image.lineMap[id.startPosition.row] ?? 0;
        if (line === 0) return undefined;
        if (p?.type === 'field_expression' && p.childForFieldName('argument')?.id === id.id && p.childForFieldName('operator')?.text === '->'
          && !(p.parent?.type === 'pointer_expression' && p.parent.childForFieldName('operator')?.text === '&')) {
          return { param, file: file.path, line };
        }
        if (p?.type === 'pointer_expression' && p.childForFieldName('operator')?.text === '*') return { param, file: file.path, line };
        if (p?.type === 'subscript_expression' && p.childForFieldName('argument')?.id === id.id) return { param, file: file.path, line };
        return isTest(carrier(id)) ? 'tests' : undefined;
      }
      return undefined;
    }
  }
  return undefined;
}

/** The callee's convention when it reports failure through the pointer it returns (NULL, ERR_PTR). */
function pointerFailure(ctx: FunctionContext, key: string): ApiFact | undefined {
  // The patch shows the callee whole and it only ever returns an address: whatever else says it returns NULL.
  if (ctx.fallibility.neverNull(key)) return undefined;
  const fact = lookup(ctx, key);
  if (fact && fact.convention !== 'unknown') {
    if ((fact.convention !== 'null' && fact.convention !== 'err-ptr') || isUsuallyIgnored(fact) || isUsuallyUsedUntested(fact)) return undefined;
    return fact;
  }
  if (fact && isUsuallyUsedUntested(fact)) return undefined;
  return testedInPatch(ctx, key) ?? documentedNull(ctx, key) ?? allocatingInPatch(ctx, key);
}

/** `!v`, `v == NULL`, `NULL == v`, `unlikely(!v)`: a condition that holds when `v` is NULL. */
function testsNull(cond: SyntaxNode, v: string): boolean {
  let c: SyntaxNode | null = cond;
  while (c && (c.type === 'parenthesized_expression' || (c.type === 'call_expression' && /^(?:unlikely|likely)$/.test(calleeName(c))))) {
    c = c.type === 'parenthesized_expression' ? c.namedChild(0) : (argumentsOf(c)[0] ?? null);
  }
  if (!c) return false;
  const text = (n: SyntaxNode | null): string | undefined => n?.text.replace(/\s+/g, '');
  if (c.type === 'unary_expression' && c.childForFieldName('operator')?.text === '!') return text(c.childForFieldName('argument')) === v;
  if (c.type === 'binary_expression' && c.childForFieldName('operator')?.text === '==') {
    const l = text(c.childForFieldName('left'));
    const r = text(c.childForFieldName('right'));
    return (l === v && r === 'NULL') || (l === 'NULL' && r === v);
  }
  return false;
}

/**
 * The branch returns NULL (`return NULL;`, braces around it allowed, after other statements), or jumps to a label
 * of `body` whose statements reach `return NULL;` before any other return.
 */
function returnsNull(branch: SyntaxNode | null, body: SyntaxNode): boolean {
  if (!branch) return false;
  if (branch.type === 'return_statement') return /^\(?\s*NULL\s*\)?$/.test(branch.namedChild(0)?.text ?? '');
  if (branch.type === 'goto_statement') {
    const label = branch.childForFieldName('label')?.text;
    const at = [...descendants(body, 'labeled_statement')].find((l) => l.childForFieldName('label')?.text === label);
    for (let st: SyntaxNode | null = at ?? null; st; st = st.nextNamedSibling) {
      let inner: SyntaxNode | null = st;
      while (inner?.type === 'labeled_statement') inner = inner.namedChildren.find((c) => c.type !== 'statement_identifier') ?? null;
      if (inner?.type === 'return_statement') return returnsNull(inner, body);
      if (inner && [...descendants(inner, 'return_statement')].length > 0) return false;
    }
    return false;
  }
  return branch.type === 'compound_statement' && branch.namedChildren.some((st) => (st.type === 'return_statement' || st.type === 'goto_statement') && returnsNull(st, body));
}

/**
 * The patch shows the callee whole (a function returning a pointer) and it hands back an allocation's failure:
 * `return xzalloc(..);`, or `v = malloc(..); if ( !v ) return NULL;`. A constructor's NULL is a real failure its
 * callers must test, unlike a lookup's "not found". Only a dereference is reported on that.
 */
function allocatingInPatch(ctx: FunctionContext, key: string, depth = 0): ApiFact | undefined {
  for (const file of ctx.model.files) {
    const images = [...file.functions.map((f) => f.post), ...(file.contextImages ?? [])];
    for (const image of images) {
      if (!image || image.name !== key || image.paramsIncomplete || image.startsInside || image.gaps.length > 0 || !image.returnType.includes('*')) continue;
      // a heap allocator, or another constructor the patch shows (one level down)
      const allocates = (call: SyntaxNode): boolean => {
        if (isMarker(call)) return false;
        const k = fallibilityKey(call);
        return lookup(ctx, k)?.allocates === true || (depth === 0 && k !== key && !lookup(ctx, k) && !!allocatingInPatch(ctx, k, 1));
      };
      let where: { line: number; allocator: string } | undefined;
      const allocated = new Map<string, string>();
      for (const call of descendants(image.node, 'call_expression')) {
        if (!allocates(call)) continue;
        const holder = carrier(call).parent;
        const line = image.lineMap[call.startPosition.row] ?? 0;
        if (holder?.type === 'return_statement' && line > 0) where ??= { line, allocator: calleeName(call) };
        const left = holder?.type === 'assignment_expression' ? holder.childForFieldName('left') : null;
        if (left && plainPath(left)) allocated.set(left.text.replace(/\s+/g, ''), calleeName(call));
        if (holder?.type === 'init_declarator') {
          let d = holder.childForFieldName('declarator');
          while (d && d.type === 'pointer_declarator') d = d.childForFieldName('declarator');
          if (d?.type === 'identifier') allocated.set(d.text, calleeName(call));
        }
      }
      if (!where && allocated.size > 0) {
        for (const stmt of descendants(image.node, 'if_statement')) {
          const cond = stmt.childForFieldName('condition');
          const v = [...allocated.keys()].find((name) => cond && testsNull(cond, name));
          const line = image.lineMap[stmt.startPosition.row] ?? 0;
          if (v && line > 0 && returnsNull(stmt.childForFieldName('consequence'), image.node)) {
            where = { line, allocator: allocated.get(v)! };
            break;
          }
        }
      }
      if (!where) return undefined;
      return {
        name: key,
        returnType: image.returnType,
        convention: 'null',
        failValues: ['NULL'],
        allocates: true,
        source: `it returns NULL when ${where.allocator}() fails (${file.path}:${where.line}, shown in this patch)`,
        fromPatch: true,
      } as ApiFact & { fromPatch: true };
    }
  }
  return undefined;
}

/**
 * The comment the patch shows right above the callee's head says it returns NULL ("NULL otherwise", "or NULL if
 * none"): the author of the callee says so. Like the patch's own tests, only a dereference is reported on that.
 */
function documentedNull(ctx: FunctionContext, key: string): ApiFact | undefined {
  if (DEREFERENCING_CALLS.some((c) => c.name === key)) return undefined;
  const doc = ctx.fallibility.documented(key);
  if (doc?.convention !== 'null') return undefined;
  return {
    name: key,
    returnType: doc.returnType,
    convention: 'null',
    failValues: ['NULL'],
    source: `the comment above it says so (${doc.file}:${doc.line}: "${doc.quote}")`,
    fromPatch: true,
    documented: true,
  } as ApiFact & { fromPatch: true; documented: true };
}

/**
 * The comment that says the callee returns NULL names the call that rules the NULL out ("Returns NULL if no
 * manifest has been parsed yet (caller forgot to call load_it() or it failed)"), and the function made that call
 * before and left where it failed (`if (load_it(..) != 0) panic();`): the documented precondition holds.
 */
function documentedPreconditionMet(ctx: FunctionContext, key: string, call: SyntaxNode): boolean {
  const quote = ctx.fallibility.documented(key)?.quote ?? '';
  const named = new Set([...quote.matchAll(/\b([A-Za-z_]\w*)\(\)/g)].map((m) => m[1]!).filter((n) => n !== key));
  const leaves = (branch: SyntaxNode | null | undefined): boolean => !!branch && (['return_statement', 'goto_statement'].includes(branch.type)
    || [...descendants(branch, new Set(['return_statement', 'goto_statement', 'call_expression']))].some((n) => n.type !== 'call_expression' || modelFor(calleeName(n))?.behaviour.kind === 'abort'));
  for (const other of descendants(ctx.post.node, 'call_expression')) {
    if (other.startIndex >= call.startIndex || !named.has(calleeName(other))) continue;
    const use = resultUse(other);
    const test = use.kind === 'tested' ? use.statement : use.kind === 'assigned' ? use.checkedBy : null;
    if (test?.type === 'if_statement' && leaves(test.childForFieldName('consequence'))) return true;
  }
  return false;
}

/**
 * What the patch's own code says when the knowledge layer knows nothing of the callee: the author tests the
 * pointer it returns for NULL right after other calls of it (and dereferences it untested at no more sites than
 * that), so a NULL is a result the author expects. Only a dereference is reported on that evidence.
 */
function testedInPatch(ctx: FunctionContext, key: string): ApiFact | undefined {
  // A C library string function's contract is the standard's (strchr(s, '\\0') finds the terminator), not what one
  // patch's tests of other calls suggest.
  if (DEREFERENCING_CALLS.some((c) => c.name === key)) return undefined;
  const { tested, untested } = ctx.fallibility.nullTests(key);
  if (tested.length === 0 || untested.length > tested.length) return undefined;
  // The author dereferences it untested at three sites or more, and tests it at no more than twice as many: the
  // author relies on when it succeeds (a key the caller holds, an irq already bound), and the tests are for other
  // cases; as with the project's callers in the mined data (a third of the calls untested), not a failure to expect.
  if (untested.length >= 3 && untested.length * 2 >= tested.length) return undefined;
  const at = tested.slice(0, 2).map((t) => `${t.file}:${t.line}`).join(', ');
  const more = tested.length > 2 ? ` and ${tested.length - 2} more` : '';
  return {
    name: key,
    convention: 'null',
    failValues: ['NULL'],
    source: `the code this patch shows tests its result for NULL after ${tested.length === 1 ? 'another call' : `${tested.length} other calls`} (${at}${more})`,
    fromPatch: true,
  } as ApiFact & { fromPatch: true };
}

/**
 * What the project's knowledge says of a callee (config, saved kb, tree, built-in API data). Not what a patch's own
 * helper bodies suggest: a project-internal lookup that returns NULL for "not found" is often called where the
 * caller knows it is there.
 */
const lookup = (ctx: FunctionContext, name: string): ApiFact | undefined => ctx.knowledge.lookup(name);
const knownValue = (ctx: FunctionContext, name: string): boolean => lookup(ctx, name)?.convention === 'value';
const knownAtAll = (ctx: FunctionContext, name: string): boolean => !!lookup(ctx, name) || !!modelFor(name);

/** Up through parentheses and casts: the expression that carries the value. */
function carrier(n: SyntaxNode): SyntaxNode {
  let top = n;
  while (top.parent && (top.parent.type === 'parenthesized_expression' || top.parent.type === 'cast_expression')) top = top.parent;
  return top;
}

/** The statement (or declaration) a node belongs to. */
function statementOf(n: SyntaxNode): SyntaxNode {
  let s: SyntaxNode = n;
  while (s.parent && !/_statement$|^declaration$/.test(s.type)) s = s.parent;
  return s;
}

const insideSizeof = (n: SyntaxNode): boolean => {
  for (let p = n.parent; p && !/_statement$/.test(p.type); p = p.parent) if (p.type === 'sizeof_expression') return true;
  return false;
};

/** A mention that only tests the value: a condition, `!p`, `p == NULL`, an ASSERT/BUG_ON/IS_ERR argument. */
function isTest(top: SyntaxNode): boolean {
  for (let n: SyntaxNode = top; n.parent; n = n.parent) {
    const p = n.parent;
    if (/_statement$/.test(p.type)) return p.childForFieldName('condition')?.id === n.id;
    if (p.type === 'conditional_expression' && p.childForFieldName('condition')?.id === n.id) return true;
    if (p.type === 'unary_expression' && p.childForFieldName('operator')?.text === '!') return true;
    if (p.type === 'binary_expression' && ['==', '!=', '&&', '||'].includes(p.childForFieldName('operator')?.text ?? '')) return true;
    if (p.type === 'argument_list' && p.parent?.type === 'call_expression') {
      const kind = modelFor(calleeName(p.parent))?.behaviour.kind;
      return kind === 'abort-if' || kind === 'warn-if' || kind === 'is-err' || kind === 'ptr-err';
    }
    if (p.type !== 'parenthesized_expression' && p.type !== 'cast_expression') return false;
  }
  return false;
}

/** What the expression `top` (carrying the pointer) does with it right where it stands, if it is a use. */
function useAt(ctx: FunctionContext, top: SyntaxNode): Use | 'test' | 'skip' | 'escape' | null {
  const p = top.parent;
  if (!p) return 'escape';
  if (p.type === 'field_expression' && p.childForFieldName('argument')?.id === top.id && p.childForFieldName('operator')?.text === '->') {
    if (p.parent?.type === 'pointer_expression' && p.parent.childForFieldName('operator')?.text === '&') {
      // `&p->f` handed to a call: an address inside the object, no test of `p` itself; what the call does with it
      // is not this rule's question, the value goes on untested. Stored anywhere else, it escapes.
      const arg = carrier(p.parent).parent;
      return arg?.type === 'argument_list' && arg.parent?.type === 'call_expression' && !isMarker(arg.parent) ? 'skip' : 'escape';
    }
    return { node: p, sink: 'deref' };
  }
  if (p.type === 'pointer_expression' && p.childForFieldName('operator')?.text === '*') return { node: p, sink: 'deref' };
  if (p.type === 'subscript_expression' && p.childForFieldName('argument')?.id === top.id) return { node: p, sink: 'deref' };
  if (p.type === 'binary_expression' && ['+', '-'].includes(p.childForFieldName('operator')?.text ?? '')) {
    const ret = carrier(p).parent;
    return ret?.type === 'return_statement' ? { node: ret, sink: 'arith' } : 'escape';
  }
  if (isTest(top)) return 'test';
  if (p.type === 'argument_list' && p.parent?.type === 'call_expression') {
    const call = p.parent;
    const callee = calleeName(call);
    const index = argumentsOf(call).findIndex((a) => a.id === top.id);
    if (isMarker(call) || index < 0) return 'escape';
    // The value itself handed to an assertion (`ut_assertnonnull(p)`, `assert_non_null(p)`, `zassert_not_null(p)`):
    // a test framework's check that stops the test where it fails, as `ASSERT(p)` does.
    if (/assert/i.test(callee)) return 'test';
    if (dereferencesArgument(callee, index)) return { node: call, sink: 'deref' };
    const through = dereferencedParameter(ctx, callee, index);
    // A function the patch shows that tests the pointer before anything else takes NULL.
    if (through === 'tests') return 'skip';
    if (through) return { node: call, sink: 'deref', to: callee, through };
    // Printing it, or handing it to a function known not to report failure (xfree), is not a use. A value passed
    // after a format string with conversions (`LOG("... %p", p)`) is formatted, whatever the printer is called.
    if (isLogCall(callee) || knownValue(ctx, callee) || afterFormat(call, index)) return 'skip';
    // A function with a known contract of its own is not this rule's guess; one nothing knows may write through it.
    // A fact mined from the project's callers says how the callee fails, not whether it takes NULL: no contract.
    if (knownAtAll(ctx, callee) && !isMined(lookup(ctx, callee))) return 'escape';
    return { node: call, sink: 'argument', to: callee };
  }
  return 'escape';
}

/** Argument `index` of `call` comes after a string literal with a `%` conversion other than `%s`: a printf-style value. */
function afterFormat(call: SyntaxNode, index: number): boolean {
  const args = argumentsOf(call);
  const format = args.findIndex((a) => a.type === 'string_literal' || a.type === 'concatenated_string');
  if (format < 0 || format >= index) return false;
  // `%#"PRIxVA` (a conversion finished by a macro) is a number; `%%` is no conversion.
  const conversions = [...args[format]!.text.matchAll(/%[-+ #0-9.*lhjztL]*([a-zA-Z%"])/g)].map((m) => m[1]).filter((c) => c !== '%');
  // `%s` reads through the pointer; only a format without one is known to take a NULL safely.
  return conversions.length > 0 && !conversions.includes('s');
}

/** The `if` whose condition holds `test` runs an upper-case macro nothing models (not a print, not a known API). */
function handledByUnknownMacro(ctx: FunctionContext, test: SyntaxNode): boolean {
  const stmt = statementOf(test);
  if (stmt.type !== 'if_statement' || !stmt.childForFieldName('condition')) return false;
  const branch = stmt.childForFieldName('consequence');
  if (!branch) return false;
  const calls = branch.type === 'expression_statement' && branch.namedChild(0)?.type === 'call_expression' ? [branch.namedChild(0)!] : [...descendants(branch, 'call_expression')];
  return calls.some((c) => {
    const name = calleeName(c);
    return /^[A-Z][A-Z0-9_]*$/.test(name) && !isLogCall(name) && !modelFor(name) && !knownAtAll(ctx, name);
  });
}

/** The call has arguments and each is a literal, NULL, or an upper-case constant. */
function constantArguments(call: SyntaxNode): boolean {
  const args = argumentsOf(call);
  return args.length > 0 && args.every((a) => /^(?:-?\d\w*|'(?:[^'\\]|\\.)+'|"[^"]*"|NULL|[A-Z][A-Z0-9_]*)$/.test(a.text.trim()));
}

/** The use sits inside the argument of an assertion (`assert(p->x)`, `ASSERT(p->y)`): it checks, it does not go on. */
function insideAssertion(n: SyntaxNode): boolean {
  for (let p = n.parent; p && !/_statement$/.test(p.type); p = p.parent) {
    if (p.type === 'call_expression' && !isMarker(p) && modelFor(calleeName(p))?.behaviour.kind === 'abort-if') return true;
  }
  return false;
}

/** `a->b`, `a.b->c`: a member reached from one variable through member accesses only. */
function plainPath(n: SyntaxNode): boolean {
  if (n.type === 'identifier') return true;
  return n.type === 'field_expression' && plainPath(n.childForFieldName('argument')!);
}

function rootOf(n: SyntaxNode): string {
  return n.type === 'field_expression' ? rootOf(n.childForFieldName('argument')!) : n.text;
}

/** Is `name` read in a condition (if/while/for/?:) between two source offsets? */
function testedBetween(fn: SyntaxNode, name: string, from: number, to: number): boolean {
  for (const id of descendants(fn, 'identifier')) {
    if (id.text !== name || id.startIndex <= from || id.startIndex >= to) continue;
    for (let n: SyntaxNode = id; n.parent; n = n.parent) {
      const p = n.parent;
      if (p.childForFieldName('condition')?.id === n.id) return true;
      if (/_statement$/.test(p.type)) break;
    }
  }
  return false;
}

/** `n` stands in a branch (not the condition) of an `if` statement that is one of the `tested` statements. */
function insideBranchOf(n: SyntaxNode, tested: Set<number>): boolean {
  let child = n;
  for (let p = n.parent; p; child = p, p = p.parent) {
    if (p.type === 'if_statement' && tested.has(p.id) && p.childForFieldName('condition')?.id !== child.id) return true;
  }
  return false;
}

/** The first use of the pointer `call` returns, with nothing the patch does not show in between. */
function firstUse(ctx: FunctionContext, call: SyntaxNode): Use | null {
  const top = carrier(call);
  const direct = useAt(ctx, top);
  if (direct && typeof direct !== 'string') return direct.sink === 'argument' || insideAssertion(direct.node) ? null : direct;
  // `v = f(...)` / `T v = f(...)`
  const holder = top.parent;
  let variable: string | undefined;
  /** A member the result is stored in (`s->buf = f(..)`): the variable it hangs from. */
  let root: string | undefined;
  if (holder?.type === 'assignment_expression' && holder.childForFieldName('operator')?.text === '=' && holder.childForFieldName('right')?.id === top.id) {
    const left = holder.childForFieldName('left');
    if (left?.type === 'identifier') variable = left.text;
    else if (left && plainPath(left)) {
      variable = squash(left.text);
      root = rootOf(left);
    } else {
      // `v = *out = f(..)`: the copy the function keeps in a local
      const outer = holder.parent;
      const copy = outer?.type === 'assignment_expression' && outer.childForFieldName('operator')?.text === '=' && outer.childForFieldName('right')?.id === holder.id
        ? outer.childForFieldName('left') : null;
      if (copy?.type === 'identifier') variable = copy.text;
    }
  } else if (holder?.type === 'init_declarator' && holder.childForFieldName('value')?.id === top.id) {
    let d = holder.childForFieldName('declarator');
    while (d && d.type === 'pointer_declarator') d = d.childForFieldName('declarator');
    if (d?.type === 'identifier') variable = d.text;
  }
  if (!variable) return null;
  const stmt = statementOf(holder!);
  if (stmt.type !== 'expression_statement' && stmt.type !== 'declaration') return null;
  // Failure also reported through an output argument (`p = fdt_getprop(fdt, n, "x", &len)`): a test of `len`
  // before the use is a test of the call, one the simulator cannot connect to the pointer.
  const outputs = argumentsOf(call).flatMap((a) => {
    const arg = a;
    return arg.type === 'pointer_expression' && arg.childForFieldName('operator')?.text === '&' && arg.childForFieldName('argument')?.type === 'identifier'
      ? [arg.childForFieldName('argument')!.text]
      : [];
  });
  const gaps = [...descendants(ctx.post.node, 'call_expression')].filter((c) => isMarker(c) && c.startIndex > stmt.endIndex);
  /** Statements where the value was tested: a use in the same one is guarded by `!p ||`, `p &&`, `p ? :`. */
  const tested = new Set<number>();
  let testedBy: SyntaxNode | undefined;
  let guarded: Use | undefined;
  const mentions = root
    ? [...descendants(ctx.post.node, new Set(['identifier', 'field_expression']))].filter((n) => n.type === 'field_expression' || n.text === root)
    : descendants(ctx.post.node, 'identifier');
  for (const id of mentions) {
    if (id.startIndex <= stmt.endIndex || insideSizeof(id)) continue;
    if (root && id.type === 'identifier') {
      // the object the member hangs from replaced, or handed whole to a call that may replace the member
      const at = carrier(id);
      const p = at.parent;
      if (p?.type === 'assignment_expression' && p.childForFieldName('left')?.id === at.id) return null;
      if (p?.type === 'argument_list' || (p?.type === 'pointer_expression' && p.childForFieldName('operator')?.text === '&')) return null;
      continue;
    }
    if ((root ? squash(id.text) : id.text) !== variable) continue;
    // Code the patch does not show lies between: it may test or replace the value.
    if (gaps.some((g) => g.startIndex < id.startIndex)) return null;
    const at = carrier(id);
    const parent = at.parent;
    if (parent?.type === 'assignment_expression' && parent.childForFieldName('left')?.id === at.id) return null;
    const use = useAt(ctx, at);
    if (use === 'skip') continue;
    if (use === 'test') {
      // `if ( !p ) SOME_MACRO(...);`: a macro the review does not know may leave the function (a `return` inside it);
      // what happens to the failure there is not shown.
      if (handledByUnknownMacro(ctx, at)) return null;
      tested.add(statementOf(at).id);
      testedBy ??= at;
      continue;
    }
    if (use === 'escape' || !use) return null;
    if (insideAssertion(use.node)) return null;
    // Handed on inside a branch of the value's own test (`if ( !p ) { release(cookie, p); return NULL; }`): the
    // author tested it and passes what they know it is there. A dereference there is still reported.
    if (use.sink === 'argument' && insideBranchOf(use.node, tested)) continue;
    if (use.node.type !== 'call_expression' && tested.has(statementOf(use.node).id)) return null;
    if (outputs.some((o) => testedBetween(ctx.post.node, o, stmt.endIndex, use.node.startIndex))) return null;
    // A dereference inside a branch of the value's own test (`if ( p ) p->node = n;`) is guarded by it when the
    // branch is the non-NULL one; a later use outside the test (`p->mode = m;` after the `if`) is not: look on.
    // The guarded use is kept for when nothing follows (a dereference in the NULL branch is the simulator's).
    if (use.sink === 'deref' && insideBranchOf(use.node, tested)) {
      guarded ??= use;
      continue;
    }
    if (guarded) return { ...use, testedBy: testedBy!, afterGuard: guarded.node };
    return testedBy ? { ...use, testedBy } : use;
  }
  return guarded && testedBy ? { ...guarded, testedBy } : null;
}

/** The pre-image already used a result of the same callee before testing it. */
function usedUntestedBefore(ctx: FunctionContext, key: string): boolean {
  const pre = ctx.pre;
  if (!pre) return false;
  const before = { ...ctx, post: pre } as FunctionContext;
  return [...descendants(pre.node, 'call_expression')].some((c) => {
    if (isMarker(c) || fallibilityKey(c) !== key) return false;
    const use = firstUse(before, c);
    return use !== null && use.sink !== 'argument' && !use.testedBy;
  });
}

const EXAMPLE_ALLOC = `--- a/xen/common/foo.c
+++ b/xen/common/foo.c
@@ -10,5 +10,8 @@ static int foo_copy_table(const void *src, unsigned long len)
 {
     void *table;
 
+    table = xvmalloc_array(char, len);
+    memcpy(table, src, len);
+
     return foo_parse(table);
 }
`;

export default defineRule({
  scope: 'function',
  meta: {
    id: 'unchecked-use',
    pack: 'error-handling',
    family: 'unchecked-error',
    severity: 'warning',
    summary: 'The pointer a call returns is used before anything tests it for NULL or an error pointer.',
    source: {
      ...SEED_THREAD,
      quote: 'Looks error handling is not only a problem in VT-d code. Above actually should check return values of all suspend callbacks.',
    },
    messages: {
      deref:
        '{{callee}}() {{failure}}, but {{function}}() uses the result at line {{useLine}} (`{{useText}}`) before testing it, so a failure {{consequence}}. Test the result first and handle the failure.',
      afterGuard:
        '{{callee}}() {{failure}}. {{function}}() tests the result at line {{testLine}} only to guard `{{guardedText}}` under that test, then uses it at line {{useLine}} (`{{useText}}`) outside the test, so a failure {{consequence}} there. Handle the failure where it is tested, or keep the later use under the test too.',
      arith:
        '{{callee}}() {{failure}}, but {{function}}() returns it with an offset added (`{{useText}}`), so a failure reaches the caller as a small non-NULL pointer its NULL test cannot catch. Test the result before adding the offset.',
      argument:
        '{{callee}}() {{failure}}, but {{function}}() passes the result to {{to}}() at line {{useLine}} before testing it. Unless {{to}}() accepts {{failureValue}}, test the result first.',
    },
    fixable: false,
    limitations:
      "Knows a call reports failure through the pointer it returns from the knowledge layer (built-in API data, the project config, the tree, facts mined from the project's own code) and, when that knows nothing of the callee, from the patch's own code testing the callee's result for NULL after other calls, or from a comment the patch shows right above the callee's head that says it returns NULL ('NULL otherwise', 'returns ... or NULL if none'; not a parameter's description, not a denial; a comment a hunk ends with counts for the function the next hunk's header names when that hunk starts inside it, at most 40 lines below), or from the callee's body shown whole by the patch when it hands back a failed heap allocation as NULL (`return xzalloc(..);`, `v = malloc(..); if ( !v ) return NULL;`: a constructor's failure, unlike a lookup's 'not found'); on the last three only a dereference is reported. Follows the result through one local variable or one member (`s->buf`) within the visible code; a pointer stored in a global, copied to another variable or tested by unseen code is not followed. Whether a function the patch does not show dereferences the pointer is not known: such findings stay inconclusive. A pointer handed to a function with a contract of its own (a curated entry, a model, the config) is that contract's business; a fact mined from the project's callers only says how the function fails, so a pointer handed to it is reported like one handed to a function nothing knows. A mined fact that calls a getter NULL-returning is overruled only when the patch shows the getter whole. A pointer handed to a call named *assert* (`ut_assertnonnull(p)`) is tested there. A documented NULL whose comment names the call that rules it out ('caller forgot to call load() or it failed') is not expected after the function made that call and left where it failed.",
  },
  detect(ctx) {
    const out = [];
    for (const call of descendants(ctx.post.node, 'call_expression')) {
      if (isMarker(call)) continue;
      const key = fallibilityKey(call);
      const fact = pointerFailure(ctx, key);
      if (!fact) continue;
      // A lookup learned from how callers use it (mined, indexed, or this patch's tests), asked with constant
      // arguments only: the same answer every time, one the author knows (a storage ops table for a built-in id).
      // Documented contracts (an allocation) fail whatever the arguments.
      if ((fact.callers || (fact as { fromPatch?: boolean }).fromPatch) && !fact.allocates && constantArguments(call)) continue;
      const use = firstUse(ctx, call);
      if (!use) continue;
      if ((fact as { fromPatch?: boolean }).fromPatch && use.sink !== 'deref') continue;
      if ((fact as { documented?: boolean }).documented && documentedPreconditionMet(ctx, key, call)) continue;
      // The patch introduces the call or the use: an untouched pair is not this patch's doing, nor is a rewritten
      // line that used the same callee's result untested before the patch too.
      if (!ctx.touchesAdded(statementOf(call)) && !ctx.touchesAdded(use.node)) continue;
      if (usedUntestedBefore(ctx, key)) continue;
      out.push({ node: call, data: { call, callee: calleeName(call), key, use, fact } });
    }
    return out;
  },
  check(candidate, ctx) {
    const { call, callee, use, fact } = candidate.data as { call: SyntaxNode; callee: string; key: string; use: Use; fact: ApiFact };
    const errPtr = fact.convention === 'err-ptr';
    const failureValue = errPtr ? 'an ERR_PTR()' : 'NULL';
    return {
      messageId: use.afterGuard ? 'afterGuard' : use.sink,
      data: {
        ...(use.afterGuard && use.testedBy ? { testLine: String(ctx.lineOf(use.testedBy)), guardedText: fold(statementOf(use.afterGuard).text).slice(0, 60) } : {}),
        callee,
        function: ctx.fn.name,
        failure: (fact as { documented?: boolean }).documented ? 'can return NULL (the comment above it says so)'
          : (fact as { fromPatch?: boolean }).fromPatch && fact.allocates ? 'returns NULL when its allocation fails (its body is shown in this patch)'
          : (fact as { fromPatch?: boolean }).fromPatch ? 'can return NULL (the code this patch shows tests it for that)' : describeFailure(fact),
        failureValue,
        consequence: errPtr ? 'dereferences an error pointer' : 'dereferences NULL',
        useLine: String(ctx.lineOf(use.node)),
        useText: fold(use.node.text).slice(0, 80),
        to: use.to ?? '',
      },
      question: {
        kind: 'failure-reaches-use',
        call,
        use: use.node,
        ...(use.sink === 'argument' ? { premise: `whether ${use.to}() can take ${failureValue} is not shown by the patch` } : {}),
        ...(use.testedBy ? { testedAt: ctx.lineOf(use.testedBy) } : {}),
      },
      reliedOn: [
        `${callee}() ${describeFailure(fact)}: ${fact.source}`,
        ...(use.sink === 'deref' && use.node.type === 'call_expression'
          ? [use.through
            ? `${calleeName(use.node)}() reads through its parameter ${use.through.param} before testing it (${use.through.file}:${use.through.line}, shown in this patch)`
            : `${calleeName(use.node)}() reads or writes through that argument (${DEREFERENCING_CALLS_SOURCE})`]
          : []),
      ],
    };
  },
  cases: {
    flagged: [
      {
        // A mined fact (vpci_add_register(): how Xen's callers see it fail) is no contract about its arguments.
        name: 'an allocation is handed untested to a function whose only knowledge is a failure convention mined from the project\'s callers',
        patch: `--- a/xen/drivers/vpci/quux.c
+++ b/xen/drivers/vpci/quux.c
@@ -40,6 +40,13 @@ static int init_quux(struct pci_dev *pdev)
 {
     int rc;
 
+    quux = xzalloc(struct vpci_quux);
+    rc = vpci_add_register(pdev->vpci, vpci_hw_read32, quux_write, QUUX_REG, 4,
+                           quux);
+    if ( rc )
+        return rc;
+    quux_enable(pdev);
+
     return 0;
 }
 
`,
        expect: [{ line: 43, messageId: 'argument', verdict: 'inconclusive' }],
      },
      {
        // U-Boot 3c08df58cc43 (2024) shape: `*ptr = efi_alloc(size); if (*ptr) ..` in one branch, `new_ptr = efi_alloc(size); memcpy(new_ptr, ..)` in another.
        name: 'the patch tests the result for NULL where it stores it through an output parameter (`*out = get(..); if (!*out)`), and dereferences it untested elsewhere',
        patch: `--- a/lib/gizmo/gizmo_pool.c
+++ b/lib/gizmo/gizmo_pool.c
@@ -40,3 +40,24 @@ void *gizmo_get(size_t len)
 	return buf;
 }
 
+int gizmo_pool_new(void **out, size_t len)
+{
+	*out = gizmo_get(len);
+	if (!*out)
+		return -ENOMEM;
+	return 0;
+}
+
+int gizmo_pool_grow(void **ptr, size_t len, size_t old_len)
+{
+	void *fresh;
+
+	fresh = gizmo_get(len);
+
+	memcpy(fresh, *ptr, old_len);
+	gizmo_put(*ptr);
+	*ptr = fresh;
+
+	return 0;
+}
+
`,
        expect: [{ line: 55, messageId: 'deref', verdict: 'verified' }],
      },
      {
        // U-Boot e24b58f5ed4f (2022): `if (phydev) phydev->node = subnode;` then `phydev->interface = ..` outside the test.
        name: 'a result tested for NULL only to guard one statement under the test, then dereferenced after the test',
        patch: `--- a/drivers/net/gizmo.c
+++ b/drivers/net/gizmo.c
@@ -30,6 +30,17 @@ static int gizmo_count;
 
 static int gizmo_debug;
 
+struct gizmo_dev *gizmo_fixed_create(ofnode node)
+{
+	struct gizmo_dev *g;
+
+	g = malloc(sizeof(*g));
+	if (g)
+		g->node = node;
+	g->mode = ofnode_read_u32_default(node, "mode", 0);
+	return g;
+}
+
 int gizmo_probe(struct udevice *dev)
 {
 	return 0;
`,
        expect: [{ line: 37, messageId: 'afterGuard', verdict: 'verified' }],
      },
      {
        name: 'an allocation stored through an output parameter and in a local at once (`g = *out = malloc(..)`), the local dereferenced untested',
        patch: `--- a/xen/common/gadget.c
+++ b/xen/common/gadget.c
@@ -10,3 +10,13 @@ static unsigned int gadget_count;
 
+int gadget_open(struct gadget **out, size_t len)
+{
+    struct gadget *g;
+
+    g = *out = malloc(len);
+    memset(g, 0, len);
+
+    return 0;
+}
+
 void gadget_close(struct gadget *g)
 {
`,
        expect: [{ line: 15, messageId: 'deref', verdict: 'verified' }],
      },
      {
        name: 'the patch tests the result for NULL a statement later (a declaration between), sets an error and goes on to dereference it',
        patch: `--- a/xen/common/knob.c
+++ b/xen/common/knob.c
@@ -40,6 +40,17 @@ static int knob_reset(struct knob *k)
     return 0;
 }
 
+static int knob_attach(struct domain *d, unsigned int id)
+{
+    struct knob *k = knob_find(d, id);
+    int rc = 0;
+
+    if ( !k )
+        rc = -ENOENT;
+    k->owner = d;
+    return rc;
+}
+
 int knob_setup(struct domain *d)
 {
     return knob_reset(d->knob);
`,
        expect: [{ line: 45, messageId: 'deref', verdict: 'verified' }],
      },
      {
        name: 'a lookup whose comment, shown by the patch, says it returns NULL when nothing matches, dereferenced untested',
        patch: `--- a/core/kernel/gadget.c
+++ b/core/kernel/gadget.c
@@ -20,7 +20,7 @@ static struct gadget gadgets[GADGET_COUNT];
 
 /*
  * Looks up the gadget registered for @id.
  * Returns the gadget, or NULL if none is registered.
  */
 static struct gadget *gadget_find(uint32_t id)
 {
@@ -40,3 +40,11 @@ static struct gadget *gadget_find(uint32_t id)
 	return NULL;
 }
 
+uint32_t gadget_flags(uint32_t id)
+{
+	struct gadget *g = NULL;
+
+	g = gadget_find(id);
+
+	return g->flags;
+}
`,
        expect: [{ line: 47, messageId: 'deref', verdict: 'verified' }],
      },
      {
        name: 'a comment the hunk ends with documents the function the next hunk header names: NULL otherwise',
        patch: `--- a/core/mm/slab.c
+++ b/core/mm/slab.c
@@ -30,6 +30,13 @@ static void slab_reset(struct slab *s)
 	s->used = 0;
 }
 
+static void slab_copy(struct slab *dst, struct slab *src, unsigned int i)
+{
+	uint8_t *from = slab_entry_va(src, i);
+
+	memcpy(dst->buf, from, SLAB_ENTRY_SIZE);
+}
+
 /*
  * Given the index of an entry that is in use returns its virtual address.
  * NULL otherwise.
@@ -46,3 +53,8 @@ static void *slab_entry_va(struct slab *s, unsigned int i)
 	return s->base + i * SLAB_ENTRY_SIZE;
 }
 
+static void slab_clear(struct slab *s)
+{
+	s->used = 0;
+}
+
`,
        expect: [{ line: 35, messageId: 'deref', verdict: 'verified' }],
      },
      {
        name: 'an allocation copied into before any NULL test',
        patch: EXAMPLE_ALLOC,
        expect: [{ line: 13, messageId: 'deref', verdict: 'verified' }],
      },
      {
        name: 'a lookup result used as a copy source',
        patch: `--- a/core/mm/bar.c
+++ b/core/mm/bar.c
@@ -20,3 +20,8 @@ static TEE_Result bar_dup(paddr_t pa, void *dst, size_t len)
 {
+	void *src = NULL;
+
+	src = phys_to_virt(pa, MEM_AREA_TEE_RAM, len);
+	memcpy(dst, src, len);
+
 	return TEE_SUCCESS;
 }
`,
        expect: [{ line: 23, messageId: 'deref', verdict: 'verified' }],
      },
      {
        name: 'a mapping returned with an offset added',
        patch: `--- a/xen/arch/arm/baz.c
+++ b/xen/arch/arm/baz.c
@@ -30,4 +30,7 @@
 void *baz_map(paddr_t pa, size_t len)
 {
-    return NULL;
+    unsigned int offs = pa & (PAGE_SIZE - 1);
+    mfn_t mfn = maddr_to_mfn(pa);
+
+    return vmap(&mfn, 1) + offs;
 }
`,
        expect: [{ line: 35, messageId: 'arith', verdict: 'verified' }],
      },
      {
        name: 'an integer holding an allocation written through a cast',
        patch: `--- a/xen/common/qux.c
+++ b/xen/common/qux.c
@@ -40,5 +40,8 @@ static void qux_init(unsigned long size)
 {
     unsigned long mem;
 
+    mem = (unsigned long)_xzalloc(size + 4, 8);
+    ((uint32_t *)mem)[size / 4] = 0x5a5a5a5a;
+
     qux_fill(mem, size);
 }
`,
        expect: [{ line: 43, messageId: 'deref', verdict: 'verified' }],
      },
      {
        name: 'an allocation handed to a function the patch does not show',
        patch: `--- a/xen/common/quux.c
+++ b/xen/common/quux.c
@@ -10,5 +10,8 @@ static int quux_load(paddr_t pa, unsigned long len)
 {
     void *buf;
 
+    buf = xvmalloc_array(char, len);
+    quux_read(buf, len, pa);
+
     return quux_parse(buf);
 }
`,
        expect: [{ line: 13, messageId: 'argument', verdict: 'inconclusive' }],
      },
      {
        name: 'a NULL test that only logs lets the failure through',
        patch: `--- a/xen/common/corge.c
+++ b/xen/common/corge.c
@@ -10,5 +10,9 @@ static void corge_fill(const void *src, unsigned long len)
 {
     void *p = xzalloc_bytes(len);
 
+    if ( !p )
+        printk("corge: no memory\\n");
+    memcpy(p, src, len);
+
     corge_done(p);
 }
`,
        expect: [{ line: 11, messageId: 'deref', verdict: 'verified' }],
      },
      {
        name: 'an error pointer dereferenced without IS_ERR',
        patch: `--- a/drivers/clk/plover.c
+++ b/drivers/clk/plover.c
@@ -10,5 +10,8 @@ static int plover_probe(struct device *dev, struct plover *pl)
 {
     struct clk *clk;
 
+    clk = devm_clk_get(dev, "bus");
+    pl->rate = clk->rate;
+
     return 0;
 }
`,
        expect: [{ line: 13, messageId: 'deref', verdict: 'verified' }],
      },
      {
        name: 'a constructor the patch defines returns NULL when its allocation fails; a caller writes through its result untested',
        patch: `--- a/xen/common/gizmo.c
+++ b/xen/common/gizmo.c
@@ -10,3 +10,20 @@ struct gizmo {
     unsigned int id;
 };
 
+static struct gizmo *gizmo_new(unsigned int id)
+{
+    struct gizmo *g = xzalloc(struct gizmo);
+
+    if ( !g )
+        return NULL;
+    g->id = id;
+    return g;
+}
+
+int gizmo_add(struct domain *d, unsigned int id)
+{
+    struct gizmo *g = gizmo_new(id);
+
+    g->owner = d;
+    return 0;
+}
`,
        expect: [{ line: 25, messageId: 'deref', verdict: 'verified' }],
      },
      {
        name: 'a wrapper the patch defines returns an allocation directly; a caller copies into it untested',
        patch: `--- a/core/kernel/sprocket.c
+++ b/core/kernel/sprocket.c
@@ -10,3 +10,14 @@ struct sprocket {
 	uint8_t data[16];
 };
 
+static struct sprocket *sprocket_alloc(void)
+{
+	return calloc(1, sizeof(struct sprocket));
+}
+
+void sprocket_fill(const void *src)
+{
+	struct sprocket *s = sprocket_alloc();
+
+	memcpy(s->data, src, sizeof(s->data));
+}
`,
        expect: [{ line: 20, messageId: 'deref', verdict: 'verified' }],
      },
      {
        name: 'a constructor whose failed member allocation jumps to an exit returning NULL; a caller reads through its result',
        patch: `--- a/core/kernel/sprocket.c
+++ b/core/kernel/sprocket.c
@@ -10,3 +10,25 @@ struct sprocket {
 	uint8_t *data;
 };
 
+static struct sprocket *sprocket_new(size_t len)
+{
+	struct sprocket *s = NULL;
+
+	s = calloc(1, sizeof(*s));
+	if (!s)
+		panic();
+	s->data = malloc(len);
+	if (!s->data)
+		goto err;
+	return s;
+err:
+	free(s);
+	return NULL;
+}
+
+size_t sprocket_first(size_t len)
+{
+	struct sprocket *s = sprocket_new(len);
+
+	return s->data[0];
+}
`,
        expect: [{ line: 31, messageId: 'deref', verdict: 'verified' }],
      },
      {
        name: 'a wrapper returning another constructor of the patch: its allocation failure reaches the caller too',
        patch: `--- a/xen/common/gizmo.c
+++ b/xen/common/gizmo.c
@@ -10,3 +10,24 @@ struct gizmo {
     unsigned int id;
 };
 
+static struct gizmo *gizmo_new(unsigned int id)
+{
+    struct gizmo *g = xzalloc(struct gizmo);
+
+    if ( !g )
+        return NULL;
+    g->id = id;
+    return g;
+}
+
+static struct gizmo *gizmo_new_default(void)
+{
+    return gizmo_new(GIZMO_DEFAULT_ID);
+}
+
+void gizmo_reset(struct domain *d)
+{
+    struct gizmo *g = gizmo_new_default();
+
+    d->gizmo_id = g->id;
+}
`,
        expect: [{ line: 30, messageId: 'deref', verdict: 'verified' }],
      },
      {
        name: "an unknown lookup the same function tests for NULL after one call and dereferences after another",
        patch: `--- a/xen/common/blip.c
+++ b/xen/common/blip.c
@@ -10,5 +10,16 @@ static int blip_load(struct blip_img *img)
 {
     const struct blip_sec *sec;
 
+    sec = blip_find_sec(img, ".blip.id");
+    if ( sec )
+    {
+        if ( sec->size < 4 )
+            return -EINVAL;
+    }
+
+    sec = blip_find_sec(img, ".blip.deps");
+    if ( sec->size < 4 )
+        return -EINVAL;
+
     return 0;
 }
`,
        expect: [{ line: 20, messageId: 'deref', verdict: 'verified' }],
      },
      {
        name: "an address inside the result handed to a call is no test; the dereference after it is reported",
        patch: `--- a/xen/common/zot.c
+++ b/xen/common/zot.c
@@ -10,5 +10,9 @@ static void zot_init(struct zot_dev *d)
 {
     struct zot_state *st;
 
+    st = xzalloc(struct zot_state);
+    spin_lock_init(&st->lock);
+    st->owner = d;
+
     zot_done(d);
 }
`,
        expect: [{ line: 13, messageId: 'deref', verdict: 'verified' }],
      },
      {
        name: "an allocation stored in a member and copied into through it",
        patch: `--- a/core/drivers/frob.c
+++ b/core/drivers/frob.c
@@ -10,3 +10,6 @@ static TEE_Result frob_setup(struct frob *f, const void *src, size_t len)
 {
+	f->buf = calloc(1, len);
+	memcpy(f->buf, src, len);
+
 	return TEE_SUCCESS;
 }
`,
        expect: [{ line: 11, messageId: 'deref', verdict: 'verified' }],
      },
      {
        name: "an allocation handed to a helper the patch defines, which dereferences its parameter first",
        patch: `--- a/xen/common/plugh.c
+++ b/xen/common/plugh.c
@@ -10,3 +10,15 @@ struct plugh_ent {
     unsigned int id;
 };
 
+static void plugh_ent_init(struct plugh_ent *e, unsigned int id)
+{
+    e->id = id;
+}
+
+static struct plugh_ent *plugh_new(unsigned int id)
+{
+    struct plugh_ent *e = xmalloc(struct plugh_ent);
+
+    plugh_ent_init(e, id);
+    return e;
+}
`,
        expect: [{ line: 20, messageId: 'deref', verdict: 'verified' }],
      },
      {
        name: 'an unknown lookup the patch tests three times and dereferences untested twice: its tests say NULL is expected',
        patch: `--- a/xen/common/blip.c
+++ b/xen/common/blip.c
@@ -10,5 +10,19 @@ static int blip_load(struct blip_img *img)
 {
     const struct blip_sec *sec;
 
+    sec = blip_find_sec(img, ".blip.id");
+    if ( !sec )
+        return -ENOENT;
+    sec = blip_find_sec(img, ".blip.note");
+    if ( !sec )
+        return -ENOENT;
+    sec = blip_find_sec(img, ".blip.sig");
+    if ( !sec )
+        return -ENOENT;
+    sec = blip_find_sec(img, ".blip.deps");
+    img->deps = sec->addr;
+    sec = blip_find_sec(img, ".blip.text");
+    img->text = sec->addr;
+
     return 0;
 }
`,
        expect: [
          { line: 22, messageId: 'deref', verdict: 'verified' },
          { line: 24, messageId: 'deref', verdict: 'verified' },
        ],
      },
      {
        name: 'a lookup whose result goes to strcmp() in the right operand of `||`: every other node gets there',
        patch: `--- a/core/arch/arm/plat-quux/main.c
+++ b/core/arch/arm/plat-quux/main.c
@@ -500,6 +500,23 @@ static TEE_Result quux_init_console(void)
 	return TEE_SUCCESS;
 }
 
+bool quux_allow_shared_device(const void *fdt, int node)
+{
+	static int console_node = -1;
+	const char *compat = NULL;
+
+	if (console_node < 0)
+		console_node = quux_console_node(fdt);
+
+	compat = fdt_stringlist_get(fdt, node, "compatible", 0, NULL);
+
+	if (node == console_node ||
+	    !strcmp(compat, "quux,shared-i2c"))
+		return true;
+
+	return false;
+}
+
 static void quux_early_init(void)
 {
 	quux_clk_init();
`,
        expect: [{ line: 511, messageId: 'deref', verdict: 'verified' }],
      },
    ],
    clean: [
      {
        name: 'near miss: the result stored through an output parameter is not tested there either: nothing in the patch says the call can return NULL',
        patch: `--- a/lib/gizmo/gizmo_pool.c
+++ b/lib/gizmo/gizmo_pool.c
@@ -40,3 +40,23 @@ void *gizmo_get(size_t len)
 	return buf;
 }
 
+int gizmo_pool_new(void **out, size_t len)
+{
+	*out = gizmo_get(len);
+	gizmo_count++;
+	return 0;
+}
+
+int gizmo_pool_grow(void **ptr, size_t len, size_t old_len)
+{
+	void *fresh;
+
+	fresh = gizmo_get(len);
+
+	memcpy(fresh, *ptr, old_len);
+	gizmo_put(*ptr);
+	*ptr = fresh;
+
+	return 0;
+}
+
`,
      },
      {
        name: 'near miss: a named error code set before the guarded call (`res = TEE_ERROR_OUT_OF_MEMORY; if (p) res = f(p); if (res) goto err;`) is never 0, so a NULL leaves',
        refuted: true,
        patch: `--- a/core/kernel/quux_ta.c
+++ b/core/kernel/quux_ta.c
@@ -300,6 +300,16 @@ static TEE_Result quux_ta_open(const TEE_UUID *uuid, struct quux_handle *h)
 	if (res)
 		goto err;
 
+	free(h->hdr);
+	h->hdr = NULL;
+	hdr = malloc(hdr_size);
+	res = TEE_ERROR_OUT_OF_MEMORY;
+	if (hdr)
+		res = quux_read_hdr(h, hdr, hdr_size);
+	if (res)
+		goto err;
+
+	h->payload_size = hdr->img_size;
 	h->hdr = hdr;
 	return TEE_SUCCESS;
 err:
`,
      },
      {
        name: 'near miss: the NULL branch clears a flag, and the use is behind `ret && ..`: the line runs, the dereference does not',
        refuted: true,
        patch: `--- a/drivers/quux/pd/quux_clk.c
+++ b/drivers/quux/pd/quux_clk.c
@@ -117,6 +117,31 @@ static bool quux_clk_is_mux(const struct quux_clk_data *data)
 	return data->type == QUUX_CLK_TYPE_MUX;
 }
 
+bool quux_clk_set_parent(struct quux_dev *dev, uint32_t clk_idx, uint32_t parent_idx)
+{
+	const struct quux_clk_data *clock_data;
+	const struct quux_clk_data *parent_data = NULL;
+	bool ret = true;
+
+	clock_data = quux_get_clk_data(dev, clk_idx);
+	if (clock_data == NULL) {
+		ret = false;
+	}
+
+	if (ret) {
+		parent_data = quux_get_clk_data(dev, parent_idx);
+		if (parent_data == NULL) {
+			ret = false;
+		}
+	}
+
+	if (ret && (parent_data->type != QUUX_CLK_TYPE_PARENT)) {
+		ret = false;
+	}
+
+	return ret;
+}
+
 static void quux_clk_init(struct quux_dev *dev)
 {
 	uint32_t i;
`,
      },
      {
        name: 'near miss: a result tested for NULL to guard one statement, and the NULL branch of the same test leaves before the later use',
        refuted: true,
        patch: `--- a/drivers/net/gizmo.c
+++ b/drivers/net/gizmo.c
@@ -30,6 +30,19 @@ static int gizmo_count;
 
 static int gizmo_debug;
 
+struct gizmo_dev *gizmo_fixed_create(ofnode node)
+{
+	struct gizmo_dev *g;
+
+	g = malloc(sizeof(*g));
+	if (g)
+		g->node = node;
+	else
+		return NULL;
+	g->mode = ofnode_read_u32_default(node, "mode", 0);
+	return g;
+}
+
 int gizmo_probe(struct udevice *dev)
 {
 	return 0;
`,
      },
      {
        name: 'near miss: an allocation stored through an output parameter and in a local at once, the local tested before the use',
        refuted: true,
        patch: `--- a/xen/common/gadget.c
+++ b/xen/common/gadget.c
@@ -10,3 +10,15 @@ static unsigned int gadget_count;
 
+int gadget_open(struct gadget **out, size_t len)
+{
+    struct gadget *g;
+
+    g = *out = malloc(len);
+    if ( !g )
+        return -ENOMEM;
+    memset(g, 0, len);
+
+    return 0;
+}
+
 void gadget_close(struct gadget *g)
 {
`,
      },
      {
        name: 'near miss: the result tested for NULL a statement later (a declaration between), and the NULL branch leaves',
        refuted: true,
        patch: `--- a/xen/common/knob.c
+++ b/xen/common/knob.c
@@ -40,6 +40,17 @@ static int knob_reset(struct knob *k)
     return 0;
 }
 
+static int knob_attach(struct domain *d, unsigned int id)
+{
+    struct knob *k = knob_find(d, id);
+    int rc = 0;
+
+    if ( !k )
+        return -ENOENT;
+    k->owner = d;
+    return rc;
+}
+
 int knob_setup(struct domain *d)
 {
     return knob_reset(d->knob);
`,
      },
      {
        name: 'near miss: the comment says a PARAMETER may be NULL; what it returns is an address',
        patch: `--- a/core/lib/shelf.c
+++ b/core/lib/shelf.c
@@ -20,8 +20,8 @@ static uint8_t shelf_area[SHELF_SIZE];
 
 /*
  * shelf_put() - store an item on the shelf
  * @item:  the item to copy in (the returned slot stays zeroed when it is NULL)
  *
  * Returns a pointer to the slot.
  */
 void *shelf_put(size_t pos, const void *item)
@@ -40,3 +40,10 @@ void *shelf_put(size_t pos, const void *item)
 	return slot;
 }
 
+void *shelf_put_zero(size_t pos)
+{
+	uint8_t *slot = shelf_put(pos, NULL);
+
+	slot[0] = 0;
+	return slot;
+}
`,
      },
      {
        name: 'near miss: the comment says the function never returns NULL',
        patch: `--- a/core/lib/shelf.c
+++ b/core/lib/shelf.c
@@ -20,6 +20,6 @@ static uint8_t shelf_area[SHELF_SIZE];
 
 /*
  * Returns the slot at @pos; it never returns NULL (the shelf is static).
  */
 void *shelf_slot(size_t pos)
 {
@@ -40,3 +40,9 @@ void *shelf_slot(size_t pos)
 	return shelf_area + pos;
 }
 
+uint8_t shelf_first(size_t pos)
+{
+	uint8_t *slot = shelf_slot(pos);
+
+	return slot[0];
+}
`,
      },
      {
        name: 'near miss: a documented NULL is tested before the use',
        refuted: true,
        patch: `--- a/core/kernel/gadget.c
+++ b/core/kernel/gadget.c
@@ -20,7 +20,7 @@ static struct gadget gadgets[GADGET_COUNT];
 
 /*
  * Looks up the gadget registered for @id.
  * Returns the gadget, or NULL if none is registered.
  */
 static struct gadget *gadget_find(uint32_t id)
 {
@@ -40,3 +40,13 @@ static struct gadget *gadget_find(uint32_t id)
 	return NULL;
 }
 
+uint32_t gadget_flags(uint32_t id)
+{
+	struct gadget *g = NULL;
+
+	g = gadget_find(id);
+	if (!g)
+		return 0;
+
+	return g->flags;
+}
`,
      },
      {
        name: "in tree mode, a getter whose body can return NULL (after BUG()) but whose callers use it untested: the project's practice",
        patch: `--- a/xen/drivers/ops.c
+++ b/xen/drivers/ops.c
@@ -20,3 +20,5 @@ int ops_suspend(void)
 {
-    return 0;
+    const struct dev_ops *ops = get_dev_ops();
+
+    return ops->suspend();
 }
`,
        tree: {
          'xen/include/ops.h': `static inline const struct dev_ops *get_dev_ops(void)
{
    switch ( vendor )
    {
    case 1:
        return &one_ops;
    default:
        BUG();
    }

    return NULL;
}
`,
          'xen/drivers/ops.c': `int ops_init(void)
{
    const struct dev_ops *ops = get_dev_ops();
    return ops->init();
}

void ops_resume(void)
{
    const struct dev_ops *ops = get_dev_ops();
    ops->resume();
}

void ops_crash(void)
{
    const struct dev_ops *ops = get_dev_ops();
    ops->crash();
}

int ops_suspend(void)
{
    return 0;
}
`,
        },
      },
      {
        name: 'near miss: the allocation is tested before the copy',
        refuted: true,
        patch: `--- a/xen/common/foo.c
+++ b/xen/common/foo.c
@@ -10,5 +10,10 @@ static int foo_copy_table(const void *src, unsigned long len)
 {
     void *table;
 
+    table = xvmalloc_array(char, len);
+    if ( !table )
+        return -ENOMEM;
+    memcpy(table, src, len);
+
     return foo_parse(table);
 }
`,
      },
      {
        name: 'near miss: the use sits inside if ( p )',
        refuted: true,
        patch: `--- a/core/mm/bar.c
+++ b/core/mm/bar.c
@@ -20,3 +20,8 @@ static void bar_dup(paddr_t pa, void *dst, size_t len)
 {
+	void *src = phys_to_virt(pa, MEM_AREA_TEE_RAM, len);
+
+	if (src)
+		memcpy(dst, src, len);
+
 	bar_done();
 }
`,
      },
      {
        name: 'near miss: an assertion on the pointer before the use',
        refuted: true,
        patch: `--- a/xen/common/grault.c
+++ b/xen/common/grault.c
@@ -10,5 +10,9 @@ static void grault_fill(struct domain *d)
 {
     struct page_info *pg;
 
+    pg = alloc_domheap_page(d, 0);
+    BUG_ON(!pg);
+    pg->count_info = 0;
+
     grault_done(d);
 }
`,
      },
      {
        name: 'near miss: a short-circuit test guards the use on the same line',
        refuted: true,
        patch: `--- a/core/kernel/plugh.c
+++ b/core/kernel/plugh.c
@@ -10,3 +10,8 @@ static bool plugh_is_cpu(const void *fdt, int node)
 {
+	const char *type = NULL;
+
+	type = fdt_getprop(fdt, node, "device_type", NULL);
+	if (!type || strcmp(type, "cpu"))
+		return false;
 	return true;
 }
`,
      },
      {
        name: 'near miss: a lookup in a loop is tested before each use',
        refuted: true,
        patch: `--- a/xen/common/thud.c
+++ b/xen/common/thud.c
@@ -10,3 +10,12 @@ static void thud_walk(struct dt_device_node *from)
 {
+    struct dt_device_node *np = from;
+
+    for ( ; ; )
+    {
+        np = dt_find_node_by_type(np, "cpu");
+        if ( !np )
+            break;
+        np->used_by = 0;
+    }
     thud_done();
 }
`,
      },
      {
        name: 'near miss: an empty allocation is allowed, and nothing is used when it is empty',
        refuted: true,
        patch: `--- a/xen/common/xyzzy.c
+++ b/xen/common/xyzzy.c
@@ -10,5 +10,12 @@ static int xyzzy_fill(unsigned int n)
 {
     unsigned int i;
+    uint32_t *buf;
 
+    buf = xzalloc_array(uint32_t, n);
+    if ( n && !buf )
+        return -ENOMEM;
+    for ( i = 0; i < n; i++ )
+        buf[i] = i;
+
     return xyzzy_commit(buf, n);
 }
`,
      },
      {
        name: 'an error pointer tested with IS_ERR before use',
        refuted: true,
        patch: `--- a/drivers/clk/garply.c
+++ b/drivers/clk/garply.c
@@ -10,5 +10,10 @@ static int garply_probe(struct device *dev, struct garply *g)
 {
     struct clk *clk;
 
+    clk = devm_clk_get(dev, "bus");
+    if ( IS_ERR(clk) )
+        return PTR_ERR(clk);
+    g->rate = clk->rate;
+
     return 0;
 }
`,
      },
      {
        name: 'a result that is only freed or returned is not used',
        patch: `--- a/xen/common/waldo.c
+++ b/xen/common/waldo.c
@@ -10,5 +10,8 @@ static void *waldo_get(unsigned long len)
 {
     void *p;
 
+    p = xvmalloc_array(char, len);
+    xfree(p);
+    p = xzalloc_bytes(len);
     return p;
 }
`,
      },
      {
        name: 'near miss: a pointer printed with %p before its test is formatted, not dereferenced',
        patch: `--- a/core/pta/tests/quux.c
+++ b/core/pta/tests/quux.c
@@ -10,3 +10,9 @@ static int quux_check(paddr_t pa)
 {
+	void *v = NULL;
+
+	v = phys_to_virt(pa, MEM_AREA_TEE_RAM, 1);
+	LOG("phys_to_virt(%#lx) => %p", (unsigned long)pa, v);
+	if (!v)
+		return 1;
 	return 0;
 }
`,
      },
      {
        name: 'near miss: the patch rewrites a line whose result was already used untested before',
        patch: `--- a/xen/tools/corge.c
+++ b/xen/tools/corge.c
@@ -10,7 +10,7 @@ static void corge_table(unsigned int n)
 {
 	unsigned int *marks;
 
-	marks = malloc(sizeof(unsigned int) * n);
+	marks = malloc(sizeof(*marks) * (n + 1));
 	marks[0] = 0;
 	corge_emit(marks, n);
 }
`,
      },
      {
        name: "near miss: an unknown lookup tested after every call",
        patch: `--- a/xen/common/blip.c
+++ b/xen/common/blip.c
@@ -10,5 +10,16 @@ static int blip_load(struct blip_img *img)
 {
     const struct blip_sec *sec;
 
+    sec = blip_find_sec(img, ".blip.id");
+    if ( sec )
+    {
+        if ( sec->size < 4 )
+            return -EINVAL;
+    }
+
+    sec = blip_find_sec(img, ".blip.deps");
+    if ( sec && sec->size < 4 )
+        return -EINVAL;
+
     return 0;
 }
`,
      },
      {
        name: "an unknown lookup the patch dereferences untested more often than it tests is not taken as failing",
        patch: `--- a/xen/common/blip.c
+++ b/xen/common/blip.c
@@ -10,5 +10,13 @@ static int blip_load(struct blip_img *img)
 {
     const struct blip_sec *sec;
 
+    sec = blip_find_sec(img, ".blip.id");
+    if ( !sec )
+        return -ENOENT;
+    sec = blip_find_sec(img, ".blip.deps");
+    img->deps = sec->addr;
+    sec = blip_find_sec(img, ".blip.text");
+    img->text = sec->addr;
+
     return 0;
 }
`,
      },
      {
        name: "near miss: an allocation stored in a member is tested through the member before the copy",
        refuted: true,
        patch: `--- a/core/drivers/frob.c
+++ b/core/drivers/frob.c
@@ -10,3 +10,8 @@ static TEE_Result frob_setup(struct frob *f, const void *src, size_t len)
 {
+	f->buf = calloc(1, len);
+	if (!f->buf)
+		return TEE_ERROR_OUT_OF_MEMORY;
+	memcpy(f->buf, src, len);
+
 	return TEE_SUCCESS;
 }
`,
      },
      {
        name: "an allocation stored in a member, then the object handed to a function the patch does not show",
        patch: `--- a/core/drivers/frob.c
+++ b/core/drivers/frob.c
@@ -10,3 +10,7 @@ static TEE_Result frob_setup(struct frob *f, const void *src, size_t len)
 {
+	f->buf = calloc(1, len);
+	frob_fill(f);
+	memcpy(f->buf, src, len);
+
 	return TEE_SUCCESS;
 }
`,
      },
      {
        name: "near miss: an address inside the result handed to a call, then a NULL test before the dereference",
        refuted: true,
        patch: `--- a/xen/common/zot.c
+++ b/xen/common/zot.c
@@ -10,5 +10,11 @@ static void zot_init(struct zot_dev *d)
 {
     struct zot_state *st;
 
+    st = xzalloc(struct zot_state);
+    zot_prepare(&st->lock);
+    if ( !st )
+        return;
+    st->owner = d;
+
     zot_done(d);
 }
`,
      },
      {
        name: "an allocation handed to a helper the patch defines, which tests its parameter first",
        patch: `--- a/xen/common/plugh.c
+++ b/xen/common/plugh.c
@@ -10,3 +10,17 @@ struct plugh_ent {
     unsigned int id;
 };
 
+static void plugh_ent_init(struct plugh_ent *e, unsigned int id)
+{
+    if ( !e )
+        return;
+    e->id = id;
+}
+
+static struct plugh_ent *plugh_new(unsigned int id)
+{
+    struct plugh_ent *e = xmalloc(struct plugh_ent);
+
+    plugh_ent_init(e, id);
+    return e;
+}
`,
      },
      {
        name: "a getter the patch shows whole, which only ever returns an address, is not a NULL source though a caller tests it",
        patch: `--- a/xen/common/slot.c
+++ b/xen/common/slot.c
@@ -10,3 +10,26 @@ static struct slot slots[NR_SLOTS];
 
 static unsigned int slot_count;
 
+static struct slot *slot_of(unsigned int i)
+{
+    struct slot *s = NULL;
+
+    s = &slots[i % NR_SLOTS];
+    return s;
+}
+
+static int slot_a(unsigned int i)
+{
+    struct slot *s = slot_of(i);
+
+    if ( !s )
+        return -ENOENT;
+    return s->val;
+}
+
+static int slot_b(unsigned int i)
+{
+    struct slot *s = slot_of(i);
+
+    return s->val;
+}
`,
      },
      {
        name: "a NULL test whose branch runs a macro the review does not know (it may return) is the author's handling",
        patch: `--- a/xen/common/fizz.c
+++ b/xen/common/fizz.c
@@ -10,5 +10,10 @@ static void fizz_parse(struct fizz *fz, const char *conf)
 {
     struct fizz_opt *o;
 
+    o = xzalloc(struct fizz_opt);
+    if ( !o )
+        FIZZ_ERR_RET("no memory for %s", conf);
+    o->name = conf;
+
     fizz_add(fz, o);
 }
`,
      },
      {
        name: "a lookup known only from the patch's tests, asked with constant arguments: the author knows the answer",
        patch: `--- a/xen/common/wobble.c
+++ b/xen/common/wobble.c
@@ -10,3 +10,18 @@ struct wobble;
 
 static unsigned int wobble_count;
 
+static int wobble_run(unsigned int id)
+{
+    const struct wobble_ops *o = wobble_ops(id);
+
+    if ( !o )
+        return -ENOENT;
+    return o->run();
+}
+
+static int wobble_default(void)
+{
+    const struct wobble_ops *o = wobble_ops(WOBBLE_DEFAULT);
+
+    return o->run();
+}
`,
      },
      {
        name: "a dereference inside an assertion checks the object; it is not the failure going on",
        patch: `--- a/xen/common/grault.c
+++ b/xen/common/grault.c
@@ -10,5 +10,8 @@ static void grault_fill(struct domain *d)
 {
     struct page_info *pg;
 
+    pg = alloc_domheap_page(d, 0);
+    ASSERT(pg->count_info == 0);
+
     grault_done(d, pg);
 }
`,
      },
      {
        name: "a getter the patch shows whole, returning an element of a file-scope table, is not a NULL source",
        patch: `--- a/core/drivers/quark.c
+++ b/core/drivers/quark.c
@@ -10,3 +10,23 @@ static struct quark_res quark_table[4];
 
 static unsigned int quark_count;
 
+static struct quark_res *quark_find(unsigned int id)
+{
+	return quark_table + id;
+}
+
+static size_t quark_size(unsigned int id)
+{
+	struct quark_res *r = quark_find(id);
+
+	if (!r)
+		return 0;
+	return r->size;
+}
+
+static void *quark_base(unsigned int id)
+{
+	struct quark_res *r = quark_find(id);
+
+	return r->base;
+}
`,
      },
      {
        name: "near miss: the result handed to a release call inside the branch where it was found NULL is the author's deliberate pass",
        patch: `--- a/core/kernel/twig.c
+++ b/core/kernel/twig.c
@@ -10,5 +10,11 @@ static struct twig *twig_get(struct twig_arg *arg, uint64_t cookie)
 {
 	struct twig *t = NULL;
 
+	t = calloc(1, sizeof(*t));
+	if (!t) {
+		twig_release(arg, cookie, t);
+		return NULL;
+	}
+
 	return t;
 }
`,
      },
      {
        name: 'near miss: a constructor the patch defines, whose result the caller tests before writing through it',
        refuted: true,
        patch: `--- a/xen/common/gizmo.c
+++ b/xen/common/gizmo.c
@@ -10,3 +10,22 @@ struct gizmo {
     unsigned int id;
 };
 
+static struct gizmo *gizmo_new(unsigned int id)
+{
+    struct gizmo *g = xzalloc(struct gizmo);
+
+    if ( !g )
+        return NULL;
+    g->id = id;
+    return g;
+}
+
+int gizmo_add(struct domain *d, unsigned int id)
+{
+    struct gizmo *g = gizmo_new(id);
+
+    if ( !g )
+        return -ENOMEM;
+    g->owner = d;
+    return 0;
+}
`,
      },
      {
        name: 'near miss: a function the patch defines that allocates but never hands back NULL (it stops the system instead)',
        patch: `--- a/xen/common/gizmo.c
+++ b/xen/common/gizmo.c
@@ -10,3 +10,20 @@ struct gizmo {
     unsigned int id;
 };
 
+static struct gizmo *gizmo_new(unsigned int id)
+{
+    struct gizmo *g = xzalloc(struct gizmo);
+
+    if ( !g )
+        panic("no memory for gizmo %u\\n", id);
+    g->id = id;
+    return g;
+}
+
+int gizmo_add(struct domain *d, unsigned int id)
+{
+    struct gizmo *g = gizmo_new(id);
+
+    g->owner = d;
+    return 0;
+}
`,
      },
      {
        name: 'near miss: a lookup the patch defines returns NULL for "not found", not for a failed allocation',
        patch: `--- a/xen/common/gizmo.c
+++ b/xen/common/gizmo.c
@@ -10,3 +10,20 @@ struct gizmo {
     unsigned int id;
 };
 
+static struct gizmo *gizmo_find(unsigned int id)
+{
+    unsigned int i;
+
+    for ( i = 0; i < NR_GIZMOS; i++ )
+        if ( gizmos[i].id == id )
+            return &gizmos[i];
+    return NULL;
+}
+
+int gizmo_own(struct domain *d, unsigned int id)
+{
+    struct gizmo *g = gizmo_find(id);
+
+    g->owner = d;
+    return 0;
+}
`,
      },
      {
        name: 'a mapping that cannot fail',
        patch: `--- a/xen/common/fred.c
+++ b/xen/common/fred.c
@@ -10,3 +10,6 @@ static void fred_clear(mfn_t mfn)
 {
+    void *va = map_domain_page(mfn);
+
+    memset(va, 0, PAGE_SIZE);
     unmap_domain_page(va);
 }
`,
      },
      {
        name: 'near miss: the patch dereferences a lookup untested at three sites and tests it at three: the author relies on when it succeeds',
        patch: `--- a/xen/common/blip.c
+++ b/xen/common/blip.c
@@ -10,5 +10,21 @@ static int blip_load(struct blip_img *img)
 {
     const struct blip_sec *sec;
 
+    sec = blip_find_sec(img, ".blip.id");
+    if ( !sec )
+        return -ENOENT;
+    sec = blip_find_sec(img, ".blip.note");
+    if ( !sec )
+        return -ENOENT;
+    sec = blip_find_sec(img, ".blip.sig");
+    if ( !sec )
+        return -ENOENT;
+    sec = blip_find_sec(img, ".blip.deps");
+    img->deps = sec->addr;
+    sec = blip_find_sec(img, ".blip.text");
+    img->text = sec->addr;
+    sec = blip_find_sec(img, ".blip.data");
+    img->data = sec->addr;
+
     return 0;
 }
`,
      },
      {
        // U-Boot fc054d563bfb (2020) shape: a new uclass tests its private-data getter in a few defensive places and
        // reads through it untested elsewhere, twice inside a branch whose condition is about something else.
        name: 'near miss: the patch tests a getter at three sites and reads through it untested at three, two of them in a branch whose condition does not name it',
        patch: `--- a/drivers/misc/wdog-uclass.c
+++ b/drivers/misc/wdog-uclass.c
@@ -10,3 +10,46 @@ struct wdog_priv;
 
 static int wdog_debug;
 
+int wdog_set_window(struct udevice *dev, int lo, int hi)
+{
+	struct wdog_priv *priv = wdog_get_priv(dev);
+
+	if (!priv)
+		return -ENODEV;
+	priv->lo = lo;
+	return 0;
+}
+
+struct udevice *wdog_get_timer(struct udevice *dev)
+{
+	struct wdog_priv *priv = wdog_get_priv(dev);
+
+	if (!priv)
+		return NULL;
+	return priv->timer;
+}
+
+int wdog_kick(struct udevice *dev, int n)
+{
+	struct wdog_priv *priv;
+
+	if (!dev || !wdog_get_priv(dev))
+		return -ENODEV;
+	priv = wdog_get_priv(dev);
+	if (n > 0)
+		priv->count = n;
+	return 0;
+}
+
+int wdog_stop(struct udevice *dev, int flags)
+{
+	struct wdog_priv *priv = wdog_get_priv(dev);
+	int lo = priv->lo;
+
+	if (flags & 1)
+		return lo;
+	priv = wdog_get_priv(dev);
+	if (flags & 2)
+		priv->count = 0;
+	return 0;
+}
`,
      },
      {
        // TF-A ee53e87f18b1 (2026): the getter's comment names the load call; the caller loads, panics on failure, gets.
        name: 'near miss: the comment that says the getter returns NULL names the call that rules it out, which the function made before and panicked on its failure',
        patch: `--- a/plat/gizmo/gizmo_boot.c
+++ b/plat/gizmo/gizmo_boot.c
@@ -20,3 +20,25 @@ static struct gizmo_conf conf;
 static bool conf_loaded;
 
 /*
+ * Accessor. Returns NULL if no configuration has been parsed yet
+ * (caller forgot to call gizmo_conf_load() or it failed).
+ */
+const struct gizmo_conf *gizmo_conf_get(void)
+{
+	return conf_loaded ? &conf : NULL;
+}
+
+void gizmo_boot(void)
+{
+	const struct gizmo_conf *c;
+
+	if (gizmo_conf_load(GIZMO_CONF_PATH) != 0) {
+		ERROR("gizmo: failed to load the configuration\n");
+		panic();
+	}
+	c = gizmo_conf_get();
+
+	gizmo_set_speed(c->speed);
+}
+
+/*
`,
      },
      {
        // U-Boot fe9877c7d9de (2026): a unit test asserts the lookup's result non-NULL with ut_assertnonnull().
        name: 'near miss: a unit test hands the result straight to a test framework\'s assertion (`test_assert_nonnull(buf)`), which fails the test on NULL',
        patch: `--- a/test/lib/blip.c
+++ b/test/lib/blip.c
@@ -20,5 +20,9 @@ static int blip_test_fill(struct unit_test_state *uts)
 	ulong len = 64;
 	char *buf;
 
+	buf = malloc(len);
+	test_assert_nonnull(buf);
+	memset(buf, 0, len);
+
 	return 0;
 }
`,
      },
    ],
  },
});
