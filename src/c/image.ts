// A function image: the rows of one side of a function, normalised and parsed.
import type { Dialect, FunctionImage, ParseHealth } from './types.ts';
import type { SyntaxNode, Tree } from './parser.ts';
import { parseC, firstErrorNode } from './parser.ts';
import { normalizeC } from './normalize.ts';
import { TEXT_CACHE_CHARS, TextCache } from './text-cache.ts';
import { collectCalls } from './calls.ts';
import { synthesizeHead } from './declarator.ts';
import { stripLine, freshLexState } from './lex.ts';
import type { Segment } from './segment.ts';

function declaratorName(fn: SyntaxNode): string | undefined {
  let d = fn.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator') ?? d.namedChildren[0] ?? null;
  const id = d?.childForFieldName('declarator');
  return id?.text;
}

/** Function definitions at file scope (also inside preprocessor groups), without entering their bodies. */
function topLevelDefinitions(node: SyntaxNode, out: SyntaxNode[] = []): SyntaxNode[] {
  for (const child of node.namedChildren) {
    if (child.type === 'function_definition') out.push(child);
    else if (child.type.startsWith('preproc_') || child.type === 'ERROR' || child.type === 'linkage_specification' || child.type === 'declaration_list') topLevelDefinitions(child, out);
  }
  return out;
}

function findFunction(tree: Tree, name: string): SyntaxNode | undefined {
  const top = topLevelDefinitions(tree.rootNode);
  const found = top.find((d) => declaratorName(d) === name);
  if (found) return found;
  // Rare shapes (a definition nested in an error node's children): the whole tree, as before.
  const defs = tree.rootNode.descendantsOfType('function_definition');
  return defs.find((d) => declaratorName(d) === name) ?? defs[0];
}

/**
 * The type of the value a `return <value>;` gives, when the pre-image head said void. `voidCallees`: functions
 * the patch itself shows with a void head: GNU C lets a void function `return g(..);` when g is void too, so such
 * a return says nothing about the type.
 */
export function inferReturnType(rows: Segment['rows'], voidCallees?: ReadonlySet<string>): string | undefined {
  const state = freshLexState();
  const codes = rows.map((r) => stripLine(r.text, state).code);
  const body = codes.join('\n');
  // Only a `return <value>;` the patch adds says the type changed: one both sides keep was there under
  // the void head too (`return fail(...);` of a void helper returning a void macro).
  const starts: number[] = [];
  for (let i = 0, at = 0; i < codes.length; at += codes[i]!.length + 1, i++) starts.push(at);
  const rowAt = (offset: number): number => {
    let i = 0;
    while (i + 1 < starts.length && starts[i + 1]! <= offset) i++;
    return i;
  };
  const voidCall = (value: string): boolean => {
    const call = /^([A-Za-z_]\w*)\s*\(/.exec(value.trim());
    return call !== null && (voidCallees?.has(call[1]!) ?? false);
  };
  const ret = [...body.matchAll(/\breturn\s+([^;]+);/g)].find((m) => rows[rowAt(m.index)]?.isChanged && !voidCall(m[1]!));
  if (!ret) return undefined;
  const value = ret[1]!.trim();
  if (/^[A-Za-z_]\w*$/.test(value)) {
    const decl = new RegExp(
      `(?:^|[;{}\\n])\\s*((?:const\\s+|unsigned\\s+|signed\\s+|long\\s+|short\\s+)*[A-Za-z_]\\w*)\\s+(?:[A-Za-z_]\\w*\\s*(?:=[^,;]*)?,\\s*)*${value}\\s*[=;,]`,
    ).exec(body);
    const type = decl?.[1]?.trim();
    if (type && !/^(?:return|goto|case|else)$/.test(type)) return type.replace(/\s+/g, ' ');
  }
  return 'int';
}

/** Normalised texts by dialect and raw text (pure; see TextCache). */
const normalisedTexts = new TextCache<string>(TEXT_CACHE_CHARS);

function normalisedSource(raw: string, dialect: Dialect): string {
  const key = `${dialect}\0${raw}`;
  let source = normalisedTexts.get(key);
  if (source === undefined) {
    const normalised = normalizeC(raw, { dialect }).text;
    // The normaliser keeps length and newlines; if it ever does not, parse the raw text instead.
    source = normalised.length === raw.length ? normalised : raw;
    normalisedTexts.set(key, source);
  }
  return source;
}

export interface ImageInput {
  segment: Segment;
  side: 'pre' | 'post';
  dialect: Dialect;
  mode: 'fragment' | 'tree';
  /** Functions the patch shows with a void head (see inferReturnType). */
  voidCallees?: ReadonlySet<string>;
}

export function buildImage({ segment, side, dialect, mode, voidCallees }: ImageInput): FunctionImage {
  const rows = segment.rows.map((r) => ({ ...r }));
  const head = segment.head;
  let returnType = head.returnType;
  let returnTypeFrom: NonNullable<FunctionImage['returnTypeFrom']> =
    mode === 'tree' ? 'tree' : segment.headFrom === 'declarator' ? 'declarator' : 'section-header';
  if (returnType === '') returnTypeFrom = 'unknown';
  if (segment.headFrom === 'section-header' && side === 'post' && returnType === 'void') {
    const inferred = inferReturnType(rows, voidCallees);
    if (inferred) {
      returnType = inferred;
      returnTypeFrom = 'inferred';
      const headRow = rows.findIndex((r) => r.isSynthetic);
      if (headRow >= 0) rows[headRow]!.text = synthesizeHead(head, inferred);
    }
  }
  const raw = rows.map((r) => r.text).join('\n') + '\n';
  const source = normalisedSource(raw, dialect);
  const tree = parseC(source);
  const lineMap = rows.map((r) => (r.isSynthetic ? 0 : r.line));
  const node = findFunction(tree, segment.name) ?? tree.rootNode;
  const err = node.type === 'function_definition' ? firstErrorNode(node) : firstErrorNode(tree.rootNode) ?? tree.rootNode;
  const health: ParseHealth = err
    ? {
        clean: false,
        firstError: {
          line: lineMap[err.startPosition.row] ?? 0,
          column: err.startPosition.column + 1,
          text: err.text.slice(0, 80),
        },
      }
    : { clean: true };
  const image: FunctionImage = {
    side,
    name: segment.name,
    returnType,
    returnTypeFrom,
    specifiers: head.specifiers,
    params: head.params,
    paramsIncomplete: head.paramsIncomplete,
    source,
    tree,
    node,
    lineMap,
    rawLines: rows.map((r) => (r.isSynthetic ? '' : r.text)),
    isFragment: segment.isFragment,
    startsInside: segment.startsInside,
    gaps: segment.gaps,
    health,
    calls: [],
    annotations: [...new Set(head.annotations)],
  };
  // Call sites are read by few (`inspect`): walked on first read, not for every image of a review. An own
  // enumerable accessor, so JSON and object spread still see the array.
  let calls: FunctionImage['calls'] | undefined;
  Object.defineProperty(image, 'calls', { enumerable: true, configurable: true, get: () => (calls ??= collectCalls(node, lineMap)) });
  return image;
}
