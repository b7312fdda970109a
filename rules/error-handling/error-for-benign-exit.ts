import { defineRule, type Report } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { assignedCall, bodyStatements, callOfStatement, conditionOf, descendants, errnoReturned, fold, statementsOf } from '../../src/review/ast.ts';
import { isAbortCall, isLogCall } from '../../src/sim/index.ts';
import { calleeName, peel } from '../../src/review/calls.ts';
import {
  absentCode, isErrorConstant, isFeatureFlag, isInfoLevelLog, isFeaturePredicate, isLookupName, isValidatorName, NON_ERROR_LOG_CALLEES, NON_ERROR_LOG_LEVELS,
} from '../../src/review/api-data.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { replacedBy } from '../../src/review/patch-lines.ts';
import { SEED_THREAD } from './source.ts';

function guardOf(ret: SyntaxNode): SyntaxNode | null {
  for (let n: SyntaxNode | null = ret.parent; n; n = n.parent) {
    if (n.type === 'if_statement') return n;
    if (n.type === 'function_definition') return null;
  }
  return null;
}

const disabledFlag = (ifs: SyntaxNode | null): string | null => {
  const cond = ifs ? peel(conditionOf(ifs)) : null;
  if (cond?.type !== 'unary_expression' || cond.childForFieldName('operator')?.text !== '!') return null;
  const arg = peel(cond.childForFieldName('argument'));
  return arg?.type === 'identifier' && isFeatureFlag(arg.text) ? arg.text : null;
};

/**
 * `if ( !p(...) )` with p a predicate asking whether a feature is configured (`hap_enabled(d)`), alone or as an
 * operand of `&&` (the exit is taken when the feature is off and something else holds): the call.
 */
function disabledPredicate(ifs: SyntaxNode | null): SyntaxNode | null {
  const operands = (e: SyntaxNode | null): SyntaxNode[] => {
    const n = peel(e);
    if (n?.type === 'binary_expression' && n.childForFieldName('operator')?.text === '&&') {
      return [...operands(n.childForFieldName('left')), ...operands(n.childForFieldName('right'))];
    }
    return n ? [n] : [];
  };
  for (const cond of operands(ifs ? conditionOf(ifs) : null)) {
    if (cond.type !== 'unary_expression' || cond.childForFieldName('operator')?.text !== '!') continue;
    const arg = peel(cond.childForFieldName('argument'));
    if (arg?.type === 'call_expression' && isFeaturePredicate(calleeName(arg))) return arg;
  }
  return null;
}

/** The call a guard tests directly: `if (f(...))`, `if (f(...) != 0)`, `if (f(...) < 0)`. */
function testedCall(ifs: SyntaxNode | null): SyntaxNode | null {
  const cond = ifs ? peel(conditionOf(ifs)) : null;
  if (cond?.type === 'call_expression') return cond;
  if (cond?.type !== 'binary_expression' || !['!=', '<', '>'].includes(cond.childForFieldName('operator')?.text ?? '')) return null;
  const left = peel(cond.childForFieldName('left'));
  return left?.type === 'call_expression' && cond.childForFieldName('right')?.text === '0' ? left : null;
}

/** A string or comment in the guard's branch that calls what is looked up mandatory or required. */
function saysRequired(guard: SyntaxNode | null): boolean {
  const branch = guard?.childForFieldName('consequence');
  if (!branch) return false;
  return [...descendants(branch, 'string_literal'), ...descendants(branch, 'comment')].some((n) => /\b(?:mandatory|required)\b/i.test(n.text));
}

/**
 * An optional thing that is absent turned into an error: the guard tests a call to a function the patch
 * shows, which returns a not-found code (`-ENOENT`, `-FDT_ERR_NOTFOUND`...) on some path, and the exit
 * returns a different, fixed error for every failure of it, without ever looking at the not-found code.
 */
function absentMadeFatal(ctx: FunctionContext, ret: SyntaxNode): { call: SyntaxNode; callee: string; absent: string } | null {
  const value = ret.namedChild(0);
  if (!value || !isErrorConstant(value.text) || absentCode(value.text)) return null;
  const call = testedCall(guardOf(ret));
  if (!call) return null;
  // The branch says the thing is required ("Mandatory field is missing: base-address"): its absence is the error.
  if (saysRequired(guardOf(ret))) return null;
  const callee = calleeName(call);
  const def = ctx.file.functions.find((f) => f.name === callee && f.post)?.post;
  if (!def) return null;
  for (const r of descendants(def.node, 'return_statement')) {
    const absent = absentCode(r.namedChild(0)?.text ?? '');
    if (!absent) continue;
    const bare = absent.replace(/^-/, '');
    if (ctx.post.node.text.includes(bare)) return null; // the caller tells absence apart
    return { call, callee, absent };
  }
  return null;
}

/** The lookup whose "not there" a guard tests: `if ( !x )`, `x == NULL`, `x < 0` right after `x = f(...)`, or `if ( !f(...) )`. */
function testedLookup(ifs: SyntaxNode): { call: SyntaxNode; result: 'zero' | 'negative'; prev?: SyntaxNode } | null {
  const cond = peel(conditionOf(ifs));
  let subject: SyntaxNode | null = null;
  let result: 'zero' | 'negative' = 'zero';
  if (cond?.type === 'unary_expression' && cond.childForFieldName('operator')?.text === '!') subject = peel(cond.childForFieldName('argument'));
  else if (cond?.type === 'binary_expression') {
    const op = cond.childForFieldName('operator')?.text;
    const right = cond.childForFieldName('right')?.text;
    if (op === '==' && (right === 'NULL' || right === '0')) subject = peel(cond.childForFieldName('left'));
    if (op === '<' && right === '0') [subject, result] = [peel(cond.childForFieldName('left')), 'negative'];
  }
  if (subject?.type === 'call_expression') return isLookupName(calleeName(subject)) ? { call: subject, result } : null;
  if (subject?.type !== 'identifier' || !ifs.parent) return null;
  // The nearest statement before the test that sets the variable, in the same block.
  const list = statementsOf(ifs.parent);
  const name = subject.text;
  const writes = new RegExp(`\\b${name}\\s*=[^=]`);
  for (let i = list.findIndex((x) => x.id === ifs.id) - 1; i >= 0; i--) {
    const prev = list[i]!;
    const plain = assignedCall(prev);
    const assigned = plain?.variable === name ? plain : pointerInit(prev);
    if (assigned?.variable === name) return isLookupName(calleeName(assigned.call)) ? { call: assigned.call, result, prev } : null;
    if (writes.test(prev.text) || (prev.type === 'declaration' && new RegExp(`\\b${name}\\b`).test(prev.text))) return null;
  }
  return null;
}

/** `struct s *p = f(...);`: p and the call (assignedCall reads plain declarators only). */
function pointerInit(decl: SyntaxNode): { variable: string; call: SyntaxNode } | null {
  if (decl.type !== 'declaration') return null;
  const inits = decl.childrenForFieldName('declarator').filter((d) => d.type === 'init_declarator');
  if (inits.length !== 1) return null;
  let name = inits[0]!.childForFieldName('declarator');
  while (name?.type === 'pointer_declarator') name = name.childForFieldName('declarator');
  const value = peel(inits[0]!.childForFieldName('value'));
  return name?.type === 'identifier' && value?.type === 'call_expression' ? { variable: name.text, call: value } : null;
}

/** A warning-level log among a branch's statements. */
function nonErrorLog(ctx: FunctionContext, branch: SyntaxNode | null): SyntaxNode | null {
  for (const s of bodyStatements(branch)) {
    const call = callOfStatement(s);
    if (!call) continue;
    if (NON_ERROR_LOG_CALLEES.includes(calleeName(call))) return s;
    // The level as written (the C model reads level macros such as XENLOG_WARNING as the string they expand to).
    if (isLogCall(calleeName(call)) && NON_ERROR_LOG_LEVELS.some((l) => ctx.lineText(s).includes(l) || call.text.includes(l))) return s;
  }
  return null;
}

const SUCCESS_EXIT = /^(return\s*(0|[A-Z][A-Z0-9]*_(SUCCESS|OK|OKAY))?\s*;|continue\s*;|break\s*;)$/;

/**
 * What the patch shows of an optional lookup: the same lookup's "not there" treated as no error elsewhere in the
 * file's touched code, an "optional" comment at the test, or a message below error level in the failing branch.
 */
function optionalEvidence(ctx: FunctionContext, ifs: SyntaxNode, call: SyntaxNode, prev?: SyntaxNode): string | null {
  const callee = calleeName(call);
  const log = nonErrorLog(ctx, ifs.childForFieldName('consequence'));
  if (log) return `the message at line ${ctx.lineOf(log)} is only a warning`;
  const from = prev ?? ifs;
  for (const c of descendants(ifs.parent ?? ifs, 'comment')) {
    if (c.startIndex >= from.startIndex && c.endIndex <= ifs.endIndex && /\boptional\b|may not (be present|exist)|if (any|present)\b/i.test(c.text)) {
      return `the comment at line ${ctx.lineOf(c)} says it is optional`;
    }
  }
  for (const fn of ctx.file.functions) {
    const image = fn.post;
    if (!image) continue;
    for (const other of descendants(image.node, 'if_statement')) {
      if (image === ctx.post && other.id === ifs.id) continue;
      const t = testedLookup(other);
      if (!t || calleeName(t.call) !== callee || other.childForFieldName('alternative')) continue;
      const body = bodyStatements(other.childForFieldName('consequence')).filter((x) => !callOfStatement(x) || !isLogCall(calleeName(callOfStatement(x)!)));
      if (body.length === 1 && SUCCESS_EXIT.test(body[0]!.text.replace(/\s+/g, ' ').trim())) {
        return `at line ${image.lineMap[other.startPosition.row] ?? 0} (${fn.name}()) ${callee}() finding nothing is not an error`;
      }
    }
  }
  return null;
}

/** `E == 0`, `0 == E` or `!E` with E a variable or a field (not a call): E's text, folded. */
function emptyTested(ifs: SyntaxNode): string | null {
  const cond = peel(conditionOf(ifs));
  let subject: SyntaxNode | null = null;
  if (cond?.type === 'unary_expression' && cond.childForFieldName('operator')?.text === '!') subject = peel(cond.childForFieldName('argument'));
  else if (cond?.type === 'binary_expression' && cond.childForFieldName('operator')?.text === '==') {
    const [l, r] = [peel(cond.childForFieldName('left')), peel(cond.childForFieldName('right'))];
    subject = r?.text === '0' ? l : l?.text === '0' ? r : null;
  }
  return subject && ['identifier', 'field_expression', 'subscript_expression'].includes(subject.type) ? fold(subject.text) : null;
}

/** A loop of the function that runs `i < E` times: E counts what the function works through. */
function loopsOver(fn: SyntaxNode, count: string): boolean {
  const below = (b: SyntaxNode): boolean =>
    b.type === 'binary_expression' && b.childForFieldName('operator')?.text === '<' && fold(b.childForFieldName('right')?.text ?? '') === count;
  return [...descendants(fn, 'for_statement'), ...descendants(fn, 'while_statement')].some((loop) => {
    const cond = loop.childForFieldName('condition');
    return !!cond && (below(cond) || [...descendants(cond, 'binary_expression')].some(below));
  });
}

const SUCCESS_OR_NOTHING = /^(return\s*(0|[A-Z][A-Z0-9]*_(SUCCESS|OK|OKAY))?\s*;|continue\s*;|break\s*;)$/;

/**
 * An empty set made an error: `if ( E == 0 ) return -ERR;` where the function then loops `i < E` (with nothing
 * there the loop would just not run) and the file's touched code takes the very same test as "nothing to do"
 * (`if ( E == 0 ) return 0;`). A caller shown in the file that tells the error apart leaves it to the caller.
 */
function emptyMadeError(ctx: FunctionContext, ret: SyntaxNode, guard: SyntaxNode): { count: string; evidence: string } | null {
  const value = ret.namedChild(0);
  if (!value || !isErrorConstant(value.text) || guard.childForFieldName('alternative')) return null;
  if (bodyStatements(guard.childForFieldName('consequence')).length !== 1) return null;
  const count = emptyTested(guard);
  if (!count || !loopsOver(ctx.post.node, count)) return null;
  const bare = value.text.replace(/[\s()-]/g, '');
  const toldApart = new RegExp(`(==|!=)\\s*\\(?\\s*-?\\s*${bare}\\b|\\bcase\\s+\\(?-?\\s*${bare}\\b`);
  let evidence: string | null = null;
  // A plain local's name means nothing in another function: only a field (`mem->nr_banks`) is the same count there.
  const field = /->|\./.test(count);
  for (const fn of ctx.file.functions) {
    const image = fn.post;
    if (!image) continue;
    if (toldApart.test(image.node.text)) return null;
    if (evidence || (!field && image !== ctx.post)) continue;
    for (const other of descendants(image.node, 'if_statement')) {
      if (other.id === guard.id || other.childForFieldName('alternative') || emptyTested(other) !== count) continue;
      const body = bodyStatements(other.childForFieldName('consequence')).filter((x) => !callOfStatement(x) || !isLogCall(calleeName(callOfStatement(x)!)));
      if (body.length === 1 && SUCCESS_OR_NOTHING.test(fold(body[0]!.text))) {
        evidence = `${fn.name}() takes the same test as nothing to do at line ${image.lineMap[other.startPosition.row] ?? 0} (\`${fold(body[0]!.text)}\`)`;
        break;
      }
    }
  }
  return evidence ? { count, evidence } : null;
}

/** A branch that only prints (any level, OP-TEE's DMSG/IMSG included) and falls through. */
function onlyPrints(branch: SyntaxNode | null): boolean {
  const list = bodyStatements(branch);
  return list.length > 0 && list.every((s) => {
    const call = callOfStatement(s);
    return !!call && (isLogCall(calleeName(call)) || isInfoLevelLog(calleeName(call)));
  });
}

/**
 * A caller in the file's touched code that keeps this function's result and, when it is zero, only logs and goes on:
 * "no value" is survivable there.
 */
function calmCaller(ctx: FunctionContext): string | null {
  for (const fn of ctx.file.functions) {
    const image = fn.post;
    if (!image || image === ctx.post) continue;
    const kept = new Set<string>();
    for (const a of descendants(image.node, 'assignment_expression')) {
      const right = peel(a.childForFieldName('right'));
      if (a.childForFieldName('operator')?.text === '=' && right?.type === 'call_expression' && calleeName(right) === ctx.fn.name) {
        kept.add(fold(a.childForFieldName('left')?.text ?? ''));
      }
    }
    if (kept.size === 0) continue;
    for (const other of descendants(image.node, 'if_statement')) {
      const tested = emptyTested(other);
      if (!tested || !kept.has(tested) || other.childForFieldName('alternative') || !onlyPrints(other.childForFieldName('consequence'))) continue;
      return `${fn.name}() keeps its result in ${tested} and, when that is zero, only logs and goes on (line ${image.lineMap[other.startPosition.row] ?? 0})`;
    }
  }
  return null;
}

/**
 * A conversion that makes absence a failure: before the patch `s = f(.., &v); if (s || !v) return s;` left the
 * function with s 0 (success) when f() found nothing; after it `s = g(.., &v); if (s) return s;`, a different
 * callee whose "none" is its error (the `!v` test is gone, so the author relies on it), and that error is
 * returned. Not where the branch logs (the author meant a failure) or where the patch still tests v.
 */
function absenceNowFails(ctx: FunctionContext): { ret: SyntaxNode; call: SyntaxNode; oldCallee: string; variable: string; status: string }[] {
  const pre = ctx.pre?.node;
  if (!pre) return [];
  const out: { ret: SyntaxNode; call: SyntaxNode; oldCallee: string; variable: string; status: string }[] = [];
  const outArg = (call: SyntaxNode, v: string): boolean =>
    (call.childForFieldName('arguments')?.namedChildren ?? []).some((a) => a.text.replace(/\s+/g, '') === `&${v}`);
  const before = (ifs: SyntaxNode): SyntaxNode | null => {
    let p = ifs.previousNamedSibling;
    while (p?.type === 'comment') p = p.previousNamedSibling;
    return p;
  };
  const exitOf = (ifs: SyntaxNode): SyntaxNode | null => {
    const body = bodyStatements(ifs.childForFieldName('consequence'));
    if (ifs.childForFieldName('alternative') || body.some((st) => { const c = callOfStatement(st); return !!c && isLogCall(calleeName(c)); })) return null;
    const last = body[body.length - 1];
    return last?.type === 'return_statement' ? last : null;
  };
  for (const ifs of descendants(pre, 'if_statement')) {
    const cond = peel(conditionOf(ifs));
    if (cond?.type !== 'binary_expression' || cond.childForFieldName('operator')?.text !== '||') continue;
    const left = peel(cond.childForFieldName('left'));
    const right = peel(cond.childForFieldName('right'));
    if (left?.type !== 'identifier' || right?.type !== 'unary_expression' || right.childForFieldName('operator')?.text !== '!') continue;
    const v = peel(right.childForFieldName('argument'));
    if (v?.type !== 'identifier') continue;
    const status = left.text;
    const variable = v.text;
    if (exitOf(ifs)?.namedChild(0)?.text !== status) continue;
    const prev = before(ifs);
    const old = prev ? assignedCall(prev) : null;
    if (!old || old.variable !== status || !outArg(old.call, variable)) continue;
    const oldCallee = calleeName(old.call);
    // The patch no longer tests v anywhere in the function.
    if (new RegExp(`!\\s*${variable}\\b|\\b${variable}\\s*==\\s*NULL`).test(ctx.post.node.text)) continue;
    for (const now of descendants(ctx.post.node, 'if_statement')) {
      if (!ctx.isAdded(now)) continue;
      const c = peel(conditionOf(now));
      if (c?.type !== 'identifier' || c.text !== status) continue;
      const ret = exitOf(now);
      const p = before(now);
      const call = p ? assignedCall(p) : null;
      if (!ret || ret.namedChild(0)?.text !== status || !call || call.variable !== status || !outArg(call.call, variable)) continue;
      if (calleeName(call.call) === oldCallee) continue;
      out.push({ ret, call: call.call, oldCallee, variable, status });
    }
  }
  return out;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'error-for-benign-exit',
    pack: 'error-handling',
    family: 'disabled-not-error',
    severity: 'warning',
    summary: 'An error is returned for a benign condition: a feature switched off, an optional thing that is absent (a looked-up callee\'s not-found code made fatal), an empty set the patch elsewhere takes as nothing to do, or an exit that used to be a normal return.',
    source: {
      ...SEED_THREAD,
      quote: 'iommu_enabled can be false if user chooses so. You should return ZERO here to indicate success.',
    },
    messages: {
      disabled:
        '{{flag}} can be false because the user chose so; that is not a failure. Return 0 here instead of {{errno}}, or every caller will treat a disabled feature as an error.',
      disabledByCall:
        'When {{callee}}() says the feature is off, {{function}}() fails with {{errno}}, but a feature that is off is not an invalid argument. If {{function}}() has nothing to do without it, return 0; if it cannot work without it, -EOPNOTSUPP says why.',
      absentLookupFatal:
        'When {{callee}}() finds nothing, {{function}}() fails with {{errno}}, yet {{evidence}}. If what it looks up is optional here, return success (a warning at most); if it is required, the message should say so.',
      absentIsFatal:
        '{{callee}}() returns {{absent}} when what it looks up is simply not there, but {{function}}() turns every failure of it into {{errno}}, so an absent (optional or disabled) {{callee}}() target becomes a fatal error. Return success for {{absent}}, or say why absence is an error.',
      absentStops:
        'When {{callee}}() finds nothing, {{function}}() calls {{stops}}(), yet {{evidence}}. If the value is optional, return a default (0) rather than stopping the system; if it is required, say so in a message first.',
      emptyIsError:
        'With {{count}} 0 there is nothing to do: the loop over it would simply not run, and {{evidence}}. Yet {{function}}() fails with {{errno}} then, so every caller has to treat "none configured" as an error. Return 0 here, or say why an empty set is an error.',
      absenceNowFails:
        'Before the patch, when {{oldCallee}}() found no {{variable}}, {{function}}() returned {{status}}, which was 0 there (`{{status}} || !{{variable}}`): nothing there was not a failure. {{callee}}() reports that absence as its error, and {{function}}() now returns it, so a system without one fails here. If having none is fine, return 0 for the not-found code; if it is now required, say so.',
      wasPlainReturn:
        'This exit was a plain `return;` before the patch, and nothing has failed when it is reached. Is it really a failure? If not, return 0 rather than {{errno}}.',
    },
    fixable: false,
    limitations: 'Cannot know what a condition means; it asks when an old normal exit became an error, and says so when a configuration flag guards it. The absent case needs the callee\'s body in the patch (same file) and a caller that never names the not-found code; an absence that really is fatal there is a false positive, unless the branch says so (a string or comment calling it mandatory or required). A feature test by call (`!p_enabled(d)`) is reported only when it returns -EINVAL without a log of its own, outside validating functions, once per predicate and function, and only as inconclusive: whether the operation needs the feature is not something the code shows. A lookup (find/lookup/device-tree getters) whose "not there" is made an error is reported only with evidence from the patch that it is optional (the same lookup\'s absence handled as success elsewhere in the file\'s touched code, an "optional" comment, a warning-level message), and only as inconclusive; a not-found code passed on is for the caller to judge. An empty set made an error (`if ( E == 0 ) return -ERR;` before a loop `i < E`) is reported only when the file\'s touched code takes the very same test as nothing to do (`return 0;`; in another function only for a field such as `mem->nr_banks`, a plain local\'s name meaning nothing there) and no caller shown tells the error apart; lines moved from another file count for this shape, since the evidence is the patch\'s own code. A conversion that makes absence a failure (`s = f(.., &v); if (s || !v) return s;` becoming `s = g(.., &v); if (s) return s;` with another callee and no test of v left) is reported only when the branch does not log, and only as inconclusive: whether g() reports absence as an error, and whether the function may go without v, the patch does not show.',
  },
  detect(ctx) {
    const out = [];
    for (const ret of descendants(ctx.post.node, 'return_statement')) {
      if (!ctx.isAdded(ret)) continue;
      const errno = errnoReturned(ret);
      if (!errno) continue;
      const flag = disabledFlag(guardOf(ret));
      const wasPlain = replacedBy(ctx, ctx.lineOf(ret)).some((t) => /^\s*return\s*;\s*$/.test(t));
      if (flag || wasPlain) {
        out.push({ node: ret, data: { flag, errno: `-${errno}` } });
        continue;
      }
      // A feature test by call whose "off" becomes -EINVAL: an errno that names a bad argument, not a missing
      // feature (-EOPNOTSUPP, -ENODEV... say the author meant "not available" and are left alone).
      // Not where the author said so: a branch that logs why it fails, or a function whose job is to validate a request.
      const guard = guardOf(ret);
      const logs = bodyStatements(guard?.childForFieldName('consequence') ?? null).some((s) => {
        const call = callOfStatement(s);
        return !!call && isLogCall(calleeName(call));
      });
      const predicate = errno === 'EINVAL' && !logs && !isValidatorName(ctx.fn.name) ? disabledPredicate(guard) : null;
      // One finding per predicate and function: the same test before several operations is one question.
      if (predicate && !out.some((c) => c.data.predicate && calleeName(c.data.predicate as SyntaxNode) === calleeName(predicate))) {
        out.push({ node: ret, data: { predicate, errno: `-${errno}` } });
      }
    }
    for (const ret of descendants(ctx.post.node, 'return_statement')) {
      if (!ctx.isAdded(ret)) continue;
      const hit = absentMadeFatal(ctx, ret);
      if (hit) {
        out.push({ node: ret, data: { ...hit, errno: ret.namedChild(0)!.text } });
        continue;
      }
      // A lookup that finds nothing made a failure, where the patch itself shows the thing is optional.
      const value = ret.namedChild(0);
      const guard = guardOf(ret);
      // A not-found code passed on (-ENOENT, TEE_ERROR_ITEM_NOT_FOUND...) leaves absence for the caller to tell apart.
      if (!value || !isErrorConstant(value.text) || absentCode(value.text) || !guard) continue;
      const lookup = testedLookup(guard);
      const evidence = lookup ? optionalEvidence(ctx, guard, lookup.call, lookup.prev) : null;
      if (lookup && evidence) out.push({ node: ret, data: { lookup: lookup.call, result: lookup.result, evidence, errno: value.text } });
    }
    // An optional value whose absence stops the system, where a caller the patch shows takes "no value" calmly.
    for (const ifs of descendants(ctx.post.node, 'if_statement')) {
      const body = bodyStatements(ifs.childForFieldName('consequence'));
      const stop = body.length === 1 ? callOfStatement(body[0]!) : null;
      if (!stop || ifs.childForFieldName('alternative') || !isAbortCall(calleeName(stop)) || !ctx.isAdded(body[0]!)) continue;
      const lookup = testedLookup(ifs);
      const evidence = lookup ? calmCaller(ctx) : null;
      if (lookup && evidence) {
        out.push({ node: body[0]!, data: { lookup: lookup.call, result: lookup.result, evidence, stops: calleeName(stop) } });
        break;
      }
    }
    // An empty set made an error. Lines moved from another file count here too: the evidence is the patch's own
    // code taking the same test as nothing to do, which holds wherever the exit came from.
    for (const ret of descendants(ctx.post.node, 'return_statement')) {
      const guard = guardOf(ret);
      if (!guard || !(ctx.isAdded(ret) || ctx.isMoved(ret)) || bodyStatements(guard.childForFieldName('consequence'))[0]?.id !== ret.id) continue;
      const empty = emptyMadeError(ctx, ret, guard);
      if (empty && !out.some((c) => (c.data as { count?: string }).count === empty.count)) {
        out.push({ node: ret, data: { ...empty, errno: fold(ret.namedChild(0)!.text) } });
      }
    }
    for (const hit of absenceNowFails(ctx)) {
      out.push({ node: hit.ret, data: { nowFails: hit.call, oldCallee: hit.oldCallee, variable: hit.variable, status: hit.status } });
    }
    return out;
  },
  check(candidate, ctx): Report {
    if (candidate.data.nowFails) {
      const call = candidate.data.nowFails as SyntaxNode;
      const { oldCallee, variable, status } = candidate.data as { oldCallee: string; variable: string; status: string };
      const callee = calleeName(call);
      return {
        messageId: 'absenceNowFails',
        data: { oldCallee, variable, status, callee, function: ctx.fn.name },
        question: {
          kind: 'reached-when',
          call,
          result: 'negative',
          target: candidate.node,
          premise: `before the patch ${ctx.fn.name}() returned 0 when ${oldCallee}() found no ${variable}; whether ${callee}() reports that absence as an error, and whether ${ctx.fn.name}() may go without it, is not something the patch shows`,
        },
      };
    }
    if (candidate.data.absent) {
      const { call, callee, absent } = candidate.data as { call: SyntaxNode; callee: string; absent: string };
      const data: Record<string, string> = { callee, absent, function: ctx.fn.name, errno: candidate.data.errno as string };
      return {
        messageId: 'absentIsFatal',
        data,
        question: { kind: 'reached-when', call, result: absent.startsWith('-') ? 'negative' : 'positive', target: candidate.node },
        assumptions: [],
      };
    }
    if (candidate.data.count) {
      const { count, evidence, errno } = candidate.data as { count: string; evidence: string; errno: string };
      return {
        messageId: 'emptyIsError',
        data: { count, evidence, errno, function: ctx.fn.name },
        question: { kind: 'exit-without-failure', exit: candidate.node },
      };
    }
    if (candidate.data.lookup) {
      const call = candidate.data.lookup as SyntaxNode;
      const callee = calleeName(call);
      const evidence = candidate.data.evidence as string;
      return {
        messageId: candidate.data.stops ? 'absentStops' : 'absentLookupFatal',
        data: { callee, errno: (candidate.data.errno as string | undefined) ?? '', stops: (candidate.data.stops as string | undefined) ?? '', function: ctx.fn.name, evidence },
        question: {
          kind: 'reached-when',
          call,
          result: candidate.data.result as 'zero' | 'negative',
          target: candidate.node,
          premise: `${evidence}, but whether ${ctx.fn.name}() needs what ${callee}() looks up is not something the code shows`,
        },
      };
    }
    if (candidate.data.predicate) {
      const call = candidate.data.predicate as SyntaxNode;
      const callee = calleeName(call);
      const errno = candidate.data.errno as string;
      return {
        messageId: 'disabledByCall',
        data: { callee, errno, function: ctx.fn.name },
        question: {
          kind: 'reached-when',
          call,
          result: 'zero',
          target: candidate.node,
          premise: `whether ${ctx.fn.name}() needs what ${callee}() tests is not something the patch shows`,
        },
      };
    }
    const flag = candidate.data.flag as string | null;
    const errno = candidate.data.errno as string;
    const guard = guardOf(candidate.node);
    return {
      messageId: flag ? 'disabled' : 'wasPlainReturn',
      data: { flag: flag ?? '', errno },
      question: { kind: 'exit-without-failure', exit: candidate.node },
      assumptions: !guard || ctx.lineOf(guard) === 0 ? ['the condition guarding this exit is not shown by the patch'] : [],
    };
  },
  cases: {
    flagged: [
      {
        name: 'a lookup that left the function with 0 when nothing was found is converted to one whose "none" is an error',
        patch: `--- a/board/quux/quux.c
+++ b/board/quux/quux.c
@@ -20,10 +20,10 @@ int quux_misc_init(void)
 	struct qdev *dev;
 	int ret;
 
-	ret = qbus_first_device(QBUS_MISC, &dev);
-	if (ret || !dev)
+	ret = qbus_first_device_strict(QBUS_MISC, &dev);
+	if (ret)
 		return ret;
 
 	quux_start(dev);
 	return 0;
 }
`,
        expect: [
          { line: 25, messageId: 'absenceNowFails', verdict: 'inconclusive' },
        ],
      },
      {
        name: 'a disabled feature becomes -EINVAL',
        patch: `--- a/xen/drivers/quux.c
+++ b/xen/drivers/quux.c
@@ -50,11 +50,12 @@ static void quux_helper(void)
 
-static void quux_suspend(void)
+static int quux_suspend(void)
 {
     struct quux *q;
 
     if ( !quux_enabled )
-        return;
+        return -EINVAL;
 
     quux_save(q);
+    return 0;
 }
 
`,
        expect: [
          { line: 56, messageId: 'disabled', verdict: 'verified' },
        ],
      },
      {
        name: 'an optional device that is absent (-ENOENT from its lookup) becomes a fatal -EINVAL',
        patch: `--- a/core/drivers/quux.c
+++ b/core/drivers/quux.c
@@ -40,3 +40,21 @@ static struct quux_cfg quux_cfg;
 
 static void *quux_fdt;
 
+static int quux_probe_dt(struct quux_cfg *cfg)
+{
+	int node = fdt_lookup_node(quux_fdt, "vendor,quux");
+
+	if (node < 0)
+		return -ENOENT;
+	cfg->base = fdt_read_base(quux_fdt, node);
+	return 0;
+}
+
+static int quux_init(void)
+{
+	if (quux_probe_dt(&quux_cfg))
+		return -EINVAL;
+
+	quux_start(&quux_cfg);
+	return 0;
+}
`,
        expect: [{ line: 56, messageId: 'absentIsFatal', verdict: 'verified' }],
      },
      {
        name: 'a feature test by call: off becomes -EINVAL; whether the operation needs the feature is not shown',
        patch: `--- a/xen/arch/x86/quux.c
+++ b/xen/arch/x86/quux.c
@@ -30,3 +30,14 @@ static void quux_helper(void)
 
 static unsigned int quux_count;
 
+int quux_control(struct domain *d, unsigned int enable)
+{
+    if ( !quux_mode_enabled(d) )
+        return -EINVAL;
+
+    d->quux_on = enable;
+    quux_count++;
+
+    return 0;
+}
+
`,
        expect: [{ line: 36, messageId: 'disabledByCall', verdict: 'inconclusive' }],
      },
      {
        name: 'a lookup that finds nothing is fatal here, while the patch skips the same absence elsewhere',
        patch: `--- a/xen/drivers/quux/quux.c
+++ b/xen/drivers/quux/quux.c
@@ -30,3 +30,26 @@ static void quux_helper(void)
 
 static unsigned int quux_count;
 
+static int quux_reserve(u16 bdf, unsigned long base)
+{
+    struct quux_unit *unit = quux_find_unit(bdf);
+
+    if ( !unit )
+    {
+        printk(XENLOG_ERR "quux: no unit for %#x\\n", bdf);
+        return -EINVAL;
+    }
+    quux_reserve_range(unit, base);
+    return 0;
+}
+
+static int quux_release(u16 bdf)
+{
+    struct quux_unit *unit = quux_find_unit(bdf);
+
+    if ( !unit )
+        return 0;
+    quux_release_range(unit);
+    return 0;
+}
+
`,
        expect: [{ line: 40, messageId: 'absentLookupFatal', verdict: 'inconclusive' }],
      },
      {
        name: 'a device-tree node that is absent is logged as a warning but made fatal',
        patch: `--- a/xen/arch/arm/quux.c
+++ b/xen/arch/arm/quux.c
@@ -30,3 +30,16 @@ static void quux_helper(void)
 
 static unsigned int quux_count;
 
+static int quux_probe(void)
+{
+    const struct dt_device_node *node = dt_find_compatible_node(NULL, NULL, "vendor,quux");
+
+    if ( !node )
+    {
+        printk(XENLOG_WARNING "quux: no node\\n");
+        return -EINVAL;
+    }
+    quux_count = quux_read_count(node);
+    return 0;
+}
+
`,
        expect: [{ line: 40, messageId: 'absentLookupFatal', verdict: 'inconclusive' }],
      },
      {
        name: 'a device-tree property that is absent stops the system, while the caller takes a zero value calmly',
        patch: `--- a/core/drivers/quux_clk.c
+++ b/core/drivers/quux_clk.c
@@ -40,3 +40,27 @@ static unsigned long quux_rate[QUUX_NB];
 
 static void *quux_fdt;
 
+static unsigned int quux_rate_prop(void *fdt, int node)
+{
+	int len = 0;
+	const fdt32_t *cell = fdt_getprop(fdt, node, "vendor,rate", &len);
+
+	if (!cell)
+		panic();
+
+	return fdt32_to_cpu(*cell);
+}
+
+static void quux_read_rates(void *fdt, int node)
+{
+	unsigned int i = 0;
+
+	for (i = 0; i < QUUX_NB; i++) {
+		quux_rate[i] = quux_rate_prop(fdt, node + i);
+		if (!quux_rate[i])
+			DMSG("quux %u: no rate", i);
+	}
+}
+
+static unsigned int quux_nb;
+
`,
        expect: [{ line: 49, messageId: 'absentStops', verdict: 'inconclusive' }],
      },
      {
        name: 'an empty set is an error here, while the patch takes the same test as nothing to do elsewhere',
        patch: `--- a/xen/arch/arm/quux.c
+++ b/xen/arch/arm/quux.c
@@ -30,3 +30,31 @@ static void quux_helper(void)
 
 static unsigned int quux_count;
 
+static int quux_emit_ranges(void *fdt, const struct quux_set *set)
+{
+    unsigned int i;
+    int res;
+
+    if ( set->nr_ranges == 0 )
+        return -ENOENT;
+
+    for ( i = 0; i < set->nr_ranges; i++ )
+    {
+        res = quux_emit_one(fdt, &set->range[i]);
+        if ( res )
+            return res;
+    }
+
+    return 0;
+}
+
+int quux_emit_node(void *fdt, const struct quux_set *set)
+{
+    if ( set->nr_ranges == 0 )
+        /* Nothing configured. */
+        return 0;
+
+    quux_count++;
+    return quux_emit_ranges(fdt, set);
+}
+
`,
        expect: [{ line: 39, messageId: 'emptyIsError', verdict: 'verified' }],
      },
    ],
    clean: [
      {
        name: 'near miss: the branch says the property is mandatory ("Mandatory field is missing"): its absence is the error',
        patch: `--- a/core/kernel/quux_part.c
+++ b/core/kernel/quux_part.c
@@ -375,6 +375,42 @@ static TEE_Result quux_open(struct quux_session **sess)
 	return TEE_SUCCESS;
 }
 
+static TEE_Result quux_dt_get_u32(const void *fdt, int node, const char *property,
+				  uint32_t *value)
+{
+	const fdt32_t *p = NULL;
+	int len = 0;
+
+	p = fdt_getprop(fdt, node, property, &len);
+	if (!p || len != sizeof(*p))
+		return TEE_ERROR_ITEM_NOT_FOUND;
+
+	*value = fdt32_to_cpu(*p);
+
+	return TEE_SUCCESS;
+}
+
+static TEE_Result quux_parse_region(struct quux_ctx *ctx, const void *fdt, int node)
+{
+	uint32_t pages = 0;
+	uint32_t attr = 0;
+
+	if (quux_dt_get_u32(fdt, node, "pages-count", &pages)) {
+		EMSG("Mandatory field is missing: pages-count");
+		return TEE_ERROR_BAD_FORMAT;
+	}
+
+	if (quux_dt_get_u32(fdt, node, "attributes", &attr)) {
+		EMSG("Mandatory field is missing: attributes");
+		return TEE_ERROR_BAD_FORMAT;
+	}
+
+	ctx->pages = pages;
+	ctx->attr = attr;
+
+	return TEE_SUCCESS;
+}
+
 static TEE_Result quux_close(struct quux_session *sess)
 {
 	return TEE_SUCCESS;
`,
      },
      {
        name: 'the converted lookup\'s failure is logged: the author means absence to be an error',
        patch: `--- a/board/quux/quux.c
+++ b/board/quux/quux.c
@@ -20,11 +20,11 @@ int quux_misc_init(void)
 	struct qdev *dev;
 	int ret;
 
-	ret = qbus_first_device(QBUS_MISC, &dev);
-	if (ret || !dev) {
+	ret = qbus_first_device_strict(QBUS_MISC, &dev);
+	if (ret) {
 		log_debug("failed to find misc device: %d\\n", ret);
 		return ret;
 	}
 
 	quux_start(dev);
 	return 0;
`,
      },
      {
        name: 'the converted lookup\'s result is still tested for none: absence is still told apart',
        patch: `--- a/board/quux/quux.c
+++ b/board/quux/quux.c
@@ -20,10 +20,12 @@ int quux_misc_init(void)
 	struct qdev *dev;
 	int ret;
 
-	ret = qbus_first_device(QBUS_MISC, &dev);
-	if (ret || !dev)
+	ret = qbus_first_device_strict(QBUS_MISC, &dev);
+	if (ret)
 		return ret;
+	if (!dev)
+		return 0;
 
 	quux_start(dev);
 	return 0;
 }
`,
      },
      {
        name: 'a device-tree property that is absent stops the system, and no caller shown takes a zero value calmly',
        patch: `--- a/core/drivers/quux_clk.c
+++ b/core/drivers/quux_clk.c
@@ -40,3 +40,25 @@ static unsigned long quux_rate[QUUX_NB];
 
 static void *quux_fdt;
 
+static unsigned int quux_rate_prop(void *fdt, int node)
+{
+	int len = 0;
+	const fdt32_t *cell = fdt_getprop(fdt, node, "vendor,rate", &len);
+
+	if (!cell)
+		panic();
+
+	return fdt32_to_cpu(*cell);
+}
+
+static void quux_read_rates(void *fdt, int node)
+{
+	unsigned int i = 0;
+
+	for (i = 0; i < QUUX_NB; i++) {
+		quux_rate[i] = quux_rate_prop(fdt, node + i);
+		if (!quux_rate[i])
+			panic("no rate");
+	}
+}
+
`,
      },
      {
        name: 'the property\'s absence already returned a default above: the panic is not reached for it',
        refuted: true,
        patch: `--- a/core/drivers/quux_clk.c
+++ b/core/drivers/quux_clk.c
@@ -40,3 +40,30 @@ static unsigned long quux_rate[QUUX_NB];
 
 static void *quux_fdt;
 
+static unsigned int quux_rate_prop(void *fdt, int node)
+{
+	int len = 0;
+	const fdt32_t *cell = fdt_getprop(fdt, node, "vendor,rate", &len);
+
+	if (!cell)
+		return 0;
+	quux_nb++;
+	if (!cell)
+		panic();
+
+	return fdt32_to_cpu(*cell);
+}
+
+static void quux_read_rates(void *fdt, int node)
+{
+	unsigned int i = 0;
+
+	for (i = 0; i < QUUX_NB; i++) {
+		quux_rate[i] = quux_rate_prop(fdt, node + i);
+		if (!quux_rate[i])
+			DMSG("quux %u: no rate", i);
+	}
+}
+
+static unsigned int quux_nb;
+
`,
      },
      {
        name: 'an empty set is an error, and nothing in the patch takes it as nothing to do',
        patch: `--- a/xen/arch/arm/quux.c
+++ b/xen/arch/arm/quux.c
@@ -30,3 +30,21 @@ static void quux_helper(void)
 
 static unsigned int quux_count;
 
+static int quux_emit_ranges(void *fdt, const struct quux_set *set)
+{
+    unsigned int i;
+    int res;
+
+    if ( set->nr_ranges == 0 )
+        return -EINVAL;
+
+    for ( i = 0; i < set->nr_ranges; i++ )
+    {
+        res = quux_emit_one(fdt, &set->range[i]);
+        if ( res )
+            return res;
+    }
+
+    return 0;
+}
+
`,
      },
      {
        name: 'a plain local of the same name taken as nothing to do in another function is not the same count',
        patch: `--- a/xen/arch/arm/quux.c
+++ b/xen/arch/arm/quux.c
@@ -30,3 +30,30 @@ static void quux_helper(void)
 
 static unsigned int quux_count;
 
+static int quux_emit_ranges(void *fdt, unsigned int nr)
+{
+    unsigned int i;
+    int res;
+
+    if ( nr == 0 )
+        return -EINVAL;
+
+    for ( i = 0; i < nr; i++ )
+    {
+        res = quux_emit_one(fdt, i);
+        if ( res )
+            return res;
+    }
+
+    return 0;
+}
+
+int quux_drop(unsigned int nr)
+{
+    if ( nr == 0 )
+        return 0;
+
+    quux_count -= nr;
+    return 0;
+}
+
`,
      },
      {
        name: 'an empty set\'s error that a caller in the patch tells apart',
        patch: `--- a/xen/arch/arm/quux.c
+++ b/xen/arch/arm/quux.c
@@ -30,3 +30,32 @@ static void quux_helper(void)
 
 static unsigned int quux_count;
 
+static int quux_emit_ranges(void *fdt, const struct quux_set *set)
+{
+    unsigned int i;
+    int res;
+
+    if ( set->nr_ranges == 0 )
+        return -ENOENT;
+
+    for ( i = 0; i < set->nr_ranges; i++ )
+    {
+        res = quux_emit_one(fdt, &set->range[i]);
+        if ( res )
+            return res;
+    }
+
+    return 0;
+}
+
+int quux_emit_node(void *fdt, const struct quux_set *set)
+{
+    int res;
+
+    if ( set->nr_ranges == 0 )
+        return 0;
+
+    res = quux_emit_ranges(fdt, set);
+    return res == -ENOENT ? 0 : res;
+}
+
`,
      },
      {
        name: 'the same empty test already returned success above: the error exit is dead',
        refuted: true,
        patch: `--- a/xen/arch/arm/quux.c
+++ b/xen/arch/arm/quux.c
@@ -30,3 +30,24 @@ static void quux_helper(void)
 
 static unsigned int quux_count;
 
+static int quux_emit_ranges(void *fdt, const struct quux_set *set)
+{
+    unsigned int i;
+    int res;
+
+    if ( set->nr_ranges == 0 )
+        return 0;
+    quux_count++;
+    if ( set->nr_ranges == 0 )
+        return -ENOENT;
+
+    for ( i = 0; i < set->nr_ranges; i++ )
+    {
+        res = quux_emit_one(fdt, &set->range[i]);
+        if ( res )
+            return res;
+    }
+
+    return 0;
+}
+
`,
      },
      {
        name: 'a not-found code passed on: the caller can tell absence apart',
        patch: `--- a/xen/arch/arm/quux.c
+++ b/xen/arch/arm/quux.c
@@ -30,3 +30,16 @@ static void quux_helper(void)
 
 static unsigned int quux_count;
 
+static int quux_probe(void)
+{
+    const struct dt_device_node *node = dt_find_compatible_node(NULL, NULL, "vendor,quux");
+
+    if ( !node )
+    {
+        printk(XENLOG_WARNING "quux: no node\\n");
+        return -ENODEV;
+    }
+    quux_count = quux_read_count(node);
+    return 0;
+}
+
`,
      },
      {
        name: 'the lookup\'s absence already returned success above: the later error exit is dead',
        refuted: true,
        patch: `--- a/xen/drivers/quux/quux.c
+++ b/xen/drivers/quux/quux.c
@@ -30,3 +30,19 @@ static void quux_helper(void)
 
 static unsigned int quux_count;
 
+static int quux_reserve(u16 bdf, unsigned long base)
+{
+    struct quux_unit *unit = quux_find_unit(bdf);
+
+    if ( !unit )
+        return 0;
+    quux_prepare(base);
+    if ( !unit )
+    {
+        printk(XENLOG_ERR "quux: no unit for %#x\\n", bdf);
+        return -EINVAL;
+    }
+    quux_reserve_range(unit, base);
+    return 0;
+}
+
`,
      },
      {
        name: 'a lookup whose absence is an error, with nothing in the patch saying it is optional',
        patch: `--- a/xen/drivers/quux/quux.c
+++ b/xen/drivers/quux/quux.c
@@ -30,3 +30,16 @@ static void quux_helper(void)
 
 static unsigned int quux_count;
 
+static int quux_reserve(u16 bdf, unsigned long base)
+{
+    struct quux_unit *unit = quux_find_unit(bdf);
+
+    if ( !unit )
+    {
+        printk(XENLOG_ERR "quux: no unit for %#x\\n", bdf);
+        return -ENODEV;
+    }
+    quux_reserve_range(unit, base);
+    return 0;
+}
+
`,
      },
      {
        name: 'a feature test by call whose -EINVAL exit an earlier BUG_ON rules out',
        refuted: true,
        patch: `--- a/xen/arch/x86/quux.c
+++ b/xen/arch/x86/quux.c
@@ -30,3 +30,16 @@ static void quux_helper(void)
 
 static unsigned int quux_count;
 
+int quux_control(struct domain *d, unsigned int enable)
+{
+    BUG_ON(enable > 1);
+
+    if ( enable > 1 && !quux_mode_enabled(d) )
+        return -EINVAL;
+
+    d->quux_on = enable;
+    quux_count++;
+
+    return 0;
+}
+
`,
      },
      {
        name: 'a function that validates a requested configuration: an unsupported requested feature is its -EINVAL answer',
        patch: `--- a/xen/arch/x86/quux.c
+++ b/xen/arch/x86/quux.c
@@ -30,3 +30,14 @@ static void quux_helper(void)
 
 static unsigned int quux_count;
 
+int quux_sanitise_config(struct quux_config *config)
+{
+    if ( config->mode && !quux_mode_supported() )
+        return -EINVAL;
+
+    if ( config->count > QUUX_MAX )
+        return -EINVAL;
+
+    return 0;
+}
+
`,
      },
      {
        name: 'the failing branch says why it fails: the author chose the error',
        patch: `--- a/xen/arch/x86/quux.c
+++ b/xen/arch/x86/quux.c
@@ -30,3 +30,17 @@ static void quux_helper(void)
 
 static unsigned int quux_count;
 
+int quux_control(struct domain *d, unsigned int enable)
+{
+    if ( !quux_mode_enabled(d) )
+    {
+        dprintk(XENLOG_INFO, "quux mode is not enabled\\n");
+        return -EINVAL;
+    }
+
+    d->quux_on = enable;
+    quux_count++;
+
+    return 0;
+}
+
`,
      },
      {
        name: 'a feature test by call that says the feature is missing (-EOPNOTSUPP), not an invalid argument',
        patch: `--- a/xen/arch/x86/quux.c
+++ b/xen/arch/x86/quux.c
@@ -30,3 +30,14 @@ static void quux_helper(void)
 
 static unsigned int quux_count;
 
+int quux_control(struct domain *d, unsigned int enable)
+{
+    if ( !quux_mode_enabled(d) )
+        return -EOPNOTSUPP;
+
+    d->quux_on = enable;
+    quux_count++;
+
+    return 0;
+}
+
`,
      },
      {
        name: 'the exit is taken only when the lookup returns a positive value, never for its -ENOENT',
        patch: `--- a/core/drivers/quux.c
+++ b/core/drivers/quux.c
@@ -40,3 +40,21 @@ static struct quux_cfg quux_cfg;
 
 static void *quux_fdt;
 
+static int quux_probe_dt(struct quux_cfg *cfg)
+{
+	int node = fdt_lookup_node(quux_fdt, "vendor,quux");
+
+	if (node < 0)
+		return -ENOENT;
+	cfg->base = fdt_read_base(quux_fdt, node);
+	return 0;
+}
+
+static int quux_init(void)
+{
+	if (quux_probe_dt(&quux_cfg) > 0)
+		return -EINVAL;
+
+	quux_start(&quux_cfg);
+	return 0;
+}
`,
        refuted: true,
      },
      {
        name: 'an allocation failure becomes -ENOMEM',
        patch: `--- a/xen/drivers/quux.c
+++ b/xen/drivers/quux.c
@@ -50,11 +50,12 @@ static void quux_helper(void)
 
-static void quux_init(void)
+static int quux_init(void)
 {
     struct quux *q = xzalloc(struct quux);
 
     if ( !q )
-        return;
+        return -ENOMEM;
 
     quux_save(q);
+    return 0;
 }
 
`,
      },
    ],
  },
});
