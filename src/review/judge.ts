// The engine's half of a finding: it asks the rule's one question, turns the answer into a verdict, and
// attaches what the verdict assumed about code the patch does not show. Rules never pick verdicts.
import type { FunctionContext } from './context.ts';
import type { Judgement, Report } from './rule.ts';
import type { SyntaxNode } from '../c/parser.ts';

const VERDICT = { yes: 'verified', no: 'refuted', unknown: 'inconclusive' } as const;

export function judge(report: Report, ctx: FunctionContext): Judgement {
  const q = report.question;
  const answer = ctx.sim.ask(q);
  const assumptions = [...fragmentAssumptions(ctx), ...(report.assumptions ?? [])];
  if (answer.assumption) assumptions.push(answer.assumption);
  const verdict = VERDICT[answer.outcome];
  const fix = q.kind === 'equivalent-rewrite' && verdict === 'verified' ? { description: q.fix, edits: q.edits } : undefined;
  return {
    verdict,
    messageId: answer.messageId ?? report.messageId,
    data: report.data,
    evidence: {
      story: answer.witness?.story ?? answer.reason,
      steps: answer.witness?.steps ?? [],
      assumptions: [...new Set(assumptions)],
      reliedOn: report.reliedOn ?? [],
    },
    ...(fix ? { fix } : {}),
  };
}

/** Why the callee can fail, as evidence lines; the flagged call's own line is no evidence of itself. */
export const reliedOn = (ctx: FunctionContext, key: string, at?: SyntaxNode): string[] => {
  const except = at ? { file: ctx.file.path, line: ctx.lineOf(at) } : undefined;
  const reasons = ctx.fallibility.reasons(key, except);
  return (reasons.length > 0 ? reasons : ctx.fallibility.reasons(key)).map((r) => r.text);
};

/** What fragment mode could not see, as assumptions every verdict on this function carries. */
export function fragmentAssumptions(ctx: FunctionContext): string[] {
  const post = ctx.post;
  if (!post.isFragment) return [];
  const out: string[] = [];
  if (post.gaps.length > 0) {
    const where = [...new Set(post.gaps.map((g) => (g.afterLine === 0 ? 'before the first visible line' : `after line ${g.afterLine}`)))];
    out.push(`the patch shows only part of ${post.name}(); the code it does not show (${where.join(', ')}) was treated as unknown`);
  }
  return out;
}
