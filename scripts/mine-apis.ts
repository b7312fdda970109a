// Regenerates src/knowledge/mined-apis.ts: the failure conventions of the functions a project defines, as the
// project's own code shows them, for fragment mode (a patch and no tree). Input: knowledge bases saved by
// `patch-review index` over a project's own code (Xen: xen/; OP-TEE: core/ and lib/), one per project.
//
//   npx tsx scripts/mine-apis.ts --roots xen=xen/ --roots optee=core/,lib/ \
//     xen=OLD.kb.json@REV:xen/ ... xen=HEAD.kb.json@SHA:xen/ optee=... > src/knowledge/mined-apis.ts
//
// --roots names where each project's code lives in its repository: a patch's files tell which project it is, and
// a project's facts are used for its own patches only (Xen's gcov write32() is not OP-TEE's MMIO write32()).
//
// Several snapshots of one project may be given, oldest first: the NEWEST one that knows a name decides
// (a function whose callers came to drop it is left out even if they once tested it); older snapshots add
// the functions since renamed or removed, which older patches still call.
// Only facts that say a function CAN fail are kept, and only where the project's callers agree: a function
// whose callers drop its result more than once in five calls is left out (dropping it is the project's
// practice, and a reviewer who flags it is ignored). Names the built-in data already has (src/knowledge/
// apis.ts, curated from headers) are left out: the curated entry wins. A name two projects define with
// different conventions is left out of both.
import { readFileSync } from 'node:fs';
import { builtinApis } from '../src/knowledge/apis.ts';
import type { ApiFact } from '../src/knowledge/types.ts';
import { minable } from '../src/knowledge/mined.ts';

interface Input {
  project: string;
  /** the directory the kb was built from, as a path prefix its sources lack (`xen/`), or '' */
  prefix: string;
  commit: string;
  facts: ApiFact[];
}

function parseArg(arg: string): Input {
  const m = /^(\w+)=(.+)@([\w.-]+)(?::(\S+\/))?$/.exec(arg);
  if (!m) throw new Error(`expected NAME=KB.json@REV[:PREFIX/], got '${arg}'`);
  const kb = JSON.parse(readFileSync(m[2]!, 'utf8')) as { facts: ApiFact[] };
  const rev = /^[0-9a-f]{40}$/.test(m[3]!) ? m[3]!.slice(0, 12) : m[3]!;
  return { project: m[1]!, commit: rev, prefix: m[4] ?? '', facts: kb.facts };
}

const args = process.argv.slice(2);
const roots: Record<string, string[]> = {};
for (let i = 0; i < args.length; i++) {
  if (args[i] !== '--roots') continue;
  const m = /^(\w+)=(.+)$/.exec(args[i + 1] ?? '');
  if (!m) throw new Error(`expected --roots NAME=DIR/,DIR/, got '${args[i + 1]}'`);
  roots[m[1]!] = m[2]!.split(',');
  args.splice(i, 2);
  i--;
}
const inputs = args.map(parseArg);
if (inputs.length === 0) {
  process.stderr.write('usage: tsx scripts/mine-apis.ts NAME=KB.json@COMMIT ...\n');
  process.exit(2);
}
const curated = new Set(builtinApis.map((f) => f.name));
// per project: each name's fact from the newest snapshot with a decided convention
const newest = new Map<string, Map<string, { input: number; fact: ApiFact }>>();
inputs.forEach((input, i) => {
  const known = newest.get(input.project) ?? newest.set(input.project, new Map()).get(input.project)!;
  for (const fact of input.facts) if (fact.convention !== 'unknown') known.set(fact.name, { input: i, fact });
});
// A member (`->final`) is learned from every struct that has one of that name; only the newest snapshot's word
// counts (an older one merged hash and cipher `final` hooks of different return types into one fact).
const last = new Map<string, number>();
inputs.forEach((input, i) => last.set(input.project, i));
for (const [project, known] of newest) {
  for (const [name, e] of known) if (name.startsWith('->') && e.input !== last.get(project)) known.delete(name);
}
const byName = new Map<string, { project: string; input: number; fact: ApiFact }[]>();
for (const [project, known] of newest) {
  for (const [name, e] of known) {
    if (curated.has(name) || !minable(e.fact)) continue;
    (byName.get(name) ?? byName.set(name, []).get(name)!).push({ project, ...e });
  }
}
// a name known to one project only, or alike in all that define it
const defined = new Map<string, Set<string>>();
for (const [project, known] of newest) for (const name of known.keys()) (defined.get(name) ?? defined.set(name, new Set()).get(name)!).add(project);

const rows: string[] = [];
for (const [name, list] of [...byName].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
  if ((defined.get(name)?.size ?? 0) > list.length) continue; // another project defines it and does not agree
  if (new Set(list.map((e) => e.fact.convention)).size > 1) continue;
  const e = list[0]!;
  const f = e.fact;
  const callers = f.callers ?? { tested: 0, dropped: 0 };
  const where = list.map((x) => x.input).join(',');
  // a location in the source reads as a path in the repository (`arch/x86/mm/p2m.c:12` -> `xen/arch/...`)
  const prefix = inputs[e.input]!.prefix;
  const source = prefix ? f.source.replace(/(^|[\s(])((?:[\w-]+\/)+[\w.-]+\.[ch]:\d+)/g, `$1${prefix}$2`) : f.source;
  rows.push([
    name,
    f.convention,
    f.returnType ?? '',
    (f.failValues ?? []).slice(0, 4).join(','),
    f.mustCheck ? '1' : '',
    String(callers.tested),
    String(callers.dropped),
    String(callers.used ?? 0),
    where,
    source.replace(/[\t\n]/g, ' '),
  ].join('\t'));
}

const header = `// GENERATED by scripts/mine-apis.ts from ${inputs.map((i) => `${i.project} ${i.commit}`).join(', ')}; do not edit by hand.
// MINED_ROOTS: where each project's code lives (a patch's paths say which project it belongs to); MINED_FROM: the
// projects and commits; MINED_APIS: one function per line, tab-separated: name, convention,
// return type, failure values, must-check, callers tested / dropped / used untested, index into MINED_FROM,
// what the code shows. Read by src/knowledge/mined.ts.
`;
const from = inputs.map((i) => `${i.project} ${i.commit}`);
for (const i of inputs) if (!roots[i.project]) throw new Error(`no --roots for ${i.project}`);
process.stdout.write(`${header}export const MINED_ROOTS: Readonly<Record<string, readonly string[]>> = ${JSON.stringify(roots)};\nexport const MINED_FROM: readonly string[] = ${JSON.stringify(from)};\nexport const MINED_APIS = ${JSON.stringify(rows.join('\n'))};\n`);
process.stderr.write(`${rows.length} functions\n`);
