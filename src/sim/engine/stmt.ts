// Statements: blocks with scoping and labels, declarations, if/else, switch, jumps.
import type { PNode as SyntaxNode } from '../program/node.ts';
import { dropVar, occurrence, setVar, visit, type PathState, type Var } from '../state/path-state.ts';
import { op } from '../state/value.ts';
import { declaratorName, isPointerDeclarator } from '../program/source.ts';
import { branchOn } from './branch.ts';
import { evalExpr, flatMap, inner } from './expr.ts';
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
      const e = node.namedChildren.find((c) => c.type !== 'comment');
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
      const e = node.namedChildren.find((c) => c.type !== 'comment');
      const s1 = visit(st, line);
      if (!e) return [{ st: s1, kind: 'return', line }];
      return evalExpr(ctx, fr, s1, e).map((r) => ({ st: r.st, kind: 'return', value: r.v, line }));
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
export function execBlock(ctx: RunContext, fr: Frame, st: PathState, stmts: SyntaxNode[]): Flow[] {
  const declared = new Set<string>();
  for (const s of stmts) if (s.type === 'declaration') for (const d of s.childrenForFieldName('declarator')) {
    const n = declaratorName(d);
    if (n) declared.add(n);
  }
  if (declared.size === 0) return execBlockNoScope(ctx, fr, st, stmts);
  const saved: Record<string, Var | undefined> = {};
  for (const n of declared) saved[n] = st.env[n];
  return execBlockNoScope(ctx, fr, st, stmts).map((f) => {
    let s = f.st;
    for (const n of declared) s = dropVar(s, n, saved[n]);
    return { ...f, st: s };
  });
}

function labelsOf(node: SyntaxNode): string[] {
  const out: string[] = [];
  for (let n: SyntaxNode | null = node; n && n.type === 'labeled_statement';) {
    out.push(n.childForFieldName('label')!.text);
    n = n.namedChildren.find((c) => c.type === 'labeled_statement') ?? null;
  }
  return out;
}

function execBlockNoScope(ctx: RunContext, fr: Frame, st: PathState, stmts: SyntaxNode[]): Flow[] {
  const labelIndex = new Map<string, number>();
  stmts.forEach((s, i) => { for (const l of labelsOf(s)) labelIndex.set(l, i); });
  const runFrom = (s: PathState, idx: number): Flow[] => {
    if (idx >= stmts.length) return [{ st: s, kind: 'normal' }];
    const out: Flow[] = [];
    for (const f of execStmt(ctx, fr, s, stmts[idx]!)) {
      if (f.kind === 'normal') out.push(...runFrom(f.st, idx + 1));
      else if (f.kind === 'goto' && labelIndex.has(f.label!)) {
        // A backward goto is a loop: bound the visits like any loop.
        const [s2, n] = occurrence(f.st, `label:${f.label}`);
        if (n > ctx.loopBound) finishPath(ctx, s2, { kind: 'cut', line: f.line ?? 0, reason: `goto ${f.label} repeated more than ${ctx.loopBound} times` });
        else out.push(...runFrom(s2, labelIndex.get(f.label!)!));
      } else out.push(f);
    }
    return out;
  };
  return runFrom(st, 0);
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
    if (d.type === 'init_declarator') {
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

function execIf(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode): Flow[] {
  const cond = node.childForFieldName('condition')!;
  const then = node.childForFieldName('consequence')!;
  const alt = node.childForFieldName('alternative');
  const line = fr.lines.line(node);
  return flatMap(evalExpr(ctx, fr, st, cond), (c) =>
    flatMap(branchOn(c.st, c.v, line), (b) => {
      if (b.truth) return execStmt(ctx, fr, b.st, then);
      if (!alt) return [{ st: b.st, kind: 'normal' }];
      const body = alt.type === 'else_clause' ? alt.namedChildren.find((x) => x.type !== 'comment') : alt;
      return body ? execStmt(ctx, fr, b.st, body) : [{ st: b.st, kind: 'normal' }];
    }));
}

function execSwitch(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode): Flow[] {
  const cond = node.childForFieldName('condition')!;
  const body = node.childForFieldName('body')!;
  const cases = body.namedChildren.filter((c) => c.type === 'case_statement');
  if (cases.length !== body.namedChildren.filter((c) => c.type !== 'comment').length) ctx.unsupported('statements outside case labels in a switch', body, fr);
  // The statements of all cases in order, and where each case starts.
  const stmts: SyntaxNode[] = [];
  const starts: number[] = [];
  for (const c of cases) {
    starts.push(stmts.length);
    const value = c.childForFieldName('value');
    for (const s of c.namedChildren) if (s !== value && s.id !== value?.id && s.type !== 'comment') stmts.push(s);
  }
  const defaultIdx = cases.findIndex((c) => !c.childForFieldName('value'));
  const line = fr.lines.line(node);
  const enter = (s: PathState, i: number): Flow[] => execBlock(ctx, fr, s, stmts.slice(starts[i]!)).map((f) => (f.kind === 'break' ? { st: f.st, kind: 'normal' } : f));
  return flatMap(evalExpr(ctx, fr, st, inner(cond)), (c) => {
    const tryCase = (s: PathState, i: number): Flow[] => {
      if (i >= cases.length) return defaultIdx >= 0 ? enter(s, defaultIdx) : [{ st: s, kind: 'normal' }];
      const value = cases[i]!.childForFieldName('value');
      if (!value) return tryCase(s, i + 1);
      return flatMap(evalExpr(ctx, fr, s, value), (v) =>
        flatMap(branchOn(v.st, op('==', [c.v, v.v]), line), (b) => (b.truth ? enter(b.st, i) : tryCase(b.st, i + 1))));
    };
    return tryCase(c.st, 0);
  });
}
