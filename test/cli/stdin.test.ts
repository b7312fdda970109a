// Standard input read whole with blocking reads of descriptor 0, the stream only for what a non-blocking
// descriptor had not buffered yet: nothing is lost or reordered either way.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWholeStdin, type ReadInto } from '../../src/cli/stdin.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const patch = join(root, 'test/fixtures/patch/format-patch.patch');

/** A reader that hands out `parts` in turn, then `end` (a number of bytes, 0 for the end, or an error code). */
function reader(parts: string[], end: 0 | string): ReadInto {
  let i = 0;
  return (fd, buffer) => {
    assert.equal(fd, 0);
    if (i < parts.length) return buffer.write(parts[i++]!, 'latin1');
    if (end === 0) return 0;
    throw Object.assign(new Error(end), { code: end });
  };
}

async function* stream(parts: string[]): AsyncIterable<Buffer> {
  for (const p of parts) yield Buffer.from(p, 'latin1');
}

describe('readWholeStdin', () => {
  it('reads descriptor 0 to its end, chunk after chunk, without the stream', async () => {
    const big = 'x'.repeat(70_000);
    const got = await readWholeStdin(reader(['diff --git a/x.c b/x.c\n', big.slice(0, 65_536), big.slice(65_536)], 0), () => assert.fail('the stream was used'));
    assert.equal(got.toString('latin1'), `diff --git a/x.c b/x.c\n${big}`);
  });

  it('a non-blocking descriptor with nothing buffered (EAGAIN): keeps what was read, the stream gives the rest', async () => {
    const got = await readWholeStdin(reader(['one\n', 'two\n'], 'EAGAIN'), () => stream(['three\n', 'four\n']));
    assert.equal(got.toString('latin1'), 'one\ntwo\nthree\nfour\n');
  });

  it('takes EOF (Windows pipes) as the end, and passes other errors on', async () => {
    assert.equal((await readWholeStdin(reader(['a'], 'EOF'), () => assert.fail('the stream was used'))).toString(), 'a');
    await assert.rejects(readWholeStdin(reader([], 'EISDIR'), () => stream([])), { code: 'EISDIR' });
  });
});

describe('check - as a process', () => {
  const bin = join(root, 'bin/patch-review.js');
  const args = [bin, 'check', '-', '--no-config', '--no-tree', '--format', 'json'];
  const report = (text: string): unknown => JSON.parse(text, (key, value: unknown) => (key.endsWith('Ms') ? undefined : value));
  const viaFile = spawnSync(process.execPath, [bin, 'check', patch, '--no-config', '--no-tree', '--format', 'json'], { encoding: 'utf8' });
  const expected = { ...(report(viaFile.stdout) as object), input: undefined };
  const same = (stdout: string): void => assert.deepEqual({ ...(report(stdout) as object), input: undefined }, expected);

  it('reads a redirected file and a pipe written in two parts as the file itself', async () => {
    same(spawnSync(process.execPath, args, { encoding: 'utf8', stdio: [openSync(patch, 'r'), 'pipe', 'pipe'] }).stdout);
    const text = readFileSync(patch, 'latin1');
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stdin.write(text.slice(0, 200));
    await new Promise((r) => setTimeout(r, 300));
    child.stdin.end(text.slice(200));
    await new Promise((r) => child.on('close', r));
    same(out);
  });

  it('a standard input that cannot be read (a directory) is exit 2 with a message, never a stack trace', { skip: process.platform === 'win32' }, () => {
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: [openSync(root, 'r'), 'pipe', 'pipe'] });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'patch-review: cannot read -: is a directory\n');
    // the other commands that take standard input: the pack builder's thread, the bot's one message
    const dir = mkdtempSync(join(tmpdir(), 'patch-review-stdin-'));
    try {
      for (const [argv, message] of [
        [['rules', 'mine', '-'], /^patch-review: cannot read -: EISDIR$/m],
        [['bot', '--stdin', '--state', join(dir, 'state.db'), '--dry-run', join(dir, 'out')], /^patch-review bot: cannot read standard input: is a directory$/m],
      ] as const) {
        const other = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', stdio: [openSync(root, 'r'), 'pipe', 'pipe'] });
        assert.equal(other.status, 2, other.stderr);
        assert.match(other.stderr, message);
        assert.doesNotMatch(other.stderr, /\n\s+at /);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a piped patch without creating process.stdin (no socket machinery loaded for it)', { skip: process.platform === 'win32' }, () => {
    // stdout and stderr to files, so that only standard input could make Node load `net`.
    const dir = mkdtempSync(join(tmpdir(), 'patch-review-stdin-'));
    try {
      const probe = join(dir, 'probe.cjs');
      writeFileSync(probe, "process.on('exit', () => require('fs').writeSync(2, `NET ${process.moduleLoadList.includes('NativeModule net')}\\n`));\n");
      const out = openSync(join(dir, 'out'), 'w');
      const err = openSync(join(dir, 'err'), 'w');
      spawnSync(process.execPath, ['--require', probe, ...args], { input: readFileSync(patch), stdio: ['pipe', out, err] });
      same(readFileSync(join(dir, 'out'), 'utf8'));
      assert.match(readFileSync(join(dir, 'err'), 'utf8'), /^NET false$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // libuv makes a child's standard descriptors blocking; python3 sets descriptor 0 non-blocking and execs Node.
  const python = spawnSync('python3', ['-c', '0']).status === 0;
  it('reads a non-blocking descriptor whose writer is slow to the end (the stream takes over)', { skip: process.platform === 'win32' || !python ? 'needs python3 on POSIX' : false }, async () => {
    const text = readFileSync(patch, 'latin1');
    const nonBlocking = 'import os, sys; os.set_blocking(0, False); os.execvp(sys.argv[1], sys.argv[1:])';
    const child = spawn('python3', ['-c', nonBlocking, process.execPath, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stdin.write(text.slice(0, 200));
    await new Promise((r) => setTimeout(r, 1000));
    child.stdin.end(text.slice(200));
    await new Promise((r) => child.on('close', r));
    same(out);
  });
});
