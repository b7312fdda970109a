// Top-level --help names every command (the pack builder's `rules mine|new|catalog` too), check's
// --time-limit is validated and reaches the review, and the rules reference a helpUri points at is the
// published one when package.json says where the package lives.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { main, ExitCode, type Io } from '../../src/cli/main.ts';
import { COMMANDS, RULES_SUBCOMMANDS } from '../../src/cli/options.ts';
import { COMMAND_TABLE } from '../../src/cli/commands/index.ts';
import { publishedRulesDoc } from '../../src/cli/help-uri.ts';
import { FLAGGED_PATCH } from '../fixtures/converted-stop.ts';

async function run(argv: string[], stdin = '') {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => (err += t),
    readStdin: async () => Buffer.from(stdin),
  };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('top-level --help', () => {
  it('lists every command: the built-in ones, the table of added ones and the rules subcommands', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, ExitCode.Clean);
    const listed = new Set([...r.out.matchAll(/^ {2}(\S+(?: (?:mine|new|catalog))?) {2,}\S/gm)].map((m) => m[1]!));
    for (const c of [...COMMANDS, ...Object.keys(COMMAND_TABLE), ...Object.keys(RULES_SUBCOMMANDS).map((s) => `rules ${s}`)]) {
      assert.ok(listed.has(c), `--help lists ${c}`);
    }
    assert.match(r.out, /--time-limit MS/);
  });

  it('each rules subcommand answers its own --help', async () => {
    for (const sub of Object.keys(RULES_SUBCOMMANDS)) {
      const r = await run(['rules', sub, '--help']);
      assert.equal(r.code, ExitCode.Clean, sub);
      assert.match(r.out, new RegExp(`rules ${sub}`));
    }
  });
});

describe('check --time-limit', () => {
  it('refuses a value that is not a positive whole number of milliseconds (exit 2)', async () => {
    for (const bad of ['0', '-5', 'abc', '1.5']) {
      const r = await run(['check', '-', '--no-config', '--no-tree', '--time-limit', bad], FLAGGED_PATCH);
      assert.equal(r.code, ExitCode.Error, bad);
      assert.match(r.err, /--time-limit must be a whole number of milliseconds/);
    }
  });

  it('passes the limit to the review: a generous one changes nothing', async () => {
    const plain = await run(['check', '-', '--no-config', '--no-tree', '--format', 'json'], FLAGGED_PATCH);
    const limited = await run(['check', '-', '--no-config', '--no-tree', '--format', 'json', '--time-limit', '600000'], FLAGGED_PATCH);
    const findings = (out: string) => (JSON.parse(out) as { findings: { ruleId: string; line: number }[] }).findings.map((f) => `${f.ruleId}:${f.line}`);
    assert.deepEqual(findings(limited.out), findings(plain.out));
    assert.equal((JSON.parse(limited.out) as { stats: { timedOut?: boolean } }).stats.timedOut ?? false, false);
  });
});

describe('where a helpUri points', () => {
  it('uses homepage, else the repository URL, else nothing (the installed copy is used then)', () => {
    assert.equal(publishedRulesDoc({ homepage: 'https://example.org/o/patch-review#readme' }), 'https://example.org/o/patch-review/blob/main/docs/rules.md');
    assert.equal(publishedRulesDoc({ repository: { type: 'git', url: 'git+https://example.org/o/patch-review.git' } }), 'https://example.org/o/patch-review/blob/main/docs/rules.md');
    assert.equal(publishedRulesDoc({ repository: 'git://example.org/o/patch-review.git' }), 'https://example.org/o/patch-review/blob/main/docs/rules.md');
    assert.equal(publishedRulesDoc({ repository: 'github:o/patch-review' }), undefined);
    assert.equal(publishedRulesDoc({}), undefined);
  });
});
