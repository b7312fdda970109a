// `patch-review check` and `patch-review baseline`: input (a file, stdin or a git range), the tree
// and knowledge base, the project's config, the review, the baseline, the outputs and the exit status.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Review, ReviewOptions, Severity } from '../review/types.ts';
import type { FormatOptions } from '../report/index.ts';
import { UsageError, type Parsed } from './options.ts';
import { ExitCode, type Io } from './io.ts';
import { findConfig, loadConfig, ruleSettings, type ProjectConfig } from './config.ts';
import { outputTargets, writeOutputs, type OutputTarget } from './output.ts';
import { DEFAULT_BASELINE, makeBaseline, readBaseline, subtractBaseline } from './baseline.ts';
import { withHelpUris } from './help-uri.ts';

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
/** Formats that show the rules' helpUri (JSON carries review.rules whole; SARIF and rdjson link each rule). */
const LINKED_FORMATS: ReadonlySet<string> = new Set(['json', 'sarif', 'rdjson', 'rdjsonl']);

function existingDir(path: string, what: string): string {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`${what} ${path}: no such directory`);
  }
  if (!st.isDirectory()) throw new UsageError(`${what} ${path}: not a directory`);
  return path;
}

function existingFile(path: string, what: string): string {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`${what} ${path}: no such file`);
  }
  if (!st.isFile()) throw new UsageError(`${what} ${path}: not a file`);
  return path;
}

/** The top of the git checkout enclosing `cwd` (a `.git` directory or file), found without running git. */
export function enclosingCheckout(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Paths the patch's pre-images name (`--- a/x`, `diff --git a/x b/y`), from a cheap line scan. */
export function patchedPaths(input: Buffer): string[] {
  const text = input.toString('latin1');
  const paths = new Set<string>();
  for (const m of text.matchAll(/^(?:diff --git a\/(\S+) b\/|--- a\/(\S+))/gm)) paths.add((m[1] ?? m[2])!);
  return [...paths];
}

/**
 * Whether the checkout at `root` is the tree the patch applies to: it has every C file the patch
 * changes (a patch for another project that happens to touch a README or .gitignore does not count).
 */
function appliesTo(input: Buffer, root: string): boolean {
  const sources = patchedPaths(input).filter((p) => /\.[ch]$/.test(p));
  return sources.length > 0 && sources.every((p) => existsSync(join(root, p)));
}

async function readInput(operand: string, cwd: string, io: Io): Promise<Buffer> {
  try {
    // Synchronous: one call, where the asynchronous read loads a module and starts libuv's thread pool.
    return operand === '-' ? await io.readStdin() : readFileSync(resolve(cwd, operand));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UsageError(`cannot read ${operand}: ${why}`);
  }
}

/** Rules off per the config (an id's setting wins over its pack's) and per --disable; --rule wins over the config. */
function disabledRules(config: ProjectConfig, ruleIds: { id: string; pack: string }[], flagsDisable: string[], flagsOnly: string[]): string[] {
  const settings = config.rules ?? {};
  const off = ruleIds
    .filter((r) => (settings[r.id] ?? settings[r.pack]) === 'off')
    .filter((r) => !flagsOnly.some((n) => n === r.id || n === r.pack))
    .map((r) => r.id);
  return [...new Set([...off, ...flagsDisable])];
}

export async function runCheck(parsed: Parsed, io: Io): Promise<ExitCode> {
  const cwd = io.cwd ?? process.cwd();
  const env = io.env ?? process.env;
  const value = (name: string): string | undefined => parsed.values.get(name)?.[0];
  const list = (name: string): string[] => parsed.values.get(name) ?? [];
  const isBaseline = parsed.command === 'baseline';
  const quiet = parsed.flags.has('quiet');
  const targets: OutputTarget[] = isBaseline ? [] : outputTargets(parsed.values.get('format'), value('output'));

  const configFile = parsed.flags.has('no-config') ? undefined : value('config') ? existingFile(resolve(cwd, value('config')!), '--config') : findConfig(cwd);
  const config: ProjectConfig = configFile ? (await loadConfig(configFile)).config : {};

  const operand = parsed.operands[0];
  if (value('range') && operand) throw new UsageError(`give either a FILE or --range, not both`);
  const { isRangeSyntax } = await import('../git/index.ts');
  const range = value('range') ?? (operand && operand !== '-' && isRangeSyntax(operand) && !existsSync(resolve(cwd, operand)) ? operand : undefined);
  if (!range && !operand) throw new UsageError(`${parsed.command} needs a FILE (- for standard input) or a git range A..B`);

  let tree: string | undefined;
  const noTree = parsed.flags.has('no-tree') || (config.tree === false && !value('tree'));
  if (value('tree')) tree = existingDir(resolve(cwd, value('tree')!), '--tree');
  else if (!noTree && typeof config.tree === 'string') tree = existingDir(config.tree, `tree in ${configFile}:`);
  if (range && tree) throw new UsageError('a range is reviewed against each commit\'s parent: --tree does not apply (use --no-tree for the patches alone)');
  const kb = value('kb') ? existingFile(resolve(cwd, value('kb')!), '--kb') : config.kb ? existingFile(config.kb, `kb in ${configFile}:`) : undefined;

  const { review: reviewFn, defaultRuleSet } = await import('../default-review.ts');
  const ruleIds = defaultRuleSet.rules.map((r) => ({ id: `${r.meta.pack}/${r.meta.id}`, pack: r.meta.pack }));
  const settings = ruleSettings(config);
  const only = list('rule');
  const enable = [...new Set([...settings.enable, ...list('enable')])];
  const options: ReviewOptions = {
    ...(only.length > 0 ? { rules: only } : {}),
    ...(enable.length > 0 ? { enable } : {}),
    disable: disabledRules(config, ruleIds, list('disable'), only),
    ...(Object.keys(settings.severity).length > 0 ? { severity: settings.severity } : {}),
    ...(config.ignorePaths ? { ignorePaths: config.ignorePaths } : {}),
    ...(config.imported ? { imported: config.imported } : {}),
    ...(config.apis ? { apis: config.apis } : {}),
    ...(kb ? { kb } : {}),
    showRefuted: parsed.flags.has('show-refuted'),
    ...(value('time-limit') ? { timeLimitMs: positiveMillis(value('time-limit')!) } : {}),
  };
  // Names in the config that match no rule are caught here, with the file named.
  const unknown = Object.keys(config.rules ?? {}).filter((n) => !ruleIds.some((r) => r.id === n || r.pack === n));
  if (unknown.length > 0) throw new UsageError(`${configFile}: unknown rule or pack: ${unknown.join(', ')}`);

  let review: Review;
  let detectedTree: string | undefined;
  try {
    if (range) {
      const { reviewRange } = await import('./range.ts');
      const { workTreeRoot } = await import('../git/index.ts');
      const repo = workTreeRoot(cwd);
      if (!repo) throw new UsageError(`${range}: not inside a git checkout (a range is read from the repository of the current directory)`);
      const progress = io.isTTY?.stderr && !quiet;
      review = await reviewRange(repo, range, options, reviewFn, {
        useTree: !noTree,
        onCommit: progress ? (i, total, subject) => io.stderr(`\r\u001b[K[${i + 1}/${total}] ${subject.slice(0, 70)}`) : undefined,
      });
      if (progress) io.stderr('\r\u001b[K');
    } else {
      const input = await readInput(operand!, cwd, io);
      if (!tree && !noTree) {
        const root = enclosingCheckout(cwd);
        if (root && appliesTo(input, root)) {
          tree = root;
          detectedTree = root;
          // Text on stdout says so in its summary; other formats get the notice on stderr.
          const textOnStdout = targets.some((t) => t.format === 'text' && t.file === undefined);
          if (!quiet && !textOnStdout) io.stderr(`patch-review: reviewing in tree mode against the checkout at ${root} (--no-tree for the patch alone)\n`);
        }
      }
      review = await reviewFn(input, { ...options, ...(tree ? { tree } : {}), ...(operand !== '-' ? { inputName: operand } : {}) });
    }
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'PatchInputError' || name === 'NoPatchError' || name === 'InputTooLargeError') {
      // b4 pipes a cover letter to series check commands: "nothing to report" is its answer.
      if (targets.length === 1 && targets[0]!.format === 'b4' && (error as { code?: string }).code === 'no-patch') {
        await io.stdout('[]\n');
        return ExitCode.Clean;
      }
      throw new UsageError((error as Error).message);
    }
    if (error instanceof RangeError || name === 'GitError') throw new UsageError((error as Error).message);
    throw error;
  }

  if (isBaseline) {
    const file = resolve(cwd, value('output') ?? DEFAULT_BASELINE);
    try {
      await writeFile(file, `${JSON.stringify(makeBaseline(review), null, 2)}\n`);
    } catch (error) {
      io.stderr(`patch-review: cannot write ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOSPC' ? 'no space left on the device' : (error as Error).message}\n`);
      return ExitCode.Error;
    }
    if (!quiet) io.stderr(`patch-review: ${review.findings.length} finding${review.findings.length === 1 ? '' : 's'} recorded in ${file}\n`);
    return ExitCode.Clean;
  }

  let suppressed = 0;
  const baselineFile = parsed.flags.has('no-baseline') ? undefined : value('baseline') ? resolve(cwd, value('baseline')!) : config.baseline;
  if (baselineFile) ({ review, suppressed } = subtractBaseline(review, await readBaseline(baselineFile)));

  const noColor = parsed.flags.has('no-color') || (env.NO_COLOR !== undefined && env.NO_COLOR !== '');
  const formatOptions = (t: OutputTarget): FormatOptions => ({
    color: t.format === 'text' && t.file === undefined && io.isTTY?.stdout === true && !noColor,
    quiet,
    terse: parsed.flags.has('terse'),
    emacs: parsed.flags.has('emacs'),
    noSummary: parsed.flags.has('no-summary'),
    baselineSuppressed: suppressed,
    ...(detectedTree ? { detectedTree } : {}),
  });
  // The rules' reference links (package.json read, an anchor per rule) only for the formats that carry them.
  const linked = targets.some((t) => LINKED_FORMATS.has(t.format)) ? withHelpUris(review) : review;
  const written = await writeOutputs(linked, targets, formatOptions, io);
  if (written === 'failed') return ExitCode.Error;

  const failOn = value('fail-on') ?? config.failOn ?? 'info';
  if (failOn === 'none') return ExitCode.Clean;
  const countInconclusive = parsed.flags.has('fail-on-inconclusive') || config.failOnInconclusive === true;
  const threshold = SEVERITY_RANK[failOn as Severity];
  const failing = review.findings.some(
    (f) => SEVERITY_RANK[f.severity] >= threshold && (f.verdict === 'verified' || (countInconclusive && f.verdict === 'inconclusive')),
  );
  return failing ? ExitCode.Findings : ExitCode.Clean;
}

/** --time-limit MS: a whole number of milliseconds above 0. */
function positiveMillis(text: string): number {
  const ms = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(ms) || ms <= 0) throw new UsageError(`--time-limit must be a whole number of milliseconds above 0 (got "${text}")`);
  return ms;
}
