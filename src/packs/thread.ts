// Mining a review thread: the quoted patch (src/patch recovers it) and every (quoted lines, reviewer
// comment) pair, with its place, its author where the quoting shows it, and whether it asks for a change.
import { parsePatchInput, type Hunk, type Patch, type PatchSet } from '../patch/index.ts';
import { unquote } from '../patch/quote.ts';
import { splitSourceLines } from '../patch/source-lines.ts';

/** Why a comment does not ask for a change in the code. */
export type NotActionable = 'thanks' | 'ack' | 'sign-off' | 'approval' | 'process' | 'reply' | 'follow-up' | 'wrapped-line' | 'no-words';

export interface ThreadComment {
  /** 1-based number in the thread, the K of `rules new --comment K`. */
  index: number;
  /** Index of the patch in the input (a series or several quoted mails). */
  patch: number;
  text: string;
  /** 1-based lines of the raw input the comment spans. */
  startLine: number;
  endLine: number;
  /** The reviewer, when a From: header, an attribution line or a signature shows it. */
  author?: string;
  /** The quoted lines the comment answers; absent for a comment about the whole patch. */
  place?: {
    file: string;
    hunkIndex: number;
    /** Section header function (the finding's function wins when one matches). */
    function?: string;
    /** Post-image lines of the quoted span (first and last), and the line the comment follows. */
    firstLine: number;
    lastLine: number;
    line: number;
    /** The quoted lines as the reply shows them, with their diff markers. */
    quoted: string[];
  };
  /** Absent when the comment asks for something; otherwise why it is left out of the count. */
  notActionable?: { kind: NotActionable; reason: string };
}

export interface MinedThread {
  subject?: string;
  patches: PatchSet['patches'];
  comments: ThreadComment[];
  /** Input lines (1-based, inclusive) of the reply's own diffs: rewrites proposed in the discussion, not the patch. */
  proposals: { startLine: number; endLine: number; file: string }[];
  /**
   * Patch lines quoted again after such a diff (input lines startLine-endLine): the unseen rest of the hunk whose
   * last shown line is input line `after`.
   */
  requoted: { startLine: number; endLine: number; after: number }[];
}

type Requoted = MinedThread['requoted'][number];

const SIGN_OFF = /^(thanks|thank you|thx|cheers|regards|best regards|br|kind regards)[,.!]*$/i;
const FOOTER = /^(_{5,}|-- ?$)/;

/** The first identifier followed by "(" in a hunk's section header: the enclosing function. */
export function sectionFunction(section: string): string | undefined {
  const m = /([A-Za-z_]\w*)\s*\([^()]*(\)|,|$)/.exec(section);
  return m && !/^(if|for|while|switch|return|sizeof)$/.test(m[1]!) ? m[1] : undefined;
}

/** The comment's text without a trailing sign-off ("Thanks\nKevin") and list footer. */
function withoutSignOff(lines: string[]): { body: string[]; signature?: string } {
  const body = [...lines];
  const footer = body.findIndex((l) => FOOTER.test(l.trim()));
  if (footer >= 0) body.length = footer;
  while (body.length > 0 && !body.at(-1)!.trim()) body.pop();
  let signature: string | undefined;
  for (let n = 1; n <= 2 && body.length > n; n++) {
    const head = body[body.length - n - 1]!.trim();
    const tail = body.slice(body.length - n).map((l) => l.trim());
    if (SIGN_OFF.test(head) && tail.every((l) => /^[A-Z][\w.'-]*( [A-Z][\w.'-]*){0,3}$/.test(l))) {
      signature = tail.join(' ');
      body.length -= n + 1;
      break;
    }
  }
  if (!signature && body.length > 0 && SIGN_OFF.test(body.at(-1)!.trim()) && body.length > 1) body.pop();
  return { body, ...(signature ? { signature } : {}) };
}

/** Words that ask the other side for a change in the code (or call something wrong). */
const REQUEST = new RegExp(
  "\\b(you|your)\\b[^.?!]*\\b(should|must|need|have to|better|want to)\\b|\\bplease\\b|\\bwhy\\b|" +
    "\\b(wrong|broken|bugs?|missing|leaks?|leaking|races?|racy|overflows?|deadlocks?|crash(es)?|incorrect|unsafe|uninitiali[sz]ed|fails?|error|" +
    "instead|don'?t|do not|can'?t|cannot|shouldn'?t|must)\\b",
  'i',
);
/** "I think it is fine. But you'd better wait for other people to voice their opinions.": approval, then process. */
function approvalThenWait(t: string): boolean {
  const m = /^(i think )?(it|this|that)('s| is| looks| seems) (fine|good|ok|okay|correct|right)( to me)?\.\s+/i.exec(t);
  if (!m) return false;
  const rest = t.slice(m[0].length);
  return /\bwait\b/i.test(rest) && /\b(other (people|reviewers|maintainers|folks)|others|opinions?)\b/i.test(rest) &&
    !/\b(fix|change|bug|wrong|lock|free|leak|error|fail|check|return)\w*/i.test(rest) && !/[;{}=]/.test(rest);
}

/**
 * The patch author answering the reviewer, recognised by what only the side that changes the code says:
 * what they will change ("Anyway, I should change this line"), a question back about the reviewer's request
 * ("So how to implement your idea? Could you give me a show?", "Should I ...?"), asking whether their own
 * rewrite is acceptable ("Is this fine?" followed by the code), an apology opening an explanation with
 * nothing asked ("Sorry, I just see this ..."). None of it asks for a change; a second-person request or a
 * word calling something wrong keeps the comment actionable.
 */
export function authorReply(text: string): string | undefined {
  const t = text.trim();
  const first = t.split('\n')[0]!.trim();
  const rest = t.split('\n').slice(1).join('\n').trim();
  const asksChange = REQUEST.test(t);
  if (!asksChange && /\bI('ll| will| should| shall| am going to| can)\s+(just\s+|also\s+|then\s+)?(change|fix|update|rework|remove|drop|rename|move|correct|rewrite|convert|follow|redo)\b/i.test(t)) {
    return 'says what the writer will change, asks nothing';
  }
  if (/\byour\s+(idea|suggestion|proposal|point)\b[^.?]*\?|\b(could|can|would)\s+you\s+(give|show|tell)\s+me\b|\bdo\s+you\s+want\s+me\s+to\b/i.test(t) ||
    (/(^|[.!?]\s+)(so,?\s+)?(should|shall)\s+I\b[^.?]*\?/i.test(t) && !/\bwhy\b/i.test(t))) {
    return "the patch author's question back about the reviewer's request";
  }
  if (/^(so )?(is|does) (this|that|it) (look )?(fine|ok|okay|good|better|acceptable|right)( now| to you)?\s*\?$/i.test(first) && rest.length > 0 && /[;{}()=]/.test(rest)) {
    return "the patch author's rewrite, put to the reviewer";
  }
  if (/^(sorry|apologies)\b/i.test(first) && /\bI\b/.test(t) && !t.includes('?') && !/\bbut\b/i.test(t) && !asksChange) {
    return 'an apology and an explanation, asks nothing';
  }
  return undefined;
}

/** Does this comment ask for anything? Returns why not, or undefined when it does. */
export function classify(text: string, quotedBefore?: string): ThreadComment['notActionable'] {
  const t = text.trim();
  const oneLine = !t.includes('\n');
  if (!/[A-Za-z]{2,}/.test(t)) return { kind: 'no-words', reason: 'no words to act on' };
  if (/^(acked|reviewed|tested|signed-off|reported)-by:/im.test(t) && t.split('\n').every((l) => !l.trim() || /^[\w-]+-by:/i.test(l.trim()))) {
    return { kind: 'ack', reason: 'a tag (Acked-by, Reviewed-by, ...)' };
  }
  if (oneLine && SIGN_OFF.test(t)) return { kind: 'sign-off', reason: 'a sign-off' };
  if (/^(thanks|thank you|thx)\b/i.test(t) && t.length < 80 && !/\b(but|please|should|need|why)\b/i.test(t)) return { kind: 'thanks', reason: 'thanks' };
  if (/^(ack(ed)?|lgtm|looks (good|fine|ok))\b/i.test(t) && t.length < 80) return { kind: 'ack', reason: 'an ack' };
  if (oneLine && /\b(is|looks|seems) (correct|fine|good|ok|right)\b/i.test(t) && !/\b(not|but|why)\b/i.test(t)) {
    return { kind: 'approval', reason: 'approves the code as it is' };
  }
  if (/^(applied|pushed|queued|committed|ping)\b/i.test(t) && !/\bfix(ed)?\b/i.test(t)) return { kind: 'process', reason: 'about applying or merging, not the code' };
  if (/^(sorry|apologies) for (the |my )?(late|slow|delayed)\b[^.?!]*[.!]*$/i.test(t)) return { kind: 'process', reason: 'an apology for the delay' };
  if (/\b(branch|merge window|rebase|resend|overnight tests?)\b/i.test(t) && !/\b(should|must|need|wrong|error|fail)\b/i.test(t)) {
    return { kind: 'process', reason: 'a process question' };
  }
  if (/^(yes|ok(ay)?|sure|fixed|done|will do|agreed?|i'?ll (do|fix|change)|good point|fair enough|understood|makes sense|got it)\b/i.test(t) && t.length < 60 && !t.includes('?')) {
    return { kind: 'reply', reason: "the patch author's reply" };
  }
  const reply = authorReply(t);
  if (reply) return { kind: 'reply', reason: reply };
  if (approvalThenWait(t)) {
    return { kind: 'approval', reason: 'approves what it answers, the rest is about waiting for other reviewers' };
  }
  // A mailer's wrap of the quoted line before it: a fragment of code, not a sentence.
  const cut = quotedBefore !== undefined && !/[;{}),]\s*$|\*\/\s*$|^\s*$/.test(quotedBefore);
  const codeLike = /[;(){}"=&*<>[\]]/.test(t) || t.split(/\s+/).length <= 2;
  if (oneLine && codeLike && (cut || /^[\w&*>.\-[\]"'(),:%<>=\s]+[;,)({["]$/.test(t)) && !/[.?!]$/.test(t)) {
    return { kind: 'wrapped-line', reason: 'the rest of a quoted line the mailer wrapped' };
  }
  return undefined;
}

/** Attribution lines ("On <date>, Name wrote:", Outlook's "> From: Name") with their quote depth. */
function attributions(raw: string): { line: number; depth: number; name: string }[] {
  const out: { line: number; depth: number; name: string }[] = [];
  for (const l of splitSourceLines(raw)) {
    const { depth, body } = unquote(l.text);
    // "On <date>, at <time>, Name wrote:": the name follows the last comma of the date part.
    const wrote = /^(?:On .*,\s*)?(.+?)\s+wrote:\s*$/.exec(body.trim());
    const from = /^From:\s*(.+?)(?:\s*Date:.*|\s*Sent:.*)?$/.exec(body.trim());
    const m = wrote ?? from;
    if (!m) continue;
    const name = m[1]!.replace(/^on\s+\S+\s+\S+\s*/i, '').replace(/<[^>]*>/g, '').replace(/["']/g, '').trim();
    // An attribution at depth d names who wrote the text quoted at depth d+1; a From: at depth d, text at d.
    if (name) out.push({ line: l.line, depth: wrote ? depth + 1 : depth, name });
  }
  return out;
}

/** Who wrote text at this depth and line: the nearest attribution above it for that depth. */
function authorAt(attrs: ReturnType<typeof attributions>, depth: number, line: number, quoted: boolean): string | undefined {
  // Archive pages without quote markers cannot tell speakers apart: say nothing rather than guess.
  if (!quoted) return undefined;
  return attrs.filter((a) => a.depth === depth && a.line < line).at(-1)?.name;
}

function quotedSpan(hunk: Hunk, from: number, to: number): { lines: Hunk['lines'] } {
  return { lines: hunk.lines.slice(from, to + 1) };
}

/** The function whose definition the hunk shows above this line, if it shows one. */
function definedAbove(hunk: Hunk, index: number): string | undefined {
  for (let i = index; i >= 0; i--) {
    const l = hunk.lines[i]!;
    if (l.kind === 'del') continue;
    const m = /^[A-Za-z_][\w\s*]*?\b([A-Za-z_]\w*)\s*\([^;]*$/.exec(l.text);
    if (m && !/^(if|for|while|switch|return|else)\b/.test(l.text)) return m[1];
  }
  return undefined;
}

const marker = { add: '+', del: '-', context: ' ' } as const;

/** Mines a thread: the patch it quotes and every comment, placed, attributed and classified. */
export async function mineThread(input: string | Buffer): Promise<MinedThread> {
  const raw = typeof input === 'string' ? input : input.toString('utf8');
  const set = await parsePatchInput(raw);
  const attrs = attributions(raw);
  const rawLines = splitSourceLines(raw);
  const anyQuote = rawLines.some((l) => unquote(l.text).depth > 0);
  const comments: ThreadComment[] = [];
  const requoted: Requoted[] = [];
  let signature: string | undefined;
  set.patches.forEach((patch, pi) => {
    const placed = placedComments(patch, pi, rawLines, attrs, anyQuote, requoted);
    const general = generalComments(patch, pi, rawLines, attrs, anyQuote);
    for (const c of [...general, ...placed]) {
      const { body, signature: sig } = withoutSignOff(c.text.split('\n'));
      if (sig) signature = sig;
      comments.push({ ...c, text: body.join('\n').trim() });
    }
  });
  comments.sort((a, b) => a.startLine - b.startLine);
  comments.forEach((c, i) => {
    c.index = i + 1;
    // The reply's own text (depth 0) is the reviewer's: a signature names them when no header does.
    if (!c.author && signature && anyQuote && unquote(rawLines[c.startLine - 1]?.text ?? '').depth === 0) c.author = signature;
    if (!c.text.includes('\n') && /^@@ -\d+(,\d+)? \+\d+(,\d+)? @@.*[,(]\s*$/.test(rawLines[c.startLine - 2]?.text.trim() ?? '')) {
      c.notActionable ??= { kind: 'wrapped-line', reason: 'the rest of a hunk header the mailer wrapped' };
    }
    c.notActionable ??= classify(c.text, c.place?.quoted.at(-1)?.slice(1));
  });
  markFollowUps(comments);
  const proposals = set.patches.flatMap((patch) =>
    patch.files.filter((f) => proposal(patch, f, rawLines)).map((f) => ({ startLine: f.sourceLine, endLine: lastSource(f), file: pathOf(f) })));
  return { subject: set.patches[0]?.meta.subject, patches: set.patches, comments: comments.filter((c) => c.text), proposals, requoted };
}

/**
 * An exchange under the same quoted lines: once the patch author has asked back about a request ("So how to
 * implement your idea?"), what follows there until the quoted lines change is the exchange about that
 * request (the reviewer's explanation, the author's attempt), counted once, with the request. A comment
 * that raises something new ("Also, ...") stays a comment of its own.
 */
function markFollowUps(comments: ThreadComment[]): void {
  const key = (c: ThreadComment): string | undefined => c.place && `${c.patch}|${c.place.file}|${c.place.hunkIndex}|${c.place.line}`;
  let open: { key: string; request: number; question: number } | undefined;
  let request: { key: string; index: number } | undefined;
  for (const c of comments) {
    const k = key(c);
    if (!k) {
      open = undefined;
      continue;
    }
    if (request?.key !== k) request = undefined;
    if (open && open.key !== k) open = undefined;
    if (!c.notActionable) {
      if (open && !/\b(also|another|separately|unrelated|besides|in addition)\b/i.test(c.text)) {
        c.notActionable = { kind: 'follow-up', reason: `the exchange about comment #${open.request}'s request after the question back in #${open.question}, counted once, with #${open.request}` };
        continue;
      }
      open = undefined;
      request ??= { key: k, index: c.index };
    } else if (request && c.notActionable.kind === 'reply' && c.text.includes('?')) {
      open = { key: k, request: request.index, question: c.index };
    }
  }
}

const HEADER_LINE = /^(diff --git |@@ -|--- |\+\+\+ |index [0-9a-f]+\.\.)/;
const PROSE = /^[A-Z][a-z']*(\s+[A-Za-z'(),.?!:_-]+){2,}/;

/**
 * An archive page that lost its quote markers: the thread's paragraphs after a hunk's last line that the patch
 * parser set aside (it cannot tell the reply's prose from the rest of the page there). Paragraphs that read as
 * prose are taken as comments under that hunk's last line; code the reply quotes again is left out.
 */
function orphanComments(patch: Patch, raw: ReturnType<typeof splitSourceLines>): Patch['comments'] {
  const used = new Set<number>();
  for (const c of patch.comments) for (let l = c.startLine; l <= c.endLine; l++) used.add(l);
  const hunks = patch.files.flatMap((f) => f.hunks.map((h, hunkIndex) => ({ file: f.newPath ?? f.oldPath ?? '', h, hunkIndex })));
  for (const { h } of hunks) for (const l of h.lines) used.add(l.sourceLine);
  const out: Patch['comments'] = [];
  for (const { file, h, hunkIndex } of hunks) {
    const lastLine = h.lines.at(-1);
    if (!lastLine || unquote(raw[lastLine.sourceLine - 1]?.text ?? '').depth !== 0) continue;
    let para: { start: number; end: number; text: string[] } | undefined;
    const flush = (): void => {
      if (para && PROSE.test(para.text[0]!.trim()) && !/[;{}]\s*$/.test(para.text[0]!)) {
        out.push({ text: para.text.join('\n'), startLine: para.start, endLine: para.end, after: { file, hunkIndex, lineIndex: h.lines.length - 1, quoteDepth: 0 } });
      }
      para = undefined;
    };
    for (let n = lastLine.sourceLine + 1; n <= raw.length; n++) {
      const text = raw[n - 1]!.text;
      if (HEADER_LINE.test(text)) break;
      if (used.has(n) || !text.trim()) {
        flush();
        continue;
      }
      para ??= { start: n, end: n, text: [] };
      para.end = n;
      para.text.push(text.trim());
    }
    flush();
  }
  return out;
}

const pathOf = (f: Patch['files'][number]): string => f.newPath ?? f.oldPath ?? '';
const lastSource = (f: Patch['files'][number]): number => f.hunks.at(-1)?.lines.at(-1)?.sourceLine ?? f.sourceLine;

/**
 * A file section that is the reply's own diff, not the patch's: git writes each path once per patch, so a
 * second section for a path the patch already showed, opened after a comment of the reply ("So in our case,
 * maybe we can do this,"), is a rewrite proposed in the discussion. Returns the patch's section it follows.
 */
function proposal(patch: Patch, file: Patch['files'][number], raw: ReturnType<typeof splitSourceLines>): Patch['files'][number] | undefined {
  if (!patch.files.some((g) => g !== file && pathOf(g) === pathOf(file) && g.sourceLine < file.sourceLine)) return undefined;
  const before = patch.files.filter((g) => g.sourceLine < file.sourceLine && !proposal(patch, g, raw)).at(-1);
  if (!before) return undefined;
  const discussed = patch.comments.some((c) => c.startLine > lastSource(before) && c.endLine < file.sourceLine);
  return discussed && unquote(raw[file.sourceLine - 1]?.text ?? '').depth === 0 ? before : undefined;
}

/**
 * The place of a comment after the reply's own diff: the reviewer went on quoting the patch's section
 * before it. When that section's last hunk stops short of its header's count, the re-quoted lines are
 * its unseen rest (the post-image lines after the shown ones, up to the count); the diff lines between
 * the reply's diff and the comment are what it quotes.
 */
function afterProposal(patch: Patch, section: Patch['files'][number], proposalEnd: number, line: number, raw: ReturnType<typeof splitSourceLines>, requoted: Requoted[]): ThreadComment['place'] | undefined {
  const hunkIndex = section.hunks.length - 1;
  const hunk = section.hunks[hunkIndex];
  if (!hunk) return undefined;
  const shown = Math.max(...hunk.lines.map((l) => l.newLine ?? 0), hunk.newStart);
  const quoted: string[] = [];
  let from = line;
  for (let n = line - 1; n > proposalEnd; n--) {
    const text = raw[n - 1]!.text;
    if (!/^[+ -]/.test(text) || patch.comments.some((c) => c.startLine <= n && n <= c.endLine)) break;
    quoted.unshift(text.trimEnd());
    from = n;
  }
  while (quoted.length > 0 && !quoted[0]!.trim()) {
    quoted.shift();
    from++;
  }
  const tail = hunk.unseenTail?.new ?? 0;
  const shownEnd = hunk.lines.at(-1)?.sourceLine;
  if (tail > 0 && quoted.length > 0 && shownEnd !== undefined && !requoted.some((r) => r.startLine === from)) {
    // Only what fits the header's count of the lines still unseen: code the author writes in the discussion
    // (`Is this fine?` and a rewrite) overfills it.
    const counts = (lines: string[]): { old: number; new: number } => ({
      old: lines.filter((t) => !t.startsWith('+')).length,
      new: lines.filter((t) => !t.startsWith('-')).length,
    });
    const before = requoted.filter((r) => r.after === shownEnd).flatMap((r) => raw.slice(r.startLine - 1, r.endLine).map((l) => l.text));
    const used = counts([...before, ...quoted]);
    if (used.old <= (hunk.unseenTail?.old ?? 0) && used.new <= tail) requoted.push({ startLine: from, endLine: from + quoted.length - 1, after: shownEnd });
  }
  const fn = definedAbove(hunk, hunk.lines.length - 1) ?? sectionFunction(hunk.section);
  return {
    file: pathOf(section),
    hunkIndex,
    ...(fn ? { function: fn } : {}),
    firstLine: tail > 0 ? shown + 1 : shown,
    lastLine: shown + tail,
    line: tail > 0 ? shown + 1 : shown,
    quoted,
  };
}

function placedComments(patch: Patch, pi: number, raw: ReturnType<typeof splitSourceLines>, attrs: ReturnType<typeof attributions>, quoted: boolean, requoted: Requoted[]): ThreadComment[] {
  const lastInHunk = new Map<string, { index: number; from: number }>();
  const out: ThreadComment[] = [];
  const all = quoted ? patch.comments : [...patch.comments, ...orphanComments(patch, raw)].sort((a, b) => a.startLine - b.startLine);
  for (const c of all) {
    const after = c.after;
    const depth = unquote(raw[c.startLine - 1]?.text ?? '').depth;
    const base: ThreadComment = { index: 0, patch: pi, text: c.text, startLine: c.startLine, endLine: c.endLine };
    const author = authorAt(attrs, depth, c.startLine, quoted);
    if (author) base.author = author;
    // A patch may touch one file in two sections: the one whose hunk was quoted last before the comment.
    const file = after && patch.files
      .filter((f) => (f.newPath ?? f.oldPath) === after.file && f.hunks[after.hunkIndex]?.lines.some((l) => l.sourceLine < c.startLine))
      .sort((a, b) => a.hunks[after.hunkIndex]!.lines[0]!.sourceLine - b.hunks[after.hunkIndex]!.lines[0]!.sourceLine)
      .at(-1);
    const proposed = file && proposal(patch, file, raw);
    if (proposed && after) {
      // Under the reply's own diff: the quoted lines that follow it belong to the patch's section before it.
      const place = afterProposal(patch, proposed, lastSource(file), c.startLine, raw, requoted);
      if (place) base.place = place;
      out.push(base);
      continue;
    }
    const hunk = file?.hunks[after!.hunkIndex];
    if (!after || !hunk) {
      out.push(base);
      continue;
    }
    const key = `${after.file}#${after.hunkIndex}`;
    const last = lastInHunk.get(key);
    // A reply under the same quoted lines as the comment before it (the thread going on) answers the same lines.
    const from = last && last.index === after.lineIndex ? last.from : (last?.index ?? -1) + 1;
    lastInHunk.set(key, { index: after.lineIndex, from: Math.min(from, after.lineIndex) });
    const span = quotedSpan(hunk, Math.min(from, after.lineIndex), after.lineIndex).lines;
    const post = span.map((l) => l.newLine ?? l.oldLine).filter((n): n is number => n !== undefined);
    const at = hunk.lines[after.lineIndex];
    const fn = definedAbove(hunk, after.lineIndex) ?? sectionFunction(hunk.section);
    base.place = {
      file: after.file,
      hunkIndex: after.hunkIndex,
      ...(fn ? { function: fn } : {}),
      firstLine: Math.min(...post, at?.newLine ?? hunk.newStart),
      lastLine: Math.max(...post, at?.newLine ?? hunk.newStart),
      line: at?.newLine ?? at?.oldLine ?? hunk.newStart,
      quoted: span.map((l) => marker[l.kind] + l.text),
    };
    out.push(base);
  }
  return out;
}

/**
 * Comments about the whole patch: the reviewer's paragraphs one quote level above the quoted patch,
 * before its first file ("applied. fixed some whitespace issues.").
 */
function generalComments(patch: Patch, pi: number, raw: ReturnType<typeof splitSourceLines>, attrs: ReturnType<typeof attributions>, quoted: boolean): ThreadComment[] {
  const first = patch.files[0];
  const firstLine = first?.hunks[0]?.lines[0]?.sourceLine ?? first?.sourceLine;
  if (!first || firstLine === undefined) return [];
  const patchDepth = unquote(raw[firstLine - 1]?.text ?? '').depth;
  if (patchDepth === 0) return [];
  // From the attribution that introduces the patch's quote level (the reviewer quoting the author).
  const intro = attrs.filter((a) => a.depth === patchDepth && a.line < first.sourceLine).at(-1);
  const start = intro ? intro.line + 1 : 1;
  const out: ThreadComment[] = [];
  let para: { start: number; end: number; text: string[] } | undefined;
  const flush = (): void => {
    if (para && para.text.join('').trim()) {
      const base: ThreadComment = { index: 0, patch: pi, text: para.text.join('\n'), startLine: para.start, endLine: para.end };
      const author = authorAt(attrs, patchDepth - 1, para.start, quoted);
      if (author) base.author = author;
      out.push(base);
    }
    para = undefined;
  };
  for (const l of raw.slice(start - 1, first.sourceLine - 1)) {
    const { depth, body } = unquote(l.text);
    if (depth !== patchDepth - 1 || !body.trim() || attrs.some((a) => a.line === l.line)) {
      flush();
      continue;
    }
    para ??= { start: l.line, end: l.line, text: [] };
    para.end = l.line;
    para.text.push(body);
  }
  flush();
  return out;
}
