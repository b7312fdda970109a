// The last step of `npm run build` (after tsc has written dist/src): bundles what the installed command
// runs, so that a start loads a few files instead of ~160 modules, and records a V8 code cache for it.
//
//   node scripts/build-bundle.mjs [--no-train]
//
// - dist/bundle/cli.cjs: the CLI (dist/src/cli/main.js and everything it imports, commands and
//   formatters included) as ONE CommonJS file. Modules that are imported lazily stay lazy (esbuild wraps
//   them in init functions run on first import), npm packages stay external. CommonJS because Node 20
//   can only give V8's code cache to a classic script (vm.Script); bin/patch-review.js loads it that way.
//   Its first line is `// patch-review-bundle 2 sha256:<hash of the rest>`: the launcher runs only this format
//   (2: the rest is one function expression, the module's body wrapped as CommonJS wraps it; ASCII) and
//   keys caches by the hash.
// - dist/bundle/<module>.<export>.txt: large strings of generated data modules (SIDE_DATA below), which the
//   bundle reads from these files instead of holding them as literals.
// - dist/bundle/worker.js (+ chunks): the review pool's worker thread (ESM, code splitting), found by
//   src/pool's workerEntry() next to the bundle that started the pool.
// - dist/bundle/cli.cache: the code cache, written by a training run of the bin (`check` on the seed
//   fixture with the json and text formats) so that the compiled functions of a review are in it. The
//   launcher uses it when V8 accepts it (same Node version and flags), else a per-user cache, else
//   neither: a cache is only ever a speed-up. Skipped with --no-train or when the fixture is absent.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist/bundle');
const at = (p) => join(root, p);

cpSync(at('src/api/static'), at('dist/src/api/static'), { recursive: true });
// the mined facts of TF-A and U-Boot, read on first use (src/knowledge/mined.ts), next to the compiled module
cpSync(at('src/knowledge/mined-other.tsv'), at('dist/src/knowledge/mined-other.tsv'));
rmSync(out, { recursive: true, force: true });

const common = { bundle: true, platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' };

await build({
  ...common,
  entryPoints: [at('dist/src/pool/worker.js')],
  format: 'esm',
  splitting: true,
  entryNames: '[name]',
  outdir: out,
});

// Node modules that cost milliseconds to load and that many runs never call: the bundle gets stand-ins
// whose functions load the real module on their first call (`check` of a patch without findings never
// hashes; only a git range or tree mode starts a process; node:os is asked for a temporary or home directory
// by git, tree mode and eval, and by the API and the bot, never by a fragment check, and loaded after the
// launcher's V8 flags it compiles without Node's code cache). Same functions, same results, same
// util.promisify() behaviour; a class or a value imported from them fails the build (add it here).
// Some functions have a stand-in of their own in scripts/bundle-builtins/ (its exports replace the
// module's): createHash (SHA-256/SHA-1 of small inputs in JavaScript: no OpenSSL start-up for a
// fingerprint), fs/promises' plain functions (node:fs's callback functions in promises) and createRequire
// (tree-sitter from the bundle: see nativeAddons below).
const LAZY_BUILTINS = ['node:child_process', 'node:crypto', 'node:fs/promises', 'node:module', 'node:os'];
const OWN_STAND_INS = { 'node:crypto': 'hash.js', 'node:fs/promises': 'fs-promises.js', 'node:module': 'module.js' };
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const filter = new RegExp(`^(${LAZY_BUILTINS.map((m) => m.replace(/[:/]/g, '\\$&')).join('|')})$`);
    const ownFiles = new Set(Object.values(OWN_STAND_INS).map((f) => at(`scripts/bundle-builtins/${f}`)));
    b.onResolve({ filter }, (args) =>
      // the stand-ins themselves get the real module
      args.namespace === 'lazy-builtin' || ownFiles.has(args.importer) ? { path: args.path, external: true } : { path: args.path, namespace: 'lazy-builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, async (args) => {
      const real = await import(args.path);
      const ownFile = OWN_STAND_INS[args.path] && at(`scripts/bundle-builtins/${OWN_STAND_INS[args.path]}`);
      // the stand-in's exports, read from its text (`export function f` / `export const f`)
      const own = ownFile ? [...readFileSync(ownFile, 'utf8').matchAll(/^export (?:async )?(?:function|const|let) (\w+)/gm)].map((m) => m[1]) : [];
      const names = Object.keys(real).filter((k) => k !== 'default' && !own.includes(k) && /^[a-z]\w*$/.test(k) && typeof real[k] === 'function');
      const contents = [
        "import { promisify } from 'node:util';",
        ...(own.length > 0 ? [`export { ${own.join(', ')} } from ${JSON.stringify(ownFile)};`] : []),
        'let real;',
        `const load = () => (real ??= require(${JSON.stringify(args.path)}));`,
        'function lazy(name) {',
        '  const f = function (...args) { return load()[name].apply(this, args); };',
        "  Object.defineProperty(f, 'name', { value: name });",
        '  Object.defineProperty(f, promisify.custom, { get: () => load()[name][promisify.custom] });',
        '  return f;',
        '}',
        ...names.map((n) => `export const ${n} = /* @__PURE__ */ lazy(${JSON.stringify(n)});`),
        'export default /* @__PURE__ */ new Proxy({}, { get: (_, key) => load()[key] });',
      ].join('\n');
      return { contents, loader: 'js', resolveDir: root };
    });
  },
};

// tree-sitter and tree-sitter-c inside the bundle (served by scripts/bundle-builtins/module.js's createRequire):
// their JavaScript bundled, node-gyp-build replaced by a `native-addon:` module that loads the .node file the
// build's own node-gyp-build chose, at the same place under the installed package, when node-gyp-build would
// choose it too (a compiled build/Release file; or a prebuild when the package has no build/ directory and
// no PREBUILDS_ONLY / <NAME>_PREBUILD override), else calls node-gyp-build as the package does.
const requireHere = createRequire(at('package.json'));
const NATIVE_PACKAGES = ['tree-sitter', 'tree-sitter-c'];
const packageDirs = Object.fromEntries(NATIVE_PACKAGES.map((p) => [p, dirname(requireHere.resolve(`${p}/package.json`))]));
const nativeAddons = {
  name: 'native-addons',
  setup(b) {
    b.onResolve({ filter: /^bundled-tree-sitter$/ }, () => ({ path: 'bundled-tree-sitter', namespace: 'native-addon' }));
    b.onLoad({ filter: /^bundled-tree-sitter$/, namespace: 'native-addon' }, () => ({
      contents: NATIVE_PACKAGES.map((p, i) => `export const ${['treeSitter', 'treeSitterC'][i]} = () => require(${JSON.stringify(join(packageDirs[p], requireHere(`${p}/package.json`).main ?? 'index.js'))});`).join('\n'),
      loader: 'js',
      resolveDir: root,
    }));
    b.onResolve({ filter: /^node-gyp-build$/ }, (args) => {
      const pkg = NATIVE_PACKAGES.find((p) => args.importer.startsWith(packageDirs[p] + sep));
      return pkg ? { path: pkg, namespace: 'native-addon' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'native-addon' }, (args) => {
      const dir = packageDirs[args.path];
      const chosen = relative(dir, requireHere('node-gyp-build').resolve(dir));
      const env = `${requireHere(`${args.path}/package.json`).name.toUpperCase().replace(/-/g, '_')}_PREBUILD`;
      const contents = [
        "const { existsSync } = require('node:fs');",
        "const { dirname, join } = require('node:path');",
        'module.exports = function nodeGypBuild() {',
        `  const dir = dirname(require.resolve(${JSON.stringify(`${args.path}/package.json`)}));`,
        `  const file = join(dir, ${JSON.stringify(chosen)});`,
        `  const compiled = ${JSON.stringify(chosen.startsWith(`build${sep}Release${sep}`))};`,
        `  if (!process.env.PREBUILDS_ONLY && !process.env[${JSON.stringify(env)}] && (compiled || !existsSync(join(dir, 'build'))) && existsSync(file)) return require(file);`,
        "  return require(require.resolve('node-gyp-build', { paths: [dir] }))(dir);",
        '};',
      ].join('\n');
      return { contents, loader: 'js', resolveDir: dir };
    });
    // the packages' other files: their JSON where it lies (tree-sitter-c's node-types.json), Bun's static
    // .node requires unused under Node
    b.onResolve({ filter: /\.(json|node)$/ }, (args) => {
      const pkg = NATIVE_PACKAGES.find((p) => args.importer.startsWith(packageDirs[p] + sep));
      if (!pkg) return undefined;
      return { path: `${pkg}/${relative(packageDirs[pkg], join(args.resolveDir, args.path)).split(sep).join('/')}`, external: true };
    });
  },
};

// Generated data modules whose large strings are read from a file next to the bundle when the module is first
// imported, instead of being string literals in it (dist/bundle/<module>.<export>.txt; src/knowledge/mined-apis.ts's
// MINED_APIS, ~0.9 MB). A literal is in the bundle's text and again in its code cache, where V8 internalises it on
// every start (hashing every character: ~1.1 ms for MINED_APIS); read from its own file it is one copy and no hash
// (~1.5-2 ms less per start, docs/perf.md session 11). The module's other exports stay in the bundle as JSON.
const SIDE_DATA = ['dist/src/knowledge/mined-apis.js'];
/** A string export at least this long (and ASCII, as the launcher reads files as latin1) goes to its own file. */
const SIDE_MIN = 64 * 1024;
const sideFiles = new Map();
const sideData = {
  name: 'side-data',
  setup(b) {
    const paths = new Set(SIDE_DATA.map(at));
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!paths.has(args.path)) return undefined;
      const lines = ["const { readFileSync } = require('node:fs');", "const { join } = require('node:path');"];
      for (const [name, value] of Object.entries(await import(pathToFileURL(args.path).href))) {
        // eslint-disable-next-line no-control-regex
        if (typeof value === 'string' && value.length >= SIDE_MIN && !/[^\x00-\x7f]/.test(value)) {
          const file = `${basename(args.path, '.js')}.${name}.txt`;
          sideFiles.set(file, value);
          // __dirname: the bundle's directory (bin/patch-review.js passes it)
          lines.push(`export const ${name} = readFileSync(join(__dirname, ${JSON.stringify(file)})).latin1Slice();`);
        } else {
          if (JSON.stringify(value) === undefined || JSON.stringify(JSON.parse(JSON.stringify(value))) !== JSON.stringify(value)) {
            throw new Error(`build-bundle: ${args.path}: export ${name} is not plain data`);
          }
          lines.push(`export const ${name} = ${JSON.stringify(value)};`);
        }
      }
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

// import.meta.url is the bundle's own URL: the modules that read it (version.ts, help-uri.ts,
// parser.ts, pool workerEntry) look for files relative to it, and dist/bundle/ is as deep as their
// own dist/src/<dir>/ (the same as the ESM bundle before).
const cli = await build({
  ...common,
  entryPoints: [at('dist/src/cli/main.js')],
  format: 'cjs',
  // import() becomes require() (lazily, in a promise): npm packages imported on demand (ajv for a
  // config file) load without a dynamic-import callback, which a vm.Script with a code cache lacks.
  supported: { 'dynamic-import': false },
  plugins: [lazyBuiltins, nativeAddons, sideData],
  // tree-sitter's `require(`./prebuilds/${platform}-${arch}/tree-sitter.node`)` runs under Bun only
  loader: { '.node': 'empty' },
  // `performance` is scripts/bundle-builtins/performance.js: now() without loading perf_hooks.
  inject: [at('scripts/bundle-import-meta.js'), at('scripts/bundle-builtins/performance.js')],
  define: { 'import.meta.url': 'bundleUrl' },
  write: false,
  outfile: join(out, 'cli.cjs'),
});
// The file is the function the launcher calls, as V8 compiles it: `(function (exports, require, module,
// __filename, __dirname) {...})`, so that it hands V8 the file's text as it is, with no wrapper to add
// (a copy of 2 MB). All ASCII (esbuild escapes the rest), so that the launcher can read it as latin1, a
// plain copy, where UTF-8 decoding of 2 MB costs ~10 ms.
const code = `(function (exports, require, module, __filename, __dirname) {${cli.outputFiles[0].text}\n})`;
// eslint-disable-next-line no-control-regex
if (/[^\x00-\x7f]/.test(code)) throw new Error('build-bundle: dist/bundle/cli.cjs is not ASCII (the launcher reads it as latin1)');
const hash = createHash('sha256').update(code).digest('hex');
writeFileSync(join(out, 'cli.cjs'), `// patch-review-bundle 2 sha256:${hash}\n${code}`);
for (const [file, text] of sideFiles) writeFileSync(join(out, file), text, 'latin1');
// and next to the bundle (src/knowledge/mined.ts looks there first): a copy of the bundle's directory alone has it
cpSync(at('src/knowledge/mined-other.tsv'), join(out, 'mined-other.tsv'));

const seed = at('test/fixtures/seed-000.txt');
if (process.argv.includes('--no-train')) {
  process.stdout.write('build-bundle: code cache not trained (--no-train)\n');
} else if (!existsSync(seed)) {
  process.stdout.write(`build-bundle: code cache not trained (${seed} is absent)\n`);
} else {
  const tmp = mkdtempSync(join(tmpdir(), 'patch-review-build-'));
  try {
    const cache = join(out, 'cli.cache');
    const run = spawnSync(
      process.execPath,
      [at('bin/patch-review.js'), 'check', seed, '--no-config', '--no-tree', '--format', `json=${join(tmp, 'j')}`, '--format', `text=${join(tmp, 't')}`],
      { cwd: root, env: { ...process.env, PATCH_REVIEW_CODE_CACHE: cache }, encoding: 'utf8' },
    );
    // 0: no finding, 1: findings; both are a complete review.
    if ((run.status === 0 || run.status === 1) && existsSync(cache)) {
      process.stdout.write(`build-bundle: code cache ${readFileSync(cache).length} bytes\n`);
    } else {
      rmSync(cache, { force: true });
      process.stderr.write(`build-bundle: warning: the training run failed (status ${run.status}); no code cache\n${run.stderr ?? ''}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
