// How well tree-sitter understood each function: what `patch-review inspect` reports as
// "N of M functions parsed cleanly", and what tells a reviewer to distrust a finding.
import { firstErrorNode, parseC, type SyntaxNode, type Tree } from '../parser.ts';
import type { Dialect } from '../types.ts';
import { normalizeC } from '../normalize.ts';

export interface FunctionHealth {
  name: string;
  /** 1-based lines of the definition. */
  startLine: number;
  endLine: number;
  clean: boolean;
  /** 1-based line and column of the first ERROR or MISSING node, with the real text there. */
  firstError?: { line: number; column: number; text: string };
}

// Nodes that can hold function definitions; function bodies are not searched.
const CONTAINERS = new Set(['translation_unit', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif',
  'preproc_elifdef', 'linkage_specification', 'declaration_list', 'ERROR']);

function functionName(fn: SyntaxNode): string {
  let d: SyntaxNode | null = fn.childForFieldName('declarator');
  while (d) {
    if (d.type === 'identifier' || d.type === 'field_identifier') return d.text;
    const inner: SyntaxNode | null = d.childForFieldName('declarator');
    if (!inner) break;
    d = inner;
  }
  const id = d?.descendantsOfType('identifier')[0];
  return id?.text ?? '<unknown>';
}

function definitions(root: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const visit = (n: SyntaxNode): void => {
    for (const child of n.namedChildren) {
      if (child.type === 'function_definition') out.push(child);
      else if (CONTAINERS.has(child.type)) visit(child);
    }
  };
  visit(root);
  return out;
}

/**
 * Health of every function_definition of a parsed tree. `source` is the real (unnormalised) text
 * of the same length, used to quote where an error is.
 */
export function functionHealth(tree: Tree, source: string): FunctionHealth[] {
  return definitions(tree.rootNode).map((fn) => {
    const health: FunctionHealth = {
      name: functionName(fn),
      startLine: fn.startPosition.row + 1,
      endLine: fn.endPosition.row + 1,
      clean: true,
    };
    const bad = firstErrorNode(fn);
    if (bad) {
      const lineStart = source.lastIndexOf('\n', bad.startIndex - 1) + 1;
      const raw = source.slice(bad.startIndex, Math.max(bad.endIndex, bad.startIndex + 1));
      health.clean = false;
      health.firstError = {
        line: bad.startPosition.row + 1,
        column: bad.startIndex - lineStart + 1,
        text: (raw.split('\n')[0] ?? '').slice(0, 80),
      };
    }
    return health;
  });
}

/** Normalise, parse and report the health of every function in `source`. */
export function parseHealth(source: string, dialect: Dialect): FunctionHealth[] {
  return functionHealth(parseC(normalizeC(source, { dialect }).text), source);
}
