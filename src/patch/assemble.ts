// Turns the messages of an input into patches, and decides what kind of input it was.

import { foldWarnings } from './fold-warnings.ts';
import type { InputKind, Patch, PatchMeta, PatchSet, Warning } from './types.ts';
import { NoPatchError } from './types.ts';
import type { SourceLine } from './source-lines.ts';
import { isMailHeaders, messageIds, readMailHeaders, type MailHeaders } from './mail-header.ts';
import { parseDiffBody } from './diff-body-parser.ts';
import { readCommitMessage } from './commit-message.ts';
import { cleanSubject, subjectMeta } from './subject.ts';
import { findFlattenedLine, recoverFlattened } from './flattened.ts';

export interface Message {
  lines: SourceLine[];
  /** True when postal-mime decoded this message. */
  decoded?: boolean;
}

interface MessageResult {
  patches: Patch[];
  headers: MailHeaders;
  quoted: boolean;
  flattened: boolean;
}

export function assemble(messages: Message[], warnings: Warning[]): PatchSet {
  const results = messages.map((m) => readMessage(m.lines));
  const patches = results.flatMap((r) => r.patches);
  if (patches.length === 0) throw noPatch(messages);
  const withDiffs = results.filter((r) => r.patches.length > 0);
  let kind: InputKind;
  if (withDiffs.length > 1) kind = 'mbox-series';
  else if (messages.some((m) => m.decoded)) kind = 'mime';
  else if (results.some((r) => r.quoted)) kind = 'quoted-reply';
  else if (results.some((r) => r.flattened || (r.patches[0]?.meta.commit && !isMailHeaders(r.headers)))) kind = 'commit-mail';
  else if (results.some((r) => isMailHeaders(r.headers))) kind = 'format-patch';
  else kind = 'unified-diff';
  return { kind, patches, warnings };
}

function readMessage(lines: SourceLine[]): MessageResult {
  const headers = readMailHeaders(lines);
  const body = lines.slice(headers.bodyStart);
  const headerMeta = metaFromHeaders(headers, lines);
  const flatAt = findFlattenedLine(body);
  if (flatAt >= 0) {
    const flat = recoverFlattened(body[flatAt]!, body.slice(Math.max(0, flatAt - 5), flatAt).map((l) => l.text).join(' '));
    const meta: PatchMeta = { ...headerMeta, ...flat.meta };
    if (headerMeta.subject && !flat.meta.subject) meta.subject = headerMeta.subject;
    Object.assign(meta, subjectMeta(meta.subject ?? ''));
    if (!meta.subject) delete meta.subject;
    return {
      patches: flat.files.length > 0 ? [makePatch(meta, flat.files, [], flat.warnings)] : [],
      headers,
      quoted: false,
      flattened: true,
    };
  }
  const groups = parseDiffBody(body);
  const patches: Patch[] = groups.map((g, gi) => {
    const fromPreamble = readCommitMessage(g.preamble, g.depth, g.warnings);
    // The mail's own headers describe the patch only when the patch is not a quote.
    const meta: PatchMeta = g.depth === 0 || gi === 0 ? { ...headerMeta } : {};
    if (g.depth > 0) {
      delete meta.author;
      delete meta.date;
    }
    for (const [k, v] of Object.entries(fromPreamble)) {
      if (v !== undefined && (meta as Record<string, unknown>)[k] === undefined) (meta as Record<string, unknown>)[k] = v;
    }
    if (meta.subject) Object.assign(meta, subjectMeta(cleanSubject(meta.subject)));
    return makePatch(meta, g.files, g.comments, g.warnings);
  });
  if (patches.length === 0 && headerMeta.number === 0) {
    patches.push(makePatch(headerMeta, [], [], []));
  }
  if (patches.length === 0 && headerMeta.subject && /\b0+\/\d+\]/.test(headerMeta.subject)) {
    patches.push(makePatch({ ...headerMeta, ...readCommitMessage(body, 0, []) }, [], [], []));
  }
  return { patches, headers, quoted: groups.some((g) => g.depth > 0 || g.comments.length > 0), flattened: false };
}

function makePatch(meta: PatchMeta, files: Patch['files'], comments: Patch['comments'], warnings: Warning[]): Patch {
  const isCoverLetter = meta.number === 0;
  if (isCoverLetter) warnings.push({ code: 'cover-letter', message: 'cover letter (0/N): modelled, not reviewed' });
  return { meta, files, comments, warnings: foldWarnings(warnings), isCoverLetter };
}

function metaFromHeaders(h: MailHeaders, lines: SourceLine[]): PatchMeta {
  const f = h.fields;
  const meta: PatchMeta = {};
  let subject = f.get('subject');
  // Archive pages carry the subject in their title line instead of a header.
  if (!subject) subject = lines.slice(0, 12).find((l) => /\[(?:[^\]]{0,40}\b)?(?:PATCH|RFC)\b/i.test(l.text.slice(0, 2000)))?.text;
  if (subject) Object.assign(meta, subjectMeta(cleanSubject(subject)));
  if (f.get('from')) meta.author = f.get('from');
  if (f.get('date')) meta.date = f.get('date');
  const id = messageIds(f.get('message-id'))[0];
  if (id) meta.messageId = id;
  const reply = messageIds(f.get('in-reply-to'))[0];
  if (reply) meta.inReplyTo = reply;
  const refs = messageIds(f.get('references'));
  if (refs.length > 0) meta.references = refs;
  const sha = h.envelope ? /^From ([0-9a-f]{40}) /.exec(h.envelope) : null;
  if (sha) meta.commit = sha[1];
  return meta;
}

function noPatch(messages: Message[]): NoPatchError {
  const lines = messages.flatMap((m) => m.lines);
  const headers = readMailHeaders(lines);
  if (isMailHeaders(headers)) return new NoPatchError('the input is an email with no diff in it', 'an email with no diff');
  return new NoPatchError('the input holds no diff: no file header and no hunk was found', 'plain prose');
}
