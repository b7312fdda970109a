// `patch-review index DIR [-o FILE]`: learn which functions of a checkout can fail, and how.
// Scans are cached per file (path + content hash), so a second run reads only what changed.
import { ExitCode, type Io } from '../main.ts';
import { buildKnowledge, cacheFileFor, defaultCacheDir, isUsuallyIgnored, KnowledgeError, saveKnowledge, type ApiFact, type Knowledge } from '../../knowledge/index.ts';
import { realpathSync } from 'node:fs';

const HELP = `usage: patch-review index DIR [options]

Learn, for every function of the C checkout DIR, how it reports failure (negative errno, NULL,
ERR_PTR, 0, 1 on success, a count of what was not done, or a plain value), from what its bodies
return and how its callers test it. Per-file scans are cached by path and content hash.

options:
  -o, --output FILE    save the knowledge base to FILE (use it with 'check --kb FILE')
      --cache-dir DIR  keep the per-file scans here (default $XDG_CACHE_HOME/patch-review/kb,
                       else ~/.cache/patch-review/kb)
      --no-cache       scan every file, keep nothing
      --show NAME      print what the knowledge base says about function NAME (repeatable)
      --json           print --show facts and the summary as JSON
  -h, --help           show this help
`;

interface IndexArgs {
  dir?: string;
  output?: string;
  cacheDir?: string;
  noCache: boolean;
  show: string[];
  json: boolean;
  help: boolean;
}

class IndexUsageError extends Error {}

function parse(argv: string[]): IndexArgs {
  const out: IndexArgs = { noCache: false, show: [], json: false, help: false };
  const need = (i: number, name: string): string => {
    const v = argv[i];
    if (v === undefined || v === '') throw new IndexUsageError(`option ${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') ? (arg.split(/=(.*)/s, 2) as [string, string | undefined]) : [arg, undefined];
    const value = (name: string): string => inline ?? need(++i, name);
    switch (flag) {
      case '-o':
      case '--output':
        if (out.output !== undefined) throw new IndexUsageError('option --output given twice');
        out.output = value('--output');
        break;
      case '--cache-dir':
        out.cacheDir = value('--cache-dir');
        break;
      case '--no-cache':
        out.noCache = true;
        break;
      case '--show':
        out.show.push(value('--show'));
        break;
      case '--json':
        out.json = true;
        break;
      case '-h':
      case '--help':
        out.help = true;
        break;
      default:
        if (arg.startsWith('-')) throw new IndexUsageError(`unknown option "${arg}" for index`);
        if (out.dir !== undefined) throw new IndexUsageError('index takes one DIR');
        out.dir = arg;
    }
  }
  if (out.noCache && out.cacheDir !== undefined) throw new IndexUsageError('--no-cache and --cache-dir contradict each other');
  return out;
}

function describe(f: ApiFact): string {
  const values = f.failValues?.length ? ` (fails with ${f.failValues.slice(0, 6).join(', ')}${f.failValues.length > 6 ? ', ...' : ''})` : '';
  const decl = f.returnType ? `${f.returnType} ` : '';
  const callers = f.callers
    ? `\n    callers: ${f.callers.tested} test the result, ${f.callers.dropped} drop it${isUsuallyIgnored(f) ? ' (usually ignored: a dropped call is not reported)' : ''}`
    : '';
  return `${decl}${f.name}()${f.mustCheck ? ' __must_check' : ''}: ${f.convention}${values}\n    ${f.source}${callers}\n`;
}

function summary(kb: Knowledge): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of kb.facts()) counts[f.convention] = (counts[f.convention] ?? 0) + 1;
  return counts;
}

export async function run(argv: string[], io: Io): Promise<ExitCode> {
  let args: IndexArgs;
  try {
    args = parse(argv);
  } catch (error) {
    io.stderr(`patch-review index: ${(error as Error).message}\nTry 'patch-review index --help'.\n`);
    return ExitCode.Error;
  }
  if (args.help) {
    io.stdout(HELP);
    return ExitCode.Clean;
  }
  if (args.dir === undefined) {
    io.stderr(`patch-review index: needs a DIR (a checkout of the project)\nTry 'patch-review index --help'.\n`);
    return ExitCode.Error;
  }
  const cacheDir = args.noCache ? false : (args.cacheDir ?? defaultCacheDir());
  try {
    const kb = buildKnowledge(args.dir, { cacheDir });
    if (args.output) saveKnowledge(kb, args.output);
    const stats = kb.stats!;
    const counts = summary(kb);
    const cacheFile = cacheDir ? cacheFileFor(realpathSync(args.dir), cacheDir) : undefined;
    if (args.json) {
      io.stdout(
        `${JSON.stringify(
          { origin: kb.origin, stats, conventions: counts, cache: cacheFile ?? null, output: args.output ?? null, facts: args.show.map((n) => kb.lookup(n) ?? { name: n, convention: 'unknown', source: 'not in the knowledge base' }) },
          null,
          2,
        )}\n`,
      );
      return ExitCode.Clean;
    }
    const shown = Object.entries(counts)
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${n} ${c}`)
      .join(', ');
    io.stderr(
      `indexed ${stats.files} files (${stats.scanned} scanned, ${stats.files - stats.scanned} from the cache), ${stats.functions} function definitions, in ${(stats.ms / 1000).toFixed(1)} s\n` +
        `${stats.facts} facts: ${shown}\n` +
        (cacheFile ? `cache: ${cacheFile}.{index,scans,facts}.json\n` : '') +
        (args.output ? `saved to ${args.output}\n` : ''),
    );
    for (const name of args.show) {
      const f = kb.lookup(name);
      io.stdout(f ? describe(f) : `${name}(): not in the knowledge base\n`);
    }
    return ExitCode.Clean;
  } catch (error) {
    if (error instanceof KnowledgeError) {
      io.stderr(`patch-review index: ${error.message}\n`);
      return ExitCode.Error;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' || code === 'ENOSPC') {
      io.stderr(`patch-review index: ${(error as Error).message}\n`);
      return ExitCode.Error;
    }
    io.stderr(`patch-review index: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return ExitCode.Error;
  }
}
