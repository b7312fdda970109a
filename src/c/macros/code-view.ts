// The live code tokens with what every rule needs: brace depth, matching parentheses, keywords.
import type { Token } from './lexer.ts';
import type { LiveCode } from './preprocessor.ts';
import type { MacroIndex } from './table.ts';
import type { Rewriter } from './rewriter.ts';

export const C_KEYWORDS: ReadonlySet<string> = new Set([
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum',
  'extern', 'float', 'for', 'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return',
  'short', 'signed', 'sizeof', 'static', 'struct', 'switch', 'typedef', 'union', 'unsigned', 'void',
  'volatile', 'while', '_Bool', '_Complex', '_Alignas', '_Alignof', '_Atomic', '_Generic', '_Noreturn',
  '_Static_assert', '_Thread_local', 'asm', '__asm__', '__asm', '__volatile__', '__volatile',
  '__extension__', '__restrict', '__restrict__', '__const', '__signed__', 'typeof', '__typeof__',
  '__typeof', 'alignof', '__alignof__', 'offsetof', 'bool',
]);

/** Words that begin a type name, so an argument starting with one is a type, not an expression. */
export const TYPE_WORDS: ReadonlySet<string> = new Set([
  'struct', 'union', 'enum', 'unsigned', 'signed', 'const', 'volatile', 'void', 'char', 'short',
  'int', 'long', 'float', 'double', '_Bool',
]);

export interface CodeView {
  tokens: Token[];
  depth: number[];
  /** For each `(` the index of its `)` and back; -1 when unbalanced or not a parenthesis. */
  match: Int32Array;
  macros: MacroIndex;
  rw: Rewriter;
}

export function buildView(live: LiveCode, macros: MacroIndex, rw: Rewriter): CodeView {
  const { tokens } = live;
  const match = new Int32Array(tokens.length).fill(-1);
  const open: number[] = [];
  tokens.forEach((t, i) => {
    if (t.text === '(') open.push(i);
    else if (t.text === ')') {
      const o = open.pop();
      if (o !== undefined) {
        match[o] = i;
        match[i] = o;
      }
    } else if (t.text === '{' || t.text === '}') {
      // A brace ends any parenthesis still open: do not let one missing `)` pair the whole file.
      if (t.text === '}') open.length = 0;
    }
  });
  return { tokens, depth: live.depth, match, macros, rw };
}

export const textAt = (v: CodeView, i: number): string => v.tokens[i]?.text ?? '';

export const isName = (v: CodeView, i: number): boolean => {
  const t = v.tokens[i];
  return t !== undefined && t.kind === 'identifier' && !C_KEYWORDS.has(t.text);
};

/** `NAME (` at i: the index of the matching `)`, or -1. */
export function callEnd(v: CodeView, i: number): number {
  if (!isName(v, i) || textAt(v, i + 1) !== '(') return -1;
  return v.match[i + 1] ?? -1;
}

/** Top-level arguments of the call whose parentheses are at `open` and `close`: [first, last] token indices. */
export function splitArguments(v: CodeView, open: number, close: number): Array<[number, number]> {
  const args: Array<[number, number]> = [];
  let level = 0;
  let first = open + 1;
  for (let i = open + 1; i < close; i++) {
    const s = textAt(v, i);
    if (s === '(' || s === '[' || s === '{') level++;
    else if (s === ')' || s === ']' || s === '}') level--;
    else if (s === ',' && level === 0) {
      args.push([first, i - 1]);
      first = i + 1;
    }
  }
  if (close > open + 1) args.push([first, close - 1]);
  return args;
}

/** Same-length replacement over the tokens first..last (the text between them included). */
export function writeTokens(v: CodeView, first: number, last: number, text: string, kind: Parameters<Rewriter['write']>[3]): boolean {
  const a = v.tokens[first];
  const b = v.tokens[last];
  if (!a || !b) return false;
  return v.rw.write(a.start, b.end, text, kind);
}

/** ALL_CAPS names (at least one letter): by convention, macros. */
export const isUpperCaseName = (s: string): boolean => /^[A-Z_][A-Z0-9_]*$/.test(s) && /[A-Z]/.test(s);

/** An argument that can only be a type: `struct x`, `unsigned long`, `vcpu_t *`. */
export function looksLikeType(v: CodeView, first: number, last: number): boolean {
  if (TYPE_WORDS.has(textAt(v, first))) return true;
  if (last <= first || textAt(v, last) !== '*') return false;
  const before = v.tokens[last - 1];
  return before !== undefined && (before.text === '*' || before.kind === 'identifier');
}

