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
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinApis } from '../src/knowledge/apis.ts';
import type { ApiFact } from '../src/knowledge/types.ts';
import { ignoredMarker, minable } from '../src/knowledge/mined.ts';

interface Input {
  project: string;
  /** the directory the kb was built from, as a path prefix its sources lack (`xen/`), or '' */
  prefix: string;
  commit: string;
  /** the snapshot's commit date (YYYY-MM-DD): facts hold from and until snapshot dates */
  date: string;
  facts: ApiFact[];
  /** the tree the kb was built from (its origin): the scan cache has the void functions of that tree */
  tree?: string;
}

function parseArg(arg: string): Input {
  const m = /^(\w+)=(.+)@([\w.-]+)@(\d{4}-\d\d-\d\d)(?::(\S+\/))?$/.exec(arg);
  if (!m) throw new Error(`expected NAME=KB.json@REV@YYYY-MM-DD[:PREFIX/], got '${arg}'`);
  const kb = JSON.parse(readFileSync(m[2]!, 'utf8')) as { facts: ApiFact[]; origin?: { tree?: string } };
  const rev = /^[0-9a-f]{40}$/.test(m[3]!) ? m[3]!.slice(0, 12) : m[3]!;
  return { project: m[1]!, commit: rev, date: m[4]!, prefix: m[5] ?? '', facts: kb.facts, ...(kb.origin?.tree ? { tree: kb.origin.tree } : {}) };
}

const args = process.argv.slice(2);
const roots: Record<string, string[]> = {};
let scansDir: string | undefined;
let dataOut: string | undefined;
// also the fallible functions the project's callers mostly drop (ignoredMarker): the review then knows not to report one more
let withIgnored = false;
const dirLists: Record<string, string> = {};
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--scans' || args[i] === '--data-out') {
    if (args[i] === '--scans') scansDir = args[i + 1];
    else dataOut = args[i + 1];
    args.splice(i, 2);
    i--;
    continue;
  }
  if (args[i] === '--with-ignored') {
    withIgnored = true;
    args.splice(i, 1);
    i--;
    continue;
  }
  if (args[i] === '--dirs') {
    const m = /^(\w+)=(.+)$/.exec(args[i + 1] ?? '');
    if (!m) throw new Error(`expected --dirs NAME=LISTFILE, got '${args[i + 1]}'`);
    dirLists[m[1]!] = m[2]!;
    args.splice(i, 2);
    i--;
    continue;
  }
  if (args[i] !== '--roots') continue;
  const m = /^(\w+)=(.+)$/.exec(args[i + 1] ?? '');
  if (!m) throw new Error(`expected --roots NAME=DIR/,DIR/, got '${args[i + 1]}'`);
  roots[m[1]!] = m[2]!.split(',');
  args.splice(i, 2);
  i--;
}
const inputs = args.map(parseArg);
if (inputs.length === 0) {
  process.stderr.write('usage: tsx scripts/mine-apis.ts --roots NAME=DIR/ NAME=KB.json@REV@YYYY-MM-DD[:PREFIX/] ...\n');
  process.exit(2);
}
inputs.forEach((input, i) => {
  const prev = inputs.slice(0, i).filter((x) => x.project === input.project).pop();
  if (prev && prev.date > input.date) throw new Error(`${input.project} ${input.commit}: snapshots must be given oldest first`);
});
const curated = new Set(builtinApis.map((f) => f.name));
// per project and snapshot: name -> fact (every fact, `unknown` ones included: the name exists there)
const byInput = inputs.map((input) => new Map(input.facts.map((f) => [f.name, f])));
const snapshotsOf = new Map<string, number[]>();
inputs.forEach((input, i) => (snapshotsOf.get(input.project) ?? snapshotsOf.set(input.project, []).get(input.project)!).push(i));
// The functions a snapshot defines or declares `void` only (a kb has no fact for them): a function that was void
// in an older release and returns a status now (Xen's hardening made many `__must_check int`) holds only since.
// Read from the scan cache `patch-review index --cache-dir DIR` wrote (--scans DIR), by the tree the kb names.
const voids: Set<string>[] = inputs.map(() => new Set());
if (scansDir) {
  const byRoot = new Map<string, string>();
  for (const f of readdirSync(scansDir)) {
    if (!f.endsWith('.scans.json')) continue;
    const head = readFileSync(join(scansDir, f), 'utf8').slice(0, 4096);
    const root = /"root":("(?:[^"\\]|\\.)*")/.exec(head);
    if (root) byRoot.set(JSON.parse(root[1]!) as string, join(scansDir, f));
  }
  inputs.forEach((input, i) => {
    const file = input.tree && byRoot.get(input.tree);
    if (!file) throw new Error(`${input.project} ${input.commit}: no scans of ${input.tree} in ${scansDir}`);
    const scans = JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, { scan: { functions: { name: string; returnType: string }[]; prototypes: { name: string; returnType: string }[] } }> };
    const nonVoid = new Set<string>();
    for (const { scan } of Object.values(scans.files)) {
      for (const d of [...scan.functions, ...scan.prototypes]) (/^(?:static\s+|inline\s+|extern\s+|__\w+\s+)*void$/.test(d.returnType.trim()) ? voids[i]! : nonVoid).add(d.name);
    }
    for (const n of nonVoid) voids[i]!.delete(n);
  });
}
// What a snapshot says of a name, to compare eras: a failure convention, or 'void' (it returned nothing: Xen's
// hardening made many void functions `__must_check int`). A 'value' is no evidence either way: the learner reads
// one level of variables (Xen 4.6's p2m_set_entry() returns `rc`, set from a copy of another result, and reads as
// "every return is 0"; 4.4's clear_mmio_p2m_entry() returned set_p2m_entry()'s 1 or 0), nor is an `unknown`.
const stateOf = (j: number, name: string): string | undefined => {
  const f = byInput[j]!.get(name);
  if (f) return f.convention === 'unknown' || f.convention === 'value' ? undefined : f.convention;
  return voids[j]!.has(name) ? 'void' : undefined;
};
const hasName = (j: number, name: string): boolean => byInput[j]!.has(name) || voids[j]!.has(name);

interface Mined {
  project: string;
  /** the newest snapshot with a decided convention: its fact is the one kept */
  input: number;
  fact: ApiFact;
  /** the oldest snapshot that says the same, after any that said otherwise */
  first: number;
  /** the newest older snapshot that says otherwise (another failure convention, or void), or -1 */
  otherwise: number;
}
// per project: each name's fact from the newest snapshot with a decided convention, and the span it holds in
const newest = new Map<string, Map<string, Mined>>();
for (const [project, snaps] of snapshotsOf) {
  const known = new Map<string, Mined>();
  newest.set(project, known);
  for (const i of snaps) {
    for (const fact of inputs[i]!.facts) if (fact.convention !== 'unknown') known.set(fact.name, { project, input: i, fact, first: i, otherwise: -1 });
  }
  for (const [name, e] of known) {
    const state = e.fact.convention;
    const before = snaps.slice(0, snaps.indexOf(e.input));
    // the newest older snapshot that says otherwise: the fact holds only after it
    let d = before.length - 1;
    while (d >= 0 && (stateOf(before[d]!, name) ?? state) === state) d--;
    e.otherwise = d >= 0 ? before[d]! : -1;
    e.first = [...before.slice(d + 1), e.input].find((j) => stateOf(j, name) === state)!;
  }
}
// A member (`->final`) is learned from every struct that has one of that name; only the newest snapshot's word
// counts (an older one merged hash and cipher `final` hooks of different return types into one fact).
const last = new Map<string, number>();
inputs.forEach((input, i) => last.set(input.project, i));
for (const [project, known] of newest) {
  for (const [name, e] of known) if (name.startsWith('->') && e.input !== last.get(project)) known.delete(name);
}
const byName = new Map<string, Mined[]>();
for (const known of newest.values()) {
  for (const [name, e] of known) {
    // a curated name only as a marker: the header's contract stands, the project's callers say they drop it
    const marker = withIgnored && ignoredMarker(e.fact);
    if (curated.has(name) ? !marker : !(minable(e.fact) || marker)) continue;
    (byName.get(name) ?? byName.set(name, []).get(name)!).push(e);
  }
}
// a name known to one project only, or alike in all that define it
const defined = new Map<string, Set<string>>();
for (const [project, known] of newest) for (const name of known.keys()) (defined.get(name) ?? defined.set(name, new Set()).get(name)!).add(project);

/**
 * The span a fact holds in, as `FIRST-LAST` snapshot indexes into MINED_FROM, after `OTHER!` when an older snapshot
 * said otherwise (it returned void, or failed another way: the fact holds after OTHER's date), with `+` after LAST
 * when no later snapshot of the project has the name at all (removed or renamed: it holds until the next one).
 */
function span(e: Mined): string {
  const snaps = snapshotsOf.get(e.project)!;
  const later = snaps.slice(snaps.indexOf(e.input) + 1);
  const removed = later.length > 0 && later.every((j) => !hasName(j, e.fact.name));
  return `${e.otherwise >= 0 ? `${e.otherwise}!` : ''}${e.first}-${e.input}${removed ? '+' : ''}`;
}

const rows: string[] = [];
for (const [name, list] of [...byName].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
  if ((defined.get(name)?.size ?? 0) > list.length) continue; // another project defines it and does not agree
  if (new Set(list.map((e) => e.fact.convention)).size > 1) continue;
  const e = list[0]!;
  const f = e.fact;
  const callers = f.callers ?? { tested: 0, dropped: 0 };
  const where = list.map(span).join(',');
  // a location in the source reads as a path in the repository (`arch/x86/mm/p2m.c:12` -> `xen/arch/...`)
  const prefix = inputs[e.input]!.prefix;
  let source = prefix ? f.source.replace(/(^|[\s(])((?:[\w-]+\/)+[\w.-]+\.[ch]:\d+)/g, `$1${prefix}$2`) : f.source;
  // A union of many implementations' errnos (U-Boot's `->probe`: 84 values, the first alphabetically an e1000
  // driver's private -E1000_ERR_EEPROM) names no failure of this function: say how many, and name none.
  const many = /^returns (?:-\w+, ){3}-\w+, \.\.\. \((\d+) values\)/.exec(source);
  const manyValues = many && Number(many[1]) > 8;
  if (manyValues) source = source.replace(many[0], `returns one of ${many[1]} negative errno values`);
  rows.push([
    name,
    f.convention,
    f.returnType ?? '',
    manyValues ? '' : (f.failValues ?? []).slice(0, 4).join(','),
    f.mustCheck ? '1' : '',
    String(callers.tested),
    String(callers.dropped),
    String(callers.used ?? 0),
    where,
    source.replace(/[\t\n]/g, ' '),
  ].join('\t'));
}

if (dataOut) {
  writeOther(dataOut);
  process.exit(0);
}

const header = `// GENERATED by scripts/mine-apis.ts from ${inputs.map((i) => `${i.project} ${i.commit}`).join(', ')}; do not edit by hand.
// MINED_ROOTS: where each project's code lives (a patch's paths say which project it belongs to); MINED_FROM: the
// projects and commits, oldest first per project; MINED_DATES: their commit dates; MINED_APIS: one function per
// line, tab-separated: name, convention, return type, failure values, must-check, callers tested / dropped / used
// untested, the span of snapshots it holds in per project (FIRST-LAST into MINED_FROM, after 'OTHER!' when an older
// snapshot said otherwise; '+' after LAST: later snapshots lack the name), what the code shows.
// Read by src/knowledge/mined.ts.
`;
const from = inputs.map((i) => `${i.project} ${i.commit}`);
for (const i of inputs) if (!roots[i.project]) throw new Error(`no --roots for ${i.project}`);
process.stdout.write(
  `${header}export const MINED_ROOTS: Readonly<Record<string, readonly string[]>> = ${JSON.stringify(roots)};\n` +
    `export const MINED_FROM: readonly string[] = ${JSON.stringify(from)};\n` +
    `export const MINED_DATES: readonly string[] = ${JSON.stringify(inputs.map((i) => i.date))};\n` +
    `export const MINED_APIS = ${JSON.stringify(rows.join('\n'))};\n`,
);
process.stderr.write(`${rows.length} functions\n`);

/**
 * Where each project's code lives, from lists of its C files (`--dirs NAME=LISTFILE`, one path a line, the union over
 * the releases mined): a top directory only one project has (`plat/`, `cmd/`, `core/`, `xen/`) says the project;
 * under a top directory several have (`lib/`, `drivers/`, `include/`, `common/`), the entries below it, down to where
 * only one project has them (`lib/psci/` TF-A, `lib/efi_loader/` U-Boot, `lib/libutils/` OP-TEE, `drivers/clk/clk.c`
 * TF-A), and the shared entries themselves for every project that has them (a path under `lib/libfdt/` or a new
 * `lib/` directory says no single project).
 */
function projectDirs(lists: Record<string, string>): { sole: Record<string, string>; shared: string[]; roots: Record<string, string[]> } {
  const MAX_DEPTH = 4;
  const owners = new Map<string, Set<string>>();
  for (const [project, file] of Object.entries(lists)) {
    for (const path of readFileSync(file, 'utf8').split('\n')) {
      if (!path) continue;
      const parts = path.split('/');
      for (let d = 1; d <= Math.min(MAX_DEPTH, parts.length); d++) {
        const key = parts.slice(0, d).join('/') + (d < parts.length ? '/' : '');
        (owners.get(key) ?? owners.set(key, new Set()).get(key)!).add(project);
      }
    }
  }
  const sole: Record<string, string> = {};
  const shared: string[] = [];
  const out: Record<string, string[]> = Object.fromEntries(Object.keys(lists).map((p) => [p, []]));
  for (const [key, set] of [...owners].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const parent = key.replace(/[^/]+\/?$/, '');
    if (parent === '') {
      if (!key.endsWith('/')) continue; // a C file at the top of a tree says nothing
      if (set.size === 1) sole[key.slice(0, -1)] = [...set][0]!;
      else shared.push(key.slice(0, -1));
    }
    if (parent !== '' && owners.get(parent)!.size === 1) continue;
    if (parent === '' && set.size === 1) continue;
    for (const p of set) out[p]!.push(key);
  }
  return { sole, shared, roots: out };
}

/**
 * The facts of projects whose data is read on first use (TF-A, U-Boot: `--data-out FILE`): FILE gets a header
 * (`#` lines: the projects' directories, snapshots and dates as JSON) and the rows (as MINED_APIS); the module on
 * stdout says only which top directories are one project's and which are shared (what a patch's paths need
 * before anything is read).
 */
function writeOther(file: string): void {
  const { sole, shared, roots: dirs } = projectDirs(dirLists);
  const from = inputs.map((i) => `${i.project} ${i.commit}`);
  const head = {
    from,
    dates: inputs.map((i) => i.date),
    roots: dirs,
  };
  writeFileSync(
    file,
    `# GENERATED by scripts/mine-apis.ts from ${from.join(', ')}; do not edit by hand. Read by src/knowledge/mined.ts.\n` +
      `# rows as in mined-apis.ts (name, convention, return type, failure values, must-check, callers tested / dropped / used, span into "from", source)\n` +
      `#${JSON.stringify(head)}\n${rows.join('\n')}\n`,
  );
  process.stdout.write(
    `// GENERATED by scripts/mine-apis.ts (--data-out ${file.replace(/^.*\//, '')}); do not edit by hand. Read by src/knowledge/mined.ts.\n` +
      `// The facts of ${[...new Set(inputs.map((i) => i.project))].join(' and ')} are in ${file.replace(/^.*\//, '')}, read on the first lookup for a patch of theirs.\n` +
      `// MINED_OTHER: the projects in the data file; MINED_SOLE: top directories only one project's code has (of all the\n` +
      `// projects mined); MINED_SHARED: those several have (the data file's roots say, below them, which entries are whose).\n` +
      `export const MINED_OTHER: readonly string[] = ${JSON.stringify([...new Set(inputs.map((i) => i.project))])};\n` +
      `export const MINED_OTHER_FILE = ${JSON.stringify(file.replace(/^.*\//, ''))};\n` +
      `export const MINED_SOLE: Readonly<Record<string, string>> = ${JSON.stringify(sole)};\n` +
      `export const MINED_SHARED: readonly string[] = ${JSON.stringify(shared)};\n`,
  );
  process.stderr.write(`${rows.length} functions\n`);
}
