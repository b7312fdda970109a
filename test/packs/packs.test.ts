// The pack builder: mining a review thread, matching its comments to findings, the static catalogue,
// and the scaffold's round trip (generate into a temporary pack, compile, see its case fail, remove).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Project } from 'ts-morph';
import { mine, mineText } from '../../src/packs/mine.ts';
import { classify, mineThread } from '../../src/packs/thread.ts';
import { scaffoldRule } from '../../src/packs/scaffold.ts';
import { readPacks } from '../../src/packs/static-rules.ts';
import { optInRules, review } from '../../src/default-review.ts';
import { reviewWithRules } from '../../src/review/engine.ts';
import type { Rule } from '../../src/review/rule.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const root = new URL('../../', import.meta.url).pathname;

describe('rules mine', () => {
  it('places, attributes and classifies the comments of the seed reply', async () => {
    const thread = await mineThread(fixture('seed-000.txt'));
    assert.equal(thread.comments.length, 28);
    const reuse = thread.comments.find((c) => c.text === "you can reuse 'rc' here.");
    assert.equal(reuse?.place?.file, 'xen/arch/x86/mm/p2m.c');
    assert.equal(reuse?.place?.function, 'guest_physmap_add_entry');
    assert.equal(reuse?.author, 'Kevin', 'the signature under "Thanks" names the reviewer');
    assert.equal(thread.comments.find((c) => c.text === 'this one is correct.')?.notActionable?.kind, 'approval');
    assert.ok(!thread.comments.at(-1)!.text.includes('Thanks'), 'the sign-off is not part of the last comment');
  });

  it('tells thanks, acks, process questions, replies and wrapped lines from requests', () => {
    assert.equal(classify('Thanks for doing this.')?.kind, 'thanks');
    assert.equal(classify('Acked-by: A B <a@b>')?.kind, 'ack');
    assert.equal(classify('To which branch are you applying these now?')?.kind, 'process');
    assert.equal(classify("Yes, I'll do this.")?.kind, 'reply');
    assert.equal(classify('LIBXL_RDM_RESERVE_FLAG_FORCE;', '+ pcidev->rdm_reserve =')?.kind, 'wrapped-line');
    assert.equal(classify('applied. fixed some whitespace issues.'), undefined);
    assert.equal(classify('why no error return in this case.'), undefined);
  });

  it("tells the patch author's answers from the reviewer's requests", () => {
    const kind = (t: string): string | undefined => classify(t)?.kind;
    // What the author will change, a question back, their own rewrite put to the reviewer, an apology.
    assert.equal(kind('I copied the other parser, they are in the same file...\nAnyway, I should change this line,\nfor ( i = 0; i < n; i++ ) {'), 'reply');
    assert.equal(kind('So how to implement your idea? Could you give me an example?'), 'reply');
    assert.equal(kind('Should I move this into the setdefault function?'), 'reply');
    assert.equal(kind('Is this fine?\nif ( !x )\n    return -EINVAL;'), 'reply');
    assert.equal(kind('Sorry, I only see this\nwidget_init()'), 'reply');
    assert.equal(kind("Sorry, I didn't see those buried down in the patch ..."), 'reply');
    assert.equal(kind('Good point.'), 'reply');
    assert.equal(kind('Sorry for the late review.'), 'process');
    assert.equal(kind('Sorry for the late review. This leaks the mapping on the error path.'), undefined);
    assert.equal(kind("I think it is fine. But you'd better wait a little bit for other people\nto voice their opinions."), 'approval');
    // Near misses: a request, a word calling something wrong, a question about the code itself.
    assert.equal(kind('I should point out that this is wrong: the lock is dropped twice.'), undefined);
    assert.equal(kind('Why should I have to read this loop twice?'), undefined);
    assert.equal(kind('Is this fine?'), undefined);
    assert.equal(kind('How should I read this condition?'), undefined);
    assert.equal(kind('Sorry, I missed this in v2: the error path leaks the buffer.'), undefined);
    assert.equal(kind('Sorry, but this breaks the build: you need the header.'), undefined);
    assert.equal(kind('It looks fine. But you should wait for the lock before freeing others.'), undefined);
    assert.equal(kind('I will fix this on commit, but please split the patch next time.'), undefined);
  });

  it("counts an exchange once, and places the quoted lines after the reply's own diff in the patch's section", async () => {
    const r = await mine(fixture('packs/archive-exchange.txt'), review);
    const by = (start: string) => r.comments.find((c) => c.text.startsWith(start))!;
    assert.equal(by('This belongs in widget_defaults()').outcome, 'not-reproduced');
    assert.equal(by('Sorry, I only see this').notActionable?.kind, 'reply');
    for (const start of ['Look at widget_defaults()', 'The parser only reads', 'So maybe we can do this']) {
      assert.equal(by(start).notActionable?.kind, 'follow-up', start);
      assert.match(by(start).notActionable!.reason, /comment #1's request/);
    }
    // The second defaults.c section opened after a comment is the author's proposal: the comment after it
    // answers main.c's re-quoted lines (the unseen rest of its hunk), not defaults.c.
    const list = by('There is only one mode');
    assert.equal(list.outcome, 'not-reproduced');
    assert.equal(list.place?.file, 'tools/widget/main.c');
    assert.equal(list.place?.function, 'parse_config');
    assert.deepEqual([list.place?.firstLine, list.place?.lastLine], [46, 55]);
    assert.match(list.place!.quoted[0]!, /cfg_get_list/);
    assert.equal(by('Is this fine?').notActionable?.kind, 'reply');
    assert.equal(by('I think it is fine.').notActionable?.kind, 'approval');
    assert.equal(r.actionable, 2);
  });

  it('reproduces the reviewer on the seed and shows the refuted "reuse rc" suggestion as such', async () => {
    const r = await mine(fixture('seed-000.txt'), review);
    assert.ok(r.reproduced + r.reproducedDifferently >= 19, `${r.reproduced} + ${r.reproducedDifferently}`);
    const reuse = r.comments.find((c) => c.text === "you can reuse 'rc' here.")!;
    assert.equal(reuse.outcome, 'reproduced-differently');
    assert.ok(reuse.findings.every((f) => f.verdict === 'refuted'));
    // The reviewer's rewrite spelled out in code under the lines where the simulator shows reusing rc loses an error.
    const rewrite = r.comments.find((c) => c.text.startsWith('rc = iommu_iotlb_flush('))!;
    assert.equal(rewrite.outcome, 'reproduced-differently');
    assert.deepEqual(rewrite.findings.map((f) => `${f.ruleId} ${f.verdict}`), ['simplify/reuse-existing-variable refuted']);
    // Code in a comment with no refuted candidate reaching its lines stays not reproduced.
    assert.equal(r.comments.find((c) => c.text.startsWith('curious why there'))?.outcome, 'not-reproduced');
    const benign = r.comments.find((c) => c.text.startsWith('iommu_enabled can be false'))!;
    assert.equal(benign.outcome, 'reproduced');
    assert.ok(benign.findings.some((f) => f.ruleId === 'error-handling/error-for-benign-exit'));
    // Every required item of the seed's gold table is a reproduced comment, in its function, with its family.
    const gold = JSON.parse(fixture('seed-gold.json')) as { items: { id: string; level: string; function: string; family: string }[] };
    for (const item of gold.items.filter((i) => i.level === 'required')) {
      const hit = r.comments.some((c) => c.outcome === 'reproduced' && c.findings.some((f) => f.function === item.function && f.family === item.family));
      assert.ok(hit, `${item.id} ${item.function} ${item.family}`);
    }
    const text = mineText(r).trimEnd().split('\n');
    assert.match(text.at(-1)!, /^\d+ of \d+ actionable comments reproduced$/);
  });

  it('on the messier 002 thread, reproduces the two comments about the error log that then defaults', async () => {
    // As `patch-review rules mine` does: every pack, the opt-in style packs too (the 002 thread has a spacing comment).
    const r = await mine(fixture('seed-002.txt'), review, { enable: [...optInRules] });
    const rules = (start: string): string[] => r.comments.find((c) => c.text.startsWith(start))?.findings.map((f) => f.ruleId) ?? [];
    // "If this is not an error, you don't need XLU__PCI_ERR. But I would say we should just treat this as an error and abort"
    assert.deepEqual(rules("If this is not an error, you don't need XLU__PCI_ERR.").sort(), ['config/invalid-value-defaulted', 'logging/error-level-not-error']);
    // Taken from the page where the parser set it aside: the reply's paragraph after the re-quoted code.
    assert.ok(rules('I suggest we just abort in this case').includes('config/invalid-value-defaulted'));
    // The rest of a wrapped hunk header is not a comment.
    assert.equal(r.comments.find((c) => c.text === 'libxl_device_pci *pcidev, const char *str')?.notActionable?.kind, 'wrapped-line');
    // The new function that rejects unknown values (goto parse_error) is not flagged.
    assert.ok(r.comments.every((c) => c.findings.every((f) => f.function !== 'xlu_rdm_parse' || f.ruleId === 'house-style/control-spacing')));
    // The default set in the parser instead of the type's _setdefault function, and the list of which only item 0 is
    // read (the lines the reviewer quoted again after the author's own diff, reviewed as the rest of their hunk).
    assert.deepEqual(rules('This should probably to into the _setdefault function'), ['config/default-outside-defaults']);
    assert.deepEqual(rules('You only have one rdm in b_info'), ['config/list-read-first-only']);
    assert.equal(r.actionable, 9);
    assert.equal(r.reproduced, 9);
  });

  it("reviews a thread without the reply's own diff, with the patch lines quoted again after it put back in their hunk", async () => {
    let reviewed = '';
    await mine(fixture('packs/archive-exchange.txt'), async (input, options) => {
      reviewed = String(input);
      return review(input, options);
    });
    const lines = reviewed.split('\n');
    // The author's proposal (a second defaults.c section opened after a comment) is not part of the reviewed patch.
    assert.equal(lines.filter((l) => l.startsWith('+++ b/tools/widget/defaults.c')).length, 1);
    assert.ok(!lines.includes('+    cfg->mode = WIDGET_MODE_FAST;') || lines.indexOf('+    cfg->mode = WIDGET_MODE_FAST;') < lines.indexOf('This belongs in widget_defaults(), not in the parser.'));
    // main.c's re-quoted rest follows its shown lines, before the reviewer's first comment there.
    const at = lines.indexOf('+    if (!cfg_get_list(config, "mode", &modes, 0, 0)) {');
    assert.ok(at > 0 && at < lines.indexOf('This belongs in widget_defaults(), not in the parser.'), `re-quoted lines at ${at}`);
    // The author's own rewrite after "Is this fine?" overfills the hunk's count: it stays where it was, as text.
    assert.ok(lines.indexOf('     if (!cfg_get_string(config, "mode", &buf, 0))') > lines.indexOf('Is this fine?'));
  });

  it('takes the paragraphs an archive page leaves between hunks as comments under the quoted lines', async () => {
    const r = await mine(fixture('packs/archive-reply.txt'), review);
    assert.deepEqual(r.comments.map((c) => c.text.split('\n')[0]), ['Why is this an error if you carry on?', 'Because we want the admin to see it, like we write here,', 'Please just fail here instead.']);
    for (const c of r.comments) {
      assert.equal(c.outcome, 'reproduced', c.text);
      assert.deepEqual(c.findings.map((f) => f.ruleId).sort(), ['config/invalid-value-defaulted', 'logging/error-level-not-error']);
    }
    assert.match(mineText(r), /3 of 3 actionable comments reproduced\n$/);
  });

  it('finds the comment about the whole patch above a nested quote, with its author', async () => {
    const thread = await mineThread(fixture('seed-003.txt'));
    const applied = thread.comments.find((c) => /whitespace/.test(c.text));
    assert.ok(applied, 'the maintainer\'s "applied. fixed some whitespace issues."');
    assert.equal(applied.place, undefined);
    assert.match(applied.author ?? '', /Konrad/);
  });
});

describe('rules catalog', () => {
  it('reads every pack and rule statically, in the index order, with provenance, cases and questions', () => {
    const read = readPacks(join(root, 'rules'));
    assert.deepEqual(read.problems, []);
    const nested = read.packs.find((p) => p.name === 'simplify')?.rules.find((r) => r.fileId === 'nested-if');
    assert.equal(nested?.meta.source?.reviewer, 'Kevin Tian', 'a spread of a re-exported constant is followed');
    assert.ok(nested?.questions.includes('equivalent-rewrite'));
    assert.ok((nested?.cases?.clean.length ?? 0) > 0);
  });
});

describe('rules new', () => {
  it('scaffolds a rule that compiles and whose flagged case fails until its detector is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pr-scaffold-'));
    try {
      cpSync(join(root, 'rules'), join(dir, 'rules'), { recursive: true });
      symlinkSync(join(root, 'src'), join(dir, 'src'));
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
      const made = await scaffoldRule({ thread: fixture('seed-000.txt'), comment: 6, pack: 'tmp-pack', id: 'break-enough', rulesDir: join(dir, 'rules'), newPack: true });
      assert.equal(made.indexCreated, true);
      assert.match(readFileSync(join(dir, 'rules', 'index.ts'), 'utf8'), /tmpPackRules/);
      // Compiles (type-checked against the real framework).
      const project = new Project({ tsConfigFilePath: join(root, 'tsconfig.json'), skipAddingFilesFromTsConfig: true, compilerOptions: { rootDir: '/' } });
      project.addSourceFileAtPath(made.ruleFile);
      project.addSourceFileAtPath(made.indexFile);
      const mine = new Set([made.ruleFile, made.indexFile]);
      const errors = project.getPreEmitDiagnostics().filter((d) => mine.has(d.getSourceFile()?.getFilePath() ?? ''));
      assert.deepEqual(errors.map((d) => d.getMessageText()), []);
      // Static reading sees it with its provenance.
      const read = readPacks(join(dir, 'rules'));
      const rule = read.packs.find((p) => p.name === 'tmp-pack')?.rules[0];
      assert.equal(rule?.meta.source?.quote, "looks 'break' should be enough here.");
      assert.equal(rule?.meta.source?.list, 'xen-devel');
      // Its case fails, saying why.
      const mod = (await import(made.ruleFile)) as { default: Rule };
      const flagged = mod.default.cases.flagged[0]!;
      const r = await reviewWithRules(flagged.patch, [mod.default], {});
      assert.ok(r.warnings.some((w) => w.code === 'internal' && /not written yet/.test(w.message)), JSON.stringify(r.warnings));
      assert.equal(r.findings.length, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('rules new on a comment about lines quoted again after the author\'s own diff', () => {
  it('builds the flagged case from the hunk and those lines, as one well-formed hunk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pr-scaffold-'));
    try {
      cpSync(join(root, 'rules'), join(dir, 'rules'), { recursive: true });
      const thread = await mineThread(fixture('packs/archive-exchange.txt'));
      const k = thread.comments.find((c) => c.text.startsWith('There is only one mode'))!.index;
      const made = await scaffoldRule({ thread: fixture('packs/archive-exchange.txt'), comment: k, pack: 'config', id: 'one-mode', rulesDir: join(dir, 'rules') });
      const text = readFileSync(made.ruleFile, 'utf8');
      assert.match(text, /\+\s+if \(!cfg_get_list\(config, "mode", &modes, 0, 0\)\) \{/);
      assert.match(text, /\+\s+cfg->mode = WIDGET_MODE_FAST;/, 'the hunk\'s shown lines come first');
      assert.doesNotMatch(text, /cfg_get_string/, 'not the author\'s rewrite after "Is this fine?"');
      const patch = /patch: `([^`]*)`/.exec(text)![1]!;
      const r = await reviewWithRules(patch, [], {});
      assert.deepEqual(r.warnings.filter((w) => w.code === 'hunk-count-mismatch'), [], 'the case is a well-formed patch');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the rules subcommands on the command line', () => {
  const io = (): { io: import('../../src/cli/io.ts').Io; out: string[]; err: string[] } => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), readStdin: async () => Buffer.from(''), cwd: root }, out, err };
  };

  it('rules mine prints JSON with the summary, and a missing thread is a usage error (exit 2)', async () => {
    const { main } = await import('../../src/cli/main.ts');
    const a = io();
    assert.equal(await main(['rules', 'mine', 'test/fixtures/seed-003.txt', '--format', 'json'], a.io), 0);
    const doc = JSON.parse(a.out.join('')) as { summary: string; reproduced: number };
    assert.equal(doc.summary, '1 of 1 actionable comments reproduced');
    const b = io();
    assert.equal(await main(['rules', 'mine', 'no/such/thread.txt'], b.io), 2);
    assert.match(b.err.join(''), /cannot read no\/such\/thread\.txt/);
  });

  it('rules catalog --check says whether docs/rules.md is what the rule modules give', async () => {
    const { main } = await import('../../src/cli/main.ts');
    const dir = mkdtempSync(join(tmpdir(), 'pr-catalog-'));
    try {
      const out = join(dir, 'rules.md');
      const a = io();
      assert.equal(await main(['rules', 'catalog', '--check', '-o', out], a.io), 1, 'a missing file is stale');
      assert.equal(await main(['rules', 'catalog', '-o', out], io().io), 0);
      assert.equal(await main(['rules', 'catalog', '--check', '-o', out], io().io), 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
