// From chunks of visible text (fragment or tree mode) to a FileModel and its signature changes.
import type { Warning } from '../patch/types.ts';
import type { Dialect, FileModel, FunctionImage, NotReviewed, SignatureChange, TouchedFunction } from './types.ts';
import { segmentSide, type Chunk, type Prototype, type Segment } from './segment.ts';
import { buildImage, inferReturnType } from './image.ts';
import { segmentOverLimit, type CutLines } from './limits.ts';

export interface FileInput {
  path: string;
  oldPath: string | null;
  mode: 'fragment' | 'tree';
  dialect: Dialect;
  chunks: Chunk[];
  warnings: Warning[];
  /** Lines the patch parser cut at its line-length limit, per side (line -> original length). */
  cut?: { pre: CutLines; post: CutLines };
}

function pairByName(pre: Segment[], post: Segment[]): { name: string; pre?: Segment; post?: Segment }[] {
  const pairs: { name: string; pre?: Segment; post?: Segment }[] = [];
  const preByName = new Map<string, Segment[]>();
  for (const s of pre) preByName.set(s.name, [...(preByName.get(s.name) ?? []), s]);
  for (const s of post) {
    const match = preByName.get(s.name)?.shift();
    pairs.push({ name: s.name, ...(match ? { pre: match } : {}), post: s });
  }
  for (const rest of preByName.values()) for (const s of rest) pairs.push({ name: s.name, pre: s });
  const firstLine = (p: { pre?: Segment; post?: Segment }): number =>
    (p.post ?? p.pre)!.rows.find((r) => !r.isSynthetic)?.line ?? 0;
  return pairs.sort((a, b) => firstLine(a) - firstLine(b));
}

function headLine(image: FunctionImage): number {
  const row = image.node.type === 'function_definition' ? image.node.startPosition.row : 0;
  return image.lineMap[row] || image.lineMap.find((l) => l > 0) || 0;
}

function prototypeChanges(file: string, pre: Prototype[], post: Prototype[]): SignatureChange[] {
  const changes: SignatureChange[] = [];
  for (const after of post) {
    if (!after.isChanged) continue;
    const before = pre.find((p) => p.isChanged && p.name === after.name);
    if (before && before.returnType !== after.returnType) {
      changes.push({
        name: after.name,
        file,
        line: after.line,
        from: before.returnType,
        to: after.returnType,
        kind: 'prototype',
        isInferred: false,
      });
    }
  }
  return changes;
}

export function modelFile(input: FileInput): { file: FileModel; signatureChanges: SignatureChange[] } {
  const { path, mode, dialect, chunks } = input;
  const warnings = [...input.warnings];
  const pre = segmentSide(chunks, 'pre');
  const post = segmentSide(chunks, 'post');
  const notReviewed: NotReviewed[] = [];
  for (const region of post.unnamedRegions) {
    if (!region.hasChangedStatements) continue;
    notReviewed.push({ file: path, function: '(unknown)', reason: 'changed lines inside a block whose function the patch does not name', line: region.line });
  }
  for (const region of [...pre.unnamedRegions, ...post.unnamedRegions]) {
    if (!region.hasChanges) continue;
    warnings.push({
      code: 'parse',
      file: path,
      message: `${path}:${region.line}: changed lines inside a block whose function the patch does not name; not modelled`,
    });
  }
  // Functions this file shows with a void head (a declarator, a prototype, or a hunk header whose body gains no
  // `return <value>;`): `return g(..);` of such a g in a void function is no void -> value change (image.ts).
  const voidCallees = new Set<string>();
  for (const seg of post.segments) {
    if (seg.head.returnType === 'void' && (seg.headFrom === 'declarator' || !inferReturnType(seg.rows))) voidCallees.add(seg.name);
  }
  for (const proto of post.prototypes) if (proto.returnType === 'void') voidCallees.add(proto.name);
  const functions: TouchedFunction[] = [];
  const contextImages: FunctionImage[] = [];
  const signatureChanges: SignatureChange[] = [];
  let clean = 0;
  let total = 0;
  for (const pair of pairByName(pre.segments, post.segments)) {
    const isTouched = (pair.post?.changedLines.length ?? 0) + (pair.pre?.changedLines.length ?? 0) > 0;
    // Tree mode sees every function of the file: only the touched ones are parsed and counted.
    if (mode === 'tree' && !isTouched) continue;
    const cut = input.cut ?? { pre: new Map(), post: new Map() };
    const over = (pair.post && segmentOverLimit(pair.post, cut.post)) || (pair.pre && segmentOverLimit(pair.pre, cut.pre));
    if (over) {
      // Beyond a limit: not parsed, not simulated, and said (a context-only function is simply not used).
      total += 1;
      if (!isTouched) continue;
      notReviewed.push({ file: path, function: pair.name, reason: over.reason, ...(over.line ? { line: over.line } : {}) });
      warnings.push({ code: 'limit', file: path, ...(over.line ? { line: over.line } : {}), message: `${pair.name}(): not reviewed: ${over.reason}` });
      continue;
    }
    const preImage = pair.pre ? buildImage({ segment: pair.pre, side: 'pre', dialect, mode, voidCallees }) : undefined;
    const postImage = pair.post ? buildImage({ segment: pair.post, side: 'post', dialect, mode, voidCallees }) : undefined;
    total += 1;
    if ((preImage?.health.clean ?? true) && (postImage?.health.clean ?? true)) clean += 1;
    const addedLines = pair.post?.changedLines ?? [];
    const removedLines = pair.pre?.changedLines ?? [];
    if (addedLines.length === 0 && removedLines.length === 0) {
      if (postImage?.health.clean) contextImages.push(postImage);
      continue;
    }
    functions.push({
      file: path,
      name: pair.name,
      mode,
      ...(preImage ? { pre: preImage } : {}),
      ...(postImage ? { post: postImage } : {}),
      addedLines,
      removedLines,
    });
    if (postImage && !postImage.health.clean) {
      const at = postImage.health.firstError;
      notReviewed.push({
        file: path,
        function: pair.name,
        reason: `parse error at line ${at?.line || '?'}${at?.text ? ` near "${at.text.split('\n')[0]!.trim().slice(0, 40)}"` : ''}`,
        ...(at?.line ? { line: at.line } : {}),
      });
    }
    for (const image of [preImage, postImage]) {
      if (image && !image.health.clean) {
        const at = image.health.firstError;
        warnings.push({
          code: 'parse',
          file: path,
          message: `${path}: ${image.side}-image of ${image.name} does not parse cleanly${at ? ` (line ${at.line}: ${at.text.split('\n')[0]})` : ''}`,
        });
      }
    }
    if (preImage && postImage && preImage.returnType !== '' && postImage.returnType !== '' && preImage.returnType !== postImage.returnType) {
      signatureChanges.push({
        name: pair.name,
        file: path,
        line: headLine(postImage),
        from: preImage.returnType,
        to: postImage.returnType,
        kind: 'definition',
        isInferred: postImage.returnTypeFrom === 'inferred',
      });
    }
  }
  signatureChanges.push(...prototypeChanges(path, pre.prototypes, post.prototypes));
  return {
    file: { path, oldPath: input.oldPath, mode, dialect, functions, parseSummary: { clean, total }, notReviewed, warnings, ...(contextImages.length ? { contextImages } : {}) },
    signatureChanges,
  };
}
