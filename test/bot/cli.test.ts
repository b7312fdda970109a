import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main, ExitCode, type Io } from '../../src/cli/main.ts';
import { splitMboxBuffer } from '../../src/bot/sources.ts';
import { FIXTURES, MBOX, tmp } from './helpers.ts';

function io(stdin: Buffer = Buffer.alloc(0)) {
  const out = { stdout: '', stderr: '' };
  const value: Io = { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), readStdin: async () => stdin as Buffer<ArrayBuffer> };
  return { io: value, out };
}

test('bot --mbox FILE --state DB --dry-run DIR handles each message once; run again, nothing new', async () => {
  const dir = tmp();
  const args = ['bot', '--mbox', MBOX, '--state', join(dir, 'state.db'), '--dry-run', join(dir, 'out'), '--config', join(FIXTURES, 'config.yaml')];
  const first = io();
  assert.equal(await main(args, first.io), ExitCode.Clean, first.out.stderr);
  assert.match(first.out.stdout, /^read 11 \(10 new, 1 already handled\), skipped 5, series reviewed 3, replies queued 2, written 2, sent 0/);
  const files = readdirSync(join(dir, 'out')).sort();
  assert.equal(files.length, 2);
  assert.ok(files.every((f) => /^pr-[0-9a-f]{24}@review\.example\.org\.eml$/.test(f)));
  const second = io();
  assert.equal(await main(args, second.io), ExitCode.Clean);
  assert.match(second.out.stdout, /^read 11 \(0 new, 11 already handled\), skipped 0, series reviewed 0, replies queued 0, written 0/);
  assert.deepEqual(readdirSync(join(dir, 'out')).sort(), files);

  const status = io();
  assert.equal(await main(['bot', 'status', '--state', join(dir, 'state.db')], status.io), ExitCode.Clean);
  assert.match(status.out.stdout, /^xen-devel:\n {2}messages 10: replied 2, reviewed without reply 2, waiting 0, skipped 6\n/);
  assert.match(status.out.stdout, /skipped 1: sent by a bot \(Auto-Submitted: auto-generated\)/);
  assert.match(status.out.stdout, /replies 2: written 2/);
  const json = io();
  await main(['bot', 'status', '--state', join(dir, 'state.db'), '--json'], json.io);
  assert.ok(Array.isArray((JSON.parse(json.out.stdout) as { counts: unknown[] }).counts));
});

test('without a config a dry run needs no SMTP and still never sends', async () => {
  const dir = tmp();
  const one = splitMboxBuffer(readFileSync(MBOX))[0]!;
  const run = io(one);
  assert.equal(await main(['bot', '--stdin', '--state', join(dir, 's.db'), '--dry-run-mbox', join(dir, 'replies.mbox')], run.io), ExitCode.Clean, run.out.stderr);
  assert.match(readFileSync(join(dir, 'replies.mbox'), 'utf8'), /^From patch-review /);
  assert.match(readFileSync(join(dir, 'replies.mbox'), 'utf8'), /\nIn-Reply-To: <20260105101500\.1-ann@example\.org>\r?\n/);
});

test('usage and configuration errors exit 2 with a message', async () => {
  const dir = tmp();
  const cases: [string[], RegExp][] = [
    [['bot', '--mbox', MBOX], /no state: give --state DB/],
    [['bot', '--state', join(dir, 'a.db')], /no source: give --mbox/],
    [['bot', '--bogus'], /Unknown option '--bogus'/],
    [['bot', '--mbox', join(dir, 'missing.mbox'), '--state', join(dir, 'b.db')], /cannot read mbox .*missing\.mbox/],
    [['bot', '--mbox', MBOX, '--state', join(dir, 'c.db'), '--config', join(dir, 'none.yaml')], /cannot read config .*none\.yaml: ENOENT/],
  ];
  writeFileSync(join(dir, 'bad.yaml'), 'lists:\n  - name: x\n    mode: loud\n');
  cases.push([['bot', '--mbox', MBOX, '--state', join(dir, 'd.db'), '--config', join(dir, 'bad.yaml')], /lists\[0\]\.mode: expected one of muted, dry-run, send/]);
  writeFileSync(join(dir, 'nokb.yaml'), 'lists:\n  - name: x\n    project: { kb: /nonexistent/xen.kb }\n');
  cases.push([['bot', '--mbox', MBOX, '--state', join(dir, 'e.db'), '--config', join(dir, 'nokb.yaml')], /lists: x: project\.kb \/nonexistent\/xen\.kb does not exist/]);
  for (const [args, message] of cases) {
    const run = io();
    assert.equal(await main(args, run.io), ExitCode.Error, args.join(' '));
    assert.match(run.out.stderr, message);
  }
  const help = io();
  assert.equal(await main(['bot', '--help'], help.io), ExitCode.Clean);
  assert.match(help.out.stdout, /--maildir DIR/);
});
