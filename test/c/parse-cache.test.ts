// The C model's text caches: a parse and a normalisation are pure functions of their text, so the same text
// gets the same result object; the caches are bounded by the total length of their texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clearParseCache, parseC } from '../../src/c/parser.ts';
import { TextCache } from '../../src/c/text-cache.ts';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SOURCE = 'static int f(int a)\n{\n    if ( a < 0 )\n        return -EINVAL;\n    return g(a);\n}\n';

test('parseC: the same text gives the same tree; another text, another tree', () => {
  const a = parseC(SOURCE);
  assert.equal(parseC(SOURCE), a);
  assert.equal(parseC(`${SOURCE}`.slice(0)), a, 'equal text, another string object');
  const b = parseC(SOURCE.replace('g(a)', 'h(a)'));
  assert.notEqual(b, a);
  assert.equal(b.rootNode.descendantsOfType('call_expression')[0]!.childForFieldName('function')!.text, 'h');
  clearParseCache();
  const c = parseC(SOURCE);
  assert.notEqual(c, a, 'parsed again after the cache is cleared');
  assert.equal(c.rootNode.text, a.rootNode.text);
});

test('TextCache: least recently used text goes first when the bound is passed; a text above a quarter of it is not kept', () => {
  const cache = new TextCache<number>(40);
  cache.set('aaaaaaaaaa', 1);
  cache.set('bbbbbbbbbb', 2);
  cache.set('cccccccccc', 3);
  cache.set('dddddddddd', 4);
  assert.equal(cache.size, 4);
  assert.equal(cache.get('aaaaaaaaaa'), 1); // now the most recently used
  cache.set('eeeeeeeeee', 5); // 50 characters: the least recently used (b) goes
  assert.equal(cache.get('bbbbbbbbbb'), undefined);
  assert.equal(cache.get('aaaaaaaaaa'), 1);
  assert.equal(cache.get('eeeeeeeeee'), 5);
  assert.equal(cache.size, 4);
  cache.set('x'.repeat(11), 6);
  assert.equal(cache.get('x'.repeat(11)), undefined);
  cache.set('aaaaaaaaaa', 7); // a kept text keeps its first value (results are pure)
  assert.equal(cache.get('aaaaaaaaaa'), 1);
  cache.clear();
  assert.equal(cache.size, 0);
});

test('clearModelCaches empties the parse and normalisation caches', async () => {
  const { clearModelCaches } = await import('../../src/c/index.ts');
  const tree = parseC(SOURCE);
  assert.equal(parseC(SOURCE), tree);
  clearModelCaches();
  assert.notEqual(parseC(SOURCE), tree);
});

test('PATCH_REVIEW_TEXT_CACHE_CHARS=0 turns the cross-review caches off', () => {
  const script = [
    "const { parseC } = await import('./src/c/parser.ts');",
    "const { TEXT_CACHE_CHARS } = await import('./src/c/index.ts');",
    "const s = 'int f(void)\\n{\\n    return 0;\\n}\\n';",
    'console.log(JSON.stringify({ chars: TEXT_CACHE_CHARS, same: parseC(s) === parseC(s) }));',
  ].join('\n');
  const run = (env: Record<string, string>): unknown => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    return JSON.parse(out.trim().split('\n').pop()!);
  };
  assert.deepEqual(run({ PATCH_REVIEW_TEXT_CACHE_CHARS: '0' }), { chars: 0, same: false });
  assert.deepEqual(run({ PATCH_REVIEW_TEXT_CACHE_CHARS: '' }), { chars: 262144, same: true });
});
