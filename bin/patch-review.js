#!/usr/bin/env node
// Thin launcher: runs the compiled CLI (npm ci and npm run build produce dist/).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/run.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('patch-review: the compiled build is missing (dist/); run `npm run build` in the package directory\n');
  process.exitCode = 2;
} else {
  await import(entry.href);
}
