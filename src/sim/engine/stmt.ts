// Statements: blocks with scoping and labels, declarations, if/else, switch, jumps.
import { normOf, type PNode as SyntaxNode } from '../program/node.ts';
import { callSymbolsIn, derive, dropVar, noteKill, noteUse, occurrence, setLoc, setVar, visit, type PathState, type Var } from '../state/path-state.ts';
import { num, op, sym } from '../state/value.ts';
import { declaratorName, isPointerDeclarator } from '../program/source.ts';
import { assumeFalse, branchOn } from './branch.ts';
import { GAP_CALL } from '../../c/markers.ts';
import { caseRange } from '../../c/switch.ts';
import type { SyntaxNode as CSyntaxNode } from '../../c/parser.ts';
import type { Value } from '../types.ts';
import { evalExpr, firstCode, flatMap, inner, parseNumber } from './expr.ts';
import type { Flow, Frame, RunContext } from './context.ts';
import { finishPath } from './finish.ts';
import { execDoWhile, execFor, execWhile } from './loops.ts';

/** Run a function body; unresolved gotos, breaks and continues end the path as unseen (their target is not visible). */
export function execFunctionBody(ctx: RunContext, fr: Frame, st: PathState): Flow[] {
  const body = fr.def.childForFieldName('body');
  if (!body) return ctx.unsupported('function without a body', fr.def, fr);
  const out: Flow[] = [];
  for (const f of execStmt(ctx, fr, st, body)) {
    if (f.kind === 'goto') {
      if (fr.labels.has(f.label!)) ctx.unsupported(`goto ${f.label} into a nested block`, body, fr);
      finishPath(ctx, f.st, { kind: 'unseen', line: f.line ?? 0, gap: -1, reason: `goto ${f.label}: label not in the visible code` });
    } else if (f.kind === 'break' || f.kind === 'continue') {
      // Valid C has no break or continue outside a loop or switch: the enclosing one is in code the
      // patch does not show (a hunk that starts inside a loop body), so the path goes on there.
      finishPath(ctx, f.st, { kind: 'unseen', line: f.line ?? 0, gap: -1, reason: `${f.kind}: the enclosing loop is not in the visible code` });
    } else out.push(f);
  }
  return out;
}

export function execStmt(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode): Flow[] {
  ctx.tick();
  const line = fr.lines.line(node);
  switch (node.type) {
    case 'compound_statement': return execBlock(ctx, fr, st, node.namedChildren);
    case 'expression_statement': {
      const e = firstCode(node);
      if (!e) return [{ st, kind: 'normal' }];
      return evalExpr(ctx, fr, visit(st, line), e).map((r) => ({ st: r.st, kind: 'normal' }));
    }
    case 'declaration': return execDeclaration(ctx, fr, visit(st, line), node);
    case 'if_statement': return execIf(ctx, fr, visit(st, line), node);
    case 'switch_statement': return execSwitch(ctx, fr, visit(st, line), node);
    case 'while_statement': return execWhile(ctx, fr, visit(st, line), node);
    case 'for_statement': return execFor(ctx, fr, visit(st, line), node);
    case 'do_statement': return execDoWhile(ctx, fr, visit(st, line), node);
    case 'break_statement': return [{ st: visit(st, line), kind: 'break' }];
    case 'continue_statement': return [{ st: visit(st, line), kind: 'continue' }];
    case 'goto_statement': return [{ st: visit(st, line), kind: 'goto', label: node.childForFieldName('label')!.text, line }];
    case 'return_statement': {
      const e = firstCode(node);
      const s1 = visit(st, line);
      if (!e) return [{ st: s1, kind: 'return', line }];
      // Returning a call's result passes it on (a use, before the scopes it lived in end).
      return evalExpr(ctx, fr, s1, e).map((r) => ({ st: noteUse(r.st, r.v), kind: 'return', value: r.v, line }));
    }
    case 'labeled_statement': {
      const stmt = node.namedChildren.filter((c) => c.type !== 'statement_identifier' && c.type !== 'comment');
      return stmt.length ? execBlockNoScope(ctx, fr, st, stmt) : [{ st, kind: 'normal' }];
    }
    case 'comment':
    case 'type_definition':
    case 'struct_specifier':
    case 'enum_specifier':
    case 'union_specifier':
      return [{ st, kind: 'normal' }];
    case ';':
      return [{ st, kind: 'normal' }];
    default:
      return ctx.unsupported(node.type, node, fr);
  }
}

/** A block: its declarations are scoped to it; gotos to its own labels resume inside it. */
export function execBlock(ctx: RunContext, fr: Frame, st: PathState, stmts: readonly SyntaxNode[]): Flow[] {
  const declared = declaredBy(stmts);
  if (declared.size === 0) return execBlockNoScope(ctx, fr, st, stmts);
  const saved: Record<string, Var | undefined> = {};
  for (const n of declared) saved[n] = st.env[n];
  return execBlockNoScope(ctx, fr, st, stmts).map((f) => {
    const left = leaveScope(f.st, declared, saved, f.kind === 'return' ? 'dead' : 'scope-end');
    return left === f.st ? f : { ...f, st: left };
  });
}

const blockNames = new WeakMap<readonly SyntaxNode[], ReadonlySet<string>>();

/** Names a block's own declarations declare (remembered per statement list: a block runs once per path). */
function declaredBy(stmts: readonly SyntaxNode[]): ReadonlySet<string> {
  let hit = blockNames.get(stmts);
  if (!hit) {
    const declared = new Set<string>();
    for (const s of stmts) if (s.type === 'declaration') for (const d of s.childrenForFieldName('declarator')) {
      const n = declaratorName(d);
      if (n) declared.add(n);
    }
    blockNames.set(stmts, (hit = declared));
  }
  return hit;
}

/** Drop a block's declarations (restoring outer ones); what only they held is lost at the block's end. */
export function leaveScope(st: PathState, declared: Iterable<string>, saved: Record<string, Var | undefined>, how: 'scope-end' | 'dead' = 'scope-end'): PathState {
  let s = st;
  const line = st.trace?.head ?? 0;
  // Names holding no call result are dropped in one copy of the environment; a name that holds one is dropped
  // on its own, so noteKill sees the environment as it is at that point.
  let env: Record<string, Var> | undefined;
  for (const n of declared) {
    const old = (env ?? s.env)[n]?.value;
    if (!old || callSymbolsIn(old).length === 0) {
      env ??= { ...s.env };
      const restore = saved[n];
      if (restore) env[n] = restore;
      else delete env[n];
      continue;
    }
    if (env) {
      s = withEnv(s, env);
      env = undefined;
    }
    s = noteKill(dropVar(s, n, saved[n]), old, n, line, how);
  }
  return env ? withEnv(s, env) : s;
}

function withEnv(s: PathState, env: Record<string, Var>): PathState {
  const next = derive(s);
  next.env = env;
  return next;
}

function labelsOf(node: SyntaxNode): string[] {
  const out: string[] = [];
  for (let n: SyntaxNode | null = node; n && n.type === 'labeled_statement';) {
    out.push(n.childForFieldName('label')!.text);
    n = n.namedChildren.find((c) => c.type === 'labeled_statement') ?? null;
  }
  return out;
}

/** Where each label of a statement list is, found once per list (a block runs once per path). */
const labelIndexes = new WeakMap<readonly SyntaxNode[], ReadonlyMap<string, number>>();

function execBlockNoScope(ctx: RunContext, fr: Frame, st: PathState, stmts: readonly SyntaxNode[]): Flow[] {
  let labelIndex = labelIndexes.get(stmts);
  if (!labelIndex) {
    const index = new Map<string, number>();
    stmts.forEach((s, i) => { for (const l of labelsOf(s)) index.set(l, i); });
    labelIndexes.set(stmts, (labelIndex = index));
  }
  const runFrom = (s: PathState, idx: number): Flow[] => {
    if (idx >= stmts.length) return [{ st: s, kind: 'normal' }];
    const flows = execStmt(ctx, fr, s, stmts[idx]!);
    // One normal flow (no fork, no jump): its continuation is the whole answer.
    if (flows.length === 1 && flows[0]!.kind === 'normal') return runFrom(flows[0]!.st, idx + 1);
    const out: Flow[] = [];
    for (let i = 0; i < flows.length; i++) {
      const f = flows[i]!;
      if (f.kind === 'normal') append(out, runFrom(f.st, idx + 1));
      else if (f.kind === 'goto' && labelIndex.has(f.label!)) {
        // A backward goto is a loop: bound the visits like any loop.
        const [s2, n] = occurrence(f.st, `label:${f.label}`);
        if (n > ctx.loopBound) finishPath(ctx, s2, { kind: 'cut', line: f.line ?? 0, reason: `goto ${f.label} repeated more than ${ctx.loopBound} times` });
        else append(out, runFrom(s2, labelIndex.get(f.label!)!));
      } else out.push(f);
    }
    return out;
  };
  return runFrom(st, 0);
}

function append<T>(out: T[], xs: readonly T[]): void {
  for (let i = 0; i < xs.length; i++) out.push(xs[i]!);
}

function execDeclaration(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode): Flow[] {
  const isStatic = node.namedChildren.some((c) => c.type === 'storage_class_specifier' && (c.text === 'static' || c.text === 'extern'));
  let acc = [st];
  for (const d of node.childrenForFieldName('declarator')) {
    const name = declaratorName(d);
    if (!name) continue;
    if (d.type === 'function_declarator') continue; // a local prototype
    const isPointer = isPointerDeclarator(d);
    const isArray = d.type === 'array_declarator' || d.childForFieldName('declarator')?.type === 'array_declarator';
    if (d.type === 'init_declarator' && d.childForFieldName('value')?.type === 'initializer_list' && !isPointerOnly(d)) {
      const value = d.childForFieldName('value')!;
      const root = isArray ? `&${name}` : `local:${name}`;
      acc = flatMap(acc, (s) => initialise(ctx, fr, setVar(s, name, { value: isArray ? { k: 'addr', text: name } : sym(`const:${normOf(value)}`, normOf(value), 'input'), declared: true, isPointer }), root, value, isArray));
    } else if (d.type === 'init_declarator') {
      const value = d.childForFieldName('value')!;
      acc = flatMap(acc, (s) => evalExpr(ctx, fr, s, value).map((r) => {
        const v = isPointer && r.v.k === 'sym' && !r.v.ptr ? { ...r.v, ptr: true } : r.v;
        return setVar(r.st, name, { value: v, declared: true, isPointer });
      }));
    } else {
      acc = acc.map((s) => setVar(s, name, {
        value: isStatic ? { k: 'sym', id: `static:${name}`, label: name, origin: 'input' }
          : isArray ? { k: 'addr', text: name } : { k: 'uninit', name },
        declared: true, isPointer,
      }));
    }
  }
  return acc.map((s) => ({ st: s, kind: 'normal' }));
}

/** `T *p = { ... }` is not an aggregate; `T a[] = {...}` and `struct x s = {...}` are. */
function isPointerOnly(d: SyntaxNode): boolean {
  const inner = d.childForFieldName('declarator');
  return inner?.type === 'pointer_declarator';
}

/**
 * An aggregate initialiser: members it names get their values, every other member is zero (C11
 * 6.7.9p21), recorded as a zero default for the aggregate's locations. Positional members of a struct
 * are not named: a positional non-zero value leaves the struct's members unknown.
 */
function initialise(ctx: RunContext, fr: Frame, st: PathState, root: string, list: SyntaxNode, isArray: boolean): PathState[] {
  const items = list.namedChildren.filter((c) => c.type !== 'comment');
  const positionalNonZero = items.some((c, i) => c.type !== 'initializer_pair' && !(isArray) && !(i === 0 && isZeroLiteral(c)));
  let acc: PathState[] = [positionalNonZero ? st : setLoc(st, `zero:${root}`, num(0))];
  items.forEach((item, index) => {
    let target: string | undefined;
    let valueNode: SyntaxNode | null = item;
    if (item.type === 'initializer_pair') {
      valueNode = item.childForFieldName('value');
      let k = root;
      for (const des of item.childrenForFieldName('designator')) {
        if (des.type === 'field_designator') k += `.${des.namedChildren[0]?.text ?? ''}`;
        else if (des.type === 'subscript_designator') {
          const idx = des.namedChildren[0];
          const v = idx?.type === 'number_literal' ? parseNumber(idx.text) : undefined;
          if (v?.k !== 'num') { k = ''; break; }
          k += `[${v.n}]`;
        } else { k = ''; break; }
      }
      target = k || undefined;
    } else if (isArray) target = `${root}[${index}]`;
    if (!target || !valueNode) return;
    const where = target;
    const node = valueNode;
    if (node.type === 'initializer_list') {
      acc = flatMap(acc, (s) => initialise(ctx, fr, s, where, node, false));
      return;
    }
    acc = flatMap(acc, (s) => evalExpr(ctx, fr, s, node).map((r) => setLoc(r.st, where, r.v)));
  });
  return acc;
}

const isZeroLiteral = (n: SyntaxNode): boolean => n.type === 'number_literal' && parseNumber(n.text).k === 'num' && (parseNumber(n.text) as { n: number }).n === 0;

function execIf(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode): Flow[] {
  const cond = node.childForFieldName('condition')!;
  const then = node.childForFieldName('consequence')!;
  const alt = node.childForFieldName('alternative');
  const line = fr.lines.line(node);
  return flatMap(evalExpr(ctx, fr, st, cond), (c) =>
    flatMap(branchOn(ctx, c.st, c.v, line), (b) => {
      if (b.truth) return execStmt(ctx, fr, b.st, then);
      if (!alt) return [{ st: b.st, kind: 'normal' }];
      const body = alt.type === 'else_clause' ? alt.namedChildren.find((x) => x.type !== 'comment') : alt;
      return body ? execStmt(ctx, fr, b.st, body) : [{ st: b.st, kind: 'normal' }];
    }));
}

/**
 * A switch: the visible labels in order, fall-through until break, default when nothing visible
 * matches. Case values of one switch are distinct (C requires it), so entering one arm rules the others
 * out. Statements before the first label are dead code in C, except what the C model puts there for a
 * fragment: a gap standing for unseen labels and arms (the path may go on into them) and declarations.
 */
function execSwitch(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode): Flow[] {
  const cond = node.childForFieldName('condition')!;
  const body = node.childForFieldName('body')!;
  const items = body.type === 'compound_statement' ? body.namedChildren.filter((c) => c.type !== 'comment') : [body];
  const firstCase = items.findIndex((c) => c.type === 'case_statement');
  const before = firstCase < 0 ? items : items.slice(0, firstCase);
  const cases = items.filter((c) => c.type === 'case_statement');
  // Statements after a label but outside its case_statement (tree-sitter keeps them in the case) do not occur.
  const stmts: SyntaxNode[] = [];
  const starts: number[] = [];
  for (const c of cases) {
    starts.push(stmts.length);
    const value = c.childForFieldName('value');
    for (const x of c.namedChildren) if (x.id !== value?.id && x.type !== 'comment') stmts.push(x);
  }
  const defaultIdx = cases.findIndex((c) => !c.childForFieldName('value'));
  const line = fr.lines.line(node);
  const enter = (s: PathState, i: number): Flow[] =>
    execBlock(ctx, fr, s, stmts.slice(starts[i]!)).map((f) => (f.kind === 'break' ? { st: f.st, kind: 'normal' } : f));
  const prelude = (s: PathState): Flow[] => {
    const kept = before.filter((x) => x.type === 'declaration' || containsGap(x));
    return kept.length ? execBlockNoScope(ctx, fr, s, kept) : [{ st: s, kind: 'normal' }];
  };
  return flatMap(evalExpr(ctx, fr, st, inner(cond)), (c) =>
    flatMap(prelude(c.st), (p) => {
      if (p.kind !== 'normal') return [p];
      return flatMap(caseValues(ctx, fr, p.st, cases), (cv) => {
        const tryCase = (s: PathState, i: number): Flow[] => {
          if (i >= cases.length) return defaultIdx >= 0 ? enter(s, defaultIdx) : [{ st: s, kind: 'normal' }];
          const v = cv.values[i];
          if (!v) return tryCase(s, i + 1);
          const hits = v.high
            ? flatMap(branchOn(ctx, s, op('>=', [c.v, v.low]), line), (lo) =>
              lo.truth ? branchOn(ctx, lo.st, op('<=', [c.v, v.high!]), line) : [lo])
            : branchOn(ctx, s, op('==', [c.v, v.low]), line);
          return flatMap(hits, (b) => (b.truth ? enter(distinctFrom(b.st, c.v, cv.values, i), i) : tryCase(b.st, i + 1)));
        };
        return tryCase(cv.st, 0);
      });
    }));
}

interface CaseValue {
  low: Value;
  /** GNU `case low ... high:`. */
  high?: Value;
}

/** Every label's value (undefined for default), evaluated once per path. */
function caseValues(ctx: RunContext, fr: Frame, st: PathState, cases: SyntaxNode[]): { st: PathState; values: (CaseValue | undefined)[] }[] {
  let acc: { st: PathState; values: (CaseValue | undefined)[] }[] = [{ st, values: [] }];
  for (const c of cases) {
    const value = c.childForFieldName('value');
    if (!value) { acc = acc.map((a) => ({ st: a.st, values: [...a.values, undefined] })); continue; }
    const range = fr.fn.rawLines ? caseRange({ rawLines: fr.fn.rawLines }, c as unknown as CSyntaxNode) : undefined;
    const low = range ? (range.low as unknown as SyntaxNode) : value;
    const high = range ? (range.high as unknown as SyntaxNode) : undefined;
    acc = flatMap(acc, (a) => flatMap(evalExpr(ctx, fr, a.st, low), (l) =>
      high
        ? evalExpr(ctx, fr, l.st, high).map((h) => ({ st: h.st, values: [...a.values, { low: l.v, high: h.v }] }))
        : [{ st: l.st, values: [...a.values, { low: l.v }] }]));
  }
  return acc;
}

/** Entering arm `i`: the switch value equals none of the other single-valued labels. */
function distinctFrom(st: PathState, x: Value, values: (CaseValue | undefined)[], i: number): PathState {
  let s = st;
  values.forEach((v, j) => {
    if (j !== i && v && !v.high) s = assumeFalse(s, x, v.low);
  });
  return s;
}

const containsGap = (n: SyntaxNode): boolean =>
  n.descendantsOfType('call_expression').some((c) => c.childForFieldName('function')?.text === GAP_CALL) ||
  (n.type === 'expression_statement' && n.namedChildren[0]?.type === 'call_expression' && n.namedChildren[0].childForFieldName('function')?.text === GAP_CALL);
