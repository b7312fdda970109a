// What a review runs and reports, as configured: rules on or off (by id or by pack), severities
// overridden, paths ignored. The CLI's flags and .patch-review.json, and the API's options, land here.
import type { Rule } from './rule.ts';
import { ruleKey } from './rule.ts';
import type { Finding, ReviewOptions, Severity } from './types.ts';

/** Whether `name` (a `pack/id` or a bare pack name) names this rule. */
const names = (rule: Rule, name: string): boolean => ruleKey(rule.meta) === name || rule.meta.pack === name;

/**
 * The rules a review runs: `options.rules` (ids or whole packs) when given; otherwise every rule that is
 * not opt-in, plus the opt-in ones `options.enable` names; minus `options.disable` either way. An id or
 * pack that names no rule is an error: a typo must not silently turn a rule off or leave it on.
 */
export function selectRules(all: readonly Rule[], options: Pick<ReviewOptions, 'rules' | 'disable' | 'enable'>): Rule[] {
  const only = options.rules ?? [];
  const enable = options.enable ?? [];
  const disable = options.disable ?? [];
  const unknown = [...only, ...enable, ...disable].filter((name) => !all.some((r) => names(r, name)));
  if (unknown.length > 0) throw new RangeError(`unknown rule or pack: ${[...new Set(unknown)].join(', ')}`);
  const runs = (r: Rule): boolean =>
    only.length > 0 ? only.some((n) => names(r, n)) : !r.meta.optIn || enable.some((n) => names(r, n));
  return all.filter((r) => runs(r) && !disable.some((n) => names(r, n)));
}

/** Severity overrides keyed by `pack/id` or by pack; an id wins over its pack. */
export function severityFor(finding: Pick<Finding, 'ruleId' | 'severity' | 'source'>, overrides: ReviewOptions['severity']): Severity {
  if (!overrides) return finding.severity;
  return overrides[finding.ruleId] ?? overrides[finding.source.pack] ?? finding.severity;
}

export function applySeverity(findings: Finding[], overrides: ReviewOptions['severity']): Finding[] {
  if (!overrides || Object.keys(overrides).length === 0) return findings;
  return findings.map((f) => {
    const severity = severityFor(f, overrides);
    return severity === f.severity ? f : { ...f, severity };
  });
}

/**
 * A glob as .gitignore users expect: `*` and `?` stay within a path segment, `**` crosses them, a
 * pattern without `/` matches a name at any depth, a trailing `/` means everything under a directory.
 */
export function globToRegExp(glob: string): RegExp {
  let pattern = glob.trim().replace(/^\.\//, '');
  const anyDepth = !pattern.replace(/\/$/, '').includes('/');
  if (pattern.endsWith('/')) pattern += '**';
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${anyDepth ? '(?:.*/)?' : ''}${re.replace(/^\//, '')}(?:/.*)?$`);
}

/** A predicate over a file's path (new path, or old path of a deletion), true when ignored. */
export function pathFilter(globs: readonly string[] | undefined): (path: string) => boolean {
  if (!globs || globs.length === 0) return () => false;
  const res = globs.map(globToRegExp);
  return (path) => res.some((re) => re.test(path));
}
