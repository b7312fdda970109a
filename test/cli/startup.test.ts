// The installed command loads only what a command needs: the modules main() imports statically
// (what every run pays for, even --help) must not pull in the review engine, tree-sitter, Ajv or any
// formatter; those come through import() in the commands that use them. Checked on the import graph,
// not by timing (speed is `npm run bench:startup`'s business).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Static `import ... from` / `export ... from` specifiers of a module; `import()` is not followed. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\sfrom\s+'([^']+)'/gm)) out.push(m[1]!);
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) out.push(m[1]!);
  return out;
}

function closure(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [resolve(root, entry)];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (!spec.startsWith('.')) {
        seen.add(spec);
        continue;
      }
      const target = resolve(dirname(file), spec);
      if (existsSync(target)) stack.push(target);
    }
  }
  return seen;
}

describe('start-up', () => {
  it('main() statically loads no engine, no tree-sitter, no Ajv and no formatter', () => {
    const loaded = [...closure('src/cli/run.ts')].map((f) => f.replace(root, ''));
    const heavy = loaded.filter((f) => /^(tree-sitter|ajv|postal-mime|fastify|pino)|^src\/(review|c|sim|patch|knowledge|api|bot|eval)\/|default-review|^rules\/|^src\/report\/(?!index\.ts)/.test(f));
    assert.deepEqual(heavy, [], `loaded at start-up: ${loaded.join(', ')}`);
    assert.ok(loaded.includes('src/cli/options.ts') && loaded.includes('src/cli/commands/index.ts'), 'the graph is followed');
  });

  it('the formatters and the check command are reached only through import()', () => {
    const main = readFileSync(resolve(root, 'src/cli/main.ts'), 'utf8');
    assert.match(main, /await import\('\.\/check\.ts'\)/);
    const report = readFileSync(resolve(root, 'src/report/index.ts'), 'utf8');
    assert.equal(staticImports(resolve(root, 'src/report/index.ts')).length, 0, 'report/index.ts imports only types');
    assert.match(report, /import\('\.\/sarif\.ts'\)/);
  });
});
