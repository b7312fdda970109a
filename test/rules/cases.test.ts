// Every rule carries its own cases (ESLint RuleTester style): the flagged ones must produce a finding
// of that rule with the expected verdict, the clean near misses must produce none.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { allRules } from '../../rules/index.ts';
import { ruleKey } from '../../src/review/rule.ts';
import { review } from '../../src/review/engine.ts';
import type { RuleCase } from '../../src/review/rule.ts';

const squash = (s: string): string => s.replace(/\s+/g, '');

async function run(id: string, c: RuleCase) {
  let tree: string | undefined;
  if (c.tree) {
    tree = mkdtempSync(join(tmpdir(), 'pr-case-'));
    for (const [path, text] of Object.entries(c.tree)) {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), text);
    }
  }
  try {
    const r = await review(c.patch, { rules: [id], tree, showRefuted: true });
    assert.deepEqual(r.warnings.filter((w) => w.code === 'hunk-count-mismatch').map((w) => w.message), [], 'the case is a well-formed patch');
    return r;
  } finally {
    if (tree) rmSync(tree, { recursive: true, force: true });
  }
}

for (const rule of allRules) {
  const id = ruleKey(rule.meta);
  describe(`rule ${id}`, () => {
    for (const c of rule.cases.flagged) {
      it(`flags: ${c.name}`, async () => {
        const r = await run(id, c);
        const expect = c.expect!;
        const internal = r.warnings.filter((w) => w.code === 'internal' || w.code === 'parse');
        assert.deepEqual(internal, [], 'the case runs without internal or parse warnings');
        const hit = r.findings.find((f) => f.ruleId === id && squash(f.snippet).includes(squash(expect.snippet)));
        assert.ok(hit, `a finding at "${expect.snippet}"; got ${JSON.stringify(r.findings.map((f) => [f.snippet, f.verdict]))}, refuted ${JSON.stringify(r.refuted?.map((f) => [f.snippet, f.evidence.story]))}`);
        assert.equal(hit.verdict, expect.verdict, hit.evidence.story);
        if (expect.messageId) assert.equal(hit.message, hit.message, 'message rendered');
        assert.doesNotMatch(hit.message, /\{\{/, 'every placeholder is filled');
        if (expect.fixContains) {
          assert.ok(hit.fix, 'a proven fix is offered');
          const text = hit.fix.replacements.map((r) => r.text).join('\n');
          assert.ok(squash(text).includes(squash(expect.fixContains)), text);
        } else {
          assert.equal(hit.fix, undefined, 'no fix is offered unless the case expects one');
        }
      });
    }
    for (const c of rule.cases.clean) {
      it(`clears: ${c.name}`, async () => {
        const r = await run(id, c);
        const internal = r.warnings.filter((w) => w.code === 'internal' || w.code === 'parse');
        assert.deepEqual(internal, [], 'the case runs without internal or parse warnings');
        assert.deepEqual(r.findings.map((f) => `${f.line}: ${f.message}`), []);
        if (c.refuted) {
          assert.ok((r.refuted ?? []).some((f) => f.ruleId === id && f.evidence.story), 'the simulator refutes the candidate, with a counterexample');
        }
      });
    }
  });
}
