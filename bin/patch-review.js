#!/usr/bin/env node
// Thin launcher: runs the compiled CLI (npm ci and npm run build produce dist/). The build also bundles
// the CLI into a few files (dist/bundle/, esbuild), which start faster than ~150 separate modules; it is
// used when it is at least as new as the compiled modules (a bare `tsc` leaves it stale), else dist/src.
import { statSync } from 'node:fs';

const entry = new URL('../dist/src/cli/run.js', import.meta.url);
const bundle = new URL('../dist/bundle/run.js', import.meta.url);
const mtime = (url) => {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return undefined;
  }
};
const compiled = mtime(entry);
const bundled = mtime(bundle);
if (compiled === undefined && bundled === undefined) {
  process.stderr.write('patch-review: the compiled build is missing (dist/); run `npm run build` in the package directory\n');
  process.exitCode = 2;
} else {
  await import((bundled !== undefined && (compiled === undefined || bundled >= compiled) ? bundle : entry).href);
}
