// docs/rules.md is the catalogue `patch-review rules catalog` writes (src/packs/catalog.ts: the rule
// modules read statically with ts-morph).
import { fileURLToPath } from 'node:url';
import { writeCatalog } from '../src/packs/catalog.ts';

const result = await writeCatalog(fileURLToPath(new URL('../rules/', import.meta.url)), fileURLToPath(new URL('../docs/rules.md', import.meta.url)));
if (result.problems.length > 0) {
  process.stderr.write(result.problems.map((p) => `${p}\n`).join(''));
  process.exitCode = 2;
}
