// Macro-robust normalisation before tree-sitter. CONTRACT (implementation owned by the
// macro-normalisation work): the output has exactly the input's length and every newline at the
// same offset, so rows, columns and byte offsets of the tree are those of the real text.
//
// The pass lexes once, settles conditional compilation, then runs table-driven rules
// (src/c/macros/rules) over the live code. Forms other modules rely on:
//   annotation      -> spaces
//   iterator        -> `while/*I*/   ( args )`, or `while   ( args )` when the name is too short
//   type argument   -> `0` and spaces; `typeof(x)` -> `int` and spaces
//   string macro    -> a same-length literal `"   "` (or `""` and spaces across lines)
//   statement macro -> spaces (file-scope declaration macros, with their `;`)
//   preprocessor    -> spaces (dead arms, `#if 0`, directives inside functions)
//   case range      -> `case A ... B:` becomes `case A ||  B:` (see src/c/switch.ts caseRange())
//   type macro      -> `XEN_GUEST_HANDLE(void) h` becomes the identifier `XEN_GUEST_HANDLE_void_ h`
//   alignof         -> `sizeof` and a space
//   asm forms       -> `asm_inline` becomes `__asm__` and spaces; a macro as an asm's template a same-length literal
//   offsetof member -> `offsetof(struct s, a.b[1])` becomes `offsetof(struct s, a_b_1_)` (one field name)
//   block macro     -> `with_lock(&l) {` becomes a loop head like an iterator
//   label macro     -> `CASE_OPS(a, b):` becomes `case     (a, b):`
import type { Dialect } from './types.ts';
import { buildView } from './macros/code-view.ts';
import { macrosFor } from './macros/index.ts';
import { lexC } from './macros/lexer.ts';
import { resolveConditionals } from './macros/preprocessor.ts';
import { Rewriter } from './macros/rewriter.ts';
import { blankAnnotations } from './macros/rules/annotations.ts';
import { rewriteCaseRanges } from './macros/rules/case-ranges.ts';
import { rewriteAlignof } from './macros/rules/alignof.ts';
import { rewriteAsmForms } from './macros/rules/asm-forms.ts';
import { rewriteOffsetof } from './macros/rules/offsetof.ts';
import { rewriteOddNumbers, rewriteStatementMacros } from './macros/rules/statement-macros.ts';
import { rewriteTypeMacros } from './macros/rules/type-macros.ts';
import { blankUnknownAnnotations } from './macros/rules/unknown-annotations.ts';
import { blankFileScopeMacros } from './macros/rules/file-scope-macros.ts';
import { rewriteIterators } from './macros/rules/iterators.ts';
import { rewriteStringMacros } from './macros/rules/string-macros.ts';
import { rewriteTypeArguments } from './macros/rules/type-arguments.ts';

export { parseHealth, functionHealth, type FunctionHealth } from './macros/parse-health.ts';

export interface Replacement {
  /** Offsets into the source, [start, end). */
  start: number;
  end: number;
  /** What was there and why it was rewritten. */
  original: string;
  kind: 'annotation' | 'iterator' | 'type-argument' | 'string-macro' | 'statement-macro' | 'asm' | 'preprocessor' | 'case-range' | 'other';
}

export interface NormalizeResult {
  text: string;
  replacements: Replacement[];
}

export function dialectForPath(path: string | null | undefined): Dialect {
  if (!path) return 'generic';
  if (/(^|\/)xen\//.test(path)) return 'xen';
  if (/^(drivers|arch|kernel|fs|mm|net|include\/linux|block|sound|lib|virt|security|crypto)\//.test(path)) return 'linux';
  return 'generic';
}

// Order matters only where rules could claim the same text; the rewriter refuses overlaps, so
// the earlier rule wins: whole declarations first, then words, then argument lists.
const RULES = [
  blankFileScopeMacros, blankAnnotations, rewriteTypeMacros, blankUnknownAnnotations, rewriteIterators,
  rewriteStatementMacros, rewriteTypeArguments, rewriteStringMacros, rewriteCaseRanges, rewriteAlignof, rewriteOffsetof, rewriteAsmForms,
  rewriteOddNumbers,
];

export interface NormalizeOptions {
  dialect: Dialect;
  /**
   * The text starts inside a function body (a patch fragment): read it at brace depth 1, so the
   * rules for function bodies apply before the first `{`.
   */
  startsInside?: boolean;
}

export function normalizeC(source: string, options: NormalizeOptions): NormalizeResult {
  const rw = new Rewriter(source);
  const live = resolveConditionals(lexC(source), rw, options.startsInside ? 1 : 0);
  const view = buildView(live, macrosFor(options.dialect), rw);
  for (const rule of RULES) rule(view);
  const replacements = [...rw.replacements].sort((a, b) => a.start - b.start);
  return { text: rw.text(), replacements };
}
