// A rule is data first (meta, provenance, messages, cases) and a behaviour part: a detector that
// proposes candidates over the tree and a check that asks the simulator for the verdict.
import type { Family, Severity, RuleSource, Evidence, Verdict } from './types.ts';
import type { FunctionContext, PatchContext } from './context.ts';
import type { SyntaxNode } from '../c/parser.ts';
import type { TouchedFunction } from '../c/types.ts';

export interface RuleMeta {
  /** kebab-case, equal to the file name. */
  id: string;
  pack: string;
  family: Family;
  severity: Severity;
  summary: string;
  /** The review comment the rule encodes. */
  source: RuleSource;
  /** Message templates with {{placeholders}}, keyed by a stable message id. */
  messages: Record<string, string>;
  fixable: boolean;
  /** Known limits and false-positive sources, stated honestly. */
  limitations: string;
  /** Where the rule's documentation lives, for SARIF. */
  helpUri?: string;
  /** Families whose finding on the same line makes this one moot (the other change reshapes the code). */
  yieldsTo?: Family[];
  /**
   * Its findings of one message about the same callee (`{{callee}}`) in one function are one finding at the first call,
   * the others its related locations (engine.ts groupRepeated): a driver's forty unchecked register writes get one
   * comment. For rules whose findings are each a call; not for ones that flag several uses of one call's result.
   */
  groupsRepeated?: boolean;
  /**
   * Off unless asked for (`--enable`, `--rule`, a config setting, the API's `enable`): style checks that
   * old code tolerated widely, whose findings would bury the ones about meaning in a default review.
   */
  optIn?: boolean;
}

/** A place a detector proposes, before the simulator has said anything. */
export interface Candidate {
  /** The node the finding points at (its line in the post-image is the finding's line). */
  node: SyntaxNode;
  /** Anything the check needs. */
  data: Record<string, unknown>;
}

/** An edit in post-image source offsets. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * The one typed question a rule asks the simulator about a candidate. "Yes" backs the finding
 * (`verified`), "no" clears it (`refuted`), anything the simulator could not decide is `inconclusive`.
 */
export type Question =
  /**
   * Does some path through `at` end in the function's success (returns 0 or a success constant, or a void
   * function returns)? `doing` says what `at` does, for the witness ("prints an error with pr_err()").
   */
  | { kind: 'success-after'; at: SyntaxNode; doing?: string }
  /** Can the function return success (or nothing) after `call` failed? */
  /** premise: what the verdict rests on that the patch does not show (a verified answer becomes inconclusive). */
  | { kind: 'failure-swallowed'; call: SyntaxNode; premise?: string }
  /** With every callee succeeding, does behaviour change at `at` (an early return; a different value)? */
  | { kind: 'success-path-change'; at: SyntaxNode; change: 'returns-early' | 'return-value' }
  /**
   * Is this error exit reached on a path where nothing failed? `value`: only a path returning that value (its text,
   * `TEE_ERROR_GENERIC`) counts; `through`: only a path that runs that statement.
   */
  | { kind: 'exit-without-failure'; exit: SyntaxNode; value?: string; through?: SyntaxNode }
  /** Is this exit reachable at all? */
  | { kind: 'exit-reachable'; exit: SyntaxNode }
  /**
   * Is `target` reached on a path where `call` returned a value of this sign? `premise`: what the finding also
   * rests on that no simulation can check (what a condition means); a "yes" is then inconclusive with it as the reason.
   */
  | {
      kind: 'reached-when';
      call: SyntaxNode;
      result: 'positive' | 'zero' | 'negative';
      target: SyntaxNode;
      premise?: string;
      /** trunc7: also a path where nothing tested the result before `target` (it may then hold any value), the call made before it. */
      untested?: boolean;
    }
  /**
   * Do two copies of the same statements (`first`, `second`: runs of sibling statements in different branches) make
   * the same calls with the same argument values on every path that runs them? "Yes": one copy would do.
   */
  | { kind: 'same-effects'; first: SyntaxNode[]; second: SyntaxNode[] }
  /** Does `effect` run on a path where `call` failed? */
  | { kind: 'effect-on-failure'; call: SyntaxNode; effect: SyntaxNode }
  /**
   * Is the value stored from `call` overwritten, out of scope or never tested on some path (a lost result)?
   * `afterTests` (lost): also when conditions read it but let a failure go the way of a success (a test for one
   * errno only, `if ( !rc && x ) break;`); then `call` need not be stored. `unhandled`: also when a failure takes no
   * branch of the tests it meets (`if ( rc == 0 ) .. else if ( rc == 1 ) ..` with no else).
   */
  | { kind: 'result-lost'; call: SyntaxNode; afterTests?: boolean; unhandled?: boolean }
  /**
   * overwrite (held-out class 5): between `call` (its result stored, not yet looked at) and the first look at that
   * result, does a path where `call` failed run one of `work` (statements calling something), while a path where
   * another fallible call fails reports the failure without ever running that statement's callee (the function's own
   * handling shows it is work only a success should do)?
   */
  | {
      kind: 'work-after-failure';
      call: SyntaxNode;
      work: SyntaxNode[];
      /**
       * flow7: another function of the patch that makes the same call followed (before its result is looked at) by
       * the same work: when this function shows nothing itself, that function's own evidence (the same question
       * verified there) stands for it.
       */
      sibling?: { fn: TouchedFunction; call: SyntaxNode; work: SyntaxNode[] };
    }
  /**
   * packs4 (config): does some path run `at` (a statement storing a value in `target`) and end with nothing writing
   * `target` again (the value is kept: a default, where other paths store what the input says)? `premise`: what the
   * finding also rests on that no simulation can check; a "yes" is then inconclusive with it as the reason.
   */
  | { kind: 'write-kept'; at: SyntaxNode; target: string; premise?: string }
  /**
   * packs4 (config): after `call` handed back a list in `list` (its result 0), do the paths read only item 0 of it
   * through `accessor` (argument `listArg` the list, `indexArg` the index), never another item, never handing the list
   * on? Code the patch does not show, after a read, is unknown.
   */
  | { kind: 'items-read'; call: SyntaxNode; list: string; accessor: string; listArg: number; indexArg: number }
  /** Does some path through `via` (an error exit: a goto or return) end returning success (0), i.e. a stale status? */
  | {
      kind: 'success-via';
      via: SyntaxNode;
      /** `via` is a goto whose label the patch does not show: read it as `return <asReturn>;` (the rule's premise,
       * stated as an assumption: the label passes that status on). */
      asReturn?: string;
    }
  /**
   * Is `use` (a dereference, pointer arithmetic, an argument) reached on a path where `call` returned its
   * failure value (NULL; an ERR_PTR) and nothing tested that value in between? `premise`: what the finding also
   * rests on that the simulation cannot see (what an unseen callee does with the pointer); a "yes" is then inconclusive.
   * `testedAt`: the line of a visible test of the value between them; when the simulation cannot finish, that test
   * is taken to guard the use (whether it really stops the failure is logged-not-returned's question).
   */
  | { kind: 'failure-reaches-use'; call: SyntaxNode; use: SyntaxNode; premise?: string; testedAt?: number; negative?: boolean }
  /**
   * Pre vs post at an exit both images have (`return variable;`, or `goto L;` whose label passes `variable` on):
   * every pre-image path to `preExit` left `variable` holding a failure, and some post-image path reaches `exit`
   * with it holding an earlier call's success (a checked call the patch put in between)?
   */
  | { kind: 'status-regressed'; exit: SyntaxNode; preExit: SyntaxNode; variable: string }
  /**
   * Does a path through `branch` (the first statement of the code's own handling of `call`'s failure, a branch that
   * only logs, maybe leaving a loop) go on as a success: return a value that is neither a failure nor `call`'s result,
   * or, with `use`, get past `use` (a statement that uses the failed value)? Code the patch does not show is unknown.
   */
  | {
      kind: 'failure-goes-on'; call: SyntaxNode; branch: SyntaxNode; use?: SyntaxNode; /** What the branch does, for the witness (default: prints a warning). */ doing?: string;
      /** `use` is work done after the failure, not a read of the failed value; `premise`: what the finding also rests on (verified becomes inconclusive). */
      work?: boolean; premise?: string;
    }
  /**
   * Pre vs post for a call both images make (`preCall` is its pre-image node): every pre-image path where it fails
   * passes the failure to the caller (or stops), and some post-image path lets it go and reports success?
   */
  | { kind: 'failure-unreported'; call: SyntaxNode; preCall: SyntaxNode }
  /** Is the post-image with these edits the same function on every path? "Yes" offers the rewrite as the fix. */
  | {
      kind: 'equivalent-rewrite';
      edits: Edit[];
      /** The fix's description ("combine the two conditions"). */
      fix: string;
      /** What the proof means, for people. */
      proof: string;
      /** Edits applied to both sides first: what is assumed of code the patch does not show. A proof under
       * an assumption is `inconclusive` and offers no fix. */
      assume?: { edits: Edit[]; statement: string };
      /** When the rewrite differs only in these variables' values at code the patch does not show, the
       * answer is `inconclusive` with this message (the rewrite holds only if nothing unseen reads them). */
      unlessRead?: { variables: string[]; messageId: string; statement: string };
      /** When the rewrite differs because the original code returns success where the rewrite still returns
       * an earlier error (the code loses an error the rewrite would keep): `inconclusive` with this message. */
      ifCodeLosesError?: { messageId: string };
      /** A suggestion that stands only on a proof: when the comparison does not finish (path budget, a function too
       * large to simulate), the candidate is dropped (`refuted`, the reason says no proof was found) instead of being
       * reported as `inconclusive`. What `assume` or `unlessRead` make inconclusive stays so. */
      proofRequired?: boolean;
    };

/** What a rule's check returns: what it found, and the one question that decides it. */
export interface Report {
  messageId: string;
  /** Placeholders for the message. */
  data: Record<string, string>;
  question: Question;
  /** Overrides the candidate node's position (e.g. the line of a later statement). */
  node?: SyntaxNode;
  /** Why the rule believes its premise (why the callee can fail, what its convention is). */
  reliedOn?: string[];
  /** What this report assumes beyond what the engine states about unseen code. */
  assumptions?: string[];
}

/** The engine's verdict on a report. */
export interface Judgement {
  verdict: Verdict;
  messageId: string;
  data: Record<string, string>;
  evidence: Evidence;
  /** Present only when the simulator proved the rewrite equivalent, with nothing assumed. */
  fix?: { description: string; edits: Edit[] };
}

/** What a flagged case must produce: exactly these findings of the rule, nothing else. */
export interface ExpectedFinding {
  /** Post-image line of the finding. */
  line: number;
  messageId: string;
  verdict: Exclude<Verdict, 'refuted'>;
  /** Fixable rules: the exact text of the fix's replacements, joined by newlines (absent: no fix). */
  fix?: string;
}

/** A case is a small patch. Flagged cases must produce exactly `expect`; clean ones no finding of the rule. */
export interface RuleCase {
  name: string;
  patch: string;
  /** Flagged cases: every finding the rule must report on this patch, and no other. */
  expect?: ExpectedFinding[];
  /** Run in tree mode against these files (path -> content), as a checkout would give. */
  tree?: Record<string, string>;
  /** Clean cases: the detector proposes a candidate here and the simulator refutes it (a near miss). */
  refuted?: boolean;
}

export interface FunctionRule {
  scope: 'function';
  meta: RuleMeta;
  detect(ctx: FunctionContext): Candidate[];
  check(candidate: Candidate, ctx: FunctionContext): Report;
  cases: { flagged: RuleCase[]; clean: RuleCase[] };
}

/** A rule that looks across the functions of a patch (e.g. the same cleanup after one callee everywhere). */
export interface PatchRule {
  scope: 'patch';
  meta: RuleMeta;
  detect(ctx: PatchContext): { candidate: Candidate; fn: FunctionContext }[];
  check(candidate: Candidate, ctx: FunctionContext, patch: PatchContext): Report;
  cases: { flagged: RuleCase[]; clean: RuleCase[] };
}

export type Rule = FunctionRule | PatchRule;

/** A set of packs the engine runs (the fronts pass the default one, tests their own). */
export interface RuleSet {
  rules: Rule[];
}

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Fills defaults and checks a rule's shape when its module loads (typescript-eslint's RuleCreator). */
export function defineRule<R extends Rule>(rule: R): R {
  const { meta, cases } = rule;
  const where = `rule ${meta.pack}/${meta.id}`;
  if (!ID.test(meta.id)) throw new Error(`${where}: id must be kebab-case`);
  if (!ID.test(meta.pack)) throw new Error(`${where}: pack must be kebab-case`);
  if (Object.keys(meta.messages).length === 0) throw new Error(`${where}: no messages`);
  if (!meta.source.quote.trim()) throw new Error(`${where}: provenance needs the reviewer's words`);
  if (cases.flagged.length === 0 || cases.clean.length === 0) {
    throw new Error(`${where}: needs at least one flagged and one clean case`);
  }
  for (const c of cases.flagged) {
    if (!c.expect || c.expect.length === 0) throw new Error(`${where}: flagged case "${c.name}" has no expected finding`);
    for (const e of c.expect) {
      if (!(e.messageId in meta.messages)) throw new Error(`${where}: case "${c.name}" names unknown message ${e.messageId}`);
      if (e.fix !== undefined && !meta.fixable) throw new Error(`${where}: case "${c.name}" expects a fix but the rule is not fixable`);
    }
  }
  for (const c of cases.clean) {
    if (c.expect) throw new Error(`${where}: clean case "${c.name}" cannot expect findings`);
  }
  return rule;
}

export const ruleKey = (meta: RuleMeta): string => `${meta.pack}/${meta.id}`;

/** Replaces {{name}} placeholders; an unknown placeholder is left visible so tests catch it. */
export function renderMessage(template: string, data: Record<string, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (key in data ? data[key]! : whole));
}
