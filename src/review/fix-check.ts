// The last gate before a proven rewrite becomes a fix: it must read like the file it goes into
// (tabs or spaces, `if ( x )` or `if (x)`, indentation kept) and be sane C text on its own rows.
import type { FileModel, FunctionImage } from '../c/types.ts';
import type { Edit } from './rule.ts';
import type { Replacement } from './types.ts';
import { applyEdits } from './simulation.ts';

export interface FileStyle {
  /** One indentation step: a tab, or a number of spaces. */
  indent: string;
  /** Xen style `if ( x )` (true) or Linux/K&R `if (x)` (false); undefined when the function shows neither. */
  spaceInParens?: boolean;
  /** `if ( x )\n{` (true, Xen/BSD) or `if (x) {` (false, K&R); undefined when unseen. */
  braceOnOwnLine?: boolean;
}

const HEAD = /\b(if|while|for|switch)\s*\((.)/g;

/** The style the function's visible lines are written in. */
export function styleOf(image: FunctionImage): FileStyle {
  const rows = image.rawLines.filter((r, i) => image.lineMap[i] && r.trim() !== '');
  let tabs = 0;
  let spaces = 0;
  const widths = new Map<number, number>();
  let inner = 0;
  let tight = 0;
  let ownLine = 0;
  let sameLine = 0;
  rows.forEach((row, i) => {
    const lead = /^[ \t]*/.exec(row)![0];
    if (lead.startsWith('\t')) tabs++;
    else if (lead.length > 0) {
      spaces++;
      widths.set(lead.length, (widths.get(lead.length) ?? 0) + 1);
    }
    for (const m of row.matchAll(HEAD)) {
      if (m[2] === ' ') inner++;
      else tight++;
    }
    if (/^\s*\{\s*$/.test(row) && /\b(if|while|for|switch|else)\b/.test(rows[i - 1] ?? '')) ownLine++;
    if (/\b(if|while|for|switch)\b.*\)\s*\{\s*$/.test(row) || /\belse\s*\{\s*$/.test(row)) sameLine++;
  });
  const step = smallestStep([...widths.keys()]);
  return {
    indent: tabs > spaces ? '\t' : ' '.repeat(step),
    ...(inner + tight > 0 ? { spaceInParens: inner >= tight } : {}),
    ...(ownLine + sameLine > 0 ? { braceOnOwnLine: ownLine >= sameLine } : {}),
  };
}

function smallestStep(widths: number[]): number {
  const positive = widths.filter((w) => w > 0).sort((a, b) => a - b);
  if (positive.length === 0) return 4;
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = positive.reduce(gcd);
  return g >= 2 && g <= 8 ? g : 4;
}

/**
 * The style of the code around a function: its own lines first, then the other functions the patch shows
 * in the same file, then the file's dialect (Xen writes `if ( x )`, Linux `if (x)`).
 */
export function styleFor(image: FunctionImage, file: FileModel): FileStyle {
  const own = styleOf(image);
  const others = file.functions.flatMap((f) => (f.post && f.post !== image ? [styleOf(f.post)] : []));
  const pick = <K extends keyof FileStyle>(key: K): FileStyle[K] | undefined => own[key] ?? others.find((o) => o[key] !== undefined)?.[key];
  // Nothing visible says: Xen's own spacing in Xen code, the common `if (x)` everywhere else (an OP-TEE or libxl
  // function with no visible control statement must not be told to write `if ( x )`).
  const spaceInParens = pick('spaceInParens') ?? file.dialect === 'xen';
  const braceOnOwnLine = pick('braceOnOwnLine') ?? (file.dialect === 'xen' ? true : file.dialect === 'linux' ? false : undefined);
  return {
    indent: own.indent,
    ...(spaceInParens !== undefined ? { spaceInParens } : {}),
    ...(braceOnOwnLine !== undefined ? { braceOnOwnLine } : {}),
  };
}

/** `if ( cond )` or `if (cond)`, as the file writes it. */
export function controlHead(style: FileStyle, keyword: string, condition: string): string {
  return style.spaceInParens === false ? `${keyword} (${condition})` : `${keyword} ( ${condition} )`;
}

/** Why the fix cannot be offered, or undefined when it can. */
export function checkFix(image: FunctionImage, edits: Edit[], replacements: Replacement[]): string | undefined {
  const style = styleOf(image);
  for (const r of replacements) {
    const original = image.rawLines.filter((_, i) => image.lineMap[i]! >= r.startLine && image.lineMap[i]! <= r.endLine).join('\n');
    const problem = textProblem(r.text, original, style);
    if (problem) return `${problem} (lines ${r.startLine}-${r.endLine})`;
  }
  const before = callCounts(image.source);
  const after = callCounts(applyEdits(image.source, edits));
  for (const [name, n] of after) {
    if (n > (before.get(name) ?? 0)) return `the rewrite would call ${name}() more often than the code does`;
  }
  return undefined;
}

function textProblem(text: string, original: string, style: FileStyle): string | undefined {
  const balance = (s: string, open: string, close: string): number => [...s].filter((c) => c === open).length - [...s].filter((c) => c === close).length;
  const code = (s: string): string => s.replace(/"(\\.|[^"\\])*"|'(\\.|[^'\\])*'|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  if (balance(code(text), '(', ')') !== balance(code(original), '(', ')')) return 'the rewritten rows leave a parenthesis open';
  if (balance(code(text), '{', '}') !== balance(code(original), '{', '}')) return 'the rewritten rows leave a brace open';
  const originalRows = new Set(original.split('\n'));
  for (const row of text.split('\n')) {
    if (row.trim() === '' || originalRows.has(row)) continue;
    const lead = /^[ \t]*/.exec(row)![0];
    if (lead === '' && !/^\s*(#|\w+:)/.test(row)) return 'a rewritten row lost its indentation';
    if (style.indent === '\t' && / {4,}/.test(lead) && !lead.includes('\t')) return 'the file indents with tabs, the rewrite with spaces';
    if (style.indent !== '\t' && lead.includes('\t')) return 'the file indents with spaces, the rewrite with tabs';
    for (const m of row.matchAll(HEAD)) {
      if (style.spaceInParens === true && m[2] !== ' ') return `the file writes \`${m[1]} ( x )\`, the rewrite \`${m[1]} (x)\``;
      if (style.spaceInParens === false && m[2] === ' ') return `the file writes \`${m[1]} (x)\`, the rewrite \`${m[1]} ( x )\``;
    }
    if (/\b(if|while)\s*\(\s*\(?\s*-?\d+\s*\)?\s*\)/.test(row)) return 'the rewrite tests a constant';
  }
  return undefined;
}

function callCounts(source: string): Map<string, number> {
  const counts = new Map<string, number>();
  const body = source.replace(/"(\\.|[^"\\])*"|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  for (const m of body.matchAll(/\b([A-Za-z_]\w*(?:\s*(?:->|\.)\s*[A-Za-z_]\w*)*)\s*\(/g)) {
    const name = m[1]!.replace(/\s+/g, '');
    if (/^(if|while|for|switch|return|sizeof|__pr_unseen|__pr_unknown)$/.test(name)) continue;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}
