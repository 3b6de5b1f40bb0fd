import { z } from 'zod';

/** A zod schema as JSON Schema (draft 2020-12, what OpenAPI 3.1 uses), without the `$schema` marker. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  return json;
}
