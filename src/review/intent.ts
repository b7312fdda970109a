// What the author says in the commit message about a failure the patch lets go: one reader for every rule that
// would otherwise ask "why is this failure no longer handled?" (dropped-error, error-path-regression).

/**
 * Sentences that say, anywhere in the message, that the patch lets a failure go ("Allow failure in ..", "Avoid hard
 * failure on ..", "do not fail the probe ..", "continue without it"): the patch's purpose is to let it go.
 */
const LETS_FAILURE_GO = [
  /\b(?:allow|tolerate|ignore|accept)s?\b[^.\n]{0,40}\bfail/i,
  /\bavoid\b[^.\n]{0,20}\bfail/i,
  /\b(?:do(?:es)? not|don'?t|no longer|not)\s+(?:return\s+(?:\w+\s+)?)?fail(?:ure|s)?\b/i,
  /\bcontinue\b[^.\n]{0,40}\b(?:without|anyway)\b/i,
];

/**
 * Words that say a failure is fine ("treat ... as a success case", "it is not an error condition", "ignored on
 * purpose"): about the callee only where the paragraph naming it, or the next one, says them.
 */
const NOT_AN_ERROR = /\b(?:not an error|success case|as (?:a )?success|harmless|ignor|deliberate|intentional|on purpose|does(?: not|n'?t) matter|no longer an error)/i;

/**
 * The commit message says `callee`'s failure is let go on purpose: a sentence saying the patch lets a failure go, or,
 * in the paragraph naming `callee` (`ops->probe` is named as `probe`) or the next one, words saying its failure is
 * not an error. The author explains there what a reviewer would ask for.
 */
export function messageLetsFailureGo(meta: { subject?: string; message?: string }, callee: string): boolean {
  const text = `${meta.subject ?? ''}\n\n${meta.message ?? ''}`;
  if (LETS_FAILURE_GO.some((re) => re.test(text))) return true;
  const name = callee.replace(/^.*(?:->|\.)/, '');
  if (!/^\w+$/.test(name)) return false;
  const paragraphs = text.split(/\n\s*\n/);
  const named = new RegExp(`\\b${name}\\b`);
  return paragraphs.some((p, i) => named.test(p) && paragraphs.slice(i, i + 2).some((t) => NOT_AN_ERROR.test(t)));
}
