// A knowledge base is a lookup over facts; several are stacked (project config over the tree over
// the built-in API data) and the first that knows a name answers.
import type { ApiFact, Knowledge } from './types.ts';

/** `ops->suspend`, `d->arch.ops.suspend`, `iommu_call:suspend` -> `->suspend` (facts learned per member). */
export function memberKey(name: string): string | undefined {
  const m = /(?:->|\.|:)\s*([A-Za-z_]\w*)$/.exec(name);
  return m && !name.startsWith('->') ? `->${m[1]!}` : undefined;
}

export function factsKnowledge(facts: readonly ApiFact[], origin: Knowledge['origin']): Knowledge {
  const byName = new Map<string, ApiFact>();
  for (const f of facts) byName.set(f.name, f);
  return {
    origin,
    lookup: (name) => byName.get(name) ?? byName.get(memberKey(name) ?? ''),
    facts: () => [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

/**
 * The first layer with a decided convention answers; `unknown` facts only lend their declaration
 * (return type, __must_check) to a later layer that knows the convention.
 */
export function stackKnowledge(layers: readonly Knowledge[]): Knowledge {
  const lookup = (name: string): ApiFact | undefined => {
    let declared: ApiFact | undefined;
    for (const layer of layers) {
      const f = layer.lookup(name);
      if (!f) continue;
      if (f.convention !== 'unknown') {
        if (!declared) return f;
        return {
          ...f,
          ...(f.returnType ?? declared.returnType ? { returnType: f.returnType ?? declared.returnType } : {}),
          ...(f.mustCheck || declared.mustCheck ? { mustCheck: true } : {}),
        };
      }
      declared ??= f;
    }
    return declared;
  };
  return {
    origin: layers.find((l) => l.origin.tree || l.origin.file)?.origin ?? {},
    lookup,
    facts: () => {
      const names = new Set(layers.flatMap((l) => l.facts().map((f) => f.name)));
      return [...names].sort().map((n) => lookup(n)!);
    },
  };
}
