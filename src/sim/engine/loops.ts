// Loops, unrolled to a bound. A path still looping at the bound is cut (end kind 'cut'), not an
// error. Iteration macros (`while/*I*/ (drhd)`) run 0..bound times with fresh iterator values.
import { normOf, type PNode as SyntaxNode } from '../program/node.ts';
import { ITER_MARK } from '../../c/markers.ts';
import { occurrence, setVar, type PathState, type Var } from '../state/path-state.ts';
import { num, sym } from '../state/value.ts';
import { declaratorName } from '../program/source.ts';
import { branchOn } from './branch.ts';
import { evalExpr, flatMap, inner } from './expr.ts';
import type { Flow, Frame, RunContext } from './context.ts';
import { finishPath } from './finish.ts';
import { execStmt, leaveScope } from './stmt.ts';

export function isIterationMacro(node: SyntaxNode): boolean {
  return node.children.some((c) => c.type === 'comment' && c.text === ITER_MARK);
}

interface LoopParts {
  cond: SyntaxNode | null;
  body: SyntaxNode;
  update: SyntaxNode | null;
  testFirst: boolean;
}

export function execWhile(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode): Flow[] {
  const cond = node.childForFieldName('condition')!;
  const body = node.childForFieldName('body')!;
  if (isIterationMacro(node)) return runIterationMacro(ctx, fr, st, node, cond, body);
  return runLoop(ctx, fr, st, node, { cond: inner(cond), body, update: null, testFirst: true });
}

export function execDoWhile(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode): Flow[] {
  const cond = node.childForFieldName('condition')!;
  return runLoop(ctx, fr, st, node, { cond: inner(cond), body: node.childForFieldName('body')!, update: null, testFirst: false });
}

export function execFor(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode): Flow[] {
  const init = node.childForFieldName('initializer');
  const cond = node.childForFieldName('condition');
  const update = node.childForFieldName('update');
  const body = node.childForFieldName('body')!;
  if (isIterationMacro(node)) return runIterationMacro(ctx, fr, st, node, cond ?? node, body);
  let entries: PathState[] = [st];
  const declared: string[] = [];
  const saved: Record<string, Var | undefined> = {};
  if (init) {
    if (init.type === 'declaration') {
      entries = execStmt(ctx, fr, st, init).map((f) => f.st);
      for (const d of init.childrenForFieldName('declarator')) {
        const n = declaratorName(d);
        if (n) { declared.push(n); saved[n] = st.env[n]; }
      }
    } else entries = evalExpr(ctx, fr, st, init).map((r) => r.st);
  }
  const out = flatMap(entries, (s) => runLoop(ctx, fr, s, node, { cond, body, update, testFirst: true }));
  if (!declared.length) return out;
  return out.map((f) => ({ ...f, st: leaveScope(f.st, declared, saved) }));
}

function runLoop(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode, p: LoopParts): Flow[] {
  const line = fr.lines.line(node);
  const bound = ctx.loopBound;
  const test = (s: PathState, k: number): Flow[] => {
    const conds = p.cond ? evalExpr(ctx, fr, s, p.cond) : [{ st: s, v: num(1) }];
    return flatMap(conds, (c) => flatMap(branchOn(ctx, c.st, c.v, line), (b) => {
      if (!b.truth) return [{ st: b.st, kind: 'normal' } as Flow];
      if (k >= bound) {
        finishPath(ctx, b.st, { kind: 'cut', line, reason: `loop bound ${bound} reached` });
        return [];
      }
      return iterate(b.st, k);
    }));
  };
  const iterate = (s: PathState, k: number): Flow[] =>
    flatMap(execStmt(ctx, fr, s, p.body), (f) => {
      if (f.kind === 'break') return [{ st: f.st, kind: 'normal' } as Flow];
      if (f.kind !== 'normal' && f.kind !== 'continue') return [f];
      const afterUpdate = p.update ? evalExpr(ctx, fr, f.st, p.update).map((r) => r.st) : [f.st];
      return flatMap(afterUpdate, (s2) => test(s2, k + 1));
    });
  return p.testFirst ? test(st, 0) : iterate(st, 0);
}

function identifiersIn(node: SyntaxNode): string[] {
  const out: string[] = [];
  const walk = (n: SyntaxNode): void => {
    if (n.type === 'identifier') { if (!out.includes(n.text)) out.push(n.text); return; }
    if (n.type === 'field_expression') { walk(n.childForFieldName('argument')!); return; }
    for (const c of n.namedChildren) walk(c);
  };
  walk(node);
  return out;
}

/** An iteration macro: 0..bound iterations; the macro's identifiers are rewritten each time. */
function runIterationMacro(ctx: RunContext, fr: Frame, st: PathState, node: SyntaxNode, cond: SyntaxNode, body: SyntaxNode): Flow[] {
  const line = fr.lines.line(node);
  const head = normOf(cond);
  const names = identifiersIn(cond);
  const iterate = (s: PathState, k: number): Flow[] => {
    if (k >= ctx.loopBound) return [{ st: s, kind: 'normal' }];
    const [s1, n] = occurrence(s, `iter:${head}`);
    const more = sym(`iter:${head}#${n}`, `another iteration of the loop over ${head}`, 'iteration');
    return flatMap(branchOn(ctx, s1, more, line), (b) => {
      if (!b.truth) return [{ st: b.st, kind: 'normal' } as Flow];
      let s2 = b.st;
      for (const name of names) {
        const bound = s2.env[name];
        s2 = setVar(s2, name, { value: sym(`iter:${head}#${n}:${name}`, `${name} (iteration ${k + 1})`, 'iteration', bound?.isPointer), declared: bound?.declared ?? false, isPointer: bound?.isPointer ?? false });
      }
      return flatMap(execStmt(ctx, fr, s2, body), (f) => {
        if (f.kind === 'break') return [{ st: f.st, kind: 'normal' } as Flow];
        if (f.kind !== 'normal' && f.kind !== 'continue') return [f];
        return iterate(f.st, k + 1);
      });
    });
  };
  return iterate(st, 0);
}
