import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import type { Pool } from 'pg';
import { AGGREGATES } from '@verity/domain';
import { streamName, type EventStore } from '@verity/event-store';
import { toCloudEvent } from '@verity/integrations';
import { ConsumerPump } from '@verity/integrations/testing/consumer-pump';
import { PG_POOL, type Config } from '@verity/platform';
import { PROJECTIONS } from '@verity/projections';
import { EVENT_STORE } from '../event-store/event-store.provider';
import { asText, bearer, startTestApi, tokenFor } from '../testing/api-test-kit';
import { openEventStream } from '../testing/event-stream';
import { signWholeLog, waitUntilReadable } from '../testing/sign-checkpoint';
import { setUpTenant, type TenantFixture } from '../testing/tenant-fixture';

const VERIFIER = path.resolve(__dirname, '../../../../tools/audit-verifier/bin/verity-audit-verify.js');
const run = promisify(execFile);
const TENANT = 'erasure-a';

// The personal data under test: Zhang's hire (name, e-mail) and a note on Ann's appraisal.
const NAME = 'Zhang Sanfeng';
const EMAIL = 'zhang.sanfeng@example.com';
const NOTE = 'Sanfeng-note: talked about the family situation';
/** Any trace of the erased people's data, in any casing. */
const TRACE = /sanfeng/i;

/**
 * Erasure by crypto-shredding (docs/adr/0115): personal data is stored encrypted per person; after
 * HR asks and an auditor approves, the person's keys are gone and no route, feed, stream, export,
 * webhook body or rebuilt read model holds their data, while the audit chain still verifies.
 */
describe('erasing a person (EraseSubjectData)', () => {
  let app: INestApplication;
  let config: Config;
  let pool: Pool;
  let store: EventStore;
  let t: TenantFixture;
  let annAppraisal: string;
  let integrator: Record<string, string>;
  let publicKey: string;
  const dir = mkdtempSync(path.join(tmpdir(), 'verity-erasure-'));

  beforeAll(async () => {
    ({ app, config } = await startTestApi());
    await app.listen(0, '127.0.0.1');
    pool = app.get(PG_POOL);
    store = app.get(EVENT_STORE);
    t = await setUpTenant(app, config, TENANT);
    integrator = bearer(
      await tokenFor(config, { role: 'integrator', tenant: TENANT, scope: 'events:read pii' }),
    );
    await t.hireIntoSales('e-zhang', NAME, EMAIL);
    annAppraisal = await t.appraisalOf('e-ann');
    await t.send('mgr', annAppraisal, 'annotations', { on: { periodId: '2025-01' }, text: NOTE });
    await signWholeLog(pool, t);
    publicKey = t.ok(await t.http().get('/audit/public-keys').set(t.headers.auditor), 'keys').body.keys[0]
      .publicKey;
  });
  const openStreams: http.ClientRequest[] = [];
  afterAll(async () => {
    for (const stream of openStreams) stream.destroy();
    await app.close();
  });

  /** Rows of every table of the database that contain a trace (events, keys, read models, all). */
  async function tablesWithTrace(): Promise<string[]> {
    const { rows } = await pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const found: string[] = [];
    // As the tenant: read models are FORCE ROW LEVEL SECURITY, so an unnamed tenant would see nothing.
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('verity.tenant_id', $1, true)`, [TENANT]);
      for (const { table_name } of rows) {
        const hit = await client.query(
          `SELECT 1 FROM "${table_name}" AS row WHERE row::text ~* 'sanfeng' LIMIT 1`,
        );
        if (hit.rowCount) found.push(table_name);
      }
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    return found;
  }

  /** The whole feed of the tenant as an integrator allowed to see pii reads it, page by page. */
  async function wholeFeed(): Promise<{ type: string; data: Record<string, unknown>; subject: string }[]> {
    await waitUntilReadable(pool, TENANT);
    const events = [];
    let after = '0';
    for (;;) {
      const page = t.ok(await t.http().get(`/events?after=${after}&limit=1000`).set(integrator), 'feed').body;
      events.push(...page.events);
      if (page.events.length === 0 || page.next === after) return events;
      after = page.next;
    }
  }

  /** HR asks for (`request`) or an auditor approves (`approve`) the erasure of a person, as `who`. */
  const erasure = (step: 'request' | 'approve', employeeId: string, who: 'hr' | 'auditor') =>
    t
      .http()
      .post(`/directory/employees/${employeeId}/erasure${step === 'approve' ? '/approve' : ''}`)
      .set(t.headers[who])
      .send({});

  /** Server-Sent Events from the start, until the erasure itself has come by. */
  function sseUntilErasure(): Promise<string> {
    const { port } = app.getHttpServer().address() as AddressInfo;
    return new Promise((resolve, reject) => {
      let text = '';
      const request = openEventStream(port, integrator, (response) => {
        response.on('data', (chunk: string) => {
          text += chunk;
          if (text.split('SubjectDataErased').length > 2) {
            request.destroy();
            resolve(text);
          }
        });
      });
      openStreams.push(request);
      request.on('error', reject);
    });
  }

  async function bundleAndOfflineReport() {
    const bundle = await t.http().get('/audit/bundle').set(t.headers.auditor).buffer(true).parse(asText);
    expect(bundle.status).toBe(200);
    const file = path.join(dir, 'bundle.jsonl');
    writeFileSync(file, bundle.body as string);
    const offline = await run('node', [VERIFIER, file, '--public-key', publicKey]).then(
      ({ stdout }) => ({ code: 0, report: JSON.parse(stdout) }),
      (error: { code: number; stdout: string }) => ({ code: error.code, report: JSON.parse(error.stdout) }),
    );
    return { bundle: bundle.body as string, offline };
  }

  it('stores personal data only encrypted, and shows it to those allowed before the erasure', async () => {
    expect(await tablesWithTrace()).toEqual([]);
    const feed = await wholeFeed();
    const zhang = feed.find(
      (event) => event.type === 'verity.EmployeeHired.v1' && event.data.employeeId === 'e-zhang',
    );
    expect(zhang?.data.pii).toEqual({ name: NAME, email: EMAIL });
    // HR reads the name in the directory (ADR 0122).
    const person = t.ok(await t.http().get('/directory/employees/e-zhang').set(t.headers.hr), 'employee');
    expect(person.body.name).toBe(NAME);
    const history = t.ok(
      await t.http().get(`/appraisals/${annAppraisal}/events`).set(t.headers.hr),
      'history',
    );
    expect(JSON.stringify(history.body)).toContain(NOTE);
  });

  it('needs HR to ask and a different person, an auditor, to approve', async () => {
    const early = await erasure('approve', 'e-zhang', 'auditor');
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('erasure-not-requested');
    const byAuditor = await erasure('request', 'e-zhang', 'auditor');
    expect(byAuditor.status).toBe(403);
    for (const employeeId of ['e-zhang', 'e-ann'])
      t.ok(await erasure('request', employeeId, 'hr'), 'request');
    // Requested but not approved: nothing is erased yet.
    expect(JSON.stringify(await wholeFeed())).toContain(NAME);
    const byHr = await erasure('approve', 'e-zhang', 'hr');
    expect(byHr.status).toBe(403);
  });

  it('after approval, no route, feed, stream, webhook body, export or rebuilt read model holds the data, and the audit still verifies', async () => {
    for (const employeeId of ['e-zhang', 'e-ann']) {
      const erased = t.ok(await erasure('approve', employeeId, 'auditor'), 'EraseSubjectData');
      expect(erased.body.events).toEqual([expect.objectContaining({ type: 'SubjectDataErased' })]);
    }
    const again = await erasure('approve', 'e-ann', 'auditor');
    expect(again.status).toBe(409);
    // The directory no longer names them, even to HR.
    const person = t.ok(await t.http().get('/directory/employees/e-zhang').set(t.headers.hr), 'employee');
    expect(person.body.name).toBeNull();
    const listed = t.ok(await t.http().get('/directory').set(t.headers.hr), 'directory').body;
    expect(JSON.stringify(listed)).not.toMatch(TRACE);

    // The feed (pii scope): the events are all there, their pii reads as erased; others' data stays.
    const feed = await wholeFeed();
    expect(JSON.stringify(feed)).not.toMatch(TRACE);
    const hired = (id: string) =>
      feed.find((event) => event.type === 'verity.EmployeeHired.v1' && event.data.employeeId === id)!;
    expect(hired('e-zhang').data.pii).toEqual({ erased: true });
    expect(hired('e-ann').data.pii).toEqual({ erased: true });
    expect(hired('e-bob').data.pii).toEqual({ name: 'Bob' });
    const erasures = feed.filter((event) => event.type === 'verity.SubjectDataErased.v1');
    expect(erasures.map((event) => event.data)).toEqual([
      expect.objectContaining({
        employeeId: 'e-zhang',
        requestedBy: `hr-${TENANT}`,
        approvedBy: `auditor-${TENANT}`,
      }),
      expect.objectContaining({ employeeId: 'e-ann' }),
    ]);
    // A stream opened now replays the whole log from the start (what was streamed before is gone already).
    expect(await sseUntilErasure()).not.toMatch(TRACE);

    // Routes: the appraisal's history (HR sees pii), the directory, dev sign-in's names, the audit log.
    for (const route of [
      `/appraisals/${annAppraisal}/events`,
      '/directory',
      `/dev/sign-in/people?tenant=${TENANT}`,
      '/audit',
      '/audit/export',
    ]) {
      const response = await t
        .http()
        .get(route)
        .set(route.startsWith('/audit') ? t.headers.auditor : t.headers.hr);
      expect([route, response.status]).toEqual([route, 200]);
      const text = response.text || JSON.stringify(response.body);
      expect([route, text]).not.toEqual([route, expect.stringMatching(TRACE)]);
    }
    const history = t.ok(
      await t.http().get(`/appraisals/${annAppraisal}/events`).set(t.headers.hr),
      'history',
    ).body;
    expect(JSON.stringify(history)).toContain('"erased":true');

    // A webhook delivered again is built from the store at delivery time, as the processor does.
    const directory = await store.readStream(streamName(AGGREGATES.directory, TENANT, TENANT));
    const bodies = directory.map((event) => JSON.stringify(toCloudEvent(event, { includePii: true })));
    expect(bodies.join('\n')).not.toMatch(TRACE);
    expect(bodies.join('\n')).toContain('"name":"Bob"');

    // Read models rebuilt from the log (every projection, from position zero).
    for (const projection of PROJECTIONS) await new ConsumerPump(pool, store, projection, [TENANT]).drain();
    const audit = t.ok(await t.http().get('/audit').set(t.headers.auditor), 'audit').body;
    expect(audit.items.length).toBeGreaterThan(0);
    expect(await tablesWithTrace()).toEqual([]);

    // The trail: hashed as stored (ciphertext), so both verifications still pass, with the old checkpoint.
    const verify = t.ok(await t.http().get('/audit/verify').set(t.headers.auditor), 'verify').body;
    expect(verify).toMatchObject({ ok: true });
    const { bundle, offline } = await bundleAndOfflineReport();
    expect(bundle).not.toMatch(TRACE);
    expect(offline.code).toBe(0);
    expect(offline.report).toMatchObject({ ok: true, keys: 'pinned by the auditor' });
  });
});
