import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiQuery } from '@nestjs/swagger';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { jsonSchemaOf } from '../../openapi/json-schema';
import { Problem } from '../../errors/problem';
import { schemaMismatch, zodIssues } from '../../validation/zod-issues';

/** JSON form: the definition (or template) plus the optimistic `expectedVersion`. YAML form: the definition alone. */
export const PublishVersionJson = z.strictObject({
  definition: z.unknown(),
  expectedVersion: z.number().int().nonnegative().optional(),
});

/**
 * The OpenAPI of a body `readPublishBody` reads (publishing, previewing and the what-if of a draft
 * take the same body): JSON or YAML, the JSON form's schema with `example`, and `?expectedVersion=`
 * for the YAML form where the route honours it.
 */
export const versionBody = (
  description: string,
  example: { definition: unknown; expectedVersion?: number },
  options: { expectedVersionQuery: boolean } = { expectedVersionQuery: true },
) =>
  applyDecorators(
    ApiConsumes('application/json', 'application/yaml'),
    ...(options.expectedVersionQuery
      ? [ApiQuery({ name: 'expectedVersion', required: false, schema: { type: 'integer', minimum: 0 } })]
      : []),
    ApiBody({
      required: true,
      description,
      schema: { ...jsonSchemaOf(PublishVersionJson, 'input'), example } as never,
    }),
  );

const ExpectedVersionQuery = z.object({ expectedVersion: z.coerce.number().int().nonnegative().optional() });

/**
 * The document to publish, from `application/json` (`{definition, expectedVersion}`) or from YAML
 * (`application/yaml`, the definition itself, `?expectedVersion=` in the query). The domain
 * validates the definition itself and reports every issue with its path.
 */
export function readPublishBody(
  contentType: string | undefined,
  body: unknown,
  query: Record<string, unknown>,
): { definition: unknown; expectedVersion?: number } {
  const version = ExpectedVersionQuery.safeParse(query);
  if (!version.success) {
    throw new Problem(400, 'invalid-request', 'The query does not match its schema.', {
      errors: zodIssues(version.error),
    });
  }
  if (/yaml/i.test(contentType ?? '')) {
    if (typeof body !== 'string' || body.trim() === '') {
      throw new Problem(400, 'invalid-request', 'The YAML body is empty.', {
        errors: [{ path: '(body)', rule: 'required', message: 'a YAML document is required' }],
      });
    }
    try {
      // Aliases bounded: a "billion laughs" document must not expand without limit.
      return {
        definition: parseYaml(body, { maxAliasCount: 100 }),
        expectedVersion: version.data.expectedVersion,
      };
    } catch (error) {
      const where =
        error instanceof YAMLParseError && error.linePos ? `line ${error.linePos[0].line}` : '(body)';
      throw new Problem(400, 'malformed-body', 'The request body is not valid YAML.', {
        errors: [{ path: where, rule: 'yaml-syntax', message: (error as Error).message.split('\n')[0] }],
      });
    }
  }
  const parsed = PublishVersionJson.safeParse(body);
  if (!parsed.success) {
    throw schemaMismatch('body', zodIssues(parsed.error));
  }
  return {
    definition: parsed.data.definition,
    expectedVersion: parsed.data.expectedVersion ?? version.data.expectedVersion,
  };
}
