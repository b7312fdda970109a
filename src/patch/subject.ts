// "[PATCH v4 1/3] VT-d: ..." → version 4, number 1, total 3.

import type { PatchMeta } from './types.ts';

const TAGGED = /\[(?:[^\]]{0,80}\b)?(?:PATCH|RFC)\b[^\]]{0,80}\]/i;

/** Drops "Re:", list tags like "[Xen-devel]" and archive cruft before the patch tag. */
export function cleanSubject(raw: string): string {
  const s = raw.slice(0, 2000).replace(/\s+/g, ' ').trim();
  const m = TAGGED.exec(s);
  if (m) return s.slice(m.index);
  return s.replace(/^(?:(?:re|fwd?|aw):\s*)+/i, '').trim();
}

export function subjectMeta(subject: string): Pick<PatchMeta, 'subject' | 'version' | 'number' | 'total'> {
  const out: Pick<PatchMeta, 'subject' | 'version' | 'number' | 'total'> = { subject };
  const tags = subject.match(/\[[^\]]{0,80}\]/g) ?? [];
  for (const tag of tags) {
    if (!/PATCH|RFC/i.test(tag)) continue;
    const v = /\bv(\d{1,4})\b/i.exec(tag);
    if (v) out.version = Number(v[1]);
    const n = /\b(\d{1,5})\/(\d{1,5})\b/.exec(tag);
    if (n) {
      out.number = Number(n[1]);
      out.total = Number(n[2]);
    }
  }
  return out;
}
