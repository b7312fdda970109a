// The program model the engine walks: a plain, immutable copy of a function's syntax tree, built once
// per function with one cursor pass. Reading tree-sitter nodes crosses into native code on every
// field access; the engine reads the same nodes on every path, so it reads this copy instead.
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

interface Source {
  text: string;
  base: number;
}

export class PNode implements TreeNode {
  readonly children: PNode[] = [];
  readonly fieldNames: (string | null)[] = [];
  parent: PNode | null = null;
  private textCache: string | undefined;
  private namedCache: PNode[] | undefined;
  private normCache: string | undefined;
  /** Memo of the engine's per-node derived text (the callee name of a call). */
  calleeCache: string | undefined;

  constructor(
    private readonly src: Source,
    readonly id: number,
    readonly type: string,
    readonly isNamed: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly startPosition: { row: number; column: number },
  ) {}

  get text(): string {
    return (this.textCache ??= this.src.text.slice(this.startIndex - this.src.base, this.endIndex - this.src.base));
  }

  /** `normText(this.text)`, computed once: the engine reads the same node on every path. */
  get norm(): string {
    return (this.normCache ??= normText(this.text));
  }

  get namedChildren(): PNode[] {
    return (this.namedCache ??= this.children.filter((c) => c.isNamed));
  }

  get firstChild(): PNode | null {
    return this.children[0] ?? null;
  }

  get lastChild(): PNode | null {
    return this.children[this.children.length - 1] ?? null;
  }

  child(i: number): PNode | null {
    return this.children[i] ?? null;
  }

  namedChild(i: number): PNode | null {
    return this.namedChildren[i] ?? null;
  }

  childForFieldName(name: string): PNode | null {
    const i = this.fieldNames.indexOf(name);
    return i >= 0 ? this.children[i]! : null;
  }

  childrenForFieldName(name: string): PNode[] {
    return this.children.filter((_, i) => this.fieldNames[i] === name);
  }

  descendantsOfType(types: string | string[]): PNode[] {
    const want = new Set(typeof types === 'string' ? [types] : types);
    const out: PNode[] = [];
    const walk = (n: PNode): void => {
      for (const c of n.children) {
        if (want.has(c.type)) out.push(c);
        walk(c);
      }
    };
    walk(this);
    return out;
  }
}

/** normText of a node's text; memoised on the engine's own nodes. */
export const normOf = (node: TreeNode): string => (node instanceof PNode ? node.norm : normText(node.text));

const cache = new WeakMap<SyntaxNode, PNode>();

/** The plain copy of `node` (a function_definition), built on first use and cached per node object. */
export function programOf(node: SyntaxNode): PNode {
  const hit = cache.get(node);
  if (hit) return hit;
  const src: Source = { text: node.text, base: node.startIndex };
  const cursor = node.walk();
  let next = 0;
  const make = (): PNode => {
    const p = cursor.startPosition;
    const n = new PNode(src, next++, cursor.nodeType, cursor.nodeIsNamed, cursor.startIndex, cursor.endIndex, { row: p.row, column: p.column });
    if (cursor.gotoFirstChild()) {
      do {
        const field = cursor.currentFieldName ?? null;
        const c = make();
        c.parent = n;
        n.children.push(c);
        n.fieldNames.push(field);
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    return n;
  };
  const root = make();
  cache.set(node, root);
  return root;
}
