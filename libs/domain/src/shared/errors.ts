/**
 * Typed domain errors. Each has a stable `code` (for clients and logs) and an `intent` that the
 * API maps to HTTP once (validation 400, not-found 404, forbidden 403, illegal-state 422,
 * conflict 409) and the worker maps to retry-or-fail. Constructors never read request context.
 */
export type ErrorIntent = 'validation' | 'not-found' | 'forbidden' | 'illegal-state' | 'conflict';

/** One problem with an input: where it is, which rule it breaks, and a sentence for people. */
export interface Issue {
  path: string;
  rule: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly intent: ErrorIntent;
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  readonly intent = 'validation' as const;
  constructor(
    code: string,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(code, message, { issues });
  }
}

export class NotFoundError extends DomainError {
  readonly intent = 'not-found' as const;
}

export class ForbiddenError extends DomainError {
  readonly intent = 'forbidden' as const;
}

export class IllegalStateError extends DomainError {
  readonly intent = 'illegal-state' as const;
}

export class ConflictError extends DomainError {
  readonly intent = 'conflict' as const;
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
