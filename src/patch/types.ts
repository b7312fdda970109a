// The patch model: what src/patch understands from an input, whatever its kind.
// Every later stage (C model, review, reports) reads only these types.

/** Where a warning or an error points in the raw input (1-based line). */
export interface SourceSpot {
  line: number;
}

export type WarningCode =
  | 'hunk-header-rewrapped' // a hunk header or diff --git line was wrapped onto the next lines
  | 'diffstat-rewrapped'
  | 'context-space-restored' // a context line lost its leading space
  | 'hunk-count-mismatch' // the @@ counts did not match the lines; recounted
  | 'hunk-header-corrupt' // a hunk header's ranges did not parse; recovered or its lines named
  | 'lines-ignored' // input lines inside the diff that no hunk could take
  | 'line-rewrapped' // a long diff line was wrapped by the mailer and joined back
  | 'flattened-lines-recovered' // newlines collapsed into spaces; lines rebuilt
  | 'elision' // a [...] gap in a quoted patch
  | 'unrecoverable' // something could not be understood; its line is named
  | 'truncated' // the input ends inside a hunk
  | 'not-c' // a file the C stages skip
  | 'binary'
  | 'cover-letter'
  | 'mime'
  | 'limit' // an input limit was reached (size, hunks, line length)
  | 'tree-apply' // tree mode: a hunk did not apply
  | 'parse' // C parse health
  | 'internal'
  | 'time-limit'; // ReviewOptions.timeLimitMs expired before a function was reviewed (rules' engine)

export interface Warning {
  code: WarningCode;
  message: string;
  /** 1-based line in the raw input, when the warning is about one place. */
  line?: number;
  file?: string;
}

export type LineKind = 'context' | 'add' | 'del';

export interface HunkLine {
  kind: LineKind;
  /** The line's text without its diff marker and without a line end. */
  text: string;
  /** Line number in the pre-image (context and del lines). */
  oldLine?: number;
  /** Line number in the post-image (context and add lines). */
  newLine?: number;
  /** 1-based line in the raw input where this line starts. */
  sourceLine: number;
  /** True when recovery rebuilt this line (restored marker, joined wrap, split flattened text). */
  repaired?: boolean;
  /**
   * The line was longer than the line-length limit (ParseOptions.maxLineLength): its length in
   * characters; `text` holds only the first maxLineLength of them. The C model does not review a
   * function holding such a line (a `limit` warning names it).
   */
  cut?: number;
}

export interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  /** The function context after the second @@ (e.g. "static int f(struct d *d,"), joined if it was wrapped. */
  section: string;
  lines: HunkLine[];
  /** 1-based line of the @@ header in the raw input. */
  sourceLine: number;
  /** True when the counts in the header did not match the lines and were recomputed. */
  recounted?: boolean;
  /** True when a [...] elision or missing text precedes this hunk inside the same file section. */
  gapBefore?: boolean;
  /**
   * The quote stops before the end its header counts (an elision or the input's end): this many
   * old and new lines of the hunk follow the visible ones unseen (they may hold changes). After an
   * elision inside the hunk the visible part's own start is a guess, so these are upper bounds.
   */
  unseenTail?: { old: number; new: number };
}

export type FileStatus = 'modified' | 'added' | 'deleted' | 'renamed' | 'copied' | 'binary' | 'mode-change';

export interface FilePatch {
  /** Path without the a/ prefix; null for an added file. */
  oldPath: string | null;
  /** Path without the b/ prefix; null for a deleted file. */
  newPath: string | null;
  status: FileStatus;
  oldBlob?: string;
  newBlob?: string;
  oldMode?: string;
  newMode?: string;
  isBinary: boolean;
  /** .c and .h files (what the C stages read). */
  isC: boolean;
  hunks: Hunk[];
  /** 1-based line of the file's first header line (diff --git or ---). */
  sourceLine: number;
}

/** A reviewer's comment found between quoted lines of a reply. */
export interface ReviewComment {
  text: string;
  /** 1-based raw-input lines the comment spans. */
  startLine: number;
  endLine: number;
  /** The quoted patch line this comment follows, when there is one. */
  after?: {
    file: string;
    hunkIndex: number;
    lineIndex: number;
    /** Nesting depth of the quote the comment answers (1 for "> ", 2 for ">> "). */
    quoteDepth: number;
  };
}

export interface PatchMeta {
  subject?: string;
  /** "[PATCH v4 1/3] ..." gives version 4, number 1, total 3. */
  version?: number;
  number?: number;
  total?: number;
  author?: string;
  date?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  /** The commit message body (without the trailing --- and diffstat). */
  message?: string;
  /** The diffstat lines, rejoined if they were wrapped. */
  diffstat?: string[];
  /** commit id from a "From <sha> Mon Sep 17 ..." line or a "commit <sha>" line. */
  commit?: string;
}

export type InputKind =
  | 'format-patch'
  | 'unified-diff'
  | 'mbox-series'
  | 'mime'
  | 'quoted-reply'
  | 'commit-mail';

export interface Patch {
  meta: PatchMeta;
  files: FilePatch[];
  /** Comments of a review reply, attached to quoted lines where possible. */
  comments: ReviewComment[];
  warnings: Warning[];
  /** True when this is a cover letter (0/N): modelled, not reviewed. */
  isCoverLetter: boolean;
}

export interface PatchSet {
  kind: InputKind;
  patches: Patch[];
  /** Warnings that concern the input as a whole. */
  warnings: Warning[];
}

/** The base of every error src/patch throws; `code` is stable for callers and HTTP mapping. */
export class PatchInputError extends Error {
  constructor(
    message: string,
    readonly code: 'no-patch' | 'input-too-large',
  ) {
    super(message);
    this.name = 'PatchInputError';
  }
}

/** Thrown when the input holds no patch at all. */
export class NoPatchError extends PatchInputError {
  declare readonly code: 'no-patch';
  constructor(
    message: string,
    /** What was found instead, e.g. "an email with no diff", "binary data", "an empty input". */
    readonly found: string,
  ) {
    super(message, 'no-patch');
    this.name = 'NoPatchError';
  }
}

/** What an input limit counts (docs/limits.md). */
export type InputUnit = 'bytes' | 'lines' | 'hunks';

/**
 * Thrown when the input is larger than a configured limit: its bytes or lines (before any
 * parsing) or its hunks (after the diff is read, before any C is modelled).
 */
export class InputTooLargeError extends PatchInputError {
  constructor(
    readonly size: number,
    /** The limit, in `unit`s (the name is kept from when bytes were the only unit). */
    readonly maxBytes: number,
    readonly unit: InputUnit = 'bytes',
  ) {
    super(`input ${unit === 'bytes' ? 'is' : 'has'} ${size} ${unit}, above the limit of ${maxBytes} ${unit}`, 'input-too-large');
    this.name = 'InputTooLargeError';
  }

  /** The limit that was passed, in `unit`s. */
  get limit(): number {
    return this.maxBytes;
  }
}
