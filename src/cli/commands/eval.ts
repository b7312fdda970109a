// `patch-review eval`: how the tool would have done on a project's own history.
//   eval CORPUS.json --patches DIR | --git NAME=DIR ...   score a labelled corpus
//   eval --git NAME=DIR ... [--recent N] [--paths GLOB]     precision run over recent commits
// This module is the glue TEAM.md places in the command table, so it is the one src/cli file that imports src/eval.
import { writeFileSync, readFileSync } from 'node:fs';
import { ExitCode, type Io } from '../main.ts';
import { loadCorpus, CorpusError } from '../../eval/corpus.ts';
import { assertGitDir, GitError } from '../../git/index.ts';
import { runPrecision, type GitSource, type PrecisionReport } from '../../eval/precision.ts';
import { runCorpus, CorpusRunError, type CorpusReport } from '../../eval/run-corpus.ts';
import { createReviewer } from '../../eval/reviewer.ts';
import { formatPrecisionJson, formatPrecisionMarkdown, formatPrecisionText, type Judgements } from '../../eval/format-precision.ts';
import { formatCorpusJson, formatCorpusMarkdown, formatCorpusText } from '../../eval/format-corpus.ts';

interface EvalOption {
  name: string;
  value?: string;
  repeat?: boolean;
  choices?: readonly string[];
  help: string;
}

const FORMATS = ['text', 'json', 'markdown'] as const;
type EvalFormat = (typeof FORMATS)[number];

const OPTIONS: EvalOption[] = [
  { name: 'patches', value: 'DIR', help: 'corpus patches, named <source>-<commit>.patch' },
  { name: 'git', value: 'NAME=DIR', repeat: true, help: 'git directory of source NAME (bare mirrors work); patches not in --patches are extracted with format-patch' },
  { name: 'recent', value: 'N', help: 'precision run: the N most recent non-merge commits per --git source (default 200)' },
  { name: 'paths', value: '[NAME=]GLOB', repeat: true, help: 'precision run: only commits touching GLOB (git pathspec, `*` spans directories); NAME= limits it to one source (default *.c)' },
  { name: 'rev', value: 'REV', help: 'precision run: start from REV instead of HEAD' },
  { name: 'tree-from-git', help: "tree mode: review each commit against its parent's tree, extracted from --git (only the files tree mode reads)" },
  { name: 'kb', value: '[NAME=]FILE', repeat: true, help: 'saved knowledge base, for every source or for source NAME' },
  { name: 'cache', value: 'DIR', help: "keep the parents' extracts here and reuse them on later runs" },
  { name: 'jobs', value: 'N', help: 'review on N worker threads (default 1; 0 reviews in this thread, without the hard limit)' },
  { name: 'time-limit', value: 'MS', help: 'per review: the engine stops reviewing after MS ms (functions left are reported not reviewed) and a worker still busy 30 s later is stopped, the patch counted as failed (default 60000; 0 for none)' },
  { name: 'format', value: 'FORMAT', choices: FORMATS, help: 'text, json or markdown (default text)' },
  { name: 'output', value: 'FILE', help: 'write the result to FILE instead of standard output' },
  { name: 'report', value: 'FILE', help: 'render a report saved with --format json again (e.g. as markdown with --judgements); nothing is reviewed' },
  { name: 'judgements', value: 'FILE', help: 'markdown: JSON object of "<commit12>:<fingerprint>" -> a reader\'s sentence per finding' },
  { name: 'show-code', value: 'N', help: 'corpus run: print the code the patch shows within N lines of each missed positive (with its why), clean-commit finding and flagged fix' },
  { name: 'save-outputs', value: 'DIR', help: 'corpus run: also write each review as DIR/<source>-<commit>.json (check --format json), for the corpus\'s own scorer' },
  { name: 'progress', help: 'report progress on standard error' },
  { name: 'help', help: 'show this help' },
];

class EvalUsageError extends Error {}

/** How long after the engine's own time limit a worker is stopped (the engine should return first). */
const HARD_LIMIT_GRACE_MS = 30_000;

interface EvalArgs {
  corpus?: string;
  values: Map<string, string[]>;
  flags: Set<string>;
}

function parseEvalArgs(argv: string[]): EvalArgs {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const inputs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h') {
      flags.add('help');
      continue;
    }
    if (!arg.startsWith('--')) {
      inputs.push(arg);
      continue;
    }
    const [name = '', inline] = arg.slice(2).split(/=(.*)/s, 2);
    const spec = OPTIONS.find((o) => o.name === name);
    if (!spec) throw new EvalUsageError(`unknown option "${arg}" for eval`);
    if (!spec.value) {
      if (inline !== undefined) throw new EvalUsageError(`option --${name} takes no value`);
      flags.add(name);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new EvalUsageError(`option --${name} needs a value (${spec.value})`);
    if (spec.choices && !spec.choices.includes(value)) throw new EvalUsageError(`option --${name} must be one of ${spec.choices.join(', ')} (got "${value}")`);
    if (values.has(name) && !spec.repeat) throw new EvalUsageError(`option --${name} given twice`);
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  if (inputs.length > 1) throw new EvalUsageError(`eval takes at most one CORPUS file, got ${inputs.length}`);
  return { corpus: inputs[0], values, flags };
}

export function evalHelp(): string {
  const lines = [
    'usage: patch-review eval CORPUS.json (--patches DIR | --git NAME=DIR ...) [options]',
    '       patch-review eval --git NAME=DIR ... [--recent N] [--paths [NAME=]GLOB ...] [options]',
    '',
    'Measures the review on a project\'s history. With a CORPUS (docs/eval.md: schema), reviews every',
    'patch it names and prints recall per rule family, findings on clean commits, fixes still flagged,',
    'the per-positive table and the false findings. Without one, reviews the most recent commits of',
    'each --git source (a precision run) and lists every finding and how many touched functions were',
    'reviewed.',
    '',
    'options:',
  ];
  for (const o of OPTIONS) lines.push(`  ${`--${o.name}${o.value ? ` ${o.value}` : ''}`.padEnd(26)}${o.help}`);
  lines.push('', 'exit status: 0 after a run (whatever it measured), 2 usage, input or internal error');
  return `${lines.join('\n')}\n`;
}

const intOption = (args: EvalArgs, name: string, fallback: number, min: number): number => {
  const raw = args.values.get(name)?.[0];
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new EvalUsageError(`option --${name} must be an integer of at least ${min} (got "${raw}")`);
  return Number(raw);
};

/** NAME=VALUE pairs; with `allowBare`, a value without NAME= applies to every source (key '*'). */
function named(args: EvalArgs, option: string, allowBare: boolean): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const raw of args.values.get(option) ?? []) {
    const m = /^([A-Za-z0-9_.-]+)=(.+)$/s.exec(raw);
    if (!m && !allowBare) throw new EvalUsageError(`option --${option} needs NAME=VALUE (got "${raw}")`);
    const [key, value] = m ? [m[1]!, m[2]!] : ['*', raw];
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

export async function run(argv: string[], io: Io): Promise<ExitCode> {
  let args: EvalArgs;
  try {
    args = parseEvalArgs(argv);
  } catch (error) {
    io.stderr(`patch-review eval: ${(error as Error).message}\nTry 'patch-review eval --help'.\n`);
    return ExitCode.Error;
  }
  if (args.flags.has('help')) {
    io.stdout(evalHelp());
    return ExitCode.Clean;
  }
  try {
    return await evaluate(args, io);
  } catch (error) {
    if (error instanceof EvalUsageError || error instanceof CorpusError || error instanceof CorpusRunError || error instanceof GitError) {
      io.stderr(`patch-review eval: ${error.message}\n`);
    } else {
      io.stderr(`patch-review eval: internal error: ${(error as Error).stack ?? String(error)}\n`);
    }
    return ExitCode.Error;
  }
}

async function evaluate(args: EvalArgs, io: Io): Promise<ExitCode> {
  const format = (args.values.get('format')?.[0] ?? 'text') as EvalFormat;
  const gits = new Map<string, string>();
  for (const [name, dirs] of named(args, 'git', false)) {
    if (dirs.length > 1) throw new EvalUsageError(`--git ${name}= given twice`);
    assertGitDir(dirs[0]!);
    gits.set(name, dirs[0]!);
  }
  const kbs = new Map<string, string>();
  for (const [name, files] of named(args, 'kb', true)) {
    if (files.length > 1) throw new EvalUsageError(`--kb ${name === '*' ? '' : `${name}=`} given twice`);
    kbs.set(name, files[0]!);
  }
  for (const name of kbs.keys()) if (name !== '*' && !gits.has(name) && !args.corpus) throw new EvalUsageError(`--kb ${name}=: no --git source named ${name}`);
  const mode = args.flags.has('tree-from-git') ? 'tree' : 'fragment';
  if (mode === 'tree' && gits.size === 0) throw new EvalUsageError('--tree-from-git needs at least one --git NAME=DIR');
  const jobs = intOption(args, 'jobs', 1, 0);
  const timeLimit = intOption(args, 'time-limit', 60000, 0);
  const cacheDir = args.values.get('cache')?.[0];
  const progress = args.flags.has('progress') ? (done: number, total: number): void => io.stderr(`\reval: ${done}/${total}${done === total ? '\n' : ''}`) : undefined;
  const judgements = readJudgements(args.values.get('judgements')?.[0]);

  const saved = args.values.get('report')?.[0];
  if (saved) {
    if (args.corpus || gits.size > 0) throw new EvalUsageError('--report renders a saved report; it takes no CORPUS or --git');
    write(args, io, renderSaved(saved, format, judgements));
    return ExitCode.Clean;
  }
  const reviewer = createReviewer({ jobs, hardLimitMs: timeLimit ? timeLimit + HARD_LIMIT_GRACE_MS : undefined });
  try {
    let text: string;
    if (args.corpus) {
      for (const o of ['recent', 'paths', 'rev']) if (args.values.has(o)) throw new EvalUsageError(`--${o} is for precision runs (without a CORPUS)`);
      const showCode = args.values.has('show-code') ? intOption(args, 'show-code', 0, 0) : undefined;
      const corpus = loadCorpus(args.corpus);
      const report = await runCorpus(corpus, {
        patchesDir: args.values.get('patches')?.[0],
        gits,
        mode,
        kbs,
        reviewer,
        timeLimitMs: timeLimit || undefined,
        cacheDir,
        outputsDir: args.values.get('save-outputs')?.[0],
        onProgress: progress,
        ...(showCode !== undefined ? { codeLines: showCode } : {}),
      });
      text = format === 'json' ? formatCorpusJson(report) : format === 'markdown' ? formatCorpusMarkdown(report) : formatCorpusText(report);
    } else {
      if (args.values.has('patches')) throw new EvalUsageError('--patches needs a CORPUS file');
      if (args.values.has('save-outputs')) throw new EvalUsageError('--save-outputs is for corpus runs');
      if (args.values.has('show-code')) throw new EvalUsageError('--show-code is for corpus runs');
      if (gits.size === 0) throw new EvalUsageError('give a CORPUS file, or --git NAME=DIR for a precision run');
      const paths = named(args, 'paths', true);
      for (const name of paths.keys()) if (name !== '*' && !gits.has(name)) throw new EvalUsageError(`--paths ${name}=: no --git source named ${name}`);
      const sources: GitSource[] = [...gits].map(([name, gitDir]) => ({
        name,
        gitDir,
        paths: paths.get(name) ?? paths.get('*') ?? ['*.c'],
        ...(kbs.get(name) ?? kbs.get('*') ? { kb: kbs.get(name) ?? kbs.get('*') } : {}),
      }));
      const report = await runPrecision(sources, {
        recent: intOption(args, 'recent', 200, 1),
        rev: args.values.get('rev')?.[0],
        mode,
        reviewer,
        cacheDir,
        timeLimitMs: timeLimit || undefined,
        onProgress: progress ? (done, total) => progress(done, total) : undefined,
      });
      text = format === 'json' ? formatPrecisionJson(report) : format === 'markdown' ? formatPrecisionMarkdown(report, { judgements }) : formatPrecisionText(report);
    }
    write(args, io, text);
    return ExitCode.Clean;
  } finally {
    await reviewer.close();
  }
}

function write(args: EvalArgs, io: Io, text: string): void {
  const output = args.values.get('output')?.[0];
  if (!output) {
    io.stdout(text);
    return;
  }
  try {
    writeFileSync(output, text);
  } catch (error) {
    throw new EvalUsageError(`cannot write ${output}: ${(error as Error).message}`);
  }
}

function renderSaved(file: string, format: EvalFormat, judgements: Judgements | undefined): string {
  let doc: { kind?: unknown };
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as { kind?: unknown };
  } catch (error) {
    throw new EvalUsageError(`cannot read report ${file}: ${(error as Error).message}`);
  }
  if (doc?.kind === 'precision') {
    const report = doc as PrecisionReport;
    return format === 'json' ? formatPrecisionJson(report) : format === 'markdown' ? formatPrecisionMarkdown(report, { judgements }) : formatPrecisionText(report);
  }
  if (doc?.kind === 'corpus') {
    const report = doc as CorpusReport;
    return format === 'json' ? formatCorpusJson(report) : format === 'markdown' ? formatCorpusMarkdown(report) : formatCorpusText(report);
  }
  throw new EvalUsageError(`${file}: not a report saved by patch-review eval --format json`);
}

function readJudgements(file: string | undefined): Judgements | undefined {
  if (!file) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new EvalUsageError(`cannot read judgements ${file}: ${(error as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || Object.values(doc).some((v) => typeof v !== 'string')) {
    throw new EvalUsageError(`${file}: expected a JSON object of strings`);
  }
  return doc as Judgements;
}
