import { test } from 'node:test';
import assert from 'node:assert/strict';
import { differential, functionFromSource, mayReturnSuccessAfterFailure, simulate, type SimOptions } from '../../src/sim/index.ts';

type Fact = { convention: string; failValues?: string[]; returnType?: string };
const kb = (facts: Record<string, Fact>): SimOptions => ({ conventionOf: (name) => facts[name] });
const fn = (body: string) => functionFromSource(`int f(struct dev *d)\n{\n${body}\n}\n`);

test('an errno callee fails with the first errno its knowledge names', () => {
  const r = mayReturnSuccessAfterFailure(fn('int rc;\nrc = foo_scan(d);\nif ( rc )\n  printk("scan failed\\n");\nreturn 0;'), { callee: 'foo_scan', line: 4 },
    kb({ foo_scan: { convention: 'errno', failValues: ['-ENOMEM', '-EINVAL'] } }));
  assert.equal(r.verdict, 'verified');
  assert.match(r.witness!.story, /^when foo_scan\(\) returns -ENOMEM, f\(\) prints a warning and returns 0$/);
});

test('a callee that returns 0 on failure fails with 0: testing it for non-zero is not reporting it', () => {
  const body = 'void *e = bar_lookup(d);\nif ( !e )\n  return 0;\nreturn use(e);';
  const r = mayReturnSuccessAfterFailure(fn(body), { callee: 'bar_lookup', line: 3 }, kb({ bar_lookup: { convention: 'null' } }));
  assert.equal(r.verdict, 'verified');
  assert.match(r.witness!.story, /^when bar_lookup\(\) returns NULL, f\(\) returns 0$/);
});

test('a bool-success result is 0 or 1, never negative; its failure is false (0)', () => {
  const r = simulate(fn('int ok = item_grab(d);\nif ( ok < 0 )\n  return -EIO;\nif ( ok > 1 )\n  return 2;\nreturn ok;'), kb({ item_grab: { convention: 'bool-success' } }));
  assert.deepEqual(r.paths.map((p) => p.end.valueText), ['item_grab(d)']);
  const body = fn('if ( !item_grab(d) )\n  return 0;\nreturn 1;');
  // a bool callee fails with false; an int one that returns 1 on success fails with 0, as its own source says
  const w = mayReturnSuccessAfterFailure(body, { callee: 'item_grab', line: 3 }, kb({ item_grab: { convention: 'bool-success', returnType: 'bool' } }));
  assert.match(w.witness!.story, /^when item_grab\(\) returns false, f\(\) returns 0$/);
  const int = mayReturnSuccessAfterFailure(body, { callee: 'item_grab', line: 3 }, kb({ item_grab: { convention: 'bool-success', returnType: 'int' } }));
  assert.match(int.witness!.story, /^when item_grab\(\) returns 0, f\(\) returns 0$/);
});

test('a count of bytes not copied fails with a positive count', () => {
  const w = mayReturnSuccessAfterFailure(fn('if ( copy_out(d) )\n  log_it();\nreturn 0;'), { callee: 'copy_out', line: 3 }, kb({ copy_out: { convention: 'count' } }));
  assert.equal(w.verdict, 'verified');
  assert.match(w.witness!.story, /^when copy_out\(\) returns a non-zero count, f\(\) returns 0$/);
});

test('an error-pointer callee fails with an error pointer; returning PTR_ERR() of it reports it', () => {
  const body = 'struct obj *o = obj_get(d);\nif ( IS_ERR(o) )\n  return PTR_ERR(o);\nreturn 0;';
  const r = mayReturnSuccessAfterFailure(fn(body), { callee: 'obj_get', line: 3 }, kb({ obj_get: { convention: 'err-ptr', failValues: ['ERR_PTR(-ENOMEM)'] } }));
  assert.equal(r.verdict, 'refuted');
  const lost = mayReturnSuccessAfterFailure(fn('struct obj *o = obj_get(d);\nif ( IS_ERR(o) )\n  return 0;\nreturn 1;'), { callee: 'obj_get', line: 3 }, kb({ obj_get: { convention: 'err-ptr', failValues: ['ERR_PTR(-ENOMEM)'] } }));
  assert.equal(lost.verdict, 'verified');
  assert.match(lost.witness!.story, /^when obj_get\(\) returns ERR_PTR\(-ENOMEM\), f\(\) returns 0$/);
});

test('a plain-value callee cannot fail: the question is refuted, not answered with a guess', () => {
  const r = mayReturnSuccessAfterFailure(fn('int n = count_items(d);\nreturn 0;'), { callee: 'count_items', line: 3 }, kb({ count_items: { convention: 'value' } }));
  assert.equal(r.verdict, 'refuted');
  assert.match(r.reason!, /plain value/);
});

test('an unknown convention is said to be unknown, never shown as a default errno', () => {
  const r = mayReturnSuccessAfterFailure(fn('int rc = mystery(d);\nif ( rc )\n  printk("x\\n");\nreturn 0;'), { callee: 'mystery', line: 3 });
  assert.equal(r.verdict, 'verified');
  assert.match(r.witness!.story, /returns a negative value \(its failure convention is not known\)/);
  assert.doesNotMatch(r.witness!.story, /-EIO/);
});

test('the success class follows the convention in the differential: a bool-success call succeeding is non-zero', () => {
  const pre = fn('if ( !item_grab(d) )\n  return -EBUSY;\nreturn 0;');
  const post = fn('if ( !item_grab(d) )\n  return -EBUSY;\nsetup(d);\nreturn 0;');
  const d = differential(pre, post, kb({ item_grab: { convention: 'bool-success' } }));
  assert.equal(d.status, 'complete');
  assert.deepEqual(d.successPathChanges.map((c) => c.kind), ['effects']);
  assert.match(d.successPathChanges[0]!.story, /^when item_grab\(\) returns non-zero, /);
  // Without the convention "success" is 0, which takes the -EBUSY exit on both sides: no change seen.
  assert.deepEqual(differential(pre, post).successPathChanges, []);
});
