// GET /v1/rules and /v1/rules/{id}: the catalogue, each rule with the review comment it encodes.
import type { FastifyPluginAsync } from 'fastify';
import { defaultRuleSet } from '../../default-review.ts';
import type { Rule } from '../../review/rule.ts';
import { ProblemError } from '../problems.ts';
import { routeFor } from '../openapi/spec.ts';

export interface RuleEntry {
  id: string;
  pack: string;
  name: string;
  family: string;
  severity: string;
  summary: string;
  fixable: boolean;
  limitations: string;
  messages: Record<string, string>;
  source: { list: string; thread: string; date: string; reviewer: string; quote: string };
  yieldsTo?: string[];
  optIn?: boolean;
}

export function ruleEntry(rule: Rule): RuleEntry {
  const m = rule.meta;
  return {
    id: `${m.pack}/${m.id}`,
    pack: m.pack,
    name: m.id,
    family: m.family,
    severity: m.severity,
    summary: m.summary,
    fixable: m.fixable,
    limitations: m.limitations,
    messages: { ...m.messages },
    source: { list: m.source.list, thread: m.source.thread, date: m.source.date, reviewer: m.source.reviewer, quote: m.source.quote },
    ...(m.yieldsTo?.length ? { yieldsTo: [...m.yieldsTo] } : {}),
    ...(m.optIn ? { optIn: true } : {}),
  };
}

export const ruleRoutes: FastifyPluginAsync = async (app) => {
  const catalogue = defaultRuleSet.rules.map(ruleEntry);

  app.route<{ Querystring: { pack?: string } }>({
    ...routeFor('listRules'),
    handler: async (request) => {
      const { pack } = request.query;
      if (pack !== undefined && !catalogue.some((r) => r.pack === pack)) {
        throw new ProblemError('unknown-rule', `no pack "${pack}"; packs: ${[...new Set(catalogue.map((r) => r.pack))].join(', ')}`, { unknown: [pack] });
      }
      return { rules: pack === undefined ? catalogue : catalogue.filter((r) => r.pack === pack) };
    },
  });

  app.route<{ Params: { id: string } }>({
    ...routeFor('getRule'),
    handler: async (request) => {
      const { id } = request.params;
      const exact = catalogue.find((r) => r.id === id);
      if (exact) return exact;
      const bare = catalogue.filter((r) => r.name === id);
      if (bare.length === 1) return bare[0];
      const why = bare.length > 1 ? `"${id}" is in several packs (${bare.map((r) => r.id).join(', ')}); name it as pack/id` : `no rule "${id}"; GET /v1/rules lists them`;
      throw new ProblemError('not-found', why);
    },
  });
};
