// Function heads read from text: a definition's declarator, a prototype, a hunk's section header.
import type { Param } from './types.ts';

export interface FunctionHead {
  name: string;
  /** Return type without storage class or annotations; '' when the text does not show it. */
  returnType: string;
  /** Declaration specifiers as written (whitespace folded). */
  specifiers: string;
  params: Param[];
  /** The parameter list was cut short (truncated header, unbalanced parens). */
  paramsIncomplete: boolean;
  annotations: string[];
  /** The text up to and including the name, e.g. "static int __init foo". */
  prefix: string;
  /** The parameter text between the parens, as far as it is visible. */
  paramsText: string;
}

const KEYWORDS = new Set([
  'if', 'else', 'for', 'while', 'do', 'switch', 'case', 'return', 'sizeof', 'goto', 'break', 'continue',
  'default', 'typeof', '__typeof__', 'alignof', '_Alignof', 'defined', 'asm', '__asm__',
]);

const STORAGE = new Set([
  'static', 'extern', 'inline', '__inline', '__inline__', 'register', '_Noreturn', 'noreturn',
  '__always_inline', 'always_inline', 'noinline', 'asmlinkage', 'notrace', 'STATIC', 'INLINE',
]);

// Double-underscore names that are types, not annotations.
const UNDERSCORE_TYPE = /^__(?:u|s|le|be)(?:8|16|32|64|128)$|^__(?:wsum|sum16|poll_t|kernel_\w+|int128|uint128_t|int128_t|builtin_va_list|m128\w*|m256\w*)$/;

const TYPE_WORDS = new Set([
  'void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', 'bool', '_Bool',
  'struct', 'union', 'enum', 'const', 'volatile',
]);

export const isKeyword = (word: string): boolean => KEYWORDS.has(word);

const fold = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Remove balanced `name((...))` / `name(...)` groups starting at `at`; returns the end offset. */
function matchParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth += 1;
    else if (text[i] === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Take annotations with arguments (`__attribute__((x))`, `__section(".x")`) out of a prefix. */
function takeCallAnnotations(prefix: string, annotations: string[]): string {
  let out = prefix;
  for (;;) {
    const m = /\b([A-Za-z_]\w*)\s*\(/.exec(out);
    if (!m) return out;
    const close = matchParen(out, m.index + m[0].length - 1);
    const end = close < 0 ? out.length : close + 1;
    annotations.push(fold(out.slice(m.index, end)));
    out = `${out.slice(0, m.index)} ${out.slice(end)}`;
  }
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[' || ch === '{') depth += 1;
    else if (ch === ')' || ch === ']' || ch === '}') depth -= 1;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => fold(p)).filter((p) => p !== '');
}

/** Format a type: words separated by spaces, pointer stars attached ("struct page *", "char **"). */
function formatType(words: string[], stars: number): string {
  const base = words.join(' ');
  if (stars === 0) return base;
  return `${base} ${'*'.repeat(stars)}`.trim();
}

export function parseParam(text: string): Param {
  const t = fold(text);
  if (t === '...') return { name: '...', type: '...' };
  const fnPtr = /\(\s*\*\s*([A-Za-z_]\w*)\s*\)/.exec(t);
  if (fnPtr) return { name: fnPtr[1]!, type: fold(t.replace(fnPtr[1]!, '')) };
  const noArray = t.replace(/(\s*\[[^\]]*\])+\s*$/, '');
  const arrays = t.slice(noArray.length).replace(/\s+/g, '');
  const m = /^(.*?)([A-Za-z_]\w*)$/.exec(noArray);
  if (!m) return { name: '', type: t };
  const before = m[1]!;
  const words = before.replace(/\*/g, ' ').split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return { name: '', type: t };
  const stars = (before.match(/\*/g) ?? []).length;
  return { name: m[2]!, type: formatType(words, stars) + arrays };
}

/** Split a prefix ("static int __init", "struct page *") into return type, specifiers and annotations. */
export function readPrefix(prefix: string): { returnType: string; annotations: string[] } {
  const annotations: string[] = [];
  const rest = takeCallAnnotations(prefix, annotations);
  const stars = (rest.match(/\*/g) ?? []).length;
  const words = rest.replace(/\*/g, ' ').split(/\s+/).filter((w) => w !== '');
  const typeWords: string[] = [];
  for (const w of words) {
    if (STORAGE.has(w)) continue;
    if (/^__\w+$/.test(w) && !UNDERSCORE_TYPE.test(w)) {
      annotations.push(w);
      continue;
    }
    if (/^(?:__must_check|__cold|__hot|__weak|__pure|__noreturn|__maybe_unused|__used)$/.test(w)) {
      annotations.push(w);
      continue;
    }
    typeWords.push(w);
  }
  // A lower-case all-macro annotation like `noinline_for_stack` is rare; upper-case words after the
  // type (e.g. `int EFIAPI foo`) are calling conventions: keep only the words up to the first type.
  return { returnType: formatType(typeWords, stars), annotations };
}

/** An annotation with arguments that parseHead strips before it looks for the function's name. */
export const isHeadAnnotation = (name: string): boolean =>
  /^__attribute__$|^__attribute$|^__declspec$|^__section$|^__printf$|^__aligned$|^__acquires$|^__releases$|^__must_hold$/.test(name);

/**
 * Read a function head from declarator text (comments already stripped). Returns undefined when the
 * text does not look like `<prefix> name ( ...`.
 */
export function parseHead(text: string): FunctionHead | undefined {
  let t = fold(text);
  // Strip annotations with arguments before looking for the name's paren.
  const annotations: string[] = [];
  let search = 0;
  for (;;) {
    const m = /\b([A-Za-z_]\w*)\s*\(/g;
    m.lastIndex = search;
    const hit = m.exec(t);
    if (!hit) return undefined;
    const name = hit[1]!;
    const open = hit.index + hit[0].length - 1;
    if (isHeadAnnotation(name)) {
      const close = matchParen(t, open);
      if (close < 0) return undefined;
      annotations.push(fold(t.slice(hit.index, close + 1)));
      t = `${t.slice(0, hit.index)}${t.slice(close + 1)}`;
      search = hit.index;
      continue;
    }
    if (isKeyword(name)) return undefined;
    const prefixText = fold(t.slice(0, hit.index));
    if (/[=;{}()[\],."'&|!<>?:+\-/%^~]/.test(prefixText)) return undefined;
    if (prefixText.split(/[\s*]+/).some((w) => isKeyword(w))) return undefined;
    const close = matchParen(t, open);
    const paramsText = close < 0 ? t.slice(open + 1) : t.slice(open + 1, close);
    const { returnType, annotations: prefixAnnotations } = readPrefix(prefixText);
    const parts = splitTopLevel(paramsText);
    const incomplete = close < 0;
    const params = parts.length === 1 && parts[0] === 'void' ? [] : parts.map(parseParam);
    const after = close < 0 ? '' : t.slice(close + 1);
    for (const m2 of after.matchAll(/__attribute__\s*\(\(.*?\)\)|\b__\w+\b/g)) annotations.push(fold(m2[0]));
    return {
      name,
      returnType,
      specifiers: prefixText,
      params,
      paramsIncomplete: incomplete,
      annotations: [...prefixAnnotations, ...annotations],
      prefix: prefixText === '' ? name : `${prefixText} ${name}`,
      paramsText,
    };
  }
}

/** True when each parameter reads as a declaration (type and name, `void`, `...`), not call arguments. */
export function paramsLookDeclared(head: FunctionHead): boolean {
  const parts = splitTopLevel(head.paramsText);
  if (parts.length === 0) return head.returnType !== '';
  return parts.every((p, i) => {
    if (p === 'void' || p === '...') return true;
    if (i === parts.length - 1 && head.paramsIncomplete) return /^[A-Za-z_]/.test(p);
    if (/[-+/%&|^!~?:<>="']|->|\b\d/.test(p.replace(/\(\s*\*\s*\w+\s*\)\s*\(.*\)$/, ''))) return false;
    const words = p.replace(/\*/g, ' * ').split(/\s+/).filter((w) => w !== '');
    return words.length >= 2 || TYPE_WORDS.has(words[0] ?? '');
  });
}

/** The offset just after the parameter list of `name` in `text` (its first `name(`), or the text's length. */
function closeOfName(text: string, name: string): number {
  const at = new RegExp(String.raw`\b${name}\s*\(`).exec(text);
  if (!at) return text.length;
  const close = matchParen(text, at.index + at[0].length - 1);
  return close < 0 ? text.length : close + 1;
}

/**
 * A hunk section header that names a function definition (not a prototype, variable or struct):
 * its head, or undefined.
 */
export function sectionFunction(section: string): FunctionHead | undefined {
  const s = section.trim();
  if (s === '' || s.startsWith('#') || /;\s*$/.test(s)) return undefined;
  // A line of a macro's definition (`static inline bool is_ ## name ## _present(void) \`): no function of the file.
  if (/\\$/.test(s) || s.includes('##')) return undefined;
  const head = parseHead(s.replace(/\{\s*$/, ''));
  if (!head) return undefined;
  if (/=/.test(head.specifiers)) return undefined;
  // `U_BOOT_DRIVER(x) = {`, `DEFINE_OPS(y) =`: a macro declaring data, with its initialiser; no function has `=` after its `)`.
  if (!head.paramsIncomplete && /^\s*(?:__\w+(?:\s*\(\(.*?\)\))?\s*)*=/.test(s.slice(closeOfName(s, head.name)))) return undefined;
  // `extern void (*hook)(const char *t, ...)`: a pointer to a function, declared, not defined.
  if (TYPE_WORDS.has(head.name) || /^\s*\*/.test(head.paramsText)) return undefined;
  // `struct s name()` with nothing in the parentheses reads like a macro use; `struct s f(void)` is a function.
  if (/^(?:struct|union|enum)\s+\w+\s*$/.test(head.specifiers) && head.paramsText.trim() === '') return undefined;
  return head;
}

/**
 * Source text of a synthetic head for a function whose start is not visible: the section header,
 * completed when truncated, with a placeholder type when the header lacks one.
 */
export function synthesizeHead(head: FunctionHead, returnTypeOverride?: string): string {
  let prefix = head.specifiers;
  if (returnTypeOverride !== undefined && head.returnType !== '') {
    prefix = prefix.replace(/\bvoid\b/, returnTypeOverride);
  }
  if (head.returnType === '') prefix = `${prefix} ${PLACEHOLDER_TYPE}`.trim();
  let params = head.paramsText.trim();
  if (head.paramsIncomplete) {
    if (params === '' || params.endsWith(',')) params = `${params}${params === '' ? '' : ' '}...`;
    // Close parens a truncated parameter (e.g. a function pointer) left open.
    let depth = 0;
    for (const ch of params) depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    params += ')'.repeat(Math.max(0, depth));
  }
  return `${prefix} ${head.name}(${params})`;
}

/** Placeholder return type for a head whose type is not visible (K&R-style `int\nname(` headers). */
export const PLACEHOLDER_TYPE = '__pr_type';

/** A declared type without storage class, `inline`, qualifiers or section annotations (`static inline const bool` -> `bool`). */
export function bareType(type: string | undefined): string {
  return (type ?? '').replace(/\b(?:static|inline|extern|const|volatile|__init|__maybe_unused)\b/g, '').replace(/\s+/g, ' ').trim();
}

/** `bool`, `_Bool` or `bool_t`: 0 and 1 are false and true, not a status. */
export const isBoolType = (type: string | undefined): boolean => /^(?:bool|_Bool|bool_t)$/.test(bareType(type));

/** A type that cannot carry an error code (unsigned, a character, a flag, a size, an address): `return rc;` passes no failure on. */
export const carriesNoStatus = (type: string | undefined): boolean =>
  /^(?:unsigned\b.*|char|signed char|bool|_Bool|bool_t|size_t|u8|u16|u32|u64|uint\d+_t|uintptr_t|vaddr_t|paddr_t|ulong|uint)$/.test(bareType(type));
