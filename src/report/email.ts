// The list reply: a pure function from a review (and the patch it quotes) to the text a careful
// maintainer would send. Prose is wrapped at 72 columns, code and quoted hunks never are.
import type { Patch, Hunk, HunkLine } from '../patch/types.ts';
import { SEVERITY_RANK, type Finding, type Review, type Severity } from '../review/types.ts';

export interface EmailOriginal {
  subject: string;
  /** Display name (or address) of the author, for the attribution line. */
  author: string;
  date: string;
  messageId: string;
  references: string[];
}

export interface EmailReplyOptions {
  minSeverity: Severity;
  /** Report inconclusive findings too, marked as not proven. */
  inconclusive: boolean;
  /** Write a short reply when nothing is found (otherwise null is returned). */
  replyWhenClean: boolean;
  /** "patch-review bot <bot@example.org>": the Reported-by: trailer. */
  reporter: string;
  /** The reply's own archive URL, for the Closes: trailer (none without an archive). */
  closesUrl: string | null;
  operator: string | null;
  optOut: string | null;
  toolVersion: string;
}

export interface EmailReplyInput {
  review: Review;
  /** The parsed patches of the review's input, in the same order (their hunks are quoted). */
  patches: Patch[];
  /** Index of the patch this reply answers (Finding.patch). */
  patchIndex: number;
  original: EmailOriginal;
  options: EmailReplyOptions;
}

export interface EmailReply {
  subject: string;
  inReplyTo: string;
  references: string[];
  text: string;
  /** The findings the reply carries. */
  findings: Finding[];
}

export const WRAP = 72;
/** Hunk lines quoted above a finding, the flagged line included. */
const QUOTE_LINES = 4;

/** Words of prose; code in backticks stays one word (code is never wrapped). */
function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/`[^`]*`\S*|[^\s`]+(?:`[^`]*`\S*)?|`/g)) out.push(m[0].replace(/\s+/g, ' '));
  return out;
}

/** Greedy word wrap of one paragraph; a word longer than the width keeps its own line. */
export function wrapParagraph(text: string, width = WRAP, prefix = ''): string[] {
  const words_ = words(text);
  const lines: string[] = [];
  let line = '';
  for (const word of words_) {
    if (line && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(prefix + line);
  return lines;
}

function prose(text: string): string[] {
  return text.split(/\n\s*\n/).flatMap((p, i) => [...(i > 0 ? [''] : []), ...wrapParagraph(p)]);
}

export function replySubject(subject: string): string {
  const s = subject.replace(/\s+/g, ' ').trim();
  return /^re:/i.test(s) ? s : `Re: ${s}`;
}

function selected(review: Review, patchIndex: number, options: EmailReplyOptions): Finding[] {
  const min = SEVERITY_RANK[options.minSeverity];
  return review.findings.filter(
    (f) =>
      f.patch === patchIndex &&
      SEVERITY_RANK[f.severity] >= min &&
      (f.verdict === 'verified' || (options.inconclusive && f.verdict === 'inconclusive')),
  );
}

function marker(l: HunkLine): string {
  return l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' ';
}

interface Place {
  fileIndex: number;
  hunkIndex: number;
  lineIndex: number;
}

function locate(patch: Patch | undefined, f: Finding): Place | null {
  if (!patch) return null;
  for (let fi = 0; fi < patch.files.length; fi++) {
    const file = patch.files[fi]!;
    if ((file.newPath ?? file.oldPath) !== f.file) continue;
    for (let hi = 0; hi < file.hunks.length; hi++) {
      const li = file.hunks[hi]!.lines.findIndex((l) => l.kind !== 'del' && l.newLine === f.line);
      if (li >= 0) return { fileIndex: fi, hunkIndex: hi, lineIndex: li };
    }
  }
  return null;
}

function hunkHeader(h: Hunk): string {
  return `@@ -${h.oldStart},${h.oldCount} +${h.newStart},${h.newCount} @@${h.section ? ` ${h.section}` : ''}`;
}

function quoteLines(lines: string[]): string[] {
  return lines.map((l) => `> ${l}`.trimEnd());
}

function renderComment(f: Finding): string[] {
  const out: string[] = [];
  const proven = f.verdict === 'verified';
  if (!proven) out.push('Not proven, so take this as a question:', '');
  out.push(...prose(f.message));
  if (f.evidence.story) out.push('', ...prose(`${proven ? 'Simulated' : 'Possible path'}: ${f.evidence.story.replace(/\.?\s*$/, '.')}`));
  if (!proven && f.evidence.assumptions.length > 0) out.push('', ...prose(`It depends on what the patch does not show: ${f.evidence.assumptions.join('; ')}.`));
  if (f.fix && f.fix.replacements.length > 0) {
    out.push('', ...prose(`Suggested (${f.fix.description}; checked to behave the same on every path):`), '');
    // The file's own indentation is kept so the snippet can be pasted; flush-left code is indented to stand apart.
    const indent = Math.min(...f.fix.replacements.flatMap((r) => r.text.split('\n').filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length)));
    const pad = indent > 0 ? '' : '    ';
    f.fix.replacements.forEach((r, i) => {
      if (i > 0) out.push(`${pad}[...]`);
      out.push(...r.text.split('\n').map((l) => (l.trim() === '' ? '' : `${pad}${l}`.trimEnd())));
    });
  }
  const s = f.source;
  if (s.reviewer && s.quote) {
    const where = [s.list, s.date].filter(Boolean).join(', ');
    out.push('', ...prose(`This check comes from ${s.reviewer}'s review${where ? ` (${where})` : ''}: "${s.quote.trim()}"`));
  }
  return out;
}

/**
 * The reply to one patch, or null when policy filters every finding away and no clean reply is
 * wanted. Findings are commented in patch order under the hunk lines they concern.
 */
export function renderEmailReply(input: EmailReplyInput): EmailReply | null {
  const { review, patches, patchIndex, original, options } = input;
  const patch = patches[patchIndex];
  const findings = selected(review, patchIndex, options);
  if (findings.length === 0 && !options.replyWhenClean) return null;
  const located = findings.map((f) => ({ f, at: locate(patch, f) }));
  located.sort((a, b) => {
    if (a.at && b.at) return a.at.fileIndex - b.at.fileIndex || a.at.hunkIndex - b.at.hunkIndex || a.at.lineIndex - b.at.lineIndex;
    if (a.at || b.at) return a.at ? -1 : 1;
    return a.f.file.localeCompare(b.f.file) || a.f.line - b.f.line;
  });

  const out: string[] = [`On ${original.date || 'an earlier message'}, ${original.author || 'the author'} wrote:`];
  if (findings.length === 0) {
    out.push(`> ${original.subject}`, '');
    out.push(...prose('I simulated the functions this patch changes and found nothing to report under the rules I know.'));
  }
  let previous: Place | null = null;
  for (const { f, at } of located) {
    const block: string[] = [];
    if (at && patch) {
      const file = patch.files[at.fileIndex]!;
      const hunk = file.hunks[at.hunkIndex]!;
      if (!previous || previous.fileIndex !== at.fileIndex) {
        block.push(`--- ${file.oldPath ? `a/${file.oldPath}` : '/dev/null'}`, `+++ ${file.newPath ? `b/${file.newPath}` : '/dev/null'}`);
      }
      const sameHunk = previous && previous.fileIndex === at.fileIndex && previous.hunkIndex === at.hunkIndex;
      let from = Math.max(0, at.lineIndex - (QUOTE_LINES - 1));
      if (sameHunk) from = Math.max(from, previous!.lineIndex + 1);
      if (!sameHunk) block.push(hunkHeader(hunk));
      if (from > (sameHunk ? previous!.lineIndex + 1 : 0)) block.push('[...]');
      for (const l of hunk.lines.slice(from, at.lineIndex + 1)) block.push(`${marker(l)}${l.text}`);
      previous = at;
    } else {
      block.push(`[...]`, `+${f.snippet}`);
      previous = null;
    }
    // A second finding on the same line adds its comment under the first, without quoting again.
    if (block.length > 0) out.push(...quoteLines(block), '');
    out.push(...renderComment(f), '');
  }
  if (located.length > 0) out.push('> [...]', '');
  else out.push('');

  if (findings.length > 0) {
    out.push(...prose('If you fix this in a follow-up commit rather than a new version of this patch, please add:'), '');
    out.push(`Reported-by: ${options.reporter}`);
    if (options.closesUrl) out.push(`Closes: ${options.closesUrl}`);
    out.push('');
  }
  out.push('-- ');
  const footer = [
    `This reply was sent by patch-review ${options.toolVersion}, which reviews C patches and reports only what it checked by simulating the code.`,
    ...(options.operator ? [`It is run by ${options.operator}; write there with questions or false positives.`] : []),
    ...(options.optOut ? [`To stop these replies: ${options.optOut}`] : []),
  ].join(' ');
  out.push(...prose(footer));

  const references = [...original.references.filter((r) => r !== original.messageId), original.messageId].slice(-20);
  return {
    subject: replySubject(original.subject),
    inReplyTo: original.messageId,
    references,
    text: `${out.join('\n')}\n`,
    findings: located.map((x) => x.f),
  };
}
