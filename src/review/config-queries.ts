// Two questions about what a function does with configuration it reads, answered from the post-image's one
// cached simulation (every path's writes and calls, in order):
// - `write-kept`: does some path keep the value a statement stores (nothing writes the place again before the
//   function ends)? A constant that other paths replace with what the input says is then a default.
// - `items-read`: after a call handed back a list, which items do the paths read through its item accessor?
//   Only item 0 on every path means the other items are silently ignored.
import type { FunctionImage } from '../c/types.ts';
import type { SyntaxNode } from '../c/parser.ts';
import type { SimPath, SimResult } from '../sim/index.ts';
import { stepsOf } from '../sim/query/story.ts';
import { callSymbols } from '../sim/query/witness.ts';
import { calleeName } from './calls.ts';
import { fold } from './ast.ts';
import type { Question } from './rule.ts';
import type { SimAnswer, Story } from './simulation.ts';

export interface QueryEnv {
  post: FunctionImage;
  result: SimResult;
  lineOf(n: SyntaxNode): number;
  closingBraceVisible: boolean;
  story(s: string, steps: ReturnType<typeof stepsOf>): Story;
}

const squash = (t: string): string => t.replace(/\s+/g, '');
const unknown = (reason: string): SimAnswer => ({ outcome: 'unknown', reason });
/** The path ran to the function's end as far as the patch shows it (a return, or the visible closing brace). */
const ended = (p: SimPath, braceVisible: boolean): boolean => p.end.kind === 'return' || (p.end.kind === 'fallthrough' && braceVisible);
const endText = (p: SimPath): string => (p.end.kind === 'return' ? `returns at line ${p.end.line}` : 'reaches its closing brace');

export function writeKept(q: Extract<Question, { kind: 'write-kept' }>, env: QueryEnv): SimAnswer {
  const { post, result } = env;
  const line = env.lineOf(q.at);
  const target = squash(q.target);
  const through = result.paths.filter((p) => p.trace.includes(line) && p.end.kind !== 'abort');
  let open: SimPath | undefined;
  for (const p of through) {
    const at = p.effects.findIndex((e) => e.kind === 'write' && e.line === line && squash(e.target) === target);
    if (at < 0) continue;
    const again = p.effects.find((e, i) => i > at && e.kind === 'write' && squash(e.target) === target);
    if (again) continue;
    if (ended(p, env.closingBraceVisible)) {
      const s = `on this path nothing writes \`${q.target}\` again after line ${line}: ${post.name}() ${endText(p)} with the value line ${line} stores`;
      if (q.premise) return { outcome: 'unknown', witness: env.story(`${s}; ${q.premise}`, stepsOf(post, p)), reason: `${s}; ${q.premise}` };
      return { outcome: 'yes', witness: env.story(s, stepsOf(post, p)), reason: s };
    }
    open ??= p;
  }
  if (open) return unknown(`on the paths that keep the value line ${line} stores in \`${q.target}\`, ${post.name}() goes on into code the patch does not show, which may set it again`);
  if (result.status !== 'complete') return unknown(result.reason ?? 'the simulation did not finish');
  if (through.length === 0) return { outcome: 'no', reason: `no path runs line ${line}` };
  return { outcome: 'no', reason: `every path through line ${line} writes \`${q.target}\` again: the value stored there is never kept` };
}

export function itemsRead(q: Extract<Question, { kind: 'items-read' }>, env: QueryEnv): SimAnswer {
  const { post, result } = env;
  const callee = calleeName(q.call);
  const callLine = env.lineOf(q.call);
  const list = squash(q.list);
  const mentions = new RegExp(`(^|[^\\w.>])${q.list.replace(/[^\w]/g, '\\$&')}(?!\\w)`);
  // The paths where the call handed the list back: its result allows 0 (the success value of the readers in the data).
  const read = result.paths.filter((p) =>
    callSymbols(p, { callee, line: callLine }).some((s) => {
      const d = p.constraints[s];
      return !d || (d.cls & 2) !== 0;
    }));
  let witness: SimPath | undefined;
  let open: SimPath | undefined;
  for (const p of read) {
    const after = p.effects.slice(p.effects.findIndex((e) => e.kind === 'call' && e.target === callee && e.line === callLine) + 1);
    let first = false;
    for (const e of after) {
      if (e.kind !== 'call' && e.kind !== 'log') continue;
      if (e.target === q.accessor && squash(e.argText[q.listArg] ?? '') === list) {
        // Item 0 as written: an index the code computes (a counter a loop or a macro advances) may walk the items
        // in ways the simulation does not see, so it reads more than the first.
        const index = e.values[q.indexArg];
        const written = (e.argText[q.indexArg] ?? '').trim();
        if (index !== '0' || !/^\(?0[uUlL]*\)?$/.test(written)) {
          return { outcome: 'no', witness: env.story(`line ${e.line} reads item \`${e.argText[q.indexArg] ?? '?'}\` of ${q.list}`, stepsOf(post, p)), reason: `line ${e.line} reads item ${e.argText[q.indexArg] ?? '?'} of ${q.list}, not only the first` };
        }
        first = true;
      } else if (e.argText.some((a) => mentions.test(a))) {
        return { outcome: 'no', reason: `${q.list} is handed to ${e.target}() at line ${e.line}, which may read every item` };
      }
    }
    if (!first) continue;
    if (ended(p, env.closingBraceVisible)) witness ??= p;
    else open ??= p;
  }
  if (open) return unknown(`${post.name}() reads item 0 of ${q.list} and goes on into code the patch does not show, which may read the others`);
  if (witness) {
    const s = `when ${callee}() hands back the list, ${post.name}() reads item 0 of ${q.list} (${fold(q.accessor)}(..., 0)) and no other item before it ${endText(witness)}`;
    return { outcome: 'yes', witness: env.story(s, stepsOf(post, witness)), reason: s };
  }
  if (result.status !== 'complete') return unknown(result.reason ?? 'the simulation did not finish');
  return { outcome: 'no', reason: `no path reads an item of ${q.list} after ${callee}() succeeds` };
}
