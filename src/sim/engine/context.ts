// The run context: options, budgets and the collector of finished paths. One per simulation.
import type { SyntaxNode } from '../../c/parser.ts';
import type { PathEnd, SimBudget, SimFunction, SimOptions, Value } from '../types.ts';
import { LineMapper } from '../program/source.ts';
import type { PathState } from '../state/path-state.ts';

export const DEFAULT_BUDGET: SimBudget = { maxPaths: 4000, maxSteps: 200_000, maxMillis: 2000 };
export const DEFAULT_LOOP_BOUND = 2;

/** Thrown inside the engine; never escapes `simulate`. */
export class SimStop extends Error {
  constructor(readonly kind: 'budget' | 'unsupported', message: string) {
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
  lines: LineMapper;
  /** Labels defined anywhere in this function. */
  labels: Set<string>;
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
    if (this.steps > this.budget.maxSteps) throw new SimStop('budget', `step budget exhausted (${this.budget.maxSteps} steps)`);
    if ((this.steps & 127) === 0) this.checkTime();
  }

  checkTime(): void {
    if (Date.now() - this.started > this.budget.maxMillis) throw new SimStop('budget', `time budget exhausted (${this.budget.maxMillis} ms)`);
  }

  finish(st: PathState, end: PathEnd): void {
    if (this.finished.length >= this.budget.maxPaths) throw new SimStop('budget', `path budget exhausted (${this.budget.maxPaths} paths)`);
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

export function collectLabels(node: SyntaxNode): Set<string> {
  const out = new Set<string>();
  for (const l of node.descendantsOfType('labeled_statement')) {
    const id = l.childForFieldName('label');
    if (id) out.add(id.text);
  }
  return out;
}
