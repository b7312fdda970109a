// The installed command's launcher (bin/patch-review.js) and its V8 code cache: whatever state the cache
// is in (absent, written by another bundle or Node, corrupt, truncated, in a directory that cannot be
// written), the command gives the same output; only its speed differs. Runs the build (`npm run build`,
// which `npm ci` runs through `prepare`): without a current bundle there is no cache to test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/patch-review.js');
const bundle = join(root, 'dist/bundle/cli.cjs');
const compiled = join(root, 'dist/src/cli/run.js');
const patch = join(root, 'test/fixtures/patch/format-patch.patch');

const bundleIsCurrent = existsSync(bundle) && existsSync(compiled) && statSync(bundle).mtimeMs >= statSync(compiled).mtimeMs;
const skip = bundleIsCurrent ? false : 'dist/bundle/cli.cjs is missing or older than dist/src: run `npm run build` first';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string>, nodeArgs: string[] = []): Run {
  const r = spawnSync(process.execPath, [...nodeArgs, bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_DEBUG: 'patch-review', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The JSON report without its timings (the only part that may differ between two runs). */
function report(r: Run): unknown {
  return JSON.parse(r.stdout, (key, value: unknown) => (key.endsWith('Ms') ? undefined : value));
}

const check = ['check', patch, '--format', 'json', '--no-config', '--no-tree'];

/** A complete review: exit 0 (no finding) or 1 (findings). */
function reviewed(r: Run): void {
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
}

describe('the launcher code cache', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'patch-review-launcher-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const reference = run(check, { PATCH_REVIEW_CODE_CACHE: 'off' });

  it('runs without a cache and writes none when told not to use one', () => {
    reviewed(reference);
    assert.doesNotMatch(reference.stderr, /code cache/);
  });

  it('writes a cache after a review, then uses it, with the same output', () => {
    const file = join(dir, 'fresh.bin');
    const first = run(check, { PATCH_REVIEW_CODE_CACHE: file });
    reviewed(first);
    assert.match(first.stderr, /fresh\.bin: written/);
    assert.match(readFileSync(file, 'latin1'), /^patch-review code cache 1 [0-9a-f]{64} v\d+/);
    const second = run(check, { PATCH_REVIEW_CODE_CACHE: file });
    assert.match(second.stderr, /fresh\.bin: used/);
    assert.doesNotMatch(second.stderr, /written/);
    assert.deepEqual(report(first), report(reference));
    assert.deepEqual(report(second), report(reference));
  });

  it('a corrupt cache is rejected by V8 and rewritten; the output does not change', () => {
    const file = join(dir, 'corrupt.bin');
    run(check, { PATCH_REVIEW_CODE_CACHE: file });
    const data = readFileSync(file);
    for (let i = Math.floor(data.length / 2); i < Math.floor(data.length / 2) + 64; i++) data[i] = data[i]! ^ 0x5a;
    writeFileSync(file, data);
    const r = run(check, { PATCH_REVIEW_CODE_CACHE: file });
    reviewed(r);
    assert.match(r.stderr, /corrupt\.bin: rejected by V8/);
    assert.match(r.stderr, /corrupt\.bin: written/);
    assert.deepEqual(report(r), report(reference));
    assert.notDeepEqual(readFileSync(file), data);
    assert.match(run(check, { PATCH_REVIEW_CODE_CACHE: file }).stderr, /corrupt\.bin: used/);
  });

  it('a truncated cache is rejected and rewritten', () => {
    const file = join(dir, 'truncated.bin');
    run(check, { PATCH_REVIEW_CODE_CACHE: file });
    const data = readFileSync(file);
    writeFileSync(file, data.subarray(0, Math.floor(data.length / 3)));
    const r = run(check, { PATCH_REVIEW_CODE_CACHE: file });
    assert.match(r.stderr, /truncated\.bin: rejected by V8/);
    assert.match(r.stderr, /truncated\.bin: written/);
    assert.deepEqual(report(r), report(reference));
    assert.match(run(check, { PATCH_REVIEW_CODE_CACHE: file }).stderr, /truncated\.bin: used/);
  });

  it('a foreign file (another bundle, Node or flags, or no cache at all) is ignored and replaced', () => {
    for (const [name, content] of [
      ['garbage.bin', Buffer.from('not a code cache\n'.repeat(100))],
      ['other-bundle.bin', Buffer.from(`patch-review code cache 1 ${'0'.repeat(64)} ${process.version} x ["--flag"]\n${'x'.repeat(5000)}`)],
      ['empty.bin', Buffer.alloc(0)],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, content);
      const r = run(check, { PATCH_REVIEW_CODE_CACHE: file });
      reviewed(r);
      assert.match(r.stderr, new RegExp(`${name.replace('.', '\\.')}: another bundle, Node or flags; ignored`));
      assert.match(r.stderr, new RegExp(`${name.replace('.', '\\.')}: written`));
      assert.deepEqual(report(r), report(reference));
    }
  });

  it('a cache that cannot be written costs nothing but time', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a directory');
    const r = run(check, { PATCH_REVIEW_CODE_CACHE: join(blocker, 'sub', 'c.bin') });
    reviewed(r);
    assert.match(r.stderr, /not written \(ENOTDIR\)/);
    assert.deepEqual(report(r), report(reference));
  });

  it('other Node options: the per-user cache ($XDG_CACHE_HOME) is written and then used', () => {
    const xdg = join(dir, 'xdg');
    const flags = ['--no-warnings'];
    const env = { XDG_CACHE_HOME: xdg, PATCH_REVIEW_CODE_CACHE: '' };
    const first = run(check, env, flags);
    reviewed(first);
    assert.match(first.stderr, /xdg\/patch-review\/code-cache-[0-9a-f]{16}-v[\d.]+-[a-z0-9]+-[a-z0-9]+\.bin: written/);
    const second = run(check, env, flags);
    assert.match(second.stderr, /xdg\/patch-review\/code-cache-.*\.bin: used/);
    assert.deepEqual(report(second), report(reference));
  });

  it('V8 checksums a cache written at run time, not the one the build packaged next to the bundle', () => {
    // The packaged cache's key names the flags it was made with: no checksum flag (trusted as the bundle is).
    const packaged = join(root, 'dist/bundle/cli.cache');
    const key = (file: string): string => readFileSync(file, 'latin1').split('\n', 1)[0]!;
    assert.doesNotMatch(key(packaged), /verify-snapshot-checksum/);
    assert.match(run(check, { PATCH_REVIEW_CODE_CACHE: '' }).stderr, /dist\/bundle\/cli\.cache: used/);
    // The same bytes anywhere else are a cache like any other: checked, so their key does not fit; rewritten.
    const copy = join(dir, 'copied-packaged.bin');
    copyFileSync(packaged, copy);
    const r = run(check, { PATCH_REVIEW_CODE_CACHE: copy });
    reviewed(r);
    assert.match(r.stderr, /copied-packaged\.bin: another bundle, Node or flags; ignored/);
    assert.match(r.stderr, /copied-packaged\.bin: written/);
    assert.match(key(copy), /verify-snapshot-checksum/);
    assert.deepEqual(report(r), report(reference));
  });

  it('an installed package uses its bundle whatever the files\' times; a checkout falls back to a newer dist/src', () => {
    // npm extracts a tarball's files with the time of extraction, in no set order.
    const pkg = join(dir, 'pkg');
    for (const d of ['bin', 'dist/bundle', 'dist/src/cli']) mkdirSync(join(pkg, d), { recursive: true });
    // the bundle's directory whole: its code cache and the data files read next to it (scripts/build-bundle.mjs SIDE_DATA)
    const bundleFiles = readdirSync(join(root, 'dist/bundle')).filter((f) => statSync(join(root, 'dist/bundle', f)).isFile()).map((f) => `dist/bundle/${f}`);
    for (const f of ['bin/patch-review.js', 'bin/package.json', ...bundleFiles, 'package.json']) copyFileSync(join(root, f), join(pkg, f));
    symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
    // a dist/src entry newer than the bundle that would end with exit 42 if it ran
    writeFileSync(join(pkg, 'dist/src/cli/run.js'), 'process.exitCode = 42;\n');
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(pkg, 'dist/src/cli/run.js'), later, later);
    const installed = spawnSync(process.execPath, [join(pkg, 'bin/patch-review.js'), ...check], { encoding: 'utf8', env: { ...process.env, NODE_DEBUG: 'patch-review', PATCH_REVIEW_CODE_CACHE: '' } });
    reviewed({ status: installed.status, stdout: installed.stdout, stderr: installed.stderr });
    assert.match(installed.stderr, /pkg\/dist\/bundle\/cli\.cache: used/);
    mkdirSync(join(pkg, '.git'));
    const checkout = spawnSync(process.execPath, [join(pkg, 'bin/patch-review.js'), ...check], { encoding: 'utf8' });
    assert.equal(checkout.status, 42);
    // a bundle another version of the build script wrote (no format-2 first line) is not run, wherever it is
    rmSync(join(pkg, '.git'), { recursive: true });
    writeFileSync(join(pkg, 'dist/bundle/cli.cjs'), '// patch-review-bundle sha256:' + '0'.repeat(64) + '\nprocess.exitCode = 43;\n');
    const older = spawnSync(process.execPath, [join(pkg, 'bin/patch-review.js'), ...check], { encoding: 'utf8', env: { ...process.env, NODE_DEBUG: 'patch-review' } });
    assert.equal(older.status, 42);
    assert.match(older.stderr, /not a bundle of this launcher; running dist\/src/);
  });

  it('tree-sitter comes from the bundle: only its native files and data are loaded from node_modules', () => {
    const probe = join(dir, 'modules.cjs');
    writeFileSync(probe, "process.on('exit', () => process.stderr.write(`MODULES ${JSON.stringify(Object.keys(require.cache))}\\n`));\n");
    const r = run(check, { PATCH_REVIEW_CODE_CACHE: 'off' }, ['--require', probe]);
    reviewed(r);
    assert.deepEqual(report(r), report(reference));
    const loaded = (JSON.parse(/^MODULES (.*)$/m.exec(r.stderr)![1]!) as string[]).filter((f) => f.includes('node_modules'));
    assert.ok(loaded.some((f) => /tree-sitter\/.*\.node$/.test(f)) && loaded.some((f) => /tree-sitter-c\/.*\.node$/.test(f)), loaded.join(' '));
    assert.deepEqual(loaded.filter((f) => f.endsWith('.js')), []);
  });

  it('starts through its own #! line, a plain one every env understands', { skip: process.platform === 'win32' }, () => {
    // `#!/usr/bin/env -S VAR= node` would spare Node the NODE_EXTRA_CA_CERTS file at start, but BusyBox's env has no
    // -S, and npm's cmd-shim writes `exec VAR= node` into the Git Bash shim (docs/perf.md, session 9). The launcher
    // is a shell script first instead (test/cli/launcher-sh.test.ts; docs/perf.md, session 10).
    assert.equal(readFileSync(bin, 'utf8').split('\n', 1)[0], '#!/usr/bin/env sh');
    const direct = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    assert.equal(direct.status, 0, direct.stderr);
    assert.match(direct.stdout, /^patch-review \d+\.\d+\.\d+\n$/);
  });

  it('commands that do not review write no cache', () => {
    const file = join(dir, 'version.bin');
    const r = run(['--version'], { PATCH_REVIEW_CODE_CACHE: file });
    assert.equal(r.status, 0);
    assert.equal(existsSync(file), false);
  });
});
