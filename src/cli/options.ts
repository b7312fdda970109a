// One declarative table drives option parsing and --help.
import { FORMAT_NAMES } from '../report/index.ts';

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

export const COMMANDS = ['check', 'inspect'] as const;
export type Command = (typeof COMMANDS)[number];

export const FAIL_ON = ['info', 'warning', 'error', 'none'] as const;

export const OPTIONS: OptionSpec[] = [
  { name: 'format', short: 'f', value: 'FORMAT', choices: ['text', 'json', 'sarif'], commands: ['check'], help: `output format: ${FORMAT_NAMES.join(', ')} (default text)` },
  { name: 'format', short: 'f', value: 'FORMAT', choices: ['text', 'json'], commands: ['inspect'], help: 'output format: text, json (default text)' },
  { name: 'tree', value: 'DIR', commands: ['check', 'inspect'], help: 'a checkout the patch applies to (tree mode: whole functions, declarations)' },
  { name: 'show-refuted', commands: ['check'], help: 'also list candidates the simulator refuted, with their counterexample' },
  { name: 'rule', value: 'PACK/ID', repeat: true, commands: ['check'], help: 'run only this rule (repeatable)' },
  { name: 'fail-on', value: 'LEVEL', choices: FAIL_ON, commands: ['check'], help: 'exit 1 when a finding is at or above LEVEL: info, warning, error, or none (default info)' },
  { name: 'help', short: 'h', commands: ['check', 'inspect'], help: 'show this help' },
];

export interface Parsed {
  command: Command;
  input: string;
  values: Map<string, string[]>;
  flags: Set<string>;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[]): Parsed | 'help' | 'version' {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') return 'help';
  if (command === '--version' || command === '-V') return 'version';
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command "${command}" (expected ${COMMANDS.join(' or ')})`);
  const cmd = command as Command;
  const specs = OPTIONS.filter((o) => o.commands.includes(cmd));
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const inputs: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '-' || !arg.startsWith('-')) {
      inputs.push(arg);
      continue;
    }
    const [rawName, inline] = arg.startsWith('--') ? arg.slice(2).split(/=(.*)/s, 2) : [arg.slice(1), undefined];
    const spec = specs.find((o) => o.name === rawName || o.short === rawName);
    if (!spec) throw new UsageError(`unknown option "${arg}" for ${cmd}`);
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
  if (inputs.length !== 1) throw new UsageError(inputs.length === 0 ? `${cmd} needs a FILE (or - for standard input)` : `${cmd} takes one FILE, got ${inputs.length}`);
  return { command: cmd, input: inputs[0]!, values, flags };
}

export function helpText(): string {
  const lines = [
    'usage: patch-review <command> [options] FILE|-',
    '',
    'Reviews C patches the way a careful maintainer does, and backs every finding with a simulation.',
    '',
    'commands:',
    '  check     review a patch (git format-patch mail, unified diff, mbox series, or a quoted review reply)',
    '  inspect   show what was understood from an input: files, hunks, functions, pre/post images, warnings',
    '',
  ];
  for (const cmd of COMMANDS) {
    lines.push(`${cmd} options:`);
    for (const o of OPTIONS.filter((s) => s.commands.includes(cmd))) {
      const flag = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`;
      lines.push(`  ${flag.padEnd(28)}${o.help}`);
    }
    lines.push('');
  }
  lines.push('exit status: 0 no finding (at or above --fail-on), 1 findings, 2 usage, input or internal error');
  return `${lines.join('\n')}\n`;
}
