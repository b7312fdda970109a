// Saving and loading a knowledge base: one JSON document, versioned, checked on load.
import { readFileSync, writeFileSync, renameSync, unlinkSync } from 'node:fs';
import { CONVENTIONS, type ApiFact, type Knowledge } from './types.ts';
import { factsKnowledge } from './layers.ts';
import { KnowledgeError } from './build.ts';

export const KB_FORMAT = 'patch-review-knowledge';
export const KB_VERSION = 1;

export interface KnowledgeDocument {
  format: typeof KB_FORMAT;
  version: number;
  origin: Knowledge['origin'];
  stats?: Knowledge['stats'];
  facts: ApiFact[];
}

export function saveKnowledge(kb: Knowledge, file: string): void {
  const doc: KnowledgeDocument = {
    format: KB_FORMAT,
    version: KB_VERSION,
    origin: { ...kb.origin, file: undefined },
    ...(kb.stats ? { stats: kb.stats } : {}),
    facts: kb.facts(),
  };
  const tmp = `${file}.${process.pid}.tmp`;
  // one fact per line: diffable, and still one JSON document
  const body = doc.facts.map((f) => JSON.stringify(f)).join(',\n');
  const head = JSON.stringify({ ...doc, facts: [] }).replace(/"facts":\[\]\}$/, '"facts":[\n');
  try {
    writeFileSync(tmp, `${head}${body}\n]}\n`);
    renameSync(tmp, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    throw new KnowledgeError(`cannot write knowledge base ${file}: ${why}`);
  }
}

function isFact(x: unknown): x is ApiFact {
  if (!x || typeof x !== 'object') return false;
  const f = x as Record<string, unknown>;
  return (
    typeof f.name === 'string' &&
    typeof f.source === 'string' &&
    CONVENTIONS.includes(f.convention as ApiFact['convention']) &&
    (f.failValues === undefined || (Array.isArray(f.failValues) && f.failValues.every((v) => typeof v === 'string'))) &&
    (f.returnType === undefined || typeof f.returnType === 'string') &&
    (f.mustCheck === undefined || typeof f.mustCheck === 'boolean') &&
    (f.callers === undefined || (typeof f.callers === 'object' && f.callers !== null && typeof (f.callers as { tested?: unknown }).tested === 'number' && typeof (f.callers as { dropped?: unknown }).dropped === 'number' && ['undefined', 'number'].includes(typeof (f.callers as { used?: unknown }).used)))
  );
}

export function loadKnowledge(file: string): Knowledge {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KnowledgeError(`cannot read knowledge base ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let doc: KnowledgeDocument;
  try {
    doc = JSON.parse(text) as KnowledgeDocument;
  } catch {
    throw new KnowledgeError(`${file} is not a knowledge base (not JSON); build one with 'patch-review index DIR -o ${file}'`);
  }
  if (!doc || doc.format !== KB_FORMAT) throw new KnowledgeError(`${file} is not a knowledge base (format is not ${KB_FORMAT})`);
  if (doc.version !== KB_VERSION) throw new KnowledgeError(`${file} is a version ${String(doc.version)} knowledge base; this patch-review reads version ${KB_VERSION}: rebuild it with 'patch-review index'`);
  if (!Array.isArray(doc.facts)) throw new KnowledgeError(`${file}: facts is not a list`);
  const bad = doc.facts.findIndex((f) => !isFact(f));
  if (bad >= 0) throw new KnowledgeError(`${file}: fact ${bad + 1} is malformed`);
  const kb = factsKnowledge(doc.facts, { ...doc.origin, file });
  if (doc.stats) kb.stats = doc.stats;
  return kb;
}
