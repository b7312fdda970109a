// `patch-review rules` (the list: id, family, severity, provenance) and `patch-review explain RULE`
// (its reference: what it checks, the review it came from, its cases, its limits).
import type { Rule, RuleCase } from '../review/rule.ts';
import { UsageError, type Parsed } from './options.ts';
import { ExitCode, type Io } from './io.ts';

const keyOf = (r: Rule): string => `${r.meta.pack}/${r.meta.id}`;

function listText(rules: readonly Rule[]): string {
  const width = Math.max(...rules.map((r) => keyOf(r).length));
  const out = rules.map((r) => {
    const m = r.meta;
    return `${keyOf(r).padEnd(width)}  ${m.severity.padEnd(7)}  ${m.family.padEnd(20)}  ${m.optIn ? 'opt-in  ' : '        '}${m.source.reviewer}, ${m.source.list}, ${m.source.date}`;
  });
  const optIn = rules.filter((r) => r.meta.optIn).length;
  const note = optIn > 0 ? `; ${optIn} opt-in (run with --enable RULE|PACK)` : '';
  return `${out.join('\n')}\n\n${rules.length} rules${note}; \`patch-review explain RULE\` for one rule's reference\n`;
}

function listJson(rules: readonly Rule[]): string {
  const data = rules.map((r) => ({
    id: keyOf(r),
    pack: r.meta.pack,
    family: r.meta.family,
    severity: r.meta.severity,
    summary: r.meta.summary,
    fixable: r.meta.fixable,
    ...(r.meta.optIn ? { optIn: true } : {}),
    source: r.meta.source,
    ...(r.meta.helpUri ? { helpUri: r.meta.helpUri } : {}),
  }));
  return `${JSON.stringify(data, null, 2)}\n`;
}

const indent = (text: string, by = '    '): string =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');

function caseText(c: RuleCase, kind: string): string[] {
  const expect = c.expect?.map((e) => `line ${e.line}: ${e.messageId}, ${e.verdict}${e.fix !== undefined ? ', with a fix' : ''}`).join('; ');
  return [`  ${kind}: ${c.name}${c.refuted ? ' (the simulation refutes the candidate)' : ''}${expect ? ` -> ${expect}` : ''}`, indent(c.patch), ''];
}

function explainText(rule: Rule): string {
  const m = rule.meta;
  const out = [
    keyOf(rule),
    '',
    m.summary,
    '',
    `family: ${m.family}; severity: ${m.severity}${m.fixable ? '; offers a fix when the simulation proves it equivalent' : ''}`,
    ...(m.helpUri ? [`reference: ${m.helpUri}`] : []),
    '',
    'where it comes from:',
    `  ${m.source.reviewer} on ${m.source.list}, ${m.source.date}, in "${m.source.thread}":`,
    indent(`> ${m.source.quote}`),
    '',
    'messages:',
    ...Object.entries(m.messages).map(([id, text]) => `  ${id}: ${text}`),
    '',
    'limits:',
    indent(m.limitations, '  '),
    '',
    'cases:',
    ...rule.cases.flagged.flatMap((c) => caseText(c, 'flagged')),
    ...rule.cases.clean.flatMap((c) => caseText(c, 'clean')),
  ];
  return `${out.join('\n').trimEnd()}\n`;
}

export async function runRulesCommand(parsed: Parsed, io: Io): Promise<ExitCode> {
  const { defaultRuleSet } = await import('../default-review.ts');
  const rules = defaultRuleSet.rules;
  if (parsed.command === 'rules') {
    await io.stdout(parsed.values.get('format')?.[0] === 'json' ? listJson(rules) : listText(rules));
    return ExitCode.Clean;
  }
  const name = parsed.operands[0]!;
  const rule = rules.find((r) => keyOf(r) === name) ?? rules.filter((r) => r.meta.id === name).at(0);
  if (!rule) {
    const near = rules.filter((r) => keyOf(r).includes(name)).map(keyOf);
    throw new UsageError(`no rule "${name}"${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}; \`patch-review rules\` lists them`);
  }
  await io.stdout(explainText(rule));
  return ExitCode.Clean;
}
