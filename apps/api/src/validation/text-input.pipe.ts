import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { MAX_PATH_PARAMETER_LENGTH, pathParameterTooLong } from '../errors/framework-errors';
import { Problem } from '../errors/problem';

/** A NUL character, or a UTF-16 surrogate without its pair (no Unicode character; stored as U+FFFD). */
// eslint-disable-next-line no-control-regex -- finding the NUL character is the point
const UNRECORDABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const WHERE: Record<string, string> = { param: 'path parameter', query: 'query parameter', body: 'body' };

/** The dotted path of the first string (or object key) that is not recordable text, or null. */
export function firstUnrecordableText(value: unknown, root: string): { path: string; rule: string } | null {
  // Iterative: the parser bounds nesting, but a walk must never be the thing that overflows the stack.
  const pending: { value: unknown; path: string }[] = [{ value, path: root }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      const found = UNRECORDABLE.exec(current);
      if (found) return { path, rule: found[0] === '\u0000' ? 'nul_character' : 'lone_surrogate' };
    } else if (current && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        const childPath = path ? `${path}.${key}` : key;
        if (UNRECORDABLE.test(key)) return { path: childPath, rule: 'unrecordable_key' };
        pending.push({ value: child, path: childPath });
      }
    }
  }
  return null;
}

/**
 * Refuses, before any route-specific pipe, a path parameter longer than any id (414) and a NUL or a lone surrogate in any path parameter, query
 * parameter or body string: PostgreSQL cannot store a NUL (the request would end in a 500) and
 * turns a lone surrogate into U+FFFD (the stored text would differ from the accepted one).
 */
@Injectable()
export class TextInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const where = WHERE[metadata.type];
    if (!where) return value;
    // Fastify's router refuses these first; on Express this pipe is the limit.
    if (metadata.type === 'param' && typeof value === 'string' && value.length > MAX_PATH_PARAMETER_LENGTH) {
      throw pathParameterTooLong();
    }
    const found = firstUnrecordableText(value, metadata.data ?? '');
    if (!found) return value;
    const message =
      found.rule === 'nul_character'
        ? 'must not contain a NUL character'
        : 'must be valid Unicode text (no lone surrogate)';
    const named = found.path ? ` ${found.path}` : '';
    throw new Problem(400, 'invalid-request', `The request ${where}${named} is not valid text.`, {
      errors: [{ path: found.path || '(body)', rule: found.rule, message }],
    });
  }
}
