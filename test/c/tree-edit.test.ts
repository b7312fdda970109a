// A rewrite's tree as an edit of the tree it rewrites (src/c/tree-edit.ts): where editTree() answers, its tree is
// the parse of the rewritten text node for node; where that is not plain, it answers nothing and the caller parses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseC, parseTreeSitter, Tree, type SyntaxNode } from '../../src/c/parser.ts';
import { applyEdits, editTree, treeDifference, type TextEdit } from '../../src/c/tree-edit.ts';

const FN = `static int probe_dev(struct dev *d, int flags)
{
    int rc;
    struct res *r = NULL;

    if ( !d )
        return -EINVAL;
    rc = map_res(d, &r);
    if ( rc )
    {
        log_err(d);
        return rc;
    }
    if ( flags & F_RESET )
    {
        rc = reset_dev(d);
        if ( rc )
            return rc;
    }
    switch ( d->kind )
    {
    case KIND_A:
        rc = setup_a(d);
        break;
    case KIND_B:
        setup_b(d);
    }
    return 0;
}
`;

const fresh = (text: string): SyntaxNode => new Tree(text, parseTreeSitter(text)).rootNode;

/** An edit replacing the first occurrence of `old` (after `from`, when given) by `text`. */
function at(source: string, old: string, text: string, from?: string): TextEdit {
  const start = source.indexOf(old, from ? source.indexOf(from) : 0);
  assert.ok(start >= 0, `no ${JSON.stringify(old)}`);
  return { start, end: start + old.length, text };
}

function edited(source: string, edits: TextEdit[]): { tree: Tree | undefined; text: string } {
  const text = applyEdits(source, [...edits].sort((a, b) => a.start - b.start));
  return { tree: editTree(parseC(source), edits, text), text };
}

const shapes: [string, (s: string) => TextEdit[]][] = [
  ['a declaration deleted with its line', (s) => [at(s, '    int rc;\n', '')]],
  ['a braced body replaced by a return, its declaration dropped', (s) => [at(s, '\n    {\n        rc = reset_dev(d);\n        if ( rc )\n            return rc;\n    }', '\n        return reset_dev(d);'), at(s, '    int rc;\n', '')]],
  ['a name renamed in several statements', (s) => [at(s, 'rc = map_res', 'ret = map_res'), at(s, 'if ( rc )', 'if ( ret )'), at(s, 'return rc;', 'return ret;')]],
  ['an initialiser added to a declarator', (s) => [at(s, 'int rc', 'int rc = 0')]],
  ['a statement inserted between two', (s) => [{ start: s.indexOf('    rc = map_res'), end: s.indexOf('    rc = map_res'), text: '    prepare(d);\n' }]],
  ['an edit inside a nested block', (s) => [at(s, 'log_err(d);', 'log_err(d, rc);')]],
  ['a statement inside a case replaced', (s) => [at(s, 'rc = setup_a(d);', 'rc = setup_a(d, flags);')]],
  ['a whole case added before the first', (s) => [{ start: s.indexOf('    case KIND_A'), end: s.indexOf('    case KIND_A'), text: '    case KIND_0:\n        break;\n' }]],
  ['two ifs merged into one', (s) => [at(s, 'if ( flags & F_RESET )', 'if ( (flags & F_RESET) && d )')]],
];

for (const [name, make] of shapes) {
  test(`editTree: ${name} gives the parse's tree without parsing the function`, () => {
    const { tree, text } = edited(FN, make(FN));
    assert.ok(tree, 'edited, not left to a parse');
    assert.equal(tree.source, text);
    assert.equal(treeDifference(tree.rootNode, fresh(text)), undefined);
    assert.equal(tree.rootNode.text, text);
    // Ids in preorder (descendantsOfType reads subtrees as id ranges): the same answers as the parse's tree.
    const calls = (root: SyntaxNode): string[] => root.descendantsOfType('call_expression').map((n) => `${n.startIndex}:${n.text}`);
    assert.deepEqual(calls(tree.rootNode), calls(fresh(text)));
  });
}

test('editTree: a statement added after a case is left to the parse (the case takes it)', () => {
  const end = FN.indexOf('        setup_b(d);\n') + '        setup_b(d);\n'.length;
  const edits = [{ start: end, end, text: '        finish(d);\n' }];
  const { tree, text } = edited(FN, edits);
  assert.equal(tree, undefined);
  // Why: in the whole text the new call is a child of the case, not of the switch's block.
  const call = fresh(text).descendantsOfType('call_expression').find((n) => n.text === 'finish(d)')!;
  assert.equal(call.parent!.parent!.type, 'case_statement');
});

test('editTree: a statement added after a case, before the next case, is left to the parse', () => {
  const edits = [at(FN, '        break;\n', '        break;\n    }\n    {\n')];
  assert.equal(edited(FN, edits).tree, undefined);
});

test('editTree: an edit that does not parse, one outside every block, one on a brace, a base with an error: left to the parse', () => {
  assert.equal(edited(FN, [at(FN, 'return -EINVAL;', 'return -EINVAL')]).tree, undefined, 'syntax error');
  assert.equal(edited(FN, [at(FN, 'int flags', 'unsigned int flags')]).tree, undefined, 'in the head');
  assert.equal(edited(FN, [at(FN, '    {\n        log_err', '    {{\n        log_err')]).tree, undefined, 'a brace');
  const broken = FN.replace('return -EINVAL;', 'return -EINVAL');
  assert.equal(edited(broken, [at(broken, 'log_err(d);', 'log_err(d, rc);')]).tree, undefined, 'base with an error');
  assert.equal(edited(FN, [at(FN, 'rc = map_res', 'x'), at(FN, 'rc = map_res', 'y')]).tree, undefined, 'two edits at one offset');
});

test('editTree: an item that becomes the first of its block, or stops being it, is parsed again with the edit', () => {
  // tree-sitter reads `typeof(x[0]) *p;` as a declaration first in a block and as a product after another item.
  const src = 'static int scan(void)\n{\n    typeof(table[0]) *cfg;\n    int i;\n    cfg = &table[0];\n    return use(cfg, i);\n}\n';
  const first = src.indexOf('    typeof');
  const insert = edited(src, [{ start: first, end: first, text: '    ret = 0;\n' }]);
  assert.ok(insert.tree);
  assert.equal(treeDifference(insert.tree.rootNode, fresh(insert.text)), undefined);
  assert.equal(fresh(insert.text).descendantsOfType('compound_statement')[0]!.namedChildren[1]!.type, 'expression_statement');
  const again = applyEdits(insert.text, []);
  const drop = edited(again, [at(again, '    ret = 0;\n', '')]);
  assert.ok(drop.tree);
  assert.equal(treeDifference(drop.tree.rootNode, fresh(drop.text)), undefined);
});

test('editTree: an `else` next to an edit, an item tree-sitter left open (a macro read as a type): left to the parse', () => {
  const src = 'static void put(struct obj *o)\n{\n    if ( o->ref )\n        drop(o);\n    /* last */\n    release(o);\n}\n';
  assert.equal(edited(src, [at(src, 'release(o);', 'else release(o);')]).tree, undefined);
  const open = 'static void free_obj(struct rcu_head *h)\n{\n    xfree(container_of(h, struct obj, rcu));\n}\n';
  assert.equal(edited(open, [at(open, ');\n}', ')return f(a, b);\n}')]).tree, undefined);
});

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('editTree: random statement-level edits of the simulator fixtures give the parse\'s tree whenever they are edited', () => {
  const dir = fileURLToPath(new URL('../fixtures/sim/', import.meta.url));
  const random = rng(13);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  let editedCount = 0;
  let total = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.c')).sort()) {
    const source = readFileSync(dir + file, 'utf8');
    const root = parseC(source).rootNode;
    const items = root.descendantsOfType('compound_statement').flatMap((b) => b.children.slice(1, -1));
    const ids = root.descendantsOfType('identifier');
    if (!items.length) continue;
    for (let k = 0; k < 40; k++) {
      const edits: TextEdit[] = [];
      const used: [number, number][] = [];
      const free = (s: number, e: number): boolean => used.every(([a, b]) => e < a || s > b);
      for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
        const item = pick(items);
        const id = pick(ids);
        const kind = Math.floor(random() * 6);
        let e: TextEdit;
        if (kind === 0) e = { start: item.startIndex, end: item.endIndex, text: '' };
        else if (kind === 1) e = { start: item.endIndex, end: item.endIndex, text: `\n${item.text}` };
        else if (kind === 2) e = { start: id.startIndex, end: id.endIndex, text: `${id.text}_x` };
        else if (kind === 3) e = { start: item.startIndex, end: item.startIndex, text: 'ret = 0;\n    ' };
        else if (kind === 4) e = { start: item.startIndex, end: item.endIndex, text: `{ ${item.text} }` };
        else e = { start: item.startIndex, end: item.endIndex, text: 'return f(a, b);' };
        if (!free(e.start, e.end)) continue;
        used.push([e.start, e.end]);
        edits.push(e);
      }
      if (!edits.length) continue;
      total++;
      const { tree, text } = edited(source, edits);
      if (!tree) continue;
      editedCount++;
      assert.equal(treeDifference(tree.rootNode, fresh(text)), undefined, `${file}: ${JSON.stringify(edits)}`);
    }
  }
  // Most such edits are edited, not parsed (the rest touch a case's statements, braces or a head, or do not parse).
  assert.ok(editedCount > total / 2, `${editedCount} of ${total} edited`);
});
