import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import type { z } from 'zod';
import { jsonSchemaOf } from './json-schema';
import { Route, type RouteSpec } from './route';

/** A bulk body's two forms: the JSON form's schema and example, and a CSV example. */
export interface CsvOrJsonBody {
  json: z.ZodType;
  example: unknown;
  csvExample: string;
}

/**
 * The OpenAPI of a bulk body taken as JSON or as CSV (`text/csv`): the JSON form's schema with an
 * example. The directory import, its preview and the actuals upload read their bodies this way.
 */
const csvOrJsonBody = (json: z.ZodType, example: unknown) =>
  applyDecorators(
    ApiConsumes('application/json', 'text/csv'),
    ApiBody({ schema: { ...jsonSchemaOf(json, 'input'), example } as never }),
  );

/** A POST route taking such a body, answered 200, with the CSV example in its description. */
export function CsvOrJsonRoute(
  path: string,
  spec: Omit<RouteSpec, 'description' | 'status'>,
  body: CsvOrJsonBody,
): MethodDecorator {
  return applyDecorators(
    csvOrJsonBody(body.json, body.example),
    Route('POST', path, {
      ...spec,
      description: `CSV example:\n\n\`\`\`\n${body.csvExample}\n\`\`\``,
      status: 200,
    }),
  );
}
