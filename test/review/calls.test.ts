// One home for a call's name and how its result is used.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseC, type SyntaxNode } from '../../src/c/parser.ts';
import { calleeName, fallibilityKey, resultUse, testsValue } from '../../src/review/calls.ts';

function calls(source: string): SyntaxNode[] {
  return parseC(source).rootNode.descendantsOfType('call_expression');
}

function conditionOfFirstIf(source: string): SyntaxNode {
  return parseC(`void f(void) { ${source} }`).rootNode.descendantsOfType('if_statement')[0]!.childForFieldName('condition')!;
}

describe('calls', () => {
  it('names a member call the same however it is spaced or split after ->', () => {
    const names = calls('void f(void) { ops -> suspend(1); ops->suspend(1); ops->\n        suspend(1); (*ops->suspend)(1); }').map(calleeName);
    assert.deepEqual(names, ['ops->suspend', 'ops->suspend', 'ops->suspend', 'ops->suspend']);
  });

  it('keys a dispatch macro by the operation it dispatches, never by the macro name', () => {
    const [a, b] = calls('void f(void) { iommu_call(ops, suspend); iommu_call(ops, resume, d); }');
    assert.equal(fallibilityKey(a!), 'iommu_call:suspend');
    assert.equal(fallibilityKey(b!), 'iommu_call:resume');
    assert.equal(fallibilityKey(calls('void f(void) { plain(x); }')[0]!), 'plain');
  });

  it('counts an if as a check of v only when it tests v itself', () => {
    for (const cond of ['if ( rc ) x();', 'if ( !rc ) x();', 'if ( unlikely(rc < 0) ) x();', 'if ( rc != 0 && y ) x();', 'if ( IS_ERR(rc) ) x();', 'if ( (rc) == -ENOMEM ) x();', 'if (rc != TEE_SUCCESS) x();']) {
      assert.ok(testsValue(conditionOfFirstIf(cond), 'rc'), cond);
    }
    for (const cond of ['if ( p->len == rc ) x();', 'if ( g(rc) ) x();', 'if ( rc_count ) x();', 'if ( a[rc] ) x();']) {
      assert.ok(!testsValue(conditionOfFirstIf(cond), 'rc'), cond);
    }
  });

  it('tells how a result is used: dropped, discarded, tested, returned, assigned and checked next', () => {
    const src = `int f(void) {
      a();
      (void)b();
      if ( c() ) return 1;
      rc = d();
      if ( rc ) return rc;
      n = e();
      if ( x == n ) return 2;
      return g();
    }`;
    const use = Object.fromEntries(calls(src).map((c) => [calleeName(c), resultUse(c)]));
    assert.equal(use.a!.kind, 'dropped');
    assert.equal(use.b!.kind, 'discarded');
    assert.equal(use.c!.kind, 'tested');
    assert.equal(use.g!.kind, 'returned');
    const d = use.d!;
    assert.ok(d.kind === 'assigned' && d.variable === 'rc' && d.checkedBy?.type === 'if_statement');
    const e = use.e!;
    assert.ok(e.kind === 'assigned' && e.variable === 'n' && e.checkedBy === null, 'a comparison with another value is not a check of the call');
  });
});
