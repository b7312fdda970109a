// The command line: thin over review() and the formatters. main() returns an exit code and never
// exits. Start-up stays small: this module and options.ts load nothing heavy; each command imports
// what it needs (the review engine and tree-sitter only for commands that review).
import { VERSION } from '../version.ts';
import { helpText, parseArgs, RULES_SUBCOMMANDS, UsageError, type Parsed } from './options.ts';
import { COMMAND_TABLE } from './commands/index.ts';
import { ExitCode, type Io } from './io.ts';
import { readWholeStdin } from './stdin.ts';

export { ExitCode, type Io } from './io.ts';

async function runBuiltin(parsed: Parsed, io: Io): Promise<ExitCode> {
  switch (parsed.command) {
    case 'check':
    case 'baseline':
      return (await import('./check.ts')).runCheck(parsed, io);
    case 'inspect':
      return (await import('./inspect-cmd.ts')).runInspect(parsed, io);
    case 'rules':
    case 'explain':
      return (await import('./rules-cmd.ts')).runRulesCommand(parsed, io);
  }
}

export async function main(argv: string[], io: Io): Promise<ExitCode> {
  const entry = argv[0] !== undefined && Object.hasOwn(COMMAND_TABLE, argv[0]) ? COMMAND_TABLE[argv[0]] : undefined;
  if (entry) return (await entry.load()).run(argv.slice(1), io);
  // `rules mine|new|catalog`: the pack builder (owner packs); `rules` alone lists, below.
  if (argv[0] === 'rules' && Object.hasOwn(RULES_SUBCOMMANDS, argv[1] ?? '')) return (await import('./commands/rules-packs.ts')).run(argv.slice(1), io);
  let parsed: Parsed | 'help' | 'version';
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    io.stderr(`patch-review: ${(error as Error).message}\nTry 'patch-review --help'.\n`);
    return ExitCode.Error;
  }
  if (parsed === 'help') {
    await io.stdout(helpText(Object.entries(COMMAND_TABLE).map(([name, e]) => ({ name, summary: e.summary }))));
    return ExitCode.Clean;
  }
  if (parsed === 'version') {
    await io.stdout(`patch-review ${VERSION}\n`);
    return ExitCode.Clean;
  }
  try {
    return await runBuiltin(parsed, io);
  } catch (error) {
    if (error instanceof UsageError) io.stderr(`patch-review: ${error.message}\n`);
    else io.stderr(`patch-review: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return ExitCode.Error;
  }
}

/** The process's streams as an Io; a failed stdout write rejects (EPIPE is handled by the caller). */
function processIo(): Io {
  return {
    stdout: (t) =>
      new Promise<void>((resolve, reject) => {
        process.stdout.write(t, (error) => (error ? reject(error) : resolve()));
      }),
    stderr: (t) => {
      process.stderr.write(t);
    },
    readStdin: () => readWholeStdin(),
    cwd: process.cwd(),
    env: process.env,
    isTTY: { stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true },
  };
}

/**
 * Whether the command's work is over when main() returns: the built-in commands (check, baseline, inspect,
 * rules, explain, help, version) await every write they make. The table's commands (a server, the bot, eval's
 * worker pool) and the pack builder end when their own work does.
 */
function endsWithMain(argv: string[]): boolean {
  if (argv[0] !== undefined && Object.hasOwn(COMMAND_TABLE, argv[0])) return false;
  return !(argv[0] === 'rules' && Object.hasOwn(RULES_SUBCOMMANDS, argv[1] ?? ''));
}

export async function runFromProcess(): Promise<void> {
  // Write errors reach the commands through stdout()'s promise (EPIPE: quiet; others: exit 2 with a
  // message). Without a listener, Node would also throw them from the stream as uncaught.
  process.stdout.on('error', () => {});
  const argv = process.argv.slice(2);
  const code = await main(argv, processIo());
  process.exitCode = code;
  // A built-in command has written everything (stdout and stderr to files, pipes and terminals are synchronous
  // on POSIX; stdout writes were awaited): exit now rather than after Node's teardown of the heap and of every
  // native parse tree still alive (1-4 ms of CPU a run). 'exit' listeners still run.
  if (endsWithMain(argv) && process.platform !== 'win32') process.exit(code);
}
