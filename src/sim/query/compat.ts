// Comparing paths: whether two paths' assumptions can hold together, and their outcomes under them.
import type { Domain, OutcomeSummary, SimPath, Value } from '../types.ts';
import { intersect } from '../state/domain.ts';
import { key, resolve, show } from '../state/value.ts';

export type Constraints = Record<string, Domain>;

/** Both sets of constraints at once, or undefined when no input satisfies both. */
export function merge(a: Readonly<Constraints>, b: Readonly<Constraints>): Constraints | undefined {
  const out: Constraints = { ...a };
  for (const k of Object.keys(b)) {
    const mine = out[k];
    if (!mine) { out[k] = b[k]!; continue; }
    const d = intersect(mine, b[k]!);
    if (!d) return undefined;
    out[k] = d;
  }
  return out;
}

export const valueKey = (v: Value | undefined, c: Readonly<Constraints>): string | undefined => (v ? key(resolve(v, c)) : undefined);
export const valueText = (v: Value | undefined, c: Readonly<Constraints>): string | undefined => (v ? show(resolve(v, c)) : undefined);

export function effectText(p: SimPath): string[] {
  return p.effects.map((e) => (e.kind === 'write' ? `${e.target} = ${e.argText[0] ?? ''}` : `${e.target}(${e.argText.join(', ')})`));
}

export function effectKeys(p: SimPath): string[] {
  return p.effects.map((e) => `${e.kind}:${e.target}(${e.values.join(',')})`);
}

export function summarise(p: SimPath, c: Readonly<Constraints>, vars?: string[]): OutcomeSummary {
  const s: OutcomeSummary = { end: p.end.kind, line: p.end.line, effects: effectText(p), uninitReads: p.uninitReads };
  const v = valueText(p.end.value, c);
  if (v !== undefined) s.value = v;
  if (vars) {
    s.vars = {};
    for (const n of vars) s.vars[n] = valueText(p.finalVars[n], c) ?? '(as it was)';
  }
  return s;
}
