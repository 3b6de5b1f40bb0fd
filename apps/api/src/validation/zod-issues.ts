import type { ZodError } from 'zod';
import type { FieldIssue } from '../errors/problem';

/** zod issues as `{path, rule, message}`: `path` is dotted (`indicators.0.weight`), `rule` the zod issue code. */
export function zodIssues(error: ZodError, prefix: (string | number)[] = []): FieldIssue[] {
  return error.issues.slice(0, 50).map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.') || '(body)',
    rule: issue.code,
    message: issue.message,
  }));
}
