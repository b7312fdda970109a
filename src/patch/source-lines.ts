// Splits raw text into lines that remember where they came from.

/** One physical line of the input, without its line end. */
export interface SourceLine {
  text: string;
  /** 1-based line number in the raw input. */
  line: number;
}

/**
 * Splits on LF, CRLF or a lone CR; linear in the input size. CR CR LF (a CRLF conversion applied
 * twice) is one line end too, so such an input does not read as every line followed by a blank one.
 */
export function splitSourceLines(text: string, firstLine = 1): SourceLine[] {
  const lines: SourceLine[] = [];
  let start = 0;
  let n = firstLine;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      lines.push({ text: text.slice(start, i), line: n++ });
      if (c === 13 && text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10) i += 2;
      else if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  if (start < text.length) lines.push({ text: text.slice(start), line: n });
  return lines;
}
