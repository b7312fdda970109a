// What reads as a parameter declaration when a hunk starts inside a function head's list (src/c/segment.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readsAsParameter } from '../../src/c/segment.ts';

test('words and stars ending in a name, then array bounds, read as a parameter', () => {
  for (const p of ['const char *name', 'u8 buf[N]', 'struct widget **w', 'int *p __unused', 'unsigned long flags', 'char s[4][8]', 'void *', 'x'])
    assert.equal(readsAsParameter(p), !p.endsWith('*'), p);
});

test('calls, numbers and operators do not', () => {
  for (const p of ['f(x)', '3', 'int 3x', 'a + b', 'v >> 63', '!done', 'p->len', 'a.b', ''])
    assert.equal(readsAsParameter(p), false, p);
});

test('a long name followed by a call is answered, not split name by name (the one pattern it replaced backtracked exponentially)', () => {
  const name = 'domain_build_type_to_string_of_the_configured_guest_kind';
  assert.equal(readsAsParameter(`${name}(info->type)`), false);
  assert.equal(readsAsParameter(`const char *${name}`), true);
  assert.equal(readsAsParameter(`${name} ${name}[${name}]`), true);
});
