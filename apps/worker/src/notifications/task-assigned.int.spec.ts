import { AGGREGATES } from '@verity/domain';
import { readConsumerLag, requestRebuild, streamName } from '@verity/event-store';
import { inTransaction } from '@verity/platform';
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
import { eventually } from '../../../../test/support/eventually';
import { manualClock } from '../timers/clock';
import { notificationRows } from '../testing/notification-rows';
import { timersOfThisFile } from '../timers/testing/timers-of-this-file';
import { NodemailerEmailSender } from './nodemailer-email-sender';
import { SmtpInbox } from './testing/smtp-inbox';

const T0 = '2026-03-02T09:00:00.000Z';

/** Every step that lands on a person tells them: in the app (GET /notifications reads these rows) and by e-mail. */
describe('a task assigned when its step opens', () => {
  // One runtime for the file's tests, closed by the harness after them (before the inbox stops).
  const file = timersOfThisFile('task-assigned-test', 6);
  let inbox: SmtpInbox;

  beforeAll(async () => {
    inbox = new SmtpInbox();
    const smtpUrl = await inbox.start();
    await file.start({
      clock: manualClock(T0),
      email: { sender: new NodemailerEmailSender(smtpUrl, 'Verity <noreply@verity.test>') },
    });
  });
  afterAll(() => inbox.stop());

  const notificationsOf = (tenantId: string) => notificationRows(file.pool, tenantId);

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
    const tenantId = newTenant(`${file.scope}-task`);
    await planAwaitingApproval(file.store, tenantId, T0);

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
    const tenantId = newTenant(`${file.scope}-move`);
    await planAwaitingApproval(file.store, tenantId, T0);
    await told(tenantId, 2);

    // HR moves ann from mia to max: the plan approval, open and waiting on her manager, is max's now.
    await moveAnnTo(file.store, tenantId, 'max', '2026-03-03');
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
      await file.store.readStream(streamName(AGGREGATES.directory, tenantId, tenantId), { tenantId })
    ).slice(-1);
    expect(change.map((event) => event.type)).toEqual(['ManagerAssigned']);
    const queued: EmailJob[] = [];
    const again = timerNotificationsProjection({
      store: file.store,
      directories: new DirectoryHistory(file.store),
      enqueueEmails: async (jobs) => void queued.push(...jobs),
    });
    await inTransaction(file.pool, (tx) => again.handle(change, tx));
    expect(queued).toEqual([]);
    expect(await notificationsOf(tenantId)).toEqual(rows);

    // The tenant's whole log handed over again over the rows it left (a checkpoint moved back by
    // hand, no reset): the step open now is no step of the moments before it opened.
    const log = await tenantEvents(file.store, tenantId, again.eventTypes!);
    await inTransaction(file.pool, (tx) => again.handle(log, tx));
    expect(queued).toEqual([]);
    expect(await notificationsOf(tenantId)).toEqual(rows);

    // Rebuilt by the running worker (its open steps emptied, the log replayed from the first event):
    // still nothing new, in the app or by e-mail.
    const consumer = `timer-notifications-${file.scope}`;
    await requestRebuild(file.pool, consumer);
    await eventually(
      async () => {
        const [lag] = await readConsumerLag(file.pool, [consumer]);
        return !lag.rebuildRequested && lag.events === 0;
      },
      30_000,
      'the notifications rebuilt',
    );
    expect(await notificationsOf(tenantId)).toEqual(rows);
    expect(mailsOf(rows)).toHaveLength(3);
  });
});
