import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { descendants, fold, ifElseBlocks, isExitStatement, isMarkerStatement, squash, statementsOf } from '../../src/review/ast.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { SEED_THREAD } from './source.ts';

/** A run of statements worth one place: three or more, doing at least two calls, none leaving or declaring. */
const MIN_STATEMENTS = 3;
const MIN_CALLS = 2;

function qualifies(run: SyntaxNode[]): boolean {
  if (run.length < MIN_STATEMENTS) return false;
  if (run.some((s) => s.type === 'declaration' || isExitStatement(s) || isMarkerStatement(s) || s.type === 'labeled_statement')) return false;
  if (run.some((s) => [...descendants(s, new Set(['return_statement', 'goto_statement', 'break_statement', 'continue_statement']))].length > 0)) return false;
  return run.reduce((n, s) => n + [...descendants(s, 'call_expression')].length, 0) >= MIN_CALLS;
}

const blocksOf = (arm: SyntaxNode): SyntaxNode[] => [arm, ...descendants(arm, 'compound_statement')].filter((b, i, all) => all.findIndex((x) => x.id === b.id) === i);

interface Copies {
  first: SyntaxNode[];
  second: SyntaxNode[];
}

/** The longest run of the same statements in a block of each arm (a common tail of the two arms is another rule's). */
function longestCommonRun(ctx: FunctionContext, arms: [SyntaxNode, SyntaxNode]): Copies | null {
  let best: Copies | null = null;
  for (const ba of blocksOf(arms[0])) {
    const la = statementsOf(ba);
    for (const bb of blocksOf(arms[1])) {
      const lb = statementsOf(bb);
      for (let i = 0; i < la.length; i++) {
        for (let j = 0; j < lb.length; j++) {
          if (i > 0 && j > 0 && squash(la[i - 1]!.text) === squash(lb[j - 1]!.text)) continue; // not maximal
          let k = 0;
          while (i + k < la.length && j + k < lb.length && squash(la[i + k]!.text) === squash(lb[j + k]!.text)) k++;
          const first = la.slice(i, i + k);
          const second = lb.slice(j, j + k);
          const isTail = ba.id === arms[0].id && bb.id === arms[1].id && i + k === la.length && j + k === lb.length;
          if (isTail || !qualifies(first) || (best && best.first.length >= k)) continue;
          if (![...first, ...second].some((s) => ctx.touchesAdded(s))) continue;
          best = { first, second };
        }
      }
    }
  }
  return best;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'same-block-in-both-branches',
    pack: 'simplify',
    family: 'duplicated-cleanup',
    severity: 'info',
    summary: 'The same statements appear inside both branches of an if/else, doing the same calls on the same values: write them once.',
    source: { ...SEED_THREAD, quote: 'iommu_flush_write_buffer can be combined to one for above two branches.' },
    messages: {
      sameBlock:
        'The same {{count}} statements (`{{first}}` ... `{{last}}`) are in both branches of this if/else (lines {{lineA}} and {{lineB}}) and make the same calls on the same values: write them once (a helper both branches call, or one test after the if/else).',
    },
    fixable: false,
    limitations:
      'Compares statements by text, then asks the simulator whether both copies make the same calls with the same values; copies that act on values each branch computes differently are not reported. Proposes no rewrite: where the copies sit under different conditions, one place needs a helper or a new variable, which is the author\'s choice.',
  },
  detect(ctx) {
    const out = [];
    for (const ifs of descendants(ctx.post.node, 'if_statement')) {
      if (!ctx.touchesAdded(ifs)) continue;
      const arms = ifElseBlocks(ifs);
      const copies = arms ? longestCommonRun(ctx, arms) : null;
      if (!copies) continue;
      // Point at the copy the patch adds (the later one when it adds both).
      const at = copies.second.some((s) => ctx.touchesAdded(s)) ? copies.second : copies.first;
      out.push({ node: at[0]!, data: { ...copies } });
    }
    return out;
  },
  check(candidate, ctx) {
    const { first, second } = candidate.data as unknown as Copies;
    const line = (s: SyntaxNode): string => {
      const t = fold(s.text);
      return t.length > 60 ? `${t.slice(0, 57)}...` : t;
    };
    return {
      messageId: 'sameBlock',
      data: {
        count: String(first.length),
        first: line(first[0]!),
        last: line(first[first.length - 1]!),
        lineA: String(ctx.lineOf(first[0]!)),
        lineB: String(ctx.lineOf(second[0]!)),
      },
      question: { kind: 'same-effects', first, second },
    };
  },
  cases: {
    flagged: [
      {
        name: 'the same mark-dirty sequence inside the user and the kernel branch',
        patch: `--- a/core/mm/quux.c
+++ b/core/mm/quux.c
@@ -40,3 +40,27 @@ static void quux_flush(void)
 
 static struct quux_table quux_tbl;
 
+static void quux_write_fault(struct quux_area *area, struct fault *f, uint32_t attr)
+{
+	unsigned int idx = quux_idx(area, f->va);
+
+	if (fault_from_user(f)) {
+		if (!(area->flags & QUUX_UW))
+			return;
+		if (!(attr & QUUX_UW)) {
+			DMSG("dirty %#lx", f->va);
+			quux_set_entry(area, idx, quux_attr(area->flags));
+			quux_tlb_flush(0);
+		}
+	} else {
+		if (!(area->flags & QUUX_PW))
+			panic();
+		if (!(attr & QUUX_PW)) {
+			DMSG("dirty %#lx", f->va);
+			quux_set_entry(area, idx, quux_attr(area->flags));
+			quux_tlb_flush(0);
+		}
+	}
+	quux_count++;
+}
+
`,
        expect: [{ line: 59, messageId: 'sameBlock', verdict: 'verified' }],
      },
    ],
    clean: [
      {
        name: 'the same text acts on a value each branch computes differently',
        refuted: true,
        patch: `--- a/core/mm/quux.c
+++ b/core/mm/quux.c
@@ -40,3 +40,22 @@ static void quux_flush(void)
 
 static struct quux_table quux_tbl;
 
+static void quux_write_fault(struct quux_area *area, struct fault *f, uint32_t attr)
+{
+	unsigned int idx;
+
+	if (fault_from_user(f)) {
+		idx = quux_user_idx(area, f->va);
+		DMSG("dirty %#lx", f->va);
+		quux_set_entry(area, idx, quux_attr(area->flags));
+		quux_tlb_flush(0);
+		quux_count++;
+	} else {
+		idx = quux_kernel_idx(area, f->va);
+		DMSG("dirty %#lx", f->va);
+		quux_set_entry(area, idx, quux_attr(area->flags));
+		quux_tlb_flush(0);
+		quux_count--;
+	}
+}
+
`,
      },
      {
        name: 'both branches end with the same error exit: duplicated exits are how C leaves',
        patch: `--- a/core/mm/quux.c
+++ b/core/mm/quux.c
@@ -40,3 +40,24 @@ static void quux_flush(void)
 
 static struct quux_table quux_tbl;
 
+static int quux_write_fault(struct quux_area *area, struct fault *f)
+{
+	if (fault_from_user(f)) {
+		if (quux_user_check(area)) {
+			quux_unlock(area);
+			quux_put(area);
+			return -1;
+		}
+		quux_user_map(area, f);
+	} else {
+		if (quux_kernel_check(area)) {
+			quux_unlock(area);
+			quux_put(area);
+			return -1;
+		}
+		quux_kernel_map(area, f);
+	}
+	quux_unlock(area);
+	return 0;
+}
+
`,
      },
    ],
  },
});
