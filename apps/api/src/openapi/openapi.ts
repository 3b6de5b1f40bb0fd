import type { INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', description: 'Stable machine-readable error code' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

/**
 * OpenAPI 3.1: paths from the controllers, request bodies from the same zod schemas that validate
 * them (`@ValidBody` puts `z.toJSONSchema` output and an example there), errors as problem+json.
 */
export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Verity API')
      .setDescription(
        'Event-sourced performance management: commands, queries, audit and integrations. ' +
          'Writes return the stream revision as ETag and honour If-Match and Idempotency-Key; ' +
          'errors are RFC 9457 problem+json with a stable `code`.',
      )
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'apiKey')
      .build(),
  );
  document.openapi = '3.1.0';
  document.components = { ...document.components, schemas: { ...document.components?.schemas } };
  (document.components.schemas as Record<string, unknown>).Problem = PROBLEM_SCHEMA;
  hoistDefinitions(document.paths, document.components.schemas as Record<string, unknown>);
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as { responses?: Record<string, unknown> }[]) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      operation.responses = {
        ...operation.responses,
        default: {
          description: 'An error, as RFC 9457 problem details',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
      };
    }
  }
  return document;
}

/**
 * A recursive answer (a tree whose nodes hold nodes) is described with a named `$defs` entry that
 * refers to itself; inside an operation `#/$defs/…` would point at the document's root, so the
 * entries become components and their references follow them.
 */
function hoistDefinitions(node: unknown, schemas: Record<string, unknown>): void {
  if (!node || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (typeof record.$ref === 'string' && record.$ref.startsWith('#/$defs/'))
    record.$ref = `#/components/schemas/${record.$ref.slice('#/$defs/'.length)}`;
  if (record.$defs && typeof record.$defs === 'object') {
    for (const [name, definition] of Object.entries(record.$defs)) {
      hoistDefinitions(definition, schemas);
      schemas[name] = definition;
    }
    delete record.$defs;
  }
  for (const child of Object.values(record)) hoistDefinitions(child, schemas);
}

const UI_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
};

const UI_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Verity API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui-standalone-preset.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });</script>
</body></html>`;

/** `/openapi.json` and the Swagger UI at `/docs`, on either HTTP platform. */
export function serveOpenApi(app: INestApplication, platform: 'express' | 'fastify'): void {
  const document = buildOpenApi(app);
  if (platform === 'express') {
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
    return;
  }
  // Nest's Swagger UI on Fastify needs @fastify/static; serve the same swagger-ui-dist files directly.
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', swaggerUiEnabled: false });
  const uiDirectory = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const fastify = app.getHttpAdapter().getInstance() as FastifyLike;
  fastify.get('/docs', (_request, reply) => reply.type('text/html; charset=utf-8').send(UI_PAGE));
  for (const [file, type] of Object.entries(UI_FILES)) {
    const content = readFileSync(path.join(uiDirectory, file));
    fastify.get(`/docs/${file}`, (_request, reply) => reply.type(type).send(content));
  }
}

interface FastifyLike {
  get(
    path: string,
    handler: (request: unknown, reply: { type(t: string): { send(b: unknown): void } }) => void,
  ): void;
}
