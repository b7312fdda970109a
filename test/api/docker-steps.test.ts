// The Dockerfile, replayed without a Docker engine by scripts/docker-steps.sh. Slow (a fresh npm ci
// with native builds in a scratch copy), so it runs when DOCKER_STEPS=1, as .ci/run sets.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const skip = process.env.DOCKER_STEPS === '1' ? false : 'slow: set DOCKER_STEPS=1 to replay the Dockerfile (.ci/run does)';

describe('the Dockerfile', () => {
  it('is multi-stage on a Node LTS image, toolchain in the build stage only, non-root, with HEALTHCHECK and EXPOSE', () => {
    const text = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
    const stages = text.split(/^FROM /m).slice(1);
    assert.equal(stages.length, 2);
    assert.match(text, /^ARG NODE_IMAGE=node:(2[02468]|[3-9][02468])-bookworm-slim$/m);
    assert.match(stages[0]!, /apt-get install[^\n]*python3 make g\+\+/);
    assert.doesNotMatch(stages[1]!, /apt-get|g\+\+/);
    // tree-sitter compiled so a worker stopped inside one of its calls does not abort the process.
    assert.match(stages[0]!, /^RUN CXXFLAGS=-DNODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS npm ci\b/m);
    assert.match(stages[0]!, /^RUN npm prune --omit=dev\b/m);
    assert.match(stages[1]!, /^USER node$/m);
    assert.match(stages[1]!, /^EXPOSE 8080$/m);
    assert.match(stages[1]!, /^HEALTHCHECK .*\/healthz/m);
    assert.match(stages[1]!, /^ENV .*HOST=0\.0\.0\.0/m);
  });

  it('builds, prunes to production dependencies, and serves /healthz and a review as an unprivileged user', { skip, timeout: 30 * 60_000 }, async (t) => {
    const child = spawn('bash', ['scripts/docker-steps.sh'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code === 77) {
      t.skip(/SKIPPED: (.*)/.exec(output)?.[1] ?? 'the replay cannot run on this machine');
      return;
    }
    assert.equal(code, 0, output.slice(-4000));
    assert.match(output, /docker-steps: PASSED/);
  });
});
