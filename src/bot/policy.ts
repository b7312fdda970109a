// The bot's configuration file (YAML): who the bot is, how it delivers, and one policy per list.
// Every field has a safe default: a list nobody configured is answered in dry-run only.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { SEVERITY_RANK, type Severity } from '../review/types.ts';

export type Mode = 'muted' | 'dry-run' | 'send';
/**
 * author: To: the patch author only; the list never sees the reply.
 * list:   To: the list only; the author reads it there (not copied directly).
 * both:   To: the author, Cc: the list (and, with keepCc, everyone the patch was copied to).
 */
export type ReplyTo = 'author' | 'list' | 'both';

export interface ListPolicy {
  name: string;
  /** The list's posting address (To: when replying to the list; also how mail is matched to the list). */
  address: string | null;
  /** The List-Id the list stamps on its mail, without angle brackets. */
  listId: string | null;
  mode: Mode;
  replyTo: ReplyTo;
  /** Also copy the patch's own Cc: recipients (replyTo: both only). */
  keepCc: boolean;
  cc: string[];
  minSeverity: Severity;
  /** Also report inconclusive findings (marked as such); verified only by default. */
  inconclusive: boolean;
  noFindings: 'silent' | 'reply';
  embargoMinutes: number;
  caps: { perThread: number; perDay: number };
  project: {
    tags: string[];
    tree: string | null;
    kb: string | null;
    /** The project's known APIs (ReviewOptions.apis): they win over what the knowledge base learned. */
    apis: { fallible: { name: string; convention?: string; note?: string }[]; infallible: string[] } | null;
    /** Opt-in rules or packs also run for this list, e.g. the style packs (ReviewOptions.enable). */
    enable: string[];
    /** Rules or packs not run for this list (ReviewOptions.disable). */
    disable: string[];
  };
}

export interface BotConfig {
  bot: {
    name: string;
    address: string;
    messageIdDomain: string;
    operator: string | null;
    optOut: string | null;
    /** Senders never answered: exact addresses or globs with *. */
    ignore: string[];
    /** Archive URL of a message, {messageId} replaced (without brackets): gives the Closes: trailer. */
    archive: string | null;
  };
  smtp: {
    host: string;
    port: number;
    secure: boolean;
    requireTls: boolean;
    user: string | null;
    password: string | null;
  } | null;
  dryRun: { dir: string | null; mbox: string | null };
  seriesGraceMinutes: number;
  delivery: { maxAttempts: number; backoffMinutes: number; confirmAfterMinutes: number };
  lists: ListPolicy[];
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Reader {
  private readonly obj: Obj;
  private readonly where: string;
  private readonly unknown: string[];
  constructor(obj: Obj, where: string) {
    this.obj = obj;
    this.where = where;
    this.unknown = Object.keys(obj);
  }

  private take(key: string): unknown {
    const i = this.unknown.indexOf(key);
    if (i >= 0) this.unknown.splice(i, 1);
    return this.obj[key];
  }
  str(key: string, fallback: string): string;
  str(key: string, fallback: null): string | null;
  str(key: string, fallback: string | null): string | null {
    const v = this.take(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string' || v.trim() === '') throw new ConfigError(`${this.where}.${key}: expected a non-empty string`);
    return v.trim();
  }
  num(key: string, fallback: number, min = 0): number {
    const v = this.take(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new ConfigError(`${this.where}.${key}: expected a number >= ${min}`);
    return v;
  }
  bool(key: string, fallback: boolean): boolean {
    const v = this.take(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') throw new ConfigError(`${this.where}.${key}: expected true or false`);
    return v;
  }
  oneOf<T extends string>(key: string, values: readonly T[], fallback: T): T {
    const v = this.take(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string' || !values.includes(v as T)) throw new ConfigError(`${this.where}.${key}: expected one of ${values.join(', ')}`);
    return v as T;
  }
  strings(key: string): string[] {
    const v = this.take(key);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new ConfigError(`${this.where}.${key}: expected a list of strings`);
    return v as string[];
  }
  sub(key: string): Reader | null {
    const v = this.take(key);
    if (v === undefined || v === null) return null;
    if (!isObj(v)) throw new ConfigError(`${this.where}.${key}: expected a mapping`);
    return new Reader(v, `${this.where}.${key}`);
  }
  list(key: string): Reader[] {
    const v = this.take(key);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => !isObj(x))) throw new ConfigError(`${this.where}.${key}: expected a list of mappings`);
    return (v as Obj[]).map((x, i) => new Reader(x, `${this.where}.${key}[${i}]`));
  }
  done(): void {
    if (this.unknown.length > 0) throw new ConfigError(`${this.where}: unknown key${this.unknown.length > 1 ? 's' : ''} ${this.unknown.join(', ')}`);
  }
}

const SEVERITIES = Object.keys(SEVERITY_RANK) as Severity[];

function readList(r: Reader, fallbackName: string): ListPolicy {
  const caps = r.sub('caps');
  const project = r.sub('project');
  const apis = project?.sub('apis') ?? null;
  const fallible = (apis?.list('fallible') ?? []).map((f) => {
    const entry = { name: f.str('name', ''), convention: f.str('convention', null) ?? undefined, note: f.str('note', null) ?? undefined };
    f.done();
    if (!entry.name) throw new ConfigError('project.apis.fallible: every entry needs a name');
    return entry;
  });
  const infallible = apis?.strings('infallible') ?? [];
  apis?.done();
  const policy: ListPolicy = {
    name: r.str('name', fallbackName),
    address: r.str('address', null)?.toLowerCase() ?? null,
    listId: r.str('listId', null)?.replace(/^<|>$/g, '').toLowerCase() ?? null,
    mode: r.oneOf('mode', ['muted', 'dry-run', 'send'] as const, 'dry-run'),
    replyTo: r.oneOf('replyTo', ['author', 'list', 'both'] as const, 'both'),
    keepCc: r.bool('keepCc', false),
    cc: r.strings('cc'),
    minSeverity: r.oneOf('minSeverity', SEVERITIES, 'warning'),
    inconclusive: r.bool('inconclusive', false),
    noFindings: r.oneOf('noFindings', ['silent', 'reply'] as const, 'silent'),
    embargoMinutes: r.num('embargoMinutes', 0),
    caps: { perThread: caps?.num('perThread', 1, 1) ?? 1, perDay: caps?.num('perDay', 50, 1) ?? 50 },
    project: {
      tags: (project?.strings('tags') ?? []).map((t) => t.toLowerCase()),
      tree: project?.str('tree', null) ?? null,
      kb: project?.str('kb', null) ?? null,
      apis: apis ? { fallible, infallible } : null,
      enable: project?.strings('enable') ?? [],
      disable: project?.strings('disable') ?? [],
    },
  };
  caps?.done();
  project?.done();
  r.done();
  if (policy.replyTo !== 'author' && policy.address === null && policy.mode === 'send') {
    throw new ConfigError(`lists: ${policy.name} replies to the list (replyTo: ${policy.replyTo}) but has no address`);
  }
  return policy;
}

/** Validates a parsed configuration; `env` supplies the SMTP password named by smtp.passwordEnv. */
export function readConfig(doc: unknown, env: Record<string, string | undefined> = {}): BotConfig {
  if (doc === null || doc === undefined) doc = {};
  if (!isObj(doc)) throw new ConfigError('config: expected a mapping at the top level');
  const top = new Reader(doc, 'config');
  const bot = top.sub('bot');
  const address = bot?.str('address', 'patch-review@localhost') ?? 'patch-review@localhost';
  const config: BotConfig = {
    bot: {
      name: bot?.str('name', 'patch-review bot') ?? 'patch-review bot',
      address,
      messageIdDomain: bot?.str('messageIdDomain', address.split('@')[1] ?? 'localhost') ?? address.split('@')[1] ?? 'localhost',
      operator: bot?.str('operator', null) ?? null,
      optOut: bot?.str('optOut', null) ?? null,
      ignore: (bot?.strings('ignore') ?? []).map((s) => s.toLowerCase()),
      archive: bot?.str('archive', null) ?? null,
    },
    smtp: null,
    dryRun: { dir: null, mbox: null },
    seriesGraceMinutes: top.num('seriesGraceMinutes', 60),
    delivery: { maxAttempts: 6, backoffMinutes: 5, confirmAfterMinutes: 360 },
    lists: [],
  };
  bot?.done();
  const smtp = top.sub('smtp');
  if (smtp) {
    const passwordEnv = smtp.str('passwordEnv', null);
    const secure = smtp.bool('secure', false);
    config.smtp = {
      host: smtp.str('host', 'localhost'),
      port: smtp.num('port', secure ? 465 : 587, 1),
      secure,
      requireTls: smtp.bool('starttls', !secure),
      user: smtp.str('user', null) ?? env.PATCH_REVIEW_SMTP_USER ?? null,
      password: (passwordEnv ? env[passwordEnv] : undefined) ?? env.PATCH_REVIEW_SMTP_PASSWORD ?? null,
    };
    smtp.done();
    if (passwordEnv && env[passwordEnv] === undefined) throw new ConfigError(`smtp.passwordEnv: ${passwordEnv} is not set in the environment`);
  }
  const dry = top.sub('dryRun');
  if (dry) {
    config.dryRun = { dir: dry.str('dir', null), mbox: dry.str('mbox', null) };
    dry.done();
  }
  const delivery = top.sub('delivery');
  if (delivery) {
    config.delivery = {
      maxAttempts: delivery.num('maxAttempts', 6, 1),
      backoffMinutes: delivery.num('backoffMinutes', 5),
      confirmAfterMinutes: delivery.num('confirmAfterMinutes', 360),
    };
    delivery.done();
  }
  config.lists = top.list('lists').map((r, i) => readList(r, `list-${i + 1}`));
  if (config.lists.length === 0) config.lists = [readList(new Reader({}, 'lists[0]'), 'default')];
  const names = new Set<string>();
  for (const l of config.lists) {
    if (names.has(l.name)) throw new ConfigError(`lists: the name ${l.name} is used twice`);
    names.add(l.name);
    if (l.mode === 'send' && !config.smtp) throw new ConfigError(`lists: ${l.name} is in mode send but no smtp section is configured`);
  }
  top.done();
  return config;
}

export async function loadConfig(file: string | null, env: Record<string, string | undefined> = process.env): Promise<BotConfig> {
  if (file === null) return readConfig({}, env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  return readConfig(doc, env);
}

/** A tree or knowledge base that is not there is a configuration error at start, not a failed review later. */
export function checkProjectPaths(config: BotConfig, exists: (path: string) => boolean): void {
  for (const l of config.lists) {
    if (l.project.tree && !exists(l.project.tree)) throw new ConfigError(`lists: ${l.name}: project.tree ${l.project.tree} does not exist`);
    if (l.project.kb && !exists(l.project.kb)) throw new ConfigError(`lists: ${l.name}: project.kb ${l.project.kb} does not exist (build it with patch-review index)`);
  }
}

/** The list a message belongs to: by List-Id, then by address in To/Cc; a single list takes everything. */
export function listFor(config: BotConfig, listId: string | null, recipients: string[]): ListPolicy | null {
  const byId = listId ? config.lists.find((l) => l.listId === listId) : undefined;
  if (byId) return byId;
  const byAddress = config.lists.find((l) => l.address && recipients.includes(l.address));
  if (byAddress) return byAddress;
  return config.lists.length === 1 ? config.lists[0]! : null;
}

export function matchesSender(patterns: string[], address: string): boolean {
  const a = address.toLowerCase();
  return patterns.some((p) => {
    if (!p.includes('*')) return p === a;
    const re = new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return re.test(a);
  });
}
