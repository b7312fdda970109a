// Tree mode on a quoted patch that elides part of a hunk: the elided part stays unknown (a gap),
// as in fragment mode, instead of being filled with the tree's old lines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCModel } from '../../src/c/index.ts';
import { parsePatchText } from '../../src/patch/index.ts';

// Written for this test: a void shutdown hook that a patch turns into an int one.
const source = `#include "hooks.h"

static int count;

void hooks_stop(void)
{
    const struct hooks *h = hooks_get();
    if ( hooks_on )
        h->stop();
    hooks_on = hooks_mask = 0;
}

int hooks_count(void)
{
    return count;
}
`;

// The reviewer quotes the hunk up to the part they comment on and elides the rest (header
// counts 9 old and 16 new lines; the quote shows 6 and 11).
const reply = `On Mon, 1 Jan 2024, A Developer wrote:
> diff --git a/src/hooks.c b/src/hooks.c
> index 1111111..2222222 100644
> --- a/src/hooks.c
> +++ b/src/hooks.c
> @@ -3,9 +3,16 @@
>  static int count;
>
> -void hooks_stop(void)
> +int hooks_stop(void)
>  {
>      const struct hooks *h = hooks_get();
> +    int rc;
> +
>      if ( hooks_on )
> -        h->stop();
> +    {
> +        rc = h->stop();
> +        if ( rc )
> +            return rc;
> +    }
Why keep rc here?
[...]
`;

// The same quote with the elision inside the hunk: the part after it is quoted again.
const replyMiddle = `On Mon, 1 Jan 2024, A Developer wrote:
> diff --git a/src/hooks.c b/src/hooks.c
> index 1111111..2222222 100644
> --- a/src/hooks.c
> +++ b/src/hooks.c
> @@ -5,7 +5,13 @@
> -void hooks_stop(void)
> +int hooks_stop(void)
>  {
[...]
> +        rc = h->stop();
> +        if ( rc )
> +            return rc;
> +    }
>      hooks_on = hooks_mask = 0;
> +    return 0;
>  }
`;

let tree = '';
before(() => {
  tree = mkdtempSync(join(tmpdir(), 'pr-tree-elision-'));
  mkdirSync(join(tree, 'src'));
  writeFileSync(join(tree, 'src', 'hooks.c'), source);
});
after(() => {
  if (tree) rmSync(tree, { recursive: true, force: true });
});

const modelOf = (text: string, options: { tree?: string }) => {
  const set = parsePatchText(text);
  assert.equal(set.patches.length, 1);
  return buildCModel(set.patches[0]!, options);
};

test('an elided hunk tail stays unknown in tree mode: the tree\'s old lines do not fill it', () => {
  const model = modelOf(reply, { tree });
  const file = model.files[0]!;
  assert.equal(file.mode, 'tree');
  const fn = file.functions.find((f) => f.name === 'hooks_stop');
  assert.ok(fn, 'hooks_stop is touched');
  const post = fn.post!;
  assert.ok(post.health.clean, JSON.stringify(post.health));
  assert.equal(post.isFragment, true);
  assert.ok(post.gaps.length > 0, 'a gap stands for the elided tail');
  // The old tail (`hooks_on = hooks_mask = 0;` and the closing brace) may have been rewritten by the
  // elided lines: it is not part of the post image.
  assert.ok(!post.rawLines.some((r) => r.includes('hooks_mask')), post.rawLines.join('\n'));
  assert.ok(post.rawLines.some((r) => r.includes('rc = h->stop();')));
  // The pre image is the tree's, whole.
  assert.equal(fn.pre!.isFragment, false);
  assert.ok(fn.pre!.rawLines.some((r) => r.includes('hooks_mask')));
  // The next function resumes after the hunk's end, at file scope, and is untouched.
  assert.deepEqual(file.functions.map((f) => f.name), ['hooks_stop']);
});

test('the same quote in fragment mode has the same unknown tail', () => {
  const model = modelOf(reply, {});
  const post = model.files[0]!.functions.find((f) => f.name === 'hooks_stop')!.post!;
  assert.equal(post.isFragment, true);
  assert.ok(post.gaps.length > 0);
  assert.ok(!post.rawLines.some((r) => r.includes('hooks_mask')));
});

test('an elision inside a hunk is a gap in tree mode; the text quoted after it is kept', () => {
  const model = modelOf(replyMiddle, { tree });
  const file = model.files[0]!;
  assert.equal(file.mode, 'tree');
  const post = file.functions.find((f) => f.name === 'hooks_stop')!.post!;
  assert.ok(post.health.clean, JSON.stringify(post.health));
  assert.equal(post.isFragment, true);
  assert.ok(post.gaps.some((g) => g.reason === 'elision'), JSON.stringify(post.gaps));
  // The tree's `if ( hooks_on ) h->stop();` sits in the elided part: not used.
  assert.ok(!post.rawLines.some((r) => /^\s*h->stop\(\);/.test(r)), post.rawLines.join('\n'));
  assert.ok(post.rawLines.some((r) => r.includes('return 0;')));
});

test('a complete patch in tree mode has no gaps', () => {
  const complete = `diff --git a/src/hooks.c b/src/hooks.c
index 1111111..2222222 100644
--- a/src/hooks.c
+++ b/src/hooks.c
@@ -8,5 +8,6 @@ void hooks_stop(void)
     if ( hooks_on )
         h->stop();
     hooks_on = hooks_mask = 0;
+    hooks_log();
 }
 
`;
  const file = modelOf(complete, { tree }).files[0]!;
  assert.equal(file.mode, 'tree');
  const post = file.functions[0]!.post!;
  assert.equal(post.isFragment, false);
  assert.deepEqual(post.gaps, []);
  assert.ok(post.rawLines.some((r) => r.includes('hooks_mask')));
});
