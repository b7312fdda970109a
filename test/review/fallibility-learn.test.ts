// The patch learner's edges: ambiguous member names, whole bodies that cannot fail, hunks that start inside a
// comment or a function, the learner's `outside` lookup, and pathological hunk positions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { review } from '../../src/default-review.ts';
import { parsePatchText } from '../../src/patch/index.ts';
import { learnFromPatch } from '../../src/knowledge/patch-learn.ts';
import { learn } from '../../src/knowledge/learn.ts';
import { scanFile } from '../../src/knowledge/scan.ts';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`../fixtures/evidence/${name}`, import.meta.url)), 'utf8');
const filesOf = (text: string): ReturnType<typeof parsePatchText>['patches'][number]['files'] => parsePatchText(text).patches.flatMap((p) => p.files);

async function droppedLines(name: string): Promise<number[]> {
  const r = await review(fixture(name));
  return r.findings.filter((f) => f.ruleId === 'error-handling/dropped-error').map((f) => f.line);
}

describe('patch learner: near misses', () => {
  it('a member name two structs declare with different return types is no evidence', async () => {
    assert.equal(learnFromPatch(filesOf(fixture('hook-ambiguous.patch'))).declaration('irqc_ops->cpu_init'), undefined);
    assert.deepEqual(await droppedLines('hook-ambiguous.patch'), []);
  });

  it('a status-typed function whose whole body the patch shows and which only returns success cannot fail', async () => {
    const k = learnFromPatch(filesOf(fixture('status-always-ok.patch')));
    assert.equal(k.declaration('blk_unlock')?.complete, true);
    assert.equal(k.fact('blk_unlock')?.convention, 'value');
    assert.deepEqual(await droppedLines('status-always-ok.patch'), []);
  });
});

describe('patch evidence: pointers', () => {
  it('a pointer function whose NULL is a default (a swap returning the old value) is no evidence for a bare call', async () => {
    // 'null' before 925c7d7; since the scanner reads the NULL initialiser overwritten under #if, 'value': neither is
    // a failure report a dropped result would lose.
    assert.ok(['null', 'value'].includes(learnFromPatch(filesOf(fixture('pointer-swap.patch'))).fact('swap_trace')?.convention ?? ''));
    assert.deepEqual(await droppedLines('pointer-swap.patch'), []);
  });
});

describe('patch learner: hunk shapes', () => {
  it('a hunk that starts inside a comment inside a function: the comment is not code, the body is learned', async () => {
    const k = learnFromPatch(filesOf(fixture('mid-comment.patch')));
    const fact = k.fact('pool_grow');
    assert.equal(fact?.convention, 'errno');
    assert.deepEqual(fact?.failValues, ['-ENOMEM']);
    assert.match(fact?.source ?? '', /xen\/common\/pool\.c:43/);
    assert.equal(k.declaration('pool_grow')?.kind, 'section-header');
    assert.deepEqual(await droppedLines('mid-comment.patch'), [51]);
  });

  it('a hunk far down a file keeps real line numbers without allocating the lines above it', () => {
    const patch = `--- a/x.c\n+++ b/x.c\n@@ -9000000,3 +9000000,4 @@ int far_away(void)\n {\n+\tif (!ready)\n+\t\treturn -EAGAIN;\n \treturn 0;\n }\n`;
    const k = learnFromPatch(filesOf(patch));
    assert.match(k.fact('far_away')?.source ?? '', /x\.c:9000002/);
  });

  it('only C files are read, and a deleted file teaches nothing', () => {
    const patch = `--- a/doc.txt\n+++ b/doc.txt\n@@ -1,1 +1,2 @@\n int f(void) { return -EINVAL; }\n+x\n--- a/gone.c\n+++ /dev/null\n@@ -1,3 +0,0 @@\n-int g(void)\n-{\n-\treturn -EIO;\n-}\n`;
    const k = learnFromPatch(filesOf(patch));
    assert.equal(k.fact('f'), undefined);
    assert.equal(k.fact('g'), undefined);
  });
});

describe('learn(): the outside lookup', () => {
  it('a body that returns a callee the files do not define takes the convention the lookup gives', () => {
    const files = new Map([['a.c', scanFile('int wrap(int x)\n{\n\treturn backend_op(x);\n}\n')]]);
    assert.notEqual(learn(files).get('wrap')?.convention, 'errno');
    const fact = learn(files, { outside: (n) => (n === 'backend_op' ? { name: n, convention: 'errno', failValues: ['-EIO'], source: 'test' } : undefined) }).get('wrap');
    assert.equal(fact?.convention, 'errno');
    assert.deepEqual(fact?.failValues, ['-EIO']);
    assert.match(fact?.source ?? '', /through backend_op\(\)/);
  });
});
