import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCModel } from '../../src/c/index.ts';
import { declarationIndex } from '../../src/c/declarations.ts';
import { diffToPatch } from './helpers.ts';

const header = `#ifndef DEV_H
#define DEV_H
struct dev;
int __must_check dev_flush(struct dev *d);
void dev_reset(struct dev *d);
extern int __attribute__((warn_unused_result)) dev_map(struct dev *d,
                                                      unsigned long pfn);
#endif
`;

const source = `#include "dev.h"

static int helper(struct dev *d)
{
    return 0;
}

int run(struct dev *d, int n)
{
    int i;
    int rc = 0;

    for ( i = 0; i < n; i++ )
    {
        helper(d);
    }

    dev_flush(d);
    dev_reset(d);

    return rc;
}

void tail(void)
{
}
`;

const changed = source.replace('    dev_flush(d);\n', '    rc = dev_flush(d);\n    if ( rc )\n        return rc;\n');

let repo = '';
let patchText = '';
const git = (...args: string[]): string => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' });

before(() => {
  repo = mkdtempSync(join(tmpdir(), 'pr-tree-'));
  mkdirSync(join(repo, 'include'));
  mkdirSync(join(repo, 'src'));
  writeFileSync(join(repo, 'include', 'dev.h'), header);
  writeFileSync(join(repo, 'src', 'dev.c'), source);
  git('init', '-q');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-q', '-m', 'v1');
  writeFileSync(join(repo, 'src', 'dev.c'), changed);
  patchText = git('diff', '--full-index');
  git('checkout', '-q', '--', 'src/dev.c');
});

after(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

test('tree mode gives whole functions before and after, without gaps', () => {
  const model = buildCModel(diffToPatch(patchText), { tree: repo });
  const file = model.files[0]!;
  assert.equal(file.mode, 'tree');
  assert.equal(file.treeSource, 'path');
  assert.deepEqual(file.functions.map((f) => f.name), ['run']);
  const fn = file.functions[0]!;
  assert.equal(fn.mode, 'tree');
  for (const image of [fn.pre!, fn.post!]) {
    assert.equal(image.isFragment, false);
    assert.equal(image.startsInside, false);
    assert.deepEqual(image.gaps, []);
    assert.ok(image.health.clean);
    assert.equal(image.returnType, 'int');
    assert.equal(image.lineMap[0], 8);
    assert.ok(image.lineMap.every((l) => l > 0));
    assert.ok(image.rawLines.some((r) => r.includes('for ( i = 0; i < n; i++ )')));
  }
  assert.deepEqual(fn.addedLines, [18, 19, 20]);
  assert.deepEqual(fn.removedLines, [18]);
  assert.equal(fn.pre!.lineMap.at(-1), 22);
  assert.equal(fn.post!.calls.find((c) => c.callee === 'dev_flush')?.use, 'assigned');
  assert.equal(fn.post!.calls.find((c) => c.callee === 'dev_reset')?.use, 'dropped');
});

test('the declaration index finds __must_check and warn_unused_result functions in the tree headers', () => {
  const model = buildCModel(diffToPatch(patchText), { tree: repo });
  const index = model.declarations;
  assert.ok(index);
  assert.deepEqual(index.lookup('dev_flush'), { name: 'dev_flush', returnType: 'int', mustCheck: true, file: 'include/dev.h', line: 4 });
  assert.equal(index.lookup('dev_reset')?.mustCheck, false);
  assert.equal(index.lookup('dev_reset')?.returnType, 'void');
  assert.equal(index.lookup('dev_map')?.mustCheck, true);
  assert.equal(index.lookup('helper')?.file, 'src/dev.c');
  assert.equal(index.lookup('no_such_function'), undefined);
});

test('a hunk that does not apply falls back to fragment mode with a per-hunk warning', () => {
  const bad = patchText.replace(' \n    dev_reset(d);', ' \n    dev_reset_all(d);').replace('-    dev_flush(d);', '-    dev_flush(d, 1);');
  const patch = diffToPatch(bad.replace(/^index .*$/m, 'index 0000001..0000002 100644'));
  const model = buildCModel(patch, { tree: repo });
  const file = model.files[0]!;
  assert.equal(file.mode, 'fragment');
  const warnings = file.warnings.filter((w) => w.code === 'tree-apply');
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]!.line, patch.files[0]!.hunks[0]!.sourceLine);
  assert.deepEqual(file.functions.map((f) => f.name), ['run']);
  assert.equal(file.functions[0]!.post!.isFragment, true);
});

test('the index line blob gives the pre-image when the working file differs', () => {
  writeFileSync(join(repo, 'src', 'dev.c'), source.replace('    dev_reset(d);\n', '    dev_reset(d);\n    dev_log(d);\n').replace('    helper(d);', '    helper2(d);'));
  try {
    const model = buildCModel(diffToPatch(patchText), { tree: repo });
    const file = model.files[0]!;
    assert.equal(file.mode, 'tree');
    assert.equal(file.treeSource, 'blob');
    assert.ok(file.functions[0]!.pre!.rawLines.some((r) => r.includes('helper(d);')));
  } finally {
    git('checkout', '-q', '--', 'src/dev.c');
  }
});

test('declaration scans are shared between checkouts by file content, and a changed header is read again', () => {
  const make = (ret: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'pr-decl-'));
    mkdirSync(join(dir, 'include'));
    writeFileSync(join(dir, 'include', 'api.h'), `int stable_call(void);\n${ret} changing_call(int x);\n`);
    return dir;
  };
  const a = make('int');
  const b = make('int');
  const c = make('long');
  try {
    assert.equal(declarationIndex(a, []).lookup('changing_call')?.returnType, 'int');
    assert.equal(declarationIndex(b, []).lookup('changing_call')?.returnType, 'int');
    assert.equal(declarationIndex(c, []).lookup('changing_call')?.returnType, 'long');
    assert.equal(declarationIndex(c, []).lookup('stable_call')?.file, join('include', 'api.h'));
  } finally {
    for (const d of [a, b, c]) rmSync(d, { recursive: true, force: true });
  }
});
