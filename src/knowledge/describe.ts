// Facts in words, for findings: what a failure of the callee looks like.
import type { ApiFact } from './types.ts';

function values(f: ApiFact, max = 4): string {
  const v = f.failValues ?? [];
  if (v.length === 0) return '';
  return ` (${v.slice(0, max).join(', ')}${v.length > max ? ', ...' : ''})`;
}

/** "returns a negative errno (-EINVAL, -ENOMEM)", "returns NULL on failure", ... */
export function describeFailure(f: ApiFact): string {
  switch (f.convention) {
    case 'errno':
      // TEE_ERROR_* and the like are non-zero status codes, not negated errnos
      return (f.failValues ?? []).every((v) => v.startsWith('-') || v === 'PTR_ERR()')
        ? `returns a negative errno on failure${values(f)}`
        : `returns a non-zero error code on failure${values(f)}`;
    case 'err-ptr':
      return `returns an ERR_PTR() on failure${values(f)}`;
    case 'null':
      return 'returns NULL on failure';
    case 'zero-fail':
      return 'returns 0 on failure';
    case 'bool-success':
      return 'returns non-zero on success and 0 on failure';
    case 'count':
      return 'returns a non-zero count (what it could not do) on failure';
    case 'value':
      return 'returns a plain value, not a failure report';
    default:
      return 'has no known failure convention';
  }
}

/** The one failure a witness shows: "-ENOMEM", "NULL", "0", "a non-zero count". */
export function witnessFailure(f: ApiFact): string | undefined {
  const named = f.failValues?.find((v) => /^-E[A-Z]/.test(v) || v === 'NULL' || v === '0' || /^ERR_PTR/.test(v));
  if (named) return named;
  if (f.failValues?.[0]) return f.failValues[0];
  if (f.convention === 'count') return 'a non-zero count';
  if (f.convention === 'errno') return 'a negative errno';
  return undefined;
}
