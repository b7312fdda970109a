// `patch-review inspect`: what was understood from an input, before any rule.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { statSync } from 'node:fs';
import { UsageError, type Parsed } from './options.ts';
import { ExitCode, type Io } from './io.ts';

export async function runInspect(parsed: Parsed, io: Io): Promise<ExitCode> {
  const cwd = io.cwd ?? process.cwd();
  const operand = parsed.operands[0]!;
  const treeArg = parsed.values.get('tree')?.[0];
  let tree: string | undefined;
  if (treeArg) {
    tree = resolve(cwd, treeArg);
    let isDir = false;
    try {
      isDir = statSync(tree).isDirectory();
    } catch {
      throw new UsageError(`--tree ${treeArg}: no such directory`);
    }
    if (!isDir) throw new UsageError(`--tree ${treeArg}: not a directory`);
  }
  let input: Buffer;
  try {
    input = operand === '-' ? await io.readStdin() : await readFile(resolve(cwd, operand));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${operand}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message}`);
  }
  const { inspect } = await import('../review/inspect.ts');
  const { formatInspectJson, formatInspectText } = await import('../report/inspect.ts');
  let result;
  try {
    result = await inspect(input, { tree });
  } catch (error) {
    if (['PatchInputError', 'NoPatchError', 'InputTooLargeError'].includes((error as Error).name)) throw new UsageError((error as Error).message);
    throw error;
  }
  const format = parsed.values.get('format')?.[0] ?? 'text';
  await io.stdout(format === 'json' ? formatInspectJson(result) : formatInspectText(result));
  return ExitCode.Clean;
}
