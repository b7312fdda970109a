// node:fs/promises of the CLI bundle (scripts/build-bundle.mjs puts these in place of the module's functions):
// each is node:fs's callback function of the same name in a promise: same arguments, same results, same
// errors, the same thread pool. Loading node:fs/promises costs a few milliseconds at start-up (it loads the
// FileHandle machinery and readline); `check` reads its input and writes its outputs with these alone.
// The module's other functions (open, opendir, watch, ...) load the real module when first called.
import fs from 'node:fs';

const viaCallback = (name) =>
  function (...args) {
    return new Promise((resolve, reject) => {
      fs[name](...args, (error, value) => (error ? reject(error) : resolve(value)));
    });
  };

export const access = viaCallback('access');
export const appendFile = viaCallback('appendFile');
export const copyFile = viaCallback('copyFile');
export const lstat = viaCallback('lstat');
export const mkdir = viaCallback('mkdir');
export const mkdtemp = viaCallback('mkdtemp');
export const readdir = viaCallback('readdir');
export const readFile = viaCallback('readFile');
export const realpath = viaCallback('realpath');
export const rename = viaCallback('rename');
export const rm = viaCallback('rm');
export const rmdir = viaCallback('rmdir');
export const stat = viaCallback('stat');
export const unlink = viaCallback('unlink');
export const writeFile = viaCallback('writeFile');
