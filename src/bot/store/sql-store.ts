// The storage logic shared by SQLite and PostgreSQL: the same schema and statements, written with
// `?` placeholders; each driver translates them and supplies its own way of claiming a row.
import type { ClaimedSeries, MessageRecord, ReplyRecord, ReplyState, SeriesOutcome, SeriesRecord, StatusRow, Store } from './types.ts';

export type Row = Record<string, unknown>;

export interface Driver {
  all(sql: string, params?: unknown[]): Promise<Row[]>;
  run(sql: string, params?: unknown[]): Promise<number>;
}

export interface Database extends Driver {
  readonly kind: 'sqlite' | 'postgres';
  /** Runs fn in one transaction; a claim inside it (`claimOne`) is exclusive. */
  tx<T>(fn: (d: Driver) => Promise<T>): Promise<T>;
  /** Locks the schema for migration (advisory lock in PostgreSQL, the write lock in SQLite). */
  lockSchema(d: Driver): Promise<void>;
  /** "FOR UPDATE SKIP LOCKED" where the database has it. */
  readonly skipLocked: string;
  readonly blob: string;
  close(): Promise<void>;
}

const MIGRATIONS: ((blob: string) => string[])[] = [
  (blob) => [
    `CREATE TABLE IF NOT EXISTS messages (
      message_id TEXT PRIMARY KEY,
      list TEXT NOT NULL,
      kind TEXT NOT NULL,
      state TEXT NOT NULL,
      reason TEXT,
      subject TEXT NOT NULL,
      sender TEXT,
      series_key TEXT,
      thread_root TEXT,
      number INTEGER,
      raw ${blob},
      received_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS messages_series ON messages (series_key)`,
    `CREATE TABLE IF NOT EXISTS series (
      series_key TEXT PRIMARY KEY,
      list TEXT NOT NULL,
      thread_root TEXT NOT NULL,
      total INTEGER NOT NULL,
      first_seen BIGINT NOT NULL,
      not_before BIGINT NOT NULL,
      state TEXT NOT NULL,
      note TEXT,
      claimed_by TEXT,
      claim_until BIGINT)`,
    `CREATE INDEX IF NOT EXISTS series_open ON series (state, first_seen)`,
    `CREATE TABLE IF NOT EXISTS replies (
      reply_id TEXT PRIMARY KEY,
      message_id TEXT NOT NULL,
      series_key TEXT NOT NULL,
      list TEXT NOT NULL,
      thread_root TEXT NOT NULL,
      mode TEXT NOT NULL,
      state TEXT NOT NULL,
      expect_echo INTEGER NOT NULL,
      findings INTEGER NOT NULL,
      eml ${blob} NOT NULL,
      envelope_from TEXT NOT NULL,
      envelope_to TEXT NOT NULL,
      attempts INTEGER NOT NULL,
      next_attempt_at BIGINT NOT NULL,
      last_error TEXT,
      created_at BIGINT NOT NULL,
      sent_at BIGINT,
      confirmed_at BIGINT,
      claimed_by TEXT,
      claim_until BIGINT)`,
    `CREATE INDEX IF NOT EXISTS replies_due ON replies (state, next_attempt_at)`,
    `CREATE INDEX IF NOT EXISTS replies_thread ON replies (thread_root)`,
    `CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  ],
];

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const buf = (v: unknown): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array));

function replyFromRow(r: Row): ReplyRecord {
  return {
    replyId: String(r.reply_id),
    messageId: String(r.message_id),
    seriesKey: String(r.series_key),
    list: String(r.list),
    threadRoot: String(r.thread_root),
    mode: r.mode as ReplyRecord['mode'],
    state: r.state as ReplyState,
    expectEcho: num(r.expect_echo) === 1,
    findings: num(r.findings),
    eml: buf(r.eml),
    envelopeFrom: String(r.envelope_from),
    envelopeTo: JSON.parse(String(r.envelope_to)) as string[],
    attempts: num(r.attempts),
    nextAttemptAt: num(r.next_attempt_at),
    lastError: (r.last_error as string | null) ?? null,
    createdAt: num(r.created_at),
  };
}

export class SqlStore implements Store {
  constructor(private readonly db: Database) {}

  get kind(): 'sqlite' | 'postgres' {
    return this.db.kind;
  }

  async migrate(): Promise<void> {
    await this.db.tx(async (d) => {
      await this.db.lockSchema(d);
      await d.run('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
      const rows = await d.all('SELECT MAX(version) AS v FROM schema_version');
      const current = numOrNull(rows[0]?.v) ?? 0;
      for (let v = current; v < MIGRATIONS.length; v++) {
        for (const statement of MIGRATIONS[v]!(this.db.blob)) await d.run(statement);
        await d.run('INSERT INTO schema_version (version) VALUES (?)', [v + 1]);
      }
    });
  }

  close(): Promise<void> {
    return this.db.close();
  }

  async releaseClaims(isGone: (owner: string) => boolean): Promise<number> {
    const owners = await this.db.all(
      'SELECT claimed_by FROM series WHERE claimed_by IS NOT NULL UNION SELECT claimed_by FROM replies WHERE claimed_by IS NOT NULL',
    );
    let released = 0;
    for (const r of owners) {
      const owner = String(r.claimed_by);
      if (!isGone(owner)) continue;
      released += await this.db.run('UPDATE series SET claimed_by = NULL, claim_until = NULL WHERE claimed_by = ?', [owner]);
      released += await this.db.run('UPDATE replies SET claimed_by = NULL, claim_until = NULL WHERE claimed_by = ?', [owner]);
    }
    return released;
  }

  async recordMessage(m: MessageRecord, series: SeriesRecord | null): Promise<boolean> {
    return this.db.tx(async (d) => {
      const inserted = await d.run(
        `INSERT INTO messages (message_id, list, kind, state, reason, subject, sender, series_key, thread_root, number, raw, received_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
        [m.messageId, m.list, m.kind, m.state, m.reason, m.subject, m.sender, m.seriesKey, m.threadRoot, m.number, m.raw, m.receivedAt, m.receivedAt],
      );
      if (inserted === 0) return false;
      if (series) {
        await d.run(
          `INSERT INTO series (series_key, list, thread_root, total, first_seen, not_before, state)
           VALUES (?, ?, ?, ?, ?, ?, 'open') ON CONFLICT (series_key) DO NOTHING`,
          [series.seriesKey, series.list, series.threadRoot, series.total, series.firstSeen, series.notBefore],
        );
      }
      return true;
    });
  }

  async isKnown(messageId: string): Promise<boolean> {
    return (await this.db.all('SELECT 1 AS x FROM messages WHERE message_id = ?', [messageId])).length > 0;
  }

  async confirmReply(replyId: string, now: number): Promise<boolean> {
    const n = await this.db.run(
      `UPDATE replies SET state = 'confirmed', confirmed_at = ?, last_error = NULL, claimed_by = NULL, claim_until = NULL
       WHERE reply_id = ? AND state IN ('sending', 'sent', 'failed')`,
      [now, replyId],
    );
    return n > 0;
  }

  async claimSeries(owner: string, now: number, graceMs: number, leaseMs: number): Promise<ClaimedSeries | null> {
    return this.db.tx(async (d) => {
      const rows = await d.all(
        `SELECT s.series_key, s.list, s.thread_root, s.total, s.first_seen, s.not_before FROM series s
         WHERE s.state = 'open' AND s.not_before <= ? AND (s.claimed_by IS NULL OR s.claim_until < ?)
           AND (s.first_seen + ? <= ? OR s.total <= (SELECT COUNT(DISTINCT m.number) FROM messages m
                WHERE m.series_key = s.series_key AND m.kind = 'patch'))
         ORDER BY s.first_seen, s.series_key LIMIT 1 ${this.db.skipLocked}`,
        [now, now, graceMs, now],
      );
      const s = rows[0];
      if (!s) return null;
      await d.run('UPDATE series SET claimed_by = ?, claim_until = ? WHERE series_key = ?', [owner, now + leaseMs, s.series_key]);
      const patches = await d.all(
        `SELECT message_id, number, raw, subject FROM messages WHERE series_key = ? AND kind = 'patch' AND state IN ('received', 'waiting')
         ORDER BY number, received_at, message_id`,
        [s.series_key],
      );
      return {
        seriesKey: String(s.series_key),
        list: String(s.list),
        threadRoot: String(s.thread_root),
        total: num(s.total),
        firstSeen: num(s.first_seen),
        notBefore: num(s.not_before),
        patches: patches.map((p) => ({ messageId: String(p.message_id), number: num(p.number), raw: buf(p.raw), subject: String(p.subject) })),
      };
    });
  }

  async finishSeries(seriesKey: string, owner: string, outcome: SeriesOutcome): Promise<boolean> {
    return this.db.tx(async (d) => {
      const done = await d.run(
        `UPDATE series SET state = 'done', claimed_by = NULL, claim_until = NULL WHERE series_key = ? AND claimed_by = ? AND state = 'open'`,
        [seriesKey, owner],
      );
      if (done === 0) return false; // our claim was taken over: the other instance finishes it
      const now = outcome.replies[0]?.createdAt ?? Date.now();
      for (const m of outcome.messages) {
        await d.run('UPDATE messages SET state = ?, reason = ?, raw = NULL, updated_at = ? WHERE message_id = ?', [m.state, m.reason, now, m.messageId]);
      }
      for (const r of outcome.replies) {
        // A reply already seen on the list (state lost, or sent by another instance) is confirmed, never sent again.
        const seen = (await d.all('SELECT 1 AS x FROM messages WHERE message_id = ?', [r.replyId])).length > 0;
        await d.run(
          `INSERT INTO replies (reply_id, message_id, series_key, list, thread_root, mode, state, expect_echo, findings, eml,
             envelope_from, envelope_to, attempts, next_attempt_at, last_error, created_at, confirmed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (reply_id) DO NOTHING`,
          [
            r.replyId, r.messageId, r.seriesKey, r.list, r.threadRoot, r.mode, seen ? 'confirmed' : r.state, r.expectEcho ? 1 : 0,
            r.findings, r.eml, r.envelopeFrom, JSON.stringify(r.envelopeTo), r.attempts, r.nextAttemptAt, r.lastError, r.createdAt,
            seen ? r.createdAt : null,
          ],
        );
      }
      return true;
    });
  }

  async deferSeries(seriesKey: string, owner: string, notBefore: number, note: string): Promise<void> {
    await this.db.run('UPDATE series SET not_before = ?, note = ?, claimed_by = NULL, claim_until = NULL WHERE series_key = ? AND claimed_by = ?', [
      notBefore,
      note,
      seriesKey,
      owner,
    ]);
  }

  async claimReply(owner: string, now: number, leaseMs: number): Promise<ReplyRecord | null> {
    return this.db.tx(async (d) => {
      const rows = await d.all(
        `SELECT * FROM replies WHERE state IN ('sending', 'sent') AND next_attempt_at <= ? AND (claimed_by IS NULL OR claim_until < ?)
         ORDER BY next_attempt_at, reply_id LIMIT 1 ${this.db.skipLocked}`,
        [now, now],
      );
      const r = rows[0];
      if (!r) return null;
      // The attempt is counted before the send: a crash mid-send still counts, and the resend reuses the bytes.
      await d.run(`UPDATE replies SET state = 'sending', claimed_by = ?, claim_until = ?, attempts = attempts + 1 WHERE reply_id = ?`, [
        owner,
        now + leaseMs,
        r.reply_id,
      ]);
      const claimed = replyFromRow(r);
      return { ...claimed, attempts: claimed.attempts + 1 };
    });
  }

  async updateReply(replyId: string, owner: string, change: { state: ReplyState; attempts?: number; nextAttemptAt?: number; lastError?: string | null; at: number }): Promise<void> {
    const sets = ['state = ?', 'claimed_by = NULL', 'claim_until = NULL'];
    const params: unknown[] = [change.state];
    const set = (column: string, value: unknown): void => {
      sets.push(`${column} = ?`);
      params.push(value);
    };
    if (change.attempts !== undefined) set('attempts', change.attempts);
    if (change.nextAttemptAt !== undefined) set('next_attempt_at', change.nextAttemptAt);
    if (change.lastError !== undefined) set('last_error', change.lastError);
    if (change.state === 'sent' || change.state === 'written') set('sent_at', change.at);
    // Only the claim holder writes, and never over a confirmation that arrived meanwhile.
    await this.db.run(`UPDATE replies SET ${sets.join(', ')} WHERE reply_id = ? AND claimed_by = ? AND state <> 'confirmed'`, [...params, replyId, owner]);
  }

  async countReplies(list: string, since: number): Promise<number> {
    const rows = await this.db.all('SELECT COUNT(*) AS n FROM replies WHERE list = ? AND created_at >= ?', [list, since]);
    return num(rows[0]?.n ?? 0);
  }

  async countThreadRounds(threadRoot: string): Promise<number> {
    const rows = await this.db.all('SELECT COUNT(DISTINCT series_key) AS n FROM replies WHERE thread_root = ?', [threadRoot]);
    return num(rows[0]?.n ?? 0);
  }

  async status(): Promise<StatusRow[]> {
    const messages = await this.db.all(
      `SELECT list, state, CASE WHEN state = 'skipped' THEN reason ELSE NULL END AS reason, COUNT(*) AS n FROM messages
       GROUP BY list, state, CASE WHEN state = 'skipped' THEN reason ELSE NULL END ORDER BY list, state, reason`,
    );
    const replies = await this.db.all('SELECT list, state, COUNT(*) AS n FROM replies GROUP BY list, state ORDER BY list, state');
    return [
      ...messages.map((r) => ({ list: String(r.list), what: 'message' as const, state: String(r.state), reason: (r.reason as string | null) ?? null, count: num(r.n) })),
      ...replies.map((r) => ({ list: String(r.list), what: 'reply' as const, state: String(r.state), reason: null, count: num(r.n) })),
    ];
  }

  async failures(limit: number): Promise<{ replyId: string; messageId: string; list: string; attempts: number; lastError: string | null }[]> {
    const rows = await this.db.all(
      `SELECT reply_id, message_id, list, attempts, last_error FROM replies WHERE state = 'failed' OR last_error IS NOT NULL
       ORDER BY created_at DESC, reply_id LIMIT ?`,
      [limit],
    );
    return rows.map((r) => ({ replyId: String(r.reply_id), messageId: String(r.message_id), list: String(r.list), attempts: num(r.attempts), lastError: (r.last_error as string | null) ?? null }));
  }

  async getCursor(name: string): Promise<string | null> {
    const rows = await this.db.all('SELECT value FROM cursors WHERE name = ?', [name]);
    return rows[0] ? String(rows[0].value) : null;
  }

  async setCursor(name: string, value: string): Promise<void> {
    await this.db.run('INSERT INTO cursors (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value', [name, value]);
  }
}
