import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { Pool } from 'pg';
import { inTransaction, PG_POOL, type Config } from '@verity/platform';
import type { RecordedEvent } from '@verity/event-store';
import { auditProjection } from '@verity/projections';
import { asText, bearer, jsonLines, startTestApi, tokenFor } from '../../testing/api-test-kit';
import { AuditEntryResponse, AuditPageResponse } from './audit.response';

function event(tenantId: string, n: number, type: string, data: object = {}): RecordedEvent {
  return {
    eventId: `q-${tenantId}-${n}`,
    type,
    data: { employeeId: 'emp-1', ...data },
    metadata: {
      tenantId,
      actor: { id: 'rater-9', role: 'employee' },
      correlationId: `c${n}`,
      causationId: null,
      schemaVersion: 1,
    },
    streamId: `appraisal-${tenantId}.a1`,
    streamRevision: BigInt(n),
    position: String(n),
    recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
  };
}

describe.each(['express', 'fastify'] as const)('GET /audit on %s', (platform) => {
  let app: INestApplication;
  let config: Config;
  const tenant = `audit-q-${platform}`;

  beforeAll(async () => {
    ({ app, config } = await startTestApi(platform));
    const pool = app.get<Pool>(PG_POOL);
    await inTransaction(pool, (tx) =>
      auditProjection.handle(
        [
          event(tenant, 1, 'AppraisalCreated'),
          event(tenant, 2, 'PeerRatingGiven', { anonymous: true }),
          event(`${tenant}-other`, 3, 'AppraisalCreated'),
        ],
        tx,
      ),
    );
  });
  afterAll(() => app.close());

  it('lists the caller tenant only, hiding the anonymous rater from the process owner and showing it to HR and the auditor (the domain rule)', async () => {
    const owner = await tokenFor(config, { role: 'process-owner', tenant, sub: 'po-1' });
    const hr = await tokenFor(config, { role: 'hr', tenant, sub: 'hr-1' });
    const auditor = await tokenFor(config, { role: 'auditor', tenant, sub: 'aud-1' });
    const forHr = await request(app.getHttpServer())
      .get('/audit?appraisalId=a1')
      .set(bearer(owner))
      .expect(200);
    expect(forHr.body.items.map((r: { type: string }) => r.type)).toEqual([
      'AppraisalCreated',
      'PeerRatingGiven',
    ]);
    expect(forHr.body.items[1].anonymousActorId).toBeNull();
    // The answer is what the OpenAPI document (and the web app's generated types) says it is.
    expect(AuditPageResponse.safeParse(forHr.body).error?.issues).toBeUndefined();
    // camelCase, as every other response of the API.
    expect(Object.keys(forHr.body.items[1])).toEqual([
      'tenantId',
      'position',
      'eventId',
      'streamId',
      'streamRevision',
      'type',
      'actorId',
      'actorRole',
      'anonymousActorId',
      'recordedAt',
      'correlationId',
      'causationId',
      'ruleVersion',
      'appraisalId',
      'employeeId',
      'summaryEn',
      'summaryZh',
    ]);
    const forAuditor = await request(app.getHttpServer())
      .get('/audit?type=PeerRatingGiven')
      .set(bearer(auditor))
      .expect(200);
    expect(forAuditor.body.items[0].anonymousActorId).toBe('rater-9');
    const forHrPartner = await request(app.getHttpServer())
      .get('/audit?type=PeerRatingGiven')
      .set(bearer(hr))
      .expect(200);
    expect(forHrPartner.body.items[0].anonymousActorId).toBe('rater-9');
  });

  it('streams CSV and JSON Lines exports, refuses a bad filter and an employee', async () => {
    const auditor = await tokenFor(config, { role: 'auditor', tenant, sub: 'aud-1' });
    const csv = await request(app.getHttpServer())
      .get('/audit/export?format=csv')
      .set(bearer(auditor))
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="audit.csv"');
    const lines = String(csv.text ?? csv.body)
      .trim()
      .split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      'position,recordedAt,streamId,streamRevision,type,actorId,actorRole,anonymousActorId,correlationId,' +
        'causationId,ruleVersion,appraisalId,employeeId,summaryEn,summaryZh',
    );
    const jsonl = await request(app.getHttpServer())
      .get('/audit/export')
      .set(bearer(auditor))
      .buffer(true)
      .parse(asText)
      .expect(200);
    const entries = jsonLines(jsonl.body);
    expect(entries.map((e) => e.type)).toEqual(['AppraisalCreated', 'PeerRatingGiven']);
    // Each line is the entry GET /audit answers, as OpenAPI describes it.
    expect(jsonl.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(jsonl.headers['content-disposition']).toBe('attachment; filename="audit.jsonl"');
    for (const entry of entries) expect(AuditEntryResponse.safeParse(entry).error?.issues).toBeUndefined();
    expect(entries[1]).toMatchObject({ actorRole: expect.any(String), anonymousActorId: 'rater-9' });
    await request(app.getHttpServer()).get('/audit?limit=0').set(bearer(auditor)).expect(400);
    const employee = await tokenFor(config, { role: 'employee', tenant, sub: 'e-1' });
    await request(app.getHttpServer()).get('/audit').set(bearer(employee)).expect(403);
  });
});
