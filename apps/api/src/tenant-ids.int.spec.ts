import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { Pool } from 'pg';
import { sales4232Workflow } from '@verity/domain';
import { PostgresEventStore, streamName, type EventStore } from '@verity/event-store';
import { createPool, type Config } from '@verity/platform';
import { workerDatabaseUrl } from '../../../test/support/environment';
import { bearer, startTestApi, tokenFor } from './testing/api-test-kit';
import { fillPath, routeTable, type RouteInfo } from './testing/route-table';
import { setUpTenant, type TenantFixture } from './testing/tenant-fixture';

/**
 * Stream names are `<category>-<tenant>.<id>` and ids may hold dots: tenant X's appraisal
 * `dot.<id>` is stream `appraisal-X.dot.<id>`, the name a tenant `X.dot` would give its appraisal
 * `<id>`. Swept over every read route (docs/adr/0070-tenant-ids-and-tenant-checked-reads.md).
 */
describe('tenant ids and colliding stream names', () => {
  let app: INestApplication;
  let config: Config;
  let x: TenantFixture;
  let pool: Pool;
  let store: EventStore;
  let reads: RouteInfo[];
  const suffix = randomUUID().slice(0, 8);
  const X = `tx${suffix}`;
  const uuid = randomUUID();
  /** The ids a caller of the colliding tenant asks for: each names a stream of X. */
  const colliding = {
    appraisalId: uuid,
    workflowId: 'sales-4232',
    templateId: 'card',
    cycleId: 'c2025',
    orgUnitId: 'sales',
    employeeId: 'e-ann',
    version: '1',
    keyId: '000000000000',
    periodId: '2025-01',
  };
  const urlOf = (route: RouteInfo) => {
    const query = route.path.includes('what-if')
      ? '?periodId=2025-01&workflowVersion=1'
      : route.path.endsWith('as-of')
        ? `?at=${encodeURIComponent(new Date().toISOString())}`
        : '';
    return fillPath(route.path, colliding) + query;
  };
  const get = (path: string, headers: Record<string, string>) =>
    request(app.getHttpServer()).get(path).set(headers);
  /** What only X's data holds: its appraisal id, its workflow's and cycle's names. */
  const leaksOfX = (body: unknown) =>
    [`dot.${uuid}`, X, 'Sales 2025 of X'].filter((marker) => JSON.stringify(body ?? '').includes(marker));

  beforeAll(async () => {
    ({ app, config } = await startTestApi());
    pool = createPool(workerDatabaseUrl(), 2, 'tenant-ids-spec');
    store = new PostgresEventStore(pool);
    x = await setUpTenant(app, config, X);
    // X's own resources whose ids start with `dot.` (ids may hold dots; tenant ids may not).
    const workflow = { definition: sales4232Workflow };
    await x.postOk('owner', '/workflows/dot.sales-4232/versions', workflow, 'workflow dot.sales-4232');
    const template = { definition: sales4232Workflow.scorecard };
    await x.postOk('owner', '/scorecard-templates/dot.card/versions', template, 'template dot.card');
    await x.openCycle({ cycleId: 'dot.c2025', name: 'Sales 2025 of X', year: 2025 });
    const opened = x.cycle.opened;
    const ann = opened.appraisals.find(
      (entry: { subject: { employeeId?: string } }) => entry.subject.employeeId === 'e-ann',
    );
    await x.postOk(
      'hr',
      '/appraisals',
      {
        appraisalId: `dot.${uuid}`,
        cycleId: opened.cycleId,
        subject: ann.subject,
        workflowId: opened.workflowId,
        workflowVersion: opened.workflowVersion,
        cycleStartsAt: opened.startsAt,
        cycleEndsAt: opened.endsAt,
        periods: opened.periods,
      },
      'appraisal dot.<uuid>',
    );
    // X reads its own: the ids are fine, only the tenant alphabet changed.
    x.ok(await get(`/appraisals/dot.${uuid}`, x.headers.hr), 'own appraisal');
    reads = routeTable(app).filter((route) => route.guarded && route.method === 'GET');
  });
  afterAll(async () => {
    await app.close();
    await pool.end();
  });

  it('the sweep covers the stream reads (appraisal, history, workflow, template, cycle, score as-of)', () => {
    const paths = reads.map((route) => route.path);
    for (const path of [
      '/appraisals/:appraisalId',
      '/appraisals/:appraisalId/history',
      '/workflows/:workflowId',
      '/scorecard-templates/:templateId',
      '/cycles/:cycleId',
      '/scores/appraisals/:appraisalId/as-of',
    ])
      expect(paths).toContain(path);
  });

  it('refuses a credential whose tenant holds a dot (401) on every read route, and nothing of X is read', async () => {
    const failures: string[] = [];
    for (const role of ['hr', 'admin', 'auditor'] as const) {
      const dotted = bearer(await tokenFor(config, { role, tenant: `${X}.dot`, sub: `${role}-dot` }));
      for (const route of reads) {
        const response = await get(urlOf(route), dotted);
        if (response.status !== 401) failures.push(`${role} ${route.path}: ${response.status}`);
        if (leaksOfX(response.body).length) failures.push(`${role} ${route.path}: leaks X`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses tenant ids outside the alphabet in every credential (dot, space, too long)', async () => {
    for (const tenant of [`${X}.dot`, '.x', 'x y', 'a'.repeat(64), 'x/y']) {
      const token = bearer(await tokenFor(config, { role: 'hr', tenant }));
      expect((await get('/inbox', token)).status).toBe(401);
    }
    expect(
      (await get('/inbox', bearer(await tokenFor(config, { role: 'hr', tenant: 'a'.repeat(63) })))).status,
    ).toBe(200);
  });

  it('the database refuses a tenant id with a dot too (a writer that bypasses the store, a restore)', async () => {
    await expect(
      pool.query(
        "INSERT INTO streams (stream_id, tenant_id, revision, last_hash) VALUES ('appraisal-a.b.1', 'a.b', 0, 'h')",
      ),
    ).rejects.toThrow(/streams_tenant_id_alphabet/);
    await expect(
      pool.query(
        "INSERT INTO api_keys (key_id, tenant_id, secret_hash, name) VALUES ('000000000001', 'a.b', 'h', 'k')",
      ),
    ).rejects.toThrow(/api_keys_tenant_id_alphabet/);
  });

  it("answers 404 (never X's data) when a stream named for the caller's tenant holds another tenant's events", async () => {
    // Data from before the alphabet, or any future naming slip: the caller's stream names, X's events.
    const Y = `ty${suffix}`;
    const y = {
      hr: bearer(await tokenFor(config, { role: 'hr', tenant: Y, sub: 'hr-y' })),
      admin: bearer(await tokenFor(config, { role: 'admin', tenant: Y, sub: 'admin-y' })),
      auditor: bearer(await tokenFor(config, { role: 'auditor', tenant: Y, sub: 'auditor-y' })),
    };
    const forge = async (category: string, fromId: string, toId: string) => {
      const events = await store.readStream(streamName(category, X, fromId));
      await store.append(
        streamName(category, Y, toId),
        events.map(({ type, data, metadata }) => ({
          eventId: randomUUID(),
          type,
          data,
          // The hashes are the store's to set.
          metadata: Object.fromEntries(
            Object.entries(metadata).filter(
              ([field]) => !['previousHash', 'hash', 'hashVersion'].includes(field),
            ),
          ) as typeof metadata,
        })),
        { expectedRevision: 'no_stream' },
      );
    };
    await forge('appraisal', `dot.${uuid}`, uuid);
    await forge('workflow', 'dot.sales-4232', 'sales-4232');
    await forge('scorecard-template', 'dot.card', 'card');
    await forge('cycle', 'dot.c2025', 'c2025');
    const failures: string[] = [];
    for (const [role, headers] of Object.entries(y)) {
      for (const route of reads) {
        const response = await get(urlOf(route), headers);
        if (leaksOfX(response.body).length)
          failures.push(
            `${role} ${route.path}: ${response.status} leaks ${leaksOfX(response.body).join(', ')}`,
          );
      }
      for (const path of [
        `/appraisals/${uuid}`,
        `/appraisals/${uuid}/history`,
        `/appraisals/${uuid}?asOfRevision=0`,
        '/workflows/sales-4232',
        '/scorecard-templates/card',
        '/cycles/c2025',
        `/scores/appraisals/${uuid}/as-of?at=${encodeURIComponent(new Date().toISOString())}`,
      ]) {
        const response = await get(path, headers);
        if (response.status !== 404 || response.body.code !== 'not-found')
          failures.push(`${role} ${path}: ${response.status} ${response.body?.code}`);
      }
    }
    // A write over such a stream is refused the same way: nothing is decided on X's events.
    const write = await request(app.getHttpServer())
      .post(`/workflows/sales-4232/versions`)
      .set(y.admin)
      .send({ definition: sales4232Workflow });
    if (write.status !== 404) failures.push(`publish over a forged stream: ${write.status}`);
    expect(failures).toEqual([]);
  });
});
