import type { ZodError } from 'zod';
import { Problem, type FieldIssue } from '../errors/problem';

/** zod issues as `{path, rule, message}`: `path` is dotted (`indicators.0.weight`), `rule` the zod issue code. */
export function zodIssues(error: ZodError, prefix: (string | number)[] = []): FieldIssue[] {
  return error.issues.slice(0, 50).map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.') || '(body)',
    rule: issue.code,
    message: issue.message,
  }));
}

/**
 * The one 400 for input that does not match its schema (`invalid-request`, each field and rule in
 * `errors`): "The request body does not match its schema." for a body, "The request does not match
 * its schema." when the part is not named.
 */
export function schemaMismatch(part: 'body' | 'query' | null, errors: FieldIssue[]): Problem {
  return new Problem(
    400,
    'invalid-request',
    `The request ${part ? `${part} ` : ''}does not match its schema.`,
    {
      errors,
    },
  );
}
