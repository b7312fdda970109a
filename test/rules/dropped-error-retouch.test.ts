// dropped-error's policy for a call the patch only retouches (the function dropped it before): flagged where the
// project's callers check the callee. The count of those callers is the knowledge base's, also when the patch itself
// shows how the callee fails (a hunk header naming its head with a status type): that convention has no count.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import rule from '../../rules/error-handling/dropped-error.ts';
import { reviewWithRules } from '../../src/review/engine.ts';

const PATCH = `--- a/core/kernel/gizmo.c
+++ b/core/kernel/gizmo.c
@@ -7,11 +7,12 @@ TEE_Result gizmo_tune(struct gizmo *g, uint32_t mode)
 	return TEE_SUCCESS;
 }
 
 TEE_Result gizmo_attach(struct gizmo *g, uint32_t mode, bool tune)
 {
 	g->mode = mode;
-	gizmo_tune(g, mode);
+	if (tune)
+		gizmo_tune(g, mode);
 	g->next = gizmo_list;
 	gizmo_list = g;
 
 	return TEE_SUCCESS;
`;

/** A saved knowledge base holding one fact about gizmo_tune(): its callers' counts. */
function kbWith(callers: { tested: number; dropped: number }): { file: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pr-retouch-'));
  const file = join(dir, 'kb.json');
  const fact = {
    name: 'gizmo_tune',
    returnType: 'TEE_Result',
    convention: 'errno',
    failValues: ['TEE_ERROR_NOT_IMPLEMENTED'],
    source: 'returns TEE_ERROR_NOT_IMPLEMENTED, core/kernel/gizmo.c:6',
    callers: { ...callers, used: 0 },
  };
  writeFileSync(file, JSON.stringify({ format: 'patch-review-knowledge', version: 1, origin: { tree: dir }, stats: {}, facts: [fact] }));
  return { file, done: () => rmSync(dir, { recursive: true, force: true }) };
}

async function findings(kb: string): Promise<string[]> {
  const r = await reviewWithRules(PATCH, [rule], { kb });
  return r.findings.map((f) => `${f.line} ${f.messageId} ${f.verdict}`);
}

describe('dropped-error: a retouched dropped call', () => {
  it('is flagged when the knowledge base counts the callers testing it, though the patch\'s hunk header gives the convention', async () => {
    const kb = kbWith({ tested: 5, dropped: 0 });
    try {
      assert.deepEqual(await findings(kb.file), ['14 dropped verified']);
    } finally {
      kb.done();
    }
  });
  it('is not flagged when the callers drop it too often', async () => {
    const kb = kbWith({ tested: 2, dropped: 2 });
    try {
      assert.deepEqual(await findings(kb.file), []);
    } finally {
      kb.done();
    }
  });
});
