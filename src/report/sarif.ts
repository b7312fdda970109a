// SARIF 2.1.0 for code-scanning consumers: one run, the rules that ran (review.rules), witnesses as
// codeFlows, proven fixes as fixes. Valid against the official schema (test/report/sarif.test.ts).
import type { EvidenceStep, Finding, Review, RuleInfo, Severity } from '../review/types.ts';
import { isSeries, patchLabel } from './series.ts';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** A region only for a real line: steps in code the patch does not show carry none (never startLine 0). */
const region = (line: number, extra: object = {}): object => (Number.isInteger(line) && line > 0 ? { region: { startLine: line, ...extra } } : {});

function stepLocation(s: EvidenceStep): object {
  return { location: { physicalLocation: { artifactLocation: { uri: s.file }, ...region(s.line) }, message: { text: s.text } } };
}

function result(f: Finding, review: Review, ruleIndex: Map<string, number>): object {
  const index = ruleIndex.get(f.ruleId);
  return {
    ruleId: f.ruleId,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: f.file }, ...region(f.line, { startColumn: Math.max(1, f.column), snippet: { text: f.snippet } }) },
        logicalLocations: [{ name: f.function, kind: 'function' }],
      },
    ],
    ...(f.related
      ? {
          relatedLocations: f.related.map((r, i) => ({
            id: i + 1,
            physicalLocation: { artifactLocation: { uri: r.file }, ...region(r.line, { startColumn: Math.max(1, r.column), snippet: { text: r.snippet } }) },
            message: { text: `another call of the same kind in ${f.function}()` },
          })),
        }
      : {}),
    partialFingerprints: { 'patchReview/v1': f.fingerprint },
    properties: {
      family: f.family,
      verdict: f.verdict,
      story: f.evidence.story,
      assumptions: f.evidence.assumptions,
      reliedOn: f.evidence.reliedOn,
      patch: f.patch,
      ...(isSeries(review) ? { patchSubject: patchLabel(review, f.patch) } : {}),
      ...(f.alsoReported ? { alsoReported: f.alsoReported } : {}),
    },
    ...(f.evidence.steps.length > 0
      ? { codeFlows: [{ message: { text: f.evidence.story || f.message }, threadFlows: [{ locations: f.evidence.steps.map(stepLocation) }] }] }
      : {}),
    ...(f.fix && f.fix.replacements.every((r) => r.startLine > 0 && r.endLine >= r.startLine)
      ? {
          fixes: [
            {
              description: { text: f.fix.description },
              artifactChanges: [
                {
                  artifactLocation: { uri: f.fix.file },
                  replacements: f.fix.replacements.map((r) => ({
                    deletedRegion: { startLine: r.startLine, endLine: r.endLine },
                    insertedContent: { text: r.text ? `${r.text}\n` : '' },
                  })),
                },
              ],
            },
          ],
        }
      : {}),
  };
}

function ruleDescriptor(rule: RuleInfo): object {
  return {
    id: rule.id,
    name: rule.id.split('/').pop(),
    shortDescription: { text: rule.summary },
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { family: rule.family, pack: rule.pack },
  };
}

/** The rules that ran; a finding's rule missing from them (an older review object) is listed from the finding. */
function rulesOf(review: Review): RuleInfo[] {
  const rules = [...(review.rules ?? [])];
  for (const f of review.findings) {
    if (!rules.some((r) => r.id === f.ruleId)) {
      rules.push({ id: f.ruleId, pack: f.source.pack, family: f.family, severity: f.severity, summary: f.ruleId });
    }
  }
  return rules;
}

export function formatSarif(review: Review): string {
  const rules = rulesOf(review);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'patch-review', version: review.tool.version, rules: rules.map(ruleDescriptor) } },
        results: review.findings.map((f) => result(f, review, ruleIndex)),
        invocations: [
          {
            executionSuccessful: !review.warnings.some((w) => w.code === 'internal'),
            toolExecutionNotifications: review.warnings.map((w) => ({
              level: w.code === 'internal' ? 'error' : 'note',
              message: { text: w.message },
              descriptor: { id: w.code },
              // A warning's line is in the raw input, not in the file: only the file is named.
              ...(w.file ? { locations: [{ physicalLocation: { artifactLocation: { uri: w.file } } }] } : {}),
            })),
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
