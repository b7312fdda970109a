// One tree-sitter parser for the process, reused for every parse. The native modules load on the first
// parse, not when this module is imported: commands that never parse C (--help, rules, explain) and
// inputs without C do not pay for them.
import { createRequire } from 'node:module';
import type Parser from 'tree-sitter';

export type SyntaxNode = Parser.SyntaxNode;
export type Tree = Parser.Tree;

let parser: Parser | undefined;

function getParser(): Parser {
  if (!parser) {
    const require = createRequire(import.meta.url);
    const TreeSitter = require('tree-sitter') as typeof Parser;
    const C = require('tree-sitter-c') as unknown as Parser.Language;
    parser = new TreeSitter();
    parser.setLanguage(C);
  }
  return parser;
}

/** Parse C source text (already normalised, when it comes from a patch or a tree). */
export function parseC(source: string): Tree {
  return getParser().parse(source);
}

/** First ERROR or MISSING node below `node`, in document order. */
export function firstErrorNode(node: SyntaxNode): SyntaxNode | undefined {
  if (!node.hasError) return undefined;
  const cursor = node.walk();
  const visit = (): SyntaxNode | undefined => {
    const n = cursor.currentNode;
    if (n.type === 'ERROR' || n.isMissing) return n;
    if (n.hasError && cursor.gotoFirstChild()) {
      do {
        const hit = visit();
        if (hit) return hit;
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    return undefined;
  };
  return visit();
}
