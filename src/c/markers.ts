// Synthetic statements the C model writes into rebuilt fragments, and the simulator understands.
// They are ordinary C calls so tree-sitter parses them; no real code uses these names.

/**
 * Unseen code of the real function stands here (between two hunks, or after the last visible
 * line). It may have read or written any variable in scope, may return, or may fall through.
 */
export const GAP_CALL = '__pr_unseen';

/** A condition whose value the patch does not show (a synthetic `if` that reopens a block). */
export const UNKNOWN_COND_CALL = '__pr_unknown';

/**
 * The opener of an initialiser list whose declaration is unseen (a hunk starting among
 * `.field = value,` lines): a declaration of a marker variable, so the designators parse.
 */
export const UNSEEN_INITIALISER = 'struct __pr_unseen_list __pr_unseen_list = {';

export const gapStatement = (id: number): string => `${GAP_CALL}(${id});`;
export const unknownCondition = (): string => `${UNKNOWN_COND_CALL}()`;

export const isMarkerCall = (callee: string): boolean =>
  callee === GAP_CALL || callee === UNKNOWN_COND_CALL;

// The normaliser writes this comment into the head of a loop that was an iteration macro
// (`for_each_drhd_unit ( drhd )` becomes `while/*I*/        ( drhd )`, same length): the simulator
// runs such a loop an unknown number of times and treats the macro's arguments as written by each
// iteration.
export const ITER_MARK = '/*I*/';
