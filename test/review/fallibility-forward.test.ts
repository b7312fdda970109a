// `return f(..);` is evidence that f reports a status only when the value is handed on as a status: a wrapper
// whose own type cannot carry a failure (char, size_t, unsigned) or that converts the value (`(int)f(..)`)
// forwards a value (an operation multiplexer's answer), and says nothing about how f fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { review } from '../../src/default-review.ts';

const patch = (wrapper: string): string => `--- /dev/null
+++ b/core/kernel/hostop.c
@@ -0,0 +1,15 @@
+// SPDX-License-Identifier: BSD-2-Clause
+#include <kernel/hostop.h>
+
+${wrapper.split('\n').join('\n+')}
+
+void hostop_putc(char c)
+{
+	__do_hostop(HOSTOP_PUTC, (uintptr_t)&c);
+}
+
+int hostop_ready(void)
+{
+	return hostop_state == HOSTOP_UP;
+}
`;

const dropped = async (wrapper: string): Promise<string[]> =>
  (await review(patch(wrapper))).findings.filter((f) => f.ruleId === 'error-handling/dropped-error').map((f) => `${f.function}:${f.line}`);

test('a wrapper that hands the result on as its own status is evidence: the bare call elsewhere drops it', async () => {
  assert.deepEqual(await dropped('int hostop_close(int fd)\n{\n\treturn __do_hostop(HOSTOP_CLOSE, fd);\n}'), ['hostop_putc:11']);
});

test('near miss: a char wrapper forwards a value, not a status', async () => {
  assert.deepEqual(await dropped('char hostop_getc(void)\n{\n\treturn __do_hostop(HOSTOP_GETC, 0);\n}'), []);
});

test('near miss: a wrapper that converts the value (`(int)f(..)`) forwards a value, not a status', async () => {
  assert.deepEqual(await dropped('int hostop_close(int fd)\n{\n\treturn (int)__do_hostop(HOSTOP_CLOSE, fd);\n}'), []);
});
