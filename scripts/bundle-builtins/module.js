// createRequire() of the CLI bundle (scripts/build-bundle.mjs puts it in place of node:module's): a require
// that serves `tree-sitter` and `tree-sitter-c` from the bundle itself, everything else as Node's does.
// Loaded the packages' way, each costs a module resolution, node-gyp-build's scan of the package's build and
// prebuilds directories, and its JavaScript compiled without a code cache (~5 ms of a CLI start). Bundled,
// their JavaScript is in the code cache and their native files are where the build found them
// (scripts/build-bundle.mjs: `native-addon:` modules; anything unexpected goes back to node-gyp-build).
import { createRequire as nodeCreateRequire } from 'node:module';
import { treeSitter, treeSitterC } from 'bundled-tree-sitter'; // a module scripts/build-bundle.mjs makes

const BUNDLED = { 'tree-sitter': treeSitter, 'tree-sitter-c': treeSitterC };

export function createRequire(filename) {
  const real = nodeCreateRequire(filename);
  const require = (id) => (Object.hasOwn(BUNDLED, id) ? BUNDLED[id]() : real(id));
  require.resolve = real.resolve;
  require.cache = real.cache;
  require.main = real.main;
  require.extensions = real.extensions;
  return require;
}
