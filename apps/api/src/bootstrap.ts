import { NestFactory } from '@nestjs/core';
import { INestApplication } from '@nestjs/common';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { Config } from '@verity/platform';
import { AppModule } from './app.module';
import { serveOpenApi } from './openapi/openapi';
import { loadWebApp, serveWebApp } from './web/web-app';

/** Largest request body accepted (JSON, CSV, YAML); beyond it → 413 problem+json. */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Bodies read as text: CSV directory imports, YAML workflow definitions. */
const TEXT_TYPES = ['text/csv', 'text/plain', 'application/yaml', 'application/x-yaml', 'text/yaml'];

export type HttpPlatform = 'express' | 'fastify';

/** Builds the HTTP application; main.ts listens, tests use it with supertest. */
export async function createApi(
  config: Config,
  options: {
    platform?: HttpPlatform;
    /** The built web app (default dist/web; tests give their own). */ webAppDirectory?: string;
  } = {},
): Promise<INestApplication> {
  // Fastify by default: faster in bench:api on this hardware (docs/adr/0021); Express stays selectable.
  const platform = options.platform ?? 'fastify';
  const app = platform === 'fastify' ? await createFastify(config) : await createExpress(config);
  app.useLogger(app.get(Logger));
  serveOpenApi(app, platform);
  serveWebApp(app, platform, loadWebApp(options.webAppDirectory));
  if (platform === 'fastify') {
    // Fastify answers only once it is ready; tests hand `getHttpServer()` to supertest right away.
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  }
  return app;
}

async function createExpress(config: Config): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config),
    new ExpressAdapter(),
    { bufferLogs: true, bodyParser: false },
  );
  app.useBodyParser('json', { limit: BODY_LIMIT_BYTES, type: ['application/json', 'application/*+json'] });
  app.useBodyParser('text', { limit: BODY_LIMIT_BYTES, type: TEXT_TYPES });
  app.set('query parser', 'simple');
  app.disable('x-powered-by');
  return app;
}

async function createFastify(config: Config): Promise<INestApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser(
    TEXT_TYPES,
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (_req, body, done) => done(null, body),
  );
  return app;
}
