// The package version, read once from the package.json above this module (sources or dist/).
import { existsSync, readFileSync } from 'node:fs';

function findPackageJson(): URL {
  for (const rel of ['../package.json', '../../package.json']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(url)) return url;
  }
  throw new Error('package.json not found above src/version');
}

const pkg = JSON.parse(readFileSync(findPackageJson(), 'utf8')) as { version: string };
export const VERSION: string = pkg.version;
