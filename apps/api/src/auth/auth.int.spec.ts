import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { jose, PG_POOL, type Config } from '@verity/platform';
import type { Pool } from 'pg';
import { IdempotencyRepository } from '../idempotency/idempotency.repository';
import { bearer, startTestApi, tokenFor } from '../testing/api-test-kit';

describe.each(['express', 'fastify'] as const)(
  'authentication, roles, errors, idempotency on %s (through /api-keys)',
  (platform) => {
    let app: INestApplication;
    let config: Config;
    let admin: string;
    let auditor: string;

    beforeAll(async () => {
      // A limit counted over a minute, so that reaching it does not depend on how fast this machine is.
      ({ app, config } = await startTestApi(platform, {
        RATE_LIMIT_REQUESTS: '100',
        RATE_LIMIT_WINDOW_MS: '60000',
      }));
      admin = await tokenFor(config, { role: 'admin', tenant: `auth-a-${platform}`, sub: 'admin-a' });
      auditor = await tokenFor(config, { role: 'auditor', tenant: `auth-a-${platform}`, sub: 'auditor-a' });
    });
    afterAll(() => app.close());

    const http = () => request(app.getHttpServer());
    /** POST /api-keys as tenant A's admin, with `headers` besides; the caller sends the body. */
    const postAsAdmin = (headers: Record<string, string> = {}) =>
      http().post('/api-keys').set(bearer(admin)).set(headers);

    it('refuses a missing, malformed, expired or wrongly signed credential with 401 problem+json', async () => {
      const expired = await tokenFor(config, {
        role: 'admin',
        tenant: `auth-a-${platform}`,
        expiresIn: '-1m',
      });
      const forged = await new jose.SignJWT({ tenant: `auth-a-${platform}`, role: 'admin' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('x')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('another-secret-another-secret-another!'));
      const noTenant = await new jose.SignJWT({ role: 'admin' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('x')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(config.JWT_SECRET));
      for (const headers of [
        {},
        { Authorization: 'Bearer not-a-jwt' },
        bearer(expired),
        bearer(forged),
        bearer(noTenant),
        { Authorization: 'Basic dXNlcjpwYXNz' },
        { 'X-Api-Key': 'vk_000000000000_nope-nope-nope-nope' },
      ]) {
        const response = await http().get('/api-keys').set(headers);
        expect(response.status).toBe(401);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body).toMatchObject({ status: 401, code: 'unauthenticated', title: 'Unauthorized' });
      }
    });

    it('accepts only a token issued by JWT_ISSUER for JWT_AUDIENCE (verity by default, ADR 0175)', async () => {
      expect([config.JWT_ISSUER, config.JWT_AUDIENCE]).toEqual(['verity', 'verity']);
      const signed = (issuer?: string, audience?: string) => {
        const token = new jose.SignJWT({ tenant: `auth-a-${platform}`, role: 'admin' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('admin-a')
          .setExpirationTime('1h');
        if (issuer) token.setIssuer(issuer);
        if (audience) token.setAudience(audience);
        return token.sign(new TextEncoder().encode(config.JWT_SECRET));
      };
      const status = async (token: string) => (await http().get('/api-keys').set(bearer(token))).status;
      expect(await status(await signed('verity', 'verity'))).toBe(200);
      expect(await status(await signed('another-issuer', 'verity'))).toBe(401);
      expect(await status(await signed('verity', 'another-application'))).toBe(401);
      expect(await status(await signed(undefined, 'verity'))).toBe(401);
      expect(await status(await signed('verity', undefined))).toBe(401);
    });

    it('refuses a wrong role with 403, and an auditor may read but never write', async () => {
      const hr = await tokenFor(config, { role: 'hr', tenant: `auth-a-${platform}` });
      const denied = await http().get('/api-keys').set(bearer(hr));
      expect(denied.status).toBe(403);
      expect(denied.body.code).toBe('role-not-allowed');

      expect((await http().get('/api-keys').set(bearer(auditor))).status).toBe(200);
      const write = await http().post('/api-keys').set(bearer(auditor)).send({ name: 'x', scopes: [] });
      expect(write.status).toBe(403);
      expect(write.body.code).toBe('read-only-role');
    });

    it('answers an invalid body with 400 and the zod path of each problem', async () => {
      const response = await postAsAdmin().send({ name: '', scopes: ['events:read', 'root'], extra: 1 });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('invalid-request');
      const paths = response.body.errors.map((error: { path: string }) => error.path).sort();
      expect(paths).toEqual(['(body)', 'name', 'scopes.1']);
      for (const error of response.body.errors) expect(error.rule).toEqual(expect.any(String));
    });

    it('answers malformed JSON with 400 and a body over 1 MiB with 413', async () => {
      const malformed = await postAsAdmin({ 'Content-Type': 'application/json' }).send('{"name": "x", ');
      expect(malformed.status).toBe(400);
      expect(malformed.body.code).toBe('malformed-body');

      const huge = await postAsAdmin({ 'Content-Type': 'application/json' }).send(
        JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10), scopes: [] }),
      );
      expect(huge.status).toBe(413);
      expect(huge.body.code).toBe('body-too-large');
    });

    it('issues a scoped API key that authenticates as an integrator of its tenant; revoked keys fail', async () => {
      const created = await postAsAdmin().send({ name: 'payroll', scopes: ['events:read'] });
      expect(created.status).toBe(201);
      expect(created.body.key).toMatch(/^vk_[0-9a-f]{12}_/);

      const listed = await http().get('/api-keys').set(bearer(admin));
      // The secret is everything after `vk_<keyId>_` (base64url: it may itself hold `_`).
      expect(JSON.stringify(listed.body)).not.toContain(created.body.key.slice('vk_000000000000_'.length));
      // The key authenticates (role integrator), but managing keys is admin-only.
      const asKey = await http().get('/api-keys').set('X-Api-Key', created.body.key);
      expect(asKey.status).toBe(403);
      const asScheme = await http().get('/api-keys').set('Authorization', `ApiKey ${created.body.key}`);
      expect(asScheme.status).toBe(403);

      // Tenant B cannot see or revoke tenant A's key.
      const adminB = await tokenFor(config, { role: 'admin', tenant: `auth-b-${platform}` });
      expect((await http().get('/api-keys').set(bearer(adminB))).body.items).toEqual([]);
      expect((await http().delete(`/api-keys/${created.body.keyId}`).set(bearer(adminB))).status).toBe(404);

      expect((await http().delete(`/api-keys/${created.body.keyId}`).set(bearer(admin))).status).toBe(204);
      expect((await http().get('/api-keys').set('X-Api-Key', created.body.key)).status).toBe(401);
    });

    it('replays the first response for a repeated Idempotency-Key and refuses it with another body (422)', async () => {
      const key = `idem-${Date.now()}`;
      const body = { name: 'bi export', scopes: ['events:read'] };
      const first = await postAsAdmin({ 'Idempotency-Key': key }).send(body);
      const again = await postAsAdmin({ 'Idempotency-Key': key }).send(body);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');

      const other = await postAsAdmin({ 'Idempotency-Key': key }).send({ ...body, name: 'other' });
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('idempotency-key-reused');

      // Concurrent duplicates: exactly one key is created.
      const concurrentKey = `${key}-parallel`;
      const responses = await Promise.all(
        Array.from({ length: 8 }, () =>
          postAsAdmin({ 'Idempotency-Key': concurrentKey }).send({ name: 'p', scopes: [] }),
        ),
      );
      expect(new Set(responses.map((response) => response.body.keyId)).size).toBe(1);
      expect(responses.every((response) => response.status === 201)).toBe(true);
    });

    it('prunes idempotency records past retention and keeps recent ones', async () => {
      const repository = app.get(IdempotencyRepository);
      const pool = app.get<Pool>(PG_POOL);
      const tenant = `prune-${platform}`;
      await pool.query(
        `INSERT INTO idempotency_keys (tenant_id, principal, idempotency_key, request_hash, method, path, created_at)
         VALUES ($1, 'jwt:a', 'old', 'h', 'POST', '/x', now() - interval '25 hours'),
                ($1, 'jwt:a', 'new', 'h', 'POST', '/x', now())`,
        [tenant],
      );
      expect(await repository.prune()).toBeGreaterThanOrEqual(1);
      const { rows } = await pool.query('SELECT idempotency_key FROM idempotency_keys WHERE tenant_id = $1', [
        tenant,
      ]);
      expect(rows.map((row) => row.idempotency_key)).toEqual(['new']);
    });

    it('rate-limits one credential with 429 problem+json', async () => {
      const busy = await tokenFor(config, { role: 'admin', tenant: `auth-c-${platform}`, sub: 'busy' });
      const responses = await Promise.all(
        Array.from({ length: 130 }, () => http().get('/api-keys').set(bearer(busy))),
      );
      const limited = responses.filter((response) => response.status === 429);
      expect(limited.length).toBe(30);
      expect(limited[0].body).toMatchObject({ status: 429, code: 'rate-limited' });
      expect(limited[0].headers['retry-after']).toBeDefined();
    }, 180_000);

    it('serves OpenAPI 3.1 with the zod-derived body schema and an example', async () => {
      const response = await http().get('/openapi.json');
      expect(response.status).toBe(200);
      expect(response.body.openapi).toBe('3.1.0');
      const body = response.body.paths['/api-keys'].post.requestBody.content['application/json'].schema;
      expect(body.properties.name).toMatchObject({ type: 'string', maxLength: 100 });
      expect(body.example).toEqual({ name: 'payroll export', scopes: ['events:read'] });
      expect((await http().get('/docs')).status).toBe(200);
    });
  },
);
