import { randomUUID } from 'node:crypto';
import type IORedis from 'ioredis';
import type { Pool } from 'pg';
import { AGGREGATES } from '@verity/domain';
import {
  PostgresEventStore,
  readConsumerLag,
  requestRebuild,
  streamName,
  type EventStore,
} from '@verity/event-store';
import { createPool, createRedis, inTenantTransaction, inTransaction } from '@verity/platform';
import {
  DirectoryHistory,
  timerNotificationsProjection,
  type EmailJob,
} from '@verity/projections/notifications';
import {
  moveAnnTo,
  newTenant,
  planAwaitingApproval,
  tenantEvents,
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
  });
  afterAll(async () => {
    await runtime?.close();
    await inbox.stop();
    await redis.quit();
    await pool.end();
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
        notification_id: string;
      }>('SELECT * FROM notifications WHERE tenant_id = $1 ORDER BY position, recipient_employee_id', [
        tenantId,
      ]);
      return result.rows;
    });
  }

  /** The e-mails of these notifications (the inbox is shared by the file's tests). */
  const mailsOf = (rows: { notification_id: string }[]) =>
    inbox.mails.filter((mail) =>
      rows.some((row) => mail.messageId === `<${row.notification_id}@verity.notifications>`),
    );

  /** Waits for `count` notifications of the tenant, every e-mail of them sent and received. */
  async function told(tenantId: string, count: number) {
    return eventually(
      async () => {
        const rows = await notificationsOf(tenantId);
        return (
          rows.length === count &&
          rows.every((row) => row.email_status === 'sent') &&
          mailsOf(rows).length === count &&
          rows
        );
      },
      30_000,
      `${count} task notifications sent`,
    );
  }

  it('tells the appraisee of the plan and the manager (from the directory) of its approval, with a link to act, in the app and by e-mail', async () => {
    const tenantId = newTenant(`${scope}-task`);
    await planAwaitingApproval(store, tenantId, T0);

    const rows = await told(tenantId, 2);
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
    const mails = mailsOf(rows);
    const toAnn = mails.find((mail) => mail.to[0] === 'ann@example.test')!;
    expect(toAnn.text).toContain('/app/appraisals/ap-1');
    expect(mails.map((mail) => mail.to[0]).sort()).toEqual(['ann@example.test', 'mia@example.test']);
  });

  it('tells the new manager of an open approval when the appraisee gets another manager, once, and the old one nothing more', async () => {
    const tenantId = newTenant(`${scope}-move`);
    await planAwaitingApproval(store, tenantId, T0);
    await told(tenantId, 2);

    // HR moves ann from mia to max: the plan approval, open and waiting on her manager, is max's now.
    await moveAnnTo(store, tenantId, 'max', '2026-03-03');
    const rows = await told(tenantId, 3);
    const moved = rows.filter((row) => row.event_type === 'ManagerAssigned');
    expect(moved).toEqual([
      expect.objectContaining({
        step_key: 'plan-approval',
        timer_key: null,
        recipient_employee_id: 'max',
        reason: 'assignee',
        template: 'task-assigned',
        params: expect.objectContaining({ link: '/app/appraisals/ap-1', dueAt: '2026-03-07T09:00:00.000Z' }),
        title_en: 'New task: the plan approval, due 2026-03-07 09:00 UTC',
      }),
    ]);
    const toMax = mailsOf(moved);
    expect(toMax.map((mail) => mail.to)).toEqual([['max@example.test']]);
    expect(toMax[0].subject).toBe('新任务：计划审批，2026-03-07 09:00 UTC 到期');
    expect(toMax[0].text).toContain('Max Zhou');
    expect(toMax[0].text).toContain('/app/appraisals/ap-1');
    expect(rows.filter((row) => row.recipient_employee_id === 'mia')).toHaveLength(1);

    // The change handed over again (a redelivery): it moves the same step to the same person, under
    // the same notification id, so no row is added and no e-mail is queued.
    const change = (
      await store.readStream(streamName(AGGREGATES.directory, tenantId, tenantId), { tenantId })
    ).slice(-1);
    expect(change.map((event) => event.type)).toEqual(['ManagerAssigned']);
    const queued: EmailJob[] = [];
    const again = timerNotificationsProjection({
      store,
      directories: new DirectoryHistory(store),
      enqueueEmails: async (jobs) => void queued.push(...jobs),
    });
    await inTransaction(pool, (tx) => again.handle(change, tx));
    expect(queued).toEqual([]);
    expect(await notificationsOf(tenantId)).toEqual(rows);

    // The tenant's whole log handed over again over the rows it left (a checkpoint moved back by
    // hand, no reset): the step open now is no step of the moments before it opened.
    const log = await tenantEvents(store, tenantId, again.eventTypes!);
    await inTransaction(pool, (tx) => again.handle(log, tx));
    expect(queued).toEqual([]);
    expect(await notificationsOf(tenantId)).toEqual(rows);

    // Rebuilt by the running worker (its open steps emptied, the log replayed from the first event):
    // still nothing new, in the app or by e-mail.
    const consumer = `timer-notifications-${scope}`;
    await requestRebuild(pool, consumer);
    await eventually(
      async () => {
        const [lag] = await readConsumerLag(pool, [consumer]);
        return !lag.rebuildRequested && lag.events === 0;
      },
      30_000,
      'the notifications rebuilt',
    );
    expect(await notificationsOf(tenantId)).toEqual(rows);
    expect(mailsOf(rows)).toHaveLength(3);
  });
});
