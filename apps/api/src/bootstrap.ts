import { NestFactory } from '@nestjs/core';
import { INestApplication } from '@nestjs/common';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { Config } from '@verity/platform';
import { AppModule } from './app.module';
import { serveOpenApi } from './openapi/openapi';
import {
  answerClientError,
  badUrlEncoding,
  MAX_PATH_PARAMETER_LENGTH,
  pathParameterTooLong,
} from './errors/framework-errors';
import type { Problem } from './errors/problem';
import { nestsDeeperThan, tooDeep } from './validation/json-depth';
import { loadWebApp, serveWebApp } from './web/web-app';
import { logAnsweredRequests } from './request-log';

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
  if (config.NODE_ENV !== 'test') logAnsweredRequests(app, platform);
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
  app.useBodyParser('json', {
    limit: BODY_LIMIT_BYTES,
    type: ['application/json', 'application/*+json'],
    verify: (_request: unknown, _response: unknown, body: Buffer) => {
      // body-parser keeps a thrown error's own status (400), so the filter sees the Problem itself.
      if (nestsDeeperThan(body)) throw tooDeep();
    },
  });
  app.useBodyParser('text', { limit: BODY_LIMIT_BYTES, type: TEXT_TYPES });
  app.set('query parser', parseQueryString);
  app.disable('x-powered-by');
  const server = app.getHttpServer() as import('node:http').Server;
  server.removeAllListeners('clientError');
  server.on('clientError', answerClientError);
  return app;
}

async function createFastify(config: Config): Promise<INestApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH },
    // Errors Fastify answers before any route runs: problem+json like every other error.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const problem = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? pathParameterTooLong() : badUrlEncoding();
      sendFrameworkProblem(reply as unknown as FrameworkReply, problem, request.url);
    },
    clientErrorHandler: answerClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
  });
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    if (nestsDeeperThan(body as Buffer)) return done(tooDeep(), undefined);
    parseJson(request as never, (body as Buffer).toString('utf8'), done);
  });
  fastify.addContentTypeParser(
    TEXT_TYPES,
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (_req, body, done) => done(null, body),
  );
  return app;
}

type FrameworkReply = {
  code(status: number): { header(name: string, value: string): { send(payload: string): void } };
};

function sendFrameworkProblem(reply: FrameworkReply, problem: Problem, url: string): void {
  reply
    .code(problem.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(JSON.stringify(problem.toBody(url.split('?')[0])));
}

/**
 * Express's query parser, as Fastify's behaves: a repeated name gives a list, and a value that is
 * not valid percent-encoded UTF-8 is kept as written (Node's `querystring` turns it into U+FFFD,
 * so the text the route saw would not be the text the client sent).
 */
export function parseQueryString(query: string | null | undefined): Record<string, string | string[]> {
  const parsed = new Map<string, string | string[]>();
  for (const pair of (query ?? '').split('&')) {
    if (!pair) continue;
    const cut = pair.indexOf('=');
    const name = decodeStrictly(cut < 0 ? pair : pair.slice(0, cut));
    const value = cut < 0 ? '' : decodeStrictly(pair.slice(cut + 1));
    const existing = parsed.get(name);
    parsed.set(name, existing === undefined ? value : [...([] as string[]).concat(existing), value]);
  }
  // fromEntries defines own properties, so a `__proto__` parameter is a parameter, not a prototype.
  return Object.fromEntries(parsed);
}

function decodeStrictly(component: string): string {
  const spaced = component.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}
