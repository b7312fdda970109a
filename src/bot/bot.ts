// One pass of the bot: read new mail, record it, review the series that are ready, deliver replies.
// Every step is recorded before the next starts, so a crash anywhere leaves work to pick up, never
// work done twice: replies are rendered once (fixed bytes, fixed Message-ID) and only resent when
// they were not seen coming back from the list.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Review, ReviewOptions } from '../review/types.ts';
import { parsePatchInput, type Patch } from '../patch/index.ts';
import { renderEmailReply } from '../report/email.ts';
import { VERSION } from '../version.ts';
import { parseListMessage, formatMailbox, type ListMessage } from './message.ts';
import { classify, replyIdFor } from './classify.ts';
import { listFor, type BotConfig, type ListPolicy } from './policy.ts';
import { buildEml, type Transport } from './deliver.ts';
import type { MailSource } from './sources.ts';
import type { ClaimedSeries, MessageState, ReplyRecord, SeriesOutcome, Store } from './store/types.ts';
import { createHash } from 'node:crypto';

export type ReviewFn = (input: Buffer, options: ReviewOptions) => Promise<Review>;

export interface BotLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface BotDeps {
  config: BotConfig;
  store: Store;
  review: ReviewFn;
  /** The transport for a reply's mode ('send' or 'dry-run'); null when that mode cannot deliver here. */
  transport(mode: 'send' | 'dry-run'): Transport | null;
  now?: () => number;
  log?: BotLog;
  /** Identifies this instance in claims: host:pid:token. */
  owner?: string;
  /** Called after each recorded step (the crash tests stop the process there). */
  checkpoint?: (step: string) => void;
}

export interface RunSummary {
  read: number;
  recorded: number;
  alreadyKnown: number;
  skipped: number;
  confirmed: number;
  seriesReviewed: number;
  repliesQueued: number;
  sent: number;
  written: number;
  retrying: number;
  failed: number;
  deferred: number;
}

const SERIES_LEASE_MS = 30 * 60_000;
/** The engine's wall-clock guard per series; functions it did not reach are recorded, never dropped silently. */
const REVIEW_TIME_LIMIT_MS = 5 * 60_000;
const REPLY_LEASE_MS = 10 * 60_000;
const DAY_MS = 86_400_000;
const NEVER = Number.MAX_SAFE_INTEGER;
const silentLog: BotLog = { info: () => {}, warn: () => {} };

export function instanceOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** A claim holder is gone when it ran on this host and its process no longer exists. */
export function isGoneOwner(owner: string, self: string): boolean {
  const [host, pidText] = owner.split(':');
  if (host !== hostname() || owner === self) return false;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true; // an earlier run that had our pid
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function contentId(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, 24);
}

function listNameOf(config: BotConfig, msg: ListMessage): ListPolicy | null {
  return listFor(config, msg.listId, [...msg.to, ...msg.cc].map((m) => m.address));
}

export class Bot {
  private readonly config: BotConfig;
  private readonly store: Store;
  private readonly now: () => number;
  private readonly log: BotLog;
  readonly owner: string;
  private readonly step: (name: string) => void;

  constructor(private readonly deps: BotDeps) {
    this.step = deps.checkpoint ?? (() => {});
    this.config = deps.config;
    this.store = deps.store;
    this.now = deps.now ?? Date.now;
    this.log = deps.log ?? silentLog;
    this.owner = deps.owner ?? instanceOwner();
  }

  async run(sources: MailSource[]): Promise<RunSummary> {
    const summary: RunSummary = { read: 0, recorded: 0, alreadyKnown: 0, skipped: 0, confirmed: 0, seriesReviewed: 0, repliesQueued: 0, sent: 0, written: 0, retrying: 0, failed: 0, deferred: 0 };
    const released = await this.store.releaseClaims((o) => isGoneOwner(o, this.owner));
    if (released > 0) this.log.info({ released }, 'took over the work of a stopped instance');
    for (const source of sources) await this.ingest(source, summary);
    await this.reviewReady(summary);
    await this.deliver(summary);
    return summary;
  }

  async ingest(source: MailSource, summary: RunSummary): Promise<void> {
    for await (const mail of source.messages()) {
      summary.read++;
      const msg = await parseListMessage(mail.raw, contentId(mail.raw));
      if (await this.store.isKnown(msg.messageId)) {
        summary.alreadyKnown++;
        await mail.ack();
        continue;
      }
      const now = this.now();
      const list = listNameOf(this.config, msg);
      const base = { messageId: msg.messageId, subject: msg.subject.slice(0, 500), sender: msg.from?.address ?? null, receivedAt: now, raw: null };
      if (!list) {
        await this.store.recordMessage({ ...base, list: '(none)', kind: 'skipped', state: 'skipped', reason: 'not addressed to a configured list', seriesKey: null, threadRoot: null, number: null }, null);
        summary.recorded++;
        summary.skipped++;
        await mail.ack();
        continue;
      }
      const c = classify(msg, this.config, list);
      let recorded: boolean;
      if (c.kind === 'own') {
        if (await this.store.confirmReply(c.replyId, now)) summary.confirmed++;
        recorded = await this.store.recordMessage({ ...base, list: list.name, kind: 'own', state: 'skipped', reason: "the bot's own reply", seriesKey: null, threadRoot: null, number: null }, null);
        summary.skipped++;
      } else if (c.kind === 'skipped') {
        recorded = await this.store.recordMessage({ ...base, list: list.name, kind: 'skipped', state: 'skipped', reason: c.reason, seriesKey: null, threadRoot: null, number: null }, null);
        summary.skipped++;
        this.log.info({ messageId: msg.messageId, reason: c.reason }, 'skipped');
      } else {
        const series = {
          seriesKey: c.seriesKey,
          list: list.name,
          threadRoot: c.threadRoot,
          total: c.total,
          firstSeen: now,
          notBefore: now + list.embargoMinutes * 60_000,
        };
        recorded = await this.store.recordMessage(
          {
            ...base,
            list: list.name,
            kind: c.kind,
            state: c.kind === 'cover' ? 'skipped' : 'waiting',
            reason: c.kind === 'cover' ? 'cover letter (not reviewed)' : null,
            seriesKey: c.seriesKey,
            threadRoot: c.threadRoot,
            number: c.number,
            raw: c.kind === 'patch' ? mail.raw : null,
          },
          series,
        );
      }
      if (recorded) summary.recorded++;
      else summary.alreadyKnown++;
      this.step('recorded');
      await mail.ack();
      this.step('acked');
    }
  }

  async reviewReady(summary: RunSummary): Promise<void> {
    const graceMs = this.config.seriesGraceMinutes * 60_000;
    const deferredKeys = new Set<string>();
    for (;;) {
      const claimed = await this.store.claimSeries(this.owner, this.now(), graceMs, SERIES_LEASE_MS);
      if (!claimed) return;
      if (deferredKeys.has(claimed.seriesKey)) return;
      this.step('series-claimed');
      const outcome = await this.reviewSeries(claimed);
      this.step('series-reviewed');
      if (outcome === 'deferred') {
        deferredKeys.add(claimed.seriesKey);
        summary.deferred++;
        continue;
      }
      if (await this.store.finishSeries(claimed.seriesKey, this.owner, outcome)) {
        summary.seriesReviewed++;
        summary.repliesQueued += outcome.replies.length;
      }
      this.step('series-finished');
    }
  }

  private async reviewSeries(claimed: ClaimedSeries): Promise<SeriesOutcome | 'deferred'> {
    const list = this.config.lists.find((l) => l.name === claimed.list);
    const mark = (state: MessageState, reason: string | null): SeriesOutcome => ({
      messages: claimed.patches.map((p) => ({ messageId: p.messageId, state, reason })),
      replies: [],
    });
    if (claimed.patches.length === 0) return mark('reviewed', null);
    if (!list) return mark('skipped', `list ${claimed.list} is no longer configured`);
    const missing = claimed.total > 1 && claimed.patches.length < claimed.total ? `; reviewed without ${claimed.total - claimed.patches.length} of ${claimed.total} patches (grace period over)` : '';

    const rounds = await this.store.countThreadRounds(claimed.threadRoot);
    if (rounds >= list.caps.perThread) return mark('skipped', `the thread already has ${rounds} of this bot's replies (caps.perThread ${list.caps.perThread})`);

    // One input for the whole series, in patch order, so the review sees every patch together.
    const input = Buffer.concat(claimed.patches.flatMap((p) => [Buffer.from('From patch-review Mon Sep 17 00:00:00 2001\n'), p.raw, Buffer.from('\n')]));
    const options: ReviewOptions = {
      inputName: claimed.patches[0]!.messageId,
      timeLimitMs: REVIEW_TIME_LIMIT_MS,
      ...(list.project.tree ? { tree: list.project.tree } : {}),
      ...(list.project.kb ? { kb: list.project.kb } : {}),
      ...(list.project.apis ? { apis: list.project.apis } : {}),
      ...(list.project.enable.length > 0 ? { enable: list.project.enable } : {}),
      ...(list.project.disable.length > 0 ? { disable: list.project.disable } : {}),
    };
    let review: Review;
    let parsed: Patch[];
    try {
      [review, parsed] = await Promise.all([this.deps.review(input, options), parsePatchInput(input).then((s) => s.patches)]);
    } catch (error) {
      this.log.warn({ series: claimed.seriesKey, error: (error as Error).message }, 'review failed');
      return mark('skipped', `review failed: ${(error as Error).message.split('\n')[0]}`);
    }
    const fragment = review.warnings.filter((w) => w.code === 'tree-apply');
    const notes = [
      fragment.length > 0 ? `reviewed in fragment mode where the patch does not apply to ${list.project.tree ?? 'the tree'} (${fragment.length} hunk${fragment.length === 1 ? '' : 's'}: ${fragment[0]!.message})` : '',
      review.stats.timedOut ? `the review stopped at its time limit (${review.stats.functionsNotReviewed} functions not reviewed)` : '',
    ];
    const note = notes.filter(Boolean).join('; ') + missing;

    const outcome: SeriesOutcome = { messages: [], replies: [] };
    const now = this.now();
    for (const p of claimed.patches) {
      const index = this.patchIndex(review, claimed, p.messageId);
      const msg = await parseListMessage(p.raw, contentId(p.raw));
      const all = index === null ? [] : review.findings.filter((f) => f.patch === index);
      const rendered =
        index === null
          ? null
          : renderEmailReply({
              review,
              patches: parsed,
              patchIndex: index,
              original: {
                subject: msg.subject,
                author: msg.from ? msg.from.name || msg.from.address : '',
                date: msg.date,
                messageId: msg.messageId,
                references: msg.references,
              },
              options: {
                minSeverity: list.minSeverity,
                inconclusive: list.inconclusive,
                replyWhenClean: list.noFindings === 'reply',
                reporter: formatMailbox({ name: this.config.bot.name, address: this.config.bot.address }),
                closesUrl: this.config.bot.archive ? this.config.bot.archive.replace('{messageId}', replyIdFor(msg.messageId, this.config.bot.messageIdDomain).slice(1, -1)) : null,
                operator: this.config.bot.operator,
                optOut: this.config.bot.optOut,
                toolVersion: VERSION,
              },
            });
      const counted = `${all.length} finding${all.length === 1 ? '' : 's'} (${all.filter((f) => f.verdict === 'verified').length} verified)`;
      const reason = (base: string): string => [base, note].filter(Boolean).join('; ');
      if (!rendered) {
        outcome.messages.push({ messageId: p.messageId, state: 'reviewed', reason: reason(index === null ? 'no patch found in the message by the review' : `${counted}; nothing to report under the policy`) });
        continue;
      }
      if (list.mode === 'muted') {
        outcome.messages.push({ messageId: p.messageId, state: 'reviewed', reason: reason(`${counted}; list is muted, no reply`) });
        continue;
      }
      const replyId = replyIdFor(msg.messageId, this.config.bot.messageIdDomain);
      const { to, cc } = this.recipients(list, msg);
      if (to.length === 0) {
        outcome.messages.push({ messageId: p.messageId, state: 'reviewed', reason: reason(`${counted}; no recipient (no author address and no list address)`) });
        continue;
      }
      const eml = await buildEml({
        messageId: replyId,
        from: formatMailbox({ name: this.config.bot.name, address: this.config.bot.address }),
        to,
        cc,
        subject: rendered.subject,
        inReplyTo: rendered.inReplyTo,
        references: rendered.references,
        text: rendered.text,
        date: new Date(now),
      });
      const reply: ReplyRecord = {
        replyId,
        messageId: p.messageId,
        seriesKey: claimed.seriesKey,
        list: list.name,
        threadRoot: claimed.threadRoot,
        mode: list.mode === 'send' ? 'send' : 'dry-run',
        state: 'sending',
        expectEcho: list.mode === 'send' && list.replyTo !== 'author',
        findings: rendered.findings.length,
        eml,
        envelopeFrom: this.config.bot.address,
        envelopeTo: [...to, ...cc].map((a) => a.replace(/^.*<([^>]+)>$/, '$1')),
        attempts: 0,
        nextAttemptAt: now,
        lastError: null,
        createdAt: now,
      };
      outcome.replies.push(reply);
      outcome.messages.push({ messageId: p.messageId, state: 'replied', reason: reason(`${counted}; reply ${replyId} with ${rendered.findings.length}`) });
    }
    if (outcome.replies.length > 0) {
      const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
      const today = await this.store.countReplies(list.name, dayStart);
      // A series is answered whole: one larger than the cap still goes out, first thing on a fresh day.
      if (today > 0 && today + outcome.replies.length > list.caps.perDay) {
        await this.store.deferSeries(claimed.seriesKey, this.owner, dayStart + DAY_MS, `daily cap of ${list.caps.perDay} replies reached`);
        this.log.info({ series: claimed.seriesKey, list: list.name }, 'daily cap reached; deferred to tomorrow');
        return 'deferred';
      }
    }
    return outcome;
  }

  private patchIndex(review: Review, claimed: ClaimedSeries, messageId: string): number | null {
    const byId = review.patches.findIndex((p) => p.meta.messageId === messageId);
    if (byId >= 0) return review.patches[byId]!.isCoverLetter ? null : byId;
    // Without Message-IDs in the review, patches come back in input order.
    const order = claimed.patches.findIndex((p) => p.messageId === messageId);
    const nonCover = review.patches.map((p, i) => (p.isCoverLetter ? -1 : i)).filter((i) => i >= 0);
    return review.patches.length === claimed.patches.length ? (nonCover[order] ?? null) : null;
  }

  private recipients(list: ListPolicy, msg: ListMessage): { to: string[]; cc: string[] } {
    const self = this.config.bot.address.toLowerCase();
    const author = msg.from ? [formatMailbox(msg.from)] : [];
    const listAddress = list.address ? [list.address] : [];
    let to: string[];
    let cc: string[];
    if (list.replyTo === 'author') {
      to = author;
      cc = [];
    } else if (list.replyTo === 'list') {
      to = listAddress;
      cc = [];
    } else {
      to = author.length > 0 ? author : listAddress;
      const copied = list.keepCc ? [...msg.to, ...msg.cc].map(formatMailbox) : [];
      cc = [...(author.length > 0 ? listAddress : []), ...copied];
    }
    cc.push(...list.cc);
    const seen = new Set<string>();
    const keep = (a: string): boolean => {
      const address = a.replace(/^.*<([^>]+)>$/, '$1').toLowerCase();
      if (address === self || seen.has(address)) return false;
      seen.add(address);
      return true;
    };
    to = to.filter(keep);
    cc = cc.filter(keep);
    return { to, cc };
  }

  async deliver(summary: RunSummary): Promise<void> {
    const { maxAttempts, backoffMinutes, confirmAfterMinutes } = this.config.delivery;
    for (;;) {
      const now = this.now();
      const reply = await this.store.claimReply(this.owner, now, REPLY_LEASE_MS);
      if (!reply) return;
      this.step('reply-claimed');
      const wasSent = reply.state === 'sent';
      if (wasSent && reply.attempts > maxAttempts) {
        await this.store.updateReply(reply.replyId, this.owner, { state: 'failed', lastError: `sent ${reply.attempts - 1} times, never seen on the list`, at: now });
        summary.failed++;
        continue;
      }
      const transport = this.deps.transport(reply.mode);
      if (!transport) {
        // This run cannot deliver this mode (e.g. no SMTP configured here): leave it for a run that can.
        await this.store.updateReply(reply.replyId, this.owner, { state: 'sending', attempts: reply.attempts - 1, nextAttemptAt: now + backoffMinutes * 60_000, lastError: `no ${reply.mode} transport in this run`, at: now });
        summary.retrying++;
        continue;
      }
      const result = await transport.send(reply.replyId, reply.eml, { from: reply.envelopeFrom, to: reply.envelopeTo });
      this.step('delivered-unrecorded');
      const at = this.now();
      if (result.ok) {
        if (reply.mode === 'dry-run') {
          await this.store.updateReply(reply.replyId, this.owner, { state: 'written', lastError: null, at });
          summary.written++;
        } else {
          const wait = reply.expectEcho ? confirmAfterMinutes * 60_000 * 2 ** (reply.attempts - 1) : NEVER - at;
          await this.store.updateReply(reply.replyId, this.owner, { state: 'sent', nextAttemptAt: at + wait, lastError: null, at });
          summary.sent++;
        }
        this.log.info({ replyId: reply.replyId, attempt: reply.attempts, resend: wasSent }, reply.mode === 'dry-run' ? 'reply written' : 'reply sent');
      } else if (result.permanent || reply.attempts >= maxAttempts) {
        const lastError = result.permanent ? result.error : `gave up after ${reply.attempts} attempts: ${result.error}`;
        await this.store.updateReply(reply.replyId, this.owner, { state: 'failed', lastError, at });
        summary.failed++;
        this.log.warn({ replyId: reply.replyId, error: lastError }, 'reply failed');
      } else {
        await this.store.updateReply(reply.replyId, this.owner, {
          state: 'sending',
          nextAttemptAt: at + backoffMinutes * 60_000 * 2 ** (reply.attempts - 1),
          lastError: result.error,
          at,
        });
        summary.retrying++;
        this.log.warn({ replyId: reply.replyId, error: result.error, attempt: reply.attempts }, 'reply not delivered; will retry');
      }
      this.step('delivery-recorded');
    }
  }
}
