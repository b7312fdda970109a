// The program model: how the simulator reads a function_definition (source text, lines, names).
import { parseC, type SyntaxNode } from '../../c/parser.ts';
import type { SimFunction } from '../types.ts';
import type { TreeNode } from './node.ts';

/** Parse `source` and return the function named `name` (or the first function) as a SimFunction. */
export function functionFromSource(source: string, name?: string): SimFunction {
  const tree = parseC(source);
  const defs = tree.rootNode.descendantsOfType('function_definition');
  const def = name ? defs.find((d) => functionName(d) === name) : defs[0];
  if (!def) throw new Error(name ? `no function ${name} in source` : 'no function definition in source');
  const header = def.childForFieldName('type')?.text ?? '';
  const declarator = def.childForFieldName('declarator');
  const stars = declarator && declarator.type === 'pointer_declarator' ? ' *' : '';
  return {
    name: functionName(def) ?? '',
    node: def,
    returnType: (header + stars).trim(),
    params: functionParams(def),
  };
}

function functionDeclarator(def: SyntaxNode): SyntaxNode | null {
  let d = def.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  return d;
}

export function functionName(def: SyntaxNode): string | undefined {
  let d = functionDeclarator(def)?.childForFieldName('declarator') ?? null;
  while (d && d.type !== 'identifier') d = d.childForFieldName('declarator');
  return d?.text;
}

export function functionParams(def: SyntaxNode): { name: string; type: string }[] {
  const list = functionDeclarator(def)?.childForFieldName('parameters');
  if (!list) return [];
  const out: { name: string; type: string }[] = [];
  for (const p of list.namedChildren) {
    if (p.type !== 'parameter_declaration') continue;
    const decl = p.childForFieldName('declarator');
    const name = decl ? declaratorName(decl) : undefined;
    if (name) out.push({ name, type: normText(p.text.slice(0, p.text.length - (decl?.text.length ?? 0))) });
  }
  return out;
}

/** The identifier a declarator declares (`*p`, `a[4]`, `x = 1` -> p, a, x). */
export function declaratorName(d: TreeNode): string | undefined {
  let cur: TreeNode | null = d;
  while (cur && cur.type !== 'identifier') {
    if (cur.type === 'parenthesized_declarator') cur = cur.namedChildren[0] ?? null;
    else cur = cur.childForFieldName('declarator');
  }
  return cur?.text;
}

export function isPointerDeclarator(d: TreeNode): boolean {
  let cur: TreeNode | null = d;
  while (cur && cur.type !== 'identifier') {
    if (cur.type === 'pointer_declarator' || cur.type === 'array_declarator') return true;
    cur = cur.childForFieldName('declarator');
  }
  return false;
}

/**
 * Short texts already folded (a rewrite is a fresh parse of mostly the same statements). Bounded; keys and
 * values are copies, so the memo never keeps a file's source alive through a slice of it.
 */
const normMemo = new Map<string, string>();
const copy = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

/** Forget the folded texts (they outlive a review: a bench measuring what a new patch costs clears them). */
export function clearNormMemo(): void {
  normMemo.clear();
}

/** Source text with comments dropped and whitespace folded (one space only between word characters). */
export function normText(text: string): string {
  if (text.length > 256) return fold(text);
  let hit = normMemo.get(text);
  if (hit === undefined) {
    if (normMemo.size >= 10_000) normMemo.clear();
    hit = copy(fold(text));
    normMemo.set(copy(text), hit);
  }
  return hit;
}

function fold(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/ ?([^\w\s]) ?/g, '$1')
    .trim();
}

/** Maps tree rows to real lines. */
export class LineMapper {
  constructor(private readonly map?: number[]) {}
  line(node: { startPosition: { row: number } }): number {
    const row = node.startPosition.row;
    if (!this.map) return row + 1;
    const real = this.map[row];
    if (real !== undefined && real > 0) return real;
    // A synthetic row: report the nearest real line above (0 when none).
    for (let r = Math.min(row, this.map.length - 1); r >= 0; r--) if ((this.map[r] ?? 0) > 0) return this.map[r]!;
    return 0;
  }
}
