import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionFromSource, simulate, type SimPath, type SimResult } from '../../src/sim/index.ts';

const run = (body: string, raw?: string): SimResult => {
  const fn = functionFromSource(`int f(int a)\n{\n${body}\n}\n`);
  if (raw !== undefined) fn.rawLines = `int f(int a)\n{\n${raw}\n}\n`.split('\n');
  return simulate(fn);
};
const ends = (r: SimResult): string[] => r.paths.map((p) => `${p.end.kind}${p.end.valueText !== undefined ? ` ${p.end.valueText}` : ''}`);
const calls = (p: SimPath): string[] => p.effects.filter((e) => e.kind === 'call').map((e) => e.target);

test('case arms that return a call are ordinary returns of that arm, and default catches the rest', () => {
  const r = run('switch ( op->cmd )\n{\ncase DO_MAP:\n  return do_map(op);\ncase DO_UNMAP:\n  return do_unmap(op);\ndefault:\n  return -ENOSYS;\n}');
  assert.equal(r.status, 'complete');
  assert.deepEqual(ends(r), ['return do_map(op)', 'return do_unmap(op)', 'return -ENOSYS']);
});

test('entering one arm rules out the other labels: a test for another label inside it is dead', () => {
  const r = run('switch ( cmd )\n{\ncase OP_A:\n  return 1;\ncase OP_B:\n  if ( cmd == OP_A )\n    return 99;\n  return 2;\n}\nreturn 0;');
  assert.deepEqual(ends(r), ['return 1', 'return 2', 'return 0']);
});

test('arms fall through to the next label until a break', () => {
  const r = run('switch ( a ) { case 1: one(); case 2: two(); break; case 3: three(); default: other(); }\nreturn 0;');
  assert.deepEqual(r.paths.map(calls), [['one', 'two'], ['two'], ['three', 'other'], ['other']]);
});

test('break in a switch inside a loop leaves the switch; continue and break of the loop act on the loop', () => {
  const r = simulate(functionFromSource(`int f(void)\n{\n  int n = 0;\n  while ( more() )\n  {\n    switch ( kind() )\n    {\n    case 1: n++; break;\n    case 2: continue;\n    default: goto done;\n    }\n    after();\n  }\n done:\n  return n;\n}\n`), { loopBound: 1 });
  assert.equal(r.status, 'complete');
  const byCalls = r.paths.map((p) => `${calls(p).join(',')} -> ${p.end.kind} ${p.end.valueText ?? ''}`.trim());
  assert.ok(byCalls.includes('more,kind,after,more -> return 1'), byCalls.join('\n'));
  assert.ok(byCalls.includes('more,kind,more -> return 0'), byCalls.join('\n'));
  assert.ok(byCalls.includes('more,kind -> return 0'), byCalls.join('\n'));
  // `after()` never runs on the continue or goto arms.
  assert.ok(!byCalls.some((x) => x.startsWith('more,kind,after') && x.endsWith('return 0')), byCalls.join('\n'));
});

test('a GNU case range (normalised by the C model to ||) is a range, read from the raw text', () => {
  const r = run('switch ( a ) { case 1 ||  5: return 1; case 7: return 7; }\nreturn 0;', 'switch ( a ) { case 1 ...  5: return 1; case 7: return 7; }\nreturn 0;');
  assert.equal(r.status, 'complete');
  assert.deepEqual(ends(r), ['return 1', 'return 7', 'return 0', 'return 0']);
  const inRange = r.paths[0]!.constraints;
  assert.deepEqual(Object.values(inRange)[0], { cls: 4, ne: [], hi: 5 });
});

test('a real `case A || B:` (no range in the raw text) is one value', () => {
  const r = run('switch ( a ) { case 1 || 0: return 1; }\nreturn 0;', 'switch ( a ) { case 1 || 0: return 1; }\nreturn 0;');
  assert.deepEqual(ends(r), ['return 1', 'return 0']);
});

test('a fragment that ends at the switch head goes on into unseen arms, never assumed to match none', () => {
  const r = run('switch ( op->cmd )\n{ __pr_unseen(1); }\n__pr_unseen(2);');
  assert.equal(r.status, 'complete');
  assert.equal(r.paths[0]!.end.kind, 'unseen');
  assert.equal(r.paths[0]!.end.gap, 1);
});

test('a fragment that starts inside case arms: the unseen labels before the visible ones may take the path', () => {
  const r = run('switch ( __pr_unknown() )\n{\n__pr_unseen(1);\ncase XEN_OP_B:\n  rc = do_b();\n  break;\ndefault:\n  rc = -EINVAL;\n  break;\n}\nreturn rc;');
  assert.equal(r.status, 'complete');
  assert.deepEqual(ends(r), ['unseen', 'return do_b()', 'return -EINVAL']);
});

test('declarations before the first label are declared; other dead statements there are not run', () => {
  const r = run('switch ( a ) { int t; never(); case 1: t = 4; return t; }\nreturn 0;');
  assert.deepEqual(ends(r), ['return 4', 'return 0']);
  assert.deepEqual(r.paths.map(calls), [[], []]);
});
