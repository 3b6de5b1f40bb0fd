import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import type { z } from 'zod';
import { jsonSchemaOf } from './json-schema';

/**
 * The OpenAPI of a bulk body taken as JSON or as CSV (`text/csv`): the JSON form's schema with an
 * example. The directory import, its preview and the actuals upload read their bodies this way.
 */
export const csvOrJsonBody = (json: z.ZodType, example: unknown) =>
  applyDecorators(
    ApiConsumes('application/json', 'text/csv'),
    ApiBody({ schema: { ...jsonSchemaOf(json, 'input'), example } as never }),
  );
