// failure-swallowed in a function that returns bool: its 0 and 1 are false and true, and `return false;` is how it
// reports a failure at all, so the story names them so and shows first a path that returns true (src/sim/query/witness.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionFromSource, mayReturnSuccessAfterFailure } from '../../src/sim/index.ts';

const fn = (ret: string, body: string) => functionFromSource(`${ret} f(struct ctx *c)\n{\n${body}\n}\n`);
const body = ['if ( !c->clk )', '    return false;', 'if ( reset(c) < 0 )', '    c->n++;', 'start(c);', 'if ( c->mode > 3 )', '    return false;', 'return true;'].join('\n');

test('a bool function that drops a failure: the witness returns true, not "returns 0" as if 0 were success', () => {
  const r = mayReturnSuccessAfterFailure(fn('bool', body), { callee: 'start', line: 7 });
  assert.equal(r.verdict, 'verified');
  assert.match(r.witness!.story, /, f\(\) returns true$/);
});

test('the same body in an int function keeps the simplest witness and its number', () => {
  const r = mayReturnSuccessAfterFailure(fn('int', body), { callee: 'start', line: 7 });
  assert.equal(r.verdict, 'verified');
  assert.match(r.witness!.story, /, f\(\) returns [01]$/);
});
