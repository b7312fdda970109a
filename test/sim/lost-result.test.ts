import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionFromSource, lostResult, simulate, type SimOptions } from '../../src/sim/index.ts';

const ask = (src: string, callee: string, line: number, options: SimOptions = {}) => lostResult(functionFromSource(src), { callee, line }, options);

test('rc = a(); rc = b(); loses a()\'s result at the second assignment', () => {
  const r = ask('int f(void)\n{\n  int rc;\n  rc = a();\n  rc = b();\n  return rc;\n}\n', 'a', 4);
  assert.equal(r.verdict, 'verified');
  assert.deepEqual(r.lostAt, { line: 5, how: 'overwritten' });
  assert.equal(r.variable, 'rc');
  assert.match(r.witness!.story, /f\(\) overwrites rc at line 5 before anything tests it, and returns b\(\)$/);
});

test('a result tested before it is overwritten is not lost', () => {
  const r = ask('int f(void)\n{\n  int rc;\n  rc = a();\n  if ( rc )\n    return rc;\n  rc = b();\n  return rc;\n}\n', 'a', 4);
  assert.equal(r.verdict, 'refuted');
});

test('res = f(); return 0; leaves the result dead', () => {
  const r = ask('int f(void)\n{\n  int res = g();\n  return 0;\n}\n', 'g', 3);
  assert.equal(r.verdict, 'verified');
  assert.deepEqual(r.lostAt, { line: 4, how: 'dead' });
  assert.match(r.witness!.story, /never tests res, and returns 0$/);
});

test('in a loop without a break, the next iteration\'s result hides an earlier failure', () => {
  const src = 'int f(struct dev *d)\n{\n  int i, rc = 0;\n  for ( i = 0; i < d->n; i++ )\n    rc = cb(d, i);\n  return rc;\n}\n';
  const r = ask(src, 'cb', 5, { conventionOf: (n) => (n === 'cb' ? { convention: 'errno', failValues: ['-EBUSY'] } : undefined) });
  assert.equal(r.verdict, 'verified');
  assert.deepEqual(r.lostAt, { line: 5, how: 'overwritten' });
  assert.match(r.witness!.story, /^when cb\(\) returns -EBUSY, .*overwrites rc at line 5 before anything tests it, and returns cb\(d, i\)$/);
});

test('the same loop with a break on failure keeps every result', () => {
  const src = 'int f(struct dev *d)\n{\n  int i, rc = 0;\n  for ( i = 0; i < d->n; i++ )\n  {\n    rc = cb(d, i);\n    if ( rc )\n      break;\n  }\n  return rc;\n}\n';
  assert.equal(ask(src, 'cb', 6).verdict, 'refuted');
});

test('a permission check overwritten by the operation it guards', () => {
  const r = ask('long do_op(struct domain *d)\n{\n  long ret;\n  ret = xsm_check(d);\n  ret = perform(d);\n  return ret;\n}\n', 'xsm_check', 4);
  assert.equal(r.verdict, 'verified');
  assert.deepEqual(r.lostAt, { line: 5, how: 'overwritten' });
});

test('printing a result is not testing it; combining it (rc |= b()) or passing it on is', () => {
  assert.equal(ask('int f(void)\n{\n  int rc = a();\n  printk("rc=%d\\n", rc);\n  rc = b();\n  return rc;\n}\n', 'a', 3).verdict, 'verified');
  assert.equal(ask('int f(void)\n{\n  int rc = a();\n  rc |= b();\n  return rc;\n}\n', 'a', 3).verdict, 'refuted');
  assert.equal(ask('int f(void)\n{\n  int rc = a();\n  report(rc);\n  rc = b();\n  return rc;\n}\n', 'a', 3).verdict, 'refuted');
  assert.equal(ask('int f(struct s *o)\n{\n  int rc = a();\n  o->err = rc;\n  rc = b();\n  return rc;\n}\n', 'a', 3).verdict, 'refuted');
});

test('unseen code that can name the variable may read it: not lost', () => {
  assert.equal(ask('int f(void)\n{\n  int rc = a();\n  __pr_unseen(1);\n  return 0;\n}\n', 'a', 3).verdict, 'refuted');
});

test('a result never stored is ignored, not lost: the question does not apply', () => {
  const r = ask('int f(void)\n{\n  a();\n  return 0;\n}\n', 'a', 3);
  assert.equal(r.verdict, 'inconclusive');
  assert.match(r.reason!, /not kept in a variable/);
});

test('a block-scoped result that is never tested is lost at the end of its block', () => {
  const r = ask('int f(int x)\n{\n  if ( x )\n  {\n    int err = a();\n  }\n  return 0;\n}\n', 'a', 5);
  assert.equal(r.verdict, 'verified');
  assert.equal(r.lostAt!.how, 'scope-end');
});

test('the query reuses a cached simulation and says inconclusive when it was incomplete', () => {
  const fn = functionFromSource(`int f(void)\n{\n  int rc = a();\n${Array.from({ length: 30 }, (_, i) => `  if ( c${i}() ) n++;`).join('\n')}\n  if ( rc )\n    return rc;\n  return 0;\n}\n`);
  const partial = simulate(fn, { budget: { maxPaths: 10 } });
  const r = lostResult(fn, { callee: 'a', line: 3 }, {}, partial);
  assert.equal(r.verdict, 'inconclusive');
  assert.equal(r.stoppedBy, 'paths');
});
