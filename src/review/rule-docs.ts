// The rule reference, generated from each rule's meta (so it cannot drift from the code).
import type { Rule } from './rule.ts';

export function ruleDocs(packs: Record<string, Rule[]>): string {
  const out = ['# Rules', '', 'Generated from the rules\' meta by `npm run docs`; do not edit by hand.', ''];
  for (const [pack, rules] of Object.entries(packs)) {
    out.push(`## ${pack}`, '');
    for (const r of rules) {
      const m = r.meta;
      out.push(`### ${pack}/${m.id}`, '');
      out.push(`${m.summary}`, '');
      out.push(`- family: \`${m.family}\`, severity: ${m.severity}${m.fixable ? ', offers a fix when the simulator proves it equivalent' : ''}`);
      out.push(`- from: ${m.source.reviewer}, ${m.source.list}, ${m.source.date}, "${m.source.thread}"`);
      out.push(`- the reviewer wrote: > ${m.source.quote}`);
      out.push(`- limitations: ${m.limitations}`);
      out.push(`- cases: ${r.cases.flagged.map((c) => c.name).join('; ')} (flagged); ${r.cases.clean.map((c) => c.name).join('; ')} (clean)`);
      out.push('');
    }
  }
  return out.join('\n');
}
