// What a command may touch of the process: its streams, environment and directory. Tests pass fakes.

export enum ExitCode {
  Clean = 0,
  Findings = 1,
  Error = 2,
}

export interface Io {
  /** Results. May return a promise that rejects on a write error (EPIPE, ENOSPC). */
  stdout: (text: string) => void | Promise<void>;
  /** Logs, progress and errors. */
  stderr: (text: string) => void;
  readStdin: () => Promise<Buffer>;
  /** Defaults: process.cwd(). */
  cwd?: string;
  /** Defaults: process.env. */
  env?: Record<string, string | undefined>;
  /** Whether stdout / stderr are terminals (colour, progress). Default: neither. */
  isTTY?: { stdout?: boolean; stderr?: boolean };
}

/** A write to stdout failed because the reader went away (`patch-review check x | head`). */
export const isBrokenPipe = (error: unknown): boolean => (error as NodeJS.ErrnoException)?.code === 'EPIPE';
