// The program model the engine walks: the parser's plain, immutable syntax tree (src/c/parser.ts), read
// without native calls; per-node derived text is remembered beside it.
import type { SyntaxNode } from '../../c/parser.ts';
import { normText } from './source.ts';

/** What the engine and the program helpers read from a node (tree-sitter nodes satisfy it too). */
export interface TreeNode {
  readonly type: string;
  readonly text: string;
  readonly startPosition: { row: number; column: number };
  readonly namedChildren: readonly TreeNode[];
  childForFieldName(name: string): TreeNode | null;
}

/**
 * The engine reads the parser's own nodes: src/c/parser.ts builds a plain JavaScript tree (no native call per
 * read), immutable once built, so the engine no longer copies each simulated function into nodes of its own.
 */
export type PNode = SyntaxNode;

/** normText of a node's text, remembered per node object: the engine reads the same node on every path. */
const norms = new WeakMap<TreeNode, string>();

export const normOf = (node: TreeNode): string => {
  let n = norms.get(node);
  if (n === undefined) norms.set(node, (n = normText(node.text)));
  return n;
};

/**
 * The node the engine walks for a function_definition: the parser's node itself. (It used to be a copy; the copy
 * cost a twelfth of a review's allocation, and every copied node lived as long as the review.)
 */
export function programOf(node: SyntaxNode): PNode {
  return node;
}
