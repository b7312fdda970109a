// The one entry point of src/patch: any patch-bearing input in, a PatchSet out.

import type { PatchSet, Warning } from './types.ts';
import { splitSourceLines } from './source-lines.ts';
import { splitMbox } from './mbox.ts';
import { DEFAULT_MAX_BYTES, guardInput } from './input-guard.ts';
import { assemble, type Message } from './assemble.ts';
import { decodeMimeMessage, isMimeMessage } from './mime.ts';

export * from './types.ts';

export interface ParseOptions {
  /** Inputs above this many bytes are rejected with InputTooLargeError (default 20 MiB). */
  maxBytes?: number;
}

/**
 * Parses a format-patch mail, mbox series, MIME mail, unified diff, review reply
 * or flattened commit mail. Async only because postal-mime decodes MIME asynchronously.
 * Throws only PatchInputError (NoPatchError, InputTooLargeError).
 */
export async function parsePatchInput(input: string | Buffer, options: ParseOptions = {}): Promise<PatchSet> {
  const text = guardInput(input, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const warnings: Warning[] = [];
  const messages: Message[] = [];
  for (const lines of splitMbox(splitSourceLines(text))) {
    if (isMimeMessage(lines)) {
      messages.push(await decodeMimeMessage(lines, warnings));
    } else {
      messages.push({ lines });
    }
  }
  return assemble(messages, warnings);
}

/** The same without MIME decoding, for callers that cannot wait; MIME bodies are read as they are. */
export function parsePatchText(input: string | Buffer, options: ParseOptions = {}): PatchSet {
  const text = guardInput(input, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const warnings: Warning[] = [];
  const messages = splitMbox(splitSourceLines(text)).map((lines) => {
    if (isMimeMessage(lines)) {
      warnings.push({ code: 'mime', message: 'MIME message read undecoded (parsePatchText does not decode MIME)', line: lines[0]?.line });
    }
    return { lines };
  });
  return assemble(messages, warnings);
}
