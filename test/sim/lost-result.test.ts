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

// lost (issue 9 §2): results that conditions read without acting on a failure (`afterTests`).
const errnoConv: SimOptions = { conventionOf: () => ({ convention: 'errno' }) };
const askTested = (src: string, callee: string, line: number) => lostResult(functionFromSource(src), { callee, line }, errnoConv, undefined, { afterTests: true });

test('a check for one errno only: another failure goes the way of a success and is dropped', () => {
  const src = 'int first_free(struct t *t)\n{\n  int i;\n  for ( i = 0; i <= t->max; i++ )\n  {\n    int rc = claim(t, i);\n\n    if ( rc == -EBUSY )\n      continue;\n\n    return i;\n  }\n  return -ENOSPC;\n}\n';
  const r = askTested(src, 'claim', 6);
  assert.equal(r.verdict, 'verified');
  assert.deepEqual(r.lostAt, { line: 11, how: 'dead' });
  assert.deepEqual(r.testedAt, [8]);
  assert.match(r.witness!.story, /^when claim\(\) returns a negative errno other than -EBUSY.*goes on past the test at line 8 as if claim\(\) had succeeded, never acts on rc, and returns 0$/);
  // Without afterTests the test counts as a use, as before.
  assert.equal(lostResult(functionFromSource(src), { callee: 'claim', line: 6 }, errnoConv).verdict, 'refuted');
});

test('a call compared where it is made (never stored) is considered with afterTests', () => {
  const r = askTested('int put(struct s *s)\n{\n  if ( share(s) == -ENOMEM )\n    return -ENOMEM;\n  s->n++;\n  return 0;\n}\n', 'share', 3);
  assert.equal(r.verdict, 'verified');
  assert.equal(r.variable, '');
  assert.match(r.witness!.story, /other than -ENOMEM/);
});

test('near misses: tested again, returned, or the other values go to an error exit', () => {
  assert.equal(askTested('int f(struct t *t)\n{\n  int rc = g(t);\n  if ( rc == -ENOENT )\n    return 0;\n  if ( rc )\n    return rc;\n  return 1;\n}\n', 'g', 3).verdict, 'refuted');
  assert.equal(askTested('int f(struct t *t)\n{\n  int rc = g(t);\n  if ( rc == -EBUSY )\n    return 0;\n  return rc;\n}\n', 'g', 3).verdict, 'refuted');
  const retry = 'int f(struct t *t)\n{\n  int rc;\n again:\n  rc = g(t);\n  if ( rc == -EAGAIN )\n    goto again;\n  else if ( rc )\n    goto err;\n  return 0;\n err:\n  undo(t);\n  return rc;\n}\n';
  assert.equal(askTested(retry, 'g', 5).verdict, 'refuted');
});

test('tested only to skip a success action, then overwritten: lost; a log-only branch is not this query\'s loss', () => {
  const src = 'int f(struct t *t, unsigned long n)\n{\n  int error = 0;\n  unsigned long off = 0;\n  while ( off < n )\n  {\n    error = install(t, &off);\n    if ( !error && match(t) )\n      break;\n    error = skip(t, &off);\n    if ( error )\n      goto out;\n  }\n  return 0;\n out:\n  return error;\n}\n';
  const r = askTested(src, 'install', 7);
  assert.equal(r.verdict, 'verified');
  assert.deepEqual(r.lostAt, { line: 10, how: 'overwritten' });
  assert.match(r.witness!.story, /as if install\(\) had succeeded, then overwrites error at line 10 before anything acts on it, and returns 0$/);
  // The failure takes a branch no success takes (even if it only prints): the test acted on it.
  assert.equal(askTested('int f(struct t *t)\n{\n  int rc = a(t);\n  if ( rc )\n    printk("a failed\\n");\n  rc = b(t);\n  return rc;\n}\n', 'a', 3).verdict, 'refuted');
});

test('a comparison with a constant the simulator does not know decides nothing: inconclusive', () => {
  const r = askTested('int f(struct t *t)\n{\n  int res = a(t);\n  if ( res != OK_CODE && t->strict )\n    return -EIO;\n  res = b(t);\n  return res;\n}\n', 'a', 3);
  assert.equal(r.verdict, 'inconclusive');
  assert.match(r.reason!, /does not know/);
});

test('a status kept in a variable the function does not declare is lost when overwritten before any call reads it', () => {
  // `ret` is declared in code the patch does not show (or is a global): a call in between may read it.
  assert.equal(ask('int f(struct t *t)\n{\n  if ( t->x )\n    ret = a(t);\n  ret = 0;\n  return ret;\n}\n', 'a', 4).verdict, 'verified');
  assert.equal(ask('int f(struct t *t)\n{\n  ret = a(t);\n  note(t);\n  ret = 0;\n  return ret;\n}\n', 'a', 3).verdict, 'refuted');
});

test('status names: a comparison with a success name tells success from failure; one failure name leaves the others', () => {
  const named: SimOptions = {
    conventionOf: () => ({ convention: 'errno', failValues: ['TEE_ERROR_GENERIC'] }),
    namedStatus: (n) => (n === 'OK_STATUS' ? 'success' : /^ERR_/.test(n) ? 'failure' : undefined),
  };
  const run = (src: string, callee: string, line: number) => lostResult(functionFromSource(src), { callee, line }, named, undefined, { afterTests: true });
  const partial = run('int f(struct t *t)\n{\n  int res = a(t);\n  if ( res == ERR_BUSY )\n    return 0;\n  t->n++;\n  return OK_STATUS;\n}\n', 'a', 3);
  assert.equal(partial.verdict, 'verified');
  assert.match(partial.witness!.story, /^when a\(\) returns a failure other than ERR_BUSY, /);
  // `res == OK_STATUS && x` is a success test: a failure skips the branch like a success whose x is false.
  assert.equal(run('int f(struct t *t)\n{\n  int res = a(t);\n  if ( res == OK_STATUS && t->ready )\n    t->n++;\n  res = b(t);\n  return res;\n}\n', 'a', 3).verdict, 'verified');
  // `res != OK_STATUS` as a whole condition acts on the failure.
  assert.equal(run('int f(struct t *t)\n{\n  int res = a(t);\n  if ( res != OK_STATUS )\n    t->bad++;\n  res = b(t);\n  return res;\n}\n', 'a', 3).verdict, 'refuted');
});

test('unhandled: a failure that takes no branch of a chain naming only success values is lost; twins alone do not see it', () => {
  const src = 'void f(struct t *t)\n{\n  int ret = a(t);\n  if ( ret == 0 )\n    t->x = 1;\n  else if ( ret == 1 )\n    t->x = 2;\n}\n';
  const fn = functionFromSource(src);
  assert.equal(lostResult(fn, { callee: 'a', line: 3 }, errnoConv, undefined, { afterTests: true }).verdict, 'refuted');
  const r = lostResult(fn, { callee: 'a', line: 3 }, errnoConv, undefined, { afterTests: true, unhandled: true });
  assert.equal(r.verdict, 'verified');
  assert.match(r.witness!.story, /takes no branch of the tests at line 4, 6 \(nothing handles a failure\)/);
  // A branch that runs for the failure (an else, a test for < 0) acts on it.
  const handled = 'void f(struct t *t)\n{\n  int ret = a(t);\n  if ( ret == 0 )\n    t->x = 1;\n  else if ( ret == 1 )\n    t->x = 2;\n  if ( ret < 0 )\n    t->bad = 1;\n}\n';
  assert.equal(lostResult(functionFromSource(handled), { callee: 'a', line: 3 }, errnoConv, undefined, { afterTests: true, unhandled: true }).verdict, 'refuted');
});

test('unhandled: a test whose branch sits on its own line is not read (lines cannot tell which way it went)', () => {
  const src = 'void f(struct t *t)\n{\n  int ret = a(t);\n  if ( ret < 0 ) return;\n  if ( ret == 1 )\n    t->x = 2;\n}\n';
  assert.notEqual(lostResult(functionFromSource(src), { callee: 'a', line: 3 }, errnoConv, undefined, { afterTests: true, unhandled: true }).verdict, 'verified');
});
