import { register } from 'prom-client';
import { timerEventId } from '@verity/domain';
import { eventually } from '../../../../test/support/eventually';
import { NodemailerEmailSender } from '../notifications/nodemailer-email-sender';
import { SmtpInbox } from '../notifications/testing/smtp-inbox';
import {
  directory,
  eastDirectory,
  openAppraisal,
  sleep,
  submitPlan,
  timerOutcomes,
} from '@verity/projections/timers/testing/timer-fixtures';
import { hire } from '../testing/directory-commands';
import { notificationRows } from '../testing/notification-rows';
import { timerOutcomesRecorded } from '../testing/timer-outcomes';
import { timerJobId } from './timer-job';
import { manualClock } from './clock';
import { timersOfThisFile, type FileTimers } from './testing/timers-of-this-file';
import type { TimersRuntime } from './timers.runtime';

const T0 = '2026-03-02T09:00:00.000Z';
const DAY = 86_400_000;

describe('timers (PostgreSQL event store and consumers, BullMQ, a real SMTP server)', () => {
  const file = timersOfThisFile('timers-test', 12);
  let runtime: TimersRuntime | undefined;
  const errors: string[] = [];
  // Steps of other test files' appraisals in this database may lack a workflow: not this test's business.
  const errorsOf = (tenantId: string) =>
    errors.filter((error) => !error.includes('step without timers') || error.includes(tenantId));

  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
  });

  /**
   * Starts the runtime on a clock that reads T0 and moves only when the test moves it: a timer fires
   * when the test fires it (`fire`), or at once when it is already due, never because time passed.
   */
  function start(
    clock: ReturnType<typeof manualClock>,
    email?: { sender: NodemailerEmailSender },
    retry?: { attempts: number; backoffMs: number },
  ) {
    return file.start({
      clock,
      email,
      retry,
      onError: (error, where) => errors.push(`${where}: ${String(error)}`),
    });
  }

  /** Moves the clock to the timer's due time, lets its job run now, and waits until it is marked fired. */
  async function fire(
    clock: ReturnType<typeof manualClock>,
    tenantId: string,
    appraisalId: string,
    timerKey: string,
  ) {
    const job = await eventually(
      () => runtime!.queue.getJob(timerJobId(tenantId, timerKey)),
      30_000,
      `the job of ${timerKey}`,
    );
    clock.advance(Math.max(0, clock.msUntil(job.data.fireAt)));
    await job.promote();
    return eventually(
      async () =>
        (await runtime!.timers.ofAppraisal(tenantId, appraisalId)).find(
          (timer) => timer.timerKey === timerKey && timer.status === 'fired',
        ),
      30_000,
      `${timerKey} fired`,
    );
  }

  const virtual = (days: number) => new Date(Date.parse(T0) + days * DAY).toISOString();

  /** `file.tenantTimedBy`, with the east directory: Ann under Mia under Bo; Max under Zoe. */
  async function setUp(name: string, plan: Parameters<FileTimers['tenantTimedBy']>[1]) {
    const { tenantId, workflow } = await file.tenantTimedBy(name, plan);
    await eastDirectory(file.store, tenantId, [
      ['bo', null, 'Bo Li'],
      ['mia', 'bo', 'Mia Wang'],
      ['zoe', null, 'Zoe Chen'],
      ['max', 'zoe', 'Max Zhao'],
      ['ann', 'mia', 'Ann Liu'],
    ]);
    return { tenantId, workflow };
  }

  // The timers' own notifications: the task told when a step opens is task-assigned.int.spec.ts's.
  const notificationsOf = async (tenantId: string) =>
    (await notificationRows(file.pool, tenantId)).filter((row) => row.event_type !== 'StepOpened');

  it('fires a reminder once, records it, and a repeated job records nothing more', async () => {
    const { tenantId, workflow } = await setUp('remind', { days: 2, daysBefore: [1] });
    const clock = manualClock(T0);
    runtime = await start(clock); // the reminder is due a day after T0, the deadline two
    await openAppraisal(file.store, tenantId, 'ap-1', workflow, T0);
    const key = 'reminder-ap-1-plan-1-0';

    const pendingJob = await eventually(
      () => runtime!.queue.getJob(timerJobId(tenantId, key)),
      30_000,
      'the job',
    );
    expect(pendingJob.data).toEqual({
      tenantId,
      timerKey: key,
      appraisalId: 'ap-1',
      stepKey: 'plan',
      occurrence: 1,
      kind: 'reminder',
      level: 0,
      fireAt: virtual(1),
    });
    expect(await pendingJob.getState()).toBe('delayed');

    const fired = await fire(clock, tenantId, 'ap-1', key);
    expect(fired.firedAt! >= virtual(1)).toBe(true);
    const outcomes = await timerOutcomes(file.store, tenantId);
    expect(outcomes.map((event) => [event.type, event.eventId])).toEqual([
      ['ReminderSent', timerEventId(tenantId, key)],
    ]);
    expect(outcomes[0].data).toMatchObject({
      timerKey: key,
      reminder: 0,
      assignee: { actor: 'self', employeeId: 'ann' },
    });

    // BullMQ is at-least-once: the same job once more records nothing.
    await runtime.alarm.add([pendingJob.data]);
    await eventually(
      async () => !(await runtime!.queue.getJob(timerJobId(tenantId, key))),
      30_000,
      'the repeat ran',
    );
    expect((await timerOutcomes(file.store, tenantId)).length).toBe(1);

    await eventually(async () => (await notificationsOf(tenantId)).length === 1, 30_000, 'the inbox row');
    expect(await notificationsOf(tenantId)).toEqual([
      expect.objectContaining({
        timer_key: key,
        recipient_employee_id: 'ann',
        recipient_role: null,
        reason: 'assignee',
        title_en: 'Reminder: the performance plan is due 2026-03-04 09:00 UTC',
        title_zh: '提醒：绩效计划将于 2026-03-04 09:00 UTC 到期',
        email_status: 'none',
      }),
    ]);
    // On the worker's registry (served at /metrics): lateness observed, queue gauges by state.
    const metrics = await register.metrics();
    expect(metrics).toMatch(/verity_timer_lateness_seconds_count\{kind="reminder"\} [1-9]/);
    expect(metrics).toMatch(/verity_timer_jobs\{queue="timers",state="delayed"\} [1-9]/);
    expect(metrics).toContain('verity_timer_jobs{queue="timers",state="failed"} 0');
    expect(errorsOf(tenantId)).toEqual([]);
  });

  it('fires nothing for a step completed before its due time, and removes its jobs', async () => {
    const { tenantId, workflow } = await setUp('done', {
      days: 1,
      daysBefore: [],
      escalation: [{ afterDays: 1, to: 'manager' }],
    });
    const clock = manualClock(T0);
    runtime = await start(clock); // deadline a day after T0, escalation two
    await openAppraisal(file.store, tenantId, 'ap-2', workflow, T0);
    const deadline = timerJobId(tenantId, 'deadline-ap-2-plan-1-0');
    await eventually(() => runtime!.queue.getJob(deadline), 30_000, 'the deadline job');

    await submitPlan(file.store, tenantId, 'ap-2', workflow, virtual(0.2));
    await eventually(
      async () =>
        (await runtime!.timers.ofAppraisal(tenantId, 'ap-2'))
          .filter((timer) => timer.stepKey === 'plan')
          .every((timer) => timer.status === 'cancelled'),
      30_000,
      'the plan timers cancelled',
    );
    expect(await runtime.queue.getJob(deadline)).toBeUndefined();
    expect(await runtime.queue.getJob(timerJobId(tenantId, 'escalation-ap-2-plan-1-1'))).toBeUndefined();

    // Past the deadline and the escalation, a reconcile does not bring their jobs back.
    clock.advance(3 * DAY);
    await runtime.reconcile();
    expect(await runtime.queue.getJob(deadline)).toBeUndefined();
    expect(await runtime.queue.getJob(timerJobId(tenantId, 'escalation-ap-2-plan-1-1'))).toBeUndefined();
    expect(await timerOutcomes(file.store, tenantId)).toEqual([]);
    const timers = await runtime.timers.ofAppraisal(tenantId, 'ap-2');
    expect(timers.map((timer) => [timer.timerKey, timer.status])).toEqual([
      ['deadline-ap-2-plan-1-0', 'cancelled'],
      ['escalation-ap-2-plan-1-1', 'cancelled'],
      ['deadline-ap-2-plan-approval-1-0', 'pending'], // plan approval opened, due in 300 days
    ]);
  });

  it('walks an escalation chain: manager, then the manager’s manager as the directory stood then, then the HR partner', async () => {
    const inbox = new SmtpInbox();
    const smtpUrl = await inbox.start();
    try {
      const { tenantId, workflow } = await setUp('escalate', {
        days: 1,
        escalation: [
          { afterDays: 1, to: 'manager' },
          { afterDays: 2, to: 'skip-level' },
          { afterDays: 3, to: 'hr' },
        ],
      });
      // East's HR partner: HR's level reaches her by name, in the app and by e-mail.
      await directory(file.store, tenantId, [
        hire('hana', 'east', null, 'Hana Sun', '2026-01-01', {
          position: 'HR partner',
          email: 'hana@example.test',
        }),
        {
          type: 'AssignHrPartner',
          data: { employeeId: 'hana', orgUnitId: 'east', effectiveFrom: '2026-01-01' },
        },
      ]);
      const clock = manualClock(T0);
      runtime = await start(clock, {
        sender: new NodemailerEmailSender(smtpUrl, 'Verity <noreply@verity.test>'),
      });
      await openAppraisal(file.store, tenantId, 'ap-3', workflow, T0);

      await fire(clock, tenantId, 'ap-3', 'deadline-ap-3-plan-1-0');
      await fire(clock, tenantId, 'ap-3', 'escalation-ap-3-plan-1-1');
      // Ann moves to Max (who reports to Zoe) from the day level 2 fires: level 1 stays with Mia.
      await directory(file.store, tenantId, [
        {
          type: 'AssignManager',
          data: { employeeId: 'ann', managerId: 'max', effectiveFrom: virtual(3).slice(0, 10) },
        },
      ]);
      await fire(clock, tenantId, 'ap-3', 'escalation-ap-3-plan-1-2');
      await fire(clock, tenantId, 'ap-3', 'escalation-ap-3-plan-1-3');
      const outcomes = await timerOutcomes(file.store, tenantId);
      expect(outcomes.map((event) => [event.type, (event.data as { to?: string }).to ?? null])).toEqual([
        ['DeadlineMissed', null],
        ['StepEscalated', 'manager'],
        ['StepEscalated', 'skip-level'],
        ['StepEscalated', 'hr'],
      ]);
      const at = outcomes.map((event) => Date.parse((event.data as { at: string }).at));
      expect(at.every((time, i) => i === 0 || time > at[i - 1])).toBe(true);
      expect((outcomes[3].data as { at: string }).at >= virtual(4)).toBe(true);

      const rows = await eventually(
        async () => {
          const found = await notificationsOf(tenantId);
          return found.length === 4 && found.every((row) => row.email_status !== 'pending') && found;
        },
        30_000,
        'notifications sent',
      );
      expect(
        rows.map((row) => [
          row.timer_key,
          row.recipient_employee_id ?? `role:${row.recipient_role}`,
          row.reason,
          row.email_status,
        ]),
      ).toEqual([
        ['deadline-ap-3-plan-1-0', 'ann', 'assignee', 'sent'],
        ['escalation-ap-3-plan-1-1', 'mia', 'escalation-manager', 'sent'],
        ['escalation-ap-3-plan-1-2', 'zoe', 'escalation-skip-level', 'sent'],
        ['escalation-ap-3-plan-1-3', 'hana', 'escalation-hr', 'sent'],
      ]);
      // Sent by several e-mail workers at once: the order they arrive in is not a promise.
      const chain = ['ann', 'mia', 'zoe', 'hana'].map((name) => `${name}@example.test`);
      const mails = inbox.mails
        .filter((mail) => !mail.subject.startsWith('新任务'))
        .sort((a, b) => chain.indexOf(a.to[0]) - chain.indexOf(b.to[0]));
      expect(mails.map((mail) => [mail.to, mail.subject])).toEqual([
        [['ann@example.test'], '绩效计划已逾期'],
        [['mia@example.test'], '绩效计划逾期升级（第 1 级）'],
        [['zoe@example.test'], '绩效计划逾期升级（第 2 级）'],
        [['hana@example.test'], '绩效计划逾期升级（第 3 级）'],
      ]);
      expect(mails[1].text).toContain('Mia Wang，您好');
      expect(mails[1].text).toContain('已升级至直属上级');
      expect(errorsOf(tenantId)).toEqual([]);
    } finally {
      await runtime?.close();
      runtime = undefined;
      await inbox.stop();
    }
  });

  it('finishes a FireTimer in hand when it shuts down, instead of dropping it', async () => {
    const { tenantId, workflow } = await setUp('shutdown', { days: 1 });
    await openAppraisal(file.store, tenantId, 'ap-4', workflow, virtual(-1)); // due at T0: now
    // Hold the stream's head row so the job's append waits: the job is in flight.
    const holder = await file.pool.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT * FROM streams WHERE stream_id = $1 FOR UPDATE', [
      `appraisal-${tenantId}.ap-4`,
    ]);
    const started = await start(manualClock(T0));
    const jobId = timerJobId(tenantId, 'deadline-ap-4-plan-1-0');
    await eventually(
      async () => (await (await started.queue.getJob(jobId))?.getState()) === 'active',
      30_000,
      'in flight',
    );

    let closed = false;
    const closing = started.close().then(() => (closed = true));
    await sleep(500);
    expect(closed).toBe(false);
    await holder.query('COMMIT');
    holder.release();
    await closing;
    // Another database's transaction can keep the committed outcome unreadable for a moment.
    const outcomes = await timerOutcomesRecorded(file.store, tenantId, 60_000, 'the outcome readable');
    expect(outcomes.map((event) => event.type)).toEqual(['DeadlineMissed']);
  });

  it('keeps a refused e-mail as a failed job whose reason names no address', async () => {
    const inbox = new SmtpInbox({ rejectRecipients: true });
    const smtpUrl = await inbox.start();
    try {
      const { tenantId, workflow } = await setUp('refused', { days: 2, daysBefore: [2] }); // the reminder is due at once
      runtime = await start(
        manualClock(T0),
        { sender: new NodemailerEmailSender(smtpUrl, 'Verity <noreply@verity.test>') },
        { attempts: 2, backoffMs: 100 },
      );
      await openAppraisal(file.store, tenantId, 'ap-5', workflow, T0);
      // The reminder's own e-mail: the step's opening sends one too (task-assigned), which may fail first.
      const [reminder] = await eventually(
        async () => {
          const rows = await notificationsOf(tenantId);
          return rows.length === 1 && rows;
        },
        30_000,
        'the reminder row',
      );
      const failed = await eventually(
        async () =>
          (await runtime!.emailQueue.getFailed()).find(
            (job) => job.data.tenantId === tenantId && job.data.notificationId === reminder.notification_id,
          ),
        30_000,
        'the e-mail job failed',
      );
      expect(failed.attemptsMade).toBe(2);
      expect(failed.failedReason).toMatch(/^e-mail not sent: /);
      expect(failed.failedReason).not.toContain('@');
      expect(JSON.stringify(failed.data)).not.toContain('@');
      expect((await notificationsOf(tenantId)).map((row) => row.email_status)).toEqual(['pending']);
    } finally {
      await runtime?.close();
      runtime = undefined;
      await inbox.stop();
    }
  });
});
