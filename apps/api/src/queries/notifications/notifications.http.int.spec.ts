import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Pool } from 'pg';
import request from 'supertest';
import { PostgresEventStore } from '@verity/event-store';
import { inTenantTransaction, inTransaction, PG_POOL, type Config } from '@verity/platform';
import { DirectoryHistory, timerNotificationsProjection } from '@verity/projections/notifications';
import {
  moveAnnTo,
  planAwaitingApproval,
  tenantEvents,
} from '@verity/projections/timers/testing/timer-fixtures';
import { bearer, startTestApi, tokenFor } from '../../testing/api-test-kit';
import { NotificationsResponse } from './notifications.response';

/**
 * GET /notifications over rows as the worker's notifications consumer writes them (its own tests
 * prove what it writes; the e2e cycle reads them after real timers fired).
 */
describe('GET /notifications', () => {
  let app: INestApplication;
  let config: Config;
  let pool: Pool;
  const [a, b] = [`notes-a-${randomUUID().slice(0, 8)}`, `notes-b-${randomUUID().slice(0, 8)}`];

  /** One notification per (minute, recipient): `recipient` is an employee id or `role/<role>`. */
  async function write(tenantId: string, recipients: string[], minutes: number) {
    await inTenantTransaction(pool, tenantId, async (tx) => {
      for (let minute = 0; minute < minutes; minute++)
        for (const recipient of recipients) {
          const role = recipient.startsWith('role/') ? recipient.slice(5) : null;
          await tx.query(
            `INSERT INTO notifications (tenant_id, notification_id, event_id, event_type, position, appraisal_id,
                                        step_key, timer_key, recipient_employee_id, recipient_role, reason,
                                        template, params, title_en, title_zh, created_at)
             VALUES ($1, $2, $3, 'ReminderSent', $4, 'ap-1', 'plan', $5, $6, $7, 'assignee', 'reminder',
                     '{"appraisalId":"ap-1","stepKind":"plan"}', 'Plan due', '计划待提交', $8)`,
            [
              tenantId,
              randomUUID(),
              randomUUID(),
              String(minute + 1),
              `reminder-ap-1-plan-1-${minute}`,
              role ? null : recipient,
              role,
              new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString(),
            ],
          );
        }
    });
  }
  const as = async (tenant: string, role: string, employeeId?: string) =>
    bearer(await tokenFor(config, { role: role as 'hr', tenant, employeeId, sub: employeeId ?? role }));
  const list = async (headers: Record<string, string>, query = '') =>
    (await request(app.getHttpServer()).get(`/notifications${query}`).set(headers).expect(200)).body as {
      items: { notificationId: string; createdAt: string; recipientRole: string | null }[];
      next: string | null;
    };

  beforeAll(async () => {
    ({ app, config } = await startTestApi());
    pool = app.get<Pool>(PG_POOL);
    await write(a, ['e-ann', 'e-bob', 'role/hr'], 5);
    await write(b, ['e-ann', 'role/hr'], 2);
  });
  afterAll(() => app.close());

  it("lists the caller's own, newest first, in camelCase, and pages through older ones", async () => {
    const ann = await as(a, 'employee', 'e-ann');
    const all = await list(ann);
    expect(all.items.map((item) => item.createdAt)).toEqual(
      [4, 3, 2, 1, 0].map((minute) => new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString()),
    );
    expect(all.next).toBeNull();
    // The answer is the one the OpenAPI document describes (the web client's types come from it).
    expect(NotificationsResponse.safeParse(all).error?.issues).toBeUndefined();
    expect(Object.keys(all.items[0])).toEqual([
      'notificationId',
      'createdAt',
      'eventType',
      'eventId',
      'appraisalId',
      'stepKey',
      'reason',
      'template',
      'params',
      'titleEn',
      'titleZh',
      'recipientRole',
      'emailStatus',
    ]);
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(ann, `?limit=2${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`);
      pages.push(...page.items.map((item) => item.notificationId));
      cursor = page.next;
    } while (cursor);
    expect(pages).toEqual(all.items.map((item) => item.notificationId));
  });

  it('adds the role inbox to an HR credential, and keeps each tenant to itself', async () => {
    expect((await list(await as(a, 'hr'))).items.map((item) => item.recipientRole)).toEqual(
      Array(5).fill('hr'),
    );
    // An HR person with an employee id reads both: their own and the HR inbox.
    expect((await list(await as(a, 'hr', 'e-bob'))).items).toHaveLength(10);
    expect((await list(await as(b, 'employee', 'e-ann'))).items).toHaveLength(2);
    expect((await list(await as(b, 'hr'))).items).toHaveLength(2);
    // A manager without notifications, and a credential that reads no inbox, see none.
    expect((await list(await as(a, 'manager', 'e-mgr'))).items).toEqual([]);
  });

  it('refuses a malformed cursor or limit, naming the field, and roles that read no notifications', async () => {
    const ann = await as(a, 'employee', 'e-ann');
    const bad = await request(app.getHttpServer()).get('/notifications?before=yesterday').set(ann);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('before');
    await request(app.getHttpServer()).get('/notifications?limit=0').set(ann).expect(400);
    await request(app.getHttpServer())
      .get('/notifications')
      .set(await as(a, 'integrator'))
      .expect(403);
    // Auditors may call every read; they hold no inbox, so nobody's notifications show.
    expect((await list(await as(a, 'auditor'))).items).toEqual([]);
  });

  it('shows the new manager a task that moved to them with their new report, and the old one nothing new', async () => {
    const tenantId = `notes-move-${randomUUID().slice(0, 8)}`;
    const store = new PostgresEventStore(pool);
    await planAwaitingApproval(store, tenantId, '2026-03-02T09:00:00.000Z');
    await moveAnnTo(store, tenantId, 'max', '2026-03-03');
    // The worker's notifications consumer, handed the tenant's log (its own test runs it for real).
    const consumer = timerNotificationsProjection({ store, directories: new DirectoryHistory(store) });
    const log = await tenantEvents(store, tenantId, consumer.eventTypes!);
    await inTransaction(pool, (tx) => consumer.handle(log, tx));

    const toMax = await list(await as(tenantId, 'manager', 'max'));
    expect(NotificationsResponse.safeParse(toMax).error?.issues).toBeUndefined();
    expect(toMax.items).toEqual([
      expect.objectContaining({
        eventType: 'ManagerAssigned',
        appraisalId: 'ap-1',
        stepKey: 'plan-approval',
        reason: 'assignee',
        template: 'task-assigned',
        params: expect.objectContaining({ link: '/app/appraisals/ap-1' }),
        titleEn: 'New task: the plan approval, due 2026-03-07 09:00 UTC',
        recipientRole: null,
      }),
    ]);
    const toMia = await list(await as(tenantId, 'manager', 'mia'));
    expect(toMia.items).toEqual([
      expect.objectContaining({ eventType: 'StepOpened', stepKey: 'plan-approval' }),
    ]);
  });
});
