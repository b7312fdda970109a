// What a rule sees of one touched function, and of the whole patch.
import type { Patch } from '../patch/types.ts';
import type { CModel, FileModel, FunctionImage, TouchedFunction } from '../c/types.ts';
import type { SyntaxNode } from '../c/parser.ts';
import type { ReviewOptions } from './types.ts';
import type { Fallibility } from './fallibility.ts';
import type { SimSession } from './simulation.ts';
import type { Knowledge } from '../knowledge/index.ts';

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
  /** The project's API knowledge (config, saved kb, tree, built-in and mined data), scoped to the patch's project. */
  knowledge: Knowledge;
  sim: SimSession;
  options: ReviewOptions;
  /** Real post-image line of a node (0 for synthetic rows). */
  lineOf(node: SyntaxNode): number;
  /** True when the node's first row is a line the patch adds. */
  isAdded(node: SyntaxNode): boolean;
  /** True when any row of the node is a line the patch adds. */
  touchesAdded(node: SyntaxNode): boolean;
  /**
   * True when the node's first row is a line the patch adds but only moves from another file (movedLines): not code
   * it writes, yet code it puts in a new place, which a rule may still question where the project's practice is clear.
   */
  isMoved(node: SyntaxNode): boolean;
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

/** Consecutive non-blank lines that must appear together among the removed lines for added lines to count as moved. */
const MOVED_WINDOW = 3;
const movedMemo = new WeakMap<Patch, Map<string, Set<number>>>();

/**
 * Post-image lines the patch only moves: each sits in a run of MOVED_WINDOW consecutive added lines (blank lines
 * aside, whitespace folded) that the patch removes together from another file. A function moved to a new file is
 * not code the patch writes.
 */
export function movedLines(patch: Patch, path: string): ReadonlySet<number> {
  let byFile = movedMemo.get(patch);
  if (!byFile) {
    byFile = new Map();
    const fold = (t: string): string => t.replace(/\s+/g, ' ').trim();
    // Windows of removed lines, with the file they come from.
    const windows = new Map<string, Set<string>>();
    // Boilerplate (`}`, `return 0;`) moves around in any patch: a window must carry some code of its own.
    const substantial = (w: string): boolean => w.replace(/[^A-Za-z0-9_]/g, '').length >= 30;
    for (const file of patch.files) {
      const from = file.oldPath ?? file.newPath ?? '';
      for (const hunk of file.hunks) {
        let run: string[] = [];
        const flush = (): void => {
          for (let i = 0; i + MOVED_WINDOW <= run.length; i++) {
            const w = run.slice(i, i + MOVED_WINDOW).join('\n');
            windows.set(w, (windows.get(w) ?? new Set()).add(from));
          }
          run = [];
        };
        for (const l of hunk.lines) {
          if (l.kind !== 'del') flush();
          else if (fold(l.text) !== '') run.push(fold(l.text));
        }
        flush();
      }
    }
    for (const file of patch.files) {
      const moved = new Set<number>();
      const self = file.newPath ?? file.oldPath ?? '';
      // Only a move between files: code moved within a file may now run in another order, which is the patch's doing.
      const elsewhere = (w: string): boolean => [...(windows.get(w) ?? [])].some((f) => f !== self);
      for (const hunk of file.hunks) {
        let run: { text: string; line: number }[] = [];
        const flush = (): void => {
          for (let i = 0; i + MOVED_WINDOW <= run.length; i++) {
            const w = run.slice(i, i + MOVED_WINDOW);
            const text = w.map((x) => x.text).join('\n');
            if (substantial(text) && elsewhere(text)) for (const x of w) moved.add(x.line);
          }
          run = [];
        };
        for (const l of hunk.lines) {
          if (l.kind !== 'add') flush();
          else if (fold(l.text) !== '' && l.newLine !== undefined) run.push({ text: fold(l.text), line: l.newLine });
        }
        flush();
      }
      if (moved.size > 0) byFile.set(file.newPath ?? file.oldPath ?? '', moved);
    }
    movedMemo.set(patch, byFile);
  }
  return byFile.get(path) ?? new Set();
}

export function makeFunctionContext(
  base: Omit<FunctionContext, 'lineOf' | 'isAdded' | 'touchesAdded' | 'isMoved' | 'lineText' | 'post'> & { post: FunctionImage },
): FunctionContext {
  const { post, fn } = base;
  // Lines the patch only moves are not lines it writes (fragment mode: hunk line numbers are the post-image's).
  const moved = fn.mode === 'fragment' ? movedLines(base.patch, fn.file) : new Set<number>();
  const added = new Set(fn.addedLines.filter((l) => !moved.has(l)));
  const lineOf = (node: SyntaxNode): number => post.lineMap[node.startPosition.row] ?? 0;
  return {
    ...base,
    lineOf,
    isAdded: (node) => added.has(lineOf(node)),
    isMoved: (node) => moved.has(lineOf(node)) && fn.addedLines.includes(lineOf(node)),
    touchesAdded: (node) => {
      for (let r = node.startPosition.row; r <= node.endPosition.row; r++) {
        if (added.has(post.lineMap[r] ?? 0)) return true;
      }
      return false;
    },
    lineText: (node) => post.rawLines[node.startPosition.row] ?? '',
  };
}
