// Every rule carries its own cases (ESLint RuleTester style). A flagged case must produce exactly the
// expected findings of its rule (line, message id, verdict, exact fix text) and nothing more; a clean case
// none, and a near miss marked `refuted` must be a candidate the simulator refutes. Every fix a case
// produces is applied to the function and re-parsed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { allRules } from '../../rules/index.ts';
import { ruleKey, type RuleCase } from '../../src/review/rule.ts';
import { reviewWithRules } from '../../src/review/engine.ts';
import { inspect } from '../../src/review/inspect.ts';
import { firstErrorNode, parseC } from '../../src/c/parser.ts';
import type { Finding, Review } from '../../src/review/types.ts';

function withTree<T>(c: RuleCase, body: (tree: string | undefined) => Promise<T>): Promise<T> {
  if (!c.tree) return body(undefined);
  const tree = mkdtempSync(join(tmpdir(), 'pr-case-'));
  for (const [path, text] of Object.entries(c.tree)) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), text);
  }
  return body(tree).finally(() => rmSync(tree, { recursive: true, force: true }));
}

async function run(rule: (typeof allRules)[number], c: RuleCase): Promise<Review> {
  return withTree(c, async (tree) => {
    const r = await reviewWithRules(c.patch, [rule], { tree, showRefuted: true });
    assert.deepEqual(r.warnings.filter((w) => w.code === 'hunk-count-mismatch').map((w) => w.message), [], 'the case is a well-formed patch');
    assert.deepEqual(r.warnings.filter((w) => w.code === 'internal' || w.code === 'parse'), [], 'the case runs without internal or parse warnings');
    return r;
  });
}

const fixOf = (f: Finding): string | undefined => f.fix?.replacements.map((r) => r.text).join('\n');

/** The function the finding is in, with the fix applied, parsed on its own: it must be clean C. */
async function assertFixParses(c: RuleCase, f: Finding): Promise<void> {
  await withTree(c, async (tree) => {
    const { models } = await inspect(c.patch, { tree });
    const fn = models.flatMap((m) => m?.files ?? []).flatMap((file) => file.functions).find((x) => x.name === f.function && x.file === f.file);
    const image = fn?.post;
    assert.ok(image, `the post-image of ${f.function}()`);
    // Visible rows as written, synthetic rows (unseen code) as the model wrote them.
    const rows = image.source.split('\n').map((row, i) => (image.lineMap[i] ? image.rawLines[i]! : row));
    for (const r of [...f.fix!.replacements].sort((a, b) => b.startLine - a.startLine)) {
      const first = image.lineMap.indexOf(r.startLine);
      const last = image.lineMap.lastIndexOf(r.endLine);
      assert.ok(first >= 0 && last >= first, `the fix's lines ${r.startLine}-${r.endLine} are visible`);
      rows.splice(first, last - first + 1, ...r.text.split('\n'));
    }
    const text = rows.join('\n');
    const bad = firstErrorNode(parseC(text).rootNode);
    assert.equal(bad, undefined, `the fixed function parses cleanly:\n${text}`);
  });
}

for (const rule of allRules) {
  const id = ruleKey(rule.meta);
  describe(`rule ${id}`, () => {
    for (const c of rule.cases.flagged) {
      it(`flags: ${c.name}`, async () => {
        const r = await run(rule, c);
        const got = r.findings
          .filter((f) => f.ruleId === id)
          .map((f) => ({ line: f.line, messageId: f.messageId, verdict: f.verdict, ...(fixOf(f) !== undefined ? { fix: fixOf(f) } : {}) }));
        const want = c.expect!.map((e) => ({ line: e.line, messageId: e.messageId, verdict: e.verdict, ...(e.fix !== undefined ? { fix: e.fix } : {}) }));
        assert.deepEqual(got, want, `findings; stories: ${JSON.stringify(r.findings.map((f) => f.evidence.story))}`);
        for (const f of r.findings) {
          assert.doesNotMatch(f.message, /\{\{/, 'every placeholder is filled');
          if (f.verdict === 'verified') assert.ok(f.evidence.story, 'a verified finding tells its witness');
          if (f.fix) await assertFixParses(c, f);
        }
      });
    }
    for (const c of rule.cases.clean) {
      it(`clears: ${c.name}`, async () => {
        const r = await run(rule, c);
        assert.deepEqual(r.findings.filter((f) => f.ruleId === id).map((f) => `${f.line}: ${f.verdict}: ${f.message}`), []);
        if (c.refuted) {
          const refuted = (r.refuted ?? []).filter((f) => f.ruleId === id);
          assert.ok(refuted.length > 0, 'the detector proposes this near miss');
          assert.ok(refuted.every((f) => f.verdict === 'refuted' && f.evidence.story), 'the simulator refutes it, saying why');
        }
      });
    }
  });
}
