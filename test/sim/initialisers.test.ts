import { test } from 'node:test';
import assert from 'node:assert/strict';
import { differential, functionFromSource, simulate, type SimResult } from '../../src/sim/index.ts';

const run = (body: string): SimResult => simulate(functionFromSource(`int f(int a)\n{\n${body}\n}\n`));
const ends = (r: SimResult): string[] => r.paths.map((p) => `${p.end.kind}${p.end.valueText !== undefined ? ` ${p.end.valueText}` : ''}`);

test('`= { 0 }` and `= {}` zero every member, nested ones too', () => {
  assert.deepEqual(ends(run('struct info s = { 0 };\nreturn s.count;')), ['return 0']);
  assert.deepEqual(ends(run('struct info s = {};\nreturn s.inner.flags;')), ['return 0']);
});

test('designated initialisers give the named members their values and zero the rest', () => {
  assert.deepEqual(ends(run('struct info s = { .count = 3, .owner = get_owner() };\nreturn s.count + s.spare;')), ['return 3']);
  assert.deepEqual(ends(run('struct info s = { .count = 3, .owner = get_owner() };\nreturn s.owner;')), ['return get_owner()']);
  assert.deepEqual(ends(run('struct info s = { .inner = { 0 }, .count = 1 };\nreturn s.inner.x + s.count;')), ['return 1']);
});

test('array initialisers: positions and designators, the rest zero', () => {
  assert.deepEqual(ends(run('int v[4] = { 1, 2 };\nreturn v[1] + v[3];')), ['return 2']);
  assert.deepEqual(ends(run('int v[8] = { [5] = 9 };\nreturn v[5] + v[0];')), ['return 9']);
});

test('a positional non-zero struct initialiser leaves members unknown (field order is not visible)', () => {
  assert.deepEqual(ends(run('struct info s = { 5 };\nreturn s.count;')), ['return s.count']);
});

test('passing the aggregate\'s address to a call forgets what the initialiser said; memset zeroes again', () => {
  assert.deepEqual(ends(run('struct info s = { 0 };\nfill_info(&s);\nreturn s.count;')), ['return s.count']);
  assert.deepEqual(ends(run('struct info s;\nmemset(&s, 0, sizeof(s));\nreturn s.count;')), ['return 0']);
});

test('passing a scalar local\'s address to an unseen call forgets its value: a test after the call goes both ways', () => {
  // `size_t l = 0; read_hdr(q, &l); if ( l != 0 ) ...`: the callee may write l, so the test is not decided by the 0.
  const r = run('size_t l = 0;\nread_hdr(a, &l);\nif ( l != 0 )\n  return -1;\nreturn 0;');
  assert.deepEqual(ends(r).sort(), ['return -1', 'return 0']);
  // A model (memset) and an array's address keep their own handling.
  assert.deepEqual(ends(run('int v[2] = { 0 };\nreturn v[1];')), ['return 0']);
});

test('a patch that adds `= { 0 }` and returns a member does not change the success value', () => {
  const pre = functionFromSource('int get(struct dev *d)\n{\n  if ( !d->ready )\n    return 0;\n  return 0;\n}\n');
  const post = functionFromSource('int get(struct dev *d)\n{\n  struct result res = { 0 };\n  if ( !d->ready )\n    return res.status;\n  return 0;\n}\n');
  const d = differential(pre, post);
  assert.equal(d.status, 'complete');
  assert.deepEqual(d.successPathChanges, []);
});
