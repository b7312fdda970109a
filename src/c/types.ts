// The C model: what src/c understands of the functions a patch touches.
import type { SyntaxNode, Tree } from './parser.ts';
import type { Warning } from '../patch/types.ts';

export type Dialect = 'xen' | 'linux' | 'generic';

export interface ParseHealth {
  clean: boolean;
  /** Where the first ERROR or MISSING node is, as a real line of the image (0 when synthetic). */
  firstError?: { line: number; column: number; text: string };
}

export interface Param {
  name: string;
  type: string;
}

export interface CallSite {
  callee: string;
  /** Real line (1-based) in the image's file and 1-based column. */
  line: number;
  column: number;
  /** The call's text with whitespace folded. */
  text: string;
  /** How the result is used: dropped (expression statement), tested in a condition, assigned, returned, other. */
  use: 'dropped' | 'condition' | 'assigned' | 'returned' | 'argument' | 'other';
}

export interface Gap {
  id: number;
  /** The real line after which unseen code sits (0 when before the first visible line). */
  afterLine: number;
  /** 'before-fragment': the unseen start of a function whose visible text begins inside it (afterLine 0). */
  reason: 'between-hunks' | 'after-fragment' | 'elision' | 'before-fragment';
}

export interface FunctionImage {
  side: 'pre' | 'post';
  name: string;
  /** Return type without storage class or annotations, e.g. "int", "void", "struct page *". */
  returnType: string;
  /**
   * Where returnType comes from: the visible definition, the hunk's section header (pre-image text,
   * so for the post image only when the patch shows no other evidence), inferred from the post
   * image's `return <value>;` when the section header says void, or unknown ('' returnType).
   */
  returnTypeFrom?: 'declarator' | 'section-header' | 'inferred' | 'unknown' | 'tree';
  /** The declaration specifiers as written, e.g. "static int __hwdom_init". */
  specifiers: string;
  params: Param[];
  /** True when the parameter list was not fully visible (closed synthetically). */
  paramsIncomplete: boolean;
  /** The text tree-sitter parsed: normalised, with synthetic rows in fragment mode. */
  source: string;
  tree: Tree;
  /** The function_definition node inside `tree`. */
  node: SyntaxNode;
  /** For each 0-based row of `source`, the real 1-based line in this image's file; 0 for synthetic rows. */
  lineMap: number[];
  /** The real text of each row before normalisation ('' for synthetic rows). */
  rawLines: string[];
  /** Fragment mode: some of the function is not visible. */
  isFragment: boolean;
  /** Fragment mode: the visible text starts after the function's opening brace. */
  startsInside: boolean;
  gaps: Gap[];
  health: ParseHealth;
  calls: CallSite[];
  /** Annotations seen on the definition before normalisation blanked them (e.g. __must_check, __init). */
  annotations: string[];
}

export interface TouchedFunction {
  /** The file's new path (old path for a deleted file). */
  file: string;
  name: string;
  mode: 'fragment' | 'tree';
  /** Absent when the patch adds the function. */
  pre?: FunctionImage;
  /** Absent when the patch deletes the function. */
  post?: FunctionImage;
  /** Post-image lines the patch adds inside this function. */
  addedLines: number[];
  /** Pre-image lines the patch removes inside this function. */
  removedLines: number[];
}

/** A function whose declared return type the patch changes (definition or prototype). */
export interface SignatureChange {
  name: string;
  file: string;
  line: number;
  from: string;
  to: string;
  /** Where it was seen: a definition or a prototype (header or source). */
  kind?: 'definition' | 'prototype';
  /** True when `to` was inferred (the definition's new head is not in the patch, its returns are). */
  isInferred?: boolean;
}

export interface Declaration {
  name: string;
  returnType: string;
  mustCheck: boolean;
  file: string;
  line: number;
}

export interface DeclarationIndex {
  lookup(name: string): Declaration | undefined;
}

/** A touched function no rule can review (parse errors, changes outside any named function, a model failure). */
export interface NotReviewed {
  file: string;
  /** The function's name; `(unknown)` for changed lines in a block the patch does not name, `*` for a whole file. */
  function: string;
  /** Why, for people: `parse error at line 120 near "..."`. */
  reason: string;
  /** Real line of the post image the reason points at, when there is one. */
  line?: number;
}

export interface FileModel {
  path: string;
  oldPath: string | null;
  mode: 'fragment' | 'tree';
  dialect: Dialect;
  functions: TouchedFunction[];
  /** Every function extracted from the visible images (touched or not), for the parse summary. */
  parseSummary: { clean: number; total: number };
  /** Fragment mode: post images of functions the patch shows but does not change (context only); evidence of how callees are checked. */
  contextImages?: FunctionImage[];
  /** Touched functions of this file no rule can review, with why. */
  notReviewed: NotReviewed[];
  /** Tree mode: where the pre-image came from (the path in the tree, or the index line's blob). */
  treeSource?: 'path' | 'blob' | 'empty';
  warnings: Warning[];
}

export interface CModel {
  files: FileModel[];
  signatureChanges: SignatureChange[];
  /** Tree mode only. */
  declarations?: DeclarationIndex;
  warnings: Warning[];
  /** Every file's notReviewed, and files the model could not read at all. */
  notReviewed: NotReviewed[];
}

export interface CModelOptions {
  /** A checkout of the project the patch applies to (tree mode). */
  tree?: string;
  /** Macro table to use; by default chosen from the paths. */
  dialect?: Dialect | 'auto';
}
