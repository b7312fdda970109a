// A list archive page that lost its quote markers (fixture written for this test): the mailer wrapped
// diff lines, one before a word too long to fit and one inside a string literal (over two lines), and the
// reply quotes code of its own after a comment, which the hunk's header counts do not leave room for.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePatchInput } from '../../src/patch/index.ts';
import { inspect } from '../../src/review/inspect.ts';

const text = readFileSync(new URL('../fixtures/packs/archive-reply.txt', import.meta.url), 'utf8');

describe('an archive page without quote markers', () => {
  it('joins lines wrapped before a long word and inside a string literal', async () => {
    const { patches } = await parsePatchInput(text);
    const added = patches[0]!.files[0]!.hunks[0]!.lines.filter((l) => l.kind === 'add').map((l) => l.text.trim());
    assert.ok(added.includes('cfg->widget_mode = WIDGET_CONFIGURATION_MODE_FAST;'), added.join('\n'));
    assert.ok(added.includes('WIDGET_ERR(cfg, "Unknown widget mode value:"'));
    assert.ok(added.includes('" %s, so it goes \'fast\' by default.",'));
  });

  it('leaves out the code the reply quotes again, says so, and keeps the comments after it in place', async () => {
    const { patches } = await parsePatchInput(text);
    const patch = patches[0]!;
    const hunkText = patch.files[0]!.hunks.flatMap((h) => h.lines.map((l) => l.text)).join('\n');
    assert.doesNotMatch(hunkText, /Unknown widget mode$/m, 'the re-quoted call is not part of the hunk');
    assert.ok(patch.warnings.some((w) => /do not fit the hunk's counts/.test(w.message)));
    const placed = patch.comments.filter((c) => c.after);
    assert.deepEqual(placed.map((c) => c.text.split('\n')[0]), ['Why is this an error if you carry on?', 'Because we want the admin to see it, like we write here,']);
    assert.ok(placed.every((c) => c.after!.lineIndex === placed[0]!.after!.lineIndex));
  });

  it('gives a function that parses: the call left open where the quote stops is closed', async () => {
    const { models } = await inspect(text, {});
    const fn = models.flatMap((m) => m?.files ?? []).flatMap((f) => f.functions).find((f) => f.name === 'widget_parse');
    assert.equal(fn?.post?.health.clean, true, fn?.post?.source);
  });
});
