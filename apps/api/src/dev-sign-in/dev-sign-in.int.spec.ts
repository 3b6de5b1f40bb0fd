import request from 'supertest';
import { loadConfig } from '@verity/platform';
import { createApi } from '../bootstrap';
import { testConfig } from '../testing/api-test-kit';
import { tenantOnTestApi } from '../testing/tenant-fixture';
import { DevPeopleResponse, DevSignInResponse } from './dev-sign-in.response';

const TENANT = 'dev-sign-in';

describe('"sign in as" a person of the tenant (development)', () => {
  const t = tenantOnTestApi(TENANT);
  const http = () => request(t.app.getHttpServer());

  it('lists the people with their names and the roles each can take', async () => {
    const response = await http().get(`/dev/sign-in/people?tenant=${TENANT}`).expect(200);
    // The answer is the one the OpenAPI document describes (the web client's types come from it).
    expect(DevPeopleResponse.safeParse(response.body).error?.issues).toBeUndefined();
    const byId = new Map(
      (response.body.people as { employeeId: string; name: string; roles: string[] }[]).map((p) => [
        p.employeeId,
        p,
      ]),
    );
    expect(byId.get('e-mgr')).toMatchObject({ name: 'Mgr', roles: ['manager', 'employee'] });
    expect(byId.get('e-ann')?.roles).toEqual(['employee']);
    expect(response.body.otherRoles).toEqual(['auditor', 'integrator', 'admin']);
  });

  it('signs a token the API accepts, for that person and role', async () => {
    const signed = await http()
      .post('/dev/sign-in')
      .send({ tenant: TENANT, role: 'manager', employeeId: 'e-mgr' })
      .expect(200);
    expect(signed.body.expiresIn).toBe(8 * 3600);
    expect(DevSignInResponse.safeParse(signed.body).error?.issues).toBeUndefined();
    const directory = await http()
      .get('/directory')
      .set('Authorization', `Bearer ${signed.body.token}`)
      .expect(200);
    expect(directory.body.employees.map((e: { employeeId: string }) => e.employeeId)).toContain('e-ann');
    const hrOnly = await http().get('/inbox/sla').set('Authorization', `Bearer ${signed.body.token}`);
    expect(hrOnly.status).toBe(403);
    const asEmployee = await http()
      .post('/dev/sign-in')
      .send({ tenant: TENANT, role: 'employee', employeeId: 'e-ann' });
    await http().get('/directory').set('Authorization', `Bearer ${asEmployee.body.token}`).expect(403);
  });

  it("signs the integrator in with the scopes of the integrator's screen only", async () => {
    const signed = await http().post('/dev/sign-in').send({ tenant: TENANT, role: 'integrator' }).expect(200);
    const auth = { Authorization: `Bearer ${signed.body.token}` };
    await http().get('/webhooks/subscriptions').set(auth).expect(200);
    await http().get('/events?limit=1').set(auth).expect(200);
    // Filing actuals (like `pii` and directory writes) is not among them.
    const write = await http().post('/actuals/bulk').set(auth).send({ rows: [] });
    expect({ status: write.status, code: write.body.code }).toEqual({ status: 403, code: 'scope-missing' });
  });

  it('names the field and the rule of a bad request', async () => {
    const response = await http().post('/dev/sign-in').send({ tenant: TENANT, role: 'boss' }).expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ path: 'role' })]);
  });

  it('is refused when NODE_ENV=production', async () => {
    const production = await createApi(
      loadConfig({
        ...process.env,
        ...testConfigEnv(),
        NODE_ENV: 'production',
        JWT_SECRET: 'a-production-secret-of-enough-length-0123456789',
        // Production also needs its own audit signing key (a 32-byte seed).
        AUDIT_SIGNING_KEY: Buffer.alloc(32, 7).toString('base64'),
        // And its own master key for personal data.
        PII_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
      }),
    );
    await production.init();
    try {
      for (const call of [
        request(production.getHttpServer()).get(`/dev/sign-in/people?tenant=${TENANT}`),
        request(production.getHttpServer()).post('/dev/sign-in').send({ tenant: TENANT, role: 'hr' }),
      ]) {
        const response = await call.expect(403);
        expect(response.body.code).toBe('dev-sign-in-disabled');
      }
    } finally {
      await production.close();
    }
  });
});

/** The test database and Redis of this jest worker, as environment variables. */
function testConfigEnv(): Record<string, string> {
  const config = testConfig();
  return { DATABASE_URL: config.DATABASE_URL, REDIS_URL: config.REDIS_URL, LOG_LEVEL: 'silent' };
}
