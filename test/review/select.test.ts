import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applySeverity, globToRegExp, pathFilter, selectRules } from '../../src/review/select.ts';
import { defaultRuleSet } from '../../src/default-review.ts';
import type { Finding } from '../../src/review/types.ts';

const ids = (rules: typeof defaultRuleSet.rules): string[] => rules.map((r) => `${r.meta.pack}/${r.meta.id}`);
const all = defaultRuleSet.rules;

describe('selectRules', () => {
  it('runs every rule that is not opt-in by default, a bare pack name selects the whole pack, disable removes', () => {
    assert.equal(selectRules(all, {}).length, all.filter((r) => !r.meta.optIn).length);
    const simplify = selectRules(all, { rules: ['simplify'] });
    assert.ok(simplify.length > 1 && simplify.every((r) => r.meta.pack === 'simplify'));
    const without = ids(selectRules(all, { rules: ['simplify'], disable: ['simplify/nested-if'] }));
    assert.ok(!without.includes('simplify/nested-if'));
    assert.equal(without.length, simplify.length - 1);
    assert.ok(selectRules(all, { disable: ['error-handling'] }).every((r) => r.meta.pack !== 'error-handling'));
  });

  it('the style packs are opt-in: enable adds them to the default rules, rules names them alone', () => {
    const optIn = ids(all.filter((r) => r.meta.optIn));
    assert.ok(optIn.includes('whitespace/trailing-whitespace') && optIn.includes('house-style/control-spacing'));
    const byDefault = ids(selectRules(all, {}));
    assert.ok(optIn.every((id) => !byDefault.includes(id)));
    const withWhitespace = ids(selectRules(all, { enable: ['whitespace'] }));
    assert.ok(withWhitespace.includes('whitespace/trailing-whitespace') && withWhitespace.includes('whitespace/indent-dialect'));
    assert.ok(!withWhitespace.includes('house-style/control-spacing'));
    assert.equal(withWhitespace.length, byDefault.length + all.filter((r) => r.meta.pack === 'whitespace').length);
    assert.deepEqual(ids(selectRules(all, { rules: ['house-style'] })), ['house-style/control-spacing']);
    assert.ok(!ids(selectRules(all, { enable: ['whitespace'], disable: ['whitespace/trailing-whitespace'] })).includes('whitespace/trailing-whitespace'));
    assert.throws(() => selectRules(all, { enable: ['whitespace/nope'] }), /unknown rule or pack: whitespace\/nope/);
  });

  it('rejects a name that matches no rule or pack', () => {
    assert.throws(() => selectRules(all, { disable: ['simplify/nope'] }), /unknown rule or pack: simplify\/nope/);
    assert.throws(() => selectRules(all, { rules: ['nopack'] }), RangeError);
  });
});

describe('severity overrides', () => {
  it('an id wins over its pack; findings without an override keep theirs', () => {
    const f = { ruleId: 'simplify/nested-if', severity: 'info', source: { pack: 'simplify' } } as Finding;
    const g = { ruleId: 'error-handling/dropped-error', severity: 'warning', source: { pack: 'error-handling' } } as Finding;
    const [a, b] = applySeverity([f, g], { simplify: 'warning', 'simplify/nested-if': 'error' });
    assert.equal(a!.severity, 'error');
    assert.equal(b!.severity, 'warning');
  });
});

describe('ignorePaths globs', () => {
  it('follow .gitignore habits: * within a segment, ** across, no slash means any depth, trailing slash a directory', () => {
    const ignored = pathFilter(['tools/', '/stubdom/', '*.h', 'xen/arch/**/boot/*.c', 'docs/?.c']);
    for (const p of ['tools/libs/x.c', 'xen/tools/x.c', 'stubdom/a.c', 'xen/include/a.h', 'a.h', 'xen/arch/x86/boot/head.c', 'xen/arch/boot/x.c', 'docs/a.c']) assert.ok(ignored(p), p);
    for (const p of ['xen/stubdom/x.c', 'xen/a.c', 'xen/arch/x86/boot/sub/x.c', 'docs/ab.c', 'a.hh']) assert.ok(!ignored(p), p);
    assert.ok(!pathFilter(undefined)('anything'));
    assert.ok(globToRegExp('./src/*.c').test('src/a.c'));
  });
});
