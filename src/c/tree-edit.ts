// A rewrite's syntax tree as an edit of the tree it rewrites, instead of a parse of the whole rewritten text.
//
// The review proves each proposed rewrite by simulating the rewritten function (src/review/sim-session.ts):
// the function's text with a few edits (a declaration dropped, a block replaced by a `return`, a name
// renamed). Parsing the whole rewritten text cost tree-sitter's parse and the plain copy of every node,
// though only the statements the edits touch changed. Here the block items an edit touches (the whole
// statements of the innermost `{ ... }` that holds the edit, with their comments) are parsed alone, inside a
// function of their own, and every other node is copied from the base tree at its shifted offset.
//
// The result must be the tree parseC() gives the rewritten text, node for node (types, field names, extents,
// flags): a block item is parsed the same whatever items come before it (tree-sitter's parse of C is
// context-free at that level: its state at the start of an item is the block's, and the item ends with `;`,
// `}` or a directive's newline, where the next item or the block's `}` follows), and the comments around items
// are children of the block in both. Where that argument does not plainly hold, editTree() answers undefined and
// the caller parses the whole text: a base or an edited part with a syntax error (error recovery looks beyond
// an item), an edit outside every block or touching a block's braces, edits that overlap or share an offset,
// edited items that do not come back as whole items of the wrapper's body. test/c/tree-edit.test.ts compares
// the two trees on every rewrite of the rule cases and on random edits; `PATCH_REVIEW_CHECK_TREE_EDIT=1`
// makes every edited tree in a run compare itself with the full parse (throws on a difference).
import { parseTreeSitter, SyntaxNode, Tree } from './parser.ts';

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Block items to replace: children first..last of `block` (none when first > last: an insertion between items). */
interface Region {
  block: SyntaxNode;
  first: number;
  last: number;
  /** Extent in the base text (covers the items and the edits). */
  start: number;
  end: number;
  /** New text of [start, end) and its items (nodes of the wrapper's tree), with the offset that places them. */
  text: string;
  items: readonly SyntaxNode[];
  shift: number;
}

const WRAP_HEAD = 'void f()\n{\n';
const WRAP_TAIL = '\n}\n';

/**
 * The tree of `text` (= base.source with `edits` applied) built from base's nodes and a parse of the edited block
 * items only; undefined when this cannot vouch for it being parseC(text)'s tree (the caller then parses text).
 */
export function editTree(base: Tree, edits: readonly TextEdit[], text: string): Tree | undefined {
  if (edits.length === 0 || base.native || base.rootNode.containsError) return undefined;
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.start < sorted[i - 1]!.end || sorted[i]!.start === sorted[i - 1]!.start) return undefined;
  if (applyEdits(base.source, sorted) !== text) return undefined;

  const regions: Region[] = [];
  for (const e of sorted) {
    const r = regionOf(base.rootNode, e);
    if (!r) return undefined;
    regions.push(r);
  }
  // A block's first item is parsed after its `{`, every other after an item, and tree-sitter's choice between
  // readings of an ambiguous item (`T (x);`, `typeof(a) *p;`) can differ between the two: an item that becomes the
  // first (or stops being it) is parsed again with the region, which then starts the block in both texts.
  let merged = mergeRegions(regions);
  for (let round = 0; merged && round < 4; round++) {
    let grown = false;
    for (const r of merged) {
      const after = neighbour(r, 1);
      if (neighbour(r, -1) || !after) continue;
      const i = r.block.children.indexOf(after);
      if (r.first > r.last) r.first = Math.min(r.first, i);
      r.last = i;
      r.end = Math.max(r.end, after.endIndex);
      grown = true;
    }
    if (!grown) break;
    merged = mergeRegions(merged);
  }
  if (!merged) return undefined;

  // Each region's new text parsed alone, as the body of a function of its own (all of them in one parse).
  const texts: string[] = [];
  for (const r of merged) {
    let newText = '';
    let at = r.start;
    for (const e of sorted) {
      if (e.start < r.start || e.end > r.end) continue;
      newText += base.source.slice(at, e.start) + e.text;
      at = e.end;
    }
    texts.push(newText + base.source.slice(at, r.end));
  }
  const parsed = parseItems(texts, merged.map((r) => !!neighbour(r, -1)));
  if (!parsed) return undefined;
  let delta = 0;
  for (let i = 0; i < merged.length; i++) {
    const r = merged[i]!;
    const { items, offset } = parsed[i]!;
    if (absorbs(r, items)) return undefined;
    r.text = texts[i]!;
    r.items = items;
    r.shift = r.start + delta - offset;
    delta += r.text.length - (r.end - r.start);
  }

  const newStart = (o: number): number => {
    let d = 0;
    for (const r of merged) if (r.end <= o) d += r.text.length - (r.end - r.start);
    return o + d;
  };
  const newEnd = (o: number): number => {
    let d = 0;
    for (const r of merged) if (r.end <= o && r.start < o) d += r.text.length - (r.end - r.start);
    return o + d;
  };
  const byBlock = new Map<SyntaxNode, Region[]>();
  for (const r of merged) {
    const list = byBlock.get(r.block) ?? [];
    list.push(r);
    byBlock.set(r.block, list);
  }

  const copyNew = (tree: Tree, n: SyntaxNode, parent: SyntaxNode, shift: number): SyntaxNode => {
    const m = new SyntaxNode(tree, parent, n.type, n.fieldName, n.isNamed);
    const children = n.children;
    const out: SyntaxNode[] = [];
    for (let i = 0; i < children.length; i++) {
      const c = copyNew(tree, children[i]!, m, shift);
      c.setIndex(i);
      out.push(c);
    }
    m.setBuilt(n.startIndex + shift, n.endIndex + shift, out, n.isMissing, n.containsError);
    return m;
  };
  const copyOld = (tree: Tree, n: SyntaxNode, parent: SyntaxNode | null): SyntaxNode => {
    const m = new SyntaxNode(tree, parent, n.type, n.fieldName, n.isNamed);
    const children = n.children;
    const out: SyntaxNode[] = [];
    const here = byBlock.get(n);
    let ri = 0;
    for (let i = 0; i <= children.length; i++) {
      // Regions of this block in order: an insertion before child i, or the replacement of children first..last.
      while (here && ri < here.length && here[ri]!.first === i) {
        const r = here[ri++]!;
        for (const item of r.items) {
          const c = copyNew(tree, item, m, r.shift);
          c.setIndex(out.length);
          out.push(c);
        }
        if (r.first <= r.last) i = r.last + 1;
      }
      if (i >= children.length) break;
      const c = copyOld(tree, children[i]!, m);
      c.setIndex(out.length);
      out.push(c);
    }
    m.setBuilt(newStart(n.startIndex), newEnd(n.endIndex), out, n.isMissing, n.containsError);
    return m;
  };
  const tree = new Tree(text, (t) => copyOld(t, base.rootNode, null));
  if (process.env.PATCH_REVIEW_CHECK_TREE_EDIT === '1') {
    const diff = treeDifference(tree.rootNode, new Tree(text, parseTreeSitter(text)).rootNode);
    if (diff) throw new Error(`tree-edit: the edited tree differs from the parse (${diff})`);
  }
  return tree;
}

/** `source` with non-overlapping edits (sorted by start) applied. */
export function applyEdits(source: string, sorted: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of sorted) {
    out += source.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + source.slice(at);
}

/** The innermost block holding the edit inside its braces, and the items the edit touches. */
function regionOf(root: SyntaxNode, e: TextEdit): Region | undefined {
  let block: SyntaxNode | undefined;
  for (let n: SyntaxNode | undefined = root; n; ) {
    if (n.type === 'compound_statement' && inside(n, e)) block = n;
    let next: SyntaxNode | undefined;
    for (const c of n.children) {
      if (c.startIndex <= e.start && e.end <= c.endIndex && c.endIndex > c.startIndex) {
        next = c;
        break;
      }
    }
    n = next;
  }
  if (!block) return undefined;
  const children = block.children;
  let first = -1;
  let last = -1;
  for (let i = 1; i < children.length - 1; i++) {
    const c = children[i]!;
    const touched = e.start === e.end ? c.startIndex < e.start && e.start < c.endIndex : c.startIndex < e.end && e.start < c.endIndex;
    if (touched) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) {
    // Between items: an insertion (or a deletion of blanks) before the first item that starts at or after it.
    let before = children.length - 1;
    for (let i = 1; i < children.length - 1; i++) if (children[i]!.startIndex >= e.end) { before = i; break; }
    return { block, first: before, last: before - 1, start: e.start, end: e.end, text: '', items: [], shift: 0 };
  }
  return {
    block,
    first,
    last,
    start: Math.min(e.start, children[first]!.startIndex),
    end: Math.max(e.end, children[last]!.endIndex),
    text: '',
    items: [],
    shift: 0,
  };
}

/**
 * A `case` takes the statements that follow it (tree-sitter's case_statement holds them): parsed alone, the new
 * items end where the region ends, but in the whole text a case before or among them may take what follows. So
 * refuse when a case (the last item before the region, or the last new one) would be followed by anything but
 * another case or the block's end, when an item ends inside a case of its own (`if ( x ) case 1: ..`, which takes
 * what follows), when an item is not closed (see closed()), and when one starts with `else`.
 */
function absorbs(r: Region, items: readonly SyntaxNode[]): boolean {
  const before = neighbour(r, -1);
  const after = neighbour(r, 1);
  // Every item next to or in the region must end where it ends in both texts: with its own `;` or `}`.
  if (![...(before ? [before] : []), ...items, ...(after && after.type !== '}' ? [after] : [])].every(closed)) return true;
  // An `else` read as the start of an item here (tree-sitter takes it for a type name) belongs to an `if` there.
  if (items.some((n) => /^else\b/.test(n.text)) || (after && /^else\b/.test(after.text))) return true;
  const sequence = [...(before ? [before] : []), ...items, ...(after ? [after] : [])];
  for (let i = 0; i + 1 < sequence.length; i++) {
    const x = sequence[i]!;
    const next = sequence[i + 1]!.type;
    if (x.type === 'case_statement' ? next !== 'case_statement' && next !== '}' : endsInCase(x)) return true;
  }
  return items.some((n) => n.type === 'labeled_statement' && n.lastChild?.type === ':');
}

/** The nearest item before (-1) or after (1) the region that is not a comment (after: the block's `}` at the end). */
function neighbour(r: Region, side: -1 | 1): SyntaxNode | undefined {
  const children = r.block.children;
  if (side < 0) {
    for (let i = r.first - 1; i >= 1; i--) if (children[i]!.type !== 'comment') return children[i];
    return undefined;
  }
  for (let i = r.first <= r.last ? r.last + 1 : r.first; i < children.length - 1; i++) if (children[i]!.type !== 'comment') return children[i];
  return undefined;
}

/**
 * A comment, or a statement or declaration whose last token is its own `;` or `}` (nothing after it can extend it).
 * Anything else next to an edit (a preprocessor line, a bare `;` or type tree-sitter made of a macro) is left to
 * the parse.
 */
function closed(node: SyntaxNode): boolean {
  if (node.type === 'comment') return true;
  if (!node.isNamed || node.type.startsWith('preproc_') || node.type.endsWith('_specifier')) return false;
  let leaf = node;
  while (leaf.lastChild) leaf = leaf.lastChild;
  return (leaf.type === ';' || leaf.type === '}') && !leaf.isMissing;
}

/** A case inside the node's last statement (`if ( x ) case 1: ..`): it takes whatever follows the node. */
function endsInCase(node: SyntaxNode): boolean {
  for (let n = node.lastChild; n; n = n.lastChild) if (n.type === 'case_statement') return true;
  return false;
}

/** Strictly between the block's braces (a `{` and a `}` of its own, neither touched). */
function inside(block: SyntaxNode, e: TextEdit): boolean {
  const open = block.children[0];
  const close = block.children[block.children.length - 1];
  if (!open || !close || open.type !== '{' || close.type !== '}' || open === close) return false;
  return open.endIndex <= e.start && e.end <= close.startIndex;
}

/**
 * One region per place: a region inside another's extent is part of it (its edits are applied in the outer
 * text); two of the same block that overlap or touch become one. Undefined for any other overlap.
 */
function mergeRegions(regions: Region[]): Region[] | undefined {
  const sorted = [...regions].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Region[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    if (!prev || r.start > prev.end || (r.start === prev.end && r.block !== prev.block)) {
      if (prev && r.start === prev.end && r.block !== prev.block) return undefined;
      out.push({ ...r });
      continue;
    }
    if (r.end <= prev.end && r.start >= prev.start && (r.block === prev.block || contains(prev, r))) continue;
    if (r.block !== prev.block) return undefined;
    // Same block, overlapping or touching: one region over both sets of items.
    const items = (x: Region): [number, number] => [x.first, x.last];
    const [f1, l1] = items(prev);
    const [f2, l2] = items(r);
    const first = Math.min(f1 <= l1 ? f1 : Infinity, f2 <= l2 ? f2 : Infinity);
    const last = Math.max(f1 <= l1 ? l1 : -Infinity, f2 <= l2 ? l2 : -Infinity);
    if (!Number.isFinite(first)) return undefined;
    prev.first = first;
    prev.last = last;
    prev.start = Math.min(prev.start, r.start);
    prev.end = Math.max(prev.end, r.end);
  }
  return out;
}

/** Region `inner` lies within one of the items `outer` replaces (a block nested in them). */
function contains(outer: Region, inner: Region): boolean {
  if (outer.first > outer.last) return false;
  for (let n: SyntaxNode | null = inner.block; n; n = n.parent) {
    if (n.parent === outer.block) {
      const i = outer.block.children.indexOf(n);
      return i >= outer.first && i <= outer.last;
    }
  }
  return false;
}

/**
 * The block items of each text parsed as the body of a function of its own (one parse for all), with the offset
 * of each text in the parsed source; undefined unless they parse cleanly and each body holds exactly its text's items.
 */
function parseItems(texts: readonly string[], afterItem: readonly boolean[]): { items: readonly SyntaxNode[]; offset: number }[] | undefined {
  let source = '';
  const offsets: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    // After an item in the whole text: after one here too (an empty statement, left out below).
    source += afterItem[i] ? `${WRAP_HEAD};\n` : WRAP_HEAD;
    offsets.push(source.length);
    source += texts[i]! + WRAP_TAIL;
  }
  const tree = new Tree(source, parseTreeSitter(source));
  const root = tree.rootNode;
  if (tree.native || root.containsError || root.children.length !== texts.length) return undefined;
  const out: { items: readonly SyntaxNode[]; offset: number }[] = [];
  for (let i = 0; i < texts.length; i++) {
    const def = root.children[i]!;
    const from = offsets[i]!;
    const to = from + texts[i]!.length;
    if (def.type !== 'function_definition') return undefined;
    const body = def.childForFieldName('body');
    if (!body || body !== def.children[def.children.length - 1]) return undefined;
    const children = body.children;
    if (children.length < 2 || children[0]!.type !== '{' || children[children.length - 1]!.type !== '}') return undefined;
    const skip = afterItem[i] ? 1 : 0;
    if (skip && (children[1]?.type !== 'expression_statement' || children[1].endIndex > from || children[1].childCount !== 1)) return undefined;
    if (children[skip]!.endIndex > from || children[children.length - 1]!.startIndex < to) return undefined;
    const items = children.slice(1 + skip, -1);
    for (const item of items) if (item.startIndex < from || item.endIndex > to) return undefined;
    out.push({ items, offset: from });
  }
  return out;
}

/** Where two trees differ (type, field, flags, extent, children), or undefined when they are the same. */
export function treeDifference(a: SyntaxNode, b: SyntaxNode): string | undefined {
  const stack: [SyntaxNode, SyntaxNode][] = [[a, b]];
  while (stack.length) {
    const [x, y] = stack.pop()!;
    if (x.type !== y.type || x.fieldName !== y.fieldName || x.isNamed !== y.isNamed || x.isMissing !== y.isMissing || x.containsError !== y.containsError) {
      return `${x.type}/${x.fieldName} vs ${y.type}/${y.fieldName} at ${x.startIndex}`;
    }
    if (x.startIndex !== y.startIndex || x.endIndex !== y.endIndex) return `${x.type} at ${x.startIndex}-${x.endIndex} vs ${y.startIndex}-${y.endIndex}`;
    if (x.children.length !== y.children.length) return `${x.type} at ${x.startIndex}: ${x.children.length} vs ${y.children.length} children`;
    for (let i = 0; i < x.children.length; i++) stack.push([x.children[i]!, y.children[i]!]);
  }
  return undefined;
}
