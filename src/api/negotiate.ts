// Content negotiation for reviews: the `format` query parameter wins, then Accept (with q-values).
import type { FormatName } from '../report/index.ts';

/** The review formats the API offers, by media type (openapi.yaml lists the same). */
export const MEDIA_TYPES = {
  json: 'application/json',
  sarif: 'application/sarif+json',
  rdjson: 'application/vnd.reviewdog.rdjson+json',
  checkpatch: 'text/x-checkpatch',
  text: 'text/plain',
} as const satisfies Partial<Record<FormatName, string>>;

export type ApiFormat = keyof typeof MEDIA_TYPES;
export const API_FORMATS = Object.keys(MEDIA_TYPES) as ApiFormat[];

const BY_TYPE = new Map<string, ApiFormat>(Object.entries(MEDIA_TYPES).map(([format, type]) => [type, format as ApiFormat]));

interface Range {
  type: string;
  q: number;
  order: number;
}

function parseAccept(header: string): Range[] {
  return header
    .split(',')
    .map((part, order) => {
      const [type = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)).find(Boolean);
      return { type: type.trim().toLowerCase(), q: q ? Number(q[1]) : 1, order };
    })
    .filter((r) => r.type !== '' && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || specificity(b.type) - specificity(a.type) || a.order - b.order);
}

const specificity = (type: string): number => (type === '*/*' ? 0 : type.endsWith('/*') ? 1 : 2);

/** The format to answer in, or undefined when nothing the client accepts is offered (406). */
export function negotiateFormat(accept: string | undefined, format: string | undefined): ApiFormat | undefined {
  if (format) return (API_FORMATS as string[]).includes(format) ? (format as ApiFormat) : undefined;
  if (!accept || accept.trim() === '') return 'json';
  for (const range of parseAccept(accept)) {
    if (range.type === '*/*' || range.type === 'application/*') return 'json';
    if (range.type === 'text/*') return 'text';
    const exact = BY_TYPE.get(range.type);
    if (exact) return exact;
  }
  return undefined;
}
