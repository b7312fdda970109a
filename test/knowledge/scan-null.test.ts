// The lexical scan must not read a test of what a value points to as a test of the value, nor take an
// initialiser that is always overwritten before the return as a returned value (scan.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanFile } from '../../src/knowledge/index.ts';

const returnsOf = (text: string, name: string) => scanFile(text).functions.find((f) => f.name === name)?.returns.map((r) => r.k);

test('`!v->member` after `v = f()` is a use of v, not a NULL test of f()', () => {
  const s = scanFile(`
struct slot *slot_of(int i);
int user(int i)
{
    struct slot *s = slot_of(i);

    if (!s->ready)
        return -EAGAIN;
    return 0;
}
int other(int i)
{
    struct slot *s;

    s = slot_of(i);
    if (s.count == 0 || s[1].count)
        return 1;
    return 0;
}
`);
  const c = s.sites.slot_of!;
  assert.equal(c.zero + c.zeroErr + c.nonzero + c.nonzeroErr + c.neg, 0);
  assert.equal(c.used, 2);
});

test('`!v` and `v == NULL` after `v = f()` are still NULL tests', () => {
  const s = scanFile(`
int user(int i)
{
    struct slot *s = slot_of(i);

    if (!s)
        return -ENOENT;
    if (!slot_of(i + 1) || slot_of(i + 2) == NULL)
        return -ENOENT;
    return s->ready;
}
`);
  assert.equal(s.sites.slot_of!.zeroErr, 3);
});

test('an initialiser always overwritten before the return is not returned', () => {
  const text = `
struct slot *slot_get(int i)
{
    struct slot *s = NULL;

    assert(i < NR);
    s = &table[i];
    return s;
}
struct slot *slot_find(int id)
{
    struct slot *s = NULL;
    int i;

    for (i = 0; i < NR; i++) {
        if (table[i].id == id) {
            s = &table[i];
            break;
        }
    }
    return s;
}
struct slot *slot_try(int id)
{
    struct slot *s = NULL;

    if (id < 0)
        goto out;
    s = &table[id];
out:
    return s;
}
int slot_set(int id)
{
    int rc = -EINVAL;

    if (id < 0)
        return rc;
    rc = 0;
    return rc;
}
`;
  assert.deepEqual(returnsOf(text, 'slot_get'), ['value']);
  // overwritten only inside a loop: the NULL still reaches the return
  assert.ok(returnsOf(text, 'slot_find')!.includes('null'));
  // a label between the overwrite and the return: a goto may skip it
  assert.ok(returnsOf(text, 'slot_try')!.includes('null'));
  // each return on its own: the early one returns the errno, the last one only 0
  assert.deepEqual(returnsOf(text, 'slot_set')!.sort(), ['errno', 'zero']);
});

test('a negated library error constant is a failure return', () => {
  const text = `
int blob_find(const void *blob, int off)
{
    int err = blob_check(blob);

    if (err)
        return err;
    if (off < 0)
        return -FDT_ERR_BADOFFSET;
    return off;
}
`;
  const returns = scanFile(text).functions.find((f) => f.name === 'blob_find')!.returns;
  assert.ok(returns.some((r) => r.k === 'errno' && r.v === '-FDT_ERR_BADOFFSET'));
});
