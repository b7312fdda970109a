import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { differential, functionFromSource, simulate, type SimResult } from '../../src/sim/index.ts';
import { intersect, refine, TOP } from '../../src/sim/state/domain.ts';

const run = (body: string): SimResult => simulate(functionFromSource(`int f(int a, int b)\n{\n${body}\n}\n`));
const ends = (r: SimResult): string[] => r.paths.map((p) => `${p.end.kind}${p.end.valueText !== undefined ? ` ${p.end.valueText}` : ''}`);

test('x != y then x == y cannot both hold: no path assumes both', () => {
  const r = run('if ( cpu != crashing_cpu )\n  stop_cpu(cpu);\nif ( cpu == crashing_cpu )\n  return 1;\nreturn 0;');
  assert.deepEqual(ends(r), ['return 1', 'return 0']);
  assert.deepEqual(r.paths[0]!.effects.map((e) => e.target), []);
  assert.deepEqual(r.paths[1]!.effects.map((e) => e.target), ['stop_cpu']);
});

test('orderings between two symbols exclude each other and equality', () => {
  const r = run('if ( a < b ) { if ( b < a ) return 1; if ( a == b ) return 2; if ( b > a ) return 3; return 4; }\nreturn 0;');
  assert.deepEqual(ends(r), ['return 3', 'return 0']);
});

test('bounds against constants are ranges: a > 5 excludes a < 3, and a > 5 with a <= 6 pins a', () => {
  assert.deepEqual(ends(run('if ( a > 5 ) { if ( a < 3 ) return 1; if ( a <= 6 ) return a; return 2; }\nreturn 0;')), ['return 6', 'return 2', 'return 0']);
});

test('a call result tested against constants keeps every test consistent', () => {
  const r = run('int rc = g();\nif ( rc > 0 )\n  return 1;\nif ( rc < -5 )\n  return 2;\nif ( rc == 0 )\n  return 3;\nif ( rc >= 0 )\n  return 4;\nreturn rc;');
  assert.deepEqual(ends(r).slice(0, 3), ['return 1', 'return 2', 'return 3']);
  assert.ok(!ends(r).includes('return 4'));
});

test('a bit test and its comparison with 0 are the same question', () => {
  const r = run('if ( flags & F_BUSY )\n  wait();\nif ( (flags & F_BUSY) == 0 )\n  return 1;\nif ( !(flags & F_BUSY) )\n  return 2;\nreturn 3;');
  assert.deepEqual(ends(r), ['return 3', 'return 1']);
  assert.deepEqual(r.paths.map((p) => p.effects.map((e) => e.target)), [['wait'], []]);
});

test('domains: refining never admits a value the constraints exclude', () => {
  const ops = ['==', '!=', '<', '<=', '>', '>='] as const;
  const holds = (x: number, o: string, c: number): boolean =>
    o === '==' ? x === c : o === '!=' ? x !== c : o === '<' ? x < c : o === '<=' ? x <= c : o === '>' ? x > c : x >= c;
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.constantFrom(...ops), fc.integer({ min: -4, max: 4 }), fc.boolean()), { maxLength: 5 }),
    fc.integer({ min: -6, max: 6 }),
    (cs, x) => {
      let d = TOP as ReturnType<typeof intersect>;
      for (const [o, c, t] of cs) {
        if (!d) break;
        const r = refine(d, o, c, t);
        d = r === null ? d : r;
      }
      const satisfied = cs.every(([o, c, t]) => holds(x, o, c) === t);
      // Sound: a value that satisfies every test is never excluded.
      if (satisfied) assert.ok(d, `x=${x} satisfies ${JSON.stringify(cs)} but the domain is empty`);
      if (satisfied && d) assert.ok(intersect(d, { cls: 7, eq: x, ne: [] }), `x=${x} excluded by ${JSON.stringify(d)}`);
    },
  ), { numRuns: 400, seed: 11 });
});

test('a parameter moved into a struct (cmd -> op->cmd) is the same input before and after', () => {
  const pre = functionFromSource('long do_op(int cmd, void *arg)\n{\n  if ( cmd == OP_QUERY )\n    return query(arg);\n  return -ENOSYS;\n}\n');
  const post = functionFromSource('long do_op(struct op *op, void *arg)\n{\n  if ( op->cmd == OP_QUERY )\n    return query(arg);\n  return -ENOSYS;\n}\n');
  const d = differential(pre, post);
  assert.equal(d.status, 'complete');
  assert.deepEqual(d.successPathChanges, []);
});

test('a parameter replaced in a way the patch does not show makes the differential inconclusive, not different', () => {
  const pre = functionFromSource('long do_op(int cmd)\n{\n  if ( cmd == OP_QUERY )\n    return 1;\n  return 0;\n}\n');
  const post = functionFromSource('long do_op(int kind)\n{\n  if ( kind == OP_QUERY )\n    return 1;\n  return 0;\n}\n');
  const d = differential(pre, post);
  assert.deepEqual(d.successPathChanges, []);
  assert.equal(d.status, 'inconclusive');
  assert.match(d.reason!, /parameter (cmd|kind) is on one side only/);
});
