// `patch-review bot`: answer a mailing list's patches (see docs/bot.md); `patch-review bot status`.
import { parseArgs } from 'node:util';
import { existsSync, watch } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { ExitCode, type Io } from '../main.ts';
import { createReviewPool, type ReviewPool } from '../../pool/index.ts';
import { Bot, type BotLog, type RunSummary } from '../../bot/bot.ts';
import { ConfigError, checkProjectPaths, loadConfig, type BotConfig } from '../../bot/policy.ts';
import { bufferSource, maildirSource, mboxSource, publicInboxSource, SourceError, type MailSource } from '../../bot/sources.ts';
import { dirTransport, mboxTransport, smtpTransport, type Transport } from '../../bot/deliver.ts';
import { openSqliteStore } from '../../bot/store/sqlite.ts';
import { openPostgresStore } from '../../bot/store/postgres.ts';
import type { Store } from '../../bot/store/types.ts';

const HELP = `Usage: patch-review bot [run] SOURCE... (--state DB | --postgres URL) [options]
       patch-review bot status (--state DB | --postgres URL) [--json]

Reads a mailing list's mail, reviews the patches and answers those with findings,
threaded, in the list's style; each message is handled once across runs and crashes.

Sources (at least one):
  --mbox FILE            an mbox file (read whole each run; known messages are skipped)
  --maildir DIR          a Maildir: new/ is read, handled mail moved to cur/
  --stdin                one message on standard input (procmail, .forward)
  --public-inbox GITDIR  a public-inbox (v1) git archive; only commits since the last run

State:
  --state DB             SQLite file, created and migrated on first use
  --postgres URL         PostgreSQL instead (several instances; also PATCH_REVIEW_BOT_DATABASE_URL)

Options:
  --config FILE          the bot's YAML config: identity, SMTP, list policies (docs/bot.md)
  --dry-run DIR          never send: write each reply as DIR/<message-id>.eml
  --dry-run-mbox FILE    never send: append each reply to the mbox FILE
  --watch                keep running: read again when the Maildir changes, or every --interval
  --interval SECONDS     how often --watch reads its sources (default 60)
  --json                 status: JSON instead of a table
  -h, --help             show this help
`;

const OPTIONS = {
  mbox: { type: 'string', multiple: true },
  maildir: { type: 'string', multiple: true },
  stdin: { type: 'boolean' },
  'public-inbox': { type: 'string', multiple: true },
  state: { type: 'string' },
  postgres: { type: 'string' },
  config: { type: 'string' },
  'dry-run': { type: 'string' },
  'dry-run-mbox': { type: 'string' },
  watch: { type: 'boolean' },
  interval: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

function openStore(values: { state?: string; postgres?: string }): Store {
  const url = values.postgres ?? process.env.PATCH_REVIEW_BOT_DATABASE_URL;
  if (values.state && values.postgres) throw new UsageError('give either --state or --postgres, not both');
  if (values.state) return openSqliteStore(values.state);
  if (url) return openPostgresStore(url);
  throw new UsageError('no state: give --state DB (SQLite) or --postgres URL');
}

function summaryLine(s: RunSummary): string {
  return (
    `read ${s.read} (${s.recorded} new, ${s.alreadyKnown} already handled), skipped ${s.skipped}, ` +
    `series reviewed ${s.seriesReviewed}, replies queued ${s.repliesQueued}, written ${s.written}, sent ${s.sent}, ` +
    `confirmed ${s.confirmed}, retrying ${s.retrying}, failed ${s.failed}${s.deferred ? `, deferred ${s.deferred}` : ''}\n`
  );
}

async function status(store: Store, json: boolean, io: Io): Promise<void> {
  const rows = await store.status();
  const failures = await store.failures(20);
  if (json) {
    io.stdout(`${JSON.stringify({ counts: rows, failures }, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    io.stdout('nothing handled yet\n');
    return;
  }
  const lists = [...new Set(rows.map((r) => r.list))];
  const out: string[] = [];
  for (const list of lists) {
    out.push(`${list}:`);
    const mine = rows.filter((r) => r.list === list);
    const total = (what: 'message' | 'reply', state?: string): number =>
      mine.filter((r) => r.what === what && (state === undefined || r.state === state)).reduce((n, r) => n + r.count, 0);
    out.push(
      `  messages ${total('message')}: replied ${total('message', 'replied')}, reviewed without reply ${total('message', 'reviewed')}, ` +
        `waiting ${total('message', 'waiting')}, skipped ${total('message', 'skipped')}`,
    );
    for (const r of mine.filter((x) => x.what === 'message' && x.state === 'skipped')) out.push(`    skipped ${r.count}: ${r.reason ?? '(no reason)'}`);
    const replies = mine.filter((r) => r.what === 'reply');
    if (replies.length > 0) out.push(`  replies ${total('reply')}: ${replies.map((r) => `${r.state} ${r.count}`).join(', ')}`);
  }
  const shown = failures.filter((f) => f.lastError);
  if (shown.length > 0) {
    out.push('failures and retries:');
    for (const f of shown) out.push(`  ${f.replyId} (answering ${f.messageId}, ${f.list}, ${f.attempts} attempt${f.attempts === 1 ? '' : 's'}): ${f.lastError}`);
  }
  io.stdout(`${out.join('\n')}\n`);
}

function transports(config: BotConfig, values: { 'dry-run'?: string; 'dry-run-mbox'?: string }): (mode: 'send' | 'dry-run') => Transport | null {
  let smtp: Transport | null = null;
  const dry = values['dry-run'] ? dirTransport(values['dry-run']) : values['dry-run-mbox'] ? mboxTransport(values['dry-run-mbox']) : config.dryRun.mbox ? mboxTransport(config.dryRun.mbox) : dirTransport(config.dryRun.dir ?? 'patch-review-replies');
  return (mode) => {
    if (mode === 'dry-run') return dry;
    if (values['dry-run'] || values['dry-run-mbox'] || !config.smtp) return null; // a dry run never sends, even queued mail
    smtp ??= smtpTransport(config.smtp);
    return smtp;
  };
}

export async function run(argv: string[], io: Io): Promise<ExitCode> {
  const sub = argv[0] === 'status' || argv[0] === 'run' ? argv[0] : 'run';
  const rest = argv[0] === 'status' || argv[0] === 'run' ? argv.slice(1) : argv;
  let values;
  try {
    const parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: false, strict: true });
    values = parsed.values;
  } catch (error) {
    io.stderr(`patch-review bot: ${(error as Error).message}\nTry 'patch-review bot --help'.\n`);
    return ExitCode.Error;
  }
  if (values.help) {
    io.stdout(HELP);
    return ExitCode.Clean;
  }
  let store: Store | null = null;
  let pool: ReviewPool | null = null;
  try {
    store = openStore(values);
    await store.migrate();
    if (sub === 'status') {
      await status(store, values.json === true, io);
      return ExitCode.Clean;
    }
    const config = await loadConfig(values.config ?? null);
    checkProjectPaths(config, existsSync);
    if (values['dry-run'] || values['dry-run-mbox']) for (const l of config.lists) if (l.mode === 'send') l.mode = 'dry-run';
    const st = store;
    const sources: MailSource[] = [
      ...(values.mbox ?? []).map(mboxSource),
      ...(values.maildir ?? []).map(maildirSource),
      ...(values['public-inbox'] ?? []).map((dir) => publicInboxSource(dir, { get: () => st.getCursor(`public-inbox:${dir}`), set: (v) => st.setCursor(`public-inbox:${dir}`, v) })),
    ];
    if (values.stdin) {
      const input = await io.readStdin().catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot read standard input: ${error.code === 'EISDIR' ? 'is a directory' : (error.code ?? error.message)}`);
      });
      sources.push(bufferSource('stdin', input));
    }
    if (sources.length === 0) throw new UsageError('no source: give --mbox, --maildir, --stdin or --public-inbox');
    const interval = values.interval === undefined ? 60 : Number(values.interval);
    if (!Number.isFinite(interval) || interval <= 0) throw new UsageError(`--interval: expected a number of seconds, got ${values.interval}`);
    // JSON lines on stderr (journald, cron mail); never the patch bodies.
    const logger = pino({ name: 'patch-review-bot', level: process.env.PATCH_REVIEW_LOG_LEVEL ?? 'info' }, { write: (line: string) => io.stderr(line) });
    const log: BotLog = { info: (f, m) => logger.info(f, m), warn: (f, m) => logger.warn(f, m) };
    const transportFor = transports(config, values);
    // Reviews run in a worker thread: a review that ignores the engine's own time limit is stopped
    // there, and the bot goes on with the next series.
    const reviews = createReviewPool({ size: 1, maxQueue: 1, hardLimitMs: 15 * 60_000 });
    pool = reviews;
    const bot = new Bot({ config, store, review: (input, options) => reviews.review(input, options), transport: transportFor, log });
    if (!values.watch) {
      io.stdout(summaryLine(await bot.run(sources)));
      return ExitCode.Clean;
    }
    await watchLoop(bot, sources, values.maildir ?? [], interval, io);
    return ExitCode.Clean;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof SourceError) {
      io.stderr(`patch-review bot: ${error.message}\n`);
    } else {
      io.stderr(`patch-review bot: ${(error as Error).message}\n`);
    }
    return ExitCode.Error;
  } finally {
    await pool?.close().catch(() => {});
    await store?.close().catch(() => {});
  }
}

/** Runs until SIGINT/SIGTERM, finishing the pass under way; a Maildir change starts a pass early. */
async function watchLoop(bot: Bot, sources: MailSource[], maildirs: string[], interval: number, io: Io): Promise<void> {
  let stopping = false;
  let wake: (() => void) | null = null;
  const nudge = (): void => {
    wake?.();
  };
  const stop = (): void => {
    stopping = true;
    nudge();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const watchers = maildirs.map((dir) => watch(join(dir, 'new'), nudge));
  try {
    while (!stopping) {
      io.stdout(summaryLine(await bot.run(sources)));
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval * 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    for (const w of watchers) w.close();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
