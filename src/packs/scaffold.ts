// `rules new`: scaffolds rules/<pack>/<id>.ts from one comment of a thread. The module is built as a
// TypeScript AST (ts-morph and the compiler's factory), never by pasting strings into a template: the
// provenance comes from the thread, the flagged case from the quoted hunk, the near miss is left to
// write, and the detector throws until it is written, so the rule's own cases fail and say why.
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Node, Project, QuoteKind, ts, type SourceFile } from 'ts-morph';
import type { FilePatch, Hunk } from '../patch/index.ts';
import { mineThread, type MinedThread, type ThreadComment } from './thread.ts';

export class ScaffoldError extends Error {}

export interface ScaffoldRequest {
  thread: string | Buffer;
  /** The comment's number as `rules mine` prints it. */
  comment: number;
  pack: string;
  id: string;
  /** The rules/ directory (its index.ts lists the packs). */
  rulesDir: string;
  /** Create the pack (its index, and its entry in rules/index.ts) when it does not exist. */
  newPack?: boolean;
}

export interface Scaffolded {
  ruleFile: string;
  indexFile: string;
  indexCreated: boolean;
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const camel = (kebab: string): string => kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const f = ts.factory;

type Literal = string | number | boolean | Literal[] | { [key: string]: Literal | undefined };

/** A JavaScript value as a TypeScript expression node (multi-line strings as template literals). */
function literal(value: Literal): ts.Expression {
  if (typeof value === 'string') {
    return value.includes('\n') ? f.createNoSubstitutionTemplateLiteral(value, value.replace(/[`\\]|\$\{/g, (m) => `\\${m}`)) : f.createStringLiteral(value, true);
  }
  if (typeof value === 'number') return f.createNumericLiteral(value);
  if (typeof value === 'boolean') return value ? f.createTrue() : f.createFalse();
  if (Array.isArray(value)) return f.createArrayLiteralExpression(value.map(literal), true);
  const props = Object.entries(value)
    .filter((e): e is [string, Literal] => e[1] !== undefined)
    .map(([k, v]) => f.createPropertyAssignment(/^[A-Za-z_]\w*$/.test(k) ? f.createIdentifier(k) : f.createStringLiteral(k, true), literal(v)));
  return f.createObjectLiteralExpression(props, true);
}

/** `() => { throw new Error(message); }` with the given parameters. */
function throwing(params: string[], message: string): ts.ArrowFunction {
  const body = f.createBlock([f.createThrowStatement(f.createNewExpression(f.createIdentifier('Error'), undefined, [f.createStringLiteral(message, true)]))], true);
  return f.createArrowFunction(
    undefined,
    undefined,
    params.map((p) => f.createParameterDeclaration(undefined, undefined, p)),
    undefined,
    f.createToken(ts.SyntaxKind.EqualsGreaterThanToken),
    body,
  );
}

/**
 * The quoted hunk as a well-formed patch of its own (counts recomputed from its lines). `rest`: diff lines the
 * reviewer quoted again after the shown ones (the hunk's unseen rest, as a comment's place recovers it).
 */
export function hunkPatch(file: FilePatch, hunk: Hunk, rest: string[] = []): string {
  const marker = { add: '+', del: '-', context: ' ' } as const;
  const lines = [...hunk.lines.map((l) => marker[l.kind] + l.text), ...rest.filter((t) => /^[+ -]/.test(t))];
  const oldCount = lines.filter((l) => !l.startsWith('+')).length;
  const newCount = lines.filter((l) => !l.startsWith('-')).length;
  const path = file.newPath ?? file.oldPath ?? 'unknown.c';
  return [
    `--- a/${file.oldPath ?? path}`,
    `+++ b/${path}`,
    `@@ -${hunk.oldStart},${oldCount} +${hunk.newStart},${newCount} @@${hunk.section ? ` ${hunk.section}` : ''}`,
    ...lines,
    '',
  ].join('\n');
}

/** List name, thread subject and date as the thread shows them. */
function provenance(thread: MinedThread, comment: ThreadComment, raw: string): Record<string, string> {
  const patch = thread.patches[comment.patch];
  // Archive pages and mails name the list in the subject's first tag: "Re: [Xen-devel] [PATCH ...] ...".
  const subjectLine = /\b(Re:\s*)?\[([A-Za-z][\w.-]*)\]\s*\[?(PATCH|RFC)[^\n]*/.exec(raw.split('\n').slice(0, 12).join('\n'));
  const listId = /List-id:[^<]*<([^.>]+)\./i.exec(raw)?.[1];
  const list = listId ?? subjectLine?.[2]?.toLowerCase() ?? 'unknown list';
  const thread_ = subjectLine?.[0].trim() || patch?.meta.subject || 'unknown thread';
  const dateText = /(?:^|[\s>])(?:Date|Sent):\s*([^\n]+?)(?=\s*(?:Cc:|To:|Delivery-date:|$))/im.exec(raw)?.[1] ?? patch?.meta.date;
  const parsed = dateText ? new Date(dateText.replace(/\s+\+\d{4}.*$/, '')) : undefined;
  const date = parsed && !Number.isNaN(parsed.getTime()) ? parsed.toISOString().slice(0, 10) : (dateText ?? 'unknown date');
  return { list, thread: thread_, date, reviewer: comment.author ?? 'unknown reviewer', quote: comment.text.replace(/\s*\n\s*/g, ' ') };
}

function ruleModule(project: Project, path: string, req: ScaffoldRequest, thread: MinedThread, comment: ThreadComment, raw: string): SourceFile {
  const place = comment.place!;
  const file = thread.patches[comment.patch]!.files.find((x) => (x.newPath ?? x.oldPath) === place.file)!;
  const hunk = file.hunks[place.hunkIndex]!;
  // A comment on lines quoted again after the shown ones (the hunk's unseen rest): the case carries them too.
  const shownEnd = Math.max(hunk.newStart, ...hunk.lines.map((l) => l.newLine ?? 0));
  const messageId = camel(req.id);
  const where = `${req.pack}/${req.id}`;
  const src = project.createSourceFile(path, '', { overwrite: true });
  const rulePath = relative(join(req.rulesDir, req.pack), join(req.rulesDir, '..', 'src', 'review', 'rule.ts')).split('\\').join('/');
  src.addImportDeclaration({ namedImports: ['defineRule'], moduleSpecifier: rulePath.startsWith('.') ? rulePath : `./${rulePath}` });
  const definition = literal({
    scope: 'function',
    meta: {
      id: req.id,
      pack: req.pack,
      family: 'unchecked-error',
      severity: 'warning',
      summary: `TODO: one sentence saying what is wrong (from comment ${comment.index} of the thread).`,
      source: provenance(thread, comment, raw),
      messages: { [messageId]: comment.text.split('\n')[0]!.trim() },
      fixable: false,
      limitations: 'TODO: the known sources of false positives and false negatives.',
    },
    cases: {
      flagged: [
        {
          name: `the reviewer's case: ${comment.text.split('\n')[0]!.trim()}`,
          patch: hunkPatch(file, hunk, place.firstLine > shownEnd ? place.quoted : []),
          expect: [{ line: place.line, messageId, verdict: 'verified' }],
        },
      ],
      clean: [{ name: 'TODO: a near miss that looks the same but that the simulation clears', patch: '', refuted: true }],
    },
  }) as ts.ObjectLiteralExpression;
  // detect() and check() go in after meta, as functions that say they are not written yet.
  const withBehaviour = f.updateObjectLiteralExpression(definition, [
    ...definition.properties.slice(0, 2),
    f.createPropertyAssignment('detect', throwing(['_ctx'], `${where}: the detector is not written yet (scaffolded by \`patch-review rules new\`)`)),
    f.createPropertyAssignment('check', throwing(['_candidate', '_ctx'], `${where}: the check is not written yet (scaffolded by \`patch-review rules new\`)`)),
    ...definition.properties.slice(2),
  ]);
  const call = f.createCallExpression(f.createIdentifier('defineRule'), undefined, [withBehaviour]);
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
  const text = printer.printNode(ts.EmitHint.Expression, call, ts.createSourceFile('x.ts', '', ts.ScriptTarget.Latest));
  src.addExportAssignment({ isExportEquals: false, expression: text });
  src.insertStatements(0, `// ${where}: scaffolded from comment ${comment.index} of "${provenance(thread, comment, raw).thread}".`);
  return src;
}

/** Adds the rule to rules/<pack>/index.ts (created with the pack if new) and the pack to rules/index.ts. */
function updateIndexes(project: Project, req: ScaffoldRequest): { indexFile: string; indexCreated: boolean } {
  const packDir = join(req.rulesDir, req.pack);
  const indexFile = join(packDir, 'index.ts');
  const listName = `${camel(req.pack)}Rules`;
  const ruleName = camel(req.id);
  const indexCreated = !existsSync(indexFile);
  const packIndex = indexCreated ? project.createSourceFile(indexFile, '') : project.addSourceFileAtPath(indexFile);
  if (indexCreated) {
    packIndex.addImportDeclaration({ isTypeOnly: true, namedImports: ['Rule'], moduleSpecifier: '../../src/review/rule.ts' });
    packIndex.addVariableStatement({ isExported: true, declarationKind: 'const' as never, declarations: [{ name: listName, type: 'Rule[]', initializer: '[]' }] });
  }
  const lastImport = packIndex.getImportDeclarations().at(-1);
  packIndex.insertImportDeclaration(lastImport ? lastImport.getChildIndex() + 1 : 0, { defaultImport: ruleName, moduleSpecifier: `./${req.id}.ts` });
  const list = packIndex.getVariableDeclarations().find((d) => Node.isArrayLiteralExpression(d.getInitializer()))?.getInitializer();
  if (!list || !Node.isArrayLiteralExpression(list)) throw new ScaffoldError(`${indexFile}: no exported array of rules to add ${ruleName} to`);
  list.addElement(ruleName);
  if (indexCreated) {
    const root = project.addSourceFileAtPath(join(req.rulesDir, 'index.ts'));
    const packs = root.getVariableDeclaration('packs')?.getInitializer();
    if (!packs || !Node.isObjectLiteralExpression(packs)) throw new ScaffoldError(`${join(req.rulesDir, 'index.ts')}: no \`packs\` object to add ${req.pack} to`);
    const lastRootImport = root.getImportDeclarations().at(-1);
    root.insertImportDeclaration(lastRootImport ? lastRootImport.getChildIndex() + 1 : 0, { namedImports: [listName], moduleSpecifier: `./${req.pack}/index.ts` });
    packs.addPropertyAssignment({ name: /^[a-z]\w*$/.test(req.pack) ? req.pack : `'${req.pack}'`, initializer: listName });
  }
  return { indexFile, indexCreated };
}

export async function scaffoldRule(req: ScaffoldRequest): Promise<Scaffolded> {
  if (!KEBAB.test(req.id)) throw new ScaffoldError(`--id must be kebab-case (got "${req.id}")`);
  if (!KEBAB.test(req.pack)) throw new ScaffoldError(`--pack must be kebab-case (got "${req.pack}")`);
  if (!existsSync(join(req.rulesDir, 'index.ts'))) throw new ScaffoldError(`${req.rulesDir} has no index.ts listing the packs`);
  const ruleFile = join(req.rulesDir, req.pack, `${req.id}.ts`);
  if (!existsSync(join(req.rulesDir, req.pack)) && !req.newPack) throw new ScaffoldError(`there is no pack ${req.pack} in ${req.rulesDir} (--new-pack creates it)`);
  if (existsSync(ruleFile)) throw new ScaffoldError(`${ruleFile} exists already`);
  const raw = typeof req.thread === 'string' ? req.thread : req.thread.toString('utf8');
  const thread = await mineThread(raw);
  const comment = thread.comments.find((c) => c.index === req.comment);
  if (!comment) throw new ScaffoldError(`the thread has no comment ${req.comment} (it has ${thread.comments.length}; \`rules mine\` numbers them)`);
  if (!comment.place) throw new ScaffoldError(`comment ${req.comment} is about the whole patch, not quoted lines: no hunk to build the flagged case from`);
  mkdirSync(join(req.rulesDir, req.pack), { recursive: true });
  const project = new Project({ skipAddingFilesFromTsConfig: true, manipulationSettings: { quoteKind: QuoteKind.Single, useTrailingCommas: true } });
  ruleModule(project, ruleFile, req, thread, comment, raw);
  const indexes = updateIndexes(project, req);
  for (const file of project.getSourceFiles()) file.formatText({ indentSize: 2, convertTabsToSpaces: true });
  await project.save();
  return { ruleFile, ...indexes };
}
