import { Problem } from '../errors/problem';

/** The stream revision as a strong ETag: `"3"`. A stream with no events has no ETag. */
export const etagOf = (revision: bigint): string => `"${revision}"`;

/** A route's reply on either HTTP platform, as far as the routes set its headers. */
export interface HeaderReply {
  header(name: string, value: string): unknown;
}

/** A route's reply as far as the write routes set its status too (201 for a created stream). */
export interface Reply extends HeaderReply {
  status(code: number): unknown;
}

/** Answers with the revision the resource was read or written at, as its ETag. */
export function setEtag(reply: HeaderReply, revision: bigint): void {
  reply.header('ETag', etagOf(revision));
}

/**
 * `If-Match` as the revision the client read: `"3"` (or `W/"3"`, `3`). `*` only requires the
 * resource to exist, so it adds no revision. Anything else is a 400, not a silent overwrite.
 */
export function parseIfMatch(header: string | string[] | undefined): bigint | '*' | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (value.trim() === '*') return '*';
  const match = /^(?:W\/)?"?(\d{1,18})"?$/.exec(value.trim());
  if (!match) {
    throw new Problem(400, 'invalid-if-match', 'If-Match must be an ETag this API returned, e.g. "3".', {
      errors: [{ path: 'If-Match', rule: 'etag', message: 'expected a quoted stream revision like "3"' }],
    });
  }
  return BigInt(match[1]);
}
