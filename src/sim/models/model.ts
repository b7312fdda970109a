// The shape of a library model. Models are data: the engine interprets a small set of behaviours.
export type ModelBehaviour =
  /**
   * The path where argument `arg` holds ends as 'abort' (BUG_ON); with `unless`, the path where it does not hold
   * (ASSERT, assert: the condition is what the author states is true).
   */
  | { kind: 'abort-if'; arg: number; unless?: boolean }
  /** The path ends as 'abort' (BUG, panic). */
  | { kind: 'abort' }
  /** Logs when argument `arg` holds and returns its truth (WARN_ON). */
  | { kind: 'warn-if'; arg: number }
  /** An observable effect of kind 'log' (printk family); not error handling. */
  | { kind: 'log' }
  /** Returns argument `arg` unchanged (likely, unlikely). */
  | { kind: 'transparent'; arg: number }
  /** An opaque location, readable and assignable (this_cpu, per_cpu). */
  | { kind: 'location' }
  /** An ordinary effect with no interesting result (locks, RCU). */
  | { kind: 'effect' }
  /** Returns a pointer that may be NULL (allocation). */
  | { kind: 'alloc' }
  /** IS_ERR(p): true exactly when p is an error pointer. */
  | { kind: 'is-err'; arg: number }
  /** PTR_ERR(p): the negative errno an error pointer carries. */
  | { kind: 'ptr-err'; arg: number }
  /** ERR_PTR(e): an error pointer carrying e. */
  | { kind: 'err-ptr'; arg: number };

export interface CallModel {
  /** The family file the model comes from, for reports. */
  family: string;
  names: readonly string[];
  behaviour: ModelBehaviour;
}
