// Rendering assumptions, outcomes and witnesses for people (and SARIF codeFlows).
import type { Assumption, SimFunction, SimPath, WitnessStep } from '../types.ts';

/** `iommu_unmap_page(d, mfn + i)` -> `iommu_unmap_page()`. */
export const callName = (label: string): string => label.replace(/\(.*$/s, '()');

export function phrase(a: Assumption): string {
  switch (a.origin) {
    case 'call': {
      const c = callName(a.subject);
      if (a.relation === '== 0') return a.isPointer ? `${c} returns NULL` : `${c} returns 0`;
      if (a.relation === '!= 0') return a.isPointer ? `${c} returns non-NULL` : `${c} returns non-zero`;
      if (a.relation === '< 0') return `${c} returns a negative error`;
      if (a.relation === '>= 0') return `${c} returns a non-negative value`;
      if (a.relation === '> 0') return `${c} returns a positive value`;
      if (a.relation === '<= 0') return `${c} returns 0 or an error`;
      return `${c} returns a value ${a.relation}`.replace('value == ', '');
    }
    case 'atom': return a.holds ? `${a.subject} holds` : `${a.subject} does not hold`;
    case 'unknown': return a.holds ? 'a condition the patch does not show is true' : 'a condition the patch does not show is false';
    case 'iteration': return a.subject.replace('another iteration of the', 'the') + (a.holds ? ' runs again' : ' stops');
    case 'gap': return `${a.subject} is ${relationWords(a.relation)}`;
    default: return `${a.subject} is ${relationWords(a.relation)}`;
  }
}

function relationWords(r: string): string {
  return ({ '== 0': '0', '!= 0': 'non-zero', '< 0': 'negative', '>= 0': 'non-negative', '> 0': 'positive', '<= 0': 'at most 0' } as Record<string, string>)[r] ?? r.replace(/^== /, '');
}

export function joinPhrases(ps: string[]): string {
  const uniq = [...new Set(ps)];
  if (uniq.length <= 1) return uniq[0] ?? 'always';
  return `${uniq.slice(0, -1).join(', ')} and ${uniq[uniq.length - 1]}`;
}

/** Real line -> source text of that line, for the function's rows. */
export function lineTexts(fn: SimFunction): Map<number, string> {
  const out = new Map<number, string>();
  const first = fn.node.startPosition.row;
  fn.node.text.split('\n').forEach((text, i) => {
    const row = first + i;
    const line = fn.lineMap ? fn.lineMap[row] ?? 0 : row + 1;
    if (line > 0 && !out.has(line)) out.set(line, text.trim());
  });
  return out;
}

/** The path's visited lines with their text, annotated with what was assumed there. */
export function stepsOf(fn: SimFunction, p: SimPath, notes: Map<number, string> = new Map()): WitnessStep[] {
  const texts = lineTexts(fn);
  const byLine = new Map<number, string[]>();
  for (const a of p.assumptions) {
    const list = byLine.get(a.line) ?? [];
    list.push(phrase(a));
    byLine.set(a.line, list);
  }
  const steps: WitnessStep[] = [];
  for (const line of p.trace) {
    const extra = [...(notes.get(line) ? [notes.get(line)!] : []), ...(byLine.get(line) ?? [])];
    const text = texts.get(line) ?? '';
    steps.push({ line, text: extra.length ? `${text} — ${[...new Set(extra)].join('; ')}` : text });
  }
  const endLine = p.end.line;
  if (!steps.length || steps[steps.length - 1]!.line !== endLine) steps.push({ line: endLine, text: texts.get(endLine) ?? p.end.kind });
  return steps;
}
