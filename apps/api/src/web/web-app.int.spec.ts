import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApi, type HttpPlatform } from '../bootstrap';
import { testConfig } from '../testing/api-test-kit';

/** The web app from the API's origin: its files and the SPA fallback, never in the way of an API route. */
describe.each<HttpPlatform>(['fastify', 'express'])('the web app served by the API (%s)', (platform) => {
  let app: INestApplication;
  let directory: string;
  const script = `console.log(${JSON.stringify('x'.repeat(4000))});`;

  beforeAll(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'verity-web-'));
    mkdirSync(path.join(directory, 'assets'));
    writeFileSync(
      path.join(directory, 'index.html'),
      '<!doctype html><title>Verity</title><div id="root"></div>',
    );
    writeFileSync(path.join(directory, 'assets/index-abc123.js'), script);
    app = await createApi(testConfig(), { platform, webAppDirectory: directory });
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    rmSync(directory, { recursive: true, force: true });
  });
  const http = () => request(app.getHttpServer());

  it('answers / and every client route under /app with index.html, never cached', async () => {
    for (const url of ['/', '/app', '/app/appraisals/0c1d2e3f', '/app/inbox?tab=overdue']) {
      const response = await http().get(url).expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.text).toContain('<div id="root">');
    }
  });

  it('serves the hashed assets gzipped when asked, cached for good, and 404 for a missing one', async () => {
    // supertest unzips the body; the length header tells what went over the wire.
    const response = await http().get('/assets/index-abc123.js').set('accept-encoding', 'gzip').expect(200);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(Number(response.headers['content-length'])).toBe(gzipSync(script, { level: 9 }).length);
    expect(response.text).toBe(script);
    expect(response.headers['cache-control']).toContain('immutable');
    expect(response.headers['content-type']).toMatch(/javascript/);
    const plain = await http().get('/assets/index-abc123.js').set('accept-encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    await http().get('/assets/nothing-here.js').expect(404);
  });

  it('leaves the API its routes, its 404s, /docs and /openapi.json', async () => {
    const guarded = await http().get('/appraisals/0c1d2e3f').set('accept', 'text/html').expect(401);
    expect(guarded.body.code).toBe('unauthenticated');
    const unknown = await http().get('/no-such-route').set('accept', 'text/html').expect(404);
    expect(unknown.headers['content-type']).toMatch(/problem\+json/);
    expect((await http().get('/openapi.json').expect(200)).body.openapi).toBe('3.1.0');
    await http().get('/docs').expect(200);
    await http()
      .get('/health')
      .expect((response) => expect([200, 503]).toContain(response.status));
  });
});

describe('the API without a built web app', () => {
  it('serves no web route and starts all the same', async () => {
    const app = await createApi(testConfig(), { webAppDirectory: path.join(tmpdir(), 'verity-web-absent') });
    await app.init();
    try {
      const response = await request(app.getHttpServer()).get('/').expect(404);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
    } finally {
      await app.close();
    }
  });
});
