// Folded repair warnings: the rest of a wrapped line is in no hunk, so its warning names every line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldWarnings } from '../../src/patch/fold-warnings.ts';
import type { Warning } from '../../src/patch/types.ts';

const at = (code: Warning['code'], lines: number[]): Warning[] => lines.map((line) => ({ code, line, file: 'a.c', message: 'x' }));

test('a folded line-rewrapped warning names every joined line, however many ranges', () => {
  const [w] = foldWarnings(at('line-rewrapped', [3, 5, 7, 9, 11, 13, 15, 17]));
  assert.equal(w!.message, '8 long diff lines were wrapped by the mailer; joined (input lines 3, 5, 7, 9, 11, 13, 15, 17)');
});

test('a folded context-space-restored warning (its lines are in hunks) may shorten its list', () => {
  const [w] = foldWarnings(at('context-space-restored', [3, 5, 7, 9, 11, 13, 15, 17]));
  assert.match(w!.message, /\(input lines 3, 5, 7, 9, 11, 13, \.\.\.\)$/);
});
