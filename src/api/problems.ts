// Problem details (RFC 9457): one catalogue of stable type URIs, titles and statuses.
// Clients switch on `type`; `detail` is for people and may change.

export const PROBLEMS = {
  'empty-body': { status: 400, title: 'The request body is empty' },
  'no-patch': { status: 422, title: 'No patch found in the request body' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'too-large': { status: 413, title: 'The request body is too large' },
  'malformed-json': { status: 400, title: 'The JSON body is malformed' },
  'invalid-request': { status: 400, title: 'The request does not match the API contract' },
  'unknown-rule': { status: 400, title: 'Unknown rule or pack' },
  'unknown-project': { status: 400, title: 'Unknown project' },
  'not-acceptable': { status: 406, title: 'No acceptable response format' },
  'not-found': { status: 404, title: 'Not found' },
  unauthorized: { status: 401, title: 'Authentication required' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  overloaded: { status: 503, title: 'The service is overloaded' },
  'shutting-down': { status: 503, title: 'The service is shutting down' },
  'review-aborted': { status: 503, title: 'The review was stopped' },
  internal: { status: 500, title: 'Internal server error' },
} as const;

export type ProblemName = keyof typeof PROBLEMS;

export const PROBLEM_TYPE_PREFIX = 'urn:patch-review:problem:';
export const problemType = (name: ProblemName): string => `${PROBLEM_TYPE_PREFIX}${name}`;

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

/** An error that answers as problem+json; `extensions` become extra members (found, unknown, errors). */
export class ProblemError extends Error {
  readonly status: number;
  constructor(
    readonly problem: ProblemName,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
    /** Response headers to send with it (Retry-After, WWW-Authenticate). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
    this.status = PROBLEMS[problem].status;
  }

  body(instance?: string): ProblemBody {
    return {
      type: problemType(this.problem),
      title: PROBLEMS[this.problem].title,
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...this.extensions,
    };
  }
}
