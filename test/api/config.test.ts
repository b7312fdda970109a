import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/api/config.ts';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  assert.fail('expected a ConfigError');
};

describe('configuration from the environment', () => {
  it('has embedded defaults: loopback:8080, no auth, no rate limit, workers sized to the machine', () => {
    const config = loadConfig({});
    assert.deepEqual([config.host, config.port, config.apiTokens, config.rateLimitMax], ['127.0.0.1', 8080, [], 0]);
    assert.equal(config.workers, availableParallelism());
    assert.equal(config.queueMax, config.workers * 8);
    assert.deepEqual(config.projects, {});
  });

  it('reads and coerces each variable', () => {
    const config = loadConfig({ HOST: '0.0.0.0', PORT: '9000', LOG_LEVEL: 'debug', WORKERS: '3', API_TOKENS: ' aaaaaaaaaaaaaaaa , bbbbbbbbbbbbbbbb ', TRUST_PROXY: '2', REVIEW_TIME_LIMIT_MS: '5000' });
    assert.deepEqual([config.host, config.port, config.logLevel, config.workers, config.queueMax], ['0.0.0.0', 9000, 'debug', 3, 24]);
    assert.deepEqual(config.apiTokens, ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb']);
    assert.equal(config.trustProxy, 2);
    assert.equal(config.reviewTimeLimitMs, 5000);
  });

  it('keeps the C model cache in review workers unless MODEL_CACHE=off', () => {
    assert.equal(loadConfig({}).modelCache, true);
    assert.equal(loadConfig({ MODEL_CACHE: 'on' }).modelCache, true);
    assert.equal(loadConfig({ MODEL_CACHE: 'off' }).modelCache, false);
    assert.match(problems({ MODEL_CACHE: 'sometimes' }).join('\n'), /MODEL_CACHE.*(on, off)/);
  });

  it('turns rate limiting on by default beyond loopback', () => {
    assert.equal(loadConfig({ HOST: '0.0.0.0' }).rateLimitMax, 120);
    assert.equal(loadConfig({ HOST: '0.0.0.0', RATE_LIMIT_MAX: '0' }).rateLimitMax, 0);
  });

  it('names every bad variable at once', () => {
    const list = problems({ PORT: 'http', LOG_LEVEL: 'loud', WORKERS: '0' });
    assert.equal(list.length, 3, list.join('\n'));
    assert.ok(list.some((p) => p.startsWith('PORT="http"')));
    assert.ok(list.some((p) => p.startsWith('LOG_LEVEL="loud"') && p.includes('info')));
    assert.ok(list.some((p) => p.startsWith('WORKERS="0"')));
  });

  it('refuses short tokens and malformed proxy settings', () => {
    assert.match(problems({ API_TOKENS: 'secret' })[0]!, /at least 16/);
    assert.match(problems({ TRUST_PROXY: 'maybe' })[0]!, /TRUST_PROXY/);
  });

  it('checks projects: JSON, names, absolute paths that exist and are of the right kind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'api-config-'));
    try {
      const kb = join(dir, 'x.kb');
      writeFileSync(kb, '{}');
      const config = loadConfig({ PROJECTS: JSON.stringify({ xen: { tree: dir }, 'op-tee': { kb } }) });
      assert.deepEqual(config.projects, { xen: { tree: dir }, 'op-tee': { kb } });
      assert.match(problems({ PROJECTS: '{xen' })[0]!, /not JSON/);
      assert.match(problems({ PROJECTS: '{"xen": {"tree": "relative/dir"}}' })[0]!, /not an absolute path/);
      assert.match(problems({ PROJECTS: JSON.stringify({ xen: { tree: join(dir, 'missing') } }) })[0]!, /does not exist/);
      assert.match(problems({ PROJECTS: JSON.stringify({ xen: { tree: kb } }) })[0]!, /not a directory/);
      assert.ok(problems({ PROJECTS: JSON.stringify({ 'bad name!': { tree: dir } }) }).length > 0);
      assert.ok(problems({ PROJECTS: JSON.stringify({ xen: { path: dir } }) }).length > 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
