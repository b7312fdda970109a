// An all-caps function-like macro computes a value (a field extractor, an attribute constructor): the patch testing
// that value (`== STATE_ON`, `== DT_UNKNOWN`) asks what it is, not whether something failed. Shape of TF-A
// 9527667d5b5e (`FIELD_GET(MASK, reg) == state`) and 6f7f8b18e964 (`type = CNF_GET_DEV_TYPE(reg); if (type == UNKNOWN)`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from '../../src/review/inspect.ts';
import { buildFallibility } from '../../src/review/fallibility.ts';

const patch = (getter: string): string => `--- a/drivers/gizmo/gizmo_psc.c
+++ b/drivers/gizmo/gizmo_psc.c
@@ -10,3 +10,17 @@ struct gizmo_psc;
 
 static int gizmo_debug;
 
+static int gizmo_psc_ready(uint32_t st, uint32_t want)
+{
+	if (${getter}(GIZMO_STATE_MASK, st) == want)
+		return 0;
+	return -EBUSY;
+}
+
+static int gizmo_dev_type(uint32_t reg)
+{
+	if (${getter}(GIZMO_TYPE_MASK, reg) == GIZMO_DT_UNKNOWN)
+		return -ENXIO;
+	return 0;
+}
+
`;

async function reasons(getter: string) {
  const { set, models } = await inspect(patch(getter));
  const model = models[0]!;
  const images = model.files.flatMap((file) =>
    file.functions.flatMap((fn) => [fn.pre, fn.post].flatMap((image) =>
      image ? [{ image, added: new Set(fn.addedLines), removed: new Set(fn.removedLines), file: file.path }] : [])),
  );
  return buildFallibility(model, images, undefined, set.patches[0]).reasons(getter);
}

describe('a value the patch tests', () => {
  it('is no failure evidence for an all-caps value macro', async () => {
    assert.deepEqual(await reasons('GIZMO_FIELD'), []);
  });

  it('near miss: still evidence for a function', async () => {
    const r = await reasons('gizmo_field');
    assert.ok(r.some((x) => x.kind === 'checked-in-patch'), JSON.stringify(r));
  });
});
