// The declarations index keeps its header scans on disk between processes: a later index reads them
// back instead of scanning, a changed header is scanned again, a damaged cache is only slower.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearDeclarationCache, declarationIndex } from '../../src/c/declarations.ts';

function withTree(fn: (tree: string, cacheDir: string) => void): () => void {
  return () => {
    const tree = mkdtempSync(join(tmpdir(), 'pr-decl-tree-'));
    const cacheDir = mkdtempSync(join(tmpdir(), 'pr-decl-cache-'));
    mkdirSync(join(tree, 'include'));
    writeFileSync(join(tree, 'include', 'api.h'), 'int __must_check api_open(int x);\nlong api_size(void);\n');
    writeFileSync(join(tree, 'include', 'other.h'), 'void *api_map(unsigned long mfn);\n');
    try {
      clearDeclarationCache();
      fn(tree, cacheDir);
    } finally {
      clearDeclarationCache();
      rmSync(tree, { recursive: true, force: true });
      rmSync(cacheDir, { recursive: true, force: true });
    }
  };
}

const filesUnder = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);

test('a later process reads the header scans back from the cache and finds the same declarations', withTree((tree, cacheDir) => {
  const first = declarationIndex(tree, [], { cacheDir });
  const open = first.lookup('api_open');
  assert.deepEqual(open, { name: 'api_open', returnType: 'int', mustCheck: true, file: join('include', 'api.h'), line: 1 });
  assert.ok(filesUnder(cacheDir).some((f) => f.endsWith('.headers.json')), 'the index of the checkout is written');
  assert.equal(filesUnder(cacheDir).filter((f) => !f.endsWith('.headers.json')).length, 2, 'one scan per header');
  clearDeclarationCache(); // as a new process
  const again = declarationIndex(tree, [], { cacheDir });
  assert.deepEqual(again.lookup('api_open'), open);
  assert.equal(again.lookup('api_size')?.returnType, 'long');
  assert.equal(again.lookup('api_map')?.returnType, 'void *');
}));

test('a header that changed is scanned again; one that did not keeps its scan', withTree((tree, cacheDir) => {
  assert.equal(declarationIndex(tree, [], { cacheDir }).lookup('api_size')?.returnType, 'long');
  writeFileSync(join(tree, 'include', 'api.h'), 'int __must_check api_open(int x);\nint api_size(void);\nint api_close(int x);\n');
  clearDeclarationCache();
  const index = declarationIndex(tree, [], { cacheDir });
  assert.equal(index.lookup('api_size')?.returnType, 'int');
  assert.equal(index.lookup('api_close')?.line, 3);
  assert.equal(index.lookup('api_map')?.returnType, 'void *');
}));

test('same size, new mtime: the header is read and hashed again', withTree((tree, cacheDir) => {
  assert.equal(declarationIndex(tree, [], { cacheDir }).lookup('api_size')?.returnType, 'long');
  // Same length, different text; a later mtime says it changed.
  writeFileSync(join(tree, 'include', 'api.h'), 'int __must_check api_open(int x);\nchar api_size(void);\n');
  const later = new Date(Date.now() + 5_000);
  utimesSync(join(tree, 'include', 'api.h'), later, later);
  clearDeclarationCache();
  assert.equal(declarationIndex(tree, [], { cacheDir }).lookup('api_size')?.returnType, 'char');
}));

test('a damaged cache costs a scan, never a declaration', withTree((tree, cacheDir) => {
  declarationIndex(tree, [], { cacheDir }).lookup('api_open');
  const damage = (dir: string, which: 'index' | 'scans'): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) damage(p, which);
      else if (e.name.endsWith('.headers.json') === (which === 'index')) writeFileSync(p, which === 'index' ? '{"version":1,"root":' : '{"not":"an array"}');
    }
  };
  for (const which of ['scans', 'index'] as const) {
    damage(cacheDir, which);
    clearDeclarationCache();
    const index = declarationIndex(tree, [], { cacheDir });
    assert.equal(index.lookup('api_open')?.mustCheck, true, which);
    assert.equal(index.lookup('api_map')?.returnType, 'void *', which);
  }
}));

test('cacheDir false writes nothing', withTree((tree, cacheDir) => {
  assert.equal(declarationIndex(tree, [], { cacheDir: false }).lookup('api_open')?.returnType, 'int');
  assert.deepEqual(filesUnder(cacheDir), []);
}));
