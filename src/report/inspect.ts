// Renderings of an Inspection: text for people, JSON (without syntax trees) for tools.
import type { Inspection } from '../review/inspect.ts';
import type { FunctionImage } from '../c/types.ts';

function imageJson(image: FunctionImage | undefined): object | undefined {
  if (!image) return undefined;
  const { tree: _tree, node: _node, ...rest } = image;
  return rest;
}

export function formatInspectJson(ins: Inspection): string {
  const doc = {
    kind: ins.set.kind,
    warnings: ins.set.warnings,
    patches: ins.set.patches.map((p, i) => {
      const model = ins.models[i];
      return {
        meta: p.meta,
        isCoverLetter: p.isCoverLetter,
        files: p.files,
        comments: p.comments,
        warnings: p.warnings,
        model: model && {
          signatureChanges: model.signatureChanges,
          warnings: model.warnings,
          files: model.files.map((f) => ({
            ...f,
            functions: f.functions.map((fn) => ({ ...fn, pre: imageJson(fn.pre), post: imageJson(fn.post) })),
          })),
        },
      };
    }),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const health = (image: FunctionImage): string =>
  image.health.clean ? 'clean' : `ERROR at line ${image.health.firstError?.line ?? '?'}:${image.health.firstError?.column ?? '?'}`;

export function formatInspectText(ins: Inspection): string {
  const out: string[] = [`input: ${ins.set.kind}, ${ins.set.patches.length} patch${ins.set.patches.length === 1 ? '' : 'es'}`];
  ins.set.patches.forEach((p, i) => {
    const m = p.meta;
    out.push('', `patch ${i + 1}${p.isCoverLetter ? ' (cover letter, not reviewed)' : ''}: ${m.subject ?? '(no subject)'}`);
    if (m.author) out.push(`  author: ${m.author}`);
    if (m.date) out.push(`  date: ${m.date}`);
    if (m.messageId) out.push(`  message-id: ${m.messageId}`);
    for (const f of p.files) {
      const name = f.oldPath && f.newPath && f.oldPath !== f.newPath ? `${f.oldPath} -> ${f.newPath}` : (f.newPath ?? f.oldPath);
      const blobs = f.oldBlob || f.newBlob ? ` index ${f.oldBlob ?? '?'}..${f.newBlob ?? '?'}` : '';
      out.push(`  file ${name} (${f.status}${f.isC ? '' : ', not C'})${blobs}: ${f.hunks.length} hunk${f.hunks.length === 1 ? '' : 's'}`);
      for (const h of f.hunks) {
        const adds = h.lines.filter((l) => l.kind === 'add').length;
        const dels = h.lines.filter((l) => l.kind === 'del').length;
        out.push(
          `    @@ -${h.oldStart},${h.oldCount} +${h.newStart},${h.newCount} @@${h.section ? ` ${h.section}` : ''}  (+${adds} -${dels}${h.recounted ? ', recounted' : ''}${h.gapBefore ? ', after a gap' : ''}; input line ${h.sourceLine})`,
        );
      }
    }
    const model = ins.models[i];
    if (model) {
      for (const file of model.files) {
        out.push(`  C ${file.path} (${file.mode} mode, ${file.dialect}): ${file.parseSummary.clean} of ${file.parseSummary.total} functions parsed cleanly`);
        for (const fn of file.functions) {
          const sig = `${fn.pre ? fn.pre.returnType || '?' : '(new)'} -> ${fn.post ? fn.post.returnType || '?' : '(deleted)'}`;
          out.push(`    ${fn.name}(): ${sig}; +${fn.addedLines.length} -${fn.removedLines.length} lines`);
          for (const image of [fn.pre, fn.post]) {
            if (!image) continue;
            const real = image.lineMap.filter((l) => l > 0);
            const span = real.length > 0 ? `lines ${Math.min(...real)}-${Math.max(...real)}` : 'no visible lines';
            const gaps = image.gaps.length > 0 ? `, ${image.gaps.length} gap${image.gaps.length === 1 ? '' : 's'} (after ${image.gaps.map((g) => g.afterLine).join(', ')})` : '';
            out.push(`      ${image.side}: ${span}${image.isFragment ? ', fragment' : ''}${gaps}, ${health(image)}, ${image.calls.length} calls`);
          }
        }
      }
      const all = model.files.reduce((acc, f) => ({ clean: acc.clean + f.parseSummary.clean, total: acc.total + f.parseSummary.total }), { clean: 0, total: 0 });
      out.push(`  ${all.clean} of ${all.total} functions parsed cleanly`);
      for (const s of model.signatureChanges) out.push(`  signature: ${s.name}() ${s.from} -> ${s.to} (${s.file}:${s.line})`);
    }
    for (const c of p.comments) {
      const at = c.after ? ` after ${c.after.file} hunk ${c.after.hunkIndex + 1} line ${c.after.lineIndex + 1}` : '';
      out.push(`  comment (input lines ${c.startLine}-${c.endLine}${at}): ${c.text.split('\n')[0]!.slice(0, 90)}`);
    }
    const warnings = [...p.warnings, ...(model ? [...model.warnings, ...model.files.flatMap((f) => f.warnings)] : [])];
    for (const w of warnings) out.push(`  warning [${w.code}]${w.file ? ` ${w.file}` : ''}${w.line ? ` line ${w.line}` : ''}: ${w.message}`);
  });
  for (const w of ins.set.warnings) out.push(`warning [${w.code}]${w.line ? ` line ${w.line}` : ''}: ${w.message}`);
  return `${out.join('\n')}\n`;
}
