// Test helper: a plain unified diff to a Patch, for tests that must not depend on src/patch.
import type { FilePatch, Hunk, Patch } from '../../src/patch/types.ts';

export function diffToPatch(text: string): Patch {
  const files: FilePatch[] = [];
  let file: FilePatch | undefined;
  let hunk: Hunk | undefined;
  let oldLine = 0;
  let newLine = 0;
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const sourceLine = i + 1;
    if (raw.startsWith('diff --git ')) {
      const m = /^diff --git a\/(\S+) b\/(\S+)/.exec(raw);
      file = {
        oldPath: m?.[1] ?? null,
        newPath: m?.[2] ?? null,
        status: 'modified',
        isBinary: false,
        isC: /\.[ch]$/.test(m?.[2] ?? ''),
        hunks: [],
        sourceLine,
      };
      files.push(file);
      hunk = undefined;
      return;
    }
    if (!file) return;
    if (!hunk || raw.startsWith('@@') || raw.startsWith('--- ') || raw.startsWith('+++ ') || raw.startsWith('index ')) {
      const idx = /^index ([0-9a-f]+)\.\.([0-9a-f]+)/.exec(raw);
      if (idx) {
        file.oldBlob = idx[1]!;
        file.newBlob = idx[2]!;
        return;
      }
      if (raw.startsWith('--- ') && !hunk) {
        if (raw === '--- /dev/null') {
          file.oldPath = null;
          file.status = 'added';
        }
        return;
      }
      if (raw.startsWith('+++ ') && !hunk) {
        if (raw === '+++ /dev/null') {
          file.newPath = null;
          file.status = 'deleted';
        }
        return;
      }
      const h = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/.exec(raw);
      if (h) {
        hunk = {
          oldStart: Number(h[1]),
          oldCount: Number(h[2] ?? 1),
          newStart: Number(h[3]),
          newCount: Number(h[4] ?? 1),
          section: h[5] ?? '',
          lines: [],
          sourceLine,
        };
        oldLine = hunk.oldStart;
        newLine = hunk.newStart;
        file.hunks.push(hunk);
        return;
      }
      if (!hunk) return;
    }
    if (raw === '-- ' || raw.startsWith('\\')) {
      if (raw === '-- ') hunk = undefined;
      return;
    }
    const marker = raw[0];
    const body = raw.slice(1);
    if (marker === '+') hunk.lines.push({ kind: 'add', text: body, newLine: newLine++, sourceLine });
    else if (marker === '-') hunk.lines.push({ kind: 'del', text: body, oldLine: oldLine++, sourceLine });
    else if (marker === ' ' || raw === '') {
      if (raw === '' && i === lines.length - 1) return;
      hunk.lines.push({ kind: 'context', text: body, oldLine: oldLine++, newLine: newLine++, sourceLine });
    }
  });
  return { meta: {}, files, comments: [], warnings: [], isCoverLetter: false };
}
