// logging/error-level-not-error: scaffolded by `patch-review rules new` from comment 30 of seed thread 002, then written.
import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { descendants, fold } from '../../src/review/ast.ts';
import { errorLogLevel, messageOf, writtenText } from '../../src/review/log-levels.ts';

/**
 * Words with which a message says the code recovers by putting something in place of what failed: "so goes
 * 'force' by default", "using the default", "falling back to", "assuming", "using X instead" (a bare "instead", as in
 * "should be 4 instead", says what was expected, not what is done), or that it is "not an error", "non-fatal",
 * "harmless" (the reviewer's own words). Words that only say a
 * thing is left out ("ignoring", "skipping") are not enough: dropping a request can be the error it reports.
 */
const RECOVERS =
  /\bby default\b|\bdefault(s|ing)? to\b|\b(using|use|keeping|keep|choosing) (the )?default\b|\bfall(s|ing)?[ -]?back\b|\bfallback to\b|\b(us(e|ing)|tak(e|ing)|tr(y|ying)|pick(ing)?)\b[^.;:]{0,40}\binstead\b|\bassum(e|es|ing)\b|\bnot (an? )?(error|fatal|problem)\b|\bnon-?fatal\b|\bharmless\b/i;

const statementOf = (call: SyntaxNode): SyntaxNode | null => (call.parent?.type === 'expression_statement' ? call.parent : null);

export default defineRule({
  scope: 'function',
  meta: {
    id: 'error-level-not-error',
    pack: 'logging',
    family: 'log-level',
    severity: 'info',
    summary: 'A message printed at error level says the code recovers (uses a default, falls back) or that it is no error, and the function then reports success: not an error by its own words.',
    source: {
      list: 'xen-devel',
      thread: 'Re: [Xen-devel] [RFC][PATCH 01/13] tools: introduce some new parameters to set rdm policy',
      date: '2015-05-08',
      reviewer: 'Wei Liu',
      quote: 'If this is not an error, you don\'t need XLU__PCI_ERR.',
    },
    messages: {
      notError:
        '{{function}}() prints "{{message}}" at error level ({{level}}), then carries on and reports success: by its own words this is not an error. Print it as a warning, or, if it is an error, fail instead of recovering.',
    },
    fixable: false,
    limitations:
      'Error level is read from data (src/review/log-levels.ts: pr_err/dev_err, EMSG, XENLOG_ERR/KERN_ERR/LOG_ERR/LOG(ERROR), ' +
      'printers named *_ERR). The message must say it recovers by a substitute (by default, falling back, using X instead, assuming) or that it is no error (not an error, non-fatal, harmless): an ' +
      'error-level message that only ignores or skips something is not reported, nor is a message built at run time. ' +
      'Whether the function then reports success is the simulator\'s answer; a path that goes on into code the patch does ' +
      'not show is inconclusive.',
  },
  detect(ctx) {
    const out = [];
    for (const call of descendants(ctx.post.node, 'call_expression')) {
      if (!ctx.isAdded(call)) continue;
      const stmt = statementOf(call);
      if (!stmt) continue;
      const level = errorLogLevel(call, (n) => writtenText(ctx.post, n));
      if (!level) continue;
      const message = fold(messageOf(call));
      if (!RECOVERS.test(message)) continue;
      out.push({ node: stmt, data: { level: level.level, levelSource: level.source, message } });
    }
    return out;
  },
  check(candidate, ctx) {
    const d = candidate.data as Record<string, string>;
    const message = d.message!.length > 80 ? `${d.message!.slice(0, 77)}...` : d.message!;
    return {
      messageId: 'notError',
      data: { function: ctx.fn.name, message: message.replace(/\\n$/, ''), level: d.level! },
      question: { kind: 'success-after', at: candidate.node, doing: `prints "${message.replace(/\\n$/, '')}" at error level (${d.level})` },
      assumptions: [`${d.level} prints at error level (${d.levelSource})`],
    };
  },
  cases: {
    flagged: [
      {
        name: 'an error-level message that says it falls back, then the probe returns 0',
        patch: `--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -0,0 +1,16 @@
+static int foo_probe(struct foo_dev *fd)
+{
+    unsigned int rate = foo_read_rate(fd);
+
+    if ( rate > FOO_MAX_RATE )
+    {
+        pr_err("foo: rate %u too high, falling back to %u\\n", rate, FOO_MAX_RATE);
+        rate = FOO_MAX_RATE;
+    }
+
+    fd->rate = rate;
+
+    return 0;
+}
+
+
`,
        expect: [{ line: 7, messageId: 'notError', verdict: 'verified' }],
      },
      {
        name: 'XENLOG_ERR in a void function: the message picks a default and the function returns normally',
        patch: `--- a/xen/common/foo.c
+++ b/xen/common/foo.c
@@ -0,0 +1,11 @@
+static void __init foo_set_mode(unsigned int mode)
+{
+    if ( mode >= FOO_MODES )
+    {
+        printk(XENLOG_ERR "foo: bad mode %u, using default\\n", mode);
+        mode = FOO_MODE_DEFAULT;
+    }
+    foo_mode = mode;
+}
+
+
`,
        expect: [{ line: 5, messageId: 'notError', verdict: 'verified' }],
      },
      {
        name: 'dev_err says the failure is harmless, and the function goes on to return 0',
        patch: `--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -0,0 +1,11 @@
+static int foo_resume(struct device *dev)
+{
+    struct foo *f = dev_get_drvdata(dev);
+
+    if ( foo_restore_leds(f) )
+        dev_err(dev, "could not restore the LEDs (harmless)\\n");
+
+    return 0;
+}
+
+
`,
        expect: [{ line: 6, messageId: 'notError', verdict: 'verified' }],
      },
    ],
    clean: [
      {
        name: 'the message says it falls back, but the function still fails: the error level is right',
        refuted: true,
        patch: `--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -0,0 +1,13 @@
+static int foo_probe(struct foo_dev *fd)
+{
+    unsigned int rate = foo_read_rate(fd);
+
+    if ( rate > FOO_MAX_RATE )
+    {
+        EMSG("rate %u too high, no fallback to %u here", rate, FOO_MAX_RATE);
+        return -EINVAL;
+    }
+
+    return 0;
+}
+
`,
      },
      {
        name: 'an error-level message that says what was expected ("should be 4 instead"), not what is done',
        patch: `--- a/xen/arch/x86/foo.c
+++ b/xen/arch/x86/foo.c
@@ -0,0 +1,10 @@
+static int foo_write(unsigned long len, unsigned int val)
+{
+    if ( len != 4 )
+    {
+        printk(XENLOG_ERR "foo write with len %lu, should be 4 instead\\n", len);
+        len = 4;
+    }
+    return foo_reg_write(val);
+}
+
`,
      },
      {
        name: 'a fallback printed as a warning',
        patch: `--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -0,0 +1,12 @@
+static int foo_probe(struct foo_dev *fd)
+{
+    unsigned int rate = foo_read_rate(fd);
+
+    if ( rate > FOO_MAX_RATE )
+    {
+        pr_warn("foo: rate %u too high, falling back to %u\\n", rate, FOO_MAX_RATE);
+        rate = FOO_MAX_RATE;
+    }
+    fd->rate = rate;
+    return 0;
+}
`,
      },
      {
        name: 'an error-level message that only ignores a request',
        patch: `--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -0,0 +1,8 @@
+static void foo_write(struct foo_dev *fd, unsigned int reg, unsigned int val)
+{
+    if ( reg >= FOO_NR_REGS )
+    {
+        pr_err("foo: write to bad register %u ignored\\n", reg);
+        return;
+    }
+}
`,
      },
    ],
  },
});
