// What a list message is to the bot: a patch (or a series member) to review, a cover letter that
// anchors a series, the bot's own reply coming back, or something it skips, with the reason.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { ListMessage } from './message.ts';
import { matchesSender, type BotConfig, type ListPolicy } from './policy.ts';

export type Classification =
  | { kind: 'patch' | 'cover'; number: number; total: number; version: number; seriesKey: string; threadRoot: string }
  | { kind: 'own'; replyId: string }
  | { kind: 'skipped'; reason: string };

const PATCH_TAG = /\[([^\]]{0,120}\b(?:PATCH|RFC)\b[^\]]{0,120})\]/i;
/** Words of a patch tag that say nothing about the project. */
const NEUTRAL = /^(patch|rfc|resend|v\d+|\d+\/\d+|\d+|repost|draft|for-.*|next|stable|fixup|wip)$/i;

export function replyIdFor(patchMessageId: string, domain: string): string {
  const hash = createHash('sha256').update(patchMessageId).digest('hex').slice(0, 24);
  return `<pr-${hash}@${domain}>`;
}

export function isOwnReplyId(messageId: string, domain: string): boolean {
  return messageId.startsWith('<pr-') && messageId.toLowerCase().endsWith(`@${domain.toLowerCase()}>`);
}

interface DiffShape {
  /** Diff lines outside quotes. */
  hasDiff: boolean;
  /** Diff lines inside "> " quotes (someone's review of a patch). */
  hasQuotedDiff: boolean;
  /** New (or old, for deletions) paths of the unquoted diff. */
  paths: { path: string; isNew: boolean }[];
}

export function diffShape(text: string): DiffShape {
  const lines = text.split(/\r?\n/);
  const shape: DiffShape = { hasDiff: false, hasQuotedDiff: false, paths: [] };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const quoted = /^\s*>/.test(line);
    const body = line.replace(/^(\s*>\s?)+/, '');
    if (/^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/.test(body) || /^diff --git /.test(body)) {
      if (quoted) shape.hasQuotedDiff = true;
      else shape.hasDiff = true;
    }
    if (!quoted && line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      const oldPath = line.slice(4).split('\t')[0]!.trim();
      const newPath = lines[i + 1]!.slice(4).split('\t')[0]!.trim();
      const isNew = oldPath === '/dev/null';
      const raw = newPath === '/dev/null' ? oldPath : newPath;
      shape.paths.push({ path: raw.replace(/^[ab]\//, ''), isNew });
    }
  }
  return shape;
}

function tagWords(subject: string): { tag: string | null; words: string[] } {
  const m = PATCH_TAG.exec(subject);
  if (!m) return { tag: null, words: [] };
  return { tag: m[1]!, words: m[1]!.split(/[\s,]+/).filter((w) => w && !NEUTRAL.test(w)) };
}

function numbers(tag: string | null): { number: number; total: number; version: number } {
  const n = tag ? /\b(\d{1,4})\/(\d{1,4})\b/.exec(tag) : null;
  const v = tag ? /\bv(\d{1,4})\b/i.exec(tag) : null;
  return { number: n ? Number(n[1]) : 1, total: n ? Math.max(1, Number(n[2])) : 1, version: v ? Number(v[1]) : 1 };
}

export function classify(msg: ListMessage, config: BotConfig, list: ListPolicy): Classification {
  const domain = config.bot.messageIdDomain;
  if (isOwnReplyId(msg.messageId, domain)) return { kind: 'own', replyId: msg.messageId };
  const sender = msg.from?.address ?? '';
  if (sender === config.bot.address.toLowerCase()) return { kind: 'skipped', reason: 'sent by this bot' };
  if (msg.autoSubmitted && msg.autoSubmitted !== 'no') return { kind: 'skipped', reason: `sent by a bot (Auto-Submitted: ${msg.autoSubmitted})` };
  if (sender && matchesSender(config.bot.ignore, sender)) return { kind: 'skipped', reason: `sender ${sender} is on the ignore list` };
  if (/^\s*(re|aw|sv|fwd?)\s*:/i.test(msg.subject)) {
    const shape = diffShape(msg.text);
    return { kind: 'skipped', reason: shape.hasQuotedDiff ? 'a review quoting a patch (reply)' : 'a reply' };
  }
  const { tag, words } = tagWords(msg.subject);
  const { number, total, version } = numbers(tag);
  if (tag && list.project.tags.length > 0) {
    const foreign = words.filter((w) => !list.project.tags.includes(w.toLowerCase()));
    if (foreign.length > 0) return { kind: 'skipped', reason: `another project's patch (subject tag ${foreign.join(' ')})` };
  }
  const threadRoot = msg.references[0] ?? msg.inReplyTo ?? msg.messageId;
  const seriesKey = total > 1 ? `v${version} ${total}:${threadRoot}` : msg.messageId;
  if (tag && number === 0) return { kind: 'cover', number, total, version, seriesKey, threadRoot };
  const shape = diffShape(msg.text);
  if (!shape.hasDiff) {
    if (shape.hasQuotedDiff) return { kind: 'skipped', reason: 'a patch quoted inside someone\'s review' };
    return { kind: 'skipped', reason: tag ? 'patch mail without a diff' : 'not a patch' };
  }
  const cPaths = shape.paths.filter((p) => /\.[ch]$/i.test(p.path));
  if (shape.paths.length > 0 && cPaths.length === 0) {
    const shown = shape.paths.slice(0, 3).map((p) => p.path).join(', ');
    return { kind: 'skipped', reason: `no C in the patch (${shown}${shape.paths.length > 3 ? ', ...' : ''})` };
  }
  const tree = list.project.tree;
  if (tree && shape.paths.length > 0) {
    const touched = shape.paths.filter((p) => !p.isNew);
    if (touched.length > 0 && touched.every((p) => !existsSync(join(tree, p.path)))) {
      return { kind: 'skipped', reason: `another project's patch (${touched[0]!.path} is not in ${tree})` };
    }
  }
  return { kind: 'patch', number, total, version, seriesKey, threadRoot };
}
