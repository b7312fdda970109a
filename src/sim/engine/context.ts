// The run context: options, budgets and the collector of finished paths. One per simulation.
import type { PNode as SyntaxNode } from '../program/node.ts';
import type { PathEnd, SimBudget, SimFunction, SimOptions, Value } from '../types.ts';
import { LineMapper } from '../program/source.ts';
import { programOf } from '../program/node.ts';
import type { PathState } from '../state/path-state.ts';

/**
 * Verdicts depend on steps and paths only, so the same input gives the same answer under any load.
 * `maxMillis` is an outer guard the caller may set; it is off by default, and its expiry is reported
 * as `stoppedBy: 'time'` (never mistaken for a budget verdict).
 */
export const DEFAULT_BUDGET: SimBudget = { maxPaths: 1000, maxSteps: 20_000 };
export const DEFAULT_LOOP_BOUND = 2;

/** Thrown inside the engine; never escapes `simulate`. */
export class SimStop extends Error {
  constructor(readonly kind: 'steps' | 'paths' | 'time' | 'unsupported', message: string) {
    super(message);
  }
}

export interface Finished {
  st: PathState;
  end: PathEnd;
}

/** One function being executed (the simulated one, or one inlined into it). */
export interface Frame {
  fn: SimFunction;
  /** The function_definition as the engine reads it. */
  def: SyntaxNode;
  lines: LineMapper;
  /** Labels defined anywhere in this function. */
  labels: ReadonlySet<string>;
}

export class RunContext {
  readonly budget: SimBudget;
  readonly loopBound: number;
  readonly preserve: Set<string>;
  readonly inlineDepth: number;
  readonly functions = new Map<string, SimFunction>();
  readonly finished: Finished[] = [];
  readonly started = Date.now();
  steps = 0;

  constructor(readonly options: SimOptions) {
    this.budget = { ...DEFAULT_BUDGET, ...(options.budget ?? {}) };
    this.loopBound = Math.max(0, Math.floor(options.loopBound ?? DEFAULT_LOOP_BOUND));
    this.preserve = new Set(options.preserveAtGaps ?? []);
    this.inlineDepth = options.inlineDepth ?? 1;
    for (const f of options.functions ?? []) if (!this.functions.has(f.name)) this.functions.set(f.name, f);
  }

  tick(): void {
    this.steps++;
    if (this.steps > this.budget.maxSteps) throw new SimStop('steps', `step budget exhausted (${this.budget.maxSteps} steps)`);
    if (this.budget.maxMillis !== undefined && (this.steps & 127) === 0) this.checkTime();
  }

  /** The outer wall-clock guard (only when the caller set one). */
  checkTime(): void {
    const limit = this.budget.maxMillis;
    if (limit !== undefined && Date.now() - this.started > limit) throw new SimStop('time', `time limit reached (${limit} ms wall clock; not a verdict of the budget)`);
  }

  /** Paths the run will have: one, plus one per feasible two-way fork so far. */
  private forks = 0;

  fork(): void {
    this.forks++;
    if (this.forks + 1 > this.budget.maxPaths) throw new SimStop('paths', `path budget exhausted (${this.budget.maxPaths} paths)`);
  }

  finish(st: PathState, end: PathEnd): void {
    if (this.finished.length >= this.budget.maxPaths) throw new SimStop('paths', `path budget exhausted (${this.budget.maxPaths} paths)`);
    this.finished.push({ st, end });
  }

  unsupported(what: string, node: SyntaxNode, frame: Frame): never {
    throw new SimStop('unsupported', `unsupported construct: ${what} at line ${frame.lines.line(node)}`);
  }
}

export interface Flow {
  st: PathState;
  kind: 'normal' | 'break' | 'continue' | 'return' | 'goto';
  value?: Value;
  label?: string;
  line?: number;
}

export interface Evaluated {
  st: PathState;
  v: Value;
}

/** The frame of a function: its program model, line map and labels. */
export function frameOf(fn: SimFunction): Frame {
  const def = programOf(fn.node);
  let labels = labelsMemo.get(def);
  if (!labels) labelsMemo.set(def, (labels = collectLabels(def)));
  return { fn, def, lines: new LineMapper(fn.lineMap), labels };
}

/** A function's labels, found once per node (every simulation of a function, and every inlined call, reads them). */
const labelsMemo = new WeakMap<SyntaxNode, ReadonlySet<string>>();

export function collectLabels(node: SyntaxNode): Set<string> {
  const out = new Set<string>();
  for (const l of node.descendantsOfType('labeled_statement')) {
    const id = l.childForFieldName('label');
    if (id) out.add(id.text);
  }
  return out;
}
