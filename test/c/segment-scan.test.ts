// segment.ts finds braces (openLevels) and a head's punctuation (detectStart) with regular expressions instead of a
// loop over every character (such loops run interpreted in a short CLI process). They must answer as the loops they
// replaced, written out here as the reference, on any mix of braces, parentheses, separators, blanks and words.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { levelsOfLine, parameterListClose, startsWithCallName, type Level } from '../../src/c/segment.ts';
import { parseHead } from '../../src/c/declarator.ts';
import type { LexedLine } from '../../src/c/lex.ts';

function referenceLevels(code: string, stack: Level[], prev: string): string {
  for (let c = 0; c < code.length; c++) {
    const ch = code[c]!;
    if (ch === '{') {
      const before = code.slice(0, c);
      const isInit = prev === '=' || prev === ',' || (prev === '{' && stack[stack.length - 1] === 'init')
        || (prev === ')' && /\(\s*(?:const\s+)?(?:struct|union)\s+\w+\s*\)\s*$/.test(before));
      const isMembers = !isInit && /\b(?:struct|union|enum)\b[^;(){}=]*$/.test(before);
      stack.push(isInit ? 'init' : isMembers ? 'members' : /\bdo\s*$/.test(before) ? 'do' : /\belse\s*$/.test(before) ? 'else' : 'block');
    } else if (ch === '}') stack.pop();
    if (!/\s/.test(ch)) prev = ch;
  }
  return prev;
}

function referenceClose(lex: readonly LexedLine[], i: number): { text: string; closeLine: number; closeCol: number } | undefined {
  let text = '';
  let depth = 0;
  let opened = false;
  let closeLine = -1;
  let closeCol = -1;
  for (let j = i; j < lex.length && j < i + 12; j++) {
    const l = lex[j]!;
    if (l.isPreprocessor) return undefined;
    const code = l.code;
    for (let c = 0; c < code.length; c++) {
      const ch = code[c];
      if (ch === ';' || ch === '{' || ch === '}' || ch === '=') {
        if (!opened || depth > 0 || ch !== '{') return undefined;
      }
      if (ch === '(') {
        depth += 1;
        opened = true;
      } else if (ch === ')') {
        depth -= 1;
        if (opened && depth === 0) {
          closeLine = j;
          closeCol = c;
          break;
        }
      }
    }
    text += (j === i ? '' : ' ') + (closeLine === j ? code.slice(0, closeCol + 1) : code);
    if (closeLine >= 0) break;
  }
  return closeLine < 0 ? undefined : { text, closeLine, closeCol };
}

const piece = fc.constantFrom('{', '}', '(', ')', '=', ',', ';', ' ', '\t', '\u00a0', '  ', 'x', 'int f', 'struct s', 'union', 'enum e', 'do', 'else', 'const', '(struct s)', '(const union u )', 'a_b');
const codeLine = fc.array(piece, { maxLength: 14 }).map((p) => p.join(''));
const level = fc.constantFrom<Level>('init', 'members', 'do', 'else', 'block');
const prevChar = fc.constantFrom<string>('', '=', ',', '{', '}', ')', 'x', ';');

describe('segment.ts scans against the character loops', () => {
  it('levelsOfLine: same open levels and last non-blank character', () => {
    fc.assert(
      fc.property(fc.array(codeLine, { maxLength: 6 }), fc.array(level, { maxLength: 3 }), prevChar, (lines, start, prev0) => {
        const a = [...start];
        const b = [...start];
        let pa = prev0;
        let pb = prev0;
        for (const code of lines) {
          pa = levelsOfLine(code, a, pa);
          pb = referenceLevels(code, b, pb);
          assert.deepEqual(a, b, JSON.stringify(lines));
          assert.equal(pa, pb, JSON.stringify(lines));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('parameterListClose: same closing line, column and head text', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ code: codeLine, directive: fc.integer({ min: 0, max: 9 }) }), { minLength: 1, maxLength: 14 }), fc.nat(), (rows, k) => {
        const lex = rows.map((r) => ({ code: r.code, isPreprocessor: r.directive === 0 }) as LexedLine);
        const i = k % lex.length;
        assert.deepEqual(parameterListClose(lex, i), referenceClose(lex, i), JSON.stringify(rows));
      }),
      { numRuns: 3000 },
    );
  });

  it('startsWithCallName: a text it skips is never a head with a return type (isPrototypeAt and isHeadAtEnd skip parseHead)', () => {
    const word = fc.constantFrom('f', 'do_it', 'int', 'static', 'struct s', '*', '__attribute__((unused))', '__init', 'if', 'return', 'unsigned long', ' ', '\t', '\n', 'x,', 'void');
    const text = fc.tuple(fc.array(word, { maxLength: 4 }), fc.constantFrom('(', ' (', '\t('), fc.array(word, { maxLength: 4 }), fc.constantFrom(')', ')', '', ') __must_check'))
      .map(([a, open, b, close]) => `${a.join(' ')}${open}${b.join(' ')}${close}`);
    fc.assert(
      fc.property(text, (t) => {
        if (startsWithCallName(t)) assert.equal(parseHead(t.trim())?.returnType ?? '', '', JSON.stringify(t));
      }),
      { numRuns: 5000 },
    );
    assert.equal(startsWithCallName(' update(d, x)'), true);
    assert.equal(startsWithCallName('static int f(void)'), false);
    assert.equal(startsWithCallName('__attribute__((cold)) int f(void)'), false);
  });

  it('examples', () => {
    const stack: Level[] = [];
    assert.equal(levelsOfLine('static struct ops o = {', stack, ''), '{');
    assert.equal(levelsOfLine('  .f = (struct x){ 1 },', stack, '{'), ',');
    assert.equal(levelsOfLine('  do {', stack, ','), '{');
    assert.deepEqual(stack, ['init', 'do']);
    const lex = ['static int', 'f(int a,', '  int b) {'].map((code) => ({ code, isPreprocessor: false }) as LexedLine);
    assert.deepEqual(parameterListClose(lex, 1), { text: 'f(int a,   int b)', closeLine: 2, closeCol: 7 });
    assert.deepEqual(parameterListClose(lex, 0), { text: 'static int f(int a,   int b)', closeLine: 2, closeCol: 7 });
    assert.equal(parameterListClose([{ code: 'x = f(a) {', isPreprocessor: false } as LexedLine], 0), undefined);
  });
});
