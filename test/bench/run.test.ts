// The bench harness runs and reports in the agreed shape. Timing values are never asserted:
// speed is the bench's business, not the tests'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, runBench, UsageError, type Summary } from '../../bench/run.ts';

function assertSummary(s: Summary | undefined, runs: number, what: string): void {
  assert.ok(s, `${what} present`);
  for (const k of ['median', 'min', 'max'] as const) assert.equal(typeof s[k], 'number', `${what}.${k}`);
  assert.equal(s.samples.length, runs, `${what}.samples`);
}

test('runBench with runs=1 on seed-000 writes medians and per-function simulation rows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'patch-review-bench-'));
  try {
    const out = join(dir, 'nested', 'result.json');
    const result = await runBench({ runs: 1, inputs: ['seed-000'], out });
    const written = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(Object.keys(written).sort(), Object.keys(result).sort());
    assert.equal(written.runs, 1);
    assert.equal(typeof written.env.node, 'string');
    assert.equal(typeof written.env.cpu, 'string');
    assert.ok(!Number.isNaN(Date.parse(written.date)));

    assert.equal(result.inputs.length, 1);
    const [seed] = result.inputs;
    assert.equal(seed!.name, 'seed-000');
    assert.equal(seed!.status, 'ok', seed!.error);
    for (const stage of ['wallMs', 'parseMs', 'modelMs', 'rulesMs', 'totalMs'] as const) assertSummary(seed![stage], 1, stage);
    assert.ok(seed!.stats!.functions > 0);
    assert.equal(typeof seed!.memory!.peakRssBytes, 'number');

    assert.equal(result.simulation.status, 'ok', result.simulation.error);
    const rows = result.simulation.functions.filter((f) => f.name === 'intel_iommu_hwdom_init');
    assert.deepEqual(rows.map((r) => r.side).sort(), ['post', 'pre']);
    for (const row of rows) {
      assert.equal(row.status, 'complete');
      assert.ok(row.paths > 0 && row.steps > 0);
      assertSummary(row.ms, 1, `${row.name} ${row.side}`);
    }
    assert.ok('seed-000 simulation share of review total' in result.ratios);
    assert.equal(result.ratios['seed-000 / seed-000-recovered (review total)'], null, 'no ratio without the recovered patch');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an input that throws is an error row, and a bad --runs is a usage error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'patch-review-bench-'));
  try {
    const result = await runBench({ runs: 1, inputs: [{ name: 'empty', kind: 'nothing', load: () => '' }], out: join(dir, 'r.json') });
    assert.equal(result.inputs[0]!.status, 'error');
    assert.match(result.inputs[0]!.error!, /empty/);
    assert.equal(result.simulation.status, 'skipped');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => parseArgs(['--runs', 'abc']), UsageError);
  assert.throws(() => parseArgs(['--inputs', 'nope']), UsageError);
  assert.deepEqual(parseArgs(['--runs=3', '--out', 'x.json']), { runs: 3, out: 'x.json', cli: true, api: true });
  assert.deepEqual(parseArgs(['--no-cli', '--no-api']), { cli: false, api: false });
});
