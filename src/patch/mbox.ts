// Splits an mbox into messages on its "From " separator lines.

import type { SourceLine } from './source-lines.ts';

/** "From 1a2b... Mon Sep 17 00:00:00 2001" and other envelope lines ending in a year. */
const ENVELOPE = /^From \S{1,200} .{0,100}\b\d{4}\s*$/;

export function isEnvelope(text: string): boolean {
  return text.startsWith('From ') && text.length < 400 && ENVELOPE.test(text);
}

export function splitMbox(lines: SourceLine[]): SourceLine[][] {
  const messages: SourceLine[][] = [];
  let current: SourceLine[] = [];
  for (const l of lines) {
    if (isEnvelope(l.text) && current.some((c) => c.text.trim() !== '')) {
      messages.push(current);
      current = [];
    }
    current.push(l);
  }
  messages.push(current);
  return messages;
}
