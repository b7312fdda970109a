// The command line: thin over review() and the formatters. main() returns an exit code and never exits.
import { readFile } from 'node:fs/promises';
import { review } from '../review/engine.ts';
import { SEVERITY_RANK, type Severity } from '../review/types.ts';
import { formatters, type FormatName } from '../report/index.ts';
import { inspect } from '../review/inspect.ts';
import { formatInspectText, formatInspectJson } from '../report/inspect.ts';
import { PatchInputError } from '../patch/index.ts';
import { VERSION } from '../version.ts';
import { helpText, parseArgs, UsageError, type Parsed } from './options.ts';
import { COMMAND_TABLE } from './commands/index.ts';

export enum ExitCode {
  Clean = 0,
  Findings = 1,
  Error = 2,
}

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<Buffer>;
}

async function readInput(parsed: Parsed, io: Io): Promise<Buffer> {
  if (parsed.input === '-') return io.readStdin();
  try {
    return await readFile(parsed.input);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UsageError(`cannot read ${parsed.input}: ${why}`);
  }
}

export async function main(argv: string[], io: Io): Promise<ExitCode> {
  const entry = argv[0] !== undefined && Object.hasOwn(COMMAND_TABLE, argv[0]) ? COMMAND_TABLE[argv[0]] : undefined;
  if (entry) return (await entry.load()).run(argv.slice(1), io);
  let parsed: Parsed | 'help' | 'version';
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    io.stderr(`patch-review: ${(error as Error).message}\nTry 'patch-review --help'.\n`);
    return ExitCode.Error;
  }
  if (parsed === 'help') {
    io.stdout(helpText());
    return ExitCode.Clean;
  }
  if (parsed === 'version') {
    io.stdout(`patch-review ${VERSION}\n`);
    return ExitCode.Clean;
  }
  try {
    const input = await readInput(parsed, io);
    const format = parsed.values.get('format')?.[0] ?? 'text';
    const tree = parsed.values.get('tree')?.[0];
    if (parsed.command === 'inspect') {
      const result = await inspect(input, { tree });
      io.stdout(format === 'json' ? formatInspectJson(result) : formatInspectText(result));
      return ExitCode.Clean;
    }
    const result = await review(input, {
      tree,
      showRefuted: parsed.flags.has('show-refuted'),
      rules: parsed.values.get('rule'),
      inputName: parsed.input === '-' ? undefined : parsed.input,
    });
    io.stdout(formatters[format as FormatName](result));
    const failOn = parsed.values.get('fail-on')?.[0] ?? 'info';
    if (failOn === 'none') return ExitCode.Clean;
    const threshold = SEVERITY_RANK[failOn as Severity];
    return result.findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? ExitCode.Findings : ExitCode.Clean;
  } catch (error) {
    if (error instanceof UsageError || error instanceof PatchInputError || error instanceof RangeError) {
      io.stderr(`patch-review: ${error.message}\n`);
    } else {
      io.stderr(`patch-review: internal error: ${(error as Error).stack ?? String(error)}\n`);
    }
    return ExitCode.Error;
  }
}

export async function runFromProcess(): Promise<void> {
  const code = await main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  });
  process.exitCode = code;
}
