// One tree-sitter parser for the process, reused for every parse. The native modules load on the first
// parse, not when this module is imported: commands that never parse C (--help, rules, explain) and
// inputs without C do not pay for them.
//
// parseC() returns a plain JavaScript copy of tree-sitter's tree, built once per parse with one cursor
// pass. Every property read of a native tree-sitter node crosses into native code and allocates a new
// wrapper (the rules and the C model read the same nodes many times: ~30% of a fragment review went
// there); the copy answers the same subset of the Node API from plain objects. Identity holds (one
// object per node, so `===` and `.id` compare nodes), arrays returned are read-only views.
import { createRequire } from 'node:module';
import type Parser from 'tree-sitter';
import { lineStarts, rowAt } from './lines.ts';
import { TEXT_CACHE_CHARS, TextCache } from './text-cache.ts';

export interface Point {
  readonly row: number;
  readonly column: number;
}

let parser: Parser | undefined;
/** Node types whose children can carry a field name (the grammar's node types with fields, and ERROR). */
let typesWithFields: Set<string> | undefined = new Set<string>(['ERROR']);
/** Node type names and named-ness by tree-sitter symbol id, field names by field id (filled on first sight). */
const typeNames: string[] = [];
const typeNamed: boolean[] = [];
const fieldNames: (string | null)[] = [null];
/** Node ids are unique in the process (a per-tree counter would let caches keyed by id mix two trees). */
let nextId = 1;

function getParser(): Parser {
  if (!parser) {
    const require = createRequire(import.meta.url);
    const TreeSitter = require('tree-sitter') as typeof Parser;
    const C = require('tree-sitter-c') as unknown as Parser.Language & { nodeTypeInfo?: { type: string; fields?: object }[] };
    if (!C.nodeTypeInfo) typesWithFields = undefined;
    for (const t of C.nodeTypeInfo ?? []) if (t.fields && Object.keys(t.fields).length) typesWithFields?.add(t.type);
    parser = new TreeSitter();
    // With nodeTypeInfo, setLanguage builds a JavaScript class per node type (typed field getters, ~150
    // `new Function`s: ~10 ms of every process's start) that nothing here reads: hide it for that call.
    const info = C.nodeTypeInfo;
    Reflect.deleteProperty(C, 'nodeTypeInfo');
    parser.setLanguage(C);
    C.nodeTypeInfo = info;
  }
  return parser;
}

/** A parsed source: its text and the root of the plain copy of tree-sitter's tree. */
export class Tree {
  readonly rootNode: SyntaxNode;
  private lineStartsCache: number[] | undefined;

  /**
   * tree-sitter's own tree, read again only to find a first syntax error (hasError, firstErrorNode); not kept
   * when it has none (its native memory is then released with it).
   */
  readonly native: Parser.Tree | undefined;

  constructor(
    readonly source: string,
    native: Parser.Tree,
  ) {
    this.rootNode = build(this, native.walk(), null, null);
    this.native = native.rootNode.hasError ? native : undefined;
  }

  private byType: Map<string, SyntaxNode[]> | undefined;

  /**
   * @internal Every node by type, in document order, built on the first descendantsOfType() of the tree. Node
   * ids are given in preorder (a node before its children, see build()), so a subtree is a range of ids and
   * its nodes of a type are a slice of the type's list: one walk of the tree instead of one per question.
   */
  nodesByType(): Map<string, SyntaxNode[]> {
    let index = this.byType;
    if (!index) {
      index = this.byType = new Map();
      const stack: SyntaxNode[] = [this.rootNode];
      while (stack.length) {
        const n = stack.pop()!;
        let list = index.get(n.type);
        if (!list) index.set(n.type, (list = []));
        list.push(n);
        const children = n.children;
        for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
      }
    }
    return index;
  }

  /** A syntax tree is no data to print: JSON leaves it out (its nodes point back at it). */
  toJSON(): undefined {
    return undefined;
  }

  /** The row and column of an offset, as tree-sitter counts them (rows by '\n' only, columns in UTF-16 units). */
  pointAt(index: number): Point {
    const starts = (this.lineStartsCache ??= lineStarts(this.source));
    const row = rowAt(starts, index);
    return { row, column: index - starts[row]! };
  }
}

const EMPTY: readonly SyntaxNode[] = Object.freeze([]);

/** A node of the plain tree: the subset of tree-sitter's SyntaxNode API the project reads. */
export class SyntaxNode {
  readonly id = nextId++;
  readonly children: readonly SyntaxNode[] = EMPTY;
  readonly startIndex: number = 0;
  readonly endIndex: number = 0;
  /** 1: named, 2: MISSING, 4: an ERROR or MISSING node in the subtree; the position in the parent's children above. */
  private bits: number;
  private namedCache: readonly SyntaxNode[] | undefined;
  private startCache: Point | undefined;
  private textCache: string | undefined;

  constructor(
    readonly tree: Tree,
    readonly parent: SyntaxNode | null,
    readonly type: string,
    /** This node's field name in its parent, as a tree cursor reports it (null when it has none). */
    readonly fieldName: string | null,
    named: boolean,
  ) {
    this.bits = named ? 1 : 0;
  }

  get isNamed(): boolean {
    return (this.bits & 1) !== 0;
  }

  get isMissing(): boolean {
    return (this.bits & 2) !== 0;
  }

  /**
   * Whether an ERROR or MISSING node is in this subtree (this one included). Not tree-sitter's hasError,
   * which also counts error costs no visible node carries: see firstErrorNode.
   */
  get containsError(): boolean {
    return (this.bits & 4) !== 0;
  }

  /** Position in the parent's children. */
  private get index(): number {
    return this.bits >>> 3;
  }

  /** @internal set while building. */
  setBuilt(start: number, end: number, children: readonly SyntaxNode[], missing: boolean, containsError: boolean): void {
    const self = this as unknown as { startIndex: number; endIndex: number; children: readonly SyntaxNode[] };
    self.startIndex = start;
    self.endIndex = end;
    if (children.length) self.children = children;
    this.bits |= (missing ? 2 : 0) | (containsError ? 4 : 0);
  }

  /** @internal set while building. */
  setIndex(i: number): void {
    this.bits = (this.bits & 7) | (i << 3);
  }

  /** What tree-sitter's node gives JSON: its type, extent and child count (never the parent or the tree). */
  toJSON(): { type: string; startPosition: Point; endPosition: Point; childCount: number } {
    return { type: this.type, startPosition: this.startPosition, endPosition: this.endPosition, childCount: this.childCount };
  }

  get text(): string {
    return (this.textCache ??= this.tree.source.substring(this.startIndex, this.endIndex));
  }

  /** tree-sitter's hasError (read from its own tree: error costs are not all visible as nodes). */
  get hasError(): boolean {
    return !!this.nativeNode()?.hasError;
  }

  /** @internal The node of tree-sitter's own tree at this node's place (none when that tree has no error). */
  nativeNode(): Parser.SyntaxNode | null {
    if (!this.tree.native) return null;
    let nat: Parser.SyntaxNode | null = this.tree.native.rootNode;
    for (const i of this.pathFromRoot()) nat = nat?.child(i) ?? null;
    return nat;
  }

  get isError(): boolean {
    return this.type === 'ERROR';
  }

  get startPosition(): Point {
    return (this.startCache ??= this.tree.pointAt(this.startIndex));
  }

  get endPosition(): Point {
    return this.tree.pointAt(this.endIndex);
  }

  get namedChildren(): readonly SyntaxNode[] {
    let named = this.namedCache;
    if (!named) {
      const children = this.children;
      named = children;
      for (let i = 0; i < children.length; i++) {
        if (!children[i]!.isNamed) {
          named = children.filter((x) => x.isNamed);
          break;
        }
      }
      this.namedCache = named;
    }
    return named;
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  get firstChild(): SyntaxNode | null {
    return this.children[0] ?? null;
  }

  get lastChild(): SyntaxNode | null {
    return this.children[this.children.length - 1] ?? null;
  }

  get firstNamedChild(): SyntaxNode | null {
    return this.namedChildren[0] ?? null;
  }

  get lastNamedChild(): SyntaxNode | null {
    const named = this.namedChildren;
    return named[named.length - 1] ?? null;
  }

  // Siblings as tree-sitter finds them: by position, so a zero-width (MISSING) node ending where this one
  // ends is no next sibling.
  get nextSibling(): SyntaxNode | null {
    return this.sibling(1, false);
  }

  get previousSibling(): SyntaxNode | null {
    return this.sibling(-1, false);
  }

  get nextNamedSibling(): SyntaxNode | null {
    return this.sibling(1, true);
  }

  get previousNamedSibling(): SyntaxNode | null {
    return this.sibling(-1, true);
  }

  private sibling(step: 1 | -1, named: boolean): SyntaxNode | null {
    const siblings = this.parent?.children;
    if (!siblings) return null;
    for (let i = this.index + step; i >= 0 && i < siblings.length; i += step) {
      const s = siblings[i]!;
      if (step > 0 && s.endIndex <= this.endIndex) continue;
      if (!named || s.isNamed) return s;
    }
    return null;
  }

  child(i: number): SyntaxNode | null {
    return this.children[i] ?? null;
  }

  namedChild(i: number): SyntaxNode | null {
    return this.namedChildren[i] ?? null;
  }

  /**
   * The first child in the field (none in an ERROR node: tree-sitter reads its grammar's field map, empty there).
   * Known difference: on a K&R definition (`int f(a) int a; {...}`) tree-sitter's own
   * `function_definition.childForFieldName('parameters')` finds the old-style declarations where its cursor
   * reports no field (6 of 1 306 OP-TEE core/lib files); the project reads 'parameters' on function_declarator only.
   */
  childForFieldName(name: string): SyntaxNode | null {
    if (this.type === 'ERROR') return null;
    // Index loops here and below: a for-of allocates an iterator per call (this one is the model's most called read).
    const children = this.children;
    for (let i = 0; i < children.length; i++) if (children[i]!.fieldName === name) return children[i]!;
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    const children = this.children;
    for (let i = 0; i < children.length; i++) if (children[i]!.fieldName === name) out.push(children[i]!);
    return out;
  }

  /**
   * This node and its descendants of the given types, in document order (tree-sitter's semantics: the node
   * itself included; a subtree ending at offset 0 skipped).
   */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    if (this.endIndex === 0) return out;
    const index = this.tree.nodesByType();
    const last = this.lastDescendantId();
    if (typeof types === 'string' || types.length === 1) {
      collectRange(index.get(typeof types === 'string' ? types : types[0]!), this.id, last, out);
      return out;
    }
    for (const type of new Set(types)) collectRange(index.get(type), this.id, last, out);
    return out.sort((a, b) => a.id - b.id);
  }

  /** The id of the last node of this subtree in preorder (its last child's last child, ...). */
  private lastDescendantId(): number {
    let n = this as SyntaxNode;
    while (n.children.length) n = n.children[n.children.length - 1]!;
    return n.id;
  }

  /** The smallest node (named or not) spanning the point range (tree-sitter's descendantForPosition). */
  descendantForPosition(start: Point, end: Point = start): SyntaxNode {
    const lt = (a: Point, b: Point): boolean => a.row < b.row || (a.row === b.row && a.column < b.column);
    const eq = (a: Point, b: Point): boolean => a.row === b.row && a.column === b.column;
    let node = this as SyntaxNode;
    for (let descended = true; descended; ) {
      descended = false;
      for (const child of node.children) {
        const childEnd = child.endPosition;
        if (lt(childEnd, end)) continue;
        const childStart = child.startPosition;
        if (eq(childStart, childEnd) ? lt(childEnd, start) : !lt(start, childEnd)) continue;
        if (lt(start, childStart)) break;
        node = child;
        descended = true;
        break;
      }
    }
    return node;
  }

  /** A cursor over this node's subtree (tree-sitter's TreeCursor subset). */
  walk(): TreeCursor {
    return new TreeCursor(this);
  }

  /** @internal Child indices from the root to this node. */
  pathFromRoot(): number[] {
    const path: number[] = [];
    for (let n = this as SyntaxNode; n.parent; n = n.parent) path.push(n.index);
    return path.reverse();
  }
}

/**
 * The nodes of `list` (in id order) whose ids lie in [first, last], i.e. in the subtree of the node with id
 * `first`, found by binary search. As tree-sitter's descendantsOfType, a node ending at offset 0 is left out
 * (with its subtree: everything in it ends there too).
 */
function collectRange(list: readonly SyntaxNode[] | undefined, first: number, last: number, out: SyntaxNode[]): void {
  if (!list) return;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.id < first) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < list.length; i++) {
    const n = list[i]!;
    if (n.id > last) break;
    if (n.endIndex !== 0) out.push(n);
  }
}

/** tree-sitter's TreeCursor over the plain tree, limited to the subtree it started at. */
export class TreeCursor {
  private node: SyntaxNode;
  private depth = 0;

  constructor(node: SyntaxNode) {
    this.node = node;
  }

  get currentNode(): SyntaxNode {
    return this.node;
  }

  get nodeType(): string {
    return this.node.type;
  }

  get nodeIsNamed(): boolean {
    return this.node.isNamed;
  }

  get nodeIsMissing(): boolean {
    return this.node.isMissing;
  }

  get startIndex(): number {
    return this.node.startIndex;
  }

  get endIndex(): number {
    return this.node.endIndex;
  }

  get startPosition(): Point {
    return this.node.startPosition;
  }

  get endPosition(): Point {
    return this.node.endPosition;
  }

  get currentFieldName(): string | null {
    return this.depth > 0 ? this.node.fieldName : null;
  }

  gotoFirstChild(): boolean {
    const first = this.node.children[0];
    if (!first) return false;
    this.node = first;
    this.depth++;
    return true;
  }

  gotoNextSibling(): boolean {
    if (this.depth === 0) return false;
    const next = this.node.nextSibling;
    if (!next) return false;
    this.node = next;
    return true;
  }

  gotoParent(): boolean {
    if (this.depth === 0 || !this.node.parent) return false;
    this.node = this.node.parent;
    this.depth--;
    return true;
  }
}

/**
 * Copy the subtree at the native cursor's current node (the cursor is left where it started). Native reads
 * are kept to what cannot be derived: a node with children (but the root) starts where its first child
 * starts (its end is read: hidden tokens such as a directive's newline can follow the last child), field ids are read only under node
 * types that have fields (and ERROR, whose children keep the fields of the rules they were parsed in),
 * the MISSING flag only for zero-width leaves.
 */
const stack: SyntaxNode[] = [];

function build(tree: Tree, c: Parser.TreeCursor, parent: SyntaxNode | null, field: string | null): SyntaxNode {
  const typeId = c.nodeTypeId;
  let type = typeNames[typeId];
  let named = typeNamed[typeId];
  if (type === undefined || named === undefined) {
    type = typeNames[typeId] = c.nodeType;
    named = typeNamed[typeId] = c.nodeIsNamed;
  }
  // Created before its children (they point at it); extent and error flag are set once they are known.
  const node = new SyntaxNode(tree, parent, type, field, named);
  if (c.gotoFirstChild()) {
    // Children collect on a shared stack and are copied out at their exact count (a pushed array keeps
    // spare capacity: a third of the tree's memory on a large patch).
    const base = stack.length;
    let hasError = type === 'ERROR';
    const fielded = typesWithFields?.has(type) ?? true;
    do {
      let fieldName: string | null = null;
      if (fielded) {
        const fieldId = c.currentFieldId;
        if (fieldId) fieldName = fieldNames[fieldId] ??= c.currentFieldName;
      }
      const child = build(tree, c, node, fieldName);
      child.setIndex(stack.length - base);
      stack.push(child);
      if (child.containsError) hasError = true;
    } while (c.gotoNextSibling());
    c.gotoParent();
    const children = stack.slice(base);
    stack.length = base;
    node.setBuilt(parent ? children[0]!.startIndex : c.startIndex, c.endIndex, children, false, hasError);
    return node;
  }
  const start = c.startIndex;
  const end = c.endIndex;
  const missing = start === end && c.nodeIsMissing;
  node.setBuilt(start, end, EMPTY, missing, missing || type === 'ERROR');
  return node;
}

/**
 * Trees by source text. A parse is a pure function of the text and its tree is never changed by its readers
 * (the memos keyed by its nodes: ast.descendants, calls.resultUse, the simulator's callee names and program
 * copies, are syntax only), so the same text gets the same tree: within a review (the two sides of a
 * context-only function) and across reviews (a function's pre-image in every patch against the same
 * checkout, the next version of a series, a rewrite the rules propose again). 256 K characters (the default
 * TEXT_CACHE_CHARS) hold every text of a tree-mode seed review (168 K) and keep ~15 MB of nodes alive between reviews.
 */
const trees = new TextCache<Tree>(TEXT_CACHE_CHARS);

/** Parse C source text (already normalised, when it comes from a patch or a tree). */
export function parseC(source: string): Tree {
  let tree = trees.get(source);
  if (!tree) trees.set(source, (tree = new Tree(source, parseTreeSitter(source))));
  return tree;
}

/** Forget every cached tree (tests; a caller that wants the memory back). */
export function clearParseCache(): void {
  trees.clear();
}

/** tree-sitter's own parse, without the plain copy (the bench's "bare parse"). */
export function parseTreeSitter(source: string): Parser.Tree {
  return getParser().parse(source);
}

/**
 * First ERROR or MISSING node below `node`, in document order, found as tree-sitter finds it: descending
 * only into nodes whose hasError is set (an error cost can sit on a node no visible ERROR explains, and an
 * ERROR leaf can carry none). Without an ERROR or MISSING node in the subtree there is none to find.
 */
export function firstErrorNode(node: SyntaxNode): SyntaxNode | undefined {
  if (!node.containsError) return undefined;
  const nat = node.nativeNode();
  if (!nat || !nat.hasError) return undefined;
  const cursor = nat.walk();
  const path: number[] = [];
  const visit = (): boolean => {
    const n = cursor.currentNode;
    if (n.type === 'ERROR' || n.isMissing) return true;
    if (n.hasError && cursor.gotoFirstChild()) {
      path.push(0);
      do {
        if (visit()) return true;
        path[path.length - 1]!++;
      } while (cursor.gotoNextSibling());
      path.pop();
      cursor.gotoParent();
    }
    return false;
  };
  if (!visit()) return undefined;
  let hit = node;
  for (const i of path) hit = hit.children[i]!;
  return hit;
}
