import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { review } from '../../src/default-review.ts';
import type { Review } from '../../src/review/types.ts';
import { FORMAT_NAMES, loadFormatter } from '../../src/report/index.ts';
import { joinReviews } from '../../src/cli/range.ts';
import { FLAGGED_PATCH } from '../fixtures/converted-stop.ts';

const fixture = (name: string): string => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** The vendored schemas are draft-04; nothing they use changed meaning since, so Ajv's draft-07 validator reads them. */
function compile(file: string) {
  const schema = JSON.parse(readFileSync(fixture(`schemas/${file}`), 'utf8'));
  delete schema.$schema;
  delete schema.id;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

const FLAGGED = FLAGGED_PATCH;

const DOCS_ONLY = `--- a/README
+++ b/README
@@ -1 +1,2 @@
 hello
+world
`;

let seed: Review;
let flagged: Review;
let docs: Review;

before(async () => {
  seed = await review(readFileSync(fixture('seed-000.txt')), { inputName: 'seed-000.txt' });
  flagged = await review(FLAGGED);
  docs = await review(DOCS_ONLY);
});

describe('SARIF', () => {
  it('is valid against the official SARIF 2.1.0 schema, with fixes and code flows', async () => {
    const validate = compile('sarif-schema-2.1.0.json');
    const text = (await loadFormatter('sarif'))(seed);
    const doc = JSON.parse(text);
    assert.ok(validate(doc as object), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const results = doc.runs[0].results;
    assert.ok(results.some((r: { fixes?: unknown[] }) => r.fixes && r.fixes.length > 0));
    assert.ok(results.some((r: { codeFlows?: unknown[] }) => r.codeFlows && r.codeFlows.length > 0));
    assert.doesNotMatch(text, /"startLine": 0\b/, 'no region points at line 0');
  });

  it('lists the rules that ran (review.rules) and points each result at its rule', async () => {
    const doc = JSON.parse((await loadFormatter('sarif'))(seed));
    const rules = doc.runs[0].tool.driver.rules as { id: string; helpUri?: string }[];
    assert.deepEqual(
      rules.map((r) => r.id),
      seed.rules.map((r) => r.id),
    );
    for (const r of doc.runs[0].results) assert.equal(rules[r.ruleIndex]!.id, r.ruleId);
    for (const rule of seed.rules) if (rule.helpUri) assert.equal(rules.find((r) => r.id === rule.id)!.helpUri, rule.helpUri);
  });

  it('gives a witness step in code the patch does not show no region at all', async () => {
    const f = flagged.findings[0]!;
    const unseen: Review = { ...flagged, findings: [{ ...f, evidence: { ...f.evidence, steps: [{ file: f.file, line: 0, text: 'unseen code may return' }] } }] };
    const doc = JSON.parse((await loadFormatter('sarif'))(unseen));
    const step = doc.runs[0].results[0].codeFlows[0].threadFlows[0].locations[0].location;
    assert.equal(step.physicalLocation.region, undefined);
    assert.ok(compile('sarif-schema-2.1.0.json')(doc as object));
  });
});

describe('rdjson and rdjsonl (reviewdog)', () => {
  it('rdjson is valid against reviewdog\'s DiagnosticResult schema and carries suggestions from proven fixes', async () => {
    const validate = compile('rdjson-DiagnosticResult.json');
    const doc = JSON.parse((await loadFormatter('rdjson'))(seed));
    assert.ok(validate(doc as object), JSON.stringify(validate.errors));
    assert.equal(doc.source.name, 'patch-review');
    assert.equal(doc.diagnostics.length, seed.findings.length);
    const fixed = seed.findings.filter((f) => f.fix);
    assert.ok(fixed.length > 0, 'the seed has proven fixes');
    const withSuggestions = doc.diagnostics.filter((d: { suggestions?: unknown[] }) => d.suggestions);
    assert.equal(withSuggestions.length, fixed.length);
    for (const d of withSuggestions) {
      for (const s of d.suggestions) {
        assert.equal(s.range.start.column, 1);
        assert.equal(s.range.end.column, 1, 'whole lines: the end is the start of the next line (exclusive)');
        assert.ok(s.range.end.line > s.range.start.line);
      }
    }
    assert.ok(doc.diagnostics.every((d: { severity: string; code: { value: string } }) => ['ERROR', 'WARNING', 'INFO'].includes(d.severity) && d.code.value.includes('/')));
    assert.ok(doc.diagnostics.some((d: { related_locations?: unknown[] }) => d.related_locations && d.related_locations.length > 0), 'witness steps as related locations');
  });

  it('rdjsonl is one valid Diagnostic per line', async () => {
    const validate = compile('rdjsonl-Diagnostic.json');
    const lines = (await loadFormatter('rdjsonl'))(seed).trimEnd().split('\n');
    assert.equal(lines.length, seed.findings.length);
    for (const line of lines) assert.ok(validate(JSON.parse(line) as object), JSON.stringify(validate.errors));
  });
});

describe('checkpatch layout', () => {
  it('prints LEVEL:TYPE: message, #N: FILE: path:line:, the quoted + line, and the total line', async () => {
    const text = (await loadFormatter('checkpatch'))({ ...flagged, input: { ...flagged.input, name: 'x.patch' } });
    const lines = text.split('\n');
    assert.match(lines[0]!, /^WARNING:ERROR_FOR_BENIGN_EXIT: dev_enabled can be false/);
    assert.equal(lines[1], '#9: FILE: src/a.c:4:', 'line 9 of the input is the + line');
    assert.equal(lines[2], '+return -EINVAL;');
    assert.match(text, /^total: 0 errors, 1 warnings, 13 lines checked$/m);
    assert.match(text, /^x\.patch has problems the simulation verified, please review\.$/m);
  });

  it('--terse gives one path:line: line per finding, --emacs INPUT:N:, --no-summary no total', async () => {
    const fmt = await loadFormatter('checkpatch');
    const named = { ...flagged, input: { ...flagged.input, name: 'x.patch' } };
    assert.equal(fmt(named, { terse: true, noSummary: true }).split('\n').filter(Boolean).length, 1);
    assert.match(fmt(named, { terse: true, noSummary: true }), /^src\/a\.c:4: WARNING:ERROR_FOR_BENIGN_EXIT: /);
    assert.match(fmt(named, { terse: true, emacs: true }), /^x\.patch:9: WARNING:ERROR_FOR_BENIGN_EXIT: .*\ntotal: 0 errors, 1 warnings, 13 lines checked\n$/);
    assert.equal(fmt(docs, { terse: true, noSummary: true }), '', 'nothing at all on a clean patch: b4 reads that as passed');
  });
});

describe('b4 check command output', () => {
  it('is a JSON array of {tool, status, summary, details} with status pass, warn or fail', async () => {
    const fmt = await loadFormatter('b4');
    const warn = JSON.parse(fmt(flagged));
    assert.equal(warn.length, 1);
    assert.deepEqual(Object.keys(warn[0]).sort(), ['details', 'status', 'summary', 'tool']);
    assert.equal(warn[0].tool, 'patch-review');
    assert.equal(warn[0].status, 'warn');
    assert.match(warn[0].summary, /^1 finding: 1 verified/);
    assert.match(warn[0].details, /error-for-benign-exit/);
    assert.equal(JSON.parse(fmt(docs))[0].status, 'pass');
    const error = { ...flagged, findings: flagged.findings.map((f) => ({ ...f, severity: 'error' as const })) };
    assert.equal(JSON.parse(fmt(error))[0].status, 'fail');
    const inconclusiveError = { ...error, findings: error.findings.map((f) => ({ ...f, verdict: 'inconclusive' as const })) };
    assert.equal(JSON.parse(fmt(inconclusiveError))[0].status, 'warn', 'an inconclusive error never fails');
  });
});

describe('GitHub Actions workflow commands', () => {
  it('prints ::LEVEL file=,line=,col=,title=::message with the runner\'s escaping', async () => {
    const text = (await loadFormatter('github'))(flagged);
    assert.match(text, /^::warning file=src\/a\.c,line=4,col=9,title=error-handling\/error-for-benign-exit \(verified\)::dev_enabled .*%0Averified: .*\n$/);
    const tricky = { ...flagged, findings: [{ ...flagged.findings[0]!, file: 'a,b:c.c', message: '100% wrong\nreally' }] };
    assert.match((await loadFormatter('github'))(tricky), /file=a%2Cb%3Ac\.c,.*::100%25 wrong%0Areally/);
  });
});

describe('text', () => {
  it('closes with a summary by severity and verdict and the functions reviewed', async () => {
    const text = (await loadFormatter('text'))(flagged);
    assert.match(text, /^1 finding \(1 warning; 1 verified, 0 inconclusive\)$/m);
    assert.match(text, /^1 C file, 1 function reviewed; \d+ paths simulated in \d+ ms$/m);
    assert.ok(!text.includes('\u001b['), 'no colour unless asked');
    assert.ok((await loadFormatter('text'))(flagged, { color: true }).includes('\u001b[1;33mwarning:\u001b[0m'));
  });

  it('says when the input had no C at all', async () => {
    assert.match((await loadFormatter('text'))(docs), /^No C in this input: 1 file changed \(README\), none of them C; nothing was reviewed\.$/m);
  });

  it('shows a proven fix as a small unified diff', async () => {
    const text = (await loadFormatter('text'))(seed);
    assert.match(text, /fix, proven equivalent on every path: .*\n {6}--- a\/\S+\n {6}\+\+\+ b\/\S+\n {6}@@ -\d+,\d+ \+\d+,\d+ @@\n {6}-/);
  });

  it('heads each patch\'s findings of a series with [PATCH n/m] subject', async () => {
    const series = joinReviews(
      [
        { ...docs, patches: docs.patches.map((p) => ({ ...p, meta: { ...p.meta, subject: '[PATCH 1/2] docs: readme' } })) },
        { ...flagged, patches: flagged.patches.map((p) => ({ ...p, meta: { ...p.meta, subject: '[PATCH 2/2] a: stop returns an error', number: 2, total: 2 } })) },
      ],
      'HEAD~2..',
    );
    const text = (await loadFormatter('text'))(series);
    assert.match(text, /^\[PATCH 2\/2\] a: stop returns an error\nsrc\/a\.c:4:9: warning:/m);
    assert.match(text, /^2 patches, 1 C file, 1 function reviewed/m);
    assert.equal(series.findings[0]!.patch, 1);
  });

  it('leaves out notes about repaired input with quiet', async () => {
    const repaired: Review = { ...flagged, warnings: [{ code: 'line-rewrapped', message: 'a wrapped line was joined' }, { code: 'tree-apply', message: 'hunk did not apply' }] };
    const fmt = await loadFormatter('text');
    assert.match(fmt(repaired), /wrapped line/);
    assert.doesNotMatch(fmt(repaired, { quiet: true }), /wrapped line/);
    assert.match(fmt(repaired, { quiet: true }), /hunk did not apply/);
  });
});

describe('every formatter', () => {
  it('is a pure function: the same review gives the same text, and the review is not changed', async () => {
    const copy = structuredClone(seed);
    for (const name of FORMAT_NAMES) {
      const fmt = await loadFormatter(name);
      assert.equal(fmt(seed), fmt(seed), name);
    }
    assert.deepEqual(seed, copy);
  });
});

describe('text summary', () => {
  it('says why functions were not reviewed: the code itself, a review limit, or the time limit', async () => {
    const text = await loadFormatter('text');
    const base: Review = { ...flagged, stats: { ...flagged.stats, functionsNotReviewed: 1 } };
    const line = (reason: string): string => {
      const r: Review = { ...base, notReviewed: [{ file: 'xen/a.c', function: 'f', reason }] };
      return text(r, {}).split('\n').find((l) => l.includes('not reviewed')) ?? '';
    };
    assert.match(line('parse error at line 12 near "x"'), /not reviewed \(parse errors or unsupported code: see the notes\)/);
    assert.match(line('time limit (1 ms) expired first'), /not reviewed \(the time limit expired: see the notes\)/);
    assert.match(line("the review's limit of 2000 functions was reached first"), /not reviewed \(a review limit was reached: see the notes\)/);
  });
});
