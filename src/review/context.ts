// What a rule sees of one touched function, and of the whole patch.
import type { Patch } from '../patch/types.ts';
import type { CModel, FileModel, FunctionImage, TouchedFunction } from '../c/types.ts';
import type { SyntaxNode } from '../c/parser.ts';
import type { ReviewOptions } from './types.ts';
import type { Fallibility } from './fallibility.ts';
import type { SimSession } from './simulation.ts';

export interface FunctionContext {
  patchIndex: number;
  patch: Patch;
  model: CModel;
  file: FileModel;
  fn: TouchedFunction;
  /** The post-image (rules only run on functions that have one). */
  post: FunctionImage;
  pre?: FunctionImage;
  fallibility: Fallibility;
  sim: SimSession;
  options: ReviewOptions;
  /** Real post-image line of a node (0 for synthetic rows). */
  lineOf(node: SyntaxNode): number;
  /** True when the node's first row is a line the patch adds. */
  isAdded(node: SyntaxNode): boolean;
  /** True when any row of the node is a line the patch adds. */
  touchesAdded(node: SyntaxNode): boolean;
  /** The real text of the post-image line a node starts on. */
  lineText(node: SyntaxNode): string;
  /** Tree mode: the file as it is in the tree (before the patch); undefined in fragment mode. Rules never read files. */
  treeText(): string | undefined;
}

export interface PatchContext {
  patchIndex: number;
  patch: Patch;
  model: CModel;
  functions: FunctionContext[];
  fallibility: Fallibility;
}

export function makeFunctionContext(
  base: Omit<FunctionContext, 'lineOf' | 'isAdded' | 'touchesAdded' | 'lineText' | 'post'> & { post: FunctionImage },
): FunctionContext {
  const { post, fn } = base;
  const added = new Set(fn.addedLines);
  const lineOf = (node: SyntaxNode): number => post.lineMap[node.startPosition.row] ?? 0;
  return {
    ...base,
    lineOf,
    isAdded: (node) => added.has(lineOf(node)),
    touchesAdded: (node) => {
      for (let r = node.startPosition.row; r <= node.endPosition.row; r++) {
        if (added.has(post.lineMap[r] ?? 0)) return true;
      }
      return false;
    },
    lineText: (node) => post.rawLines[node.startPosition.row] ?? '',
  };
}
