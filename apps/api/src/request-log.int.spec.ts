import type { INestApplication } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import request from 'supertest';
import type { HttpPlatform } from './bootstrap';
import { startTestApi } from './testing/api-test-kit';

/** ADR 0168: every answered request is logged once, by the HTTP platform's hook, on both platforms. */
describe.each<HttpPlatform>(['fastify', 'express'])('the request log on %s', (platform) => {
  let app: INestApplication;
  const lines: { level: string; line: Record<string, unknown>; message: string }[] = [];

  beforeAll(async () => {
    ({ app } = await startTestApi(platform));
    for (const level of ['info', 'error'] as const) {
      jest.spyOn(PinoLogger.root, level).mockImplementation(((
        line: Record<string, unknown>,
        message: string,
      ) => {
        lines.push({ level, line, message });
      }) as never);
    }
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await app.close();
  });

  it('writes one line per answered request, with its method, path, status and time', async () => {
    lines.length = 0;
    const missing = await request(app.getHttpServer()).get('/no-such-route?x=1');
    const health = await request(app.getHttpServer()).get('/health');
    // The line is written once the answer has gone out: wait for both.
    for (let tries = 0; lines.length < 2 && tries < 100; tries++) await new Promise((r) => setTimeout(r, 10));
    expect(lines).toEqual([
      {
        level: 'info',
        message: 'request completed',
        line: {
          req: { method: 'GET', url: '/no-such-route?x=1' },
          res: { statusCode: 404 },
          responseTime: expect.any(Number),
        },
      },
      {
        level: health.status >= 500 ? 'error' : 'info',
        message: health.status >= 500 ? 'request errored' : 'request completed',
        line: {
          req: { method: 'GET', url: '/health' },
          res: { statusCode: health.status },
          responseTime: expect.any(Number),
        },
      },
    ]);
    expect(missing.status).toBe(404);
  });
});
