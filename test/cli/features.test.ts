import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { main, ExitCode, type Io } from '../../src/cli/main.ts';
import { headingAnchor } from '../../src/cli/help-uri.ts';
import { FLAGGED_PATCH } from '../fixtures/converted-stop.ts';

const fixture = (name: string): string => new URL(`../fixtures/${name}`, import.meta.url).pathname;

async function run(argv: string[], stdin = '', io: Partial<Io> = {}) {
  let out = '';
  let err = '';
  const code = await main(argv, {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => (err += t),
    readStdin: async () => Buffer.from(stdin),
    ...io,
  });
  return { code, out, err };
}

const STOP_BEFORE = 'static void stop(void)\n{\n    if ( !dev_enabled )\n        return;\n\n    halt();\n}\n';
const STOP_AFTER = 'static int stop(void)\n{\n    if ( !dev_enabled )\n        return -EINVAL;\n\n    halt();\n    return 0;\n}\n';
const FLAGGED = FLAGGED_PATCH;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'pr-cli-features-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });

describe('the config file (.patch-review.json)', () => {
  it('is found from the current directory upward and applied: rules off, severities, ignored paths', async () => {
    const project = join(dir, 'cfg');
    mkdirSync(join(project, 'sub/deeper'), { recursive: true });
    const clean = await run(['check', '-', '--format', 'json'], FLAGGED, { cwd: join(project, 'sub/deeper') });
    assert.equal(JSON.parse(clean.out).findings[0].severity, 'warning');
    writeFileSync(join(project, '.patch-review.json'), JSON.stringify({ rules: { 'error-handling/error-for-benign-exit': 'error' } }));
    const raised = await run(['check', '-', '--format', 'json'], FLAGGED, { cwd: join(project, 'sub/deeper') });
    assert.equal(JSON.parse(raised.out).findings[0].severity, 'error');
    writeFileSync(join(project, '.patch-review.json'), JSON.stringify({ rules: { 'error-handling': 'off' } }));
    const off = await run(['check', '-', '--format', 'json'], FLAGGED, { cwd: join(project, 'sub') });
    assert.deepEqual(JSON.parse(off.out).findings, []);
    assert.equal(off.code, ExitCode.Clean);
    const flagWins = await run(['check', '-', '--format', 'json', '--rule', 'error-handling/error-for-benign-exit'], FLAGGED, { cwd: project });
    assert.equal(JSON.parse(flagWins.out).findings.length, 1, '--rule wins over the config');
    writeFileSync(join(project, '.patch-review.json'), JSON.stringify({ ignorePaths: ['src/'] }));
    assert.deepEqual(JSON.parse((await run(['check', '-', '--format', 'json'], FLAGGED, { cwd: project })).out).findings, []);
    assert.equal(JSON.parse((await run(['check', '-', '--format', 'json', '--no-config'], FLAGGED, { cwd: project })).out).findings.length, 1);
  });

  it('applies the known APIs it lists: a call named fallible there is checked like a documented one', async () => {
    const project = join(dir, 'apis');
    mkdirSync(project);
    const patch = 'diff --git a/src/x.c b/src/x.c\n--- a/src/x.c\n+++ b/src/x.c\n@@ -1,5 +1,6 @@\n int setup(struct dev *d)\n {\n     d->ready = 1;\n+    frob_device(d);\n     return 0;\n }\n';
    const findings = async (...flags: string[]) =>
      (JSON.parse((await run(['check', '-', '--no-tree', '--format', 'json', ...flags], patch, { cwd: project })).out) as { findings: { ruleId: string; evidence: { reliedOn: string[] } }[] }).findings;
    assert.deepEqual(await findings(), [], 'an unknown callee is not assumed to fail');
    writeFileSync(join(project, '.patch-review.json'), JSON.stringify({ apis: { fallible: [{ name: 'frob_device', convention: 'errno' }] } }));
    const [f, ...rest] = await findings();
    assert.deepEqual([f?.ruleId, rest.length], ['error-handling/dropped-error', 0]);
    assert.match(f!.evidence.reliedOn.join('\n'), /project config/);
    assert.deepEqual(await findings('--no-config'), []);
  });

  it('is validated with a clear error (exit 2) naming the file and the problem', async () => {
    const project = join(dir, 'badcfg');
    mkdirSync(project);
    const file = join(project, '.patch-review.json');
    const cases: [string, RegExp][] = [
      ['{ "rules": ', /is not valid JSON/],
      ['{ "rulez": {} }', /invalid:\n {2}\(top level\): must NOT have additional properties "rulez"/],
      ['{ "rules": { "simplify/nested-if": "loud" } }', /rules\.simplify\/nested-if: must be equal to one of the allowed values \(off, on, error, warning, info\)/],
      ['{ "rules": { "simplify/nope": "off" } }', /unknown rule or pack: simplify\/nope/],
      ['{ "apis": { "fallible": [{ "name": "f", "convention": "sometimes" }] } }', /apis\.fallible\.0\.convention/],
      ['{ "tree": "does-not-exist" }', /tree in .*: .*does-not-exist: no such directory/],
    ];
    for (const [text, message] of cases) {
      writeFileSync(file, text);
      const r = await run(['check', '-'], FLAGGED, { cwd: project });
      assert.equal(r.code, ExitCode.Error, text);
      assert.match(r.err, message, text);
      assert.ok(r.err.includes(file) || /no such directory/.test(r.err), 'the file is named');
    }
  });
});

describe('--disable and --rule', () => {
  it('--disable silences a rule or a whole pack; --rule PACK runs that pack alone', async () => {
    const findings = async (...flags: string[]) => {
      const j = JSON.parse((await run(['check', '-', '--no-config', '--no-tree', '--format', 'json', ...flags], FLAGGED)).out) as { findings: { ruleId: string }[]; rules: { id: string; pack: string }[] };
      return { found: j.findings.map((f) => f.ruleId), packs: [...new Set(j.rules.map((r) => r.pack))], ids: j.rules.map((r) => r.id) };
    };
    const all = await findings();
    assert.deepEqual(all.found, ['error-handling/error-for-benign-exit']);
    const noRule = await findings('--disable', 'error-handling/error-for-benign-exit');
    assert.deepEqual(noRule.found, []);
    assert.deepEqual(noRule.ids, all.ids.filter((id) => id !== 'error-handling/error-for-benign-exit'));
    const noPack = await findings('--disable', 'error-handling');
    assert.deepEqual(noPack.found, []);
    assert.ok(!noPack.packs.includes('error-handling') && noPack.packs.length > 0);
    assert.deepEqual((await findings('--rule', 'error-handling')).packs, ['error-handling']);
    const simplifyOnly = await findings('--rule', 'simplify');
    assert.deepEqual([simplifyOnly.found, simplifyOnly.packs], [[], ['simplify']]);
  });
});

describe('baseline', () => {
  it('records the findings; a later check reports only new ones', async () => {
    const project = join(dir, 'base');
    mkdirSync(project);
    const file = join(project, 'known.json');
    const b = await run(['baseline', fixture('seed-000.txt'), '-o', file], '', { cwd: project });
    assert.equal(b.code, ExitCode.Clean, b.err);
    const recorded = JSON.parse(readFileSync(file, 'utf8'));
    assert.ok(recorded.findings.length > 10);
    const again = await run(['check', fixture('seed-000.txt'), '--baseline', file], '', { cwd: project });
    assert.equal(again.code, ExitCode.Clean, 'nothing new: exit 0');
    assert.match(again.out, new RegExp(`^no findings; ${recorded.findings.length} findings already in the baseline not shown$`, 'm'));
    // Drop one entry: that finding is new again.
    writeFileSync(file, JSON.stringify({ ...recorded, findings: recorded.findings.slice(1) }));
    const one = await run(['check', fixture('seed-000.txt'), '--baseline', file, '--format', 'json'], '', { cwd: project });
    const doc = JSON.parse(one.out);
    assert.equal(doc.findings.length, 1);
    assert.equal(doc.findings[0].fingerprint, recorded.findings[0].fingerprint);
    const bad = await run(['check', fixture('seed-000.txt'), '--baseline', fixture('seed-gold.json')], '', { cwd: project });
    assert.equal(bad.code, ExitCode.Error);
    assert.match(bad.err, /is not a patch-review baseline/);
  });
});

describe('git ranges', () => {
  it('reviews each commit of A..B against its parent, attributed per patch, without touching the work tree', async () => {
    const repo = join(dir, 'repo');
    mkdirSync(join(repo, 'src'), { recursive: true });
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'src/a.c'), STOP_BEFORE);
    writeFileSync(join(repo, 'src/a.h'), 'int halt(void);\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'init');
    writeFileSync(join(repo, 'README'), 'docs\n');
    git(repo, 'add', 'README');
    git(repo, 'commit', '-qm', 'docs: add a readme');
    writeFileSync(join(repo, 'src/a.c'), STOP_AFTER);
    git(repo, 'commit', '-qam', 'a: stop returns an error');
    // An uncommitted change in the work tree must not be what the range is reviewed against.
    writeFileSync(join(repo, 'src/a.c'), 'garbage\n');
    const text = await run(['check', 'HEAD~2..'], '', { cwd: repo });
    assert.equal(text.code, ExitCode.Findings, text.err);
    assert.match(text.out, /^\[PATCH 2\/2\] a: stop returns an error\nsrc\/a\.c:4:9: warning: .*\[error-handling\/error-for-benign-exit\]$/m);
    assert.match(text.out, /^2 patches, /m);
    const json = JSON.parse((await run(['check', '--range', 'HEAD~2..HEAD', '--format', 'json'], '', { cwd: repo })).out);
    assert.equal(json.patches.length, 2);
    assert.equal(json.findings[0].patch, 1);
    assert.deepEqual(json.findings[0].evidence.assumptions, [], 'tree mode: the whole function was visible');
    assert.equal(readFileSync(join(repo, 'src/a.c'), 'utf8'), 'garbage\n', 'work tree untouched');
    assert.equal(git(repo, 'status', '--porcelain'), ' M src/a.c\n');
    const alone = JSON.parse((await run(['check', 'HEAD~2..', '--no-tree', '--format', 'json'], '', { cwd: repo })).out);
    assert.equal(alone.findings.length, 1);
    // Progress per commit on stderr when it is a terminal, the line cleared at the end; none elsewhere or with --quiet.
    const onTerminal = await run(['check', 'HEAD~2..', '--no-tree'], '', { cwd: repo, isTTY: { stderr: true } });
    assert.equal(onTerminal.err, '\r\u001b[K[1/2] docs: add a readme\r\u001b[K[2/2] a: stop returns an error\r\u001b[K');
    const untimed = (t: string): string => t.replace(/ in \d+ ms$/m, '');
    assert.equal(untimed(onTerminal.out), untimed((await run(['check', 'HEAD~2..', '--no-tree'], '', { cwd: repo })).out));
    assert.equal((await run(['check', 'HEAD~2..', '--no-tree'], '', { cwd: repo, isTTY: { stderr: false } })).err, '');
    assert.equal((await run(['check', 'HEAD~2..', '--no-tree', '--quiet'], '', { cwd: repo, isTTY: { stderr: true } })).err, '');
    const bad = await run(['check', '--range', 'nope..HEAD'], '', { cwd: repo });
    assert.equal(bad.code, ExitCode.Error);
    assert.match(bad.err, /nope: no such commit/);
    const outside = await run(['check', '--range', 'HEAD~1..'], '', { cwd: dir });
    assert.equal(outside.code, ExitCode.Error);
    assert.match(outside.err, /not inside a git checkout/);
  });

  it('uses the enclosing checkout as the tree when the patch applies to it, and says so', async () => {
    const repo = join(dir, 'auto');
    mkdirSync(join(repo, 'src'), { recursive: true });
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'src/a.c'), STOP_BEFORE);
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'init');
    const r = await run(['check', '-', '--format', 'json'], FLAGGED, { cwd: join(repo, 'src') });
    assert.match(r.err, /tree mode against the checkout at .*auto/);
    assert.deepEqual(JSON.parse(r.out).findings[0].evidence.assumptions, []);
    const text = await run(['check', '-'], FLAGGED, { cwd: repo });
    assert.match(text.out, /^Tree mode against the enclosing checkout .*auto \(--no-tree for the patch alone\)$/m);
    assert.equal(text.err, '', 'said once, in the text');
    const alone = await run(['check', '-', '--format', 'json', '--no-tree'], FLAGGED, { cwd: repo });
    assert.equal(alone.err, '');
    const elsewhere = await run(['check', '-', '--format', 'json'], FLAGGED.replace(/src\/a\.c/g, 'lib/b.c'), { cwd: repo });
    assert.equal(elsewhere.err, '', 'a patch for files the checkout lacks is reviewed alone');
  });
});

describe('outputs and exit status', () => {
  it('writes several formats at once: one to stdout, the others to files', async () => {
    const sarif = join(dir, 'out.sarif');
    const rd = join(dir, 'out.rdjson');
    const r = await run(['check', '-', '-f', 'text', '-f', `sarif=${sarif}`, '--format', `rdjson=${rd}`], FLAGGED);
    assert.equal(r.code, ExitCode.Findings);
    assert.match(r.out, /error-for-benign-exit/);
    assert.equal(JSON.parse(readFileSync(sarif, 'utf8')).version, '2.1.0');
    assert.equal(JSON.parse(readFileSync(rd, 'utf8')).diagnostics.length, 1);
    const o = join(dir, 'out.json');
    writeFileSync(o, 'old');
    const viaO = await run(['check', '-', '-f', 'json', '-o', o], FLAGGED);
    assert.equal(viaO.out, '');
    assert.equal(JSON.parse(readFileSync(o, 'utf8')).findings.length, 1, 'replaced whole');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
  });

  it('fails only on verified findings at or above --fail-on; inconclusive ones only with --fail-on-inconclusive', async () => {
    assert.equal((await run(['check', '-', '--fail-on', 'warning'], FLAGGED)).code, ExitCode.Findings);
    assert.equal((await run(['check', '-', '--fail-on', 'error'], FLAGGED)).code, ExitCode.Clean);
    // A fragment whose unseen tail may use the result: the finding is inconclusive.
    const inconclusive = fixture('seed-000.txt');
    const doc = JSON.parse((await run(['check', inconclusive, '--format', 'json'])).out);
    const verdicts = new Set(doc.findings.map((f: { verdict: string }) => f.verdict));
    assert.ok(verdicts.has('inconclusive'));
    const onlyInconclusive = doc.findings.filter((f: { verdict: string }) => f.verdict === 'inconclusive').map((f: { ruleId: string }) => f.ruleId);
    const keep = [...new Set(onlyInconclusive)].filter((id) => !doc.findings.some((f: { ruleId: string; verdict: string }) => f.ruleId === id && f.verdict === 'verified'));
    if (keep.length > 0) {
      const rules = keep.flatMap((id) => ['--rule', id as string]);
      assert.equal((await run(['check', inconclusive, ...rules])).code, ExitCode.Clean, 'inconclusive never fails by default');
      assert.equal((await run(['check', inconclusive, ...rules, '--fail-on-inconclusive'])).code, ExitCode.Findings);
    }
  });

  it('ends quietly when the reader goes away (EPIPE), and exits 2 with a message on a full disk', async () => {
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    const piped = await run(['check', '-'], FLAGGED, { stdout: () => Promise.reject(epipe) });
    assert.equal(piped.err, '');
    assert.equal(piped.code, ExitCode.Findings);
    if (existsSync('/dev/full')) {
      const full = await run(['check', '-', '-o', '/dev/full'], FLAGGED);
      assert.equal(full.code, ExitCode.Error);
      assert.match(full.err, /cannot write \/dev\/full: no space left on the device/);
      assert.ok(statSync('/dev/full').isCharacterDevice(), 'a device is written in place, never replaced');
    }
  });

  it('as a real process piped into a reader that closes early, prints no error', () => {
    const run = new URL('../../src/cli/run.ts', import.meta.url).pathname;
    const r = spawnSync('sh', ['-c', `"${process.execPath}" --import tsx "${run}" check "${fixture('seed-000.txt')}" | head -c 10 >/dev/null`], {
      encoding: 'utf8',
      cwd: new URL('../..', import.meta.url).pathname,
    });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
  });

  it('colours text on a terminal only, never with NO_COLOR', async () => {
    const tty = await run(['check', '-'], FLAGGED, { isTTY: { stdout: true }, env: {} });
    assert.ok(tty.out.includes('\u001b['));
    assert.ok(!(await run(['check', '-'], FLAGGED, { isTTY: { stdout: true }, env: { NO_COLOR: '1' } })).out.includes('\u001b['));
    assert.ok(!(await run(['check', '-'], FLAGGED, { isTTY: { stdout: false }, env: {} })).out.includes('\u001b['));
  });

  it('answers b4 with [] for a cover letter (no patch)', async () => {
    const r = await run(['check', '-', '--format', 'b4'], 'Subject: [PATCH 0/3] a series\n\nThis series does things.\n');
    assert.equal(r.code, ExitCode.Clean);
    assert.equal(r.out, '[]\n');
  });
});

describe('SARIF from the command line', () => {
  it('gives every rule a helpUri to its section of docs/rules.md', async () => {
    const r = await run(['check', '-', '--format', 'sarif', '--no-config'], FLAGGED);
    const rules = JSON.parse(r.out).runs[0].tool.driver.rules as { id: string; helpUri: string }[];
    const doc = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');
    const anchors = new Set([...doc.matchAll(/^#+ (.+)$/gm)].map((m) => headingAnchor(m[1]!)));
    assert.ok(rules.length >= 14);
    for (const rule of rules) {
      assert.match(rule.helpUri, /docs\/rules\.md#/, rule.id);
      assert.ok(anchors.has(rule.helpUri.split('#')[1]!), `${rule.id}: ${rule.helpUri} names a heading of docs/rules.md`);
    }
  });
});

describe('rules and explain', () => {
  it('lists every rule with family, severity and provenance', async () => {
    const r = await run(['rules']);
    assert.equal(r.code, ExitCode.Clean);
    assert.match(r.out, /^error-handling\/error-for-benign-exit +warning +disabled-not-error +\S/m);
    const json = JSON.parse((await run(['rules', '--format', 'json'])).out);
    assert.ok(json.length >= 14 && json.every((x: { source: { reviewer: string } }) => x.source.reviewer));
  });

  it('explains a rule: summary, the review it came from, messages, limits, cases', async () => {
    const r = await run(['explain', 'error-handling/error-for-benign-exit']);
    assert.equal(r.code, ExitCode.Clean);
    for (const heading of ['where it comes from:', 'messages:', 'limits:', 'cases:']) assert.match(r.out, new RegExp(`^${heading}$`, 'm'));
    assert.match(r.out, /^ {2}flagged: /m);
    assert.match(r.out, /^ {2}clean: /m);
    const bad = await run(['explain', 'benign']);
    assert.equal(bad.code, ExitCode.Error);
    assert.match(bad.err, /did you mean error-handling\/error-for-benign-exit/);
  });
});
