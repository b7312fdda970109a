// The patch learner reads what a comment right above a function's head says the function returns on failure
// (PatchKnowledge.documented): which sentences count, which do not, and how a comment a hunk ends with is joined
// to the function the next hunk's header names.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePatchText } from '../../src/patch/index.ts';
import { learnFromPatch } from '../../src/knowledge/patch-learn.ts';

const filesOf = (text: string): ReturnType<typeof parsePatchText>['patches'][number]['files'] => parsePatchText(text).patches.flatMap((p) => p.files);

/** A patch whose first hunk shows `comment` right above `head`, then adds a caller. */
function above(comment: string, head: string): string {
  const rows = [' ', ...comment.split('\n').map((r) => ` ${r}`), ` ${head}`, ' {'];
  return `--- a/core/lib/thing.c
+++ b/core/lib/thing.c
@@ -20,${rows.length} +20,${rows.length} @@ static int thing_count;
${rows.join('\n')}
@@ -60,3 +60,5 @@ int thing_user(void)
 {
+	thing_touch();
+
 	return 0;
`;
}

const documented = (patch: string, name: string): ReturnType<ReturnType<typeof learnFromPatch>['documented']> => learnFromPatch(filesOf(patch)).documented(name);

describe('patch learner: documented failures', () => {
  it('a pointer function whose comment says it returns NULL when nothing is found', () => {
    const d = documented(above('/*\n * Finds the thing for @id.\n * Returns the thing, or NULL if none is registered.\n */', 'static struct thing *thing_find(int id)'), 'thing_find');
    assert.equal(d?.convention, 'null');
    assert.equal(d?.returnType, 'struct thing *');
    assert.equal(d?.line, 24);
    assert.match(d?.quote ?? '', /or NULL if none/);
  });

  it('"NULL otherwise." as a sentence of its own, quoted with the sentence before it', () => {
    const d = documented(above('/*\n * Given an index returns the address of the slot.\n * NULL otherwise.\n */', 'static void *slot_va(unsigned int i)'), 'slot_va');
    assert.equal(d?.convention, 'null');
    assert.equal(d?.quote, 'Given an index returns the address of the slot. NULL otherwise.');
  });

  it('an integer function whose comment names an errno it returns', () => {
    const d = documented(above('/*\n * Return: 0 on success, -ENOMEM when the pool is empty.\n */', 'int thing_add(struct thing *t)'), 'thing_add');
    assert.equal(d?.convention, 'errno');
  });

  it('a comment the hunk ends inside documents the function the next hunk header names, when that hunk starts inside it', () => {
    const patch = `--- a/core/lib/slot.c
+++ b/core/lib/slot.c
@@ -10,6 +10,7 @@ static void slot_reset(void)
 	used = 0;
 }
 
+/* the slots */
 /*
  * Given an index returns the address of the slot.
  * NULL otherwise.
@@ -30,3 +31,4 @@ static void *slot_va(unsigned int i)
 	return base + i;
 }
 
+int slot_dummy;
`;
    assert.equal(documented(patch, 'slot_va')?.convention, 'null');
  });

  it('near misses: a parameter that may be NULL, a denial, a count, a void or unsigned function', () => {
    assert.equal(documented(above('/*\n * @item: the item (the returned slot stays zeroed when it is NULL)\n *\n * Returns the slot.\n */', 'void *slot_put(const void *item)'), 'slot_put'), undefined);
    assert.equal(documented(above('/*\n * Returns the slot; it never returns NULL.\n */', 'void *slot_get(unsigned int i)'), 'slot_get'), undefined);
    assert.equal(documented(above('/*\n * Returns the number of things added.\n */', 'int thing_add_all(void)'), 'thing_add_all'), undefined);
    assert.equal(documented(above('/*\n * Returns -EINVAL on a bad id.\n */', 'unsigned int thing_id(int id)'), 'thing_id'), undefined);
    assert.equal(documented(above('/*\n * Returns non-zero on failure.\n */', 'void thing_reset(void)'), 'thing_reset'), undefined);
  });

  it('"non-zero on failure" above an int function is an error report, not a denial', () => {
    assert.equal(documented(above('/*\n * Returns 0 on success, non-zero on failure.\n */', 'int thing_sync(void)'), 'thing_sync')?.convention, 'errno');
  });

  it('a comment with code after its close, or too far above the next hunk, documents nothing', () => {
    const far = `--- a/core/lib/slot.c
+++ b/core/lib/slot.c
@@ -10,3 +10,4 @@ static void slot_reset(void)
+/* the slots */
 /*
  * Returns the address of the slot, NULL otherwise.
  */
@@ -90,3 +91,4 @@ static void *slot_va(unsigned int i)
 	return base + i;
 }
 
+int slot_dummy;
`;
    assert.equal(documented(far, 'slot_va'), undefined);
  });
});
