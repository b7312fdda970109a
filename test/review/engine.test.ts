import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mergeSameLine, reviewWithRules } from '../../src/review/engine.ts';
import type { Finding } from '../../src/review/types.ts';
import { review } from '../../src/default-review.ts';
import { defineRule, type FunctionRule } from '../../src/review/rule.ts';
import { allRules } from '../../rules/index.ts';
import { descendants } from '../../src/review/ast.ts';

const PATCH = `--- a/xen/common/a.c
+++ b/xen/common/a.c
@@ -1,8 +1,11 @@
 int setup(struct domain *d)
 {
     if ( d->is_hw )
-        hw_init(d);
+    {
+        if ( hw_init(d) )
+            printk("hw init failed\\n");
+    }
     return 0;
 }
 
--- a/xen/include/a.h
+++ b/xen/include/a.h
@@ -1,1 +1,1 @@
-void hw_init(struct domain *d);
+int hw_init(struct domain *d);
`;

const throwing = defineRule({
  scope: 'function',
  meta: {
    id: 'always-throws',
    pack: 'test',
    family: 'unchecked-error',
    severity: 'warning',
    summary: 'A rule that fails, to prove the review goes on.',
    source: { list: 'test', thread: 'test', date: '2026-01-01', reviewer: 'test', quote: 'test' },
    messages: { m: 'never shown' },
    fixable: false,
    limitations: 'It only throws.',
  },
  detect(ctx) {
    return [...descendants(ctx.post.node, 'if_statement')].map((node) => ({ node, data: {} }));
  },
  check() {
    throw new Error('boom');
  },
  cases: { flagged: [{ name: 'x', patch: PATCH, expect: [{ line: 3, messageId: 'm', verdict: 'verified' }] }], clean: [{ name: 'y', patch: PATCH }] },
}) satisfies FunctionRule;

describe('review()', () => {
  it('reports a rule that throws as an internal warning and goes on with the others', async () => {
    const r = await reviewWithRules(PATCH, [throwing, ...allRules]);
    assert.ok(r.warnings.some((w) => w.code === 'internal' && /rule test\/always-throws failed in setup\(\): boom/.test(w.message)));
    assert.ok(r.findings.some((f) => f.ruleId === 'error-handling/logged-not-returned'), 'the other rules still ran');
  });

  it('lets a nested-if finding yield to an unchecked-error finding on the same line', async () => {
    const r = await review(PATCH);
    const line = r.findings.find((f) => f.family === 'unchecked-error')!.line;
    assert.equal(r.findings.filter((f) => f.line === line && f.family === 'nested-if').length, 0);
  });

  it('records a function it cannot parse as inconclusive, never as a finding', async () => {
    const broken = `--- a/src/b.c
+++ b/src/b.c
@@ -1,5 +1,5 @@
 int broken(int x)
 {
-    return x;
+    return x +* ;
 }
`;
    const r = await review(broken);
    assert.deepEqual(r.findings, []);
    assert.ok(r.warnings.some((w) => w.code === 'parse' && /broken\(\): inconclusive: parse error at line \d+/.test(w.message)), JSON.stringify(r.warnings));
  });

  it('reviews each patch of an mbox series and leaves the cover letter out', async () => {
    const mail = (n: number, subject: string, body: string): string =>
      `From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\nFrom: A Dev <a@example.invalid>\nDate: Mon, 2 Nov 2026 10:00:00 +0000\nSubject: [PATCH ${n}/2] ${subject}\n\n${body}`;
    const series = [
      mail(0, 'cover', 'This series does things.\n\n-- \n2.40.0\n'),
      mail(1, 'hw: report init errors', `Report errors.\n\n---\n${PATCH}-- \n2.40.0\n`),
      mail(2, 'nothing', `Nothing to say.\n\n---\n--- a/src/c.c\n+++ b/src/c.c\n@@ -1,3 +1,4 @@\n int g(void)\n {\n+    tick();\n     return 0;\n`),
    ].join('\n');
    const r = await review(series);
    assert.equal(r.input.kind, 'mbox-series');
    assert.equal(r.patches.length, 3);
    assert.ok(r.patches[0]!.isCoverLetter);
    assert.ok(r.findings.length > 0 && r.findings.every((f) => f.patch === 1));
  });

  it('simulates a pathological function until its path budget runs out, and calls what it cannot decide inconclusive, never refuted', async () => {
    const checks = Array.from({ length: 40 }, (_, i) => `+    if ( f${i}() )\n+        x++;`).join('\n');
    const patch = `--- a/src/p.c\n+++ b/src/p.c\n@@ -1,6 +1,89 @@\n int p(void)\n {\n     int x = 0;\n${checks}\n     if ( x > 3 )\n-        x--;\n+    {\n+        if ( g(x) )\n+            x = 0;\n+    }\n     return x;\n`;
    // 2^40 paths: the simulator runs until its step budget stops it (a count, so the verdict is the same on any machine).
    const r = await review(patch, { budget: { maxPaths: 50, maxSteps: 20_000 }, showRefuted: true });
    assert.equal(r.stats.functions, 1);
    const nested = r.findings.filter((f) => f.ruleId === 'simplify/nested-if');
    assert.deepEqual(nested.map((f) => [f.line, f.verdict, f.fix]), [[86, 'inconclusive', undefined]]);
    assert.match(nested[0]!.evidence.story, /(step budget exhausted \(20000 steps\)|path budget exhausted \(50 paths\))/, 'it really simulated, until the budget ran out');
    assert.ok((r.refuted ?? []).every((f) => !/budget/.test(f.evidence.story)), 'an exhausted budget refutes nothing');
  });

  it('reports every function it had no time for when the outer time limit expires, and stops', async () => {
    const r = await review(PATCH, { timeLimitMs: 0 });
    assert.equal(r.stats.timedOut, true);
    assert.deepEqual(r.findings, []);
    assert.ok(r.warnings.some((w) => w.code === 'time-limit' && /setup\(\): not reviewed/.test(w.message)), JSON.stringify(r.warnings));
  });

  it('lists the rules that ran, so formatters need not import the packs', async () => {
    const r = await review(PATCH, { rules: ['simplify'] });
    assert.ok(r.rules.length > 0 && r.rules.every((x) => x.pack === 'simplify' && x.id.startsWith('simplify/') && x.summary));
  });

  it('gives every finding a stable fingerprint and sorts findings by place', async () => {
    const a = await review(PATCH);
    const b = await review(PATCH);
    assert.deepEqual(a.findings.map((f) => f.fingerprint), b.findings.map((f) => f.fingerprint));
    const places = a.findings.map((f) => [f.file, f.line] as const);
    assert.deepEqual(places, [...places].sort((x, y) => x[0].localeCompare(y[0]) || x[1] - y[1]));
  });

  it('fingerprints a finding by rule, file, function and snippet (hashed when read, in its place in the JSON)', async () => {
    const r = await review(PATCH);
    assert.ok(r.findings.length > 0);
    for (const f of r.findings) {
      const expected = createHash('sha256').update([f.ruleId, f.file, f.function, f.snippet.replace(/\s+/g, '')].join('\0')).digest('hex').slice(0, 16);
      const json = JSON.parse(JSON.stringify(f)) as Record<string, unknown>;
      assert.equal(json.fingerprint, expected);
      assert.equal(f.fingerprint, expected);
      // the key stays where it was: the last field of a finding that is not a group
      assert.equal(Object.keys(json).pop(), 'fingerprint');
      assert.equal(structuredClone(f).fingerprint, expected);
    }
  });

  it('merges two findings of one family on one line without hashing the fingerprint, fields as a spread gives them', () => {
    let reads = 0;
    const finding = (ruleId: string, verdict: Finding['verdict'], alsoReported?: Finding['alsoReported']): Finding => {
      const f = {
        ruleId, family: 'unchecked-error', severity: 'warning', file: 'a.c', line: 3, column: 5, function: 'f', snippet: 'x();', messageId: 'm',
        message: `${ruleId} says`, verdict, evidence: { story: '', steps: [], assumptions: [], reliedOn: [] }, source: { pack: 'test' }, patch: 0,
        ...(alsoReported ? { alsoReported } : {}),
        get fingerprint(): string {
          reads += 1;
          return `fp-${ruleId}`;
        },
      };
      return f as unknown as Finding;
    };
    const [merged] = mergeSameLine([finding('a/one', 'inconclusive'), finding('a/two', 'verified', [{ ruleId: 'a/three', message: 'm3' }])]);
    assert.equal(reads, 0, 'the merge reads no fingerprint');
    const expected = { ...finding('a/two', 'verified', [{ ruleId: 'a/three', message: 'm3' }, { ruleId: 'a/one', message: 'a/one says' }]) };
    assert.equal(JSON.stringify(merged), JSON.stringify(expected));
    assert.equal(merged!.fingerprint, 'fp-a/two');
    const [alone] = mergeSameLine([finding('a/one', 'verified'), finding('a/two', 'inconclusive')]);
    assert.deepEqual(Object.keys(alone!), [...Object.keys(finding('a/one', 'verified')), 'alsoReported']);
  });
});
