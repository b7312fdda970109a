// Writing results: to stdout or to files, several formats at once. A reader that went away (EPIPE)
// ends the run quietly; a full disk or another write error is exit 2 with a message, never a trace.
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import type { Review } from '../review/types.ts';
import { isFormatName, loadFormatter, FORMAT_NAMES, type FormatName, type FormatOptions } from '../report/index.ts';
import { UsageError } from './options.ts';
import { isBrokenPipe, type Io } from './io.ts';

export interface OutputTarget {
  format: FormatName;
  /** undefined: standard output. */
  file?: string;
}

/** `--format X`, `--format X=FILE` (repeatable) and `-o FILE` as a list of targets. */
export function outputTargets(formats: string[] | undefined, output: string | undefined): OutputTarget[] {
  const targets: OutputTarget[] = [];
  for (const spec of formats ?? []) {
    const [name = '', file] = spec.split(/=(.*)/s, 2);
    if (!isFormatName(name)) throw new UsageError(`unknown format "${name}" (expected one of ${FORMAT_NAMES.join(', ')})`);
    if (file === '') throw new UsageError(`--format ${name}= needs a FILE after =`);
    targets.push({ format: name, ...(file !== undefined ? { file } : {}) });
  }
  if (targets.length === 0) targets.push({ format: 'text' });
  if (output !== undefined) {
    const bare = targets.filter((t) => t.file === undefined);
    if (bare.length === 0) throw new UsageError('-o/--output names the file of a --format without =FILE; every --format already has one');
    bare[0]!.file = output;
  }
  if (targets.filter((t) => t.file === undefined).length > 1) {
    throw new UsageError('only one format can go to standard output; give the others a file (--format sarif=out.sarif)');
  }
  const files = targets.flatMap((t) => (t.file ? [t.file] : []));
  const dup = files.find((f, i) => files.indexOf(f) !== i);
  if (dup) throw new UsageError(`two formats would write to ${dup}`);
  return targets;
}

export type WriteResult = 'ok' | 'broken-pipe' | 'failed';

/**
 * A regular file is written next to itself and renamed over it: a full disk never leaves a half SARIF
 * behind. Anything else (a device, a FIFO, /dev/stdout) is written in place, never replaced.
 */
async function writeWhole(file: string, text: string): Promise<void> {
  const existing = await stat(file).catch(() => undefined);
  if (existing && !existing.isFile()) {
    await writeFile(file, text);
    return;
  }
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Renders and writes every target; reports a failed write on stderr. */
export async function writeOutputs(review: Review, targets: OutputTarget[], options: (t: OutputTarget) => FormatOptions, io: Io): Promise<WriteResult> {
  let result: WriteResult = 'ok';
  for (const target of targets) {
    const text = (await loadFormatter(target.format))(review, options(target));
    try {
      if (target.file !== undefined) await writeWhole(target.file, text);
      else await io.stdout(text);
    } catch (error) {
      if (target.file === undefined && isBrokenPipe(error)) {
        result = result === 'failed' ? result : 'broken-pipe';
        continue;
      }
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOSPC' ? 'no space left on the device' : code === 'EACCES' ? 'permission denied' : code === 'ENOENT' ? 'no such directory' : (error as Error).message;
      io.stderr(`patch-review: cannot write ${target.file ?? 'standard output'}: ${why}\n`);
      result = 'failed';
    }
  }
  return result;
}
