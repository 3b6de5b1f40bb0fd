import { ApiOkResponse } from '@nestjs/swagger';
import type { z } from 'zod';
import { jsonSchemaOf } from './json-schema';

/** One of the media types a file answer comes in, and (JSON Lines, SSE) the schema each line's JSON follows. */
export interface FileMedia {
  type: string;
  description: string;
  line?: z.ZodType;
}

/**
 * A 200 whose body is a file or a stream rather than one JSON document (CSV, XLSX, JSON Lines,
 * Server-Sent Events): each media type as a string, with `x-line-schema` giving the JSON of each
 * line where lines carry JSON (OpenAPI 3.1 has no item schema for streams yet), and its headers.
 */
export function ApiFileAnswer(options: {
  description: string;
  media: FileMedia[];
  headers?: Record<string, string>;
}) {
  return ApiOkResponse({
    description: options.description,
    content: Object.fromEntries(
      options.media.map(({ type, description, line }) => [
        type,
        {
          schema: {
            type: 'string',
            ...(type.includes('spreadsheetml') ? { format: 'binary' } : {}),
            description,
            ...(line ? { 'x-line-schema': jsonSchemaOf(line) } : {}),
          },
        },
      ]),
    ),
    headers: Object.fromEntries(
      Object.entries(options.headers ?? {}).map(([name, description]) => [
        name,
        { description, schema: { type: 'string' } },
      ]),
    ),
  } as never);
}
