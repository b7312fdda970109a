// `patch-review rules mine|new|catalog`: the pack builder's commands (src/packs). `rules` alone and
// `explain` stay in rules-cmd.ts; main.ts hands `rules <subcommand>` here.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode, type Io } from '../io.ts';

export const RULES_SUBCOMMANDS = ['mine', 'new', 'catalog'] as const;

const HELP = `usage:
  patch-review rules mine THREAD [--format text|json] [--tree DIR] [--kb FILE]
      which comments of a review reply (mbox, mail, archive page as text) the current packs reproduce
  patch-review rules new --from THREAD --comment K --pack PACK --id ID [--new-pack] [--rules-dir DIR]
      scaffold rules/PACK/ID.ts from comment K of the thread (numbers as \`rules mine\` prints them)
  patch-review rules catalog [--check] [-o FILE]
      write the rule reference (docs/rules.md) from the rule modules, read statically;
      --check: exit 1 when the file is not what would be written
`;

class Usage extends Error {}

async function readThread(path: string, io: Io): Promise<Buffer> {
  try {
    return path === '-' ? await io.readStdin() : await readFile(resolve(io.cwd ?? process.cwd(), path));
  } catch (error) {
    throw new Usage(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function runMine(argv: string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string', short: 'f', default: 'text' }, tree: { type: 'string' }, kb: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new Usage('rules mine needs one THREAD (a file, or - for standard input)');
  if (values.format !== 'text' && values.format !== 'json') throw new Usage(`--format must be text or json (got "${values.format}")`);
  const input = await readThread(positionals[0]!, io);
  const [{ mine, mineText, mineJson }, { review, optInRules }, { PatchInputError }] = await Promise.all([
    import('../../packs/mine.ts'),
    import('../../default-review.ts'),
    import('../../patch/index.ts'),
  ]);
  try {
    // A thread is measured against every pack, the opt-in style packs too: a maintainer's whitespace
    // comment is a comment the packs should reproduce.
    const result = await mine(input, review, {
      ...(optInRules.length > 0 ? { enable: [...optInRules] } : {}),
      ...(values.tree ? { tree: resolve(io.cwd ?? process.cwd(), values.tree) } : {}),
      ...(values.kb ? { kb: resolve(io.cwd ?? process.cwd(), values.kb) } : {}),
      inputName: positionals[0]!,
    });
    await io.stdout(values.format === 'json' ? mineJson(result) : mineText(result));
    return ExitCode.Clean;
  } catch (error) {
    if (error instanceof PatchInputError) throw new Usage(`${positionals[0]}: ${error.message}`);
    throw error;
  }
}

async function runNew(argv: string[], io: Io): Promise<ExitCode> {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string' },
      comment: { type: 'string' },
      pack: { type: 'string' },
      id: { type: 'string' },
      'rules-dir': { type: 'string' },
      'new-pack': { type: 'boolean' },
    },
  });
  for (const need of ['from', 'comment', 'pack', 'id'] as const) if (!values[need]) throw new Usage(`rules new needs --${need}`);
  const k = Number(values.comment);
  if (!Number.isInteger(k) || k < 1) throw new Usage(`--comment must be a comment number from \`rules mine\` (got "${values.comment}")`);
  const input = await readThread(values.from!, io);
  const { scaffoldRule, ScaffoldError } = await import('../../packs/scaffold.ts');
  try {
    const made = await scaffoldRule({
      thread: input,
      comment: k,
      pack: values.pack!,
      id: values.id!,
      rulesDir: resolve(io.cwd ?? process.cwd(), values['rules-dir'] ?? 'rules'),
      newPack: values['new-pack'] === true,
    });
    await io.stdout(
      `wrote ${made.ruleFile}\n${made.indexCreated ? 'created' : 'updated'} ${made.indexFile}\n` +
        `Its flagged case comes from the quoted hunk; its near-miss case is empty. The rule's test fails until\n` +
        `detect() and check() are written and the near miss is filled in.\n`,
    );
    return ExitCode.Clean;
  } catch (error) {
    if (error instanceof ScaffoldError) throw new Usage(error.message);
    throw error;
  }
}

async function runCatalog(argv: string[], io: Io): Promise<ExitCode> {
  const { values } = parseArgs({
    args: argv,
    options: { check: { type: 'boolean' }, output: { type: 'string', short: 'o' }, 'rules-dir': { type: 'string' } },
  });
  const { writeCatalog } = await import('../../packs/catalog.ts');
  const out = resolve(io.cwd ?? process.cwd(), values.output ?? 'docs/rules.md');
  const result = await writeCatalog(resolve(io.cwd ?? process.cwd(), values['rules-dir'] ?? 'rules'), out, { check: values.check === true });
  if (result.problems.length > 0) {
    io.stderr(result.problems.map((p) => `patch-review: ${p}\n`).join(''));
    return ExitCode.Error;
  }
  if (values.check) {
    if (!result.upToDate) {
      io.stderr(`patch-review: ${out} is stale: run \`patch-review rules catalog\`\n`);
      return ExitCode.Findings;
    }
    await io.stdout(`${out} is up to date (${result.rules} rules)\n`);
    return ExitCode.Clean;
  }
  await io.stdout(`wrote ${out} (${result.rules} rules)\n`);
  return ExitCode.Clean;
}

export async function run(argv: string[], io: Io): Promise<ExitCode> {
  const [sub, ...rest] = argv;
  if (rest.includes('--help') || rest.includes('-h')) {
    await io.stdout(HELP);
    return ExitCode.Clean;
  }
  try {
    if (sub === 'mine') return await runMine(rest, io);
    if (sub === 'new') return await runNew(rest, io);
    if (sub === 'catalog') return await runCatalog(rest, io);
    throw new Usage(`unknown rules subcommand "${sub}" (mine, new, catalog)`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof Usage || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`patch-review: ${(error as Error).message}\nTry 'patch-review rules mine --help'.\n`);
      return ExitCode.Error;
    }
    io.stderr(`patch-review: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return ExitCode.Error;
  }
}
