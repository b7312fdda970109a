// Quote markers of mail replies: "> ", ">> ", "> >> " and their depth.

export interface Unquoted {
  /** Number of '>' markers (1 for "> ", 3 for "> >> "). */
  depth: number;
  /** The text after the markers and the single space that follows them. */
  body: string;
}

/** A quote prefix starts at column 0; spaces may separate nested markers. */
export function unquote(text: string): Unquoted {
  let depth = 0;
  let i = 0;
  for (;;) {
    let j = i;
    // Nested markers may be separated by spaces ("> >> ") but not by text.
    if (depth > 0) while (j < text.length && j < i + 3 && text[j] === ' ') j++;
    if (text[j] !== '>') break;
    depth++;
    i = j + 1;
  }
  if (depth > 0 && text[i] === ' ') i++;
  return { depth, body: depth === 0 ? text : text.slice(i) };
}
