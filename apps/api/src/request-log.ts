import type { INestApplication } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { HttpPlatform } from './bootstrap';

interface Answered {
  method: string;
  url: string;
  statusCode: number;
  responseTimeMs: number;
}

/**
 * One log line per answered request ("request completed", as pino-http wrote it), from the HTTP
 * platform's own completion hook (docs/adr/0168). pino-http as a Nest middleware also ran a
 * per-request child logger and an AsyncLocalStorage scope, which switches on Node's promise hooks
 * for every promise of the process, on every request, whether or not anything was logged.
 */
export function logAnsweredRequests(app: INestApplication, platform: HttpPlatform): void {
  const log = ({ method, url, statusCode, responseTimeMs }: Answered) => {
    const line = { req: { method, url }, res: { statusCode }, responseTime: Math.round(responseTimeMs) };
    if (statusCode >= 500) PinoLogger.root.error(line, 'request errored');
    else PinoLogger.root.info(line, 'request completed');
  };
  if (platform === 'fastify') {
    type Request = { method: string; url: string };
    type Reply = { statusCode: number; elapsedTime: number };
    const fastify = app.getHttpAdapter().getInstance() as {
      addHook(name: 'onResponse', hook: (request: Request, reply: Reply, done: () => void) => void): void;
    };
    fastify.addHook('onResponse', (request, reply, done) => {
      log({
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        responseTimeMs: reply.elapsedTime,
      });
      done();
    });
    return;
  }
  type Request = { method: string; originalUrl: string };
  type Response = { statusCode: number; once(event: 'finish', listener: () => void): void };
  app.use((request: Request, response: Response, next: () => void) => {
    const started = performance.now();
    response.once('finish', () =>
      log({
        method: request.method,
        url: request.originalUrl,
        statusCode: response.statusCode,
        responseTimeMs: performance.now() - started,
      }),
    );
    next();
  });
}
