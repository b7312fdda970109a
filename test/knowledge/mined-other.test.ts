// The mined facts of the projects read on first use (TF-A, U-Boot: src/knowledge/mined-other.tsv, written by
// scripts/mine-apis.ts --data-out): which project a patch's paths say, that a project's facts answer for its own
// patches only, and that a Xen or OP-TEE review never reads the file. Its own file: node --test runs each test file
// in a process of its own, so the read counter starts at 0 here.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { review } from '../../src/default-review.ts';
import { buildKnowledge, builtinApis, builtinKnowledge, clearKnowledgeMemo, isFallibleConvention, isUsuallyIgnored, scanFile } from '../../src/knowledge/index.ts';
import { ignoredMarker, minable, minedOtherReads, otherKnowledge, projectOf, scopeKnowledge } from '../../src/knowledge/mined.ts';
import { MINED_OTHER, MINED_OTHER_FILE } from '../../src/knowledge/mined-other.ts';
import { CONVENTIONS, type Convention } from '../../src/knowledge/types.ts';

const text = readFileSync(fileURLToPath(new URL(`../../src/knowledge/${MINED_OTHER_FILE}`, import.meta.url)), 'utf8');
const head = JSON.parse(text.split('\n').find((l) => l.startsWith('#{'))!.slice(1)) as { from: string[] };
const rows = text
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((line) => ({ name: line.slice(0, line.indexOf('\t')), fields: line.split('\t') }));
/** A row of one project only that holds in every era (no older snapshot said otherwise, not removed since). */
const plainRow = (project: string): (typeof rows)[number] => {
  const r = rows.find((x) => {
    const spans = x.fields[8]!.split(',');
    return spans.length === 1 && /^\d+-\d+$/.test(spans[0]!) && head.from[Number(spans[0]!.split('-')[0])]!.startsWith(`${project} `) && !x.name.startsWith('->');
  });
  assert.ok(r, `a plain ${project} row`);
  return r;
};

const xenPatch = `From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: A Developer <dev@example.org>
Date: Mon, 1 Jun 2020 10:00:00 +0000
Subject: [PATCH] xen: widget

---
 xen/common/widget.c | 3 ++-
 1 file changed, 2 insertions(+), 1 deletion(-)

diff --git a/xen/common/widget.c b/xen/common/widget.c
--- a/xen/common/widget.c
+++ b/xen/common/widget.c
@@ -10,6 +10,7 @@ int widget_setup(struct domain *d)
 {
     int rc;
 
-    rc = widget_map(d);
+    widget_map(d);
+    rc = 0;
     return rc;
 }
`;

describe('mined facts of TF-A and U-Boot', () => {
  it('are not read for a Xen or OP-TEE patch', async () => {
    assert.equal(minedOtherReads.count, 0);
    assert.equal(projectOf(['xen/arch/x86/mm.c', 'xen/include/xen/mm.h']), 'xen');
    assert.equal(projectOf(['core/arch/arm/kernel/boot.c']), 'optee');
    assert.equal(otherKnowledge('xen'), undefined);
    scopeKnowledge(builtinKnowledge(), 'optee').lookup('anything_at_all');
    await review(xenPatch);
    assert.equal(minedOtherReads.count, 0, 'a Xen review read the TF-A/U-Boot data');
    assert.equal(projectOf(['lib/psci/psci_on.c']), 'tfa');
    assert.equal(minedOtherReads.count, 1, 'read on the first path under a shared top directory');
    projectOf(['lib/efi_loader/efi_boottime.c']);
    otherKnowledge('uboot')!.lookup(rows[0]!.name);
    assert.equal(minedOtherReads.count, 1, 'read once');
  });

  it('says the project from paths only one project has, and none for an ambiguous patch', () => {
    assert.deepEqual(MINED_OTHER, ['tfa', 'uboot']);
    // TF-A: its own top directories, and its entries below the shared ones
    assert.equal(projectOf(['plat/arm/board/fvp/fvp_pm.c']), 'tfa');
    assert.equal(projectOf(['bl31/bl31_main.c', 'include/plat/common/platform.h']), 'tfa');
    assert.equal(projectOf(['drivers/st/clk/stm32mp1_clk.c']), 'tfa');
    // U-Boot
    assert.equal(projectOf(['cmd/mmc.c']), 'uboot');
    assert.equal(projectOf(['drivers/clk/clk-uclass.c', 'include/clk.h']), 'uboot');
    assert.equal(projectOf(['lib/efi_loader/efi_boottime.c']), 'uboot');
    assert.equal(projectOf(['board/acme/widget/widget.c']), 'uboot', 'a board directory no release had yet');
    // OP-TEE's lib/ is its own below lib/
    assert.equal(projectOf(['lib/libutils/isoc/bget_malloc.c']), 'optee');
    assert.equal(projectOf(['core/kernel/dt.c', 'lib/libwidget/widget.c']), 'optee', 'a new lib/ directory next to a path of one project');
    // ambiguous: a directory TF-A and U-Boot both have, a new directory under lib/, or two projects at once
    assert.equal(projectOf(['drivers/usb/widget_usb.c']), undefined);
    assert.equal(projectOf(['lib/libfdt/fdt_ro.c']), undefined);
    assert.equal(projectOf(['lib/widgetlib/widget.c']), undefined);
    assert.equal(projectOf(['plat/arm/board/fvp/fvp_pm.c', 'cmd/mmc.c']), undefined);
    assert.equal(projectOf(['xen/common/sched.c', 'core/kernel/dt.c']), undefined);
    assert.equal(projectOf(['tools/fiptool/fiptool.c']), undefined, 'outside the code mined');
    // a file outside the code mined is no evidence for TF-A or U-Boot; for Xen and OP-TEE it still leaves no project
    assert.equal(projectOf(['drivers/clk/clk-uclass.c', 'test/dm/clk.c']), 'uboot');
    assert.equal(projectOf(['plat/st/stm32mp1/bl2_io_storage.c', 'tools/stm32image/stm32image.c']), 'tfa');
    assert.equal(projectOf(['xen/common/domain.c', 'tools/libs/ctrl/xc_domain.c']), undefined);
    assert.equal(projectOf(['core/kernel/dt.c', 'ta/pkcs11/src/object.c']), undefined);
    assert.equal(projectOf(['Makefile.c']), undefined);
  });

  it('answers a mined fact for its own project only', () => {
    for (const project of MINED_OTHER) {
      const r = plainRow(project);
      const scoped = (p: string | undefined): string | undefined => scopeKnowledge(builtinKnowledge(), p).lookup(r.name)?.convention;
      assert.equal(scoped(project), r.fields[1], `${r.name} for ${project}`);
      for (const p of ['xen', 'optee', undefined, ...MINED_OTHER.filter((x) => x !== project)]) assert.equal(scoped(p), undefined, `${r.name} (${project}) for ${p}`);
      assert.match(scopeKnowledge(builtinKnowledge(), project).lookup(r.name)!.source, new RegExp(`\\(${project} `), 'the source names the releases');
    }
  });

  it("keeps a curated contract, with the project's practice when its callers mostly drop the function", () => {
    const curated = new Map(builtinApis.map((f) => [f.name, f]));
    const marked = rows.filter((r) => curated.has(r.name) && /^\d+-\d+$/.test(r.fields[8]!));
    assert.ok(marked.length > 0, 'a curated name the TF-A or U-Boot callers mostly drop');
    for (const r of marked) {
      const project = head.from[Number(r.fields[8]!.split('-')[0])]!.split(' ')[0]!;
      const f = scopeKnowledge(builtinKnowledge(), project).lookup(r.name)!;
      assert.equal(f.source, curated.get(r.name)!.source, `${r.name}: the curated contract`);
      assert.equal(isUsuallyIgnored(f), true, `${r.name}: ${project}'s callers drop it`);
      assert.equal(isUsuallyIgnored(scopeKnowledge(builtinKnowledge(), 'xen').lookup(r.name)!), false, `${r.name} for Xen`);
    }
  });

  it('has its rows sorted, each a fallible fact the callers agree on or mostly drop, each found by name', () => {
    assert.ok(rows.length > 1000, `${rows.length} rows`);
    const k = otherKnowledge('uboot')!;
    for (const [i, r] of rows.entries()) {
      if (i > 0) assert.ok(rows[i - 1]!.name < r.name, `row ${i + 1}: ${JSON.stringify(r.name)} after ${JSON.stringify(rows[i - 1]!.name)}`);
      const f = k.lookup(r.name);
      if (!CONVENTIONS.includes(r.fields[1] as Convention) || !r.fields[9]) continue;
      assert.equal(f?.convention, r.fields[1], r.name);
      assert.ok(isFallibleConvention(f.convention), r.name);
      // kept because the callers agree, or as the project's practice of dropping it (the review reports no drop of it)
      assert.ok(minable(f) || (ignoredMarker(f) && isUsuallyIgnored(f)), r.name);
    }
    assert.equal(k.lookup('zzzz_not_mined'), undefined);
  });
});

describe('an int function whose callee is an error-pointer hook', () => {
  it('fails with a negative errno, not an ERR_PTR() it cannot carry', () => {
    // U-Boot's `->probe` unites the int probe hooks of drivers with a few pointer-returning `.probe` members of other
    // structs; before, every int function returning what `drv->probe()` returns was learned err-ptr (and not mined).
    const dir = mkdtempSync(join(tmpdir(), 'pr-mine-'));
    const cacheDir = mkdtempSync(join(tmpdir(), 'pr-mine-cache-'));
    clearKnowledgeMemo();
    try {
      mkdirSync(join(dir, 'drivers'));
      writeFileSync(
        join(dir, 'drivers/core.c'),
        `struct drv { int (*probe)(struct dev *d); };
struct phy_drv { struct phy *(*probe)(struct bus *b); };
static int widget_probe(struct dev *d)
{
	if (!d->base)
		return -EINVAL;
	return 0;
}
static struct phy *phy_widget_probe(struct bus *b)
{
	if (!b)
		return ERR_PTR(-ENODEV);
	return b->phy;
}
static const struct drv widget_drv = { .probe = widget_probe };
static const struct phy_drv phy_widget_drv = { .probe = phy_widget_probe };
int device_start(struct dev *d)
{
	int ret;

	if (d->started)
		return -EBUSY;
	ret = d->drv->probe(d);
	return ret;
}
int board_start(struct dev *d)
{
	int ret = device_start(d);
	if (ret)
		return ret;
	return 0;
}
`,
      );
      const kb = buildKnowledge(dir, { cacheDir });
      const start = kb.lookup('device_start')!;
      assert.equal(start.convention, 'errno', start.source);
      assert.ok(start.failValues?.includes('-EBUSY'), JSON.stringify(start.failValues));
      assert.equal(kb.lookup('phy_widget_probe')!.convention, 'err-ptr', 'a pointer function keeps its ERR_PTR()');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('the installed command', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const bundle = join(root, 'dist/bundle/cli.cjs');
  const compiled = join(root, 'dist/src/knowledge/mined.js');
  const current = existsSync(bundle) && existsSync(compiled) && statSync(bundle).mtimeMs >= statSync(compiled).mtimeMs;
  it('finds the data file from the bundle: a TF-A patch that drops a mined call is reported', { skip: current ? false : 'run `npm run build` first' }, () => {
    // a TF-A errno fact that holds in every era, with a plain name; the patch shows nothing else of it (only the data says it fails)
    const r = rows.find((x) => x.fields[1] === 'errno' && /^[a-z]\w+_\w+$/.test(x.name) && /^\d+-\d+$/.test(x.fields[8]!) && head.from[Number(x.fields[8]!.split('-')[0])]!.startsWith('tfa ') && Number(x.fields[5]) >= 5)!;
    assert.ok(r);
    const patch = `From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: A Developer <dev@example.org>
Date: Mon, 1 Jun 2026 10:00:00 +0000
Subject: [PATCH] plat: widget

---
 plat/acme/widget/widget_setup.c | 1 +
 1 file changed, 1 insertion(+)

diff --git a/plat/acme/widget/widget_setup.c b/plat/acme/widget/widget_setup.c
--- a/plat/acme/widget/widget_setup.c
+++ b/plat/acme/widget/widget_setup.c
@@ -10,6 +10,7 @@ int widget_setup(void)
 {
 \twidget_clocks_on();
 
+\t${r.name}(0);
 \twidget_enable();
 
 \treturn 0;
`;
    const dir = mkdtempSync(join(tmpdir(), 'pr-mine-bin-'));
    try {
      writeFileSync(join(dir, 'widget.patch'), patch);
      const out = spawnSync(process.execPath, [join(root, 'bin/patch-review.js'), 'check', join(dir, 'widget.patch'), '--format', 'json', '--no-tree'], { cwd: dir, encoding: 'utf8' });
      const findings = (JSON.parse(out.stdout) as { findings: { ruleId: string; message: string }[] }).findings;
      assert.ok(findings.some((f) => f.ruleId === 'error-handling/dropped-error' && f.message.includes(`${r.name}()`)), `${r.name}: ${out.stdout.slice(0, 400)} ${out.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a caller that compares a status type's result with its success value", () => {
  it('tests it (U-Boot\'s `if (ret != EFI_SUCCESS)`), as `!= TEE_SUCCESS` did', () => {
    // U-Boot's EFI loader tests every efi_status_t this way; read as an untested use, its functions had no tests
    // (efi_search_protocol(): 0 tested, 41 used) and were left out of the data.
    const s = scanFile(`efi_status_t widget_open(efi_handle_t h, void **out)
{
	efi_status_t ret;

	ret = widget_search(h, &widget_guid, out);
	if (ret != EFI_SUCCESS)
		goto out;
	ret = widget_bind(h);
	if (ret != EFI_SUCCESS_WIDGET)
		return ret;
out:
	return ret;
}
`);
    assert.equal(s.sites.widget_search?.nonzeroErr, 1);
    assert.equal(s.sites.widget_search?.used ?? 0, 0);
    assert.equal(s.sites.widget_bind?.nonzeroErr ?? 0, 0, 'another constant is no success value');
  });
});
