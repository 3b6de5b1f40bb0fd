import { HttpStatus } from '@nestjs/common';

/** One field-level problem: where (a JSON path like `indicators.0.weight`) and which rule it breaks. */
export interface FieldIssue {
  path: string;
  rule: string;
  message: string;
}

/** RFC 9457 problem details, as every error response of the API carries them. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  errors?: FieldIssue[];
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The one exception the API throws for an HTTP-shaped failure. Anything else thrown (domain
 * errors, event-store errors, Nest's own) is translated by ProblemFilter, in one place.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extensions: { errors?: FieldIssue[]; [key: string]: unknown } = {},
    /** Sent as the `Retry-After` header: when trying again makes sense. */
    readonly headers: { retryAfterSeconds?: number } = {},
  ) {
    super(detail);
    this.name = 'Problem';
  }

  toBody(instance?: string): ProblemBody {
    return {
      type: `https://verity.dev/problems/${this.code}`,
      title: TITLES[this.status] ?? HttpStatus[this.status] ?? 'Error',
      status: this.status,
      code: this.code,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...this.extensions,
    };
  }
}

export const unauthorized = (detail = 'A valid bearer token or API key is required.') =>
  new Problem(401, 'unauthenticated', detail);
export const forbidden = (detail: string, code = 'forbidden') => new Problem(403, code, detail);
export const notFound = (detail: string, code = 'not-found') => new Problem(404, code, detail);
