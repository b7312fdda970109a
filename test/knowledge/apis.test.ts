// The built-in API data (src/knowledge/apis.ts): one entry per name, each with its header and contract, its
// failure values consistent with its convention, and read by the review through the knowledge layer only.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { builtinApis, builtinKnowledge, CONVENTIONS, describeFailure, knowledgeFor, stackKnowledge, configKnowledge } from '../../src/knowledge/index.ts';
import { review } from '../../src/default-review.ts';

describe('built-in API data', () => {
  it('names each function once', () => {
    const seen = new Map<string, number>();
    for (const f of builtinApis) seen.set(f.name, (seen.get(f.name) ?? 0) + 1);
    assert.deepEqual([...seen].filter(([, n]) => n > 1), []);
  });

  it('gives every entry a return type, a known convention and a source naming its header', () => {
    for (const f of builtinApis) {
      assert.ok(f.returnType, `${f.name}: returnType`);
      assert.ok(CONVENTIONS.includes(f.convention) && f.convention !== 'unknown', `${f.name}: convention ${f.convention}`);
      // "the contract in words (path/of/header.h)" or a C standard clause
      assert.match(f.source, /^\S.* \((.*\.h\b.*|C11 .*|POSIX .*)\)$/, `${f.name}: source ${f.source}`);
    }
  });

  it('keeps failure values consistent with the convention', () => {
    for (const f of builtinApis) {
      const v = f.failValues ?? [];
      switch (f.convention) {
        case 'null':
          assert.deepEqual(v, ['NULL'], f.name);
          break;
        case 'bool-success':
        case 'zero-fail':
          assert.deepEqual(v, ['0'], f.name);
          break;
        case 'err-ptr':
          assert.ok(v.length > 0 && v.every((x) => /^ERR_PTR\(-E[A-Z0-9_]+\)$/.test(x)), f.name);
          break;
        case 'errno':
          assert.ok(v.length > 0 && v.every((x) => /^-E[A-Z0-9_]+$|^-FDT_ERR_[A-Z_]+$|^-1$|^1$|^TEE_ERROR_[A-Z_]+$/.test(x)), `${f.name}: ${v.join(' ')}`);
          break;
        case 'count':
        case 'value':
          assert.deepEqual(v, [], f.name);
          break;
      }
    }
  });

  it('covers every family the brief names, with breadth', () => {
    const count = (pattern: RegExp): number => builtinApis.filter((f) => pattern.test(f.source)).length;
    assert.ok(count(/C11|POSIX/) >= 20, 'C library and POSIX');
    assert.ok(count(/include\/linux\//) >= 100, 'Linux core');
    assert.ok(count(/xen\/include\/|xen\/arch\//) >= 150, 'Xen core');
    assert.ok(count(/core\/include\/|lib\/libutils\/|lib\/libutee\//) >= 120, 'OP-TEE core');
    assert.ok(count(/libfdt\.h/) >= 30, 'libfdt');
    const by = (c: string): number => builtinApis.filter((f) => f.convention === c).length;
    for (const c of ['errno', 'err-ptr', 'null', 'zero-fail', 'bool-success', 'count', 'value']) assert.ok(by(c) > 0, c);
  });

  it('says how each family fails, in words a finding can use', () => {
    const kb = builtinKnowledge();
    assert.equal(describeFailure(kb.lookup('kzalloc')!), 'returns NULL on failure');
    assert.equal(describeFailure(kb.lookup('copy_to_guest_offset')!), 'returns a non-zero count (what it could not do) on failure');
    assert.equal(describeFailure(kb.lookup('rcu_lock_live_remote_domain_by_id')!), 'returns a negative errno on failure (-ESRCH, -EPERM)');
    assert.match(describeFailure(kb.lookup('crypto_hash_update')!), /^returns a non-zero error code on failure \(TEE_ERROR_GENERIC/);
    assert.equal(kb.lookup('alloc_cpumask_var')!.convention, 'bool-success');
    assert.equal(kb.lookup('devm_platform_ioremap_resource')!.convention, 'err-ptr');
    assert.equal(kb.lookup('memdup_user')!.convention, 'err-ptr');
    // not failures
    for (const name of ['map_domain_page', 'xvfree', 'strncmp', 'scnprintf', 'fdt_read_uint32_default', 'dt_device_is_available']) {
      assert.equal(kb.lookup(name)?.convention, 'value', name);
    }
  });

  it('stays below a project config and a tree in the stack', () => {
    const kb = stackKnowledge([configKnowledge({ infallible: ['kzalloc'] }), builtinKnowledge()]);
    assert.equal(kb.lookup('kzalloc')?.convention, 'value');
    assert.equal(knowledgeFor({}).lookup('kzalloc')?.convention, 'null');
  });
});

describe('one home for API facts', () => {
  it('review code keeps no per-function table of its own', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk('src/review');
    walk('rules');
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /KNOWN_FALLIBLE|BOOLEAN_SUCCESS/, file);
    }
  });

  it('a fragment-mode review knows a built-in convention without a tree', async () => {
    const patch = `--- a/xen/common/foo.c
+++ b/xen/common/foo.c
@@ -10,4 +10,5 @@ static int foo_pin(struct domain *d)
 {
+    rangeset_add_singleton(d->iomem_caps, 5);
     return 0;
 }
`;
    const r = await review(patch, {});
    const f = r.findings.find((x) => x.ruleId === 'error-handling/dropped-error');
    assert.ok(f, 'the dropped result of a __must_check rangeset call is found');
    assert.ok(f.evidence.reliedOn.some((t) => t.includes('xen/include/xen/rangeset.h')), f.evidence.reliedOn.join('; '));
  });
});
