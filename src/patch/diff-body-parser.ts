// Reads the lines of one message (plain, quoted at any depth, or mangled by mailers)
// into file sections, hunks and the reviewer comments between them.

import type { FilePatch, HunkLine, ReviewComment, Warning } from './types.ts';
import type { SourceLine } from './source-lines.ts';
import { unquote } from './quote.ts';
import { parseHunkHeader, parseLooseHunkHeader, type HunkHeader } from './hunk-header.ts';
import { HunkBuilder, requotedAnchor } from './hunk-builder.ts';
import {
  applyExtendedHeader,
  cleanPath,
  emptyFlags,
  newFile,
  pathOfMarkerLine,
  settleFile,
  splitGitPaths,
  type HeaderFlags,
} from './file-header.ts';
import { joinWrappedSection } from './wrapped-header.ts';

/** The files quoted at one depth: one patch of the input. */
export interface DiffGroup {
  depth: number;
  files: FilePatch[];
  comments: ReviewComment[];
  warnings: Warning[];
  /** Lines before the first file header, for the commit message and diffstat. */
  preamble: SourceLine[];
}

interface Attachment {
  comment: ReviewComment;
  line: HunkLine;
  file: FilePatch;
}

const ELISIONS = new Set(['[...]', '[ ... ]', '[..]', '[snip]', '[snipped]', '<snip>', '[…]']);

export function isElision(body: string): boolean {
  return ELISIONS.has(body.trim().toLowerCase());
}

function isFooter(body: string): boolean {
  return body.startsWith('__________');
}

/** Lines of a diff that are not prose: headers, extended headers, binary markers. */
const DIFF_METADATA = /^(?:@@|---|\+\+\+|index |new file mode|deleted file mode|old mode|new mode|similarity index|dissimilarity index|rename (?:from|to) |copy (?:from|to) |Binary files|GIT binary patch)/;

/** A file's extended header line (git), which only a diff --git line opens. */
const EXTENDED_HEADER = /^(?:index [0-9a-f]+\.\.[0-9a-f]+|new file mode|deleted file mode|old mode|new mode|similarity index|dissimilarity index|rename (?:from|to) |copy (?:from|to) |Binary files |GIT binary patch$)/;

/** A `+`, `-` or ` ` line that is not a file header or the mail signature. */
function isDiffShaped(body: string): boolean {
  const c = body[0];
  if (c !== '+' && c !== '-' && c !== ' ') return false;
  return body !== '-- ' && body !== '--' && !body.startsWith('--- ') && !body.startsWith('+++ ') && body !== '---';
}

function pathOf(file: FilePatch): string {
  return file.newPath ?? file.oldPath ?? '(unknown)';
}

export function parseDiffBody(lines: SourceLine[]): DiffGroup[] {
  const q = lines.map((l) => unquote(l.text));
  const spacedAtTop = hasSpacedContext(lines, q);

  const groups: DiffGroup[] = [];
  let group = null as DiffGroup | null;
  let preambleStart = 0;
  let file = null as FilePatch | null;
  let flags: HeaderFlags = emptyFlags();
  let hunk = null as HunkBuilder | null;
  let lastLine = null as { line: HunkLine; file: FilePatch } | null;
  let comment = null as { text: string[]; start: number; end: number; depth: number } | null;
  /** The diff line the last wrapped line was joined to, and that wrapped line's input line. */
  let joined = null as { line: HunkLine; upTo: number } | null;
  let attachments: Attachment[] = [];
  let inFooter = false;
  let inBinaryPatch = false;
  let elisionSinceHunk = false;
  /** Runs of diff-shaped lines (input indexes) no hunk took, per file, for one `lines-ignored` warning each. */
  let ignored: { file: FilePatch; start: number; end: number }[] = [];
  /** Runs of extended header lines (input indexes) after a file's hunks with no diff --git line opening them. */
  let orphanHeaders: { file: FilePatch; start: number; end: number }[] = [];
  /** Diff-shaped lines after prose: up to which input index they run, and whether a hunk or file header ends them. */
  let proseRun = { end: -1, beforeHeader: false };
  /** Lines before this input index were named by a lines-ignored warning before any file header. */
  let namedUpTo = 0;
  /**
   * Prose came after the last hunk: diff-shaped lines after it are its text (` A` in a sign-off, a reply's re-quoted
   * lines), unless they run to a file or hunk header, the signature or the input's end: then they are the patch's own
   * lines cut off from their hunk (the rest of a wrapped line or header read as prose) and named (diffRunAfterProse).
   */
  let afterProse = false;
  /** A mailing list footer came after the last hunk. */
  let afterFooter = false;
  /** Diff lines past a complete hunk's counts: up to which input index they are kept (readHunkLine). */
  let overrun = { end: -1, keep: false };

  const warn = (w: Warning): void => {
    (group ?? pendingWarnings).warnings.push(w);
  };
  const pendingWarnings = { warnings: [] as Warning[] };

  const flushComment = (): void => {
    if (!comment || !group) {
      comment = null;
      return;
    }
    while (comment.text.length > 0 && comment.text[comment.text.length - 1]!.trim() === '') comment.text.pop();
    if (comment.text.length > 0) {
      const c: ReviewComment = { text: comment.text.join('\n'), startLine: comment.start, endLine: comment.end };
      group.comments.push(c);
      if (lastLine) attachments.push({ comment: c, line: lastLine.line, file: lastLine.file });
    }
    comment = null;
  };

  const finishHunk = (endedHard: boolean): void => {
    if (!hunk || !file) return;
    const before = file.hunks.length;
    const made = hunk.finish(endedHard, pathOf(file), group!.warnings);
    if (elisionSinceHunk && before > 0 && made[0]) made[0].gapBefore = true;
    elisionSinceHunk = false;
    for (const h of made) file.hunks.push(h);
    hunk = null;
  };

  const finishFile = (): void => {
    finishHunk(true);
    if (file) {
      settleFile(file, flags);
      if (file.isBinary) warn({ code: 'binary', message: `${pathOf(file)} is binary; modelled, not reviewed`, file: pathOf(file), line: file.sourceLine });
      else if (!file.isC) warn({ code: 'not-c', message: `${pathOf(file)} is not C; modelled, not reviewed`, file: pathOf(file), line: file.sourceLine });
    }
    file = null;
    flags = emptyFlags();
    inBinaryPatch = false;
  };

  const finishGroup = (): void => {
    flushComment();
    finishFile();
    for (const run of ignored) {
      const [from, to] = [lines[run.start]!.line, lines[run.end]!.line];
      group?.warnings.push({
        code: 'lines-ignored',
        message: `${from === to ? `input line ${from} looks like a diff line` : `input lines ${from}-${to} look like diff lines`}, but no readable hunk header counts ${from === to ? 'it' : 'them'}; not reviewed`,
        line: from,
        file: pathOf(run.file),
      });
    }
    ignored = [];
    for (const run of orphanHeaders) {
      const [from, to] = [lines[run.start]!.line, lines[run.end]!.line];
      group?.warnings.push({
        code: 'lines-ignored',
        message: `${from === to ? `input line ${from} is` : `input lines ${from}-${to} are`} a file's extended header (index, mode, rename, binary), but no diff --git line opens ${from === to ? 'it' : 'them'}: the file change ${from === to ? 'it describes' : 'they describe'} is not read from ${from === to ? 'it' : 'them'}`,
        line: from,
        file: pathOf(run.file),
      });
    }
    orphanHeaders = [];
    if (group) resolveAttachments(group, attachments);
    attachments = [];
    lastLine = null;
  };

  /** A file header at a new depth starts a new patch. */
  const openFile = (i: number, depth: number): FilePatch => {
    flushComment();
    finishFile();
    if (!group || group.depth !== depth) {
      finishGroup();
      group = { depth, files: [], comments: [], warnings: [], preamble: lines.slice(preambleStart, i) };
      if (groups.length === 0) group.warnings.push(...pendingWarnings.warnings);
      groups.push(group);
    }
    inFooter = false;
    afterProse = false;
    afterFooter = false;
    // A later patch's preamble starts after this group's text.
    preambleStart = i;
    const f = newFile(lines[i]!.line);
    group.files.push(f);
    file = f;
    return f;
  };

  const sameDepthBody = (j: number, depth: number): string | null =>
    j < lines.length && q[j]!.depth === depth ? q[j]!.body : null;

  /** Reads the extended header lines and ---/+++ after a diff --git line. */
  const readFileHeaders = (i: number, depth: number, f: FilePatch): number => {
    let j = i;
    for (;;) {
      const body = sameDepthBody(j, depth);
      if (body === null) return j;
      if (body.startsWith('--- ') || body === '---') {
        const plus = findPlusLine(j, depth);
        if (plus < 0) return j;
        const oldRaw = joinPathWrap(j, plus, depth, '--- ');
        const newRaw = q[plus]!.body;
        const oldP = pathOfMarkerLine(oldRaw);
        const newP = pathOfMarkerLine(newRaw);
        const prefixed = oldP.startsWith('a/') || oldP === '/dev/null';
        const o = cleanPath(oldP, prefixed ? 'a/' : null);
        const n = cleanPath(newP, prefixed || newP.startsWith('b/') ? 'b/' : null);
        if (f.oldPath === null || o === null) f.oldPath = o;
        if (f.newPath === null || n === null) f.newPath = n;
        if (o === null) flags.added = true;
        if (n === null) flags.deleted = true;
        return plus + 1;
      }
      if (body === 'GIT binary patch') inBinaryPatch = true;
      if (!applyExtendedHeader(f, flags, body)) return j;
      j++;
    }
  };

  /** The +++ line after a --- line, allowing for the --- line having been wrapped once. */
  const findPlusLine = (j: number, depth: number): number => {
    for (let k = j + 1; k <= j + 2; k++) {
      const b = sameDepthBody(k, depth);
      if (b === null) return -1;
      if (b.startsWith('+++ ') || b === '+++') return k;
    }
    return -1;
  };

  const joinPathWrap = (j: number, plus: number, depth: number, marker: string): string => {
    if (plus === j + 1) return q[j]!.body;
    warn({ code: 'hunk-header-rewrapped', message: `${marker.trim()} line was wrapped; joined`, line: lines[j]!.line });
    return q[j]!.body + q[j + 1]!.body.trim();
  };

  for (let i = 0; i < lines.length; i++) {
    const { depth, body } = q[i]!;
    const src = lines[i]!;

    // --- file headers, at any depth
    if (body.startsWith('diff --git ') || body.startsWith('diff --cc ')) {
      const f = openFile(i, depth);
      let rest = body.slice(body.indexOf(' ', 5) + 1);
      let paths = splitGitPaths(rest);
      const next = sameDepthBody(i + 1, depth);
      if (!paths && next !== null && next.startsWith('b/')) {
        rest = `${rest.trimEnd()} ${next.trim()}`;
        paths = splitGitPaths(rest);
        warn({ code: 'hunk-header-rewrapped', message: 'diff --git line was wrapped; joined', line: src.line, file: next.trim().slice(2) });
        i++;
      }
      if (paths) {
        f.oldPath = cleanPath(paths[0], 'a/');
        f.newPath = cleanPath(paths[1], 'b/');
      }
      i = readFileHeaders(i + 1, depth, f) - 1;
      continue;
    }
    if ((body.startsWith('--- ') && !(hunk && !hunk.isComplete)) || body === '---') {
      if (findPlusLine(i, depth) > 0 && (!file || file.hunks.length > 0 || hunk || !group || group.depth !== depth)) {
        const f = openFile(i, depth);
        i = readFileHeaders(i, depth, f) - 1;
        continue;
      }
    }
    let header: HunkHeader | null = body.startsWith('@@ ') ? parseHunkHeader(body) : null;
    // No diff writes a hunk of no lines at all (-a,0 +b,0): read as a corrupt header, its counts from the lines after it.
    if (header && header.oldCount === 0 && header.newCount === 0 && (!hunk || depth === hunk.depth)) header = null;
    if (header === null && body.startsWith('@@ ') && !body.includes(' @@', 2)) {
      // A header the mailer wrapped before its closing @@: the next line completes it.
      const next = sameDepthBody(i + 1, depth);
      const whole = next !== null ? parseHunkHeader(`${body.trimEnd()} ${next.trim()}`) : null;
      if (whole) {
        header = whole;
        warn({ code: 'hunk-header-rewrapped', message: `hunk header was wrapped before its closing @@ (input lines ${src.line}-${lines[i + 1]!.line}); joined`, line: src.line, ...(file ? { file: pathOf(file) } : {}) });
        i++;
      }
    }
    const corrupt = header === null && body.startsWith('@@ ') && (!hunk || depth === hunk.depth) ? parseLooseHunkHeader(body) : null;
    if (header || corrupt) {
      flushComment();
      finishHunk(true);
      if (!file || !group || group.depth !== depth) {
        // Diff lines right before it, not named yet, are what is left of a hunk whose header was lost with the file's.
        let k = i;
        while (k > Math.max(0, namedUpTo) && q[k - 1]!.depth === depth && isDiffShaped(q[k - 1]!.body)) k--;
        openFile(i, depth);
        warn({ code: 'unrecoverable', message: 'hunk without a file header; kept under an unknown path', line: src.line });
        if (k < i) {
          const [a, b] = [lines[k]!.line, lines[i - 1]!.line];
          warn({ code: 'lines-ignored', message: `${a === b ? `input line ${a} looks` : `input lines ${a}-${b} look`} like diff lines before a hunk header with no file header, but no hunk header counts ${a === b ? 'it' : 'them'}; not reviewed`, line: a });
        }
      }
      const joined = joinWrappedSection((header ?? corrupt)!.section, src.text, lines, q, i, depth);
      if (joined.consumed > 0) {
        (header ?? corrupt)!.section = joined.section;
        warn({ code: 'hunk-header-rewrapped', message: 'hunk header was wrapped; section joined', line: src.line, file: pathOf(file!) });
        i += joined.consumed;
      }
      if (corrupt) {
        // Recover what the header lost: a start from the other side and the file's earlier hunks
        // (new = old + the lines they added), the counts from the lines that follow.
        const run = hunkRun(i + 1, depth);
        const firstLine = lines[i + 1]?.line ?? src.line + 1;
        const delta = file!.hunks.reduce((acc, h) => acc + h.newCount - h.oldCount, 0);
        const oldStart = corrupt.oldStart ?? (corrupt.newStart !== undefined ? Math.max(0, corrupt.newStart - delta) : undefined);
        const newStart = corrupt.newStart ?? (oldStart !== undefined ? Math.max(0, oldStart + delta) : undefined);
        const span = run.lines > 0 ? `input lines ${firstLine}-${lines[run.end - 1]!.line}` : 'no lines';
        if (run.lines === 0) {
          warn({ code: 'hunk-header-corrupt', message: `hunk header "${corrupt.text}" is corrupt and no diff line follows it; ignored`, line: src.line, file: pathOf(file!) });
          continue;
        }
        if (oldStart === undefined || newStart === undefined) {
          warn({
            code: 'hunk-header-corrupt',
            message: `hunk header "${corrupt.text}" is unreadable and its start cannot be inferred; its ${run.lines} lines (${span}) are not reviewed`,
            line: src.line,
            file: pathOf(file!),
          });
          i = run.end - 1;
          continue;
        }
        header = { oldStart, oldCount: run.old, newStart, newCount: run.new, section: corrupt.section };
        const inferred = [corrupt.oldStart === undefined ? 'old' : '', corrupt.newStart === undefined ? 'new' : ''].filter(Boolean);
        warn({
          code: 'hunk-header-corrupt',
          message: `hunk header "${corrupt.text}" is corrupt; read as @@ -${oldStart},${run.old} +${newStart},${run.new} @@ (${inferred.length > 0 ? `${inferred.join(' and ')} start inferred from the file's earlier hunks, ` : ''}counts from its ${run.lines} lines, ${span}); line numbers may be off`,
          line: src.line,
          file: pathOf(file!),
        });
      }
      if (!header) continue;
      hunk = new HunkBuilder(header, src.line, depth);
      inFooter = false;
      afterProse = false;
      afterFooter = false;
      continue;
    }
    if (!group) {
      // Before any file header: diff lines or a file's extended header lines after a line that starts like a hunk
      // header but is none, or after a +++ line with no --- line before it (the file header lost a line); or
      // extended header lines whose diff --git line was lost, before a file or hunk header or diff lines.
      const opener = body.startsWith('@@') || body.startsWith('+++ ');
      if (opener || EXTENDED_HEADER.test(body)) {
        let j = i + 1;
        while (j < lines.length && q[j]!.depth === depth && (isDiffShaped(q[j]!.body) || EXTENDED_HEADER.test(q[j]!.body))) j++;
        const from = opener ? i + 1 : i;
        const stop = j < lines.length && q[j]!.depth === depth ? q[j]!.body : '';
        const beforeHeader = stop.startsWith('@@ ') || stop.startsWith('diff ') || stop.startsWith('+++ ') || stop.startsWith('--- ');
        if (j > from && (opener || beforeHeader || j > i + 1)) {
          const [a, b] = [lines[from]!.line, lines[j - 1]!.line];
          warn({
            code: 'lines-ignored',
            message: `${a === b ? `input line ${a} looks` : `input lines ${a}-${b} look`} like a file's diff or extended header lines${opener ? ` after input line ${src.line} (${body.startsWith('@@') ? 'an unreadable hunk header' : 'a +++ line with no --- line before it'})` : ''}, but no file header opens ${a === b ? 'it' : 'them'}: not reviewed`,
            line: a,
          });
          i = j - 1;
          namedUpTo = j;
        }
      }
      continue;
    }
    if (inBinaryPatch && depth === group.depth) continue;

    // --- inside a hunk, at the depth the patch is quoted at
    if (hunk && depth <= hunk.depth && !inFooter && isElision(body)) {
      flushComment();
      hunk.interrupt('elision');
      warn({ code: 'elision', message: 'quoted patch elides lines here', line: src.line, file: pathOf(file!) });
      continue;
    }
    // A file's extended header line ends a hunk: its diff --git line was lost (named below), it is no comment.
    if (hunk && depth === hunk.depth && !inFooter && EXTENDED_HEADER.test(body)) finishHunk(true);
    if (hunk && depth === hunk.depth && !inFooter) {
      if (isElision(body)) {
        flushComment();
        hunk.interrupt('elision');
        warn({ code: 'elision', message: 'quoted patch elides lines here', line: src.line, file: pathOf(file!) });
        continue;
      }
      const line = readHunkLine(i, hunk, spacedAtTop);
      if (line === 'end') {
        finishHunk(false);
      } else if (line === 'skip') {
        continue;
      } else if (line === 'wrap') {
        const prev = hunk.lastLine!;
        prev.text = prev.text.endsWith(' ') ? prev.text + body.trim() : `${prev.text} ${body.trim()}`;
        prev.repaired = true;
        joined = { line: prev, upTo: src.line };
        warn({ code: 'line-rewrapped', message: 'a long diff line was wrapped by the mailer; joined', line: src.line, file: pathOf(file!) });
        continue;
      } else if (line !== 'comment') {
        if (line.repaired) warn({ code: 'context-space-restored', message: 'context line had lost its leading space', line: src.line, file: pathOf(file!) });
        flushComment();
        hunk.push(line);
        lastLine = { line, file: file! };
        continue;
      }
    }
    if (depth <= group.depth && isElision(body)) {
      if (hunk) hunk.interrupt('elision');
      else elisionSinceHunk = true;
      warn({ code: 'elision', message: 'quoted patch elides lines here', line: src.line });
      flushComment();
      continue;
    }

    // --- anything else: a reviewer comment, a deeper quote, or cruft
    if (depth === group.depth && !hunk && file && file.hunks.length > 0 && body.trim() !== '' && !isDiffShaped(body) && !DIFF_METADATA.test(body)) afterProse = true;
    // A mailing list's footer after the last hunk: what follows is the archive page's, not the patch's.
    if (file && !hunk && depth <= group.depth && isFooter(body)) afterFooter = true;
    if (file && !hunk && !inFooter && !afterFooter && afterProse && depth === group.depth && isDiffShaped(body) && i >= proseRun.end) proseRun = diffRunAfterProse(i, depth);
    if (file && !hunk && !inFooter && !afterFooter && (!afterProse || (proseRun.beforeHeader && i < proseRun.end)) && depth === group.depth && isDiffShaped(body)) {
      // A diff line no hunk takes (after a hunk ended, or under an unreadable header): named, never dropped silently.
      const last = ignored.at(-1);
      if (last && last.file === file && last.end === i - 1) last.end = i;
      else ignored.push({ file, start: i, end: i });
      continue;
    }
    if (file && !hunk && !inFooter && depth === group.depth && EXTENDED_HEADER.test(body)) {
      // A file header that lost its diff --git line (the ---/+++ lines after it, if any, still open the file).
      const last = orphanHeaders.at(-1);
      if (last && last.file === file && last.end === i - 1) last.end = i;
      else orphanHeaders.push({ file, start: i, end: i });
      continue;
    }
    if (depth < group.depth || (depth === 0 && group.depth === 0 && hunk !== null)) {
      if (isFooter(body)) {
        flushComment();
        inFooter = true;
        continue;
      }
      if (inFooter) continue;
      if (body.trim() === '' && !comment) continue;
      if (hunk && body.trim() !== '') hunk.interrupt('comment');
      // A different quote depth is a different speaker.
      if (comment && comment.depth !== depth && body.trim() !== '') flushComment();
      if (!comment) comment = { text: [], start: src.line, end: src.line, depth };
      comment.text.push(body);
      if (body.trim() !== '') comment.end = src.line;
    }
  }
  finishGroup();
  if (groups.length === 0) return [];
  return groups;

  function readHunkLine(i: number, h: HunkBuilder, spaced: boolean): HunkLine | 'end' | 'skip' | 'wrap' | 'comment' {
    const { body } = q[i]!;
    const src = lines[i]!;
    const quoted = h.depth > 0;
    const c = body[0];
    if (h.isComplete) {
      if (body.trim() === '' && quoted) return 'skip';
      // More diff lines than the header counts, up to the next header or the end: keep them
      // (the hunk is recounted and says so) rather than drop them without a word.
      // The run is measured once and remembered, so a long overrun stays linear.
      const diffShaped = !quoted && (c === '+' || c === '-' || c === ' ') && body !== '-- ';
      if (diffShaped && i >= overrun.end) {
        const run = hunkRun(i, h.depth);
        overrun = { end: run.endsAtBoundary ? run.end : i + 1, keep: run.endsAtBoundary };
      }
      const isOverrun = diffShaped && overrun.keep && i < overrun.end;
      if (!isOverrun && (!quoted || body === '-- ' || body === '--' || (c !== '+' && c !== '-'))) return 'end';
    }
    if (c === '+') return { kind: 'add', text: body.slice(1), sourceLine: src.line };
    if (c === '-') return { kind: 'del', text: body.slice(1), sourceLine: src.line };
    if (c === ' ') return { kind: 'context', text: body.slice(1), sourceLine: src.line };
    if (c === '\\') return 'skip'; // "\ No newline at end of file"
    if (body === '') {
      // A blank context line whose single space was stripped by the mailer.
      return { kind: 'context', text: '', sourceLine: src.line };
    }
    if (isWrapContinuation(i, h, spaced)) return 'wrap';
    if (quoted || !spaced) return { kind: 'context', text: body, sourceLine: src.line, repaired: true };
    return 'comment';
  }

  /**
   * The run of diff-shaped lines (`+`, `-`, ` `, blank, `\`) from `from` at `depth`: its counts,
   * where it stops, and whether it stops at a boundary (a hunk or file header, the `-- ` footer,
   * or the end of the input) rather than at prose.
   */
  function hunkRun(from: number, depth: number): { old: number; new: number; lines: number; changes: number; end: number; endsAtBoundary: boolean } {
    let old = 0;
    let added = 0;
    let changes = 0;
    let count = 0;
    let blankTail = { old: 0, new: 0, lines: 0 };
    let j = from;
    for (; j < lines.length; j++) {
      const { depth: d, body } = q[j]!;
      // A reviewer's comment inside a quoted hunk interrupts it; the quote resumes after.
      if (d < depth && !isElision(body)) continue;
      if (d !== depth || body.startsWith('@@ ') || body.startsWith('diff ') || body === '-- ' || body === '--') break;
      if (body.startsWith('--- ') && q[j + 1]?.body.startsWith('+++ ')) break;
      const c = body[0];
      if (c === '\\') continue;
      if (body === '') {
        blankTail = { old: blankTail.old + 1, new: blankTail.new + 1, lines: blankTail.lines + 1 };
        continue;
      }
      // Quoted or unspaced hunks lose context spaces: an unmarked line there is context (readHunkLine).
      if (c !== '+' && c !== '-' && c !== ' ' && depth === 0 && spacedAtTop) break;
      if (isElision(body)) break;
      old += blankTail.old + (c !== '+' ? 1 : 0);
      added += blankTail.new + (c !== '-' ? 1 : 0);
      count += blankTail.lines + 1;
      if (c !== ' ') changes++;
      blankTail = { old: 0, new: 0, lines: 0 };
    }
    const stop = q[j];
    const endsAtBoundary = j >= lines.length || stop!.depth !== depth || /^(?:@@ |diff |-- ?$|--- )/.test(stop!.body);
    // Trailing blank lines belong to what follows, not to the hunk.
    return { old, new: added, lines: count, changes, end: j - blankTail.lines, endsAtBoundary };
  }

  /**
   * Diff-shaped lines (blank and `\` lines among them) after prose that ends a file's last hunk: where
   * they stop, and whether a hunk or file header stops them. Then they are the patch's lines, cut off
   * from their hunk (a wrapped line's rest read as prose), not text of the mail (` A` in a sign-off).
   */
  function diffRunAfterProse(from: number, depth: number): { end: number; beforeHeader: boolean } {
    let j = from;
    while (j < lines.length && q[j]!.depth === depth && (q[j]!.body === '' || q[j]!.body[0] === '\\' || isDiffShaped(q[j]!.body))) j++;
    if (j >= lines.length) return { end: j, beforeHeader: true };
    const stop = q[j]!.depth === depth ? q[j]!.body : null;
    const beforeHeader =
      stop !== null &&
      (stop.startsWith('@@ ') || stop.startsWith('diff ') || stop === '-- ' || stop === '--' || EXTENDED_HEADER.test(stop) || (stop.startsWith('--- ') && (q[j + 1]?.body.startsWith('+++ ') ?? false)));
    return { end: j, beforeHeader };
  }

  /** A mailer wrapped the previous diff line: it ends in the space it broke at, or is long and the diff resumes right after. */
  function isWrapContinuation(i: number, h: HunkBuilder, spaced: boolean): boolean {
    const prev = h.lastLine;
    if (!prev) return false;
    const chained = joined?.line === prev && joined.upTo === lines[i]!.line - 1;
    if (prev.sourceLine !== lines[i]!.line - 1 && !chained) return false;
    // A diff line cannot end inside a string literal: the unmarked line after it is the rest of it.
    if (/\.[ch]$/.test(pathOf(file!)) && endsInsideString(prev.text)) return true;
    if (chained) return false;
    const prevRaw = lines[i - 1]!.text;
    if (prevRaw.length >= 60 && prevRaw.endsWith(' ')) return true;
    // A shorter line was broken before a word too long to fit it (`x =` / `LONG_CONSTANT;`).
    const word = /^\S*/.exec(lines[i]!.text.trim())![0].length;
    if (h.depth > 0 || !spaced || (prevRaw.length < 60 && prevRaw.length + 1 + word <= 64)) return false;
    const next = i + 1 < lines.length ? q[i + 1]! : null;
    return next !== null && next.depth === h.depth && /^[+\- @]/.test(next.body);
  }
}

/** A line of C that ends inside a string literal (char literals and comments left out). */
function endsInsideString(text: string): boolean {
  // The inside of a block comment (` * he said "no`) is prose.
  if (/^\s*\*/.test(text)) return false;
  // No quote, no string (the loop below runs interpreted in a CLI process: skip it for most lines).
  if (!text.includes('"')) return false;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "'") {
      const m = /^'(?:\\.|[^'\\])'/.exec(text.slice(i));
      if (m) i += m[0].length - 1;
    } else if (c === '/' && text[i + 1] === '/') return false;
    else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return false;
      i = end + 1;
    }
  }
  return inString;
}

/** Whether unquoted hunks keep their context space (so an unmarked line there is prose, not code). */
function hasSpacedContext(lines: SourceLine[], q: { depth: number; body: string }[]): boolean {
  let inHunk = false;
  for (let i = 0; i < lines.length; i++) {
    const { depth, body } = q[i]!;
    if (depth !== 0) continue;
    if (body.startsWith('@@ ')) inHunk = true;
    else if (inHunk && body.length > 1 && body[0] === ' ' && body.trim() !== '') return true;
  }
  return false;
}

function resolveAttachments(group: DiffGroup, attachments: Attachment[]): void {
  if (attachments.length === 0) return;
  const where = new Map<HunkLine, { file: string; hunkIndex: number; lineIndex: number }>();
  for (const f of group.files) {
    f.hunks.forEach((h, hunkIndex) =>
      h.lines.forEach((l, lineIndex) => where.set(l, { file: pathOf(f), hunkIndex, lineIndex })),
    );
  }
  for (const a of attachments) {
    const anchor = requotedAnchor.get(a.line);
    const w = where.get(a.line) ?? (anchor ? where.get(anchor) : undefined);
    if (w) a.comment.after = { ...w, quoteDepth: group.depth };
  }
}
