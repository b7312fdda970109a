// review(): parse the input, model the C, run the rule packs, keep what the simulator backs.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePatchInput } from '../patch/index.ts';
import type { FilePatch, Patch, Warning } from '../patch/types.ts';
import { buildCModel } from '../c/index.ts';
import type { CModel } from '../c/types.ts';
import type { Rule, Judgement, Candidate, Report, RuleSet } from './rule.ts';
import { renderMessage, ruleKey } from './rule.ts';
import { judge } from './judge.ts';
import { checkFix } from './fix-check.ts';
import { makeFunctionContext, type FunctionContext, type PatchContext } from './context.ts';
import { buildFallibility } from './fallibility.ts';
import { knowledgeFor } from '../knowledge/index.ts';
import { projectOf, scopeKnowledge } from '../knowledge/mined.ts';
import { createSimSession } from './sim-session.ts';
import { fixText } from './simulation.ts';
import { SEVERITY_RANK, type Finding, type NotReviewedFunction, type Review, type ReviewOptions, type ReviewedPatch } from './types.ts';
import { VERSION } from '../version.ts';
import { applySeverity, pathFilter, selectRules } from './select.ts';
import { importedFiles } from './imported.ts';

/** Touched functions one review examines (docs/limits.md); the rest are reported not reviewed. */
export const DEFAULT_MAX_FUNCTIONS = 2_000;
/** Paths simulated over one review; when spent, the functions left are reported not reviewed. */
export const DEFAULT_MAX_PATHS = 250_000;

interface Collected {
  /** Wall-clock deadline of the outer guard (performance.now()), if any. */
  deadline: number;
  timedOut: boolean;
  notReviewed: NotReviewedFunction[];
  findings: Finding[];
  refuted: Finding[];
  warnings: Warning[];
  candidates: number;
  paths: number;
  functions: number;
  files: number;
  /** The callee each finding is about, when its message names one (`{{callee}}`): groupRepeated's key. */
  callees: Map<string, string>;
}

/**
 * Reviews a patch with a rule set, as ReviewOptions select from it. The fronts call `review()` from
 * src/default-review.ts, which passes the default packs: src/review itself never imports rules/.
 */
export async function reviewWith(ruleSet: RuleSet, input: string | Buffer, options: ReviewOptions = {}): Promise<Review> {
  return reviewWithRules(input, selectRules(ruleSet.rules, options), options);
}

/** A review over exactly these rules (tests pass their own). */
export async function reviewWithRules(input: string | Buffer, rules: Rule[], options: ReviewOptions = {}): Promise<Review> {
  const t0 = performance.now();
  const set = await parsePatchInput(input, options.limits);
  const t1 = performance.now();
  const deadline = options.timeLimitMs !== undefined ? t0 + options.timeLimitMs : Infinity;
  const out: Collected = { deadline, timedOut: false, notReviewed: [], findings: [], refuted: [], warnings: [...set.warnings], candidates: 0, paths: 0, functions: 0, files: 0, callees: new Map() };
  const patches: ReviewedPatch[] = [];
  let modelMs = 0;
  const isIgnored = pathFilter(options.ignorePaths);
  set.patches.forEach((whole, index) => {
    // Imported upstream code (imported.ts) is listed as not reviewed, with the reason; ignored paths are not read at all.
    const imported = importedFiles(whole.meta, options.imported);
    const kept = whole.files.filter((f) => {
      const path = f.newPath ?? f.oldPath ?? '';
      if (isIgnored(path)) return false;
      const why = f.isC ? imported(path) : undefined;
      if (why) out.notReviewed.push({ file: path, function: '*', reason: why, imported: true });
      return !why;
    });
    const patch = kept.length === whole.files.length ? whole : { ...whole, files: kept };
    patches.push({ meta: patch.meta, isCoverLetter: patch.isCoverLetter, files: whole.files.map((f) => f.newPath ?? f.oldPath ?? '') });
    out.warnings.push(...patch.warnings);
    if (patch.isCoverLetter) return;
    const m0 = performance.now();
    const model = buildCModel(patch, { tree: options.tree });
    modelMs += performance.now() - m0;
    out.warnings.push(...model.warnings, ...model.files.flatMap((f) => f.warnings));
    out.notReviewed.push(...model.notReviewed);
    reviewPatch(index, patch, model, rules, options, out);
  });
  const t2 = performance.now();
  const findings = mergeSameLine(groupRepeated(dropYielding(applySeverity(out.findings, options.severity), rules), out.callees, rules)).sort(byPlace);
  return {
    tool: { name: 'patch-review', version: VERSION },
    input: { kind: set.kind, ...(options.inputName ? { name: options.inputName } : {}), lines: inputLineCount(input) },
    patches,
    rules: rules.map((r) => ({
      id: ruleKey(r.meta),
      pack: r.meta.pack,
      family: r.meta.family,
      severity: r.meta.severity,
      summary: r.meta.summary,
      ...(r.meta.helpUri ? { helpUri: r.meta.helpUri } : {}),
    })),
    findings,
    ...(options.showRefuted ? { refuted: out.refuted.sort(byPlace) } : {}),
    warnings: out.warnings,
    notReviewed: out.notReviewed,
    stats: {
      patches: set.patches.length,
      files: out.files,
      functions: out.functions,
      pathsSimulated: out.paths,
      rulesRun: rules.length,
      candidates: out.candidates,
      refuted: out.refuted.length,
      ...(out.timedOut ? { timedOut: true } : {}),
      functionsNotReviewed: out.notReviewed.filter((n) => !n.imported).length,
      ...(out.notReviewed.some((n) => n.imported) ? { filesImported: out.notReviewed.filter((n) => n.imported).length } : {}),
      times: {
        parseMs: round(t1 - t0),
        modelMs: round(modelMs),
        rulesMs: round(t2 - t1 - modelMs),
        totalMs: round(t2 - t0),
      },
    },
  };
}

function reviewPatch(index: number, patch: Patch, model: CModel, rules: Rule[], options: ReviewOptions, out: Collected): void {
  const images = model.files.flatMap((file) =>
    file.functions.flatMap((fn) =>
      [fn.pre, fn.post].flatMap((image) => (image ? [{ image, added: new Set(fn.addedLines), removed: new Set(fn.removedLines), file: file.path }] : [])),
    ),
  );
  // What one project's code shows of its functions is for that project's patches only, and a fact bound to an era
  // for patches written in it (the patch's Date:; mined.ts).
  const paths = patch.files.filter((f) => f.isC).map((f) => f.newPath ?? f.oldPath ?? '');
  const knowledge = scopeKnowledge(
    knowledgeFor({ kb: options.kb, tree: options.tree, apis: options.apis }),
    projectOf(paths.length > 0 ? paths : images.map((i) => i.file)),
    patch.meta.date,
  );
  const fallibility = buildFallibility(model, images, knowledge, patch);
  const contexts: FunctionContext[] = [];
  const maxFunctions = options.limits?.maxFunctions ?? DEFAULT_MAX_FUNCTIONS;
  let overFunctions = 0;
  for (const file of model.files) {
    out.files++;
    let text: string | undefined | null = null;
    const treeText = (): string | undefined => {
      if (text !== null) return text;
      if (!options.tree) return (text = undefined);
      try {
        text = readFileSync(join(options.tree, file.oldPath ?? file.path), 'utf8');
      } catch {
        text = undefined;
      }
      return text;
    };
    for (const fn of file.functions) {
      out.functions++;
      if (!fn.post) continue;
      if (!fn.post.health.clean) {
        const at = fn.post.health.firstError;
        out.warnings.push({
          code: 'parse',
          file: file.path,
          line: at?.line || undefined,
          message: `${fn.name}(): inconclusive: parse error at line ${at?.line ?? '?'}${at?.text ? ` near "${at.text.slice(0, 40)}"` : ''}; no rule ran on it`,
        });
        continue;
      }
      if (out.functions > maxFunctions) {
        // The functions limit: what is left is said, never dropped silently (one warning per patch below).
        overFunctions++;
        out.notReviewed.push({ file: file.path, function: fn.name, reason: `the review's limit of ${maxFunctions} functions was reached first` });
        continue;
      }
      const sim = createSimSession(fn, file, options, (callee) => fallibility.convention(callee));
      contexts.push(makeFunctionContext({ patchIndex: index, patch, model, file, fn, post: fn.post, pre: fn.pre, fallibility, knowledge, sim, options, treeText }));
    }
  }
  if (overFunctions > 0) {
    out.warnings.push({ code: 'limit', message: `${overFunctions} function(s) not reviewed: the review's limit of ${maxFunctions} functions was reached first (listed in notReviewed)` });
  }
  const patchCtx: PatchContext = { patchIndex: index, patch, model, functions: contexts, fallibility };
  const skipped = new Set<FunctionContext>();
  // Paths simulated so far in this review (earlier patches, then each function as its jobs run).
  const maxPaths = options.limits?.maxPaths ?? DEFAULT_MAX_PATHS;
  let spent = out.paths;
  const seenPaths = new Map<FunctionContext, number>();
  const account = (ctx: FunctionContext): void => {
    const now = ctx.sim.pathsSimulated;
    spent += now - (seenPaths.get(ctx) ?? 0);
    seenPaths.set(ctx, now);
  };
  const expired = (ctx: FunctionContext): boolean => {
    if (skipped.has(ctx)) return true;
    if (spent >= maxPaths) {
      skipped.add(ctx);
      out.notReviewed.push({ file: ctx.file.path, function: ctx.fn.name, reason: `the review's limit of ${maxPaths} simulated paths was reached first` });
      out.warnings.push({ code: 'limit', file: ctx.file.path, message: `${ctx.fn.name}(): not reviewed: the review's limit of ${maxPaths} simulated paths was reached first` });
      return true;
    }
    if (performance.now() <= out.deadline) return false;
    // The outer guard: what is not reviewed in time is said, never dropped silently.
    skipped.add(ctx);
    out.timedOut = true;
    out.notReviewed.push({ file: ctx.file.path, function: ctx.fn.name, reason: `time limit (${options.timeLimitMs} ms) expired first` });
    out.warnings.push({
      code: 'time-limit',
      file: ctx.file.path,
      message: `${ctx.fn.name}(): not reviewed: the review's time limit (${options.timeLimitMs} ms) expired first`,
    });
    return true;
  };
  for (const rule of rules) {
    const jobs: { candidate: Candidate; ctx: FunctionContext }[] = [];
    try {
      if (rule.scope === 'function') {
        for (const ctx of contexts) for (const candidate of rule.detect(ctx)) jobs.push({ candidate, ctx });
      } else {
        for (const { candidate, fn } of rule.detect(patchCtx)) jobs.push({ candidate, ctx: fn });
      }
    } catch (error) {
      out.warnings.push(internalWarning(rule, error));
      continue;
    }
    for (const { candidate, ctx } of jobs) {
      if (expired(ctx)) continue;
      out.candidates++;
      try {
        const report: Report = rule.scope === 'function' ? rule.check(candidate, ctx) : rule.check(candidate, ctx, patchCtx);
        const judgement = judge(report, ctx);
        const finding = toFinding(rule, candidate, report, judgement, ctx);
        if (!finding) continue;
        if (finding.verdict === 'refuted') out.refuted.push(finding);
        else {
          out.findings.push(finding);
          const callee = judgement.data?.callee;
          if (typeof callee === 'string' && callee) out.callees.set(placeKey(finding), callee);
        }
      } catch (error) {
        out.warnings.push(internalWarning(rule, error, ctx));
      } finally {
        account(ctx);
      }
    }
  }
  for (const ctx of contexts) out.paths += ctx.sim.pathsSimulated;
}

function internalWarning(rule: Rule, error: unknown, ctx?: FunctionContext): Warning {
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'internal',
    file: ctx?.file.path,
    message: `rule ${ruleKey(rule.meta)} failed${ctx ? ` in ${ctx.fn.name}()` : ''}: ${message}; the review went on without it`,
  };
}

function toFinding(rule: Rule, candidate: Candidate, report: Report, j: Judgement, ctx: FunctionContext): Finding | undefined {
  const node = report.node ?? candidate.node;
  const line = ctx.lineOf(node);
  if (!line) return undefined; // synthetic text has no place in the real file
  const template = rule.meta.messages[j.messageId];
  if (!template) throw new Error(`unknown message id ${j.messageId}`);
  const snippet = ctx.lineText(node).trim();
  let fix = j.fix && j.verdict === 'verified' ? fixText(ctx.post, j.fix.edits) : undefined;
  if (j.fix && j.verdict === 'verified') {
    // A fix is offered only if it is written the way the file is written and reads like C; otherwise the
    // finding stands without it, and the evidence says why.
    const problem = fix ? checkFix(ctx.post, j.fix.edits, fix) : 'the rewrite touches text the patch does not show';
    if (problem) {
      fix = undefined;
      j = { ...j, evidence: { ...j.evidence, assumptions: [...j.evidence.assumptions, `no fix offered: ${problem}`] } };
    }
  }
  const ruleId = ruleKey(rule.meta);
  const fingerprintOf = [ruleId, ctx.file.path, ctx.fn.name, snippet.replace(/\s+/g, '')].join('\0');
  let fingerprint: string | undefined;
  return {
    ruleId,
    family: rule.meta.family,
    severity: rule.meta.severity,
    file: ctx.file.path,
    line,
    column: node.startPosition.column + 1,
    function: ctx.fn.name,
    snippet,
    messageId: j.messageId,
    message: renderMessage(template, j.data),
    verdict: j.verdict,
    evidence: j.evidence,
    ...(fix ? { fix: { description: j.fix!.description, file: ctx.file.path, replacements: fix } } : {}),
    source: { pack: rule.meta.pack, ...rule.meta.source },
    patch: ctx.patchIndex,
    inputLine: inputLineOf(ctx.patch.files.find((f) => (f.newPath ?? f.oldPath) === ctx.file.path), line),
    // Hashed when first read (JSON, SARIF, baselines, the bot, a copy of the finding): the text and checkpatch
    // reports never read it, and a hash computed in a one-shot process's cold JavaScript costs ~0.1 ms a finding.
    get fingerprint(): string {
      return (fingerprint ??= createHash('sha256').update(fingerprintOf).digest('hex').slice(0, 16));
    },
  };
}

const newLines = new WeakMap<FilePatch, Map<number, number | undefined>>();

/** The input line of a post-image line: the first patch line in hunk order that has it (indexed once per file). */
function inputLineOf(file: FilePatch | undefined, line: number): number | undefined {
  if (!file) return undefined;
  let index = newLines.get(file);
  if (!index) {
    index = new Map();
    for (const h of file.hunks) for (const l of h.lines) if (l.newLine !== undefined && !index.has(l.newLine)) index.set(l.newLine, l.sourceLine);
    newLines.set(file, index);
  }
  return index.get(line);
}

/** A finding whose rule yields to another family present on the same line is dropped. */
function dropYielding(findings: Finding[], rules: Rule[]): Finding[] {
  const yields = new Map(rules.map((r) => [ruleKey(r.meta), r.meta.yieldsTo ?? []]));
  const at = (f: Finding): string => `${f.patch}\0${f.file}\0${f.line}`;
  const families = new Map<string, Set<string>>();
  for (const f of findings) families.set(at(f), (families.get(at(f)) ?? new Set()).add(f.family));
  return findings.filter((f) => !(yields.get(f.ruleId) ?? []).some((fam) => families.get(at(f))!.has(fam)));
}

/** One finding per line and family; the strongest verdict and severity win, other rules are named (exported for tests). */
export function mergeSameLine(findings: Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.patch}\0${f.file}\0${f.line}\0${f.family}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, f);
      continue;
    }
    const better = rank(f) > rank(seen) ? f : seen;
    const other = better === f ? seen : f;
    byKey.set(key, withFields(better, {
      alsoReported: [...(better.alsoReported ?? []), { ruleId: other.ruleId, message: other.message }, ...(other.alsoReported ?? [])],
    }));
  }
  return [...byKey.values()];
}

/**
 * A copy of a finding with `fields` set (in their places, new ones last, as a spread puts them) whose fingerprint is
 * still hashed only when read: a spread would read (and hash) it.
 */
function withFields(f: Finding, fields: Partial<Omit<Finding, 'fingerprint'>>): Finding {
  return Object.assign(Object.defineProperties({}, Object.getOwnPropertyDescriptors(f)), fields) as Finding;
}

const placeKey = (f: Finding): string => `${f.patch}\0${f.file}\0${f.line}\0${f.column}\0${f.ruleId}\0${f.messageId}`;

/** Lines a group of repeated findings may span: a positive on any member's line is within the corpus scorer's 40. */
const GROUP_SPAN = 40;

/**
 * A run of findings of one rule that asks for it (meta.groupsRepeated), message and verdict about the same callee in the same function (a PMIC driver's 40
 * dropped I2C writes, TF-A ac41faff6393) is one finding at the first line, the others its related locations, and the
 * message says how many calls at which lines: a maintainer writes one comment, not forty. Only members of the same
 * verdict group (the simulator decided each; none is upgraded), within GROUP_SPAN lines of the first; the fix stays
 * only when every member has one (their replacements together), else none. A finding alone is left as it was
 * (fingerprint included); a group keeps its first member's fingerprint.
 */
function groupRepeated(findings: Finding[], callees: Map<string, string>, rules: Rule[]): Finding[] {
  const grouping = new Set(rules.filter((r) => r.meta.groupsRepeated).map((r) => ruleKey(r.meta)));
  const groups = new Map<string, Finding[][]>();
  const out: (Finding | Finding[])[] = [];
  for (const f of [...findings].sort(byPlace)) {
    const callee = grouping.has(f.ruleId) ? callees.get(placeKey(f)) : undefined;
    if (callee === undefined) {
      out.push(f);
      continue;
    }
    const key = [f.patch, f.file, f.function, f.ruleId, f.messageId, f.verdict, f.severity, callee].join('\0');
    const runs = groups.get(key) ?? [];
    const last = runs[runs.length - 1];
    if (last && f.line - last[0]!.line <= GROUP_SPAN && f.line !== last[last.length - 1]!.line) last.push(f);
    else {
      const run = [f];
      runs.push(run);
      out.push(run);
    }
    groups.set(key, runs);
  }
  return out.map((g) => (Array.isArray(g) ? (g.length === 1 ? g[0]! : collapse(g, callees.get(placeKey(g[0]!))!)) : g));
}

function collapse(members: Finding[], callee: string): Finding {
  const [first, ...rest] = members as [Finding, ...Finding[]];
  const lines = members.map((m) => m.line);
  const replacements = members.every((m) => m.fix) ? members.flatMap((m) => m.fix!.replacements).sort((a, b) => a.startLine - b.startLine) : [];
  const disjoint = replacements.every((r, i) => i === 0 || r.startLine > replacements[i - 1]!.endLine);
  const fix = replacements.length > 0 && disjoint ? { ...first.fix!, description: `${first.fix!.description} (each of the ${members.length} calls)`, replacements } : undefined;
  const assumptions = [...new Set(members.flatMap((m) => m.evidence.assumptions))];
  if (!fix && members.some((m) => m.fix)) assumptions.push(`no fix offered: not every one of the ${members.length} calls has a proven fix`);
  const group: Finding = {
    ...first,
    message: `${first.message} The same goes for ${members.length === 2 ? 'both' : `all ${members.length}`} calls of ${callee}() in ${first.function}(), at lines ${lines.join(', ')}.`,
    evidence: { ...first.evidence, assumptions, reliedOn: [...new Set(members.flatMap((m) => m.evidence.reliedOn))] },
    related: rest.map((m) => ({ file: m.file, line: m.line, column: m.column, snippet: m.snippet, fingerprint: m.fingerprint, ...(m.inputLine !== undefined ? { inputLine: m.inputLine } : {}) })),
  };
  delete group.fix;
  return fix ? { ...group, fix } : group;
}

const rank = (f: Finding): number => (f.verdict === 'verified' ? 10 : 0) + SEVERITY_RANK[f.severity] + (f.fix ? 1 : 0);

function byPlace(a: Finding, b: Finding): number {
  return a.patch - b.patch || cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.ruleId, b.ruleId);
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const round = (ms: number): number => Math.round(ms * 10) / 10;
/** Lines in the raw input (checkpatch's "lines checked"). */
const inputLineCount = (input: string | Buffer): number => {
  const text = typeof input === 'string' ? input : input.toString('latin1');
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.length > 0 && !text.endsWith('\n') ? n + 1 : n;
};
