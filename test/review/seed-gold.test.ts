// The acceptance test: the review of the seed thread, scored against the maintainer's comments
// (a copy of seed-gold.json), and the clean seed, which must draw no finding of a forbidden family.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { review } from '../../src/default-review.ts';
import type { Finding, Review } from '../../src/review/types.ts';

interface GoldItem {
  id: string;
  level: 'required' | 'stretch' | 'must_not';
  family: string;
  file: string;
  function: string;
  anchor: string;
  verdict_not?: string;
}
const fixture = (name: string): URL => new URL(`../fixtures/${name}`, import.meta.url);
const gold = JSON.parse(readFileSync(fixture('seed-gold.json'), 'utf8')) as {
  items: GoldItem[];
  clean: { forbidden_families: string[] };
};

/** Findings the maintainer did not write, each a true issue, with why. */
const JUSTIFIED_EXTRAS: { function: string; family: string; why: string }[] = [
  {
    function: '__gnttab_map_grant_ref',
    family: 'inverted-check',
    why: 'get_page_type() returns 1 on success, so `if ( get_page_type(...) ) goto could_not_pin;` fails exactly when the type was taken (a real bug the thread missed)',
  },
  {
    function: 'domain_context_unmap_one',
    family: 'redundant-temporary',
    why: 'rc = me_wifi_quirk(...); if ( rc ) return rc; } return 0; is the refinement asked for at G18 ("I\'ll stop comment for similar refinement")',
  },
];

const squash = (s: string): string => s.replace(/\s+/g, '');
const inFunction = (f: Finding, item: GoldItem): boolean => f.file.endsWith(item.file) && f.function === item.function;
const located = (f: Finding, item: GoldItem): boolean => squash(f.snippet).includes(squash(item.anchor)) || squash(item.anchor).includes(squash(f.snippet));

describe('seed review against the gold table', () => {
  let r000: Review;
  let r004: Review;
  before(async () => {
    r000 = await review(readFileSync(fixture('seed-000.txt')));
    r004 = await review(readFileSync(fixture('seed-004.txt')));
  });

  it('finds every required comment with its family in its function, and scores the rest', () => {
    const used = new Set<Finding>();
    let required = 0, requiredHit = 0, stretch = 0, stretchHit = 0, violations = 0;
    const missed: string[] = [];
    for (const item of gold.items) {
      const here = r000.findings.filter((f) => inFunction(f, item));
      if (item.level === 'must_not') {
        const bad = item.family === '*'
          ? here.filter((f) => located(f, item))
          : here.filter((f) => f.family === item.family && f.verdict === 'verified' && f.fix && /\brc\s*=\s*iommu_/.test(JSON.stringify(f.fix)));
        here.filter((f) => f.family === item.family || item.family === '*').forEach((f) => used.add(f));
        if (bad.length > 0) violations++;
        continue;
      }
      const hits = here.filter((f) => f.family === item.family);
      hits.forEach((f) => used.add(f));
      if (item.verdict_not && hits.some((f) => f.verdict === item.verdict_not)) violations++;
      if (item.level === 'required') {
        required++;
        if (hits.length > 0) requiredHit++;
        else missed.push(`${item.id} ${item.function}`);
      } else {
        stretch++;
        if (hits.length > 0) stretchHit++;
      }
    }
    const extras = r000.findings.filter((f) => !used.has(f));
    const unjustified = extras.filter((f) => !JUSTIFIED_EXTRAS.some((j) => j.function === f.function && j.family === f.family));
    console.log(`required ${requiredHit}/${required}, stretch ${stretchHit}/${stretch}, must_not ${violations === 0 ? 'ok' : `${violations} violated`}, extras ${extras.length}`);
    assert.deepEqual(missed, [], 'every required item is found');
    assert.equal(violations, 0, 'no must_not item is violated');
    assert.deepEqual(unjustified.map((f) => `${f.function}:${f.line} ${f.family} ${f.message}`), [], 'every extra finding is justified');
  });

  it('anchors each required finding at the line the maintainer quoted', () => {
    for (const item of gold.items.filter((i) => i.level === 'required')) {
      const hits = r000.findings.filter((f) => inFunction(f, item) && f.family === item.family);
      assert.ok(hits.some((f) => located(f, item)), `${item.id}: a ${item.family} finding at "${item.anchor}"`);
    }
  });

  it('refutes the maintainer\'s "reuse rc" suggestions with the counterexample that loses the error', async () => {
    const r = await review(readFileSync(fixture('seed-000.txt')), { showRefuted: true, rules: ['simplify/reuse-existing-variable'] });
    for (const fn of ['guest_physmap_add_entry', 'xenmem_add_to_physmap']) {
      const f = r.refuted!.find((x) => x.function === fn);
      assert.ok(f, `${fn}: the rewrite is refuted`);
      assert.match(f.evidence.story, /error is lost/);
    }
    assert.equal(r.findings.length, 0, 'and not reported');
  });

  it('offers the maintainer\'s own rewrites only where the simulator proved them', () => {
    const withFix = r000.findings.filter((f) => f.fix);
    assert.ok(withFix.length >= 4, 'G11, G18, G20 and G16 come with fixes');
    for (const f of withFix) assert.equal(f.verdict, 'verified');
    const suspend = withFix.find((f) => f.function === 'iommu_suspend');
    const text = (f: Finding): string => f.fix!.replacements.map((r) => r.text).join('\n');
    assert.match(text(suspend!), /return ops->suspend\(\);/);
    const clear = withFix.find((f) => f.function === 'dma_pte_clear_one' && f.family === 'duplicated-cleanup');
    assert.ok(clear?.fix, 'the single-exit rewrite of dma_pte_clear_one is offered');
    assert.match(text(clear), /int rc = 0;[\s\S]*return rc;/, 'the single-exit rewrite initialises rc');
  });

  it('says what it assumed where the patch does not show enough (G06 memory_add)', () => {
    const f = r000.findings.find((x) => x.function === 'memory_add' && x.family === 'redundant-temporary');
    assert.ok(f);
    assert.equal(f.verdict, 'inconclusive');
    assert.ok(f.evidence.assumptions.some((a) => /assumes ret is not read after line \d+/.test(a)), f.evidence.assumptions.join('\n'));
  });

  it('draws no finding of a forbidden family on the correct conversion of seed 004', () => {
    const banned = new Set(gold.clean.forbidden_families);
    assert.deepEqual(r004.findings.filter((f) => banned.has(f.family)).map((f) => `${f.function}:${f.line} ${f.ruleId}`), []);
    assert.ok(r004.stats.functions >= 10, 'seed 004 was understood, not skipped');
  });

  it('is deterministic: the same input gives the same findings', async () => {
    const again = await review(readFileSync(fixture('seed-000.txt')));
    const strip = (r: Review): unknown => r.findings.map((f) => ({ ...f }));
    assert.deepEqual(strip(again), strip(r000));
  });
});
