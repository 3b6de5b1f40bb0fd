import { randomUUID } from 'node:crypto';
import type IORedis from 'ioredis';
import type { Pool } from 'pg';
import { PostgresEventStore, type EventStore } from '@verity/event-store';
import { createPool, createRedis, inTenantTransaction } from '@verity/platform';
import {
  directory,
  newTenant,
  openAppraisal,
  publishWorkflow,
  submitPlan,
  workflowWithPlan,
} from '@verity/projections/timers/testing/timer-fixtures';
import { workerDatabaseUrl, workerRedisUrl } from '../../../../test/support/environment';
import { eventually } from '../../../../test/support/eventually';
import { manualClock } from '../timers/clock';
import { startScopedTimers } from '../timers/testing/tenant-scoped-consumers';
import type { TimersRuntime } from '../timers/timers.runtime';
import { NodemailerEmailSender } from './nodemailer-email-sender';
import { SmtpInbox } from './testing/smtp-inbox';

const T0 = '2026-03-02T09:00:00.000Z';
const queuePrefix = `test-${randomUUID().slice(0, 8)}`;
const scope = `t${randomUUID().slice(0, 8)}`;

/** Every step that lands on a person tells them: in the app (GET /notifications reads these rows) and by e-mail. */
describe('a task assigned when its step opens', () => {
  let pool: Pool;
  let redis: IORedis;
  let store: EventStore;
  let runtime: TimersRuntime | undefined;
  let inbox: SmtpInbox;

  beforeAll(async () => {
    pool = createPool(workerDatabaseUrl(), 6, 'task-assigned-test');
    redis = createRedis(workerRedisUrl());
    store = new PostgresEventStore(pool);
    inbox = new SmtpInbox();
  });
  afterAll(async () => {
    await runtime?.close();
    await inbox.stop();
    await redis.quit();
    await pool.end();
  });

  const hire = (employeeId: string, managerId: string | null, name: string) => ({
    type: 'HireEmployee' as const,
    data: {
      employeeId,
      orgUnitId: 'east',
      managerId,
      position: null,
      name,
      email: `${employeeId}@example.test`,
      effectiveFrom: '2026-01-01',
    },
  });

  async function notificationsOf(tenantId: string) {
    return inTenantTransaction(pool, tenantId, async (tx) => {
      const result = await tx.query<{
        event_type: string;
        step_key: string;
        timer_key: string | null;
        recipient_employee_id: string | null;
        reason: string;
        template: string;
        params: Record<string, unknown>;
        title_en: string;
        title_zh: string;
        email_status: string;
      }>('SELECT * FROM notifications WHERE tenant_id = $1 ORDER BY position', [tenantId]);
      return result.rows;
    });
  }

  it('tells the appraisee of the plan and the manager (from the directory) of its approval, with a link to act, in the app and by e-mail', async () => {
    const tenantId = newTenant(`${scope}-task`);
    const workflow = await publishWorkflow(store, tenantId, 'sales', workflowWithPlan({ days: 14 }));
    await directory(
      store,
      tenantId,
      [
        {
          type: 'CreateOrgUnit',
          data: {
            orgUnitId: 'east',
            parentId: null,
            kind: 'branch',
            name: 'East',
            effectiveFrom: '2026-01-01',
          },
        },
        hire('bo', null, 'Bo Li'),
        hire('mia', 'bo', 'Mia Wang'),
        hire('ann', 'mia', 'Ann Liu'),
      ],
      true,
    );
    const smtpUrl = await inbox.start();
    runtime = await startScopedTimers(
      {
        pool,
        redis,
        store,
        clock: manualClock(T0),
        queuePrefix,
        email: { sender: new NodemailerEmailSender(smtpUrl, 'Verity <noreply@verity.test>') },
      },
      scope,
    );
    await openAppraisal(store, tenantId, 'ap-1', workflow, T0);
    await submitPlan(store, tenantId, 'ap-1', workflow, T0);

    const rows = await eventually(
      async () => {
        const found = await notificationsOf(tenantId);
        return found.length === 2 && found.every((row) => row.email_status === 'sent') && found;
      },
      30_000,
      'two task notifications sent',
    );
    expect(rows).toEqual([
      expect.objectContaining({
        event_type: 'StepOpened',
        step_key: 'plan',
        timer_key: null,
        recipient_employee_id: 'ann',
        reason: 'assignee',
        template: 'task-assigned',
        params: expect.objectContaining({ link: '/app/appraisals/ap-1', dueAt: '2026-03-16T09:00:00.000Z' }),
        title_en: 'New task: the performance plan, due 2026-03-16 09:00 UTC',
        title_zh: '新任务：绩效计划，2026-03-16 09:00 UTC 到期',
      }),
      // The sales workflow's plan approval has a 120-hour SLA, earlier than the fixture's 300 days.
      expect.objectContaining({
        step_key: 'plan-approval',
        recipient_employee_id: 'mia',
        reason: 'assignee',
        title_en: 'New task: the plan approval, due 2026-03-07 09:00 UTC',
      }),
    ]);
    const mails = await eventually(() => inbox.mails.length === 2 && inbox.mails, 30_000, 'two e-mails');
    const toAnn = mails.find((mail) => mail.to[0] === 'ann@example.test')!;
    expect(toAnn.text).toContain('/app/appraisals/ap-1');
    expect(mails.map((mail) => mail.to[0]).sort()).toEqual(['ann@example.test', 'mia@example.test']);
  });
});
