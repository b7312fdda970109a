// review() with the default rule packs: the one place the fronts (CLI, API, bot, eval, bench) get the
// packs from. It lives outside src/review so the engine never imports rules/ (lint-enforced).
import { defaultRuleSet } from '../rules/index.ts';
import { reviewWith } from './review/engine.ts';
import type { Review, ReviewOptions } from './review/types.ts';

export { defaultRuleSet };

/** The opt-in rules (`pack/id`): what `enable` takes to run every rule (e.g. `rules mine` measuring a thread). */
export const optInRules: readonly string[] = defaultRuleSet.rules.filter((r) => r.meta.optIn).map((r) => `${r.meta.pack}/${r.meta.id}`);

export function review(input: string | Buffer, options: ReviewOptions = {}): Promise<Review> {
  return reviewWith(defaultRuleSet, input, options);
}
