import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ITER_MARK } from '../../src/c/markers.ts';
import { functionHealth, normalizeC, parseHealth } from '../../src/c/normalize.ts';
import { parseC, type SyntaxNode } from '../../src/c/parser.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/macros/${name}`, import.meta.url), 'utf8');

const newlineOffsets = (s: string): number[] => [...s.matchAll(/\n/g)].map((m) => m.index ?? -1);

function whileStatements(root: SyntaxNode): SyntaxNode[] {
  return root.descendantsOfType('while_statement');
}

describe('normalizeC on the idiom fixtures', () => {
  const cases: Array<[file: string, functions: number]> = [
    ['annotations.c', 7],
    ['iterators.c', 6],
    ['type-args.c', 5],
    ['string-macros.c', 3],
    ['asm-and-tables.c', 3],
    ['ifdef-arms.c', 3],
  ];
  for (const [file, functions] of cases) {
    it(`parses every function of ${file} cleanly after normalisation`, () => {
      const source = fixture(file);
      const health = parseHealth(source, 'xen');
      assert.equal(health.length, functions);
      assert.deepEqual(health.filter((h) => !h.clean), []);
      assert.equal(parseC(normalizeC(source, { dialect: 'xen' }).text).rootNode.hasError, false);
    });
    it(`does not parse ${file} cleanly without normalisation, so the pass is what makes it clean`, () => {
      const source = fixture(file);
      const raw = functionHealth(parseC(source), source);
      assert.ok(raw.length < functions || raw.some((h) => !h.clean), 'the raw text already parses');
    });
  }
});

describe('normalizeC on a mixed Xen-style file', () => {
  it('parses at least 99% of sixty-odd functions cleanly', () => {
    const health = parseHealth(fixture('mixed-xen.c'), 'xen');
    const clean = health.filter((h) => h.clean).length;
    assert.ok(health.length >= 60, `only ${health.length} functions found`);
    assert.ok(clean / health.length >= 0.99, `${clean} of ${health.length} clean: ${JSON.stringify(health.filter((h) => !h.clean))}`);
  });

  it('parses well under half of them cleanly without normalisation', () => {
    const source = fixture('mixed-xen.c');
    const raw = functionHealth(parseC(source), source);
    assert.ok(raw.filter((h) => h.clean).length < 30);
  });

  it('reports the line, column and real text of the first error of an unclean function', () => {
    const source = 'int f(void)\n{\n    return a b;\n}\n';
    const [health] = parseHealth(source, 'generic');
    assert.equal(health?.name, 'f');
    assert.equal(health?.clean, false);
    assert.deepEqual({ line: health?.firstError?.line, column: health?.firstError?.column }, { line: 3, column: 14 });
  });
});

describe('normalizeC keeps the text in place', () => {
  it('never changes the length or a newline offset, and never throws, on random text', () => {
    const cish = fc.stringMatching(
      /^(?:[ \t\n{}();,*#"'\\/]|for_each_cpu|while|if|struct x|__init|KERN_ERR|"a"|typeof|xzalloc|#if 0|#else|#endif|\/\*|\*\/|[a-z]{1,4})*$/,
    );
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), cish), fc.constantFrom('xen', 'linux', 'generic'), (s, dialect) => {
        const { text } = normalizeC(s, { dialect });
        assert.equal(text.length, s.length);
        assert.deepEqual(newlineOffsets(text), newlineOffsets(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('records each rewrite with the original text at its offsets', () => {
    const source = fixture('annotations.c') + fixture('iterators.c');
    const { replacements } = normalizeC(source, { dialect: 'xen' });
    assert.ok(replacements.length > 0);
    for (const r of replacements) assert.equal(source.slice(r.start, r.end), r.original);
  });

});

describe('iteration macros become marked while loops', () => {
  it('turns a braced `for_each_drhd_unit ( drhd )` into a while_statement with the mark in its head', () => {
    const source = 'void f(void)\n{\n    for_each_drhd_unit ( drhd ) {\n        flush(drhd);\n    }\n}\n';
    const { text } = normalizeC(source, { dialect: 'xen' });
    assert.equal(text.split('\n')[2], `    while${ITER_MARK}         ( drhd ) {`);
    const [loop] = whileStatements(parseC(text).rootNode);
    assert.ok(loop);
    assert.equal(loop.namedChildren[0]?.type, 'comment');
    assert.equal(loop.namedChildren[0]?.text, ITER_MARK);
    assert.equal(loop.childForFieldName('condition')?.text, '( drhd )');
    assert.equal(loop.childForFieldName('body')?.type, 'compound_statement');
  });

  it('turns an unbraced `list_for_each_entry(pos, head, member) stmt;` into a while_statement over a comma condition', () => {
    const source = 'void f(void)\n{\n    list_for_each_entry(pos, head, member)\n        visit(pos);\n}\n';
    const tree = parseC(normalizeC(source, { dialect: 'linux' }).text);
    assert.equal(tree.rootNode.hasError, false);
    const [loop] = whileStatements(tree.rootNode);
    assert.ok(loop);
    assert.equal(loop.namedChildren[0]?.text, ITER_MARK);
    assert.equal(loop.childForFieldName('condition')?.namedChildren[0]?.type, 'comma_expression');
    assert.equal(loop.childForFieldName('body')?.type, 'expression_statement');
  });

  it('keeps a single `if` as the loop body', () => {
    const source = 'void f(void)\n{\n    for_each_vcpu ( d, v )\n        if ( v->busy )\n            kick(v);\n}\n';
    const tree = parseC(normalizeC(source, { dialect: 'xen' }).text);
    const [loop] = whileStatements(tree.rootNode);
    assert.equal(loop?.childForFieldName('body')?.type, 'if_statement');
  });

  it('writes a bare `while` when the name is too short for the mark', () => {
    const { text } = normalizeC('void f(void) { for_each(x) g(x); }', { dialect: 'generic' });
    assert.equal(text, 'void f(void) { while   (x) g(x); }');
  });

  it('leaves a for_each call that ends with a semicolon alone', () => {
    const source = 'void f(void) { for_each_cpu_notify(x); }';
    assert.equal(normalizeC(source, { dialect: 'xen' }).text, source);
  });
});

describe('the other rewritten forms', () => {
  const norm = (s: string): string => normalizeC(s, { dialect: 'xen' }).text;

  it('blanks annotations to spaces', () => {
    assert.equal(norm('static int __init f(void);'), 'static int        f(void);');
  });

  it('replaces a type argument by 0 and typeof(x) by int', () => {
    assert.equal(norm('void f(void) { p = xzalloc(struct p2m_domain); }'), 'void f(void) { p = xzalloc(0                ); }');
    assert.equal(norm('void f(void) { typeof(x) y = x; }'), 'void f(void) { int       y = x; }');
  });

  it('replaces string macros by same-length literals', () => {
    assert.equal(norm('void f(void) { printk(KERN_ERR "x"); }'), 'void f(void) { printk("      " "x"); }');
  });

  it('blanks a file-scope declaration macro without a semicolon', () => {
    assert.equal(norm('custom_param("a", f)\nint g(void);'), '                    \nint g(void);');
  });

  it('keeps the first arm of an #ifdef inside a function and blanks the rest', () => {
    const source = 'void f(void) {\n#ifdef A\n a();\n#else\n b();\n#endif\n}';
    assert.equal(norm(source), 'void f(void) {\n        \n a();\n     \n     \n      \n}');
  });

  it('keeps a bare call statement at file scope, since a fragment of a body may start there', () => {
    const source = '    iommu_flush(d);\n    BUG_ON(rc);\n';
    assert.equal(norm(source), source);
  });

  it('rewrites iterators in a fragment that starts inside a body', () => {
    const { text } = normalizeC('    for_each_vcpu ( d, v )\n        kick(v);\n}\n', { dialect: 'xen', startsInside: true });
    assert.match(text, /^ {4}while\/\*I\*\/ +\( d, v \)/);
  });

  it('keeps only the first arm of a file-scope #ifdef whose arms each open a function body', () => {
    const source = '#ifdef X\nint f(int a)\n{\n#else\nint f(void)\n{\n    int a = 0;\n#endif\n    return a;\n}\n';
    const [health] = parseHealth(source, 'xen');
    assert.deepEqual({ clean: health?.clean, startLine: health?.startLine }, { clean: true, startLine: 2 });
    assert.doesNotMatch(norm(source), /void|#/);
  });

  it('blanks an #if 0 arm and keeps its #else', () => {
    const source = '#if 0\nint dead(void) { return 1; }\n#else\nint alive(void) { return 2; }\n#endif\n';
    assert.deepEqual(parseHealth(source, 'xen').map((h) => h.name), ['alive']);
  });

  it('keeps balanced #ifdef arms at file scope, each may hold a function', () => {
    const source = '#ifdef A\nint f(void) { return 1; }\n#else\nint f(void) { return 0; }\n#endif\n';
    assert.equal(norm(source), source);
  });
});
