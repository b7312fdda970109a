// One declarative table drives option parsing and --help for the built-in commands. Commands that
// other modules add (src/cli/commands/index.ts) parse their own arguments.
import { FORMAT_NAMES } from '../report/index.ts';

export const COMMANDS = ['check', 'inspect', 'baseline', 'rules', 'explain'] as const;
export type Command = (typeof COMMANDS)[number];

export const COMMAND_SUMMARIES: Record<Command, string> = {
  check: 'review a patch: a file, - for standard input, or a git range (A..B) in a checkout',
  inspect: 'show what was understood from an input: files, hunks, functions, pre/post images, warnings',
  baseline: 'record the current findings\' fingerprints; check --baseline then reports only new ones',
  rules: 'list the rules: id, family, severity, where each comes from',
  explain: 'print a rule\'s reference: what it checks, the review it came from, its cases, its limits',
};

/** `rules` subcommands of the pack builder (src/cli/commands/rules-packs.ts parses their options; each has --help). */
export const RULES_SUBCOMMANDS: Record<string, string> = {
  mine: 'which comments of a review thread the current packs reproduce (THREAD: mbox, mail or archive page)',
  new: 'scaffold rules/PACK/ID.ts and its cases from one comment of a thread (--from, --comment, --pack, --id)',
  catalog: 'write the rule reference docs/rules.md from the rule modules, read statically (--check: is it fresh?)',
};

/** What each command takes besides options. */
const OPERANDS: Record<Command, { min: number; max: number; name: string }> = {
  check: { min: 0, max: 1, name: 'FILE|-|A..B' },
  inspect: { min: 1, max: 1, name: 'FILE|-' },
  baseline: { min: 0, max: 1, name: 'FILE|-|A..B' },
  rules: { min: 0, max: 0, name: '' },
  explain: { min: 1, max: 1, name: 'RULE' },
};

export interface OptionSpec {
  name: string;
  short?: string;
  /** Takes a value (the next argument or --name=value). */
  value?: string;
  /** May be given several times (values collected). */
  repeat?: boolean;
  choices?: readonly string[];
  commands: readonly Command[];
  help: string;
}

export const FAIL_ON = ['info', 'warning', 'error', 'none'] as const;

const REVIEWING: Command[] = ['check', 'baseline'];

export const OPTIONS: OptionSpec[] = [
  { name: 'format', short: 'f', value: 'FORMAT[=FILE]', repeat: true, commands: ['check'], help: `${FORMAT_NAMES.join(', ')} (default text); FORMAT=FILE writes that format to FILE, repeatable` },
  { name: 'format', short: 'f', value: 'FORMAT', choices: ['text', 'json'], commands: ['inspect', 'rules'], help: 'text or json (default text)' },
  { name: 'output', short: 'o', value: 'FILE', commands: ['check', 'baseline'], help: 'write to FILE instead of standard output (baseline: default .patch-review-baseline.json)' },
  { name: 'range', value: 'A..B', commands: REVIEWING, help: 'review the commits of a git range in the current checkout, each against its parent' },
  { name: 'tree', value: 'DIR', commands: ['check', 'inspect', 'baseline'], help: 'a checkout the patch applies to (tree mode: whole functions, declarations)' },
  { name: 'no-tree', commands: REVIEWING, help: 'review the patch alone, even inside a checkout it applies to' },
  { name: 'kb', value: 'FILE', commands: REVIEWING, help: 'a knowledge base saved by `patch-review index`' },
  { name: 'rule', value: 'RULE|PACK', repeat: true, commands: REVIEWING, help: 'run only this rule (pack/id) or pack (repeatable)' },
  { name: 'enable', value: 'RULE|PACK', repeat: true, commands: REVIEWING, help: 'also run this opt-in rule or pack, e.g. the style packs whitespace and house-style (repeatable)' },
  { name: 'disable', value: 'RULE|PACK', repeat: true, commands: REVIEWING, help: 'do not run this rule or pack (repeatable)' },
  { name: 'time-limit', value: 'MS', commands: REVIEWING, help: 'stop reviewing after MS milliseconds of wall clock; functions not reached are listed (warning time-limit), never dropped silently' },
  { name: 'fail-on', value: 'LEVEL', choices: FAIL_ON, commands: ['check'], help: 'exit 1 when a verified finding is at or above LEVEL: info, warning, error, none (default info)' },
  { name: 'fail-on-inconclusive', commands: ['check'], help: 'inconclusive findings count for --fail-on too' },
  { name: 'baseline', value: 'FILE', commands: ['check'], help: 'report only findings not recorded in FILE (written by `patch-review baseline`)' },
  { name: 'no-baseline', commands: ['check'], help: 'ignore the baseline named in the config file' },
  { name: 'config', value: 'FILE', commands: REVIEWING, help: 'read this config file instead of the .patch-review.json found from the current directory up' },
  { name: 'no-config', commands: REVIEWING, help: 'read no config file' },
  { name: 'show-refuted', commands: ['check'], help: 'also list candidates the simulator refuted, with their counterexample' },
  { name: 'quiet', short: 'q', commands: ['check', 'baseline'], help: 'text: leave out notes about repaired input; no progress or tree notice on stderr' },
  { name: 'no-color', commands: ['check'], help: 'no colour in text output (colour is used only on a terminal, never with NO_COLOR set)' },
  { name: 'terse', commands: ['check'], help: 'checkpatch: one line per finding' },
  { name: 'emacs', commands: ['check'], help: 'checkpatch: prefix each report with INPUT:LINE:, as checkpatch --emacs' },
  { name: 'no-summary', commands: ['check'], help: 'checkpatch: leave out the total: line' },
  { name: 'help', short: 'h', commands: COMMANDS, help: 'show this help' },
];

export interface Parsed {
  command: Command;
  operands: string[];
  values: Map<string, string[]>;
  flags: Set<string>;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[]): Parsed | 'help' | 'version' {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') return 'help';
  if (command === '--version' || command === '-V' || command === 'version') return 'version';
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command "${command}"`);
  const cmd = command as Command;
  const specs = OPTIONS.filter((o) => o.commands.includes(cmd));
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const operands: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--') {
      operands.push(...rest.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      operands.push(arg);
      continue;
    }
    const [rawName, inline] = arg.startsWith('--') ? arg.slice(2).split(/=(.*)/s, 2) : [arg.slice(1, 2), arg.length > 2 ? arg.slice(2) : undefined];
    const spec = specs.find((o) => (arg.startsWith('--') ? o.name === rawName : o.short === rawName));
    if (!spec) throw new UsageError(`unknown option "${arg.split('=')[0]}" for ${cmd}`);
    if (!spec.value) {
      if (inline !== undefined) throw new UsageError(`option --${spec.name} takes no value`);
      flags.add(spec.name);
      continue;
    }
    const value = inline ?? rest[++i];
    if (value === undefined) throw new UsageError(`option --${spec.name} needs a value (${spec.value})`);
    if (spec.choices && !spec.choices.includes(value)) {
      throw new UsageError(`option --${spec.name} must be one of ${spec.choices.join(', ')} (got "${value}")`);
    }
    if (values.has(spec.name) && !spec.repeat) throw new UsageError(`option --${spec.name} given twice`);
    values.set(spec.name, [...(values.get(spec.name) ?? []), value]);
  }
  if (flags.has('help')) return 'help';
  const want = OPERANDS[cmd];
  if (operands.length > want.max) throw new UsageError(`${cmd} takes ${want.max === 0 ? 'no operand' : `one ${want.name}`}, got ${operands.length}`);
  if (operands.length < want.min) throw new UsageError(`${cmd} needs ${want.name === 'RULE' ? 'a RULE (pack/id)' : `a ${want.name}`}`);
  for (const [a, b] of [
    ['tree', 'no-tree'],
    ['config', 'no-config'],
    ['baseline', 'no-baseline'],
  ] as const) {
    if (values.has(a) && flags.has(b)) throw new UsageError(`--${a} and --${b} contradict each other`);
  }
  return { command: cmd, operands, values, flags };
}

export function helpText(extra: { name: string; summary: string }[] = []): string {
  const lines = [
    'usage: patch-review <command> [options] [FILE|-|A..B]',
    '',
    'Reviews C patches the way a careful maintainer does, and backs every finding with a simulation.',
    '',
    'commands:',
    ...COMMANDS.flatMap((c) => [
      `  ${c.padEnd(16)}${COMMAND_SUMMARIES[c]}`,
      ...(c === 'rules' ? Object.entries(RULES_SUBCOMMANDS).map(([sub, summary]) => `  ${`rules ${sub}`.padEnd(16)}${summary}`) : []),
    ]),
    ...extra.map((c) => `  ${c.name.padEnd(16)}${c.summary}`),
    '',
  ];
  for (const cmd of COMMANDS) {
    const specs = OPTIONS.filter((s) => s.commands.includes(cmd) && s.name !== 'help');
    if (specs.length === 0) continue;
    lines.push(`${cmd} options:`);
    for (const o of specs) {
      const flag = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`;
      lines.push(`  ${flag.padEnd(30)}${o.help}`);
    }
    lines.push('');
  }
  lines.push(
    'A check runs with the .patch-review.json found from the current directory upward (flags win), and',
    'inside a git checkout the patch applies to, reviews in tree mode against it (--no-tree: the patch alone).',
    '',
    'Each command has its own --help (patch-review rules mine --help, patch-review eval --help, ...).',
    '',
    'exit status: 0 nothing verified at or above --fail-on, 1 findings, 2 usage, input or internal error',
  );
  return `${lines.join('\n')}\n`;
}
