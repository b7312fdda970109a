import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionFromSource, simulate, type SimPath, type SimResult } from '../../src/sim/index.ts';

const run = (body: string, opts = {}): SimResult => simulate(functionFromSource(`int f(int a)\n{\n${body}\n}\n`), opts);
const ends = (r: SimResult): string[] => r.paths.map((p) => `${p.end.kind}${p.end.valueText !== undefined ? ` ${p.end.valueText}` : ''}`);
const calls = (p: SimPath): string[] => p.effects.filter((e) => e.kind === 'call').map((e) => e.target);

test('declarations with several declarators and op-assignments fold to constants', () => {
  const r = run('int rc = 0, ret = 2, x;\nx = 3; rc += ret; rc *= x; ret++; ++ret; ret--;\nreturn rc + ret;');
  assert.deepEqual(ends(r), ['return 9']);
});

test('post-increment yields the old value, pre-increment the new', () => {
  assert.deepEqual(ends(run('int i = 1; int j = i++; int k = ++i; return j * 10 + k;')), ['return 13']);
});

test('a call result branched with if ( rc ) splits into non-zero and zero', () => {
  const r = run('int rc = g(); if ( rc ) return rc; return 0;');
  assert.deepEqual(ends(r), ['return g()', 'return 0']);
  assert.equal(r.paths[0]!.assumptions[0]!.relation, '!= 0');
});

test('comparisons with errno constants record equalities and evaluate consistently', () => {
  const r = run('int rc = g(); if ( rc == -ENOENT ) return 1; if ( rc < 0 ) return rc; return 0;');
  assert.deepEqual(ends(r), ['return 1', 'return g()', 'return 0']);
  assert.equal(r.paths[0]!.assumptions[0]!.relation, '== -ENOENT');
});

test('a condition with a call on both sides of || short-circuits', () => {
  const r = run('if ( f1() || f2() ) return 1; return 0;');
  assert.deepEqual(r.paths.map(calls), [['f1'], ['f1', 'f2'], ['f1', 'f2']]);
  assert.deepEqual(ends(r), ['return 1', 'return 1', 'return 0']);
});

test('ternaries, comma, casts, sizeof, unary operators and literals evaluate', () => {
  const r = run('int x = (long)3, y = (1, 2); const char *s = "ab" "c"; return !x + -y + ~0 + (x ? 10 : 20) + \'A\';');
  assert.deepEqual(ends(r), ['return 72']);
  assert.deepEqual(ends(run('return sizeof(struct dma_pte);')), ['return sizeof(struct dma_pte)']);
});

test('member, array and pointer accesses are opaque locations; writes are effects', () => {
  const r = run('hd->arch.lock = 1; *pte = a[i]; this_cpu(flag) = 0; return hd->arch.lock + this_cpu(flag);');
  assert.deepEqual(ends(r), ['return 1']);
  assert.deepEqual(r.paths[0]!.effects.filter((e) => e.kind === 'write').map((e) => e.target), ['hd->arch.lock', '*pte', 'this_cpu(flag)']);
});

test('goto into a shared cleanup label runs the cleanup on every path', () => {
  const r = run('int rc = g1();\nif ( rc )\n goto out;\nrc = g2();\nout:\nunlock();\nreturn rc;');
  assert.deepEqual(r.paths.map(calls), [['g1', 'unlock'], ['g1', 'g2', 'unlock']]);
});

test('a goto to a label the fragment does not show ends the path as unseen', () => {
  const r = run('if ( g() ) goto err;\nreturn 0;');
  assert.deepEqual(ends(r), ['unseen', 'return 0']);
  assert.equal(r.paths[0]!.end.gap, -1);
});

test('a loop whose body returns; paths past the bound are cut', () => {
  const r = run('while ( more() ) { if ( g() ) return -EIO; }\nreturn 0;', { loopBound: 2 });
  assert.ok(ends(r).includes('return -EIO'));
  assert.ok(ends(r).includes('return 0'));
  assert.ok(ends(r).includes('cut'));
  assert.equal(r.status, 'complete');
});

test('for and do-while loops over constants run exactly', () => {
  assert.deepEqual(ends(run('int s = 0, i; for ( i = 0; i < 2; i++ ) s += 5; return s;', { loopBound: 3 })), ['return 10']);
  assert.deepEqual(ends(run('int n = 0; do { n++; if ( n == 1 ) continue; break; } while ( 1 ); return n;', { loopBound: 3 })), ['return 2']);
});

test('switch falls through until break and takes default when nothing matches', () => {
  const r = run('switch ( a ) { case 1: one(); case 2: two(); break; default: other(); }\nreturn 0;');
  assert.deepEqual(r.paths.map(calls), [['one', 'two'], ['two'], ['other']]);
});

test('a fragment ending inside a loop yields an unseen outcome with live variables', () => {
  const r = run('int rc = 0;\nwhile ( i-- > 0 ) {\n rc = unmap(i);\n __pr_unseen(1);\n}\nreturn rc;');
  const unseen = r.paths.filter((p) => p.end.kind === 'unseen');
  assert.ok(unseen.length > 0);
  assert.equal(unseen[0]!.finalVarsText.rc, 'unmap(i)');
});

test('at a gap, variables are havocked except the preserved ones', () => {
  const src = 'int rc = 0, ret = 0;\n__pr_unseen(1);\nreturn rc + ret;';
  const r = run(src, { preserveAtGaps: ['ret'] });
  assert.deepEqual(ends(r), ['unseen', 'return the value of rc after unseen code']);
});

test('an uninitialised local read is recorded; inputs never are', () => {
  const r = run('int rc;\nif ( a ) rc = g();\nreturn rc + undeclared;');
  assert.deepEqual(r.paths.map((p) => p.uninitReads), [[], [{ name: 'rc', line: 5 }]]);
});

test('an iteration macro runs 0..bound times with fresh iterator values and no uninitialised read', () => {
  const r = run('struct drhd *drhd;\nwhile/*I*/ ( drhd )\n  enable(drhd);\nreturn 0;', { loopBound: 2 });
  assert.deepEqual(r.paths.map((p) => calls(p).length), [2, 1, 0]);
  assert.ok(r.paths.every((p) => p.uninitReads.length === 0 && p.end.kind === 'return'));
});

test('__pr_unknown() forks both ways', () => {
  assert.deepEqual(ends(run('if ( __pr_unknown() ) return 1; return 0;')), ['return 1', 'return 0']);
});

test('BUG_ON ends the path where its condition holds; BUG and panic always abort', () => {
  const r = run('int rc = g();\nBUG_ON(rc < 0);\nif ( rc ) BUG();\nreturn rc;');
  assert.deepEqual(ends(r), ['abort', 'abort', 'return 0']);
});

test('printk is a log effect; likely/unlikely are transparent; WARN_ON returns its condition', () => {
  const r = run('if ( unlikely(WARN_ON(g())) ) printk("bad\\n");\nreturn 0;');
  assert.deepEqual(r.paths.map((p) => p.effects.map((e) => e.kind)), [['call', 'log', 'log'], ['call']]);
});

test('allocations may return NULL', () => {
  const r = run('struct x *p = kmalloc(sizeof(*p), GFP_KERNEL);\nif ( !p ) return -ENOMEM;\nreturn 0;');
  assert.deepEqual(ends(r).sort(), ['return -ENOMEM', 'return 0']);
  assert.ok(r.paths.every((p) => p.assumptions[0]!.isPointer));
});

test('call identity: callee, argument text and occurrence', () => {
  const r = run('g(a); g(a); g(b); return 0;');
  assert.deepEqual(r.paths[0]!.effects.map((e) => e.symbol), ['call:g(a)#0', 'call:g(a)#1', 'call:g(b)#0']);
});

test('function-pointer calls use the callee text', () => {
  assert.deepEqual(calls(run('return ops->suspend();').paths[0]!), ['ops->suspend']);
});

test('block scoping: an inner declaration shadows and is dropped', () => {
  assert.deepEqual(ends(run('int x = 1;\n{ int x = 2; x++; }\nreturn x;')), ['return 1']);
});

test('unsupported constructs make the result inconclusive, naming the construct and line', () => {
  const r = run('asm volatile("nop");\nreturn 0;');
  assert.equal(r.status, 'inconclusive');
  assert.match(r.reason!, /unsupported construct/);
});

test('simulation is deterministic', () => {
  const body = 'int rc = g1(); if ( rc || g2() ) goto out; while ( more() ) h(); out: return rc;';
  assert.deepEqual(JSON.stringify(run(body).paths), JSON.stringify(run(body).paths));
});

test('functions of the same patch are inlined', () => {
  const callee = functionFromSource('int helper(int x)\n{\n  if ( x ) return -EINVAL;\n  return 0;\n}\n');
  const r = simulate(functionFromSource('int f(void)\n{\n  return helper(0);\n}\n'), { functions: [callee] });
  assert.deepEqual(ends(r), ['return 0']);
});
