// Every size limit of docs/limits.md, reached on purpose: a clear error (CLI exit 2, API 413) or a
// partial review whose warnings and notReviewed name what was not done. No timing is asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MAX_HUNKS, DEFAULT_MAX_LINES, InputTooLargeError, parsePatchInput, parsePatchText } from '../../src/patch/index.ts';
import { countLines } from '../../src/patch/input-guard.ts';
import { splitSourceLines } from '../../src/patch/source-lines.ts';
import { review } from '../../src/default-review.ts';
import { main, ExitCode } from '../../src/cli/main.ts';
import { MAX_NESTING } from '../../src/c/limits.ts';
import { hunkLadder } from '../../bench/ladder.ts';
import { stressPatch } from '../../bench/stress.ts';

/** A patch adding `line` inside a small function. */
function withLine(line: string): string {
  return ['--- a/src/a.c', '+++ b/src/a.c', '@@ -1,5 +1,6 @@', ' int f(struct d *d)', ' {', ' \tint rc;', `+\t${line}`, ' \treturn rc;', ' }', ''].join('\n');
}

async function cli(text: string): Promise<{ code: number; err: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'pr-limits-'));
  try {
    const file = join(dir, 'in.patch');
    writeFileSync(file, text);
    let err = '';
    const code = await main(['check', file, '--no-config', '--no-tree'], { stdout: () => {}, stderr: (t) => (err += t), readStdin: async () => Buffer.alloc(0) });
    return { code, err };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('lines are counted as the parser numbers them (LF, CRLF, lone CR; a last unended line counts)', () => {
  for (const text of ['a', 'a\n', 'a\nb', 'a\r\nb\r\n', 'a\rb\r', '\n\n\n', 'a\r\r\nb']) {
    assert.equal(countLines(text), splitSourceLines(text).length, JSON.stringify(text));
  }
});

test('lines: an input of more lines than maxLines is refused before it is split, naming both numbers', async () => {
  const text = hunkLadder(2);
  const lines = countLines(text);
  for (const parse of [() => parsePatchInput(text, { maxLines: 30 }), async () => parsePatchText(text, { maxLines: 30 })]) {
    await assert.rejects(parse(), (e: unknown) => {
      assert.ok(e instanceof InputTooLargeError);
      assert.equal(e.unit, 'lines');
      assert.equal(e.code, 'input-too-large');
      assert.equal(e.message, `input has ${lines} lines, above the limit of 30 lines`);
      return true;
    });
  }
  assert.equal((await parsePatchInput(text, { maxLines: lines })).patches.length, 1, 'at the limit it is read');
});

test('lines: the command line answers an input above the default line limit with exit 2 and the reason', async () => {
  const text = hunkLadder(1) + '\n'.repeat(DEFAULT_MAX_LINES);
  const { code, err } = await cli(text);
  assert.equal(code, ExitCode.Error);
  assert.match(err, new RegExp(`input has \\d+ lines, above the limit of ${DEFAULT_MAX_LINES} lines`));
});

test('hunks: an input of more hunks than maxHunks is refused before any C is modelled', async () => {
  await assert.rejects(parsePatchInput(hunkLadder(3), { maxHunks: 2 }), (e: unknown) => {
    assert.ok(e instanceof InputTooLargeError);
    assert.equal(e.unit, 'hunks');
    assert.equal(e.message, 'input has 3 hunks, above the limit of 2 hunks');
    return true;
  });
  await assert.rejects(review(hunkLadder(3), { limits: { maxHunks: 2 } }), /input has 3 hunks, above the limit of 2 hunks/);
  assert.equal((await parsePatchInput(hunkLadder(3), { maxHunks: 3 })).patches[0]!.files[0]!.hunks.length, 3);
});

test('hunks: the command line answers an input above the default hunk limit with exit 2 and the reason', async () => {
  const { code, err } = await cli(hunkLadder(DEFAULT_MAX_HUNKS + 1));
  assert.equal(code, ExitCode.Error);
  assert.match(err, new RegExp(`input has ${DEFAULT_MAX_HUNKS + 1} hunks, above the limit of ${DEFAULT_MAX_HUNKS} hunks`));
});

test('line length: a diff line above maxLineLength keeps its start, says how long it was, and a limit warning names it', async () => {
  const long = `rc = ${'x'.repeat(300)};`;
  const set = await parsePatchInput(withLine(long), { maxLineLength: 100 });
  const added = set.patches[0]!.files[0]!.hunks[0]!.lines.find((l) => l.kind === 'add')!;
  assert.equal(added.text.length, 100);
  assert.equal(added.cut, long.length + 1);
  assert.equal(added.text, `\t${long}`.slice(0, 100));
  const warning = set.patches[0]!.warnings.find((w) => w.code === 'limit')!;
  assert.equal(warning.line, 7);
  assert.equal(warning.file, 'src/a.c');
  assert.match(warning.message, new RegExp(`input line 7 is ${long.length + 1} characters long, above the limit of 100: only its first 100 characters were read, and the function holding it is not reviewed`));
  // Lines within the limit are untouched.
  assert.equal(set.patches[0]!.files[0]!.hunks[0]!.lines.filter((l) => l.cut !== undefined).length, 1);
});

test('line length: the function holding a cut line is not reviewed, with the reason, and nothing is claimed about it', async () => {
  // The default limit (16 KiB) on a 116 000-character line inside a function (it once took a fuzz review 108 s).
  const r = await review(withLine(`rc = ${'x'.repeat(116_000)}(d);`));
  assert.deepEqual(r.notReviewed.map((n) => [n.function, n.line]), [['f', 4]]);
  assert.match(r.notReviewed[0]!.reason, /line 4 is 116010 characters long, above the line-length limit/);
  assert.ok(r.warnings.some((w) => w.code === 'limit' && /input line 7 is 116010 characters long/.test(w.message)));
  assert.ok(r.warnings.some((w) => w.code === 'limit' && /^f\(\): not reviewed: line 4/.test(w.message)));
  assert.equal(r.findings.length, 0);
  assert.equal(r.stats.functionsNotReviewed, 1);
});

test('nesting: a function nested deeper than the limit is not reviewed (its cost would grow with the square of its size)', async () => {
  const depth = MAX_NESTING + 50;
  const r = await review(withLine(`rc = ${'g('.repeat(depth)}d${')'.repeat(depth)};`));
  assert.equal(r.notReviewed.length, 1);
  assert.equal(r.notReviewed[0]!.function, 'f');
  assert.match(r.notReviewed[0]!.reason, new RegExp(`brackets nested ${depth + 1} deep at line 4, above the limit of ${MAX_NESTING}`));
  assert.ok(r.warnings.some((w) => w.code === 'limit' && /f\(\): not reviewed: brackets nested/.test(w.message)));
  // Brackets in comments and literals do not count; ordinary code is far below the limit.
  const quiet = await review(withLine(`rc = g(d); /* ${'('.repeat(depth)} */ puts("${'['.repeat(depth)}");`));
  assert.deepEqual(quiet.notReviewed, []);
});

test('functions per review: past maxFunctions the functions left are listed not reviewed, with one limit warning', async () => {
  const all = await review(hunkLadder(5));
  assert.equal(all.stats.functions, 5);
  assert.deepEqual(all.notReviewed, []);
  const r = await review(hunkLadder(5), { limits: { maxFunctions: 2 } });
  const over = r.notReviewed.filter((n) => /the review's limit of 2 functions was reached first/.test(n.reason));
  assert.deepEqual(over.map((n) => n.function), ['ladder_fn_0002', 'ladder_fn_0003', 'ladder_fn_0004']);
  assert.equal(r.stats.functionsNotReviewed, 3);
  const warnings = r.warnings.filter((w) => w.code === 'limit');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!.message, /^3 function\(s\) not reviewed: the review's limit of 2 functions was reached first/);
  for (const f of r.findings) assert.ok(!over.some((n) => f.function === n.function), 'no finding about a function not reviewed');
});

test('paths per review: once the review has simulated maxPaths paths, the functions left are listed not reviewed', async () => {
  const all = await review(stressPatch(6));
  assert.ok(all.stats.pathsSimulated > 1 && all.stats.candidates > 1, 'the stress patch asks the simulator several questions');
  assert.deepEqual(all.notReviewed, []);
  const r = await review(stressPatch(6), { limits: { maxPaths: 1 } });
  const over = r.notReviewed.filter((n) => /the review's limit of 1 simulated paths was reached first/.test(n.reason));
  assert.ok(over.length > 0, 'the budget ran out before the last question');
  assert.ok(r.stats.pathsSimulated < all.stats.pathsSimulated);
  assert.deepEqual(
    r.warnings.filter((w) => w.code === 'limit').map((w) => w.message.split('()')[0]).sort(),
    over.map((n) => n.function).sort(),
  );
  for (const f of r.findings) assert.ok(!over.some((n) => f.function === n.function), 'no finding about a function not reviewed');
});
