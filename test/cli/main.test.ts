import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { main, ExitCode } from '../../src/cli/main.ts';
import { FLAGGED_PATCH } from '../fixtures/converted-stop.ts';

const fixture = (name: string): string => new URL(`../fixtures/${name}`, import.meta.url).pathname;

async function run(argv: string[], stdin = '') {
  let out = '';
  let err = '';
  const code = await main(argv, {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => (err += t),
    readStdin: async () => Buffer.from(stdin),
  });
  return { code, out, err };
}

const CLEAN = `--- a/src/a.c
+++ b/src/a.c
@@ -1,4 +1,5 @@
 int f(int x)
 {
+    x++;
     return x;
 }
`;

const FLAGGED = FLAGGED_PATCH;

describe('patch-review check', () => {
  it('exits 1 with findings and prints them as file:line:col: severity: message [rule]', async () => {
    const r = await run(['check', '-'], FLAGGED);
    assert.equal(r.code, ExitCode.Findings);
    assert.match(r.out, /^src\/a\.c:4:9: warning: .*dev_enabled.* \[error-handling\/error-for-benign-exit\]$/m);
    assert.match(r.out, /verified: /);
  });

  it('exits 0 on a patch with nothing to say', async () => {
    const r = await run(['check', '-'], CLEAN);
    assert.equal(r.code, ExitCode.Clean);
    assert.match(r.out, /^no findings$/m);
  });

  it('emits the review object as JSON with --format json, which the gold scorer reads', async () => {
    const r = await run(['check', fixture('seed-000.txt'), '--format', 'json']);
    assert.equal(r.code, ExitCode.Findings);
    const doc = JSON.parse(r.out);
    assert.ok(Array.isArray(doc.findings) && doc.findings.length > 10);
    for (const key of ['ruleId', 'family', 'severity', 'file', 'line', 'column', 'function', 'snippet', 'message', 'verdict', 'evidence', 'source']) {
      assert.ok(key in doc.findings[0], key);
    }
  });

  it('emits SARIF 2.1.0 with rules, results, code flows and fixes', async () => {
    const r = await run(['check', fixture('seed-000.txt'), '--format=sarif']);
    const doc = JSON.parse(r.out);
    assert.equal(doc.version, '2.1.0');
    const run0 = doc.runs[0];
    assert.ok(run0.tool.driver.rules.length >= 10);
    assert.ok(run0.results.some((x: { codeFlows?: unknown[] }) => x.codeFlows && x.codeFlows.length > 0));
    assert.ok(run0.results.some((x: { fixes?: unknown[] }) => x.fixes && x.fixes.length > 0));
    for (const res of run0.results) assert.ok(run0.tool.driver.rules.some((rule: { id: string }) => rule.id === res.ruleId));
  });

  it('lists refuted candidates with their counterexample under --show-refuted', async () => {
    const r = await run(['check', fixture('seed-000.txt'), '--show-refuted', '--format', 'json']);
    const doc = JSON.parse(r.out);
    assert.ok(doc.refuted.some((f: { verdict: string; evidence: { story: string } }) => f.verdict === 'refuted' && /error is lost/.test(f.evidence.story)));
  });

  it('honours --fail-on', async () => {
    assert.equal((await run(['check', '-', '--fail-on', 'error'], FLAGGED)).code, ExitCode.Clean);
    assert.equal((await run(['check', '-', '--fail-on', 'warning'], FLAGGED)).code, ExitCode.Findings);
    assert.equal((await run(['check', '-', '--fail-on', 'none'], FLAGGED)).code, ExitCode.Clean);
  });

  it('runs only the rules named with --rule, and rejects an unknown one', async () => {
    const r = await run(['check', fixture('seed-000.txt'), '--rule', 'simplify/nested-if', '--format', 'json']);
    assert.deepEqual([...new Set(JSON.parse(r.out).findings.map((f: { ruleId: string }) => f.ruleId))], ['simplify/nested-if']);
    const bad = await run(['check', fixture('seed-000.txt'), '--rule', 'simplify/nope']);
    assert.equal(bad.code, ExitCode.Error);
    assert.match(bad.err, /unknown rule or pack: simplify\/nope/);
  });

  it('exits 2 with a message for usage and input errors', async () => {
    const cases: [string[], string, RegExp][] = [
      [['check'], '', /needs a FILE/],
      [['check', '-', '--tree', '/nonexistent/dir'], '', /--tree \/nonexistent\/dir: no such directory/],
      [['check', '-', '--tree', fixture('seed-000.txt')], '', /not a directory/],
      [['check', '-', '--kb', '/nonexistent/kb.json'], '', /--kb \/nonexistent\/kb\.json: no such file/],
      [['check', '-', '--disable', 'nope/none'], FLAGGED, /unknown rule or pack: nope\/none/],
      [['check', '-', '--tree', '.', '--no-tree'], '', /contradict/],
      [['inspect', '-', '--tree', '/nonexistent/dir'], '', /--tree \/nonexistent\/dir: no such directory/],
      [['check', '-', '-f', 'text', '-f', 'json'], '', /only one format can go to standard output/],
      [['check', 'a', 'b'], '', /takes one FILE/],
      [['check', '-', '--format', 'xml'], '', /unknown format "xml" \(expected one of text, json, sarif, checkpatch, rdjson, rdjsonl, b4, github\)/],
      [['check', '-', '--bogus'], '', /unknown option/],
      [['frobnicate'], '', /unknown command/],
      [['check', '/nonexistent/x.patch'], '', /cannot read \/nonexistent\/x\.patch: no such file/],
      [['check', '-'], 'Hello,\n\nthis mail has no patch in it.\n', /no diff|no patch/i],
      [['check', '-'], '', /no patch|empty/i],
    ];
    for (const [argv, stdin, message] of cases) {
      const r = await run(argv, stdin);
      assert.equal(r.code, ExitCode.Error, argv.join(' '));
      assert.match(r.err, message, argv.join(' '));
      assert.equal(r.out, '', 'nothing on stdout');
    }
  });

  it('prints help and version', async () => {
    const help = await run(['--help']);
    assert.equal(help.code, ExitCode.Clean);
    assert.match(help.out, /usage: patch-review <command>/);
    assert.match(help.out, /--show-refuted/);
    assert.match((await run(['--version'])).out, /^patch-review \d+\.\d+\.\d+\n$/);
  });

  it('reviews in tree mode against a checkout (--tree)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pr-cli-tree-'));
    try {
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'src/a.c'), 'static void stop(void)\n{\n    if ( !dev_enabled )\n        return;\n\n    halt();\n}\n');
      execFileSync('git', ['init', '-q'], { cwd: dir });
      execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'add', '.'], { cwd: dir });
      execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-qm', 'init'], { cwd: dir });
      const r = await run(['check', '-', '--tree', dir, '--format', 'json'], FLAGGED);
      const doc = JSON.parse(r.out);
      const f = doc.findings.find((x: { ruleId: string }) => x.ruleId === 'error-handling/error-for-benign-exit');
      assert.ok(f, r.out);
      assert.deepEqual(f.evidence.assumptions, [], 'the whole function is visible: nothing assumed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('patch-review inspect', () => {
  it('shows the files, hunks and functions understood from the seed reply', async () => {
    const r = await run(['inspect', fixture('seed-000.txt')]);
    assert.equal(r.code, ExitCode.Clean);
    assert.match(r.out, /input: quoted-reply/);
    assert.equal((r.out.match(/^ {2}file /gm) ?? []).length, 12);
    assert.match(r.out, /iommu_hwdom_init\(\): void -> int/);
    assert.match(r.out, /^ {2}\d+ of \d+ functions parsed cleanly$/m);
  });

  it('prints the parse summary for a patch that adds whole files', async () => {
    const added = `--- /dev/null
+++ b/xen/common/new.c
@@ -0,0 +1,14 @@
+static int __init setup_thing(void)
+{
+    struct thing *t = xzalloc(struct thing);
+
+    if ( !t )
+        return -ENOMEM;
+    return 0;
+}
+
+static void __exit drop_things(struct domain *d)
+{
+    for_each_vcpu ( d, v )
+        put_thing(v);
+}
`;
    const r = await run(['inspect', '-'], added);
    assert.match(r.out, /xen\/common\/new\.c .*: 2 of 2 functions parsed cleanly/);
    assert.match(r.out, /^ {2}2 of 2 functions parsed cleanly$/m);
  });

  it('emits JSON without syntax trees', async () => {
    const r = await run(['inspect', fixture('seed-000.txt'), '--format', 'json']);
    const doc = JSON.parse(r.out);
    const fn = doc.patches[0].model.files[0].functions[0];
    assert.ok(fn.post.source && !('tree' in fn.post) && !('node' in fn.post));
  });
});

describe('the bin launcher', () => {
  it('runs as a real process and sets its exit code', () => {
    const bin = new URL('../../bin/patch-review.js', import.meta.url).pathname;
    const ok = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    assert.equal(ok.status, 0);
    const bad = spawnSync(process.execPath, [bin, 'check', '/nonexistent'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /cannot read/);
  });
});
