// Standard input, read whole. Through process.stdin a CLI start pays ~8 ms of CPU: creating the stream
// loads Node's tty, net and stream modules and its async iteration runs in the interpreter. Blocking reads
// of descriptor 0 need none of that, and they serve what standard input is when a patch comes in on it: a
// file (`< x.patch`), a pipe (`git format-patch --stdout |`, b4's check command), a terminal (up to Ctrl-D).
// A descriptor that whoever started the process made non-blocking answers EAGAIN when nothing is buffered
// yet: what was read is kept, and the rest comes through the stream.
import { readSync } from 'node:fs';

/** Reads into `buffer` from descriptor `fd`; 0 at the end. */
export type ReadInto = (fd: number, buffer: Buffer) => number;

const CHUNK = 1 << 16;

const readFd: ReadInto = (fd, buffer) => readSync(fd, buffer, 0, buffer.length, null);

export async function readWholeStdin(read: ReadInto = readFd, rest: () => AsyncIterable<Buffer> = () => process.stdin): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const scratch = Buffer.allocUnsafe(CHUNK);
  try {
    for (;;) {
      const n = read(0, scratch);
      if (n === 0) return Buffer.concat(chunks);
      chunks.push(Buffer.from(scratch.subarray(0, n)));
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Windows reports the end of a pipe as an error.
    if (code === 'EOF') return Buffer.concat(chunks);
    if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') throw error;
  }
  for await (const chunk of rest()) chunks.push(chunk);
  return Buffer.concat(chunks);
}
