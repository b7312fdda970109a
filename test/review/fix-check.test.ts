// A proven rewrite becomes a fix only if it reads like the file: style, indentation, sane text, no extra calls.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from '../../src/review/inspect.ts';
import { checkFix, controlHead, styleFor, styleOf } from '../../src/review/fix-check.ts';
import type { FunctionImage } from '../../src/c/types.ts';

const LINUX = `--- a/drivers/foo/bar.c
+++ b/drivers/foo/bar.c
@@ -1,8 +1,8 @@
 static int bar_open(struct bar_dev *fd)
 {
 \tint ret;
 
 \tif (fd->mode) {
-\t\tret = bar_reset(fd);
+\t\tret = bar_reset(fd, 1);
 \t}
 \treturn ret;
`;

const XEN = `--- a/xen/common/foo.c
+++ b/xen/common/foo.c
@@ -1,8 +1,8 @@
 static int foo_open(struct foo *f)
 {
     int rc;
 
     if ( f->mode )
-        rc = foo_reset(f);
+        rc = foo_reset(f, 1);
     return rc;
 }
`;

async function imageOf(patch: string): Promise<FunctionImage> {
  const { models } = await inspect(patch);
  return models[0]!.files[0]!.functions[0]!.post!;
}

/** Replace the whole visible line `line` with `text` (as an edit on the image's source and as a replacement). */
function replaceLine(image: FunctionImage, line: number, text: string) {
  const row = image.lineMap.indexOf(line);
  const rows = image.source.split('\n');
  const start = rows.slice(0, row).reduce((n, r) => n + r.length + 1, 0);
  return {
    edits: [{ start, end: start + rows[row]!.length, text }],
    replacements: [{ startLine: line, endLine: line, text }],
  };
}

describe('fix check', () => {
  it('reads the style of the code it rewrites', async () => {
    assert.deepEqual(styleOf(await imageOf(LINUX)), { indent: '\t', spaceInParens: false, braceOnOwnLine: false });
    const xen = styleOf(await imageOf(XEN));
    assert.equal(xen.indent, '    ');
    assert.equal(xen.spaceInParens, true);
    assert.equal(controlHead(xen, 'if', 'rc'), 'if ( rc )');
  });

  it('writes `if (x)` where nothing visible says how, unless the file is Xen code', async () => {
    // a function with no control statement in a path of no known dialect (an OP-TEE driver, say)
    const plain = `--- a/core/drivers/baz.c
+++ b/core/drivers/baz.c
@@ -1,5 +1,6 @@
 static int baz_start(struct baz *b)
 {
+\tbaz_clock(b);
 \treturn baz_go(b);
 }
`;
    const { models } = await inspect(plain);
    const file = models[0]!.files[0]!;
    assert.equal(controlHead(styleFor(file.functions[0]!.post!, file), 'if', 'ret'), 'if (ret)');
    const xenPlain = plain.replaceAll('core/drivers/baz.c', 'xen/common/baz.c');
    const xenFile = (await inspect(xenPlain)).models[0]!.files[0]!;
    assert.equal(controlHead(styleFor(xenFile.functions[0]!.post!, xenFile), 'if', 'rc'), 'if ( rc )');
  });

  it('accepts a rewrite written the way the file is written', async () => {
    const image = await imageOf(LINUX);
    const { edits, replacements } = replaceLine(image, 6, '\t\tret = bar_reset(fd, 2);');
    assert.equal(checkFix(image, edits, replacements), undefined);
  });

  it('refuses Xen spacing in Linux code, spaces in a tab-indented file, lost indentation and a dangling parenthesis', async () => {
    const image = await imageOf(LINUX);
    const cases: [string, RegExp][] = [
      ['\t\tif ( ret ) ret = bar_reset(fd, 2);', /writes `if \(x\)`/],
      ['        ret = bar_reset(fd, 2);', /indents with tabs/],
      ['ret = bar_reset(fd, 2);', /lost its indentation/],
      ['\t\tret = bar_reset(fd->strict) {', /parenthesis|brace/],
      ['\t\tif (1) ret = 1;', /tests a constant/],
    ];
    for (const [text, why] of cases) {
      const { edits, replacements } = replaceLine(image, 6, text);
      assert.match(checkFix(image, edits, replacements) ?? 'accepted', why, text);
    }
  });

  it('refuses a rewrite that calls a function more often than the code does', async () => {
    const image = await imageOf(XEN);
    const { edits, replacements } = replaceLine(image, 6, '        rc = foo_reset(f, 1) ? foo_reset(f, 1) : 0;');
    assert.match(checkFix(image, edits, replacements) ?? 'accepted', /call foo_reset\(\) more often/);
  });
});
