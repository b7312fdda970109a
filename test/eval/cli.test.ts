import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { main, ExitCode } from '../../src/cli/main.ts';

const fixture = (name: string): string => new URL(`../fixtures/eval/${name}`, import.meta.url).pathname;

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const io = {
    stdout: (t: string): void => void (out += t),
    stderr: (t: string): void => void (err += t),
    readStdin: async () => Buffer.alloc(0),
  };
  const code = await main(['eval', ...argv], io);
  return { code, out, err };
}

describe('patch-review eval', () => {
  it('prints its help with every option', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, ExitCode.Clean);
    for (const option of ['--patches', '--git', '--recent', '--paths', '--tree-from-git', '--kb', '--jobs', '--format', '--report']) assert.match(r.out, new RegExp(`  ${option}\\b`));
  });

  it('scores a corpus and ends with the summary line, exit 0 whatever it measured', async () => {
    const r = await run([fixture('corpus.json'), '--patches', fixture('patches'), '--jobs', '0']);
    assert.equal(r.code, ExitCode.Clean, r.err);
    assert.match(r.out, /\ndev corpus: recall 1\/2 \(R1 0\/1 R2 1\/1 R3 0\/0 R4 0\/0\); clean commits with findings 0\/1, 0\.00 findings per clean commit; fixes still flagged 0\/1\n$/);
  });

  it('shows the code around each miss with --show-code', async () => {
    const r = await run([fixture('corpus.json'), '--patches', fixture('patches'), '--jobs', '0', '--show-code', '1']);
    assert.equal(r.code, ExitCode.Clean, r.err);
    // The missed positive has no patch, so only its why is printed; the found one gets no code.
    assert.match(r.out, /MISSED R1 demo 444444444444 .*\n {6}why: Its patch is deliberately absent/);
    assert.doesNotMatch(r.out, /^ +>\d/m);
  });

  it('writes JSON to a file and renders it again from there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-cli-'));
    try {
      const saved = join(dir, 'run.json');
      const r = await run([fixture('corpus.json'), '--patches', fixture('patches'), '--jobs', '0', '--format', 'json', '--output', saved]);
      assert.equal(r.code, ExitCode.Clean, r.err);
      assert.equal(r.out, '');
      const doc = JSON.parse(readFileSync(saved, 'utf8'));
      assert.equal(doc.kind, 'corpus');
      assert.equal(doc.score.recall.found, 1);
      const again = await run(['--report', saved, '--format', 'markdown']);
      assert.equal(again.code, ExitCode.Clean, again.err);
      assert.match(again.out, /^## Dev corpus, fragment mode/);
      writeFileSync(join(dir, 'other.json'), '{"kind":"something"}');
      const wrong = await run(['--report', join(dir, 'other.json')]);
      assert.equal(wrong.code, ExitCode.Error);
      assert.match(wrong.err, /not a report saved by patch-review eval/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs a precision run over a git directory and reports each source', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'eval-cli-git-'));
    try {
      const git = (...args: string[]): string =>
        execFileSync('git', ['-C', repo, '-c', 'user.name=T', '-c', 'user.email=t@example.org', ...args], { encoding: 'utf8' });
      git('init', '-q');
      mkdirSync(join(repo, 'src'));
      for (const [i, body] of ['return x;', 'x++;\n    return x;'].entries()) {
        writeFileSync(join(repo, 'src', 'a.c'), `int f(int x)\n{\n    ${body}\n}\n`);
        git('add', 'src/a.c');
        git('commit', '-q', '-m', `change ${i}`);
      }
      const r = await run(['--git', `demo=${repo}`, '--paths', 'demo=src/*.c', '--recent', '5', '--jobs', '0', '--format', 'json']);
      assert.equal(r.code, ExitCode.Clean, r.err);
      const report = JSON.parse(r.out);
      assert.equal(report.kind, 'precision');
      assert.deepEqual(report.commits.map((c: { subject: string }) => c.subject), ['change 1', 'change 0']);
      assert.equal(report.sources[0].paths[0], 'src/*.c');
      const bad = await run(['--git', `demo=${repo}`, '--rev', 'no-such-branch', '--jobs', '0']);
      assert.equal(bad.code, ExitCode.Error);
      assert.match(bad.err, /no-such-branch: no such commit/);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('answers bad usage with a message and exit 2', async () => {
    const notGit = mkdtempSync(join(tmpdir(), 'eval-not-git-'));
    after(() => rmSync(notGit, { recursive: true, force: true }));
    const cases: [string[], RegExp][] = [
      [['--bogus'], /unknown option "--bogus"/],
      [[], /give a CORPUS file, or --git NAME=DIR/],
      [['--patches', fixture('patches')], /--patches needs a CORPUS file/],
      [['--git', 'nodir'], /--git needs NAME=VALUE/],
      [['--git', `x=${fixture('no-such-dir')}`], /no such directory/],
      [['--git', `x=${notGit}`], /not a git repository/],
      [[fixture('corpus.json'), '--patches', fixture('patches'), '--recent', '5'], /--recent is for precision runs/],
      [[fixture('corpus.json'), '--tree-from-git', '--patches', fixture('patches')], /--tree-from-git needs at least one --git/],
      [[fixture('patches/demo-3333333333333333333333333333333333333333.patch'), '--patches', fixture('patches')], /cannot read corpus/],
      [[fixture('corpus.json'), '--jobs', 'many'], /--jobs must be an integer/],
      [[fixture('corpus.json'), '--format', 'html'], /--format must be one of text, json, markdown/],
      [[fixture('corpus.json'), '--patches', fixture('patches'), '--show-code', 'x'], /--show-code must be an integer/],
      [['--show-code', '3'], /--show-code is for corpus runs/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      assert.equal(r.code, ExitCode.Error, argv.join(' '));
      assert.match(r.err, message, argv.join(' '));
    }
  });
});
