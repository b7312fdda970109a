import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { patchCodeAround, renderPatchCode, codeKey } from '../../src/eval/patch-code.ts';
import { loadCorpus, patchKey } from '../../src/eval/corpus.ts';
import { runCorpus } from '../../src/eval/run-corpus.ts';
import type { Reviewer } from '../../src/eval/reviewer.ts';
import { formatCorpusMarkdown, formatCorpusText } from '../../src/eval/format-corpus.ts';
import type { Review } from '../../src/review/types.ts';

const fixture = (name: string): string => new URL(`../fixtures/eval/${name}`, import.meta.url).pathname;
const patchOf = (digit: string): string => readFileSync(fixture(`patches/demo-${digit.repeat(40)}.patch`), 'utf8');

// Answers per commit (first 40 hex digits of the From line); commits not named get no findings.
function cannedReviewer(answers: Record<string, Partial<Review>>): Reviewer {
  return {
    concurrency: 1,
    kind: 'canned',
    close: async () => {},
    review: async (input) => {
      const commit = /^From ([0-9a-f]{40})/m.exec(input)?.[1] ?? '';
      return { findings: [], warnings: [], stats: { functions: 1 }, ...answers[commit] } as Review;
    },
  };
}

describe('patchCodeAround', () => {
  it("returns the post-image lines around a line, marking the patch's added lines and leaving out deleted ones", () => {
    const lines = patchCodeAround(patchOf('1'), 'drivers/dev.c', 4, 2);
    assert.deepEqual(lines, [
      { line: 2, text: '{', added: false },
      { line: 3, text: '    if ( !dev_enabled )', added: false },
      { line: 4, text: '        return -EINVAL;', added: true },
      { line: 5, text: '', added: false },
      { line: 6, text: '    halt();', added: false },
    ]);
  });

  it('matches the file by path suffix, as the scorer does, and is empty for a file or a place the patch does not show', () => {
    assert.equal(patchCodeAround(patchOf('1'), 'b/drivers/dev.c', 1, 0)[0]?.text, 'static int stop(void)');
    assert.deepEqual(patchCodeAround(patchOf('1'), 'dev.c', 4, 0).length, 1);
    assert.deepEqual(patchCodeAround(patchOf('1'), 'rivers/dev.c', 4, 0), []);
    assert.deepEqual(patchCodeAround(patchOf('1'), 'drivers/other.c', 4, 3), []);
    assert.deepEqual(patchCodeAround(patchOf('1'), 'drivers/dev.c', 40, 3), []);
    assert.deepEqual(patchCodeAround('not a patch at all', 'drivers/dev.c', 4, 3), []);
  });

  it('renders line numbers aligned, the centre line marked > and added lines +', () => {
    const lines = [
      { line: 9, text: 'a', added: false },
      { line: 10, text: 'b();', added: true },
    ];
    assert.deepEqual(renderPatchCode(lines, 10, '  '), ['    9   a', '  >10 + b();']);
  });
});

describe('runCorpus with codeLines (eval --show-code)', () => {
  const corpus = loadCorpus(fixture('corpus.json'));
  const C = '3'.repeat(40);
  const reviewer = cannedReviewer({ [C]: { findings: [{ file: 'lib/calc.c', line: 3, function: 'f', family: 'unchecked-error', ruleId: 'x/y', verdict: 'verified', message: 'm' }] } as Partial<Review> });

  it('keeps the code around the missed positive and the clean-commit finding, and nothing without the option', async () => {
    const report = await runCorpus(corpus, { patchesDir: fixture('patches'), mode: 'fragment', reviewer, codeLines: 1 });
    const missed = report.code?.[codeKey(patchKey('demo', '1'.repeat(40)), 'drivers/dev.c', 4)];
    assert.deepEqual(missed?.map((l) => l.line), [3, 4, 5]);
    assert.deepEqual(report.code?.[codeKey(patchKey('demo', C), 'lib/calc.c', 3)]?.map((l) => [l.line, l.added]), [
      [2, false],
      [3, true],
      [4, false],
    ]);
    // The other missed positive has no patch: no code, and no crash.
    assert.equal(Object.keys(report.code ?? {}).length, 2);
    const plain = await runCorpus(corpus, { patchesDir: fixture('patches'), mode: 'fragment', reviewer });
    assert.equal(plain.code, undefined);
    assert.doesNotMatch(formatCorpusText(plain), /why: /);
  });

  it('prints the why and the code under each miss and clean-commit finding, in text and markdown', async () => {
    const report = await runCorpus(corpus, { patchesDir: fixture('patches'), mode: 'fragment', reviewer, codeLines: 1 });
    const text = formatCorpusText(report);
    assert.match(text, /MISSED R2 demo 111111111111 drivers\/dev\.c:4 stop\n {6}why: A disabled device is reported as an error\.\n {7}3 {3}\s+if \( !dev_enabled \)\n {6}>4 \+ {9}return -EINVAL;\n/);
    assert.match(text, /lib\/calc\.c:3 f \[verified\] x\/y: m\n {7}2 {3}\{\n {6}>3 \+ {5}x\+\+;\n/);
    const md = formatCorpusMarkdown(report);
    assert.match(md, /- demo `111111111111` drivers\/dev\.c:4 stop \(high\): A disabled device is reported as an error\.\n {2}```c\n {2} 3 {3}\s+if \( !dev_enabled \)\n {2}>4 \+ {9}return -EINVAL;\n/);
    // The group header still counts positives, not code lines.
    assert.match(md, /#### R2 \(disabled-not-error\) — nothing in the function \(1\)/);
  });
});
