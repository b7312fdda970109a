// SARIF 2.1.0 for code-scanning consumers: one run, rules from the packs' meta, witnesses as codeFlows.
import type { Finding, Review, Severity } from '../review/types.ts';
import { allRules } from '../../rules/index.ts';
import { ruleKey } from '../review/rule.ts';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

function result(f: Finding): object {
  const location = {
    physicalLocation: {
      artifactLocation: { uri: f.file },
      region: { startLine: f.line, startColumn: f.column, snippet: { text: f.snippet } },
    },
    logicalLocations: [{ name: f.function, kind: 'function' }],
  };
  return {
    ruleId: f.ruleId,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [location],
    partialFingerprints: { 'patchReview/v1': f.fingerprint },
    properties: {
      family: f.family,
      verdict: f.verdict,
      story: f.evidence.story,
      assumptions: f.evidence.assumptions,
      reliedOn: f.evidence.reliedOn,
      ...(f.alsoReported ? { alsoReported: f.alsoReported } : {}),
    },
    ...(f.evidence.steps.length > 0
      ? {
          codeFlows: [
            {
              message: { text: f.evidence.story },
              threadFlows: [
                {
                  locations: f.evidence.steps.map((s) => ({
                    location: {
                      physicalLocation: { artifactLocation: { uri: s.file }, region: { startLine: s.line } },
                      message: { text: s.text },
                    },
                  })),
                },
              ],
            },
          ],
        }
      : {}),
    ...(f.fix
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

export function formatSarif(review: Review): string {
  const rules = allRules.map((r) => ({
    id: ruleKey(r.meta),
    name: r.meta.id,
    shortDescription: { text: r.meta.summary },
    fullDescription: { text: `${r.meta.summary} ${r.meta.limitations}` },
    defaultConfiguration: { level: LEVEL[r.meta.severity] },
    properties: { family: r.meta.family, source: r.meta.source },
  }));
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'patch-review', version: review.tool.version, rules } },
        results: review.findings.map(result),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: review.warnings.map((w) => ({
              level: w.code === 'internal' ? 'error' : 'note',
              message: { text: w.message },
              ...(w.file ? { locations: [{ physicalLocation: { artifactLocation: { uri: w.file }, ...(w.line ? { region: { startLine: w.line } } : {}) } }] } : {}),
            })),
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
