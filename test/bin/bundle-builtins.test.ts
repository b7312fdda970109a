// The bundle's stand-ins for Node built-ins (scripts/bundle-builtins/, put in place by scripts/build-bundle.mjs):
// they must give what the real modules give, byte for byte and error for error; only start-up time differs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as realFs from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: plain JavaScript build helpers, no declarations
import { createHash } from '../../scripts/bundle-builtins/hash.js';
// @ts-expect-error: plain JavaScript build helpers, no declarations
import * as fsp from '../../scripts/bundle-builtins/fs-promises.js';
// @ts-expect-error: plain JavaScript build helpers, no declarations
import { performance as standIn } from '../../scripts/bundle-builtins/performance.js';

type Hash = { update(data: string | Buffer, encoding?: BufferEncoding): Hash; digest(encoding?: string): string | Buffer };
const ours = createHash as (algorithm: string, options?: object) => Hash;

describe('createHash stand-in', () => {
  it('gives node:crypto digests for sha256 and sha1 at every length around the block sizes', () => {
    for (const algorithm of ['sha256', 'sha1', 'SHA256']) {
      for (let length = 0; length < 200; length++) {
        const bytes = crypto.randomBytes(length);
        const text = `${bytes.toString('latin1')}${length % 5 === 0 ? 'é€😀\0' : ''}`;
        assert.equal(ours(algorithm).update(text).digest('hex'), crypto.createHash(algorithm).update(text).digest('hex'), `${algorithm} ${length}`);
        const got = ours(algorithm).update(bytes).update('tail', 'latin1').digest() as Buffer;
        assert.ok(got.equals(crypto.createHash(algorithm).update(bytes).update('tail', 'latin1').digest()), `${algorithm} ${length} bytes`);
      }
    }
  });

  it('hands large inputs, other algorithms and options to node:crypto with the same results', () => {
    const big = 'x'.repeat(100_000);
    assert.equal(ours('sha1').update('a').update(big).digest('base64'), crypto.createHash('sha1').update('a').update(big).digest('base64'));
    assert.equal(ours('md5').update('a').digest('hex'), crypto.createHash('md5').update('a').digest('hex'));
    assert.equal(ours('sha256', {}).update('a').digest('hex'), crypto.createHash('sha256').update('a').digest('hex'));
    assert.throws(() => ours('no-such-hash'), /Digest method not supported|Invalid digest/);
  });

  it('refuses a second digest like node:crypto', () => {
    const h = ours('sha256').update('a');
    h.digest('hex');
    assert.throws(() => h.digest('hex'), { code: 'ERR_CRYPTO_HASH_FINALIZED' });
    assert.throws(() => h.update('b'), { code: 'ERR_CRYPTO_HASH_FINALIZED' });
  });
});

describe('fs/promises stand-in', () => {
  it('reads, writes, lists, renames and removes like node:fs/promises', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pr-builtins-'));
    try {
      const file = join(dir, 'a', 'b.txt');
      assert.equal(await fsp.mkdir(join(dir, 'a'), { recursive: true }), join(dir, 'a'));
      assert.equal(await realFs.mkdir(join(dir, 'a2'), { recursive: true }), join(dir, 'a2'));
      await fsp.writeFile(file, 'héllo\n');
      await fsp.appendFile(file, 'more');
      assert.equal(await fsp.readFile(file, 'utf8'), await realFs.readFile(file, 'utf8'));
      assert.ok((await fsp.readFile(file)).equals(await realFs.readFile(file)));
      assert.deepEqual((await fsp.stat(file)).size, (await realFs.stat(file)).size);
      assert.deepEqual(await fsp.readdir(join(dir, 'a')), ['b.txt']);
      await fsp.rename(file, join(dir, 'c.txt'));
      await fsp.rm(join(dir, 'a'), { recursive: true });
      assert.deepEqual((await fsp.readdir(dir)).sort(), ['a2', 'c.txt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects with the errors node:fs/promises gives', async () => {
    const missing = join(tmpdir(), 'pr-builtins-missing', 'x');
    const theirs = await realFs.readFile(missing).catch((e: NodeJS.ErrnoException) => e);
    const mine = (await fsp.readFile(missing).catch((e: NodeJS.ErrnoException) => e)) as NodeJS.ErrnoException;
    assert.ok(mine instanceof Error);
    for (const key of ['message', 'code', 'errno', 'syscall', 'path'] as const) assert.equal(mine[key], (theirs as NodeJS.ErrnoException)[key], key);
  });
});

describe('performance stand-in', () => {
  it('counts milliseconds from the start of the process on a monotonic clock; the rest is the real global', () => {
    const a = standIn.now() as number;
    const b = standIn.now() as number;
    assert.equal(typeof a, 'number');
    assert.ok(a > 0 && b >= a);
    assert.equal(standIn.timeOrigin, globalThis.performance.timeOrigin);
    assert.equal(typeof standIn.mark, 'function');
  });
});
