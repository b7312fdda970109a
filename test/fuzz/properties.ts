// Generators and properties shared by the fuzz tests (small fixed-seed runs in `npm test`) and the
// large run (`npm run fuzz`, bench/fuzz.ts). A property returns nothing when it holds and throws an
// Error saying what broke when it does not.
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { parsePatchInput, PatchInputError, type PatchSet } from '../../src/patch/index.ts';
import { review } from '../../src/default-review.ts';
import { buildCModel } from '../../src/c/index.ts';
import { benchSimulate } from '../../src/sim/bench.ts';
import { DEFAULT_BUDGET } from '../../src/sim/index.ts';
import { splitSourceLines } from '../../src/patch/source-lines.ts';
import { hunkLadder } from '../../bench/ladder.ts';

const fixtures = new URL('../fixtures/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8');

/** Real-like patches the mutations start from (plain diffs and mails, not review replies). */
export const BASE_PATCHES: { name: string; text: string }[] = [
  { name: 'format-patch', text: read('patch/format-patch.patch') },
  { name: 'plain', text: read('patch/plain.diff') },
  { name: 'git-statuses', text: read('patch/git-statuses.diff') },
  { name: 'series', text: read('patch/series.mbox') },
  { name: 'seed-000-recovered', text: read('seed-000-recovered.patch') },
  { name: 'ladder-3', text: hunkLadder(3) },
];

/** C sources to cut fragments from. */
export const C_SOURCES: string[] = [
  ...readdirSync(new URL('macros/', fixtures)).filter((f) => f.endsWith('.c')).map((f) => read(`macros/${f}`)),
  ...readdirSync(new URL('sim/', fixtures)).filter((f) => f.endsWith('.c')).map((f) => read(`sim/${f}`)),
];

// -------------------------------------------------------------------------------------------------
// Patch mutations

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'wrap'; line: number; col: number }
  | { kind: 'crlf'; from: number }
  | { kind: 'junk'; at: number; bytes: number[] }
  | { kind: 'huge-line'; line: number; length: number }
  | { kind: 'shuffle-hunks'; seed: number }
  | { kind: 'corrupt-header'; line: number; replacement: string }
  | { kind: 'drop-line'; line: number }
  | { kind: 'duplicate-line'; line: number };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('wrap' as const), line: fc.nat(), col: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ kind: fc.constant('crlf' as const), from: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('junk' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 24 }) }),
  fc.record({ kind: fc.constant('huge-line' as const), line: fc.nat(), length: fc.integer({ min: 1000, max: 200_000 }) }),
  fc.record({ kind: fc.constant('shuffle-hunks' as const), seed: fc.nat() }),
  fc.record({
    kind: fc.constant('corrupt-header' as const),
    line: fc.nat(),
    replacement: fc.constantFrom('@@ -x,y +z @@', '@@ -1,3 +1', '@@@', 'diff --git a/', '--- ', '+++ b/', '@@ -99999999999,1 +1,1 @@', 'index zzz..yyy', '@@ -1,0 +1,0 @@'),
  }),
  fc.record({ kind: fc.constant('drop-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat() }),
);

/** A small deterministic shuffle (the mutation carries its own seed, so a failure replays). */
function shuffle<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function mutate(text: string, m: Mutation): string | Buffer {
  const lines = text.split('\n');
  const pick = (n: number) => n % lines.length;
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, Math.floor(text.length * m.at));
    case 'wrap': {
      const i = pick(m.line);
      const l = lines[i]!;
      if (l.length > m.col) lines.splice(i, 1, l.slice(0, m.col), l.slice(m.col));
      return lines.join('\n');
    }
    case 'crlf': {
      const from = Math.floor(lines.length * m.from);
      return lines.map((l, i) => (i >= from ? `${l}\r` : l)).join('\n');
    }
    case 'junk': {
      const buf = Buffer.from(text, 'utf8');
      const at = Math.floor(buf.length * m.at);
      return Buffer.concat([buf.subarray(0, at), Buffer.from(m.bytes), buf.subarray(at)]);
    }
    case 'huge-line': {
      const i = pick(m.line);
      const prefix = lines[i]!.startsWith('+') || lines[i]!.startsWith('-') || lines[i]!.startsWith(' ') ? lines[i]![0]! : '+';
      lines.splice(i, 0, prefix + 'x'.repeat(m.length));
      return lines.join('\n');
    }
    case 'shuffle-hunks': {
      // Hunks of each file in a random order (their headers move with them).
      const out: string[] = [];
      let block: string[][] = [];
      const flush = () => {
        out.push(...shuffle(block, m.seed).flat());
        block = [];
      };
      for (const l of lines) {
        if (l.startsWith('@@')) block.push([l]);
        else if (block.length > 0 && /^[ +\-\\]/.test(l) && !l.startsWith('--- ') && !l.startsWith('-- ')) block[block.length - 1]!.push(l);
        else {
          flush();
          out.push(l);
        }
      }
      flush();
      return out.join('\n');
    }
    case 'corrupt-header': {
      const headers = lines.flatMap((l, i) => (/^(@@|diff --git|--- |\+\+\+ |index )/.test(l) ? [i] : []));
      if (headers.length === 0) return text;
      lines[headers[m.line % headers.length]!] = m.replacement;
      return lines.join('\n');
    }
    case 'drop-line':
      lines.splice(pick(m.line), 1);
      return lines.join('\n');
    case 'duplicate-line': {
      const i = pick(m.line);
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
  }
}

export const patchCaseArb = fc.record({ base: fc.nat({ max: BASE_PATCHES.length - 1 }), mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }) });
export type PatchCase = { base: number; mutations: Mutation[] };

export function buildPatchCase(c: PatchCase): string | Buffer {
  let text: string | Buffer = BASE_PATCHES[c.base]!.text;
  for (const m of c.mutations) text = mutate(typeof text === 'string' ? text : text.toString('latin1'), m);
  return text;
}

/**
 * Lines of the input the parser must use or name: in a file's section (from its `+++` line or a hunk
 * header to the next `diff`/`---` header, `From ` line or mail signature), every `+`, `-` or ` ` line (not the `---` before a diffstat),
 * prose between them included (a wrapped line's rest does not end the section), and every extended
 * header line (index, mode, rename, binary) there, which only a diff --git line before it opens.
 */
export function bodyLines(text: string): number[] {
  const out: number[] = [];
  let inSection = false;
  // Numbered as the parser numbers input lines (CR, LF and CRLF each end a line).
  splitSourceLines(text).forEach(({ text: l }, i) => {
    if (l.startsWith('@@') || l.startsWith('+++ ')) inSection = true;
    else if (l === '-- ' || l === '--' || l.startsWith('diff ') || l.startsWith('From ') || l.startsWith('--- ')) inSection = false;
    else if (inSection && l !== '---' && (/^[+\- ]/.test(l) || EXTENDED_HEADER.test(l))) out.push(i + 1);
  });
  return out;
}

const EXTENDED_HEADER = /^(?:index [0-9a-f]+\.\.[0-9a-f]+|new file mode|deleted file mode|old mode|new mode|similarity index|dissimilarity index|rename (?:from|to) |copy (?:from|to) |Binary files |GIT binary patch$)/;

/** Lines a warning names: its `line`, and lines written "line(s) N", "N-M" or "N, M-P, Q" in its message. */
function namedLines(set: PatchSet): (line: number) => boolean {
  const warnings = [...set.warnings, ...set.patches.flatMap((p) => p.warnings)];
  const ranges: [number, number][] = [];
  for (const w of warnings) {
    if (w.line !== undefined) ranges.push([w.line, w.line]);
    for (const m of w.message.matchAll(/lines? (\d+(?:\s*(?:-|–|to)\s*\d+)?(?:,\s*\d+(?:\s*(?:-|–)\s*\d+)?)*)/g))
      for (const part of m[1]!.split(',')) {
        const [a, b] = part.split(/-|–|to/).map((x) => Number(x.trim()));
        ranges.push([a!, b ?? a!]);
      }
  }
  return (line) => ranges.some(([a, b]) => line >= a && line <= b);
}

export interface ParseOutcome {
  rejected?: string;
  hunks: number;
  unaccounted: number[];
}

/**
 * The parser on one input: throws only PatchInputError (a clear "no patch" / "too large"), and every
 * diff body line it did not put in a hunk is named by a warning. Returns what it found.
 */
export async function checkParse(input: string | Buffer): Promise<ParseOutcome> {
  let set: PatchSet;
  try {
    set = await parsePatchInput(input);
  } catch (error) {
    if (error instanceof PatchInputError) return { rejected: error.code, hunks: 0, unaccounted: [] };
    throw new Error(`parsePatchInput threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
  const used = new Set<number>();
  let hunks = 0;
  for (const p of set.patches)
    for (const f of p.files)
      for (const h of f.hunks) {
        hunks++;
        used.add(h.sourceLine);
        for (const l of h.lines) used.add(l.sourceLine);
      }
  const text = typeof input === 'string' ? input : input.toString('utf8');
  const named = namedLines(set);
  const unaccounted = bodyLines(text).filter((l) => !used.has(l) && !named(l));
  return { hunks, unaccounted };
}

/** The whole review of a mutated patch: no crash, and every parsed C file with hunks is reported. */
export async function checkReview(input: string | Buffer): Promise<void> {
  let set: PatchSet;
  try {
    set = await parsePatchInput(input);
  } catch (error) {
    if (error instanceof PatchInputError) return;
    throw error;
  }
  const r = await review(input);
  const parsedC = new Set(set.patches.filter((p) => !p.isCoverLetter).flatMap((p) => p.files.filter((f) => f.isC && f.hunks.length > 0).map((f) => f.newPath ?? f.oldPath ?? '')));
  const reported = new Set(r.patches.flatMap((p) => p.files));
  for (const f of parsedC) if (!reported.has(f)) throw new Error(`review dropped ${f}, which the parser read (reported: ${[...reported].join(', ')})`);
  for (const fd of r.findings) if (!fd.verdict) throw new Error(`finding without a verdict: ${JSON.stringify(fd).slice(0, 200)}`);
}

// -------------------------------------------------------------------------------------------------
// Random C

const ident = fc.constantFrom('rc', 'ret', 'err', 'p', 'q', 'i', 'n', 'flags');
const callee = fc.constantFrom('kmalloc', 'alloc_page', 'map_domain_page', 'probe', 'setup', 'lock', 'unlock', 'xmalloc', 'copy_from_guest', 'regulator_enable', 'foo_init', 'bar');
const cond = fc.oneof(
  ident,
  ident.map((v) => `!${v}`),
  ident.map((v) => `${v} < 0`),
  fc.tuple(ident, ident).map(([a, b]) => `${a} && ${b}`),
  ident.map((v) => `IS_ERR(${v})`),
  fc.tuple(callee, ident).map(([f, v]) => `${f}(${v})`),
);

const stmt: fc.Memo<string> = fc.memo((depth) => {
  const leaf = fc.oneof(
    fc.tuple(ident, callee, ident).map(([v, f, a]) => `${v} = ${f}(${a});`),
    fc.tuple(callee, ident).map(([f, a]) => `${f}(${a});`),
    ident.map((v) => `return ${v};`),
    fc.constantFrom('return 0;', 'return -ENOMEM;', 'return -EINVAL;', 'goto out;', 'goto fail;', 'break;', 'continue;', ';', 'i++;'),
  );
  if (depth <= 1) return leaf;
  const inner = stmt(depth - 1);
  const block = fc.array(inner, { minLength: 0, maxLength: 3 }).map((ss) => `{ ${ss.join(' ')} }`);
  return fc.oneof(
    { weight: 4, arbitrary: leaf },
    { weight: 2, arbitrary: fc.tuple(cond, block).map(([c, b]) => `if (${c}) ${b}`) },
    { weight: 1, arbitrary: fc.tuple(cond, block, block).map(([c, a, b]) => `if (${c}) ${a} else ${b}`) },
    { weight: 1, arbitrary: fc.tuple(cond, block).map(([c, b]) => `while (${c}) ${b}`) },
    { weight: 1, arbitrary: block.map((b) => `for (i = 0; i < n; i++) ${b}`) },
    { weight: 1, arbitrary: fc.tuple(ident, block, block).map(([v, a, b]) => `switch (${v}) { case 0: ${a} break; case 1: ${b} default: break; }`) },
    { weight: 1, arbitrary: block.map((b) => `do ${b} while (0);`) },
  );
});

/** A small random function in kernel style, with the labels its gotos need. */
export const cFunctionArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('int', 'static int', 'void', 'long', 'struct page *'), fc.array(stmt(4), { minLength: 1, maxLength: 8 }))
  .map(([type, body]) =>
    [`${type} fuzz_fn(struct dev *dev, int n)`, '{', '\tint rc = 0, ret, err, i, flags;', '\tvoid *p, *q;', ...body.map((s) => `\t${s}`), '\treturn rc;', ' out:', '\tunlock(dev);', ' fail:', '\treturn -EIO;', '}'].join('\n'),
  );

/** A random window of lines cut from a real-like C file (fragment mode: the function may be partial). */
export const cFragmentArb: fc.Arbitrary<string> = fc
  .tuple(fc.nat({ max: C_SOURCES.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 60 }))
  .map(([file, at, length]) => {
    const lines = C_SOURCES[file]!.split('\n');
    const start = Math.floor(at * Math.max(0, lines.length - 1));
    return lines.slice(start, start + length).join('\n');
  });

/** `source` as the new-file patch that adds it, or as context around one added line (a fragment). */
export function asPatch(source: string, mode: 'new-file' | 'context'): string {
  const lines = source.split('\n');
  const header = ['diff --git a/src/fuzz.c b/src/fuzz.c'];
  if (mode === 'new-file') {
    return [...header, 'new file mode 100644', '--- /dev/null', '+++ b/src/fuzz.c', `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`), ''].join('\n');
  }
  const mid = Math.floor(lines.length / 2);
  const body = [...lines.slice(0, mid).map((l) => ` ${l}`), '+\trc = fuzz_added(dev);', ...lines.slice(mid).map((l) => ` ${l}`)];
  return [...header, 'index 1111111..2222222 100644', '--- a/src/fuzz.c', '+++ b/src/fuzz.c', `@@ -100,${lines.length} +100,${lines.length + 1} @@`, ...body, ''].join('\n');
}

/**
 * The C model and simulator on one source: review() never throws; each touched function simulated
 * alone stays within the default path budget (plus the forks of the last step) and ends.
 */
export async function checkC(source: string, mode: 'new-file' | 'context'): Promise<{ paths: number }> {
  const text = asPatch(source, mode);
  const r = await review(text);
  const set = await parsePatchInput(text);
  let paths = 0;
  for (const patch of set.patches) {
    for (const file of buildCModel(patch).files)
      for (const fn of file.functions)
        for (const image of [fn.post, fn.pre]) {
          if (!image) continue;
          const [entry] = benchSimulate([image]);
          if (!entry) continue;
          // Forks are counted as they happen; one step may fork a few more before the check stops it.
          if (entry.paths > DEFAULT_BUDGET.maxPaths * 2) throw new Error(`${entry.name}: ${entry.paths} paths, budget ${DEFAULT_BUDGET.maxPaths}`);
          if (entry.steps > DEFAULT_BUDGET.maxSteps * 2) throw new Error(`${entry.name}: ${entry.steps} steps, budget ${DEFAULT_BUDGET.maxSteps}`);
          paths += entry.paths;
        }
  }
  for (const fd of r.findings) if (!fd.verdict) throw new Error('finding without a verdict');
  return { paths };
}
