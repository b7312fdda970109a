// The `success-after` question: does some path through a statement end in the function's success? Asked of
// a branch that prints an error (or puts a default in place of a bad value) and then, by its own code,
// carries on. The answer reads the post-image's one cached simulation.
import type { SimPath, SimResult } from '../sim/index.ts';
import type { FunctionImage } from '../c/types.ts';
import { callName, joinPhrases, phrase } from '../sim/query/story.ts';
import type { Assumption } from '../sim/index.ts';
import { fold } from './ast.ts';
import { isSuccessConstant } from './log-levels.ts';
import type { SimAnswer } from './simulation.ts';

const isVoid = (type: string | undefined): boolean => (type ?? '').replace(/\b(static|inline|__init|__cold)\b/g, '').trim() === 'void';
const isBool = (type: string | undefined): boolean => /^(bool|_Bool)$/.test((type ?? '').replace(/\b(static|inline|const|__init|__cold)\b/g, '').trim());
/** Return types where 0 is the success value (int-like status codes), not false or NULL. */
const zeroIsSuccess = (type: string | undefined): boolean => {
  const t = (type ?? '').replace(/\b(static|inline|const|__init|__cold|unsigned|signed)\b/g, ' ').replace(/\s+/g, ' ').trim();
  return !t.includes('*') && !/\b(bool|_Bool)\b/.test(t) && t !== '' && t !== 'void';
};

/** How the path ends in success ("returns 0 at line 40"), or undefined when it does not. */
function successEnd(p: SimPath, returnType: string | undefined, braceVisible: boolean): string | undefined {
  const end = p.end;
  if (end.kind === 'fallthrough') return braceVisible && isVoid(returnType) ? 'returns normally at its closing brace' : undefined;
  if (end.kind !== 'return') return undefined;
  const v = end.value;
  if (!v || v.k === 'void') return isVoid(returnType) ? `returns normally at line ${end.line}` : undefined;
  const text = end.valueText ?? '';
  if (isSuccessConstant(text)) return `returns ${text} at line ${end.line}`;
  // bool: true is success (Xen's and Linux's `bool` predicates and "did it work" helpers).
  if (isBool(returnType)) return (v.k === 'num' && v.n !== 0) || text === 'true' ? `returns true at line ${end.line}` : undefined;
  if (!zeroIsSuccess(returnType)) return undefined;
  if (v.k === 'num') return v.n === 0 && !v.isNull ? `returns 0 at line ${end.line}` : undefined;
  if (v.k === 'sym') {
    const d = p.constraints[v.id];
    if (d && (d.cls === 2 || d.eq === 0)) return `returns ${text && text !== '0' ? `${text}, which is 0,` : '0'} at line ${end.line}`;
  }
  return undefined;
}

/** An assumption in words, a call with its arguments (`strcmp(tok, "try") returns non-zero`): several calls to one function differ. */
const said = (a: Assumption): string => (a.origin === 'call' ? phrase(a).replace(callName(a.subject), fold(a.subject)) : phrase(a));

export interface SuccessAfterInput {
  post: FunctionImage;
  result: SimResult;
  /** Post-image line of the statement the path must run. */
  line: number;
  /** Its text, for the story. */
  text: string;
  /** What running it means, for the story ("prints an error with XLU__PCI_ERR()"). */
  doing?: string;
  closingBraceVisible: boolean;
  story: (s: string, p: SimPath) => NonNullable<SimAnswer['witness']>;
}

export function successAfter(q: SuccessAfterInput): SimAnswer {
  const { post, result, line } = q;
  const through = result.paths.filter((p) => p.trace.includes(line));
  let best: { p: SimPath; end: string } | undefined;
  for (const p of through) {
    const end = successEnd(p, post.returnType, q.closingBraceVisible);
    if (end && (!best || p.assumptions.length < best.p.assumptions.length)) best = { p, end };
  }
  if (best) {
    const when = joinPhrases(best.p.assumptions.map(said));
    const doing = q.doing ?? `runs \`${fold(q.text).replace(/;$/, '')}\``;
    const s = `${best.p.assumptions.length > 0 ? `when ${when}, ` : ''}${post.name}() ${doing} (line ${line}) and then ${best.end}: a success`;
    return { outcome: 'yes', witness: q.story(s, best.p), reason: s };
  }
  if (result.status !== 'complete') return { outcome: 'unknown', reason: result.reason ?? 'the simulation did not finish' };
  // A pointer or a struct: which value means success is the function's own convention, not known here.
  if (!isVoid(post.returnType) && !zeroIsSuccess(post.returnType) && !isBool(post.returnType) && through.length > 0) {
    return { outcome: 'unknown', reason: `${post.name}() returns ${post.returnType}: which of its values means success is not known` };
  }
  if (through.length === 0) return { outcome: 'no', reason: `no path runs line ${line}` };
  const open = through.find((p) => p.end.kind === 'unseen' || p.end.kind === 'cut' || (p.end.kind === 'fallthrough' && !q.closingBraceVisible));
  if (open) {
    return {
      outcome: 'unknown',
      reason: open.end.kind === 'cut'
        ? `after line ${line}, ${post.name}() loops beyond the simulator's bound before it returns`
        : `after line ${line}, ${post.name}() goes on into code the patch does not show: whether it then reports success is unknown`,
    };
  }
  return { outcome: 'no', reason: `every path through line ${line} ends in a failure return or stops` };
}

