// .patch-review.json: the reviewed repository's own settings, found from the current directory upward,
// validated (a clear error, exit 2), paths in it relative to the file. Command-line flags win.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './options.ts';

export const CONFIG_NAME = '.patch-review.json';

type Level = 'error' | 'warning' | 'info';

export interface ProjectConfig {
  /** Rule id (`pack/id`) or pack -> "off", "on", or a severity (on, with that severity). */
  rules?: Record<string, 'off' | 'on' | Level>;
  ignorePaths?: string[];
  /** Imported upstream code (src/review/imported.ts): paths the project keeps as imported; detect: read commit messages. */
  imported?: { paths?: string[]; detect?: boolean };
  apis?: { fallible?: { name: string; convention?: string; note?: string }[]; infallible?: string[] };
  kb?: string;
  /** A checkout to use as the tree, or false: never tree mode (not even the enclosing checkout). */
  tree?: string | false;
  failOn?: 'info' | 'warning' | 'error' | 'none';
  failOnInconclusive?: boolean;
  baseline?: string;
}

export interface LoadedConfig {
  file: string;
  config: ProjectConfig;
}

const CONVENTIONS = ['errno', 'err-ptr', 'null', 'zero-fail', 'bool-success', 'count', 'value', 'unknown'];

export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    rules: {
      type: 'object',
      propertyNames: { pattern: '^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)?$' },
      additionalProperties: { enum: ['off', 'on', 'error', 'warning', 'info'] },
    },
    ignorePaths: { type: 'array', items: { type: 'string', minLength: 1 } },
    imported: {
      type: 'object',
      additionalProperties: false,
      properties: { paths: { type: 'array', items: { type: 'string', minLength: 1 } }, detect: { type: 'boolean' } },
    },
    apis: {
      type: 'object',
      additionalProperties: false,
      properties: {
        fallible: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name'],
            properties: {
              name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
              convention: { enum: CONVENTIONS },
              note: { type: 'string' },
            },
          },
        },
        infallible: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } },
      },
    },
    kb: { type: 'string', minLength: 1 },
    tree: { anyOf: [{ type: 'string', minLength: 1 }, { const: false }] },
    failOn: { enum: ['info', 'warning', 'error', 'none'] },
    failOnInconclusive: { type: 'boolean' },
    baseline: { type: 'string', minLength: 1 },
  },
} as const;

/** The nearest .patch-review.json from `cwd` upward, or undefined. */
export function findConfig(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const file = join(dir, CONFIG_NAME);
    if (existsSync(file) && statSync(file).isFile()) return file;
    if (dirname(dir) === dir) return undefined;
  }
}

export async function loadConfig(file: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read config ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`config ${file} is not valid JSON: ${(error as Error).message}`);
  }
  // Ajv only when there is a config to check: start-up without one stays small.
  const { Ajv } = await import('ajv');
  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile(CONFIG_SCHEMA);
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => {
      const where = e.instancePath
        ? e.instancePath
            .slice(1)
            .split('/')
            .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
            .join('.')
        : '(top level)';
      const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : '';
      const allowed = e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
      return `  ${where}: ${e.message}${extra}${allowed}`;
    });
    throw new UsageError(`config ${file} is invalid:\n${problems.join('\n')}`);
  }
  const config = data as ProjectConfig;
  const base = dirname(file);
  const rel = (p: string | undefined): string | undefined => (p === undefined ? undefined : resolve(base, p));
  return {
    file,
    config: { ...config, kb: rel(config.kb), baseline: rel(config.baseline), tree: config.tree === false ? false : rel(config.tree) },
  };
}

/** The config's rules map as ReviewOptions pieces. */
export function ruleSettings(config: ProjectConfig): { disable: string[]; enable: string[]; severity: Record<string, Level> } {
  const disable: string[] = [];
  const enable: string[] = [];
  const severity: Record<string, Level> = {};
  for (const [name, setting] of Object.entries(config.rules ?? {})) {
    if (setting === 'off') disable.push(name);
    else {
      enable.push(name);
      if (setting !== 'on') severity[name] = setting;
    }
  }
  return { disable, enable, severity };
}
