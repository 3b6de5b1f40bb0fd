import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadConfig, jose } from '@verity/platform';
import { workerDatabaseUrl, workerRedisUrl } from '../../../../test/support/environment';
import { createApi } from '../bootstrap';

describe('JWT verification with a JWKS URL (production mode)', () => {
  let jwks: Server;
  let app: INestApplication;
  let privateKey: Awaited<ReturnType<typeof jose.generateKeyPair>>['privateKey'];

  beforeAll(async () => {
    const pair = await jose.generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const publicJwk = { ...(await jose.exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwks = createServer((_, response) => {
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const port = (jwks.address() as AddressInfo).port;
    const config = loadConfig({
      DATABASE_URL: workerDatabaseUrl(),
      REDIS_URL: workerRedisUrl(),
      LOG_LEVEL: 'silent',
      JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    });
    app = await createApi(config);
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  const sign = (key: typeof privateKey | Uint8Array, alg: string) =>
    new jose.SignJWT({ tenant: 'jwks', role: 'admin' })
      .setProtectedHeader({ alg, kid: 'k1' })
      .setSubject('admin-1')
      .setExpirationTime('5m')
      .sign(key);

  it('accepts a token signed by a key of the set and refuses an HS256 token made with the local secret', async () => {
    const good = await sign(privateKey, 'ES256');
    expect(
      (await request(app.getHttpServer()).get('/api-keys').set('Authorization', `Bearer ${good}`)).status,
    ).toBe(200);
    const local = await sign(new TextEncoder().encode(loadConfig().JWT_SECRET), 'HS256');
    expect(
      (await request(app.getHttpServer()).get('/api-keys').set('Authorization', `Bearer ${local}`)).status,
    ).toBe(401);
    const other = await sign((await jose.generateKeyPair('ES256')).privateKey, 'ES256');
    expect(
      (await request(app.getHttpServer()).get('/api-keys').set('Authorization', `Bearer ${other}`)).status,
    ).toBe(401);
  });
});
