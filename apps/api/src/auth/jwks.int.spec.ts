import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadConfig, jose } from '@verity/platform';
import { workerDatabaseUrl, workerRedisUrl } from '../../../../test/support/environment';
import { createApi } from '../bootstrap';
import { TOKEN_RECHECK_MS } from './token-verifier';

const ISSUER = 'https://idp.example';
const AUDIENCE = 'https://verity.example/';

describe('JWT verification with a JWKS URL (production mode)', () => {
  let jwks: Server;
  let app: INestApplication;
  let privateKey: Awaited<ReturnType<typeof jose.generateKeyPair>>['privateKey'];
  /** The keys the issuer publishes now (a test rotates them). */
  let published: object[];

  beforeAll(async () => {
    const pair = await jose.generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const publicJwk = { ...(await jose.exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    published = [publicJwk];
    jwks = createServer((_, response) => {
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const port = (jwks.address() as AddressInfo).port;
    const config = loadConfig({
      DATABASE_URL: workerDatabaseUrl(),
      REDIS_URL: workerRedisUrl(),
      LOG_LEVEL: 'silent',
      JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      // jose keeps its own clock (it is loaded outside jest's module registry): a set kept no time
      // at all is fetched again at each check, so the test waits for nothing in real time.
      JWKS_CACHE_MAX_AGE_SECONDS: '0',
    });
    app = await createApi(config);
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  const sign = (
    key: typeof privateKey | Uint8Array,
    alg: string,
    lifetime = '5m',
    { issuer, audience }: { issuer?: string; audience?: string } = { issuer: ISSUER, audience: AUDIENCE },
  ) => {
    const token = new jose.SignJWT({ tenant: 'jwks', role: 'admin' })
      .setProtectedHeader({ alg, kid: 'k1' })
      .setSubject('admin-1')
      .setExpirationTime(lifetime);
    if (issuer) token.setIssuer(issuer);
    if (audience) token.setAudience(audience);
    return token.sign(key);
  };

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

  it('refuses a token of the same keys issued by another issuer, for another audience, or naming neither (ADR 0175)', async () => {
    const status = async (token: string) =>
      (await request(app.getHttpServer()).get('/api-keys').set('Authorization', `Bearer ${token}`)).status;
    expect(await status(await sign(privateKey, 'ES256', '5m', { issuer: ISSUER, audience: AUDIENCE }))).toBe(
      200,
    );
    expect(
      await status(
        await sign(privateKey, 'ES256', '5m', { issuer: 'https://other.example', audience: AUDIENCE }),
      ),
    ).toBe(401);
    expect(
      await status(
        await sign(privateKey, 'ES256', '5m', { issuer: ISSUER, audience: 'another-application' }),
      ),
    ).toBe(401);
    expect(await status(await sign(privateKey, 'ES256', '5m', { audience: AUDIENCE }))).toBe(401);
    expect(await status(await sign(privateKey, 'ES256', '5m', { issuer: ISSUER }))).toBe(401);
  });

  it('refuses to start without JWT_ISSUER or JWT_AUDIENCE, naming the variable', () => {
    const jwksMode = { JWKS_URL: 'https://idp.example/jwks' };
    expect(() => loadConfig({ ...jwksMode, JWT_AUDIENCE: AUDIENCE })).toThrow(
      'Invalid configuration: JWT_ISSUER must be set when JWKS_URL is set',
    );
    expect(() => loadConfig({ ...jwksMode, JWT_ISSUER: ISSUER })).toThrow(
      'Invalid configuration: JWT_AUDIENCE must be set when JWKS_URL is set',
    );
  });

  it('a token verified once is refused once its key has left the set: within the set’s cache age and a minute (ADR 0168)', async () => {
    const token = await sign(privateKey, 'ES256', '1h');
    const status = async () =>
      (await request(app.getHttpServer()).get('/api-keys').set('Authorization', `Bearer ${token}`)).status;
    expect(await status()).toBe(200);
    // The issuer rotates: the key that signed the token is no longer published.
    const rotated = await jose.generateKeyPair('ES256');
    published = [{ ...(await jose.exportJWK(rotated.publicKey)), kid: 'k2', alg: 'ES256', use: 'sig' }];
    const start = Date.now();
    // Only the clock is moved; timers, sockets and ticks stay real.
    jest.useFakeTimers({
      now: start,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    try {
      jest.setSystemTime(start + TOKEN_RECHECK_MS / 2);
      expect(await status()).toBe(200); // taken on trust within the recheck interval
      jest.setSystemTime(start + TOKEN_RECHECK_MS + 1000);
      expect(await status()).toBe(401);
    } finally {
      jest.useRealTimers();
    }
  });
});
