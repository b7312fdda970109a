// The review: what every front (CLI, API, bot) gets back from review(), and renders.
import type { PatchMeta, Warning, InputKind } from '../patch/types.ts';
import type { InputLimits } from '../patch/input-guard.ts';

/** The fixed vocabulary of finding families (seed-gold.json); new ones may be added later. */
export const FAMILIES = [
  'unchecked-error',
  'success-path-change',
  'disabled-not-error',
  'duplicated-cleanup',
  'redundant-temporary',
  'nested-if',
  'inconsistent-errno',
  // Added after the seed vocabulary: a result tested with the wrong sense (success taken for failure).
  'inverted-check',
  // Added by the packs built from seed threads 002/003 (owner packs): layout judged against the file's own dialect.
  'whitespace',
  'inconsistent-style',
  // Added by the config and logging packs from seed thread 002 (owner packs2): a bad setting replaced by a
  // default instead of rejected; a message's level that contradicts what the code then does.
  'invalid-input-accepted',
  'log-level',
  // Added by the config pack from seed thread 002 (owner packs4): a default set by one user of a type instead of in
  // the type's defaults function.
  'misplaced-default',
] as const;
export type Family = (typeof FAMILIES)[number];

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export type Verdict = 'verified' | 'inconclusive' | 'refuted';

export interface EvidenceStep {
  file: string;
  line: number;
  text: string;
}

export interface Evidence {
  /** The witness or counterexample as one or two sentences for people. */
  story: string;
  /** The path, step by step (SARIF codeFlows). */
  steps: EvidenceStep[];
  /** What the verdict assumed that the patch does not show. */
  assumptions: string[];
  /** Why the tool believes the calls involved can fail (void->int in the patch, checked elsewhere, ...). */
  reliedOn: string[];
}

export interface Replacement {
  /** Post-image lines [startLine, endLine] replaced by `text`. */
  startLine: number;
  endLine: number;
  text: string;
  /** The lines replaced, as the post-image has them (renderers show the fix as a diff). */
  original?: string;
}

export interface Fix {
  description: string;
  file: string;
  /** One per visible stretch of the function the rewrite touches, in line order. */
  replacements: Replacement[];
}

/** Where a rule comes from: the review comment it encodes. */
export interface RuleSource {
  list: string;
  thread: string;
  date: string;
  reviewer: string;
  quote: string;
}

export interface Finding {
  ruleId: string;
  family: Family;
  severity: Severity;
  /** New path of the file. */
  file: string;
  line: number;
  column: number;
  function: string;
  /** The flagged post-image line's text. */
  snippet: string;
  /** The rule's stable message id (users can ignore one kind of message; SARIF fingerprints it). */
  messageId: string;
  message: string;
  verdict: Verdict;
  evidence: Evidence;
  fix?: Fix;
  source: { pack: string } & RuleSource;
  /** Index of the patch in a series (0 for a single patch). */
  patch: number;
  /** 1-based line of the flagged `+`/context line in the raw input (checkpatch's `#N`), when the patch shows it. */
  inputLine?: number;
  /** Stable fingerprint for SARIF and for the bot's "never twice". */
  fingerprint: string;
  /** Other rules that found the same thing on this line (merged into this finding). */
  alsoReported?: { ruleId: string; message: string }[];
  /**
   * The other calls this finding stands for: the same rule and message about the same callee in the same function
   * (engine.ts groupRepeated), one comment for a run of them instead of one each. SARIF relatedLocations.
   */
  related?: RelatedLocation[];
}

export interface RelatedLocation {
  file: string;
  line: number;
  column: number;
  snippet: string;
  /** The member's own fingerprint (a baseline of the ungrouped findings still knows it). */
  fingerprint: string;
  inputLine?: number;
}

export interface StageTimes {
  parseMs: number;
  modelMs: number;
  rulesMs: number;
  totalMs: number;
}

export interface ReviewStats {
  patches: number;
  files: number;
  functions: number;
  pathsSimulated: number;
  rulesRun: number;
  candidates: number;
  refuted: number;
  /** True when the outer time limit expired and some functions were not reviewed (warnings say which). */
  timedOut?: boolean;
  /** Touched functions no rule ran on (`Review.notReviewed` says which and why): the patch was not fully read. */
  functionsNotReviewed: number;
  /**
   * C files skipped as imported upstream code (imported.ts; listed in `notReviewed` with `imported: true`): a policy,
   * not a failure to read them, so they are not counted in `functionsNotReviewed`.
   */
  filesImported?: number;
  times: StageTimes;
}

export interface RuleInfo {
  /** `pack/id`. */
  id: string;
  pack: string;
  family: string;
  severity: Severity;
  summary: string;
  helpUri?: string;
}

export interface NotReviewedFunction {
  file: string;
  /** `(unknown)` for changed lines in a block the patch does not name, `*` for a whole file. */
  function: string;
  reason: string;
  line?: number;
  /** A whole file skipped as imported upstream code (policy, imported.ts), not a function the review failed to read. */
  imported?: true;
}

export interface ReviewedPatch {
  meta: PatchMeta;
  isCoverLetter: boolean;
  files: string[];
}

export interface Review {
  tool: { name: 'patch-review'; version: string };
  /** `lines`: lines in the raw input (checkpatch's "lines checked"). */
  input: { kind: InputKind; name?: string; lines?: number };
  patches: ReviewedPatch[];
  /** The rules that ran, so formatters (SARIF tool.driver.rules) need not import the packs. */
  rules: RuleInfo[];
  findings: Finding[];
  /** Dropped candidates with their counterexample; present only when asked for. */
  refuted?: Finding[];
  warnings: Warning[];
  /** Touched functions no rule ran on: parse errors, changes outside a named function, the time limit (owner c). */
  notReviewed: NotReviewedFunction[];
  stats: ReviewStats;
}

export interface ReviewOptions {
  /** A checkout of the project the patch applies to (tree mode). */
  tree?: string;
  /** A saved knowledge base (`patch-review index DIR -o FILE`): which callees fail and how, without the tree. */
  kb?: string;
  /** The project config's known APIs; they take precedence over what the knowledge base learned. */
  apis?: { fallible?: { name: string; convention?: string; note?: string }[]; infallible?: string[] };
  /** Include refuted candidates in `review.refuted`. */
  showRefuted?: boolean;
  /** Only run these rules: `pack/id`, or a bare pack name for the whole pack (opt-in ones too); by default every rule that is not opt-in. */
  rules?: string[];
  /** Opt-in rules (`pack/id`) or packs to run as well as the default ones (select.ts). */
  enable?: string[];
  /** Rules (`pack/id`) or packs not to run (select.ts). */
  disable?: string[];
  /** Severity overrides keyed by `pack/id` or pack (select.ts). */
  severity?: Record<string, Severity>;
  /** Files whose path matches one of these globs are not reviewed (select.ts). */
  ignorePaths?: string[];
  /**
   * Imported upstream code (imported.ts): files under `paths` (globs as ignorePaths), and by default (`detect`) every
   * C file of a commit whose message declares an import of a library release, are listed as not reviewed.
   */
  imported?: { paths?: string[]; detect?: boolean };
  /** A display name for the input (file name). */
  inputName?: string;
  /**
   * Outer wall-clock guard for the whole review. Functions not reviewed when it expires are reported
   * (warning `time-limit`, `stats.timedOut`); verdicts themselves depend only on step/path budgets.
   */
  timeLimitMs?: number;
  /** Per-function simulation budget. */
  budget?: { maxPaths?: number; maxSteps?: number; maxMillis?: number };
  /**
   * Size limits (docs/limits.md; owner limits): the input's bytes, lines, line length and hunks (the
   * parser: defaults in src/patch/input-guard.ts), touched functions and simulated paths per review
   * (the engine: DEFAULT_MAX_FUNCTIONS, DEFAULT_MAX_PATHS; what is left is reported not reviewed).
   */
  limits?: InputLimits & { maxFunctions?: number; maxPaths?: number };
}
