// The review page in a real browser: Debian's chromium driven by playwright-core (no browser download).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createReviewPool, type ReviewPool } from '../../src/pool/index.ts';
import { makeApp, SMALL_PATCH } from './helpers.ts';
import type { Review } from '../../src/review/types.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium, as .ci/run does, or set CHROMIUM_PATH)`;

describe('the review page in Chromium', { skip }, () => {
  let pool: ReviewPool;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;
  const external: string[] = [];
  before(async () => {
    pool = createReviewPool({ size: 1 });
    app = await makeApp({}, pool);
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await browser.newPage();
    page.on('request', (request) => {
      if (!request.url().startsWith(base)) external.push(request.url());
    });
    await page.goto(`${base}/`);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await pool?.close();
  });

  const reviewOf = async (patch: string, rules?: string): Promise<Review> => {
    const res = await fetch(`${base}/v1/reviews${rules ? `?rules=${rules}` : ''}`, { method: 'POST', headers: { 'content-type': 'text/x-diff' }, body: patch });
    assert.equal(res.status, 200);
    return (await res.json()) as Review;
  };

  const submitPatch = async (text: string, rules = ''): Promise<void> => {
    await page.fill('#patch', text);
    await page.fill('#rules', rules);
    await page.click('#submit');
    await page.waitForFunction(() => /Review done|:/.test(document.getElementById('status')?.textContent ?? '') && !(document.getElementById('submit') as HTMLButtonElement).disabled);
  };

  it('labels every control and loads nothing from elsewhere', async () => {
    const unlabelled = await page.$$eval('input, textarea, select', (controls) =>
      controls.filter((c) => !(c.id && document.querySelector(`label[for="${c.id}"]`)) && !c.closest('label')).map((c) => c.id || c.outerHTML),
    );
    assert.deepEqual(unlabelled, []);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.deepEqual(external, []);
  });

  it('is usable from the keyboard: a skip link first, the patch box next', async () => {
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to the review');
  });

  it('shows each finding on its line of the diff, with its verdict', async () => {
    await submitPatch(SMALL_PATCH.toString());
    assert.match((await page.textContent('#status')) ?? '', /Review done: 1 finding/);
    // The card follows the flagged line: `if ( hw_init(d) )`, new line 5 of xen/common/a.c.
    const flagged = page.locator('.row.flagged');
    assert.equal(await flagged.count(), 1);
    assert.match((await flagged.textContent()) ?? '', /^5\+\s*if \( hw_init\(d\) \)/);
    const card = page.locator('.row.flagged + article.finding');
    assert.equal(await card.count(), 1);
    assert.equal(await card.locator('.verdict').first().textContent(), 'verified');
    assert.match((await card.locator('.message').textContent()) ?? '', /hw_init\(\) can fail/);
    const expected = await reviewOf(SMALL_PATCH.toString());
    assert.equal((await card.locator('.story').textContent()) ?? '', `Verified: ${expected.findings[0]!.evidence.story}`);
    // The index links to the card, and focus moved to the results.
    assert.equal(await page.locator('#finding-index a[href="#finding-0"]').count(), 1);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'results');
  });

  it('walks the witness path step by step, highlighting each line', async () => {
    // The path the API returns for this patch (its wording is the engine's business, not the page's).
    const steps = (await reviewOf(SMALL_PATCH.toString())).findings[0]!.evidence.steps;
    const lines = steps.map((s) => String(s.line));
    assert.ok(steps.length >= 3, 'the witness has several steps');
    const card = page.locator('article.finding').first();
    assert.equal(await card.locator('.step').count(), steps.length);
    const currentLine = async (): Promise<string> => (await page.locator('.row.witness-current .ln').textContent()) ?? '';
    await card.locator('.next-step').click();
    assert.equal(await currentLine(), lines[0]);
    assert.equal(await page.locator('.row.witness').count(), new Set(lines).size);
    assert.equal(await card.locator('.step-now').textContent(), `Step 1 of ${steps.length}: ${steps[0]!.text}`);
    await card.locator('.next-step').click();
    assert.equal(await currentLine(), lines[1]);
    await card.locator('.next-step').press('Enter');
    assert.equal(await currentLine(), lines[2]);
    await card.locator('.step-button').last().click();
    assert.equal(await currentLine(), lines.at(-1));
    assert.equal(await card.locator('.next-step').isDisabled(), true);
    await card.locator('.prev-step').click();
    assert.equal(await currentLine(), lines.at(-2));
  });

  it('shows a proven fix as a diff', async () => {
    await submitPatch(SMALL_PATCH.toString(), 'simplify');
    const fix = page.locator('article.finding .fix-diff');
    assert.equal(await fix.count(), 1);
    const removed = await fix.locator('.fix-del').allTextContents();
    const added = await fix.locator('.fix-add').allTextContents();
    // The replaced lines, then the rewrite the API proved (the nested-if rule's: two ifs made one).
    const proven = (await reviewOf(SMALL_PATCH.toString(), 'simplify')).findings.find((f) => f.fix)!.fix!.replacements[0]!;
    assert.deepEqual(removed, proven.original!.split('\n').map((l) => `-${l}\n`));
    assert.deepEqual(added, proven.text.split('\n').map((l) => `+${l}\n`));
    assert.match(added[0]!, /if \( d->is_hw && hw_init\(d\) \)/);
  });

  it('reads a dropped file', async () => {
    await page.fill('#patch', '');
    const transfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.patch', { type: 'text/x-diff' }));
      return dt;
    }, SMALL_PATCH.toString());
    await page.dispatchEvent('#patch', 'drop', { dataTransfer: transfer });
    await page.waitForFunction(() => (document.getElementById('patch') as HTMLTextAreaElement).value.length > 0);
    assert.equal(await page.inputValue('#patch'), SMALL_PATCH.toString());
    assert.match((await page.textContent('#status')) ?? '', /Loaded dropped\.patch/);
  });

  it('says what is wrong when the server refuses the request', async () => {
    await submitPatch('hello, this is not a patch\n');
    assert.match((await page.textContent('#status')) ?? '', /No patch found in the request body: no patch found/);
    assert.equal(await page.locator('#status.error').count(), 1);
    await submitPatch(SMALL_PATCH.toString(), 'no-such-pack');
    assert.match((await page.textContent('#status')) ?? '', /Unknown rule or pack/);
  });
});
