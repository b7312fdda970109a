// The mined API data (src/knowledge/mined.ts + the generated mined-apis.ts): facts the projects' own code shows,
// kept only when they say a function can fail and its callers agree; below the curated header data.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { review } from '../../src/default-review.ts';
import { builtinApis, builtinKnowledge, isFallibleConvention, isUsuallyIgnored } from '../../src/knowledge/index.ts';
import { minable, minedKnowledge } from '../../src/knowledge/mined.ts';
import { MINED_FROM } from '../../src/knowledge/mined-apis.ts';
import type { ApiFact } from '../../src/knowledge/types.ts';

const fact = (over: Partial<ApiFact>): ApiFact => ({
  name: 'widget_attach',
  returnType: 'int',
  convention: 'errno',
  failValues: ['-ENOMEM'],
  source: 'returns -ENOMEM, drivers/widget.c:40',
  callers: { tested: 6, dropped: 1, used: 0 },
  ...over,
});

describe('mined API data', () => {
  it('keeps a fallible function its callers test', () => {
    assert.equal(minable(fact({})), true);
    assert.equal(minable(fact({ callers: { tested: 0, dropped: 0, used: 2 } })), true, 'stored by its callers, never dropped');
  });

  it('leaves out what the callers drop, values, orderings, tools and functions nobody calls', () => {
    assert.equal(minable(fact({ callers: { tested: 4, dropped: 1 } })), false, 'dropped once in four tests');
    assert.equal(minable(fact({ callers: { tested: 7, dropped: 11 } })), false, 'dropped by habit');
    assert.equal(minable(fact({ convention: 'value' })), false);
    assert.equal(minable(fact({ convention: 'unknown' })), false);
    assert.equal(minable(fact({ name: 'widget_name_cmp', failValues: ['-1'] })), false, 'an ordering');
    assert.equal(minable(fact({ source: 'returns -1, xen/tools/kconfig/conf.c:10' })), false, 'a build-host tool');
    assert.equal(minable(fact({ convention: 'null', returnType: 'int', failValues: ['NULL'] })), false, 'NULL from an int');
    assert.equal(minable(fact({ callers: { tested: 0, dropped: 0, used: 0 } })), false, 'no caller');
    assert.equal(minable(fact({ name: 'f' })), false, 'too short a name to be one function');
    assert.equal(minable(fact({ convention: 'bool-success', returnType: 'unsigned int', failValues: ['0'] })), false, 'a count seen returning 0 or 1');
    assert.equal(minable(fact({ convention: 'bool-success', returnType: 'bool', failValues: ['0'] })), true);
    assert.equal(minable(fact({ name: 'verify' })), false, 'one plain word: a helper in every file');
    assert.equal(minable(fact({ name: '->read' })), false, 'one plain word member');
    assert.equal(minable(fact({ name: 'IS_WIDGET_ALIGNED', convention: 'zero-fail', returnType: undefined, failValues: ['0'] })), false, 'a predicate macro');
    assert.equal(minable(fact({ name: 'WIDGET_MASK', convention: 'count', returnType: undefined, failValues: undefined })), false, 'a mask macro');
    assert.equal(minable(fact({ name: 'WIDGET_ALLOC', convention: 'null', returnType: 'void *', failValues: ['NULL'], callers: { tested: 3, dropped: 0, used: 0 } })), true, 'a macro wrapping an allocator');
    const pointer = { convention: 'null' as const, returnType: 'struct widget *', failValues: ['NULL'] };
    assert.equal(minable(fact({ ...pointer, callers: { tested: 3, dropped: 0, used: 1 } })), true);
    assert.equal(minable(fact({ ...pointer, callers: { tested: 2, dropped: 0, used: 4 } })), false, 'used untested as often as tested');
    assert.equal(minable(fact({ ...pointer, callers: { tested: 14, dropped: 0, used: 7 } })), false, 'used untested in a third of its calls: a lookup the callers know succeeds');
  });

  it('parses every row into a fallible fact whose callers agree, with its origin in the source', () => {
    const facts = minedKnowledge().facts();
    assert.ok(facts.length > 1000, `${facts.length} facts`);
    const curated = new Set(builtinApis.map((f) => f.name));
    for (const f of facts) {
      assert.ok(isFallibleConvention(f.convention), `${f.name}: ${f.convention}`);
      assert.ok(!isUsuallyIgnored(f), f.name);
      assert.ok(!curated.has(f.name), `${f.name} is curated`);
      assert.ok(MINED_FROM.some((w) => f.source.includes(w)), `${f.name}: ${f.source}`);
    }
  });

  it('answers member calls by the member name and sits below the curated data', () => {
    const member = minedKnowledge().facts().find((f) => f.name.startsWith('->'))!;
    assert.ok(member);
    assert.equal(minedKnowledge().lookup(`ops${member.name}`)?.name, member.name);
    const plain = minedKnowledge().facts().find((f) => !f.name.startsWith('->'))!;
    assert.equal(builtinKnowledge().lookup(plain.name)?.source, plain.source);
    const curated = builtinApis[0]!;
    assert.equal(builtinKnowledge().lookup(curated.name)?.source, curated.source);
  });
});

describe('knowledge of a name the patch declares void', () => {
  const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`../fixtures/recall/${name}`, import.meta.url)), 'utf8');
  // the project knows a fallible function of the same name; the patch calls a local void function pointer
  const apis = { fallible: [{ name: 'core_park', convention: 'errno', note: 'a fallible function elsewhere' }] };
  const dropped = async (name: string): Promise<number> =>
    (await review(fixture(name), { apis })).findings.filter((f) => f.ruleId === 'error-handling/dropped-error').length;

  it('a call of the fallible function itself, dropped, is a finding', async () => {
    assert.equal(await dropped('global-fallible.patch'), 1);
  });

  it('near miss: a call through a local `void (*f)(..)` pointer of that name is not', async () => {
    assert.equal(await dropped('local-void-pointer.patch'), 0);
  });
});
