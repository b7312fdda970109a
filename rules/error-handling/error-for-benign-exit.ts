import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { conditionOf, descendants, errnoReturned } from '../../src/review/ast.ts';
import { peel } from '../../src/review/calls.ts';
import { isFeatureFlag } from '../../src/review/api-data.ts';
import { replacedBy } from '../../src/review/patch-lines.ts';
import { SEED_THREAD } from './source.ts';

function guardOf(ret: SyntaxNode): SyntaxNode | null {
  for (let n: SyntaxNode | null = ret.parent; n; n = n.parent) {
    if (n.type === 'if_statement') return n;
    if (n.type === 'function_definition') return null;
  }
  return null;
}

const disabledFlag = (ifs: SyntaxNode | null): string | null => {
  const cond = ifs ? peel(conditionOf(ifs)) : null;
  if (cond?.type !== 'unary_expression' || cond.childForFieldName('operator')?.text !== '!') return null;
  const arg = peel(cond.childForFieldName('argument'));
  return arg?.type === 'identifier' && isFeatureFlag(arg.text) ? arg.text : null;
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
    const guard = guardOf(candidate.node);
    return {
      messageId: flag ? 'disabled' : 'wasPlainReturn',
      data: { flag: flag ?? '', errno },
      question: { kind: 'exit-without-failure', exit: candidate.node },
      assumptions: !guard || ctx.lineOf(guard) === 0 ? ['the condition guarding this exit is not shown by the patch'] : [],
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
        expect: [
          { line: 56, messageId: 'disabled', verdict: 'verified' },
        ],
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
