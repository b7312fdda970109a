// Fallibility from what the patch itself shows: definitions and bodies in any hunk, status return types,
// __must_check prototypes, hunk-header heads, function-pointer members, checks in context lines. Each
// flagged fixture has a near miss the evidence must not flag (a count, a value-returning hook, a predicate).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { review } from '../../src/default-review.ts';
import { parsePatchText } from '../../src/patch/index.ts';
import { learnFromPatch } from '../../src/knowledge/patch-learn.ts';
import type { Finding } from '../../src/review/types.ts';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`../fixtures/evidence/${name}`, import.meta.url)), 'utf8');

async function dropped(name: string): Promise<Finding[]> {
  const r = await review(fixture(name));
  return r.findings.filter((f) => f.ruleId === 'error-handling/dropped-error');
}

function learned(name: string): ReturnType<typeof learnFromPatch> {
  const set = parsePatchText(fixture(name));
  return learnFromPatch(set.patches.flatMap((p) => p.files));
}

describe('fallibility from the patch: definitions and bodies', () => {
  it('a status-typed helper the patch defines, called bare, is a dropped error; the witness names the status failure', async () => {
    const [f, ...rest] = await dropped('status-helper.patch');
    assert.equal(rest.length, 0);
    assert.ok(f);
    assert.equal(f.line, 36);
    assert.equal(f.verdict, 'verified');
    assert.match(f.evidence.story ?? '', /returns a TEE_ERROR_\* code/);
    assert.ok(f.evidence.reliedOn.some((r) => /TEE_Result.*core\/drivers\/blk\.c:23/.test(r)), f.evidence.reliedOn.join('\n'));
  });

  it('an int helper that returns a computed count is a value: no finding', async () => {
    assert.deepEqual(await dropped('int-count-helper.patch'), []);
    assert.equal(learned('int-count-helper.patch').fact('blk_pending')?.convention, 'value');
  });

  it('an int function that returns what a < 0-tested callback returns is learned as errno, through the callback', async () => {
    const k = learned('walker.patch');
    const fact = k.fact('tree_walk');
    assert.equal(fact?.convention, 'errno');
    assert.match(fact?.source ?? '', /through fn\(\).*xen\/common\/tree\.c:43/);
    const [f, ...rest] = await dropped('walker.patch');
    assert.equal(rest.length, 0);
    assert.equal(f?.line, 79);
    assert.equal(f?.verdict, 'verified');
    assert.ok(f?.evidence.reliedOn.some((r) => /tree_walk\(\) returns a negative errno.*\(shown in this patch\)/.test(r)));
  });

  it('the same shape returning a computed count is a value: no finding', async () => {
    assert.equal(learned('walker-count.patch').fact('tree_count')?.convention, 'value');
    assert.deepEqual(await dropped('walker-count.patch'), []);
  });

  it("a hunk header's head (`@@ ... @@ static TEE_Result f(`) declares the function it cuts into", async () => {
    const d = learned('section-header.patch').declaration('store_flush_one');
    assert.equal(d?.kind, 'section-header');
    assert.equal(d?.returnType, 'TEE_Result');
    const [f, ...rest] = await dropped('section-header.patch');
    assert.equal(rest.length, 0);
    assert.equal(f?.line, 214);
    assert.ok(f?.evidence.reliedOn.some((r) => /store_flush_one\(\).*core\/kernel\/store\.c:140/.test(r)), f?.evidence.reliedOn.join('\n'));
  });

  it('a __must_check prototype in a header hunk makes a bare call in another file a dropped error', async () => {
    const [f, ...rest] = await dropped('must-check-proto.patch');
    assert.equal(rest.length, 0);
    assert.equal(f?.file, 'xen/common/pool.c');
    assert.ok(f?.evidence.reliedOn.some((r) => r.includes('declared __must_check at xen/include/xen/pool.h:15')));
  });
});

describe('fallibility from the patch: function-pointer members', () => {
  it('`int (*m)(void)` declared in a header hunk makes `ops->m()` fallible, keyed by the member', async () => {
    const k = learned('hook-member.patch');
    assert.equal(k.declaration('irqc_ops->cpu_init')?.kind, 'member');
    assert.equal(k.declaration('irqc_ops->cpu_init')?.line, 37);
    // siblings declared void or unsigned are not statuses
    assert.equal(k.declaration('->mask')?.returnType, 'void');
    const [f, ...rest] = await dropped('hook-member.patch');
    assert.equal(rest.length, 0);
    assert.equal(f?.line, 91);
    assert.equal(f?.verdict, 'verified');
    assert.ok(f?.evidence.reliedOn.some((r) => r.includes('xen/include/asm-arm/irqc.h:37')));
  });

  it('an int member whose implementation in the patch returns a computed value is a value: no finding', async () => {
    assert.equal(learned('hook-member-value.patch').declaration('->ack')?.computedBy, 'irqc_v1_ack');
    assert.deepEqual(await dropped('hook-member-value.patch'), []);
  });
});

describe('fallibility from the patch: function-pointer types', () => {
  it('a parameter of a typedef\'d `int (*)(...)` type, declared in a header hunk, is fallible where it is called bare', async () => {
    const d = learned('typedef-hook.patch').declaration('visit');
    assert.equal(d?.kind, 'parameter');
    assert.deepEqual(d?.via, { type: 'node_visit_fn', file: 'xen/include/xen/walk.h', line: 11 });
    const [f, ...rest] = await dropped('typedef-hook.patch');
    assert.equal(rest.length, 0);
    assert.equal(f?.line, 28);
    assert.ok(f?.evidence.reliedOn.some((r) => r.includes('(node_visit_fn is `int (*)(...)`, xen/include/xen/walk.h:11)')), f?.evidence.reliedOn.join('\n'));
  });

  it('the same with an unsigned return type is a value: no finding', async () => {
    assert.equal(learned('typedef-value.patch').declaration('weigh')?.returnType, 'unsigned int');
    assert.deepEqual(await dropped('typedef-value.patch'), []);
  });
});

describe('fallibility from the patch: checks in context lines', () => {
  it('a callee whose result unchanged code checks and passes on is fallible where the patch drops it', async () => {
    const [f, ...rest] = await dropped('context-check.patch');
    assert.equal(rest.length, 0);
    assert.equal(f?.line, 114);
    assert.ok(f?.evidence.reliedOn.some((r) => r === 'the result of uart_claim_irq() is checked and passed on at xen/drivers/char/uart.c:104'));
  });

  it('a predicate tested in context (its branch returns success) is no evidence', async () => {
    assert.deepEqual(await dropped('context-predicate.patch'), []);
  });
});
