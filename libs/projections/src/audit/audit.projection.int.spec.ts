import fc from 'fast-check';
import type { Pool } from 'pg';
import { createPool, inTenantTransaction, inTransaction } from '@verity/platform';
import type { RecordedEvent } from '@verity/event-store';
import { workerDatabaseUrl } from '../../../../test/support/environment';
import { auditProjection, auditProjectionCopyingFrom } from './audit.projection';
import { exportAudit, exportAuditCsv, listAudit, type AuditReader } from './audit.queries';

/** A reader the domain's visibility rule denies the anonymous raters (process owner), and one it allows. */
const plain: AuditReader = { seesAnonymousRaters: false };
const trail: AuditReader = { seesAnonymousRaters: true };
/** The projection writing every batch by COPY (ADR 0169), as a rebuild's large batches are written. */
const byCopy = auditProjectionCopyingFrom(1);

let pool: Pool;
let position = 0;

function event(
  tenantId: string,
  appraisal: string,
  type: string,
  extra: Partial<RecordedEvent> = {},
  data: object = {},
): RecordedEvent {
  position += 1;
  return {
    eventId: `e-${position}`,
    type,
    data: { employeeId: `emp-${appraisal}`, ...data },
    metadata: {
      tenantId,
      actor: { id: 'u-1', role: 'manager' },
      correlationId: `c-${position}`,
      causationId: null,
      schemaVersion: 1,
      ruleVersion: 'wf-1',
    },
    streamId: `appraisal-${tenantId}.${appraisal}`,
    streamRevision: BigInt(position),
    position: String(position),
    recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, position)),
    ...extra,
  };
}

async function truncate(): Promise<void> {
  // TRUNCATE is not subject to row-level security: it empties every tenant's rows.
  await pool.query('TRUNCATE audit_entries');
}

async function allRows(tenants: string[]): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (const t of tenants)
    rows.push(
      ...(await inTenantTransaction(
        pool,
        t,
        async (tx) => (await tx.query('SELECT * FROM audit_entries ORDER BY position')).rows,
      )),
    );
  return rows;
}

beforeAll(() => {
  pool = createPool(workerDatabaseUrl(), 1); // one connection: every query reuses it across tenants
});
afterAll(() => pool.end());
beforeEach(truncate);

describe('audit projection', () => {
  it('writes one row per event with actor, correlation, rule version and summaries', async () => {
    const events = [
      event('t1', 'a1', 'AppraisalCreated'),
      event('t1', 'a1', 'PlanSubmitted'),
      event('t2', 'b1', 'AppraisalCreated'),
    ];
    await inTransaction(pool, (tx) => auditProjection.handle(events, tx));
    const rows = await listAudit(pool, 't1', plain, { appraisalId: 'a1' });
    expect(
      rows.map((r) => [r.type, r.actorId, r.actorRole, r.correlationId, r.ruleVersion, r.employeeId]),
    ).toEqual([
      ['AppraisalCreated', 'u-1', 'manager', events[0].metadata.correlationId, 'wf-1', 'emp-a1'],
      ['PlanSubmitted', 'u-1', 'manager', events[1].metadata.correlationId, 'wf-1', 'emp-a1'],
    ]);
    expect(rows[1].summaryEn).toBe(
      `PlanSubmitted on appraisal-t1.a1 #${events[1].streamRevision} by a manager`,
    );
    expect(rows[1].summaryZh).toContain('记录了 PlanSubmitted');
    expect(await listAudit(pool, 't1', plain, { type: 'AppraisalCreated' })).toHaveLength(1);
    expect(await listAudit(pool, 't1', plain, { from: events[1].recordedAt })).toHaveLength(1);
  });

  it.each([
    ['as text arrays', auditProjection],
    ['by COPY', byCopy],
  ])(
    'stores text exactly as the event carries it (%s): quotes, backslashes, tabs, commas, braces, line breaks',
    async (_, projection) => {
      const odd = 'a "quoted", \\back\\slashed\t{braced}\nNULL\r\\N \\. 匿名';
      const events = [
        event('t1', 'a1', 'AppraisalCreated', {
          metadata: {
            tenantId: 't1',
            actor: { id: odd, role: 'manager' },
            correlationId: odd,
            causationId: '',
            schemaVersion: 1,
          },
        }),
      ];
      await inTransaction(pool, (tx) => projection.handle(events, tx));
      const [row] = await listAudit(pool, 't1', plain, {});
      expect([row.actorId, row.correlationId, row.causationId, row.ruleVersion]).toEqual([
        odd,
        odd,
        '',
        null,
      ]);
    },
  );

  it('writes the same rows by COPY as by text arrays, each under its tenant, and a redelivered batch by COPY is a no-op', async () => {
    const events = Array.from({ length: 60 }, (_, i) =>
      event(`t${(i % 3) + 1}`, `a${i % 4}`, `T${i % 5}`, {}, { anonymous: i % 7 === 0 }),
    );
    await inTransaction(pool, (tx) => auditProjection.handle(events, tx));
    const byArrays = await allRows(['t1', 't2', 't3']);
    expect(byArrays).toHaveLength(60);
    await truncate();
    await inTransaction(pool, (tx) => byCopy.handle(events, tx));
    expect(await allRows(['t1', 't2', 't3'])).toEqual(byArrays);
    // The same batch again, and a batch overlapping it, in one transaction each.
    await inTransaction(pool, (tx) => byCopy.handle(events, tx));
    await inTransaction(pool, (tx) => byCopy.handle([...events.slice(50), event('t2', 'a9', 'Later')], tx));
    const after = await allRows(['t1', 't2', 't3']);
    expect(after).toHaveLength(61);
    expect(after.slice(0, 20)).toEqual(byArrays.slice(0, 20));
    // Each tenant sees its own rows only.
    expect((await listAudit(pool, 't2', plain, { limit: 1000 })).every((r) => r.tenantId === 't2')).toBe(
      true,
    );
    expect(await listAudit(pool, 't2', plain, { limit: 1000 })).toHaveLength(21);
  });

  it('by COPY: a batch whose write fails leaves nothing staged or written, and the retry gives the rows', async () => {
    const events = [event('t1', 'a1', 'A'), event('t2', 'a1', 'B')];
    await expect(
      inTransaction(pool, async (tx) => {
        await byCopy.handle(events, tx);
        // The commit never comes: the rows written and staged go with the transaction.
        throw new Error('crash after the write');
      }),
    ).rejects.toThrow('crash after the write');
    expect(await allRows(['t1', 't2'])).toHaveLength(0);
    await inTransaction(pool, (tx) => byCopy.handle(events, tx));
    await inTransaction(pool, (tx) => byCopy.handle([event('t1', 'a1', 'C')], tx));
    expect((await allRows(['t1', 't2'])).map((r) => (r as { type: string }).type)).toEqual(['A', 'C', 'B']);
    // A committed batch leaves nothing staged for the next one (the table is emptied at commit).
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM pg_temp.audit_staging');
    expect(rows[0].n).toBe(0);
  });

  it('by COPY in several pieces (ADR 0188): the rows of the text arrays, and a piece the server refuses fails the batch whole', async () => {
    // 1,234 events: three pieces of 500 and a short one, tenants interleaved, values COPY must escape.
    const events = Array.from({ length: 1234 }, (_, i) =>
      event(
        `t${(i % 3) + 1}`,
        `a${i % 7}`,
        i % 11 ? `T${i % 5}` : 'Tab\there\\',
        {},
        { anonymous: i % 13 === 0 },
      ),
    );
    await inTransaction(pool, (tx) => auditProjection.handle(events.slice(0, 999), tx));
    await inTransaction(pool, (tx) => auditProjection.handle(events.slice(999), tx));
    const byArrays = await allRows(['t1', 't2', 't3']);
    expect(byArrays).toHaveLength(1234);
    await truncate();
    await inTransaction(pool, (tx) => byCopy.handle(events, tx));
    expect(await allRows(['t1', 't2', 't3'])).toEqual(byArrays);

    await truncate();
    // A position PostgreSQL cannot read as a number, in the third piece: the COPY fails, nothing is
    // written and the connection serves the retry.
    const broken = events.map((e, i) => (i === 1100 ? { ...e, position: 'not a number' } : e));
    await expect(inTransaction(pool, (tx) => byCopy.handle(broken, tx))).rejects.toThrow(/numeric/);
    expect(await allRows(['t1', 't2', 't3'])).toHaveLength(0);
    await inTransaction(pool, (tx) => byCopy.handle(events, tx));
    expect(await allRows(['t1', 't2', 't3'])).toEqual(byArrays);
  });

  it('lists and exports in log order, whatever the number of digits of the positions', async () => {
    const events = ['9', '10', '100'].map((at, i) => event('t1', 'a1', `T${i}`, { position: at }));
    await inTransaction(pool, (tx) => auditProjection.handle(events, tx));
    expect((await listAudit(pool, 't1', plain, {})).map((r) => r.position)).toEqual(['9', '10', '100']);
    const exported: string[] = [];
    for await (const row of exportAudit(pool, 't1', plain, {})) exported.push(row.position);
    expect(exported).toEqual(['9', '10', '100']);
  });

  it('shows the identity behind an anonymous rating only to a reader allowed the raters', async () => {
    await inTransaction(pool, (tx) =>
      auditProjection.handle([event('t1', 'a1', 'PeerRatingGiven', {}, { anonymous: true })], tx),
    );
    const [forOwner] = await listAudit(pool, 't1', plain, {});
    const [forAuditor] = await listAudit(pool, 't1', trail, {});
    expect(forOwner.actorId).toBeNull();
    expect(forOwner.anonymousActorId).toBeNull();
    expect(forAuditor.anonymousActorId).toBe('u-1');
    // The summaries say so for every role, without naming the rater.
    expect(forOwner.summaryEn).toMatch(/^PeerRatingGiven on appraisal-t1\.a1 #\d+ by an anonymous manager$/);
    expect(forOwner.summaryZh).toMatch(/^匿名manager 在 appraisal-t1\.a1 第 \d+ 条记录了 PeerRatingGiven$/);
    expect(await listAudit(pool, 't1', trail, { actorId: 'u-1' })).toHaveLength(1);
    expect(await listAudit(pool, 't1', plain, { actorId: 'u-1' })).toHaveLength(0);
  });

  it('returns nothing under the wrong tenant, even to a query without a tenant filter, on a reused pooled connection', async () => {
    await inTransaction(pool, (tx) => auditProjection.handle([event('t1', 'a1', 'AppraisalCreated')], tx));
    const rowsSeenBy = (tenant: string) =>
      inTenantTransaction(
        pool,
        tenant,
        async (tx) => (await tx.query('SELECT count(*)::int AS n FROM audit_entries')).rows[0].n,
      );
    expect(await rowsSeenBy('t1')).toBe(1);
    // Same (only) connection, next transaction: the tenant setting must not have leaked.
    expect((await pool.query('SELECT count(*)::int AS n FROM audit_entries')).rows[0].n).toBe(0);
    expect(await rowsSeenBy('t2')).toBe(0);
    await expect(
      inTenantTransaction(pool, 't2', (tx) =>
        tx.query(
          'INSERT INTO audit_entries SELECT * FROM json_populate_record(null::audit_entries, \'{"tenant_id":"t1","position":999,"event_id":"x","stream_id":"s","stream_revision":0,"type":"T","actor_role":"r","recorded_at":"2026-01-01","correlation_id":"c","summary_en":"","summary_zh":""}\')',
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('runs as a role that cannot bypass RLS, on a table with FORCE RLS', async () => {
    const { rows } = await pool.query(
      "SELECT r.rolsuper, r.rolbypassrls, c.relrowsecurity, c.relforcerowsecurity FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.relname = 'audit_entries'",
    );
    expect(rows[0]).toEqual({
      rolsuper: false,
      rolbypassrls: false,
      relrowsecurity: true,
      relforcerowsecurity: true,
    });
  });

  it('rolls back a batch that crashes half-way, and the retry gives the same rows', async () => {
    const events = [event('t1', 'a1', 'A'), event('t1', 'a1', 'B'), event('t1', 'a1', 'C')];
    const crashing = events.map((e, i) =>
      i === 2
        ? {
            ...e,
            get metadata(): never {
              throw new Error('crash');
            },
          }
        : e,
    );
    await expect(
      inTransaction(pool, (tx) => auditProjection.handle(crashing as RecordedEvent[], tx)),
    ).rejects.toThrow('crash');
    expect(await listAudit(pool, 't1', plain, {})).toHaveLength(0);
    await inTransaction(pool, (tx) => auditProjection.handle(events, tx));
    expect((await listAudit(pool, 't1', plain, {})).map((r) => r.type)).toEqual(['A', 'B', 'C']);
  });

  it('streams a CSV and JSON export through a cursor', async () => {
    const events = Array.from({ length: 25 }, (_, i) => event('t1', 'a1', `T${i}`, {}, { note: 'x,"y"' }));
    await inTransaction(pool, (tx) => auditProjection.handle(events, tx));
    const json: unknown[] = [];
    for await (const row of exportAudit(pool, 't1', plain, {}, 7)) json.push(row);
    expect(json).toHaveLength(25);
    const csv: string[] = [];
    for await (const line of exportAuditCsv(pool, 't1', plain, { type: 'T3' })) csv.push(line);
    expect(csv).toHaveLength(2);
    expect(csv[0]).toMatch(/^position,recordedAt,streamId,/);
    expect(csv[1]).toContain(',T3,');
  });

  it('property: a rebuild in one batch by COPY equals incremental application in random batches (by COPY and by text arrays) with redeliveries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            tenant: fc.constantFrom('t1', 't2', 't3'),
            appraisal: fc.constantFrom('a', 'b'),
            type: fc.constantFrom('X', 'Y', 'Z'),
            anonymous: fc.boolean(),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 10 }),
        async (specs, cuts) => {
          const events = specs.map((s) =>
            event(s.tenant, s.appraisal, s.type, {}, { anonymous: s.anonymous }),
          );
          await truncate();
          // A rebuild's large batch goes by COPY, the live tail's small ones by text arrays.
          await inTransaction(pool, (tx) => byCopy.handle(events, tx));
          const rebuilt = await allRows(['t1', 't2', 't3']);
          await truncate();
          let i = 0;
          let k = 0;
          while (i < events.length) {
            const size = cuts[k++ % cuts.length];
            // Re-deliver the previous event too: the position guard must make it a no-op.
            const batch = events.slice(Math.max(0, i - 1), i + size);
            await inTransaction(pool, (tx) => (k % 2 ? byCopy : auditProjection).handle(batch, tx));
            i += size;
          }
          expect(await allRows(['t1', 't2', 't3'])).toEqual(rebuilt);
        },
      ),
      { numRuns: 40 },
    );
  });
});
