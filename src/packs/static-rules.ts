// Reads the rule modules statically with ts-morph, without running them: the packs index
// (rules/index.ts -> rules/<pack>/index.ts -> rules/<pack>/<id>.ts) and each rule's meta and cases.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Node, Project, SyntaxKind, type Expression, type SourceFile } from 'ts-morph';

export interface StaticCase {
  name: string;
  /** Flagged: what it expects (verdicts, message ids, whether a fix). */
  expect: { line?: number; messageId?: string; verdict?: string; fix: boolean }[];
  refuted: boolean;
  tree: boolean;
}

export interface StaticRule {
  file: string;
  /** The module's file name without .ts (must equal the id). */
  fileId: string;
  pack: string;
  meta: {
    id?: string;
    pack?: string;
    family?: string;
    severity?: string;
    summary?: string;
    source?: Record<string, string | undefined>;
    messages?: Record<string, string>;
    fixable?: boolean;
    optIn?: boolean;
    limitations?: string;
    helpUri?: string;
  };
  /** The kinds of the questions its check asks (the simulator queries behind its verdicts). */
  questions: string[];
  cases: { flagged: StaticCase[]; clean: StaticCase[] } | undefined;
}

export interface StaticPacks {
  packs: { name: string; rules: StaticRule[] }[];
  problems: string[];
}

type Value = string | number | boolean | Value[] | { [key: string]: Value } | undefined;

function newProject(): Project {
  return new Project({
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowImportingTsExtensions: true, noEmit: true, allowJs: false },
  });
}

/** The module an import specifier names, loaded into the project. */
function importedFile(project: Project, from: SourceFile, specifier: string): SourceFile | undefined {
  const path = join(from.getDirectoryPath(), specifier);
  if (!existsSync(path)) return undefined;
  return project.getSourceFile(path) ?? project.addSourceFileAtPath(path);
}

/** The initializer a name refers to: a const in this file, or the export it imports. */
function resolveName(project: Project, file: SourceFile, name: string, depth = 0): { init: Expression; file: SourceFile } | undefined {
  if (depth > 4) return undefined;
  const local = file.getVariableDeclaration(name);
  const init = local?.getInitializer();
  if (init) return { init, file };
  for (const decl of file.getExportDeclarations()) {
    const named = decl.getNamedExports().find((n) => (n.getAliasNode()?.getText() ?? n.getName()) === name);
    const specifier = decl.getModuleSpecifierValue();
    if (!named || !specifier) continue;
    const target = importedFile(project, file, specifier);
    return target ? resolveName(project, target, named.getName(), depth + 1) : undefined;
  }
  for (const decl of file.getImportDeclarations()) {
    const named = decl.getNamedImports().find((n) => (n.getAliasNode()?.getText() ?? n.getName()) === name);
    const isDefault = decl.getDefaultImport()?.getText() === name;
    if (!named && !isDefault) continue;
    const target = importedFile(project, file, decl.getModuleSpecifierValue());
    if (!target) return undefined;
    if (isDefault) {
      const exp = target.getExportAssignment((e) => !e.isExportEquals());
      return exp ? { init: exp.getExpression(), file: target } : undefined;
    }
    return resolveName(project, target, named!.getName(), depth + 1);
  }
  return undefined;
}

/** Evaluates the constant expressions rule modules use for their data; anything else is undefined. */
function evaluate(project: Project, file: SourceFile, e: Node | undefined, depth = 0): Value {
  if (!e || depth > 20) return undefined;
  if (Node.isStringLiteral(e) || Node.isNoSubstitutionTemplateLiteral(e)) return e.getLiteralValue();
  if (Node.isNumericLiteral(e)) return e.getLiteralValue();
  if (e.getKind() === SyntaxKind.TrueKeyword) return true;
  if (e.getKind() === SyntaxKind.FalseKeyword) return false;
  if (Node.isParenthesizedExpression(e) || Node.isAsExpression(e) || Node.isSatisfiesExpression(e)) return evaluate(project, file, e.getExpression(), depth + 1);
  if (Node.isTemplateExpression(e)) {
    let out = e.getHead().getLiteralText();
    for (const span of e.getTemplateSpans()) {
      const v = evaluate(project, file, span.getExpression(), depth + 1);
      if (typeof v !== 'string' && typeof v !== 'number') return undefined;
      out += String(v) + span.getLiteral().getLiteralText();
    }
    return out;
  }
  if (Node.isBinaryExpression(e) && e.getOperatorToken().getKind() === SyntaxKind.PlusToken) {
    const a = evaluate(project, file, e.getLeft(), depth + 1);
    const b = evaluate(project, file, e.getRight(), depth + 1);
    return typeof a === 'string' && typeof b === 'string' ? a + b : undefined;
  }
  if (Node.isIdentifier(e)) {
    const r = resolveName(project, file, e.getText());
    return r ? evaluate(project, r.file, r.init, depth + 1) : undefined;
  }
  if (Node.isArrayLiteralExpression(e)) return e.getElements().map((x) => evaluate(project, file, x, depth + 1));
  if (Node.isObjectLiteralExpression(e)) {
    const out: Record<string, Value> = {};
    for (const p of e.getProperties()) {
      if (Node.isSpreadAssignment(p)) {
        const v = evaluate(project, file, p.getExpression(), depth + 1);
        if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, v);
      } else if (Node.isPropertyAssignment(p)) {
        out[p.getName().replace(/^['"]|['"]$/g, '')] = evaluate(project, file, p.getInitializer(), depth + 1);
      } else if (Node.isShorthandPropertyAssignment(p)) {
        out[p.getName()] = evaluate(project, file, p.getNameNode(), depth + 1);
      }
    }
    return out;
  }
  return undefined;
}

const asString = (v: Value): string | undefined => (typeof v === 'string' ? v : undefined);
const asRecord = (v: Value): Record<string, Value> => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});

/** The object literal passed to defineRule() in the module's default export. */
function ruleObject(file: SourceFile): Node | undefined {
  const exp = file.getExportAssignment((e) => !e.isExportEquals())?.getExpression();
  if (!exp || !Node.isCallExpression(exp)) return undefined;
  return exp.getArguments()[0];
}

function staticCases(project: Project, file: SourceFile, obj: Node, key: 'flagged' | 'clean'): StaticCase[] | undefined {
  if (!Node.isObjectLiteralExpression(obj)) return undefined;
  const cases = obj.getProperty('cases');
  const casesObj = cases && Node.isPropertyAssignment(cases) ? cases.getInitializer() : undefined;
  if (!casesObj || !Node.isObjectLiteralExpression(casesObj)) return undefined;
  const list = casesObj.getProperty(key);
  const arr = list && Node.isPropertyAssignment(list) ? list.getInitializer() : undefined;
  if (!arr || !Node.isArrayLiteralExpression(arr)) return undefined;
  return arr.getElements().map((el) => {
    const c = asRecord(evaluate(project, file, el));
    const has = (k: string): boolean => Node.isObjectLiteralExpression(el) && el.getProperty(k) !== undefined;
    const expect = Array.isArray(c.expect) ? c.expect.map(asRecord) : [];
    return {
      name: asString(c.name) ?? el.getText().slice(0, 40),
      expect: expect.map((x) => ({
        ...(typeof x.line === 'number' ? { line: x.line } : {}),
        ...(typeof x.messageId === 'string' ? { messageId: x.messageId } : {}),
        ...(typeof x.verdict === 'string' ? { verdict: x.verdict } : {}),
        fix: x.fix !== undefined,
      })),
      refuted: c.refuted === true,
      tree: has('tree'),
    };
  });
}

/** Reads one rule module. */
export function readRuleModule(project: Project, path: string, pack: string): StaticRule {
  const file = project.getSourceFile(path) ?? project.addSourceFileAtPath(path);
  const obj = ruleObject(file);
  const data = asRecord(evaluate(project, file, obj));
  const meta = asRecord(data.meta);
  const source = asRecord(meta.source);
  const messages = asRecord(meta.messages);
  const questions = new Set<string>();
  for (const p of file.getDescendantsOfKind(SyntaxKind.PropertyAssignment)) {
    if (p.getName() !== 'question') continue;
    const init = p.getInitializer();
    if (!init) continue;
    for (const kind of init.getDescendantsOfKind(SyntaxKind.PropertyAssignment)) {
      const v = kind.getName() === 'kind' ? asString(evaluate(project, file, kind.getInitializer())) : undefined;
      if (v) questions.add(v);
    }
    const direct = asString(asRecord(evaluate(project, file, init)).kind);
    if (direct) questions.add(direct);
  }
  const flagged = obj && staticCases(project, file, obj, 'flagged');
  const clean = obj && staticCases(project, file, obj, 'clean');
  return {
    file: path,
    fileId: basename(path, '.ts'),
    pack,
    meta: {
      ...(asString(meta.id) ? { id: asString(meta.id) } : {}),
      ...(asString(meta.pack) ? { pack: asString(meta.pack) } : {}),
      ...(asString(meta.family) ? { family: asString(meta.family) } : {}),
      ...(asString(meta.severity) ? { severity: asString(meta.severity) } : {}),
      ...(asString(meta.summary) ? { summary: asString(meta.summary) } : {}),
      ...(Object.keys(source).length > 0 ? { source: Object.fromEntries(Object.entries(source).map(([k, v]) => [k, asString(v)])) } : {}),
      messages: Object.fromEntries(Object.entries(messages).map(([k, v]) => [k, asString(v) ?? ''])),
      ...(typeof meta.fixable === 'boolean' ? { fixable: meta.fixable } : {}),
      ...(meta.optIn === true ? { optIn: true } : {}),
      ...(asString(meta.limitations) ? { limitations: asString(meta.limitations) } : {}),
      ...(asString(meta.helpUri) ? { helpUri: asString(meta.helpUri) } : {}),
    },
    questions: [...questions].sort(),
    cases: flagged && clean ? { flagged, clean } : undefined,
  };
}

/** Imported names of an array literal's identifiers, in order, mapped to their module files. */
function listedModules(project: Project, file: SourceFile, arr: Node): string[] {
  if (!Node.isArrayLiteralExpression(arr)) return [];
  const out: string[] = [];
  for (const el of arr.getElements()) {
    const name = el.getText();
    const decl = file.getImportDeclarations().find((d) => d.getDefaultImport()?.getText() === name);
    const target = decl && importedFile(project, file, decl.getModuleSpecifierValue());
    if (target) out.push(target.getFilePath());
  }
  return out;
}

/** Reads every pack listed in rulesDir/index.ts, in the index's order, without running anything. */
export function readPacks(rulesDir: string): StaticPacks {
  const project = newProject();
  const problems: string[] = [];
  const indexPath = join(rulesDir, 'index.ts');
  if (!existsSync(indexPath)) return { packs: [], problems: [`${indexPath}: no packs index`] };
  const index = project.addSourceFileAtPath(indexPath);
  const packsObj = index.getVariableDeclaration('packs')?.getInitializer();
  if (!packsObj || !Node.isObjectLiteralExpression(packsObj)) return { packs: [], problems: [`${indexPath}: no \`packs\` object`] };
  const packs: StaticPacks['packs'] = [];
  for (const p of packsObj.getProperties()) {
    if (!Node.isPropertyAssignment(p)) continue;
    const name = p.getName().replace(/^['"]|['"]$/g, '');
    const listName = p.getInitializer()?.getText() ?? '';
    const decl = index.getImportDeclarations().find((d) => d.getNamedImports().some((n) => n.getName() === listName));
    const packIndex = decl && importedFile(project, index, decl.getModuleSpecifierValue());
    const arr = packIndex?.getVariableDeclaration(listName)?.getInitializer();
    if (!packIndex || !arr) {
      problems.push(`${indexPath}: pack ${name}'s list ${listName} not found`);
      continue;
    }
    const rules = listedModules(project, packIndex, arr).map((path) => readRuleModule(project, path, name));
    packs.push({ name, rules });
  }
  return { packs, problems };
}

/** What the framework requires of a rule, checked on the static reading. */
export function ruleProblems(r: StaticRule): string[] {
  const where = `${r.pack}/${r.fileId}`;
  const out: string[] = [];
  if (r.meta.id !== r.fileId) out.push(`${where}: id "${r.meta.id ?? '?'}" does not match its file name ${r.fileId}.ts`);
  if (r.meta.pack !== r.pack) out.push(`${where}: meta.pack "${r.meta.pack ?? '?'}" is not its pack ${r.pack}`);
  for (const f of ['list', 'thread', 'date', 'reviewer', 'quote']) if (!r.meta.source?.[f]) out.push(`${where}: provenance lacks ${f}`);
  if (!r.cases) out.push(`${where}: no cases (cases: { flagged, clean } as literals)`);
  else {
    if (r.cases.flagged.length === 0) out.push(`${where}: no flagged case`);
    if (r.cases.clean.length === 0) out.push(`${where}: no clean case (a near miss)`);
  }
  if (!r.meta.summary) out.push(`${where}: no summary`);
  return out;
}
