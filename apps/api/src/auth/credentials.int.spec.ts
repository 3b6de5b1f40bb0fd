import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { type Config, jose } from '@verity/platform';
import { createApi } from '../bootstrap';
import { ApiKeyListResponse, CreatedApiKeyResponse } from './api-keys.response';
import { bearer, startTestApi, testConfig, tokenFor } from '../testing/api-test-kit';
import { openEventStream } from '../testing/event-stream';
import { StreamEndData } from '../integrations/feed/events-feed.response';

const TENANT = 'cred-a';

/** A token signed like `npm run token`, with the `iat` and `exp` given (seconds since the epoch). */
const signed = (config: Config, claims: { iat: number; exp: number }) =>
  new jose.SignJWT({ tenant: TENANT, role: 'admin' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('admin-timing')
    .setIssuer(config.JWT_ISSUER)
    .setAudience(config.JWT_AUDIENCE)
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .sign(new TextEncoder().encode(config.JWT_SECRET));

interface SseOutcome {
  status: number;
  /** True when the server ended the response (not our give-up timer). */
  endedByServer: boolean;
  endedAt: number;
  text: string;
}

/** Opens `/events/stream` and reads until the server ends it (or 60 s pass, then gives up). */
function openStream(
  server: http.Server,
  headers: Record<string, string>,
  /** Called with the status, then with all the text received so far on every chunk. */
  onProgress?: (status: number, text: string) => void,
): Promise<SseOutcome> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    let text = '';
    const giveUp = setTimeout(() => {
      req.destroy();
      resolve({ status: -1, endedByServer: false, endedAt: Date.now(), text });
    }, 60_000);
    const req = openEventStream(port, headers, (res) => {
      onProgress?.(res.statusCode ?? 0, text);
      res.on('data', (chunk: string) => {
        text += chunk;
        onProgress?.(res.statusCode ?? 0, text);
      });
      res.on('end', () => {
        clearTimeout(giveUp);
        resolve({ status: res.statusCode ?? 0, endedByServer: true, endedAt: Date.now(), text });
      });
    });
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
  });
}

describe('credentials: lifetime, failed attempts per address, Idempotency-Key per caller, SSE end, webhook targets', () => {
  let app: INestApplication;
  let config: Config;
  let admin: Record<string, string>;

  beforeAll(async () => {
    // 127.0.0.1 allow-listed so the test delivery can be pointed at a closed local port.
    config = { ...testConfig(), WEBHOOK_ALLOWLIST: ['127.0.0.1'] };
    app = await createApi(config);
    await app.init();
    const server = app.getHttpServer() as http.Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    admin = bearer(await tokenFor(config, { role: 'admin', tenant: TENANT, sub: 'admin-a' }));
    await request(server).post('/directory/tenant').set(admin).send({ name: 'Credentials' }).expect(201);
  });
  afterAll(() => app.close());

  const api = () => request(app.getHttpServer());

  it('refuses a token whose exp is decades away or whose iat is in the future; the demo tokens (8 h) pass', async () => {
    const now = Math.floor(Date.now() / 1000);
    const decades = await signed(config, { iat: now, exp: now + 30 * 365 * 24 * 3600 });
    const future = await signed(config, { iat: now + 3600, exp: now + 7200 });
    const longAgo = await signed(config, { iat: now - 10 * 24 * 3600, exp: now + 3600 });
    for (const token of [decades, future, longAgo]) {
      const response = await api().get('/api-keys').set(bearer(token));
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('unauthenticated');
    }
    const demo = await tokenFor(config, { role: 'admin', tenant: TENANT, sub: 'demo', expiresIn: '8h' });
    await api().get('/api-keys').set(bearer(demo)).expect(200);
  });

  it('scopes an Idempotency-Key to the caller: another admin of the tenant sending it gets a response of their own, never the first secret', async () => {
    const other = bearer(await tokenFor(config, { role: 'admin', tenant: TENANT, sub: 'admin-b' }));
    const body = { name: 'payroll export', scopes: ['events:read'] };
    const first = await api().post('/api-keys').set(admin).set('Idempotency-Key', 'shared-key').send(body);
    expect(first.status).toBe(201);
    // Both answers are the ones the OpenAPI document describes (the web client's types come from it).
    expect(CreatedApiKeyResponse.safeParse(first.body).error?.issues).toBeUndefined();
    const listed = await api().get('/api-keys').set(admin).expect(200);
    expect(ApiKeyListResponse.safeParse(listed.body).error?.issues).toBeUndefined();
    const theirs = await api().post('/api-keys').set(other).set('Idempotency-Key', 'shared-key').send(body);
    expect(theirs.status).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.keyId).not.toBe(first.body.keyId);
    expect(theirs.body.key).not.toBe(first.body.key);
    // A caller the route refuses is refused before any replay.
    const hr = bearer(await tokenFor(config, { role: 'hr', tenant: TENANT, sub: 'admin-a' }));
    expect(
      (await api().post('/api-keys').set(hr).set('Idempotency-Key', 'shared-key').send(body)).status,
    ).toBe(403);
    // The caller's own retry is still the first response.
    const again = await api().post('/api-keys').set(admin).set('Idempotency-Key', 'shared-key').send(body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('refuses IPv4-compatible IPv6 addresses of private ranges and stores the URL as it was checked', async () => {
    const integrator = bearer(
      await tokenFor(config, { role: 'integrator', tenant: TENANT, scope: 'webhooks:manage' }),
    );
    for (const url of ['https://[::10.0.0.1]/', 'https://[::a9fe:a9fe]/', 'https://[::ffff:a9fe:a9fe]/']) {
      const response = await api().post('/webhooks/subscriptions').set(integrator).send({ url });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: 'url-address-not-public',
        errors: [expect.objectContaining({ path: 'url' })],
      });
    }
    const created = await api()
      .post('/webhooks/subscriptions')
      .set(integrator)
      .send({ url: 'HTTPS://93.184.216.34:443/a/../hooks' })
      .expect(201);
    expect(created.body.url).toBe('https://93.184.216.34/hooks');
    const read = await api().get(`/webhooks/subscriptions/${created.body.subscriptionId}`).set(integrator);
    expect(read.body.url).toBe('https://93.184.216.34/hooks');
  });

  it('says of a test delivery only whether it was delivered, not why not (no port scanning)', async () => {
    const integrator = bearer(
      await tokenFor(config, { role: 'integrator', tenant: TENANT, scope: 'webhooks:manage' }),
    );
    // A port nobody listens on: taken from a server that is closed again.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const created = await api()
      .post('/webhooks/subscriptions')
      .set(integrator)
      .send({ url: `http://127.0.0.1:${port}/hooks` })
      .expect(201);
    const test = await api()
      .post(`/webhooks/subscriptions/${created.body.subscriptionId}/test`)
      .set(integrator)
      .send({})
      .expect(200);
    expect(test.body).toEqual({ webhookId: expect.any(String), delivered: false });
  });

  it('ends an event stream opened with an API key once the key is revoked', async () => {
    const key = await api()
      .post('/api-keys')
      .set(admin)
      .send({ name: 'stream', scopes: ['events:read'] });
    expect(key.status).toBe(201);
    // Revoked once the stream has delivered the tenant's first event (or answered anything but 200).
    let caughtUp!: (status: number) => void;
    const delivered = new Promise<number>((resolve) => (caughtUp = resolve));
    const stream = openStream(app.getHttpServer(), { 'X-Api-Key': key.body.key }, (status, text) => {
      if (status !== 200 || text.includes('TenantCreated')) caughtUp(status);
    });
    expect(await delivered).toBe(200);
    await api().delete(`/api-keys/${key.body.keyId}`).set(admin).expect(204);
    const outcome = await stream;
    expect(outcome).toMatchObject({ status: 200, endedByServer: true });
    expect(outcome.text).toContain('event: end\ndata: {"reason":"credential-revoked"}');
    // Nothing after the end.
    expect(outcome.text.trimEnd().endsWith('{"reason":"credential-revoked"}')).toBe(true);
    // The end's data is what OpenAPI describes for the stream's last message.
    const end = JSON.parse(outcome.text.trimEnd().split('\n').at(-1)!.slice('data: '.length));
    expect(StreamEndData.safeParse(end).error?.issues).toBeUndefined();
  });

  it('ends an event stream at the expiry of its token', async () => {
    // A short-lived token; if this machine is too slow to open the stream before it expires, a longer one.
    for (const seconds of [3, 6, 12, 24]) {
      const exp = Math.floor(Date.now() / 1000) + seconds;
      const token = await new jose.SignJWT({ tenant: TENANT, role: 'integrator', scope: 'events:read' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('streamer')
        .setIssuer(config.JWT_ISSUER)
        .setAudience(config.JWT_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(config.JWT_SECRET));
      const outcome = await openStream(app.getHttpServer(), bearer(token));
      if (outcome.status === 401) continue;
      expect(outcome).toMatchObject({ status: 200, endedByServer: true });
      expect(outcome.text).toContain('TenantCreated');
      expect(outcome.text).toContain('event: end\ndata: {"reason":"credential-expired"}');
      expect(outcome.endedAt).toBeGreaterThanOrEqual(exp * 1000);
      return;
    }
    throw new Error('the stream never opened before its token expired');
  });
});

describe('failed authentication per client address', () => {
  let app: INestApplication;

  beforeAll(async () => ({ app } = await startTestApi()));
  afterAll(() => app.close());

  it('answers 429 to an address that keeps presenting wrong credentials, each one different, and then to any credential it sends', async () => {
    const { config } = { config: testConfig() };
    let first429 = -1;
    for (let attempt = 0; attempt < 1500 && first429 < 0; attempt++) {
      const wrongKey = `vk_${attempt.toString(16).padStart(12, '0')}_not-the-secret-${attempt}`;
      const response = await request(app.getHttpServer()).get('/api-keys').set('X-Api-Key', wrongKey);
      if (response.status === 429) {
        first429 = attempt;
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body).toMatchObject({ status: 429, code: 'rate-limited' });
        expect(response.headers['retry-after']).toBeDefined();
      } else {
        expect(response.status).toBe(401);
      }
    }
    expect(first429).toBe(config.AUTH_FAILURES_PER_MINUTE);
    // Blocked before the credential is looked at: a right one does not get through either.
    const valid = bearer(await tokenFor(config, { role: 'admin', tenant: 'cred-limit', sub: 'admin' }));
    expect((await request(app.getHttpServer()).get('/api-keys').set(valid)).status).toBe(429);
  });
});
