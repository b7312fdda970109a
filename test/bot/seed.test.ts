// The seed patch as it reached xen-devel (patch 1/3 of a series, rebuilt from the hunks quoted in
// its review and reduced to the files the review commented on): one reply a maintainer would
// recognise, carrying the findings the reviewers made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { Bot } from '../../src/bot/bot.ts';
import { openSqliteStore } from '../../src/bot/store/sqlite.ts';
import { mboxSource } from '../../src/bot/sources.ts';
import { dirTransport } from '../../src/bot/deliver.ts';
import { readConfig } from '../../src/bot/policy.ts';
import { review } from '../../src/default-review.ts';
import { FIXTURES, tmp } from './helpers.ts';

const SEED = join(FIXTURES, 'seed-000-patch.mbox');
const PATCH_ID = '<1450859136-98482-2-git-send-email-quan.xu@xxxxxxxxx>';

/** The functions the seed review commented on (required findings), by family. */
const REQUIRED: [string, string][] = [
  ['construct_dom0', 'unchecked-error'],
  ['__get_page_type', 'success-path-change'],
  ['memory_add', 'redundant-temporary'],
  ['late_hwdom_init', 'unchecked-error'],
  ['__gnttab_map_grant_ref', 'nested-if'],
  ['iommu_hwdom_init', 'disabled-not-error'],
  ['iommu_suspend', 'redundant-temporary'],
  ['iommu_crash_shutdown', 'redundant-temporary'],
  ['__intel_iommu_iotlb_flush', 'duplicated-cleanup'],
  ['dma_pte_clear_one', 'disabled-not-error'],
  ['dma_pte_clear_one', 'duplicated-cleanup'],
  ['intel_iommu_hwdom_init', 'unchecked-error'],
  ['domain_context_mapping_one', 'redundant-temporary'],
  ['domain_context_unmap_one', 'duplicated-cleanup'],
  ['intel_iommu_map_page', 'redundant-temporary'],
  ['iommu_pte_flush', 'duplicated-cleanup'],
  ['vtd_suspend', 'disabled-not-error'],
  ['vtd_crash_shutdown', 'disabled-not-error'],
  ['flush_iotlb_qi', 'success-path-change'],
];

test('the seed patch mail gets one reply carrying the findings its reviewers made', async () => {
  const dir = tmp();
  const out = join(dir, 'out');
  const config = readConfig({
    bot: { address: 'bot@review.example.org', operator: 'Olga <olga@example.org>', optOut: 'mail olga@example.org.' },
    lists: [{ name: 'xen-devel', address: 'xen-devel@lists.xen.org', listId: 'xen-devel.lists.xen.org', minSeverity: 'info', inconclusive: true, project: { tags: ['xen'] } }],
  });
  const store = openSqliteStore(join(dir, 'state.db'));
  await store.migrate();
  let now = Date.UTC(2015, 11, 23, 8, 30);
  const bot = new Bot({ config, store, review, transport: () => dirTransport(out), now: () => now });
  const first = await bot.run([mboxSource(SEED)]);
  assert.equal(first.seriesReviewed, 0, 'patch 1/3 waits for the rest of its series');
  now += 61 * 60_000;
  const late = await bot.run([mboxSource(SEED)]);
  assert.equal(late.written, 1);
  await store.close();

  const files = readdirSync(out);
  assert.equal(files.length, 1);
  const mail = await PostalMime.parse(readFileSync(join(out, files[0]!)));
  assert.equal(mail.subject, 'Re: [Xen-devel] [PATCH v4 1/3] VT-d: Check VT-d Device-TLB flush error.');
  assert.equal(mail.inReplyTo, PATCH_ID);
  assert.equal(mail.references, `<1450859136-98482-1-git-send-email-quan.xu@xxxxxxxxx> ${PATCH_ID}`);
  assert.deepEqual(mail.to?.map((a) => a.address), ['quan.xu@xxxxxxxxx']);
  const text = mail.text!;
  assert.match(text, /^On Wed, 23 Dec 2015 16:25:48 \+0800, Quan Xu wrote:$/m);

  // Every required finding is in the reply, its flagged line quoted and the comment under it.
  const r = await review(readFileSync(SEED));
  const lines = text.split('\n');
  for (const [fn, family] of REQUIRED) {
    const f = r.findings.find((x) => x.function === fn && x.family === family && x.verdict !== 'refuted');
    assert.ok(f, `the review finds ${family} in ${fn}`);
    const opening = f.message.split(/\s+/).slice(0, 3).join(' ');
    // The comments under a quoted line run to the next quote (two findings on one line share it).
    const under = (i: number): string => {
      const end = lines.findIndex((l, j) => j > i && l.startsWith('>'));
      return lines.slice(i + 1, end < 0 ? undefined : end).join(' ');
    };
    const quoted = lines.findIndex((l, i) => /^> [+ ]/.test(l) && l.slice(3).trim() === f.snippet.trim() && under(i).includes(opening));
    assert.ok(quoted > 0, `${fn}: the flagged line is quoted with the comment under it: ${f.snippet}`);
    // The policy asks for inconclusive findings too; they are marked as questions, not claims.
    if (f.verdict === 'inconclusive') assert.match(under(quoted), /Not proven, so take this as a question/, fn);
  }
  // Written like a list reply: no line of prose over 72 columns, no HTML.
  for (const l of text.split('\n-- \n')[0]!.split('\n')) {
    if (!l.startsWith('>') && !/^\s/.test(l) && !/^(Closes|Reported-by):/.test(l) && !/^`[^`]*`\S*$/.test(l)) assert.ok(l.length <= 72, l);
  }
  assert.equal(mail.html, undefined);
});
