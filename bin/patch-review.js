#!/usr/bin/env sh
":" //; if [ -n "${NODE_EXTRA_CA_CERTS-}" ]; then case "$1" in ''|check|baseline|inspect|rules|explain|eval|index|help|-h|--help|version|-V|--version) PATCH_REVIEW_NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS; export PATCH_REVIEW_NODE_EXTRA_CA_CERTS; unset NODE_EXTRA_CA_CERTS;; esac; fi; exec node "$0" "$@"
// The two lines above are read twice. Run as a command, this file is a shell script (`sh` from PATH, as
// `#!/usr/bin/env node` found node): line 2 is `:` (nothing) and then the launcher's only shell code, which
// ends in `exec node` on this same file (same process, same arguments, stdin, exit status and signals). Run by
// Node (`node bin/patch-review.js`, or the exec), Node skips the `#!` line and line 2 is a string and a comment.
// The shell code starts Node without NODE_EXTRA_CA_CERTS for the commands that open no network connection:
// Node 20 parses that file of certificates, and its own ~140 roots, at every start, before any JavaScript
// runs (~35-45 ms of CPU on the team's machines, a quarter of a `check`). Those commands keep the user's value
// in PATCH_REVIEW_NODE_EXTRA_CA_CERTS, and the JavaScript below puts it back into the environment, so the
// processes they start (git) see what the user set; every other command (`bot`, anything unknown) starts
// with the variable as it was. docs/perf.md "The installed command", session 10: the measurements, and why
// not `env -S` (BusyBox) and not `#!/bin/sh` (npm's Windows shims would then look for /bin/sh).
// The installed command. `npm run build` (run by `npm ci` through `prepare`, and by `npm pack`) compiles
// dist/src and bundles the CLI into one CommonJS file, dist/bundle/cli.cjs (scripts/build-bundle.mjs).
// This launcher runs the bundle as a vm.Script with V8's code cache, so a start deserialises the
// compiled functions of a review instead of parsing and compiling ~1.8 MB of JavaScript each time:
//
// - dist/bundle/cli.cache: written by the build's training run (read only here);
// - else $XDG_CACHE_HOME/patch-review/ (~/.cache/patch-review/): written at exit by a review run that
//   found no usable cache (another Node version, other V8 flags), atomically (temporary file + rename).
// A cache file starts with a key line (bundle hash, Node version, platform, flags); a file with another
// key is ignored, and V8 verifies the rest (its checksum, enabled below, rejects corrupt data). An
// unreadable, stale, foreign or corrupt cache, or a cache directory that cannot be written, costs time,
// never a result. PATCH_REVIEW_CODE_CACHE=off uses none; PATCH_REVIEW_CODE_CACHE=FILE uses only FILE.
// NODE_DEBUG=patch-review says on stderr which cache was used.
//
// When the bundle is missing, written by another version of the build script, or in a git checkout older
// than dist/src (a bare `tsc` after a build), dist/src runs as plain ES modules, without a cache. An installed package's files carry the times npm
// extracted them, in no particular order: there the bundle is used whenever it is present.
//
// This file is CommonJS (bin/package.json says so): a CommonJS entry starts ~10 ms sooner than an ES module
// one, and nothing here needs the ES module loader.
'use strict';
const { Buffer } = require('node:buffer');
const { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join, resolve } = require('node:path');
const { debuglog } = require('node:util');
const { setFlagsFromString } = require('node:v8');
const vm = require('node:vm');

// V8 flags, set before anything is compiled (they are part of a code cache's identity):
// - a larger interrupt budget (src/pool/tiering.ts: the same for the API's and the bot's review workers): functions tier up to the optimising compiler after ~15x more work than
//   by default. A command's run is short; optimising the hot functions of a cold review costs more
//   (compilation threads, deoptimisations) than it saves. Long runs still get optimised code.
// - regular expressions compiled to machine code at their first use (V8's default compiles each one to
//   bytecode first and again to machine code at its second use: a seed `check` compiles ~320 expressions, ~300
//   of them twice; a code cache holds neither). Same matches either way; ~7 ms less CPU on the seed
//   (docs/perf.md, session 11).
const V8_FLAGS = ['--interrupt-budget=1000000', '--no-regexp-tier-up'];
for (const flag of V8_FLAGS) setFlagsFromString(flag);
// - checksums on a code cache written at run time (per user, or PATCH_REVIEW_CODE_CACHE=FILE), set in
//   runBundle() before such a cache is read: a corrupt one is then rejected instead of crashing V8. The cache
//   the build packaged next to the bundle (dist/bundle/cli.cache) is trusted as the bundle itself is: V8
//   still checks its length, version, flags and source length; its checksum would cost ~2 ms of every start.
const CHECKSUM_FLAG = '--verify-snapshot-checksum';

const debug = debuglog('patch-review');
// Put back the user's NODE_EXTRA_CA_CERTS that line 2 kept out of Node's start (see the top of this file).
const savedExtraCa = process.env.PATCH_REVIEW_NODE_EXTRA_CA_CERTS;
if (savedExtraCa !== undefined) {
  process.env.NODE_EXTRA_CA_CERTS = savedExtraCa;
  delete process.env.PATCH_REVIEW_NODE_EXTRA_CA_CERTS;
  debug('started without NODE_EXTRA_CA_CERTS (a local command); %s restored for child processes', savedExtraCa);
}
/** The bundle's first line (scripts/build-bundle.mjs): its format (2: one function expression, ASCII) and hash. */
const BUNDLE_HEADER = /^\/\/ patch-review-bundle 2 sha256:([0-9a-f]{64})\n/;
const bundle = join(__dirname, '../dist/bundle/cli.cjs');
const entry = join(__dirname, '../dist/src/cli/run.js');
/** Commands that review: their run compiles what the next run needs, worth writing as a cache. */
const REVIEWING = new Set(['check', 'baseline', 'inspect']);

const mtime = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
};

function userCacheDir() {
  const base = process.env.XDG_CACHE_HOME || join(require('node:os').homedir(), '.cache');
  return join(base, 'patch-review');
}

/** The payload of a cache file whose first line is `header`, else undefined. */
function readCache(file, header) {
  let data;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  if (data.length <= header.length || data.toString('latin1', 0, header.length) !== header) {
    debug('code cache %s: another bundle, Node or flags; ignored', file);
    return undefined;
  }
  return data.subarray(header.length);
}

function writeCache(file, header, script) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const data = script.createCachedData();
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, Buffer.concat([Buffer.from(header, 'latin1'), data]));
    renameSync(tmp, file);
    debug('code cache %s: written (%d bytes)', file, data.length);
  } catch (error) {
    debug('code cache %s: not written (%s)', file, error.code ?? error.message);
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
  }
}

/** Per-user caches of other bundles not rewritten for a week (old versions, rebuilt checkouts). */
function pruneUserCaches(dir, keep) {
  try {
    const old = Date.now() - 7 * 24 * 3600 * 1000;
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (file !== keep && /^code-cache-.*\.bin$/.test(name) && (mtime(file) ?? Infinity) < old) unlinkSync(file);
    }
  } catch {
    // a cache directory we cannot read or clean is no error
  }
}

function runBundle() {
  // latin1: the build writes the bundle in ASCII (reading 2 MB as UTF-8 costs ~10 ms more).
  const source = readFileSync(bundle).latin1Slice();
  const hash = BUNDLE_HEADER.exec(source)?.[1];
  if (!hash) {
    // written by another version of scripts/build-bundle.mjs (a checkout's old build): not ours to run
    debug('%s: not a bundle of this launcher; running dist/src', bundle);
    return runCompiled();
  }
  const setting = process.env.PATCH_REVIEW_CODE_CACHE;
  const off = setting === 'off' || setting === '0';
  const packaged = join(dirname(bundle), 'cli.cache');
  const keyLine = (flags) =>
    `patch-review code cache 1 ${hash} ${process.version} ${process.platform}-${process.arch} ${JSON.stringify([...flags, ...process.execArgv, process.env.NODE_OPTIONS ?? ''])}\n`;
  // The packaged cache, else one written at run time (checked: see CHECKSUM_FLAG); where to write when none is usable.
  let header;
  let target;
  let from;
  let cachedData;
  const tryFile = (file, trusted) => {
    if (!trusted) setFlagsFromString(CHECKSUM_FLAG);
    header = keyLine(trusted ? V8_FLAGS : [...V8_FLAGS, CHECKSUM_FLAG]);
    cachedData = readCache(file, header);
    if (cachedData) from = file;
    return cachedData !== undefined;
  };
  if (!off && setting) {
    target = setting;
    tryFile(setting, resolve(setting) === packaged);
  } else if (!off && !tryFile(packaged, true)) {
    target = join(userCacheDir(), `code-cache-${hash.slice(0, 16)}-${process.version}-${process.platform}-${process.arch}.bin`);
    tryFile(target, false);
  }
  // The bundle is one function expression, `(function (exports, require, module, __filename, __dirname) {...})`.
  const script = new vm.Script(source, {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
  });
  const accepted = cachedData !== undefined && !script.cachedDataRejected;
  if (from) debug('code cache %s: %s', from, accepted ? 'used' : 'rejected by V8');
  if (!accepted && target && REVIEWING.has(process.argv[2] ?? '')) {
    process.once('exit', (code) => {
      // A complete review (0: no finding, 1: findings) has compiled what the next one runs.
      if (code !== 0 && code !== 1) return;
      writeCache(target, header, script);
      if (target !== setting) pruneUserCaches(dirname(target), target);
    });
  }
  const loaded = { exports: {} };
  script.runInThisContext()(loaded.exports, createRequire(bundle), loaded, bundle, dirname(bundle));
  // main() reports its own errors (exit 2); anything else rejecting here is a crash, reported by Node.
  return loaded.exports.runFromProcess();
}

function runCompiled() {
  if (compiled === undefined) {
    process.stderr.write('patch-review: the compiled build is missing (dist/); run `npm run build` in the package directory\n');
    process.exitCode = 2;
    return undefined;
  }
  return import(require('node:url').pathToFileURL(entry).href);
}

const compiled = mtime(entry);
const bundled = mtime(bundle);
const checkout = mtime(join(__dirname, '../.git')) !== undefined;
if (bundled !== undefined && (compiled === undefined || !checkout || bundled >= compiled)) {
  runBundle();
} else {
  runCompiled();
}
