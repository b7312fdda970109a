// bin/patch-review.js is a shell script and a CommonJS module at once: run as a command, `sh` runs its line 2,
// which starts Node without NODE_EXTRA_CA_CERTS for the commands that open no network connection (Node 20
// parses that file at every start) and execs `node` on the same file; run by Node, line 2 is a string and a
// comment. These tests run the shell stage with every POSIX shell found here against a stand-in `node` that
// prints what it was given, then the real command through the kernel, a symlink and paths with spaces.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMAND_TABLE } from '../../src/cli/commands/index.ts';
import { COMMANDS } from '../../src/cli/options.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/patch-review.js');
const posix = process.platform !== 'win32';
const patch = join(root, 'test/fixtures/patch/format-patch.patch');
const SAVED = 'PATCH_REVIEW_NODE_EXTRA_CA_CERTS';
const CERTS_WARNING = /Ignoring extra certs/;

function onPath(name: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** The shells that may run the launcher: `sh` from PATH (what `#!/usr/bin/env sh` runs), dash, bash, BusyBox's ash. */
const shells: Array<{ name: string; argv: string[] }> = [];
if (posix) {
  for (const name of ['sh', 'dash', 'bash']) {
    const path = onPath(name);
    if (path) shells.push({ name, argv: [path] });
  }
  const busybox = onPath('busybox');
  if (busybox) shells.push({ name: 'busybox sh', argv: [busybox, 'sh'] });
}

describe('the launcher: one file, a shell script and a Node module', { skip: !posix && 'POSIX shells only' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'patch-review-launcher-'));
  // npm's global layout, in directories with spaces and a quote: PREFIX/bin/patch-review -> ../lib/node_modules/patch-review/bin/patch-review.js
  const prefix = join(dir, "pre fix's");
  const pkgBin = join(prefix, 'lib/node_modules/patch-review/bin');
  mkdirSync(pkgBin, { recursive: true });
  mkdirSync(join(prefix, 'bin'));
  copyFileSync(bin, join(pkgBin, 'patch-review.js'));
  chmodSync(join(pkgBin, 'patch-review.js'), 0o755);
  const link = join(prefix, 'bin/patch-review');
  symlinkSync('../lib/node_modules/patch-review/bin/patch-review.js', link);
  // a stand-in `node` first on PATH: prints the two variables and its arguments, NUL-separated
  const fake = join(dir, 'fake');
  mkdirSync(fake);
  writeFileSync(
    join(fake, 'node'),
    `#!/bin/sh\nprintf '%s\\0' "CA=\${NODE_EXTRA_CA_CERTS-<unset>}" "SAVED=\${${SAVED}-<unset>}"\nfor a; do printf '%s\\0' "$a"; done\nexit 7\n`,
  );
  chmodSync(join(fake, 'node'), 0o755);
  const fakeEnv = (ca: string | undefined): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${fake}${delimiter}${process.env.PATH ?? ''}` };
    delete env.NODE_EXTRA_CA_CERTS;
    delete env[SAVED];
    if (ca !== undefined) env.NODE_EXTRA_CA_CERTS = ca;
    return env;
  };
  const parse = (r: SpawnSyncReturns<string>): { ca: string; saved: string; argv: string[] } => {
    assert.equal(r.status, 7, `the stand-in node ran: ${r.stderr}`);
    const [ca, saved, ...argv] = r.stdout.split('\0').slice(0, -1);
    return { ca: ca!.replace(/^CA=/, ''), saved: saved!.replace(/^SAVED=/, ''), argv };
  };
  const awkward = ['a b', '', "it's", 'say "hi"', '$HOME', '`id`', 'back\\slash', 'two\nlines', '-e', '*'];

  it('is valid JavaScript after its #! line, and line 1 names sh through env (npm writes its Windows shims from it)', () => {
    const lines = readFileSync(bin, 'utf8').split('\n');
    assert.equal(lines[0], '#!/usr/bin/env sh');
    assert.match(lines[1]!, /^":" \/\/; .*; exec node "\$0" "\$@"$/);
    assert.equal(spawnSync(process.execPath, ['--check', bin]).status, 0);
  });

  it('names every command: the built-in ones and the table\'s, all but the bot (the one that opens connections)', () => {
    // A new command must be placed: local (add it to line 2's list) or one that may use TLS (add it here).
    const MAY_CONNECT = ['bot'];
    const listed = /case "\$1" in ([^)]*)\)/.exec(readFileSync(bin, 'utf8').split('\n')[1]!)![1]!.split('|');
    const expected = ["''", ...COMMANDS, ...Object.keys(COMMAND_TABLE).filter((c) => !MAY_CONNECT.includes(c)), 'help', '-h', '--help', 'version', '-V', '--version'];
    assert.deepEqual([...listed].sort(), [...expected].sort());
  });

  for (const shell of shells) {
    it(`${shell.name}: a local command starts Node without NODE_EXTRA_CA_CERTS and keeps the value aside; arguments pass unchanged`, () => {
      for (const command of ['check', 'baseline', 'inspect', 'rules', 'explain', 'eval', 'index', '--version', '--help']) {
        const r = parse(spawnSync(shell.argv[0]!, [...shell.argv.slice(1), link, command, ...awkward], { encoding: 'utf8', env: fakeEnv('/etc/some certs.pem') }));
        assert.deepEqual(r, { ca: '<unset>', saved: '/etc/some certs.pem', argv: [link, command, ...awkward] }, command);
      }
      const none = parse(spawnSync(shell.argv[0]!, [...shell.argv.slice(1), link], { encoding: 'utf8', env: fakeEnv('/c.pem') }));
      assert.deepEqual(none, { ca: '<unset>', saved: '/c.pem', argv: [link] }, 'no command: the help');
    });

    it(`${shell.name}: the bot and unknown commands keep the variable; an unset or empty one is left as it is`, () => {
      for (const command of ['bot', 'serve', 'checkx', '--no-config']) {
        const r = parse(spawnSync(shell.argv[0]!, [...shell.argv.slice(1), link, command, 'x'], { encoding: 'utf8', env: fakeEnv('/c.pem') }));
        assert.deepEqual(r, { ca: '/c.pem', saved: '<unset>', argv: [link, command, 'x'] }, command);
      }
      assert.deepEqual(parse(spawnSync(shell.argv[0]!, [...shell.argv.slice(1), link, 'check'], { encoding: 'utf8', env: fakeEnv(undefined) })), {
        ca: '<unset>',
        saved: '<unset>',
        argv: [link, 'check'],
      });
      assert.deepEqual(parse(spawnSync(shell.argv[0]!, [...shell.argv.slice(1), link, 'check'], { encoding: 'utf8', env: fakeEnv('') })), {
        ca: '',
        saved: '<unset>',
        argv: [link, 'check'],
      });
    });
  }

  it('through the kernel (#!/usr/bin/env sh) and a symlink, the same', () => {
    const r = parse(spawnSync(link, ['check', ...awkward], { encoding: 'utf8', env: fakeEnv('/c.pem') }));
    assert.deepEqual(r, { ca: '<unset>', saved: '/c.pem', argv: [link, 'check', ...awkward] });
  });

  it('the real command: runs through a symlink in a directory with spaces, with the exit status and output of `node bin/patch-review.js`', () => {
    // the symlink points at the checkout's own bin, whose dist/ the build made
    const real = join(dir, 'real bin');
    mkdirSync(real);
    symlinkSync(bin, join(real, 'patch-review'));
    const named = join(dir, `it's a "patch".patch`);
    copyFileSync(patch, named);
    for (const argv of [['--version'], ['check', named, '--no-config', '--no-tree', '--format', 'json'], ['check', join(dir, 'no such.patch')], ['check', '--no-such-option']]) {
      const viaNode = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8' });
      const viaLauncher = spawnSync(join(real, 'patch-review'), argv, { encoding: 'utf8' });
      const strip = (s: string) => s.replace(/"[a-zA-Z]*Ms": ?[0-9.]+/g, '');
      assert.deepEqual([viaLauncher.status, strip(viaLauncher.stdout), viaLauncher.stderr], [viaNode.status, strip(viaNode.stdout), viaNode.stderr], argv.join(' '));
    }
    // standard input
    const stdinRun = spawnSync(join(real, 'patch-review'), ['check', '-', '--no-config', '--no-tree', '--format', 'json'], { encoding: 'utf8', stdio: [openSync(patch, 'r'), 'pipe', 'pipe'] });
    assert.ok(stdinRun.status === 0 || stdinRun.status === 1, stdinRun.stderr);
    assert.ok(JSON.parse(stdinRun.stdout));
  });

  it('the real command: Node starts without NODE_EXTRA_CA_CERTS for a local command only, and the value is put back for child processes', () => {
    // Node warns at start when the file cannot be read: the warning says whether Node's start saw the variable.
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'no such certs.pem'), NODE_DEBUG: 'patch-review' };
    delete env[SAVED];
    const local = spawnSync(bin, ['--version'], { encoding: 'utf8', env });
    assert.equal(local.status, 0);
    assert.doesNotMatch(local.stderr, CERTS_WARNING);
    assert.match(local.stderr, /started without NODE_EXTRA_CA_CERTS \(a local command\); .*no such certs\.pem restored for child processes/);
    const byNode = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8', env });
    assert.match(byNode.stderr, CERTS_WARNING, '`node bin/patch-review.js` is Node as the user started it');
    const bot = spawnSync(bin, ['bot', '--help'], { encoding: 'utf8', env });
    assert.match(bot.stderr, CERTS_WARNING, 'the bot starts with the user\'s certificates');
    assert.doesNotMatch(bot.stderr, /restored/);
  });

  it('the real command is the process the caller started (exec): SIGINT reaches Node, and a closed pipe ends quietly', { skip: process.platform !== 'linux' && '/proc' }, async () => {
    const child = spawn(bin, ['check', '-', '--no-config', '--no-tree'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('close', (code, signal) => r([code, signal])));
    // wait until the process the caller started runs Node (it waits on its standard input, never closed here)
    const deadline = Date.now() + 20_000;
    let exe = '';
    while (Date.now() < deadline) {
      try {
        exe = readlinkSync(`/proc/${child.pid}/exe`);
      } catch {
        exe = '';
      }
      if (exe === readlinkSync('/proc/self/exe')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(exe, readlinkSync('/proc/self/exe'), 'the launcher exec()s node in the same process');
    child.kill('SIGINT');
    assert.deepEqual(await closed, [null, 'SIGINT']);
    assert.equal(stderr, '');

    const seed = join(root, 'test/fixtures/seed-000.txt');
    const head = spawnSync('sh', ['-c', '"$0" check "$1" --no-config --no-tree --format text | head -c 10 >/dev/null', bin, seed], { encoding: 'utf8' });
    assert.equal(head.status, 0);
    assert.equal(head.stderr, '');
  });

  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});
