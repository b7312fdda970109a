import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Each case runs in a process of its own: the setting is process-wide and applied once.
const run = (env: Record<string, string>, execArgv: string[] = []): string[] => {
  const module = fileURLToPath(new URL('../../src/pool/tiering.ts', import.meta.url));
  const script = `const { applyReviewTiering } = await import(${JSON.stringify(module)});
    const first = applyReviewTiering(); const again = applyReviewTiering();
    if (first !== again) throw new Error('applied twice');
    console.log(JSON.stringify(first));`;
  const r = spawnSync(process.execPath, [...execArgv, '--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, PATCH_REVIEW_V8_TIERING: '', NODE_OPTIONS: '', ...env },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim()) as string[];
};

test('review processes get a larger interrupt budget, once', () => {
  assert.deepEqual(run({}), ['--interrupt-budget=1000000']);
});

test('PATCH_REVIEW_V8_TIERING=default keeps V8 defaults', () => {
  assert.deepEqual(run({ PATCH_REVIEW_V8_TIERING: 'default' }), []);
});

test('a budget given on the command line wins', () => {
  assert.deepEqual(run({}, ['--interrupt-budget=5000']), []);
});

test("the CLI's bin sets the same flags before its code cache loads", async () => {
  const { readFileSync } = await import('node:fs');
  const { TIERING_FLAGS } = await import('../../src/pool/tiering.ts');
  const bin = readFileSync(new URL('../../bin/patch-review.js', import.meta.url), 'utf8');
  const flags = /const V8_FLAGS = (\[[^\]]*\])/.exec(bin)?.[1];
  assert.ok(flags, 'V8_FLAGS in bin/patch-review.js');
  const list = JSON.parse(flags.replaceAll("'", '"')) as string[];
  for (const f of TIERING_FLAGS) assert.ok(list.includes(f), `${f} in the bin's V8_FLAGS`);
});
