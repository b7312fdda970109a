// A rule is data first (meta, provenance, messages, cases) and a behaviour part: a detector that
// proposes candidates over the tree and a check that asks the simulator for the verdict.
import type { Family, Severity, RuleSource, Evidence, Verdict } from './types.ts';
import type { FunctionContext, PatchContext } from './context.ts';
import type { SyntaxNode } from '../c/parser.ts';

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
  /** Families whose finding on the same line makes this one moot (the other change reshapes the code). */
  yieldsTo?: Family[];
}

/** A place a detector proposes, before the simulator has said anything. */
export interface Candidate {
  /** The node the finding points at (its line in the post-image is the finding's line). */
  node: SyntaxNode;
  /** Anything the check needs. */
  data: Record<string, unknown>;
}

export interface RewriteProposal {
  description: string;
  /** Edits in post-image source offsets. */
  edits: { start: number; end: number; text: string }[];
}

export interface Judgement {
  verdict: Verdict;
  messageId: string;
  /** Placeholders for the message. */
  data: Record<string, string>;
  evidence: Evidence;
  /** Present only when the simulator proved the rewrite equivalent. */
  fix?: RewriteProposal;
  /** Overrides the candidate node's position (e.g. the line of a later statement). */
  node?: SyntaxNode;
}

/** A case is a small patch; `flagged` cases must produce a finding of this rule, `clean` ones none. */
export interface RuleCase {
  name: string;
  patch: string;
  /** Flagged cases: what the finding must look like. */
  expect?: {
    /** Whitespace-insensitive fragment of the flagged line. */
    snippet: string;
    verdict: Verdict;
    messageId?: string;
    /** For fixable rules: a fragment the fix's replacement must contain (absent: no fix expected). */
    fixContains?: string;
  };
  /** Run in tree mode against these files (path -> content), as a checkout would give. */
  tree?: Record<string, string>;
  /** Clean cases: the detector proposes a candidate here and the simulator refutes it. */
  refuted?: boolean;
}

export interface FunctionRule {
  scope: 'function';
  meta: RuleMeta;
  detect(ctx: FunctionContext): Candidate[];
  check(candidate: Candidate, ctx: FunctionContext): Judgement;
  cases: { flagged: RuleCase[]; clean: RuleCase[] };
}

/** A rule that looks across the functions of a patch (e.g. the same cleanup after one callee everywhere). */
export interface PatchRule {
  scope: 'patch';
  meta: RuleMeta;
  detect(ctx: PatchContext): { candidate: Candidate; fn: FunctionContext }[];
  check(candidate: Candidate, ctx: FunctionContext, patch: PatchContext): Judgement;
  cases: { flagged: RuleCase[]; clean: RuleCase[] };
}

export type Rule = FunctionRule | PatchRule;

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
    if (!c.expect) throw new Error(`${where}: flagged case "${c.name}" has no expectation`);
    if (c.expect.messageId && !(c.expect.messageId in meta.messages)) {
      throw new Error(`${where}: case "${c.name}" names unknown message ${c.expect.messageId}`);
    }
    if (c.expect.fixContains && !meta.fixable) throw new Error(`${where}: case "${c.name}" expects a fix but the rule is not fixable`);
  }
  return rule;
}

export const ruleKey = (meta: RuleMeta): string => `${meta.pack}/${meta.id}`;

/** Replaces {{name}} placeholders; an unknown placeholder is left visible so tests catch it. */
export function renderMessage(template: string, data: Record<string, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (key in data ? data[key]! : whole));
}
