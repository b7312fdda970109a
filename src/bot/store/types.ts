// The bot's state, one interface over SQLite (one instance) and PostgreSQL (several instances).

export type MessageKind = 'patch' | 'cover' | 'skipped' | 'own';
export type MessageState = 'received' | 'waiting' | 'skipped' | 'reviewed' | 'replied';
export type ReplyState = 'sending' | 'sent' | 'confirmed' | 'written' | 'failed';

export interface MessageRecord {
  messageId: string;
  list: string;
  kind: MessageKind;
  state: MessageState;
  reason: string | null;
  subject: string;
  sender: string | null;
  seriesKey: string | null;
  threadRoot: string | null;
  /** Position in the series (1-based; 0 for a cover letter). */
  number: number | null;
  /** Raw mail, kept for patches until their series is reviewed. */
  raw: Buffer | null;
  receivedAt: number;
}

export interface SeriesRecord {
  seriesKey: string;
  list: string;
  threadRoot: string;
  total: number;
  firstSeen: number;
  notBefore: number;
}

export interface ClaimedSeries extends SeriesRecord {
  patches: { messageId: string; number: number; raw: Buffer; subject: string }[];
}

export interface ReplyRecord {
  replyId: string;
  /** The patch message answered. */
  messageId: string;
  seriesKey: string;
  list: string;
  threadRoot: string;
  mode: 'send' | 'dry-run';
  state: ReplyState;
  /** True when the reply goes to the list, so it will come back and confirm delivery. */
  expectEcho: boolean;
  findings: number;
  eml: Buffer;
  envelopeFrom: string;
  envelopeTo: string[];
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
}

export interface SeriesOutcome {
  messages: { messageId: string; state: MessageState; reason: string | null }[];
  replies: ReplyRecord[];
}

export interface StatusRow {
  list: string;
  /** A message or reply state, with its reason for skipped messages and failed replies. */
  what: 'message' | 'reply';
  state: string;
  reason: string | null;
  count: number;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Creates or upgrades the schema; safe to run from several instances at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** Releases the claims of instances that are gone (crashed), so their work is taken up again. */
  releaseClaims(isGone: (owner: string) => boolean): Promise<number>;
  /** Records a message once; false when its Message-ID is already known. */
  recordMessage(m: MessageRecord, series: SeriesRecord | null): Promise<boolean>;
  isKnown(messageId: string): Promise<boolean>;
  /** The bot's own reply was seen on the list: delivery confirmed. */
  confirmReply(replyId: string, now: number): Promise<boolean>;
  /** Claims one series ready for review (complete, or past its grace period, and past its embargo). */
  claimSeries(owner: string, now: number, graceMs: number, leaseMs: number): Promise<ClaimedSeries | null>;
  finishSeries(seriesKey: string, owner: string, outcome: SeriesOutcome): Promise<boolean>;
  deferSeries(seriesKey: string, owner: string, notBefore: number, note: string): Promise<void>;
  /** Claims one reply due for delivery (new, interrupted, unconfirmed past its wait, or retrying). */
  claimReply(owner: string, now: number, leaseMs: number): Promise<ReplyRecord | null>;
  updateReply(replyId: string, owner: string, change: { state: ReplyState; attempts?: number; nextAttemptAt?: number; lastError?: string | null; at: number }): Promise<void>;
  /** Replies created for a list since a time (daily cap). */
  countReplies(list: string, since: number): Promise<number>;
  /** Series of a thread that got replies (per-thread cap). */
  countThreadRounds(threadRoot: string): Promise<number>;
  status(): Promise<StatusRow[]>;
  failures(limit: number): Promise<{ replyId: string; messageId: string; list: string; attempts: number; lastError: string | null }[]>;
  getCursor(name: string): Promise<string | null>;
  setCursor(name: string, value: string): Promise<void>;
}
