// The explicit index is checked: every rule file is listed, named by its id, with provenance and cases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packs } from '../../rules/index.ts';
import { FAMILIES } from '../../src/review/types.ts';
import { readPacks, ruleProblems } from '../../src/packs/static-rules.ts';
import { catalogText } from '../../src/packs/catalog.ts';

const root = new URL('../../rules/', import.meta.url).pathname;
/** Modules in a pack folder that are not rules. */
const SUPPORT = new Set(['index.ts', 'source.ts', 'temporaries.ts']);

describe('rule packs', () => {
  for (const [pack, rules] of Object.entries(packs)) {
    it(`${pack}: every rule file is in the pack index, and every indexed rule has its file`, () => {
      const files = readdirSync(join(root, pack)).filter((f) => f.endsWith('.ts') && !SUPPORT.has(f)).map((f) => f.replace(/\.ts$/, ''));
      assert.deepEqual([...files].sort(), rules.map((r) => r.meta.id).sort());
    });
    for (const rule of rules) {
      it(`${pack}/${rule.meta.id}: meta is complete and its messages are used by its cases`, () => {
        assert.equal(rule.meta.pack, pack);
        assert.ok((FAMILIES as readonly string[]).includes(rule.meta.family));
        for (const field of ['list', 'thread', 'date', 'reviewer', 'quote'] as const) assert.ok(rule.meta.source[field], field);
        assert.ok(rule.meta.summary.length > 10 && rule.meta.limitations.length > 10);
        for (const c of rule.cases.flagged) for (const e of c.expect ?? []) assert.ok(e.messageId in rule.meta.messages);
      });
    }
  }
  it('no rule reads files or spells API knowledge: files come through the context, APIs from the knowledge data', () => {
    for (const pack of Object.keys(packs)) {
      for (const file of readdirSync(join(root, pack)).filter((f) => f.endsWith('.ts'))) {
        const text = readFileSync(join(root, pack, file), 'utf8');
        assert.doesNotMatch(text, /from ['"](node:)?(fs|fs\/promises|child_process)['"]/, `${pack}/${file} reads the filesystem`);
        assert.doesNotMatch(text, /\(un\)\?likely|'(un)?likely'/, `${pack}/${file} spells compiler hints (they are the simulator's models)`);
      }
    }
  });

    it('src/review never imports the rule packs (the engine gets them passed in)', () => {
    const dir = new URL('../../src/review/', import.meta.url).pathname;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      assert.doesNotMatch(readFileSync(join(dir, file), 'utf8'), /from ['"][./]*\/rules\//, `src/review/${file}`);
    }
  });

    it('the rule reference (docs/rules.md) is the catalogue read statically from the rule modules, and up to date', () => {
    const doc = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');
    const read = readPacks(root);
    assert.deepEqual(read.packs.map((p) => [p.name, p.rules.map((r) => r.fileId)]), Object.entries(packs).map(([p, rules]) => [p, rules.map((r) => r.meta.id)]));
    assert.equal(doc, catalogText(read), 'run `npm run docs` (patch-review rules catalog) to regenerate docs/rules.md');
  });

  it('statically, every rule is named by its file, has provenance and cases (owner packs: src/packs/static-rules.ts)', () => {
    assert.deepEqual(readPacks(root).packs.flatMap((p) => p.rules.flatMap(ruleProblems)), []);
  });
});
