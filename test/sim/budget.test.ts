import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { equivalent, functionFromSource, simulate } from '../../src/sim/index.ts';

test('40 sequential independent checks end within the budget', () => {
  const body = Array.from({ length: 40 }, (_, i) => `  if ( f_${i}() ) x++;`).join('\n');
  const budget = { maxPaths: 4000, maxSteps: 200_000 };
  const r = simulate(functionFromSource(`int f(void)\n{\n  int x = 0;\n${body}\n  return x;\n}\n`), { budget });
  assert.equal(r.status, 'inconclusive');
  assert.match(r.reason!, /budget/);
  assert.ok(r.stoppedBy === 'paths' || r.stoppedBy === 'steps');
  assert.ok(r.stats.paths <= budget.maxPaths);
  assert.ok(r.stats.steps <= budget.maxSteps + 1);
});

test('the budget counts steps and paths only: the same function stops at the same point every run', () => {
  const body = Array.from({ length: 30 }, (_, i) => `  if ( f_${i}() ) x += g_${i}(x);`).join('\n');
  const fn = functionFromSource(`int f(void)\n{\n  int x = 0;\n${body}\n  return x;\n}\n`);
  const runs = [1, 2, 3].map(() => simulate(fn, { budget: { maxPaths: 100_000, maxSteps: 5_000 } }));
  for (const r of runs) {
    assert.equal(r.status, 'inconclusive');
    assert.equal(r.stoppedBy, 'steps');
    assert.deepEqual({ paths: r.stats.paths, steps: r.stats.steps }, { paths: runs[0]!.stats.paths, steps: runs[0]!.stats.steps });
    assert.deepEqual(r.paths.map((p) => p.end.valueText), runs[0]!.paths.map((p) => p.end.valueText));
  }
});

test('a wall-clock guard, when the caller sets one, is reported as time, not as the budget', () => {
  const body = Array.from({ length: 40 }, (_, i) => `  if ( f_${i}() ) x++;`).join('\n');
  const fn = functionFromSource(`int f(void)\n{\n  int x = 0;\n${body}\n  return x;\n}\n`);
  const r = simulate(fn, { budget: { maxPaths: 1e9, maxSteps: 1e9, maxMillis: 0 } });
  assert.equal(r.status, 'inconclusive');
  assert.equal(r.stoppedBy, 'time');
  assert.match(r.reason!, /wall clock/);
});

// A grammar of the supported constructs, for random small functions.
const ident = fc.constantFrom('a', 'b', 'rc', 'ret', 'x');
const callee = fc.constantFrom('f', 'g', 'ops->h', 'printk', 'likely', 'BUG_ON', 'this_cpu');
const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    ident,
    fc.integer({ min: -3, max: 3 }).map(String),
    fc.constantFrom('-EINVAL', 'NULL', '"s"', "'c'", 'p->q', '*p', 'arr[x]', '__pr_unknown()'),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '&', '|', '==', '!=', '<', '&&', '||'), tie('e')).map(([l, o, r]) => `(${l} ${o} ${r})`),
    fc.tuple(fc.constantFrom('!', '-', '~'), tie('e')).map(([o, v]) => `${o}(${v})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, t, f]) => `(${c} ? ${t} : ${f})`),
    fc.tuple(callee, tie('e')).map(([c, a]) => `${c}(${a})`),
  ),
})).e;
const stmt: fc.Arbitrary<string> = fc.letrec((tie) => ({
  s: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(ident, expr).map(([v, e]) => `${v} = ${e};`),
    fc.tuple(ident, fc.constantFrom('++', '--')).map(([v, o]) => `${v}${o};`),
    expr.map((e) => `${e};`),
    expr.map((e) => `return ${e};`),
    fc.constantFrom('break;', 'continue;', 'goto out;', 'goto elsewhere;', '__pr_unseen(1);', ';'),
    fc.tuple(expr, tie('s'), tie('s')).map(([c, t, e]) => `if ( ${c} ) { ${t} } else { ${e} }`),
    fc.tuple(expr, tie('s')).map(([c, b]) => `while ( ${c} ) { ${b} }`),
    fc.tuple(expr, tie('s')).map(([c, b]) => `for ( x = 0; ${c}; x++ ) { ${b} }`),
    fc.tuple(tie('s'), expr).map(([b, c]) => `do { ${b} } while ( ${c} );`),
    tie('s').map((b) => `while/*I*/ ( drhd ) { ${b} }`),
    fc.tuple(expr, tie('s'), tie('s')).map(([c, a, b]) => `switch ( ${c} ) { case 1: ${a} case -EIO: ${b} break; default: ; }`),
    fc.tuple(tie('s'), tie('s')).map(([a, b]) => `{ int y = 0; ${a} ${b} }`),
  ),
})).s;
const fn = fc.array(stmt, { minLength: 1, maxLength: 6 }).map((ss) => `int f(int a)\n{\n  int rc = 0, ret, x;\n  ${ss.join('\n  ')}\nout:\n  return rc;\n}\n`);

test('random small functions never throw nor overrun the budget', () => {
  const budget = { maxPaths: 300, maxSteps: 20_000 };
  fc.assert(fc.property(fn, (src) => {
    const r = simulate(functionFromSource(src), { budget });
    assert.ok(r.status === 'complete' || r.status === 'inconclusive');
    assert.ok(r.stats.paths <= budget.maxPaths);
    assert.ok(r.stats.steps <= budget.maxSteps + 1);
  }), { numRuns: 150, seed: 42 });
});

test('a random function is equivalent to itself (or the answer is inconclusive)', () => {
  const budget = { maxPaths: 200, maxSteps: 10_000 };
  fc.assert(fc.property(fn, (src) => {
    const f = functionFromSource(src);
    const r = equivalent(f, f, { budget });
    assert.notEqual(r.verdict, 'different', r.counterexample?.story);
  }), { numRuns: 80, seed: 7 });
});
