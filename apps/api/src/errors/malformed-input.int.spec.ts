import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { Config } from '@verity/platform';
import { bearer, startTestApi, tokenFor } from '../testing/api-test-kit';
import { setUpTenant, type TenantFixture } from '../testing/tenant-fixture';

/** Writes `text` on a socket of its own and returns the whole answer (status line, headers, body). */
async function rawExchange(
  server: Server,
  text: string,
): Promise<{ status: number; head: string; body: string }> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const answer = await new Promise<string>((resolve) => {
    let received = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('close', () => resolve(received));
    socket.on('error', () => undefined);
  });
  const [head, ...rest] = answer.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), head, body: rest.join('\r\n\r\n') };
}

const problemOf = (response: { status: number; headers: Record<string, string>; body: unknown }) => ({
  status: response.status,
  type: response.headers['content-type'],
  body: response.body,
});

/**
 * Input that used to end in a 500 or be taken silently (issue "Hardening", medium and low): each a
 * 4xx problem+json naming the parameter and the rule, on both HTTP adapters.
 */
describe.each(['fastify', 'express'] as const)('malformed input on %s', (platform) => {
  let app: INestApplication;
  let config: Config;
  let tenant: TenantFixture;
  let admin: Record<string, string>;
  let integrator: Record<string, string>;
  let appraisalId: string;

  beforeAll(async () => {
    ({ app, config } = await startTestApi(platform));
    tenant = await setUpTenant(app, config, `malformed-${platform}`);
    appraisalId = await tenant.appraisalOf('e-ann');
    admin = tenant.headers.admin;
    integrator = bearer(
      await tokenFor(config, {
        role: 'integrator',
        tenant: `malformed-${platform}`,
        scope: 'events:read webhooks:manage',
      }),
    );
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());
  const expectProblem = (
    response: request.Response,
    status: number,
    path: string,
    rule?: string | RegExp,
  ) => {
    expect(problemOf(response)).toMatchObject({
      status,
      type: expect.stringMatching(/^application\/problem\+json/),
      body: { status, errors: expect.arrayContaining([expect.objectContaining({ path })]) },
    });
    if (rule) {
      const issue = response.body.errors.find((error: { path: string }) => error.path === path);
      expect(issue.rule).toEqual(rule instanceof RegExp ? expect.stringMatching(rule) : rule);
    }
  };

  it('answers a JSON body nested 10,000 deep with 400 naming the body, with and without Idempotency-Key', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const bare = await http().post('/api-keys').set(admin).set('Content-Type', 'application/json').send(deep);
    expectProblem(bare, 400, '(body)', 'too_deep');
    const keyed = await http()
      .post('/api-keys')
      .set(admin)
      .set('Idempotency-Key', `deep-${platform}`)
      .set('Content-Type', 'application/json')
      .send(`{"name":${deep},"scopes":[]}`);
    expectProblem(keyed, 400, '(body)', 'too_deep');
    // Ordinary nesting is untouched.
    expect((await http().post('/api-keys').set(admin).send({ name: 'shallow', scopes: [] })).status).toBe(
      201,
    );
  });

  it('answers %00 in the query and path parameters of every reported route with 400 naming the parameter', async () => {
    const hr = tenant.headers.hr;
    expectProblem(await http().get('/audit?type=%00').set(hr), 400, 'type', 'nul_character');
    expectProblem(await http().get('/audit?actorId=a%00b').set(hr), 400, 'actorId', 'nul_character');
    expectProblem(await http().get('/audit/export?type=%00').set(hr), 400, 'type', 'nul_character');
    expectProblem(await http().get('/scores?cycleId=%00').set(hr), 400, 'cycleId', 'nul_character');
    expectProblem(await http().get('/inbox/sla?groupBy=%00').set(hr), 400, 'groupBy');
    expectProblem(await http().get('/scores/appraisals/%00').set(hr), 400, 'appraisalId', 'nul_character');
    expectProblem(await http().delete('/api-keys/%00').set(admin), 400, 'keyId', 'nul_character');
  });

  it('answers a feed position that is not one (NaN, -1, 1.5, a date, 23 digits) with 400 naming `after`', async () => {
    for (const after of ['NaN', '-1', '1.5', '2026-01-01T00:00:00Z', '9'.repeat(23), '../..', '007']) {
      const response = await http()
        .get(`/events?after=${encodeURIComponent(after)}`)
        .set(integrator);
      expectProblem(response, 400, 'after');
    }
    const stream = await http()
      .get(`/events/stream?after=${'9'.repeat(23)}`)
      .set(integrator)
      .set('Accept', 'text/event-stream');
    expectProblem(stream, 400, 'after', 'invalid_position');
    const resumed = await http()
      .get('/events/stream')
      .set(integrator)
      .set('Accept', 'text/event-stream')
      .set('Last-Event-ID', '9'.repeat(23));
    expectProblem(resumed, 400, 'Last-Event-ID', 'invalid_position');
    // A position the store handed out still works.
    const page = await http().get('/events?limit=1').set(integrator).expect(200);
    await http().get(`/events?after=${page.body.next}`).set(integrator).expect(200);
  });

  it('answers a webhook replay from `../..` with 400 naming `after`', async () => {
    const created = await http()
      .post('/webhooks/subscriptions')
      .set(integrator)
      .send({ url: 'https://93.184.216.34/verity' });
    expect(created.status).toBe(201);
    const replay = await http()
      .post(`/webhooks/subscriptions/${created.body.subscriptionId}/replay`)
      .set(integrator)
      .send({ after: '../..' });
    expectProblem(replay, 400, 'after');
    const outOfRange = await http()
      .post(`/webhooks/subscriptions/${created.body.subscriptionId}/replay`)
      .set(integrator)
      .send({ after: '9'.repeat(23) });
    expectProblem(outOfRange, 400, 'after', 'invalid_position');
  });

  it('refuses a date that does not exist (2026-02-30) instead of rolling it over', async () => {
    const hr = tenant.headers.hr;
    expectProblem(await http().get('/audit?from=2026-02-30').set(hr), 400, 'from');
    expectProblem(await http().get('/audit/export?to=2026-13-01').set(hr), 400, 'to');
    await http().get('/audit?from=2026-02-28').set(hr).expect(200);
    await http().get('/audit?from=2026-02-28T10:00:00%2B08:00').set(hr).expect(200);
  });

  it('refuses a lone surrogate in text input (it would be stored as U+FFFD)', async () => {
    const response = await http()
      .post('/api-keys')
      .set(admin)
      .set('Content-Type', 'application/json')
      .send('{"name":"payroll \\ud800 export","scopes":[]}');
    expectProblem(response, 400, 'name', 'lone_surrogate');
    const listed = await http().get('/api-keys').set(admin).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain('\ufffd');
    // A surrogate pair is a character like any other.
    await http()
      .post('/api-keys')
      .set(admin)
      .set('Content-Type', 'application/json')
      .send('{"name":"payroll \\ud83d\\ude00","scopes":[]}')
      .expect(201);
  });

  it('never turns badly encoded query text into U+FFFD (the route sees what the client sent)', async () => {
    const response = await http().get('/events?types=%ED%A0%80').set(integrator);
    expectProblem(response, 400, 'types');
    expect(JSON.stringify(response.body)).not.toContain('\\ufffd');
    expect(JSON.stringify(response.body)).not.toContain('\ufffd');
    expect(response.body.errors[0].message).toContain('%ED%A0%80');
  });

  it('refuses an annotation on a period the cycle does not have, and an unbounded one', async () => {
    const response = await http()
      .post(`/appraisals/${appraisalId}/annotations`)
      .set(tenant.headers.mgr)
      .send({ on: { periodId: '2099-99' }, text: 'about a month that is not there' });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body.code).toBe('period-not-found');
    const unbounded = await http()
      .post(`/appraisals/${appraisalId}/annotations`)
      .set(tenant.headers.mgr)
      .send({ on: { periodId: 'x'.repeat(10_000) }, text: 'long' });
    expectProblem(unbounded, 400, 'on.periodId', 'too_big');
  });

  it('answers framework errors as problem+json: bad URL encoding, a path parameter over 500 characters, oversized headers, a body over the limit', async () => {
    const hr = tenant.headers.hr;
    const badEncoding = await http().get('/scores/appraisals/%ED%A0%80').set(hr);
    expect(problemOf(badEncoding)).toMatchObject({
      status: 400,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    const long = await http()
      .get(`/scores/appraisals/${'x'.repeat(501)}`)
      .set(hr);
    expect(problemOf(long)).toMatchObject({
      status: 414,
      type: expect.stringMatching(/^application\/problem\+json/),
      body: { status: 414, code: 'uri-too-long' },
    });
    const headers = await rawExchange(
      app.getHttpServer(),
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
    );
    expect(headers.status).toBe(431);
    expect(headers.head).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(headers.body)).toMatchObject({ status: 431, code: 'headers-too-large' });
    const huge = await http()
      .post('/directory/import')
      .set(hr)
      .set('Content-Type', 'text/csv')
      .send('x'.repeat(1024 * 1024 + 10));
    expect(problemOf(huge)).toMatchObject({
      status: 413,
      type: expect.stringMatching(/^application\/problem\+json/),
      body: { code: 'body-too-large' },
    });
  });

  it('says on every 401 which credentials it takes (WWW-Authenticate)', async () => {
    for (const headers of [
      {},
      { Authorization: 'Bearer nope' },
      { 'X-Api-Key': 'vk_000000000000_nope-nope-nope-nope' },
    ]) {
      const response = await http().get('/api-keys').set(headers);
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="verity"/);
      expect(response.headers['www-authenticate']).toContain('ApiKey');
    }
  });
});
