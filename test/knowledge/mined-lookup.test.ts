// How src/knowledge/mined.ts finds a name: a binary search over the generated rows (no per-process index of
// every row). It relies on scripts/mine-apis.ts writing the rows sorted by name, each name once: checked here,
// with every name found and names not in the data not found.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { minedKnowledge } from '../../src/knowledge/mined.ts';
import { MINED_APIS } from '../../src/knowledge/mined-apis.ts';
import { CONVENTIONS, type Convention } from '../../src/knowledge/types.ts';

const rows = MINED_APIS.split('\n').map((line) => ({ name: line.slice(0, line.indexOf('\t')), fields: line.split('\t') }));

describe('mined API lookup', () => {
  it('has its rows sorted by name (JavaScript string order), each name once, each with a tab', () => {
    for (const [i, r] of rows.entries()) {
      assert.ok(r.name.length > 0, `row ${i + 1} has no name before a tab`);
      if (i > 0) assert.ok(rows[i - 1]!.name < r.name, `row ${i + 1}: ${JSON.stringify(r.name)} after ${JSON.stringify(rows[i - 1]!.name)}`);
    }
  });

  it('finds every row by its name, before and after the full list is built', () => {
    const k = minedKnowledge();
    const check = (): void => {
      for (const r of rows) {
        const f = k.lookup(r.name);
        if (!CONVENTIONS.includes(r.fields[1] as Convention) || !r.fields[9]) continue; // a row parse() refuses
        assert.equal(f?.name, r.name);
        assert.equal(f?.convention, r.fields[1]);
      }
    };
    check();
    assert.equal(k.facts().length > 0, true);
    check();
  });

  it('does not find names that are not rows', () => {
    const k = minedKnowledge();
    const names = new Set(rows.map((r) => r.name));
    const probes = ['', '\t', 'a', '~', 'zzzz_not_mined', '!', ...rows.slice(0, 50).map((r) => `${r.name}_`), ...rows.slice(0, 50).map((r) => r.name.slice(0, -1))];
    for (const p of probes.filter((n) => !names.has(n) && !/(?:->|\.|:)\s*[A-Za-z_]\w*$/.test(n))) assert.equal(k.lookup(p), undefined, JSON.stringify(p));
  });
});
