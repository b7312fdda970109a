// What the patch's own code says about a callee's pointer result: the call sites that test it for NULL right
// after the call and the ones that dereference it untested (Fallibility.nullTests), the evidence unchecked-use
// falls back on when the knowledge layer knows nothing of the callee.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from '../../src/review/inspect.ts';
import { buildFallibility, testsForNull } from '../../src/review/fallibility.ts';
import { parseC } from '../../src/c/parser.ts';
import { descendants } from '../../src/review/ast.ts';

const PATCH = `--- a/xen/common/wibble.c
+++ b/xen/common/wibble.c
@@ -10,3 +10,30 @@ struct wibble;
 
 static int wibble_a(struct wibble_img *img)
 {
+    const struct wibble_sec *sec = wibble_sec(img, 1);
+
+    if ( sec == NULL )
+        return -ENOENT;
+    return sec->size;
+}
+
+static int wibble_b(struct wibble_img *img)
+{
+    struct wibble_sec *sec;
+
+    if ( (sec = (struct wibble_sec *)wibble_sec(img, 2)) == NULL )
+        return -ENOENT;
+    return sec->size;
+}
+
+static int wibble_c(struct wibble_img *img)
+{
+    struct wibble_sec *sec;
+
+    sec = (struct wibble_sec *)wibble_sec(img, 3);
+    img->size = sec->size;
+    if ( !wibble_sec(img, 4) )
+        return -ENOENT;
+    return wibble_other(img)->size;
+}
`;

async function fallibility() {
  const { set, models } = await inspect(PATCH);
  const model = models[0]!;
  const images = model.files.flatMap((file) =>
    file.functions.flatMap((fn) => (fn.post ? [{ image: fn.post, added: new Set(fn.addedLines), file: file.path }] : [])),
  );
  return buildFallibility(model, images, undefined, set.patches[0]);
}

describe('the patch tests a callee pointer for NULL', () => {
  it('counts the sites that test the result next (declaration, assignment in the condition, `!f()`) and the one dereferencing it', async () => {
    const f = await fallibility();
    const seen = f.nullTests('wibble_sec');
    assert.deepEqual(seen.tested.map((t) => t.line), [13, 24, 35]);
    assert.deepEqual(seen.untested.map((t) => t.line), [33]);
  });

  it('a callee whose result is only dereferenced has no tested site', async () => {
    const f = await fallibility();
    assert.deepEqual(f.nullTests('wibble_other'), { tested: [], untested: [{ file: 'xen/common/wibble.c', line: 37 }] });
  });

  it('knows a NULL test from a test of something else', () => {
    const cond = (text: string) => [...descendants(parseC(`void f(void) { if ( ${text} ) g(); }`).rootNode, 'if_statement')][0]!.childForFieldName('condition');
    for (const yes of ['!p', 'p', 'p == NULL', 'NULL != p', 'n && !p', '(p)']) assert.ok(testsForNull(cond(yes), 'p'), yes);
    for (const no of ['p->x', 'p < 0', 'q', 'p == q', 'IS_ERR(p)']) assert.ok(!testsForNull(cond(no), 'p'), no);
  });
});
