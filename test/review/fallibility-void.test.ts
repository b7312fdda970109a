// A check the patch removes is evidence that the old code thought the callee could fail, unless the same patch
// declares the callee void: then the check went with the old type (Fallibility.reasons).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from '../../src/review/inspect.ts';
import { buildFallibility } from '../../src/review/fallibility.ts';

const patch = (newType: string): string => `--- a/xen/common/widget.c
+++ b/xen/common/widget.c
@@ -10,18 +10,16 @@ struct widget;
 
-static int widget_flush(struct widget *w)
+static ${newType} widget_flush(struct widget *w)
 {
-    if ( !w->dirty )
-        return 0;
-    w->dirty = 0;
-    return 0;
+    if ( w->dirty )
+        w->dirty = 0;
 }
 
 static int widget_close(struct widget *w)
 {
-    if ( widget_flush(w) )
-        return -EIO;
+    widget_flush(w);
     w->open = 0;
     return 0;
 }
`;

async function reasons(newType: string) {
  const { set, models } = await inspect(patch(newType));
  const model = models[0]!;
  const images = model.files.flatMap((file) =>
    file.functions.flatMap((fn) => [fn.pre, fn.post].flatMap((image) =>
      image ? [{ image, added: new Set(fn.addedLines), removed: new Set(fn.removedLines), file: file.path }] : [])),
  );
  return buildFallibility(model, images, undefined, set.patches[0]).reasons('widget_flush');
}

describe('a check the patch removes', () => {
  it('is no evidence when the same patch makes the callee void', async () => {
    assert.deepEqual(await reasons('void'), []);
  });

  it('near miss: still evidence when the callee keeps its int', async () => {
    const r = await reasons('int');
    assert.ok(r.some((x) => x.kind === 'checked-in-patch' && /removes/.test(x.text)), JSON.stringify(r));
  });
});
