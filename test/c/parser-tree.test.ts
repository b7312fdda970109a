// parseC() returns a plain copy of tree-sitter's tree: every property the project reads must answer what the
// native node answers, node for node (types, extents, positions, fields, errors, missing nodes, the walks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type Parser from 'tree-sitter';
import { parseC, firstErrorNode, type SyntaxNode } from '../../src/c/parser.ts';

const require = createRequire(import.meta.url);
const TreeSitter = require('tree-sitter') as typeof Parser;
const C = require('tree-sitter-c') as unknown as Parser.Language;
const native = new TreeSitter();
native.setLanguage(C);

const FIELDS = ['declarator', 'type', 'body', 'condition', 'consequence', 'alternative', 'arguments', 'function', 'left', 'right', 'value', 'argument', 'operator', 'label', 'parameters', 'name', 'field', 'initializer', 'update', 'index'];

/** Compare the plain tree with tree-sitter's, node for node; returns the number of nodes compared. */
export function compareWithNative(source: string): number {
  const mine = parseC(source).rootNode;
  const theirs = native.parse(source).rootNode;
  let count = 0;
  const where = (n: Parser.SyntaxNode): string => `${n.type} at ${n.startPosition.row}:${n.startPosition.column}`;
  const visit = (a: SyntaxNode, b: Parser.SyntaxNode): void => {
    count++;
    const at = where(b);
    assert.equal(a.type, b.type, at);
    assert.equal(a.isNamed, b.isNamed, at);
    assert.equal(a.isMissing, b.isMissing, at);
    assert.equal(a.hasError, b.hasError, at);
    if (b.hasError) assert.ok(a.containsError || !b.descendantsOfType('ERROR').length, at);
    else assert.equal(a.containsError, b.type === 'ERROR' && b.childCount === 0, at);
    assert.equal(a.startIndex, b.startIndex, at);
    assert.equal(a.endIndex, b.endIndex, at);
    assert.deepEqual(a.startPosition, b.startPosition, at);
    assert.deepEqual(a.endPosition, b.endPosition, at);
    assert.equal(a.text, b.text, at);
    assert.equal(a.childCount, b.childCount, at);
    assert.equal(a.namedChildCount, b.namedChildCount, at);
    for (const f of FIELDS) {
      const x = a.childForFieldName(f);
      const y = b.childForFieldName(f);
      assert.equal(x?.startIndex, y?.startIndex, `${at} field ${f}`);
      assert.equal(x?.type, y?.type, `${at} field ${f}`);
      assert.equal(a.childrenForFieldName(f).length, b.childrenForFieldName(f).length, `${at} fields ${f}`);
    }
    assert.equal(a.nextSibling?.startIndex, b.nextSibling?.startIndex, at);
    assert.equal(a.previousNamedSibling?.startIndex, b.previousNamedSibling?.startIndex, at);
    assert.equal(a.nextNamedSibling?.startIndex, b.nextNamedSibling?.startIndex, at);
    assert.equal(a.previousSibling?.startIndex, b.previousSibling?.startIndex, at);
    const kids = b.children;
    const cursor = b.walk();
    if (cursor.gotoFirstChild()) {
      let i = 0;
      do assert.equal(a.children[i++]!.fieldName, cursor.currentFieldName ?? null, `${at} cursor field of child ${i - 1}`);
      while (cursor.gotoNextSibling());
    }
    a.children.forEach((c, i) => {
      assert.equal(c.parent, a, at);
      visit(c, kids[i]!);
    });
  };
  visit(mine, theirs);
  for (const types of [['function_definition'], ['call_expression', 'identifier'], ['ERROR'], ['declaration', 'init_declarator', 'parameter_declaration']]) {
    assert.deepEqual(
      mine.descendantsOfType(types).map((n) => `${n.type}@${n.startIndex}`),
      theirs.descendantsOfType(types).map((n) => `${n.type}@${n.startIndex}`),
      types.join(','),
    );
  }
  const rows = source.split('\n');
  rows.forEach((line, row) => {
    const column = /^[ \t]*/.exec(line)![0].length;
    const a = mine.descendantForPosition({ row, column });
    const b = theirs.descendantForPosition({ row, column });
    assert.equal(`${a.type}@${a.startIndex}-${a.endIndex}`, `${b.type}@${b.startIndex}-${b.endIndex}`, `descendantForPosition ${row}:${column}`);
  });
  const mineDefs = [mine, ...mine.descendantsOfType('function_definition')];
  const theirDefs = [theirs, ...theirs.descendantsOfType('function_definition')];
  mineDefs.forEach((d, i) => {
    const e1 = firstErrorNode(d);
    const e2 = nativeFirstError(theirDefs[i]!);
    assert.equal(e1 && `${e1.type}@${e1.startIndex}-${e1.endIndex}`, e2 && `${e2.type}@${e2.startIndex}-${e2.endIndex}`, `firstErrorNode ${i}`);
  });
  return count;
}

/** firstErrorNode as it was written against tree-sitter's own nodes. */
function nativeFirstError(node: Parser.SyntaxNode): Parser.SyntaxNode | undefined {
  if (!node.hasError) return undefined;
  const cursor = node.walk();
  const visit = (): Parser.SyntaxNode | undefined => {
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

const SOURCES: Record<string, string> = {
  clean: `static int f(struct s *p, unsigned long n)
{
    int rc = 0, i;
    char *buf = NULL;

    for ( i = 0; i < n; i++ )
    {
        rc = g(p->a[i], &buf);
        if ( rc < 0 )
            goto out;
        else if ( rc == 1 )
            continue;
    }
    switch ( n ) { case 1: rc = -EINVAL; break; default: break; }
 out:
    free(buf);
    return rc ? : h((void *)p, sizeof(*p));
}
`,
  errors: `int g(void)
{
    int x = ;
    if ( x
        return 1
    y = z(;
}
`,
  missing: 'int h(void) { return f(1) }\n',
  unicode: `/* caf\u00e9 \u2014 \u{1F600} */
int u(void) { const char *s = "\u00e9\u00e9"; return s[1]; }
`,
  preproc: `#include <x.h>
#define M(a) ((a) + 1)
#ifdef CONFIG_X
int p(int a) { return M(a); }
#else
int p(int a) { return 0; }
#endif
`,
  empty: '',
  noNewline: 'int z;',
};

test('parseC: the plain tree answers what tree-sitter answers, node for node', () => {
  for (const [name, source] of Object.entries(SOURCES)) {
    const n = compareWithNative(source);
    assert.ok(n >= 1, name);
  }
});

test('parseC: one object per node; ids unique across trees; cursor walks stay inside their subtree', () => {
  const a = parseC(SOURCES.clean!).rootNode;
  const b = parseC(`${SOURCES.clean!}\n`).rootNode;
  const fa = a.descendantsOfType('function_definition')[0]!;
  assert.equal(fa.childForFieldName('body')!.parent, fa);
  assert.equal(a.descendantsOfType('function_definition')[0], fa);
  assert.notEqual(fa.id, b.descendantsOfType('function_definition')[0]!.id);
  const body = fa.childForFieldName('body')!;
  const cursor = body.walk();
  assert.equal(cursor.currentFieldName, null);
  assert.equal(cursor.gotoNextSibling(), false);
  assert.equal(cursor.gotoParent(), false);
  let seen = 0;
  const visit = (): void => {
    seen++;
    if (cursor.gotoFirstChild()) {
      do visit();
      while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
  };
  visit();
  assert.equal(cursor.currentNode, body);
  assert.equal(seen, body.descendantsOfType([...new Set(collectTypes(body))]).length);
});

test('parseC: JSON leaves a tree out and gives a node as tree-sitter does (type, extent, child count)', () => {
  const tree = parseC(SOURCES.clean!);
  const fn = tree.rootNode.descendantsOfType('function_definition')[0]!;
  assert.equal(JSON.stringify({ tree, n: 1 }), '{"n":1}');
  assert.deepEqual(JSON.parse(JSON.stringify(fn)), JSON.parse(JSON.stringify(native.parse(SOURCES.clean!).rootNode.descendantsOfType('function_definition')[0])));
});

function collectTypes(n: SyntaxNode): string[] {
  return [n.type, ...n.children.flatMap(collectTypes)];
}

test('firstErrorNode finds the first ERROR or MISSING node in document order', () => {
  const t = parseC(SOURCES.missing!).rootNode;
  const e = firstErrorNode(t);
  assert.ok(e && (e.isMissing || e.type === 'ERROR'));
  assert.equal(firstErrorNode(parseC(SOURCES.clean!).rootNode), undefined);
});
