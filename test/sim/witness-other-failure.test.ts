// failure-swallowed: a path that leaves through another call's failure exit is no witness (src/sim/query/witness.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionFromSource, mayReturnSuccessAfterFailure } from '../../src/sim/index.ts';

const fn = (body: string) => functionFromSource(`int f(struct ctx *c)\n{\n${body}\n}\n`);

test('a report dropped while the status already holds a failure: the only other exit returns what another failure reports', () => {
  // `note()` is learned fallible from `return note(..)` elsewhere; the drop sits in a branch that set rc = -1.
  const body = [
    'int rc = 0;',
    'if ( !c->ok )',
    '{',
    '    rc = -1;',
    '    note("bad\\n");',
    '}',
    'if ( release(c) )',
    '    return note("release failed\\n");',
    'return rc;',
  ].join('\n');
  const r = mayReturnSuccessAfterFailure(fn(body), { callee: 'note', line: 7 });
  assert.equal(r.verdict, 'refuted', r.witness?.story ?? r.reason);
});

test('a later call failing and its status returned does not hide a drop on the path where that call succeeds', () => {
  const body = ['int rc;', 'prepare(c);', 'rc = commit(c);', 'if ( rc )', '    return rc;', 'return 0;'].join('\n');
  const r = mayReturnSuccessAfterFailure(fn(body), { callee: 'prepare', line: 4 });
  assert.equal(r.verdict, 'verified');
  assert.match(r.witness!.story, /returns 0$/);
});

test('the dropped failure followed by another call returned as is: the caller sees that call\'s status instead', () => {
  const r = mayReturnSuccessAfterFailure(fn('prepare(c);\nreturn commit(c);'), { callee: 'prepare', line: 3 });
  assert.equal(r.verdict, 'verified');
});

test('a predicate tested before the dropped call is no other failure: the drop inside its branch is still seen', () => {
  const body = ['int rc = c->status;', 'if ( mode_wide(c) )', '    post_ipi(c);', 'else', '    rc = -1;', 'return rc;'].join('\n');
  const r = mayReturnSuccessAfterFailure(fn(body), { callee: 'post_ipi', line: 5 });
  assert.equal(r.verdict, 'verified');
});
