// Public data shapes of the simulator. Everything a caller sees is plain data (JSON-serialisable).
import type { SyntaxNode } from '../c/parser.ts';

/** A function to simulate: structurally a subset of the C model's FunctionImage. */
export interface SimFunction {
  name: string;
  /** The function_definition node. */
  node: SyntaxNode;
  /** row -> real 1-based line; 0 = synthetic. Absent: row + 1. */
  lineMap?: number[];
  returnType?: string;
  params?: { name: string; type: string }[];
  /** The source rows as written (before normalisation), when the C model has them: GNU case ranges. */
  rawLines?: string[];
}

export interface SimBudget {
  maxPaths: number;
  /** Statements and expressions executed; queries also count the path pairs they compare here. */
  maxSteps: number;
  /**
   * Optional outer wall-clock guard. Off by default: verdicts depend only on steps and paths. When set
   * and reached, the result is inconclusive with `stoppedBy: 'time'`, a reason distinct from the budget.
   */
  maxMillis?: number;
}

/** Why a simulation or query stopped early. */
export type StopReason = 'steps' | 'paths' | 'time' | 'unsupported' | 'internal';

export interface SimOptions {
  /**
   * A callee's failure convention (the knowledge base's lookup, src/knowledge): a witness shows the
   * callee's real failure ("-ENOMEM", "NULL", "0") instead of a default -EIO. Added by kb.
   */
  conventionOf?: (callee: string) => { convention: string; failValues?: string[] } | undefined;
  /** Loop unrolling bound (iterations of a body before the path is cut). Default 2. */
  loopBound?: number;
  budget?: Partial<SimBudget>;
  /** Variables unseen code cannot touch (introduced by the patch): not havocked at gaps. */
  preserveAtGaps?: string[];
  /**
   * Names the visible code uses without declaring that are locals of the code it does not show (the review decides
   * which): bound as declared locals from the start, so calls do not read them and a value they hold can be lost.
   */
  localsOfUnseenCode?: string[];
  /**
   * Named status constants the simulator keeps as names (`TEE_SUCCESS`, `TEE_ERROR_BUSY`): whether a name means
   * success or a failure (knowledge data: status types and error-constant spellings). Queries read comparisons of a
   * call's result with such a name as tests of success or of one named failure (lostResult's afterTests).
   */
  namedStatus?: (name: string) => 'success' | 'failure' | undefined;
  /** Functions of the same patch that calls may be inlined into. */
  functions?: SimFunction[];
  /** Inlining depth for `functions`. Default 1. */
  inlineDepth?: number;
  /** Called with the stats of every simulation run under these options (queries run several). */
  onSimulated?: (stats: SimStats) => void;
  /** Equivalence: variables whose values at unseen code are not compared (an assumption the caller states). */
  ignoreVars?: string[];
  /**
   * Locations that stand for an input under another name (`op->cmd` -> `cmd` when a patch moved the
   * parameter into a struct): read before any write, they are that input's symbol. The differential
   * sets this itself from the two parameter lists.
   */
  inputAliases?: Record<string, string>;
}

/** A symbolic or concrete value. */
export type Value =
  | { k: 'num'; n: number; isNull?: boolean; /** The errno constant the code wrote (`EPERM` of `-EPERM`): shown as written. */ name?: string }
  | { k: 'sym'; id: string; label: string; origin: SymOrigin; ptr?: boolean; /** Line of the call that made it. */ line?: number }
  | { k: 'op'; op: string; args: Value[] }
  | { k: 'str'; text: string }
  | { k: 'addr'; text: string }
  | { k: 'uninit'; name: string }
  | { k: 'void' };

/** Where a symbol came from: a call result, an input identifier, a location, a gap havoc, an unknown condition. */
export type SymOrigin = 'call' | 'input' | 'location' | 'gap' | 'unknown' | 'iteration' | 'atom' | 'uninit';

/** Sign classes as a bit set: 1 negative, 2 zero, 4 positive. */
export interface Domain {
  cls: number;
  eq?: number;
  ne: number[];
  /** Integer bounds, both included, where the sign classes do not already imply them. */
  lo?: number;
  hi?: number;
}

export interface Assumption {
  /** Symbol (or atom) id the assumption constrains. */
  symbol: string;
  /** For people: `iommu_flush_all()`, `iommu_enabled`, `(x & PGT_type_mask) == PGT_writable_page`. */
  subject: string;
  origin: SymOrigin;
  /** For people: `!= 0`, `== 0`, `< 0`, `== -ENOENT`, `true`, `false`. */
  relation: string;
  /** The condition was true on this path (as written). */
  holds: boolean;
  line: number;
  /** The tested value is a pointer (compared with NULL, or allocated). */
  isPointer?: boolean;
  /** Line of the call that produced the symbol, for call symbols. */
  callLine?: number;
}

export type EffectKind = 'call' | 'log' | 'write';

export interface Effect {
  kind: EffectKind;
  /** Callee for calls and logs; location for writes. */
  target: string;
  /** Normalised argument source text (calls, logs) or the written value's source text. */
  argText: string[];
  /** Argument values (or the written value), rendered; what comparisons use. */
  values: string[];
  line: number;
  /** Call symbol id when the call produced a result. */
  symbol?: string;
}

export type EndKind = 'return' | 'fallthrough' | 'unseen' | 'abort' | 'cut';

export interface PathEnd {
  kind: EndKind;
  line: number;
  /** 'return': the value (absent for a bare `return;`). */
  value?: Value;
  /** 'return': the value rendered; 'unseen' has none. */
  valueText?: string;
  /** 'unseen': which gap. */
  gap?: number;
  /** 'abort' / 'cut': why. */
  reason?: string;
}

export interface UninitRead {
  name: string;
  line: number;
}

/** A call's result that nothing used before it was lost (liveness). */
export interface LostValue {
  /** The call symbol (see Effect.symbol). */
  symbol: string;
  /** The variable that held it last; `''` when it was never kept in one (a call tested where it was made). */
  variable: string;
  /** Where it was lost: the overwriting assignment, the end of the declaring block, or the path's end. */
  line: number;
  how: 'overwritten' | 'scope-end' | 'dead';
  /**
   * Lines of the conditions that read the value before it was lost. Such a value was looked at, so it is
   * lost only when no test acted on a failure (a query's decision): `lostResult` with `afterTests`.
   */
  testedAt?: number[];
  /** Trace length when it was lost (the path's `trace` up to the loss). */
  at?: number;
}

export interface SimPath {
  /** Index in the result, stable across runs. */
  index: number;
  assumptions: Assumption[];
  /** Final constraint of each symbol the path branched on, keyed by symbol id (sorted keys). */
  constraints: Record<string, Domain>;
  effects: Effect[];
  end: PathEnd;
  uninitReads: UninitRead[];
  /** Values of the variables in scope at the end (locals declared in the function and inputs it wrote). */
  finalVars: Record<string, Value>;
  /** Same, rendered under the path's constraints. */
  finalVarsText: Record<string, string>;
  /** Lines visited, in order (for witnesses). */
  trace: number[];
  /** Call results lost on this path before anything used them, in order. */
  lost: LostValue[];
}

export interface SimStats {
  paths: number;
  steps: number;
  millis: number;
}

export interface SimResult {
  status: 'complete' | 'inconclusive';
  reason?: string;
  /** Set when status is inconclusive. */
  stoppedBy?: StopReason;
  paths: SimPath[];
  stats: SimStats;
  /** Loop bound used. */
  loopBound: number;
  functionName: string;
  returnType?: string;
}

export interface WitnessStep {
  line: number;
  text: string;
}

export interface Witness {
  path: SimPath;
  story: string;
  steps: WitnessStep[];
}

export type Verdict = 'verified' | 'refuted' | 'inconclusive';

export interface QueryAnswer {
  verdict: Verdict;
  witness?: Witness;
  reason?: string;
}

export interface LostResultAnswer {
  verdict: Verdict;
  witness?: Witness;
  reason?: string;
  stoppedBy?: StopReason;
  /** verified: the variable that held the result last. */
  variable?: string;
  /** verified: where the result was lost, and how. */
  lostAt?: { line: number; how: LostValue['how'] };
  /** verified after tests (`afterTests`): the lines of the conditions that read the result and let a failure through. */
  testedAt?: number[];
}

export interface OutcomeSummary {
  end: EndKind;
  line: number;
  value?: string;
  effects: string[];
  vars?: Record<string, string>;
  uninitReads: UninitRead[];
}

export interface Counterexample {
  assumptions: Assumption[];
  a: OutcomeSummary;
  b: OutcomeSummary;
  story: string;
}

export interface EquivalenceAnswer {
  verdict: 'equivalent' | 'different' | 'inconclusive';
  counterexample?: Counterexample;
  reason?: string;
  /** Inconclusive: what stopped it ('time' is the outer wall-clock guard, not the budget). */
  stoppedBy?: StopReason;
}

export interface Difference {
  kind: 'end-kind' | 'return-value' | 'effects' | 'uninit-read';
  /** The post-image line where behaviour changes. */
  line: number;
  story: string;
  pre: OutcomeSummary;
  post: OutcomeSummary;
  assumptions: Assumption[];
}

export interface DifferentialAnswer {
  status: 'complete' | 'inconclusive';
  successPathChanges: Difference[];
  failuresReaching: { call: string; line: number }[];
  failuresLost: Witness[];
  reason?: string;
  stoppedBy?: StopReason;
}
