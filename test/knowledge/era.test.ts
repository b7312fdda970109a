// Facts bound to an era: a contract that changed (a function that returned void, a libfdt call that could not
// fail) answers only for patches written after the change, by the patch's Date: (types.ts holdsAt, mined.ts
// scopeKnowledge, the span column of the mined data).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { review } from '../../src/default-review.ts';
import { factsKnowledge, holdsAt, type ApiFact } from '../../src/knowledge/index.ts';
import { minedKnowledge, patchDay, scopeKnowledge } from '../../src/knowledge/mined.ts';
import { MINED_DATES, MINED_FROM } from '../../src/knowledge/mined-apis.ts';

const fact = (era?: ApiFact['era']): ApiFact => ({ name: 'widget_attach', convention: 'errno', source: 'test', ...(era ? { era } : {}) });

describe('era-bound facts', () => {
  it('hold from `since`, before `until`; a changed contract needs a date', () => {
    const changed = fact({ since: '2017-06-20', changed: true });
    assert.equal(holdsAt(changed, '2009-03-05'), false);
    assert.equal(holdsAt(changed, '2017-06-20'), true);
    assert.equal(holdsAt(changed, undefined), false, 'no date: only facts that never changed');
    const removed = fact({ until: '2012-09-17' });
    assert.equal(holdsAt(removed, '2011-01-01'), true);
    assert.equal(holdsAt(removed, '2013-01-01'), false);
    assert.equal(holdsAt(removed, undefined), true, 'removed later, never different: holds wherever it exists');
    assert.equal(holdsAt(fact(), '2001-01-01'), true);
  });

  it('reads a patch Date: in the usual forms', () => {
    assert.equal(patchDay('Tue, 5 Mar 2019 23:30:00 -0200'), '2019-03-06');
    assert.equal(patchDay('Thu Dec 3 17:27:38 2026 +0000'), '2026-12-03');
    assert.equal(patchDay('2009-04-30T10:00:00Z'), '2009-04-30');
    assert.equal(patchDay('not a date'), undefined);
    assert.equal(patchDay(undefined), undefined);
  });

  it('a scoped stack answers with an era-bound fact only for a patch of its era', () => {
    const k = factsKnowledge([fact({ since: '2017-06-20', changed: true })], {});
    assert.equal(scopeKnowledge(k, undefined, 'Mon, 1 Jun 2009 10:00:00 +0000').lookup('widget_attach'), undefined);
    assert.equal(scopeKnowledge(k, undefined, 'Mon, 1 Jun 2020 10:00:00 +0000').lookup('widget_attach')?.name, 'widget_attach');
    assert.equal(scopeKnowledge(k, undefined).lookup('widget_attach'), undefined);
    assert.equal(scopeKnowledge(k, undefined, 'Mon, 1 Jun 2009 10:00:00 +0000').facts().length, 0);
  });

  it('the mined data carries one date per snapshot and valid spans', () => {
    assert.equal(MINED_DATES.length, MINED_FROM.length);
    for (const d of MINED_DATES) assert.match(d, /^\d{4}-\d\d-\d\d$/);
    const facts = minedKnowledge().facts();
    const bound = facts.filter((f) => f.era);
    assert.ok(bound.some((f) => f.era!.changed && f.era!.since), 'some contracts changed');
    assert.ok(bound.some((f) => f.era!.until), 'some functions were removed');
    for (const f of bound) {
      if (f.era!.since && f.era!.until) assert.ok(f.era!.since < f.era!.until, f.name);
      assert.ok(!f.era!.since || MINED_DATES.includes(f.era!.since), f.name);
    }
  });

  it('the review applies a contract only to patches written after it changed', async () => {
    const text = readFileSync(fileURLToPath(new URL('../fixtures/knowledge/era-2019.patch', import.meta.url)), 'utf8');
    const dropped = async (t: string): Promise<number> =>
      (await review(t, {})).findings.filter((f) => f.ruleId === 'error-handling/dropped-error').length;
    assert.equal(await dropped(text), 1, 'written after the function came to return a status');
    assert.equal(await dropped(text.replace('Date: Tue, 5 Mar 2019', 'Date: Tue, 5 Mar 2009')), 0, 'written when it returned void');
    assert.equal(await dropped(text.replace(/^Date: .*\n/m, '')), 0, 'no date: the changed contract is not assumed');
  });
});
