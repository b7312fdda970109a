import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildKnowledge,
  clearKnowledgeMemo,
  configKnowledge,
  knowledgeFor,
  KnowledgeError,
  loadKnowledge,
  saveKnowledge,
  scanFile,
} from '../../src/knowledge/index.ts';
import { review } from '../../src/default-review.ts';

// A small project written for the test: one function per convention, and callers that test them.
const FILES: Record<string, string> = {
  'include/store.h': `#ifndef STORE_H
#define STORE_H
struct store;
struct item;
int __must_check store_scan(struct store *s, unsigned int n);
int store_fill(struct store *s);
struct item *item_lookup(struct store *s, int id);
struct item *item_create(struct store *s);
int item_grab(struct item *it);
unsigned long raw_copy_in(void *dst, const void *src, unsigned long n);
#define copy_in(dst, src, n) raw_copy_in(dst, src, n)
unsigned int level_clamp(unsigned int level);
int name_width(const char *name);
#endif
`,
  'src/store.c': `#include "store.h"

/* Scans the store: fails when it is empty or out of memory. */
int store_scan(struct store *s, unsigned int n)
{
    if ( !s )
        return -EINVAL;
    if ( n > s->max )
        return -ENOMEM;
    return 0;
}

int store_fill(struct store *s)
{
    int rc;

    rc = store_scan(s, 4);
    if ( rc )
        goto out;
    rc = -EBUSY;
    if ( s->busy )
        goto out;
    rc = 0;
 out:
    return rc;
}

struct item *item_lookup(struct store *s, int id)
{
    if ( id < 0 || id >= s->max )
        return NULL;
    return &s->items[id];
}

struct item *item_create(struct store *s)
{
    struct item *it = alloc_item(s);

    if ( !it )
        return ERR_PTR(-ENOMEM);
    return it;
}

int item_grab(struct item *it)
{
    if ( it->refs == 0 )
        return 0;
    it->refs++;
    return 1;
}

unsigned long raw_copy_in(void *dst, const void *src, unsigned long n)
{
    return arch_copy(dst, src, n);
}

unsigned int level_clamp(unsigned int level)
{
    return level > 7 ? 7 : level;
}

int name_width(const char *name)
{
    return strlen(name) + 2;
}
`,
  'src/user.c': `#include "store.h"

static int user_open(struct store *s, struct item **out)
{
    struct item *it;
    int rc = store_fill(s);

    if ( rc < 0 )
        return rc;
    it = item_lookup(s, 3);
    if ( !it )
        return -ENOENT;
    if ( !item_grab(it) )
        return -EBUSY;
    if ( copy_in(&s->hdr, s->src, 8) )
        return -EFAULT;
    *out = it;
    return 0;
}

static int user_load(struct store *s)
{
    struct item *it = item_create(s);

    if ( IS_ERR(it) )
        return PTR_ERR(it);
    if ( !item_grab(it) )
        goto fail;
    if ( copy_in(&s->hdr, s->src, 16) )
        goto fail;
    s->level = level_clamp(s->level);
    return name_width(s->name);
 fail:
    return -EFAULT;
}
`,
};

function writeTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pr-kb-tree-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function withTree(fn: (dir: string, cacheDir: string) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const dir = writeTree();
    const cacheDir = mkdtempSync(join(tmpdir(), 'pr-kb-cache-'));
    clearKnowledgeMemo();
    try {
      await fn(dir, cacheDir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(cacheDir, { recursive: true, force: true });
    }
  };
}

test(
  'an index learns each convention from bodies and callers',
  withTree((dir, cacheDir) => {
    const kb = buildKnowledge(dir, { cacheDir });
    const scan = kb.lookup('store_scan')!;
    assert.equal(scan.convention, 'errno');
    assert.deepEqual(scan.failValues, ['-EINVAL', '-ENOMEM']);
    assert.equal(scan.mustCheck, true);
    assert.match(scan.source, /src\/store\.c:7/);

    // propagated from store_scan() through rc, plus its own -EBUSY
    const fill = kb.lookup('store_fill')!;
    assert.equal(fill.convention, 'errno');
    assert.deepEqual(fill.failValues, ['-EBUSY', '-EINVAL', '-ENOMEM']);

    assert.equal(kb.lookup('item_lookup')!.convention, 'null');
    assert.deepEqual(kb.lookup('item_lookup')!.failValues, ['NULL']);
    assert.equal(kb.lookup('item_create')!.convention, 'err-ptr');
    assert.deepEqual(kb.lookup('item_create')!.failValues, ['ERR_PTR(-ENOMEM)']);

    const grab = kb.lookup('item_grab')!;
    assert.equal(grab.convention, 'bool-success');
    assert.match(grab.source, /2 callers treat 0 as failure/);

    // a macro wrapper whose callers treat non-zero as failure, declared like the function it wraps
    const copy = kb.lookup('copy_in')!;
    assert.equal(copy.convention, 'count');
    assert.equal(copy.returnType, 'unsigned long');

    // declared int (or unsigned) is not evidence: these return plain values
    assert.equal(kb.lookup('level_clamp')!.convention, 'value');
    assert.equal(kb.lookup('name_width')!.convention, 'value');
    // user_load() returns PTR_ERR(), -EFAULT and name_width()'s value: errno
    assert.equal(kb.lookup('user_load')!.convention, 'errno');
    assert.equal(kb.stats!.scanned, 3);
  }),
);

test(
  'a second build reads only the files that changed',
  withTree((dir, cacheDir) => {
    const first = buildKnowledge(dir, { cacheDir });
    const again = buildKnowledge(dir, { cacheDir });
    assert.equal(again.stats!.scanned, 0);
    assert.equal(again.stats!.files, 3);
    assert.deepEqual(again.facts(), first.facts());

    // level_clamp() learns to fail; only src/store.c is read again
    const store = join(dir, 'src/store.c');
    writeFileSync(store, readFileSync(store, 'utf8').replace('return level > 7 ? 7 : level;', 'if ( level > 7 )\n        return -ERANGE;\n    return level;'));
    const changed = buildKnowledge(dir, { cacheDir });
    assert.equal(changed.stats!.scanned, 1);
    assert.equal(changed.lookup('level_clamp')!.convention, 'errno');
    assert.deepEqual(changed.lookup('level_clamp')!.failValues, ['-ERANGE']);

    // a file removed takes its facts with it; nothing else is read again
    rmSync(join(dir, 'src/user.c'));
    const fewer = buildKnowledge(dir, { cacheDir });
    assert.equal(fewer.stats!.scanned, 0);
    assert.equal(fewer.stats!.files, 2);
    assert.equal(fewer.lookup('user_load'), undefined);
    assert.equal(fewer.lookup('item_grab')!.convention, 'value'); // its callers went with user.c
  }),
);

test(
  'a saved knowledge base loads back with the same facts',
  withTree((dir, cacheDir) => {
    const kb = buildKnowledge(dir, { cacheDir });
    const file = join(cacheDir, 'store.kb.json');
    saveKnowledge(kb, file);
    const back = loadKnowledge(file);
    assert.deepEqual(back.facts(), kb.facts());
    assert.equal(back.origin.file, file);
    assert.equal(back.origin.tree, kb.origin.tree);
  }),
);

test('loading something that is not a knowledge base says what is wrong', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pr-kb-bad-'));
  try {
    assert.throws(() => loadKnowledge(join(dir, 'missing.json')), (e: unknown) => e instanceof KnowledgeError && /no such file/.test(e.message));
    writeFileSync(join(dir, 'x.json'), '{"format":"other"}');
    assert.throws(() => loadKnowledge(join(dir, 'x.json')), /not a knowledge base/);
    writeFileSync(join(dir, 'y.json'), '{"format":"patch-review-knowledge","version":1,"origin":{},"facts":[{"name":"f","convention":"sometimes","source":"x"}]}');
    assert.throws(() => loadKnowledge(join(dir, 'y.json')), /fact 1 is malformed/);
    assert.throws(() => buildKnowledge(join(dir, 'nope')), KnowledgeError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('project config comes first, then the tree, then the built-in API data', () => {
  const kb = knowledgeFor({ apis: { fallible: [{ name: 'snprintf', convention: 'errno', note: 'our wrapper' }], infallible: ['get_page'] } });
  assert.equal(kb.lookup('snprintf')!.convention, 'errno');
  assert.match(kb.lookup('snprintf')!.source, /project config: our wrapper/);
  assert.equal(kb.lookup('get_page')!.convention, 'value');
  assert.equal(kb.lookup('get_page_type')!.convention, 'bool-success');
  assert.equal(kb.lookup('strcmp')!.convention, 'value');
  assert.throws(() => configKnowledge({ fallible: [{ name: 'f', convention: 'maybe' }] }), /unknown failure convention 'maybe'/);
});

test('the scan reads one configuration of #if arms and keeps line numbers', () => {
  const scanned = scanFile(`#if 0
int dead(void) { return -EIO; }
#else
int live(void)
{
    return -ENODEV;
}
#endif
#ifdef CONFIG_X
int both(void) { return -EPERM; }
#else
static inline int both(void) { return 0; }
#endif
/* int commented(void) { return -EIO; } */
const char *s = "int quoted(void) { return -EIO; }";
`);
  assert.deepEqual(
    scanned.functions.map((f) => [f.name, f.line, f.returns]),
    [
      ['live', 4, [{ k: 'errno', v: '-ENODEV' }]],
      ['both', 10, [{ k: 'errno', v: '-EPERM' }]],
    ],
  );
});

const DROPPED_PATCH = `--- a/src/user.c
+++ b/src/user.c
@@ -20,6 +20,9 @@ static int user_open(struct store *s, struct item **out)
 static int user_load(struct store *s)
 {
     struct item *it = item_create(s);
 
+    store_scan(s, 2);
+    name_width(s->name);
+    item_grab(it);
     if ( IS_ERR(it) )
         return PTR_ERR(it);
`;

test(
  'with a saved knowledge base the review flags a dropped fallible call and not a plain-value one',
  withTree(async (dir, cacheDir) => {
    const file = join(cacheDir, 'store.kb.json');
    saveKnowledge(buildKnowledge(dir, { cacheDir }), file);
    const withKb = await review(DROPPED_PATCH, { kb: file, rules: ['error-handling/dropped-error'] });
    assert.deepEqual(
      withKb.findings.map((f) => [f.line, f.snippet]),
      [
        [24, 'store_scan(s, 2);'],
        [26, 'item_grab(it);'],
      ],
    );
    const [scan, grab] = withKb.findings;
    const relied = scan!.evidence.reliedOn.join('\n');
    assert.match(relied, /store_scan\(\) returns a negative errno on failure \(-EINVAL, -ENOMEM\)/);
    assert.match(relied, /src\/store\.c:7/);
    // the witness fails the callee the way it really fails, not with a default errno
    assert.match(scan!.evidence.story, /^when store_scan\(\) returns -EINVAL, /);
    assert.match(grab!.evidence.story, /^when item_grab\(\) returns 0, /);
    assert.match(grab!.evidence.reliedOn.join('\n'), /item_grab\(\) returns non-zero on success and 0 on failure/);
    // without the knowledge base the patch alone says nothing about store_scan()
    const without = await review(DROPPED_PATCH, { rules: ['error-handling/dropped-error'] });
    assert.deepEqual(without.findings, []);
  }),
);

test(
  'in tree mode a declared int that the index knows to be a plain value is not flagged',
  withTree(async (dir, cacheDir) => {
    const patch = DROPPED_PATCH.replace('@@ -20,6 +20,9 @@', '@@ -21,6 +21,9 @@');
    const options = { tree: dir, rules: ['error-handling/dropped-error'] };
    process.env.XDG_CACHE_HOME = cacheDir;
    try {
      const r = await review(patch, options);
      assert.deepEqual(
        r.findings.map((f) => [f.line, f.snippet]),
        [
          [25, 'store_scan(s, 2);'],
          [27, 'item_grab(it);'],
        ],
      );
    } finally {
      delete process.env.XDG_CACHE_HOME;
    }
  }),
);

test('a check the patch deletes is evidence that the call can fail', async () => {
  const patch = `--- a/src/dev.c
+++ b/src/dev.c
@@ -10,8 +10,7 @@ static int dev_start(struct dev *d)
 {
     dev_power(d);
-    if ( dev_reset(d) )
-        return -EIO;
+    dev_reset(d);
     d->state = 1;
     return 0;
 }
`;
  const r = await review(patch, { rules: ['error-handling/dropped-error'] });
  assert.deepEqual(
    r.findings.map((f) => [f.line, f.snippet]),
    [[12, 'dev_reset(d);']],
  );
  assert.match(r.findings[0]!.evidence.reliedOn.join('\n'), /the code this patch removes checked the result of dev_reset\(\) \(old src\/dev\.c:12\)/);
});

test(
  "another checkout of the same code reuses the scans by content hash",
  withTree((dir, cacheDir) => {
    buildKnowledge(dir, { cacheDir });
    const other = writeTree();
    try {
      writeFileSync(join(other, 'src/extra.c'), 'int extra_probe(void)\n{\n    return -ENODEV;\n}\n');
      const kb = buildKnowledge(other, { cacheDir });
      assert.equal(kb.stats!.files, 4);
      assert.equal(kb.stats!.scanned, 1);
      assert.deepEqual(kb.lookup('extra_probe')!.failValues, ['-ENODEV']);
      assert.equal(kb.lookup('store_scan')!.convention, 'errno');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }),
);

test('saving where it cannot be written says so', () => {
  const kb = configKnowledge({ infallible: ['f'] });
  assert.throws(() => saveKnowledge(kb, join(tmpdir(), 'pr-kb-no-such-dir', 'x.json')), /cannot write knowledge base .*: no such directory/);
});
