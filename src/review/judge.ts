// Helpers rules share to turn simulator answers into judgements.
import type { FunctionContext } from './context.ts';
import type { Evidence } from './types.ts';
import type { RewriteAnswer, Story } from './simulation.ts';
import type { Judgement, RewriteProposal } from './rule.ts';
import type { SyntaxNode } from '../c/parser.ts';

export function evidence(story: Story | undefined, extra: Partial<Evidence> = {}): Evidence {
  return {
    story: story?.story ?? extra.story ?? '',
    steps: story?.steps ?? extra.steps ?? [],
    assumptions: extra.assumptions ?? [],
    reliedOn: extra.reliedOn ?? [],
  };
}

/** Why the callee can fail, as evidence lines; the flagged call's own line is no evidence of itself. */
export const reliedOn = (ctx: FunctionContext, callee: string, at?: SyntaxNode): string[] => {
  const except = at ? { file: ctx.file.path, line: ctx.lineOf(at) } : undefined;
  const reasons = ctx.fallibility.reasons(callee, except);
  return (reasons.length > 0 ? reasons : ctx.fallibility.reasons(callee)).map((r) => r.text);
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

/** Leading whitespace of the raw line a node starts on. */
export function indentOf(ctx: FunctionContext, row: number): string {
  return /^\s*/.exec(ctx.post.rawLines[row] ?? '')?.[0] ?? '';
}

/**
 * The verdict on a proposed rewrite: proven equivalent gives `verified` with the fix, a counterexample
 * gives `refuted` (with it as evidence), anything else `inconclusive` with the simulator's reason.
 */
export function rewriteJudgement(
  answer: RewriteAnswer,
  j: {
    messageId: string;
    data: Record<string, string>;
    /** What the proof means, for people. */
    proof: string;
    assumptions: string[];
    fix: RewriteProposal;
  },
): Judgement {
  const base = { messageId: j.messageId, data: j.data };
  if (answer.verdict === 'equivalent') {
    return { ...base, verdict: 'verified', evidence: evidence(undefined, { story: j.proof, assumptions: j.assumptions }), fix: j.fix };
  }
  return {
    ...base,
    verdict: answer.verdict === 'different' ? 'refuted' : 'inconclusive',
    evidence: evidence(answer.counterexample, { story: answer.reason ?? '', assumptions: j.assumptions }),
  };
}
