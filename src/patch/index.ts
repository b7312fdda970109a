// The one entry point of src/patch: any patch-bearing input in, a PatchSet out.

import type { PatchSet, Warning } from './types.ts';
import { splitSourceLines } from './source-lines.ts';
import { splitMbox } from './mbox.ts';
import { guardInput, guardParsed, type InputLimits } from './input-guard.ts';
import { assemble, type Message } from './assemble.ts';
import { decodeMimeMessage, isMimeMessage } from './mime.ts';

export * from './types.ts';

/** The input limits (src/patch/input-guard.ts, docs/limits.md): bytes, lines, line length, hunks. */
export type ParseOptions = InputLimits;
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_HUNKS, DEFAULT_MAX_LINES, DEFAULT_MAX_LINE_LENGTH, type InputLimits } from './input-guard.ts';

/**
 * Parses a format-patch mail, mbox series, MIME mail, unified diff, review reply
 * or flattened commit mail. Async only because postal-mime decodes MIME asynchronously.
 * Throws only PatchInputError (NoPatchError, InputTooLargeError: bytes, lines or hunks above their limit).
 */
export async function parsePatchInput(input: string | Buffer, options: ParseOptions = {}): Promise<PatchSet> {
  const text = guardInput(input, options);
  const warnings: Warning[] = [];
  const messages: Message[] = [];
  for (const lines of splitMbox(splitSourceLines(text))) {
    if (isMimeMessage(lines)) {
      messages.push(await decodeMimeMessage(lines, warnings));
    } else {
      messages.push({ lines });
    }
  }
  return guardParsed(assemble(messages, warnings), options);
}

/** The same without MIME decoding, for callers that cannot wait; MIME bodies are read as they are. */
export function parsePatchText(input: string | Buffer, options: ParseOptions = {}): PatchSet {
  const text = guardInput(input, options);
  const warnings: Warning[] = [];
  const messages = splitMbox(splitSourceLines(text)).map((lines) => {
    if (isMimeMessage(lines)) {
      warnings.push({ code: 'mime', message: 'MIME message read undecoded (parsePatchText does not decode MIME)', line: lines[0]?.line });
    }
    return { lines };
  });
  return guardParsed(assemble(messages, warnings), options);
}
