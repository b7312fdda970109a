// Which prints say "error", which return values say "success", and which calls match a string against a
// literal: API knowledge as data, with where each entry comes from. Rules read it through errorLogLevel(),
// isSuccessConstant() and stringMatchSubject(); none names such a function itself.
import type { SyntaxNode } from '../c/parser.ts';

/** Functions and macros that print at error level whatever their arguments. */
export const ERROR_LOG_FUNCTIONS: readonly { names: readonly string[]; source: string }[] = [
  {
    names: ['pr_err', 'pr_err_once', 'pr_err_ratelimited', 'dev_err', 'dev_err_once', 'dev_err_ratelimited', 'netdev_err'],
    source: 'Linux include/linux/printk.h and dev_printk.h: the KERN_ERR variants',
  },
  { names: ['EMSG', 'EMSG_RAW'], source: 'OP-TEE lib/libutils/ext/include/trace.h: EMSG prints at TRACE_ERROR' },
];

/**
 * Level arguments that make a generic print an error: `printk(XENLOG_ERR "...")`, `gprintk(XENLOG_ERR, ...)`,
 * `syslog(LOG_ERR, ...)`, `LOG(ERROR, ...)`. `callee` restricts a token to the printers that take it.
 */
export const ERROR_LEVEL_TOKENS: readonly { names: readonly string[]; callee?: RegExp; source: string }[] = [
  { names: ['XENLOG_ERR', 'XENLOG_G_ERR'], source: 'Xen xen/include/xen/config.h: printk levels' },
  { names: ['KERN_ERR'], source: 'Linux include/linux/kern_levels.h' },
  { names: ['LOG_ERR'], callee: /^v?syslog$/, source: 'syslog(3)' },
  { names: ['ERROR'], callee: /^LOG[A-Z]*$/, source: 'Xen tools/libs/light/libxl_internal.h: LOG(ERROR, ...), LOGE, LOGD, LOGED' },
  { names: ['XTL_ERROR', 'LIBXL__LOG_ERROR'], source: 'Xen tools/include/xentoollog.h, libxl_internal.h' },
];

/**
 * A project's own error printer named after its level (`XLU__PCI_ERR(cfg, "...")`, `foo_err(dev, "...")`):
 * the name ends in _ERR/_err and a string literal argument is the message (IS_ERR(), PTR_ERR() take none).
 */
export const ERROR_LOG_SUFFIX = /[A-Za-z0-9]_(ERR|err)$/;
export const ERROR_LOG_SUFFIX_SOURCE = 'naming convention of level-named printers (Xen tools XLU__PCI_ERR, Linux dev_err/pr_err)';

/** Return values that mean success besides 0 (and a bare return). */
export const SUCCESS_CONSTANTS: readonly { names: readonly string[]; source: string }[] = [
  { names: ['TEE_SUCCESS'], source: 'GlobalPlatform TEE Internal Core API: TEE_SUCCESS is 0' },
  { names: ['EXIT_SUCCESS'], source: 'C11 7.22.4.4' },
];

export const isSuccessConstant = (text: string): boolean => SUCCESS_CONSTANTS.some((s) => s.names.includes(text.trim()));

const calleeOf = (call: SyntaxNode): string => {
  const fn = call.childForFieldName('function');
  return fn?.type === 'identifier' ? fn.text : '';
};

/** The string literal pieces of an argument list (a format possibly split over several literals). */
export function messageOf(call: SyntaxNode): string {
  const args = call.childForFieldName('arguments');
  if (!args) return '';
  const parts: string[] = [];
  const walk = (n: SyntaxNode): void => {
    if (n.type === 'string_literal') {
      parts.push(n.namedChildren.filter((c) => c.type === 'string_content' || c.type === 'escape_sequence').map((c) => c.text).join(''));
      return;
    }
    if (n.type === 'concatenated_string') for (const c of n.namedChildren) walk(c);
  };
  for (const a of args.namedChildren) walk(a);
  return parts.join('');
}

/**
 * If `call` prints at error level, how it says so (`XENLOG_ERR`, `pr_err`, `XLU__PCI_ERR`), with the data's source;
 * else null. Only calls with a string literal message count: a log, not a test like IS_ERR().
 */
export function errorLogLevel(call: SyntaxNode, asWritten: (n: SyntaxNode) => string = (n) => n.text): { level: string; source: string } | null {
  if (call.type !== 'call_expression') return null;
  const callee = calleeOf(call);
  if (!callee) return null;
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  const hasMessage = args.some((a) => a.type === 'string_literal' || a.type === 'concatenated_string');
  if (!hasMessage) return null;
  const fn = ERROR_LOG_FUNCTIONS.find((e) => e.names.includes(callee));
  if (fn) return { level: callee, source: fn.source };
  // The level is the first argument, or the first piece of a concatenated format (`XENLOG_ERR "..."`).
  const first = args[0];
  // The C model spells level macros as blank strings of the same width (`XENLOG_ERR "x"` -> `"        " "x"`):
  // the token is read as written.
  const head = first?.type === 'concatenated_string' ? first.namedChild(0) : first;
  const token = head ? asWritten(head).trim() : undefined;
  if (token) {
    const t = ERROR_LEVEL_TOKENS.find((e) => e.names.includes(token) && (!e.callee || e.callee.test(callee)));
    if (t) return { level: token, source: t.source };
  }
  if (ERROR_LOG_SUFFIX.test(callee)) return { level: callee, source: ERROR_LOG_SUFFIX_SOURCE };
  return null;
}

/** Calls that compare a string with another (a value parsed from a setting against the names it may take). */
export const STRING_MATCHERS: readonly { names: readonly string[]; source: string }[] = [
  { names: ['strcmp', 'strncmp', 'strcasecmp', 'strncasecmp'], source: 'C11 7.24.4, POSIX strings.h' },
  { names: ['cmdline_strcmp'], source: 'Xen xen/common/kernel.c: command line option names' },
  { names: ['streq', 'sysfs_streq', 'strstarts'], source: 'Linux include/linux/string.h; OP-TEE and tools helpers of the same name' },
];

/**
 * When `cond` tests a string against a literal (`!strcmp(tok, "force")`, `strcmp(s, "on") == 0`), the other
 * operand's text and the literal; else null.
 */
export function stringMatchSubject(cond: SyntaxNode | null): { subject: string; literal: string } | null {
  if (!cond) return null;
  let n: SyntaxNode | null = cond;
  while (n && (n.type === 'parenthesized_expression' || n.type === 'unary_expression' || n.type === 'binary_expression')) {
    if (n.type === 'binary_expression') {
      const op = n.childForFieldName('operator')?.text;
      const right = n.childForFieldName('right');
      if ((op !== '==' && op !== '!=') || right?.text !== '0') return null;
      n = n.childForFieldName('left');
    } else if (n.type === 'unary_expression') {
      if (n.childForFieldName('operator')?.text !== '!') return null;
      n = n.childForFieldName('argument');
    } else n = n.namedChild(0);
  }
  if (n?.type !== 'call_expression') return null;
  const callee = calleeOf(n);
  if (!STRING_MATCHERS.some((m) => m.names.includes(callee))) return null;
  const args = n.childForFieldName('arguments')?.namedChildren ?? [];
  const literal = args.slice(0, 2).find((a) => a.type === 'string_literal');
  const other = args.slice(0, 2).find((a) => a !== literal);
  if (!literal || !other || other.type === 'string_literal') return null;
  return { subject: other.text.replace(/\s+/g, ' '), literal: literal.text };
}

/** A node's text as the patch wrote it (the C model's source has macros normalised to same-width stand-ins). */
export function writtenText(image: { rawLines: string[]; lineMap: number[] }, n: SyntaxNode): string {
  if (n.startPosition.row !== n.endPosition.row) return n.text;
  const raw = image.rawLines[n.startPosition.row];
  if (!image.lineMap[n.startPosition.row] || raw === undefined) return n.text;
  return raw.slice(n.startPosition.column, n.endPosition.column);
}

/** Error codes by shape: errno (`-EINVAL`), `*_ERR_*`/`*_ERROR_*`, libxl's `ERROR_FAIL`/`ERROR_INVAL`, `*_FAILED`. */
export const ERROR_CODE_SHAPES: readonly { pattern: RegExp; source: string }[] = [
  { pattern: /^\(?-E[A-Z0-9]+\)?$/, source: 'errno(3), negated as Xen and Linux return it' },
  { pattern: /^-?[A-Z][A-Z0-9]*_ERR(OR)?_[A-Z0-9_]+$/, source: 'GlobalPlatform TEE_ERROR_*, libfdt FDT_ERR_*' },
  { pattern: /^-?ERR(OR)?_[A-Z0-9_]+$/, source: 'Xen tools/include/libxl.h ERROR_FAIL, ERROR_INVAL, ...' },
  { pattern: /^-?[A-Z][A-Z0-9_]*_(FAIL|FAILED|FAILURE|INVALID)$/, source: 'status enums named *_FAIL/*_FAILED' },
];

export const isErrorCode = (text: string): boolean => ERROR_CODE_SHAPES.some((e) => e.pattern.test(text.replace(/\s+/g, '')));
