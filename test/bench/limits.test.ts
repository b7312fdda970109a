// The limits of docs/limits.md that are enforced today, each reached on purpose: a clear error or a
// recorded partial result, never a crash or a silent pass. No timing is asserted (a time limit of
// 0 ms expires as soon as parsing is done, whatever the machine's speed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputTooLargeError, parsePatchInput } from '../../src/patch/index.ts';
import { DEFAULT_MAX_BYTES } from '../../src/patch/input-guard.ts';
import { review } from '../../src/default-review.ts';
import { main, ExitCode } from '../../src/cli/main.ts';
import { hunkLadder } from '../../bench/ladder.ts';
import { stressPatch } from '../../bench/stress.ts';

test('input bytes: above maxBytes the parser refuses before reading, naming the size and the limit', async () => {
  const text = hunkLadder(3);
  await assert.rejects(parsePatchInput(text, { maxBytes: 100 }), (e: unknown) => {
    assert.ok(e instanceof InputTooLargeError);
    assert.match(e.message, new RegExp(`input is ${Buffer.byteLength(text)} bytes, above the limit of 100 bytes`));
    return true;
  });
});

test('input bytes: the command line answers an input above the default limit with exit 2 and the reason', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pr-limits-'));
  try {
    const file = join(dir, 'big.patch');
    const one = hunkLadder(1);
    writeFileSync(file, one + ' '.repeat(DEFAULT_MAX_BYTES + 1 - Buffer.byteLength(one)));
    let err = '';
    const code = await main(['check', file, '--no-config', '--no-tree'], { stdout: () => {}, stderr: (t) => (err += t), readStdin: async () => Buffer.alloc(0) });
    assert.equal(code, ExitCode.Error);
    assert.match(err, /above the limit of \d+ bytes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('time per review: when timeLimitMs expires, every function a rule would have examined is reported not reviewed, with a time-limit warning', async () => {
  const r = await review(stressPatch(8), { timeLimitMs: 0 });
  assert.equal(r.stats.timedOut, true);
  const skipped = r.notReviewed.filter((n) => /time limit \(0 ms\)/.test(n.reason)).map((n) => n.function).sort();
  assert.ok(skipped.length > 0);
  const warned = r.warnings.filter((w) => w.code === 'time-limit').map((w) => w.message.split('()')[0]).sort();
  assert.deepEqual(warned, skipped);
  assert.equal(r.findings.length, 0, 'nothing is claimed about code that was not reviewed');
});

test('a huge line is read, not a crash: a 200 000-character added line in a hunk still gives a review', async () => {
  const patch = ['--- a/src/a.c', '+++ b/src/a.c', '@@ -1,3 +1,4 @@', ' int f(int x)', ' {', `+\tx = ${'1 + '.repeat(50_000)}1;`, ' \treturn x;', ''].join('\n');
  const r = await review(patch);
  assert.equal(r.stats.files, 1);
});
