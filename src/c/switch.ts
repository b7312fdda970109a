// Reading switch statements back from the model: what the normaliser rewrote in case labels.
import type { SyntaxNode } from './parser.ts';
import type { FunctionImage } from './types.ts';

export interface CaseRange {
  /** The range's bounds, both included (GNU `case low ... high:`). */
  low: SyntaxNode;
  high: SyntaxNode;
}

/**
 * The bounds of a GNU case range `case A ... B:`, or undefined for an ordinary label. The
 * normaliser parses the range as `case A || B:`; the raw text at the operator's column still
 * says `...`, which is how a real `case A || B:` is told apart.
 */
export function caseRange(image: Pick<FunctionImage, 'rawLines'>, node: SyntaxNode): CaseRange | undefined {
  if (node.type !== 'case_statement') return undefined;
  const value = node.childForFieldName('value');
  if (value?.type !== 'binary_expression') return undefined;
  const op = value.childForFieldName('operator');
  const low = value.childForFieldName('left');
  const high = value.childForFieldName('right');
  if (!op || !low || !high || op.type !== '||') return undefined;
  const { row, column } = op.startPosition;
  const raw = image.rawLines[row] ?? '';
  return raw.slice(column, column + 3) === '...' ? { low, high } : undefined;
}

/** True for `default:` (a case_statement without a value). */
export const isDefaultLabel = (node: SyntaxNode): boolean =>
  node.type === 'case_statement' && node.childForFieldName('value') === null;
