import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCModel } from '../../src/c/index.ts';
import { normalizeC } from '../../src/c/normalize.ts';
import { parseC, type SyntaxNode } from '../../src/c/parser.ts';
import { caseRange, isDefaultLabel } from '../../src/c/switch.ts';
import type { FunctionImage, TouchedFunction } from '../../src/c/types.ts';
import { diffToPatch } from './helpers.ts';

const diff = (path: string, body: string): string =>
  `diff --git a/${path} b/${path}\nindex 1111111..2222222 100644\n--- a/${path}\n+++ b/${path}\n${body}`;

function only(text: string, name: string): TouchedFunction {
  const fn = buildCModel(diffToPatch(text)).files.flatMap((f) => f.functions).find((f) => f.name === name);
  assert.ok(fn, name);
  return fn;
}

function assertClean(image: FunctionImage | undefined): FunctionImage {
  assert.ok(image, 'image');
  assert.ok(image.health.clean, `${image.side} of ${image.name} parses:\n${image.source}\n${JSON.stringify(image.health.firstError)}`);
  return image;
}

const rowOf = (image: FunctionImage, line: number): number => image.lineMap.indexOf(line);
const gapCalls = (node: SyntaxNode): string[] =>
  node.descendantsOfType('call_expression').filter((c) => c.childForFieldName('function')?.text === '__pr_unseen').map((c) => c.text);

test('a GNU case range keeps its columns and parses as a binary label that caseRange() reads back', () => {
  const source = 'int kind(int c)\n{\n    switch ( c )\n    {\n    case 0x10 ... 0x1f:\n        return 1;\n    case LOW || HIGH:\n        return 2;\n    default:\n        return 0;\n    }\n}\n';
  const text = normalizeC(source, { dialect: 'xen' }).text;
  assert.equal(text.length, source.length);
  assert.equal(text.split('\n')[4], '    case 0x10 ||  0x1f:');
  const tree = parseC(text);
  assert.equal(tree.rootNode.hasError, false);
  const labels = tree.rootNode.descendantsOfType('case_statement');
  const image = { rawLines: source.split('\n') };
  const range = caseRange(image, labels[0]!);
  assert.deepEqual([range?.low.text, range?.high.text], ['0x10', '0x1f']);
  assert.equal(caseRange(image, labels[1]!), undefined, 'a real `||` label is not a range');
  assert.equal(isDefaultLabel(labels[2]!), true);
  assert.equal(isDefaultLabel(labels[0]!), false);
});

test('a function whose switch has case ranges and `case X: return hook();` arms models cleanly', () => {
  const fn = only(
    diff('xen/arch/x86/emul.c', `@@ -30,12 +30,13 @@ static int classify(unsigned int op)
 {
     switch ( op )
     {
     case OP_FIRST ... OP_LAST:
-        return handle_range();
+        return handle_range(op);
     case OP_HOOK: return hook();
     case 'a' ... 'z': case 'A' ... 'Z':
         break;
+    case OP_NONE:
     default:
         return -EINVAL;
     }
     return 0;
`),
    'classify',
  );
  const post = assertClean(fn.post);
  assertClean(fn.pre);
  const sw = post.node.descendantsOfType('switch_statement');
  assert.equal(sw.length, 1);
  const labels = sw[0]!.descendantsOfType('case_statement');
  assert.equal(labels.length, 6);
  assert.deepEqual(labels.map((l) => (caseRange(post, l) ? 'range' : isDefaultLabel(l) ? 'default' : 'value')),
    ['range', 'value', 'range', 'range', 'value', 'default']);
  const hook = labels[1]!;
  assert.equal(hook.namedChildren.at(-1)?.type, 'return_statement');
  assert.equal(post.calls.find((c) => c.callee === 'hook')?.use, 'returned');
});

test('a hunk ending at `switch ( op->cmd )` gives the switch an unseen block body, then the unseen rest', () => {
  const fn = only(
    diff('xen/common/sched.c', `@@ -100,6 +100,9 @@ long adjust(struct domain *d, struct sched_op *op)
 {
     long ret;
 
+    if ( op->id != current_id(d) )
+        return -EINVAL;
+
     switch ( op->cmd )
`),
    'adjust',
  );
  for (const image of [fn.pre, fn.post]) {
    const img = assertClean(image);
    const sw = img.node.descendantsOfType('switch_statement')[0];
    assert.ok(sw, 'a switch statement');
    const body = sw.childForFieldName('body')!;
    assert.equal(body.type, 'compound_statement');
    assert.equal(gapCalls(body).length, 1, 'the unseen arms are a gap inside the switch');
    const after = img.gaps.filter((g) => g.reason === 'after-fragment');
    assert.equal(after.length, 2, 'one gap for the switch body, one for the rest of the function');
    assert.ok(after.every((g) => g.afterLine === (img.side === 'post' ? 106 : 103)));
  }
});

test('a hunk ending at a switch head and the next one inside a case arm stay one switch', () => {
  const fn = only(
    diff('xen/common/ops.c', `@@ -10,5 +10,5 @@ int do_op(struct op *op)
 {
     int rc;
 
-    switch ( op->kind )
+    switch ( op->cmd )
@@ -40,6 +40,7 @@ int do_op(struct op *op)
         rc = first(op);
         break;
 
     case OP_SECOND:
+        rc = prepare(op);
         rc = second(op);
         break;
     }
`),
    'do_op',
  );
  const post = assertClean(fn.post);
  const switches = post.node.descendantsOfType('switch_statement');
  assert.equal(switches.length, 1);
  const body = switches[0]!.childForFieldName('body')!;
  const second = body.namedChildren.find((n) => n.type === 'case_statement');
  assert.equal(second?.childForFieldName('value')?.text, 'OP_SECOND');
  assert.ok(second!.text.includes('prepare(op)'));
  // The unseen arms before the visible one are a gap inside the switch body, as its first statement.
  assert.match(body.namedChildren[0]!.text, /^__pr_unseen\(\d+\);$/);
  assert.ok(rowOf(post, 44) > 0);
});

test('a hunk starting inside a case arm reopens the switch with an unknown discriminant', () => {
  const fn = only(
    diff('xen/arch/x86/traps.c', `@@ -200,6 +200,8 @@ static int emulate(struct cpu_regs *regs, unsigned int op)
         regs->ax = 0;
         break;
 
     case OP_READ:
+        if ( !regs )
+            return -EFAULT;
         rc = do_read(regs);
         break;
`),
    'emulate',
  );
  const post = assertClean(fn.post);
  const sw = post.node.descendantsOfType('switch_statement');
  assert.equal(sw.length, 1);
  assert.equal(sw[0]!.childForFieldName('condition')?.text, '( __pr_unknown() )');
  assert.equal(post.lineMap[sw[0]!.startPosition.row], 0, 'the reopened switch is synthetic');
  const label = sw[0]!.descendantsOfType('case_statement')[0];
  assert.equal(label?.childForFieldName('value')?.text, 'OP_READ');
  assert.ok(gapCalls(sw[0]!.childForFieldName('body')!).length >= 1, 'the unseen start of the arms is inside the switch');
});

test('a hunk starting on the second line of a multi-line signature keeps the head from the section header', () => {
  const fn = only(
    diff('xen/arch/x86/seg.c', `@@ -40,6 +40,7 @@ static int read_seg(enum seg_kind seg, struct seg_reg *reg,
     struct emul_ctxt *ctxt)
 {
+    ASSERT(reg);
     if ( seg == seg_tss )
         return -EINVAL;
     return fill(reg, ctxt);
 }
`),
    'read_seg',
  );
  const post = assertClean(fn.post);
  assert.equal(post.startsInside, false);
  assert.equal(post.returnType, 'int');
  assert.equal(post.paramsIncomplete, true, 'lines between the header and the hunk may hold parameters');
  assert.deepEqual(post.params.map((p) => p.name), ['seg', 'reg', 'ctxt']);
  assert.equal(post.gaps.length, 0);
  assert.equal(post.lineMap[rowOf(post, 40)], 40);
  assert.equal(post.lineMap[0], 0, 'the header row is synthetic');
});
