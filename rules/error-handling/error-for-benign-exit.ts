import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { conditionOf, descendants, errnoReturned } from '../../src/review/ast.ts';
import { evidence, fragmentAssumptions } from '../../src/review/judge.ts';
import { replacedBy } from '../../src/review/patch-lines.ts';
import { SEED_THREAD } from './source.ts';

/** Names of configuration flags: a feature that is off is a choice, not a failure. */
const FEATURE_FLAG = /(^|_)(enabled?|active|present|supported|available|initiali[sz]ed|on)$/;

function guardOf(ret: SyntaxNode): SyntaxNode | null {
  for (let n: SyntaxNode | null = ret.parent; n; n = n.parent) {
    if (n.type === 'if_statement') return n;
    if (n.type === 'function_definition') return null;
  }
  return null;
}

const disabledFlag = (ifs: SyntaxNode | null): string | null => {
  const cond = ifs ? conditionOf(ifs) : null;
  if (cond?.type !== 'unary_expression' || cond.childForFieldName('operator')?.text !== '!') return null;
  const arg = cond.childForFieldName('argument');
  return arg?.type === 'identifier' && FEATURE_FLAG.test(arg.text) ? arg.text : null;
};

export default defineRule({
  scope: 'function',
  meta: {
    id: 'error-for-benign-exit',
    pack: 'error-handling',
    family: 'disabled-not-error',
    severity: 'warning',
    summary: 'A negative errno is returned for a benign condition: a feature switched off, or an exit that used to be a normal return.',
    source: {
      ...SEED_THREAD,
      quote: 'iommu_enabled can be false if user chooses so. You should return ZERO here to indicate success.',
    },
    messages: {
      disabled:
        '{{flag}} can be false because the user chose so; that is not a failure. Return 0 here instead of {{errno}}, or every caller will treat a disabled feature as an error.',
      wasPlainReturn:
        'This exit was a plain `return;` before the patch, and nothing has failed when it is reached. Is it really a failure? If not, return 0 rather than {{errno}}.',
    },
    fixable: false,
    limitations: 'Cannot know what a condition means; it asks when an old normal exit became an error, and says so when a configuration flag guards it.',
  },
  detect(ctx) {
    const out = [];
    for (const ret of descendants(ctx.post.node, 'return_statement')) {
      if (!ctx.isAdded(ret)) continue;
      const errno = errnoReturned(ret);
      if (!errno) continue;
      const flag = disabledFlag(guardOf(ret));
      const wasPlain = replacedBy(ctx, ctx.lineOf(ret)).some((t) => /^\s*return\s*;\s*$/.test(t));
      if (flag || wasPlain) out.push({ node: ret, data: { flag, errno: `-${errno}` } });
    }
    return out;
  },
  check(candidate, ctx) {
    const flag = candidate.data.flag as string | null;
    const errno = candidate.data.errno as string;
    const exit = ctx.sim.errorExitWithoutFailure(candidate.node);
    const assumptions = fragmentAssumptions(ctx);
    if (!guardOf(candidate.node) || ctx.lineOf(guardOf(candidate.node)!) === 0) {
      assumptions.push('the condition guarding this exit is not shown by the patch');
    }
    return {
      verdict: exit.reachableWithoutFailure ? 'verified' : 'refuted',
      messageId: flag ? 'disabled' : 'wasPlainReturn',
      data: { flag: flag ?? '', errno },
      evidence: evidence(exit.witness, {
        story: exit.reachableWithoutFailure ? '' : `${errno} is returned only after a call failed`,
        assumptions,
      }),
    };
  },
  cases: {
    flagged: [
      {
        name: 'a disabled feature becomes -EINVAL',
        patch: `--- a/xen/drivers/quux.c
+++ b/xen/drivers/quux.c
@@ -50,11 +50,12 @@ static void quux_helper(void)
 
-static void quux_suspend(void)
+static int quux_suspend(void)
 {
     struct quux *q;
 
     if ( !quux_enabled )
-        return;
+        return -EINVAL;
 
     quux_save(q);
+    return 0;
 }
 
`,
        expect: { snippet: 'return -EINVAL;', verdict: 'verified', messageId: 'disabled' },
      },
    ],
    clean: [
      {
        name: 'an allocation failure becomes -ENOMEM',
        patch: `--- a/xen/drivers/quux.c
+++ b/xen/drivers/quux.c
@@ -50,11 +50,12 @@ static void quux_helper(void)
 
-static void quux_init(void)
+static int quux_init(void)
 {
     struct quux *q = xzalloc(struct quux);
 
     if ( !q )
-        return;
+        return -ENOMEM;
 
     quux_save(q);
+    return 0;
 }
 
`,
      },
    ],
  },
});
