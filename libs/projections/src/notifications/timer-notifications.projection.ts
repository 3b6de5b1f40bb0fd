import type { PoolClient } from 'pg';
import {
  AGGREGATES,
  changeDay,
  recipientsOf,
  REPORTING_LINE_EVENTS,
  stepsMovedBy,
  taskLandsNow,
  TIMER_NAMESPACE,
  uuidV5,
  type AppraisalEventOf,
  type AppraisalFacts,
  type Recipient,
  type StepLifecycleEvent,
  type StepNotice,
} from '@verity/domain';
import { streamName, type ConsumerHandler, type EventStore, type RecordedEvent } from '@verity/event-store';
import { Remembered } from '../remembered';
import { groupByTenant } from '../rls/tenant-batch';
import type { DirectoryHistory } from './directory-history';
import { resetOpenSteps, TenantOpenSteps } from './open-position-steps';
import { renderNotification, type TemplateName, type TemplateParams } from './notification-templates';

export const NOTIFICATIONS_QUEUE = 'notifications';

/** An e-mail job: which notification to send, nothing about the person. */
export interface EmailJob {
  tenantId: string;
  notificationId: string;
}
export const emailJobId = (job: EmailJob) => `mail-${job.tenantId}-${job.notificationId}`;

const TEMPLATE_OF: Record<StepNotice['type'], TemplateName> = {
  StepOpened: 'task-assigned',
  ReminderSent: 'reminder',
  DeadlineMissed: 'deadline-missed',
  StepEscalated: 'escalated',
};
const MOVES_STEPS = new Set<string>(REPORTING_LINE_EVENTS);
/** Appraisals whose opening facts are kept: about 100 bytes each. */
const MAX_REMEMBERED_APPRAISALS = 100_000;

/**
 * The in-app inbox of steps landing on people (a task assigned when its step opens, or when a
 * reporting-line change moves it to them) and of timer outcomes (one row per recipient, committed
 * with the consumer's checkpoint) and, when e-mail is on, one e-mail job per person. The job
 * carries ids only; the address is looked up when it is sent.
 */
export function timerNotificationsProjection(options: {
  store: EventStore;
  directories: DirectoryHistory;
  /** Queues e-mail jobs (called inside the transaction; a job that runs early retries). */
  enqueueEmails?: (jobs: EmailJob[]) => Promise<void>;
}): ConsumerHandler {
  const { store, directories, enqueueEmails } = options;
  const appraisals = new Remembered<AppraisalFacts>(MAX_REMEMBERED_APPRAISALS);
  const streamOf = (tenantId: string, appraisalId: string) =>
    streamName(AGGREGATES.appraisal, tenantId, appraisalId);

  function remember(key: string, opened: RecordedEvent | undefined): AppraisalFacts {
    const data = opened?.data as AppraisalEventOf<'AppraisalOpened'>['data'] | undefined;
    const facts = {
      subjectEmployeeId: data?.subject.kind === 'employee' ? data.subject.employeeId : null,
      workflowId: data?.workflowId ?? null,
      subjectOrgUnitId: data?.subject.kind === 'org-unit' ? data.subject.orgUnitId : null,
    };
    appraisals.set(key, facts);
    return facts;
  }

  async function appraisalOf(tenantId: string, appraisalId: string): Promise<AppraisalFacts> {
    const key = `${tenantId}/${appraisalId}`;
    const known = appraisals.get(key);
    if (known) return known;
    const [opened] = await store.readStream(streamOf(tenantId, appraisalId), { maxCount: 1, tenantId });
    return remember(key, opened);
  }

  /**
   * The batch's appraisals not known yet, read in one round trip: a cycle's deadline falls due for
   * everyone at once, and one read per appraisal was a round trip per notification (bench:timers:
   * 1,100 reads a second at 1,667 timers a second once more appraisals were due than remembered).
   * One that has no stream is left to `appraisalOf`, which fails on it as before.
   */
  async function rememberAppraisals(tenantId: string, events: RecordedEvent[]): Promise<void> {
    const unknown = new Map<string, string>(); // stream id → key
    for (const event of events) {
      if (MOVES_STEPS.has(event.type) || event.type === 'StepCompleted' || event.type === 'StepWithdrawn')
        continue;
      const { appraisalId } = event.data as { appraisalId: string };
      const key = `${tenantId}/${appraisalId}`;
      if (!appraisals.has(key)) unknown.set(streamOf(tenantId, appraisalId), key);
    }
    if (unknown.size < 2) return;
    const read = await store.readStreams([...unknown.keys()], { maxCount: 1, tenantId });
    for (const [streamId, key] of unknown) {
      const [opened] = read.get(streamId) ?? [];
      if (opened) remember(key, opened);
    }
  }

  /** The row of one notification (column order of the INSERT below). */
  function rowOf(
    notificationId: string,
    event: RecordedEvent,
    notice: { appraisalId: string; stepKey: string; timerKey: string | null; at: string },
    recipient: Recipient,
    template: TemplateName,
    params: TemplateParams,
  ): (string | number | null)[] {
    return [
      notificationId,
      event.eventId,
      event.type,
      event.position,
      notice.appraisalId,
      notice.stepKey,
      notice.timerKey,
      recipient.employeeId,
      recipient.role,
      recipient.reason,
      template,
      JSON.stringify(params),
      renderNotification(template, params, 'en').title,
      renderNotification(template, params, 'zh-CN').title,
      notice.at,
      recipient.employeeId !== null && enqueueEmails ? 'pending' : 'none',
    ];
  }

  const taskParams = (appraisalId: string, stepKey: string, dueAt: string | null): TemplateParams => ({
    appraisalId,
    stepKind: stepKey.split('.')[0],
    stepKey,
    dueAt,
    // Where to act: the appraisal's page in the web app.
    link: `/app/appraisals/${encodeURIComponent(appraisalId)}`,
  });
  const who = (recipient: Recipient) => recipient.employeeId ?? `role/${recipient.role}`;

  /** A step landing on someone as it opens, or a timer's outcome: told to its recipients then. */
  async function noticeRows(tenantId: string, event: RecordedEvent, notice: StepNotice) {
    if (notice.type === 'StepOpened' && !taskLandsNow(notice)) return [];
    const directory = await directories.asOf(tenantId, event.position);
    const params: TemplateParams = {
      ...taskParams(notice.data.appraisalId, notice.data.stepKey, notice.data.dueAt),
      ...(notice.type === 'StepEscalated' ? { level: notice.data.level, to: notice.data.to } : {}),
    };
    const template = TEMPLATE_OF[notice.type];
    const facts = await appraisalOf(tenantId, notice.data.appraisalId);
    const timerKey = notice.type === 'StepOpened' ? null : notice.data.timerKey;
    return recipientsOf(notice, directory, () => facts).map((recipient) =>
      rowOf(
        uuidV5(TIMER_NAMESPACE, `${event.eventId}/notify/${who(recipient)}`),
        event,
        { ...notice.data, timerKey },
        recipient,
        template,
        params,
      ),
    );
  }

  /**
   * A reporting-line change: the open steps it gives to someone else are told to them as a task
   * assigned (ADR 0158), one row per step and newcomer, its id from the change's event and the step.
   */
  async function movedRows(tenantId: string, event: RecordedEvent, open: TenantOpenSteps) {
    const { before, after } = await directories.around(tenantId, event.position);
    const { effectiveFrom } = event.data as { effectiveFrom: string };
    const at = event.recordedAt.toISOString();
    return stepsMovedBy(open.openBefore(event.position), before, after, changeDay(effectiveFrom, at)).flatMap(
      ({ step, newcomers }) =>
        newcomers.map((recipient) =>
          rowOf(
            uuidV5(
              TIMER_NAMESPACE,
              `${event.eventId}/moves/${step.appraisalId}/${step.stepKey}/${step.occurrence}/${who(recipient)}`,
            ),
            event,
            { appraisalId: step.appraisalId, stepKey: step.stepKey, timerKey: null, at },
            recipient,
            'task-assigned',
            taskParams(step.appraisalId, step.stepKey, step.dueAt),
          ),
        ),
    );
  }

  async function insert(tx: PoolClient, tenantId: string, events: RecordedEvent[]): Promise<EmailJob[]> {
    const changesLine = events.some((event) => MOVES_STEPS.has(event.type));
    const open = await TenantOpenSteps.of(tx, tenantId, changesLine);
    await rememberAppraisals(tenantId, events);
    const rows: (string | number | null)[][] = [];
    for (const event of events) {
      const step = { type: event.type, data: event.data } as StepLifecycleEvent | StepNotice;
      if (MOVES_STEPS.has(event.type)) rows.push(...(await movedRows(tenantId, event, open)));
      else if (step.type === 'StepCompleted' || step.type === 'StepWithdrawn') open.closed(step);
      else {
        if (step.type === 'StepOpened')
          open.opened(step, event.position, await appraisalOf(tenantId, step.data.appraisalId));
        rows.push(...(await noticeRows(tenantId, event, step)));
      }
    }
    await open.write(tx);
    if (rows.length === 0) return [];
    const column = (index: number) => rows.map((row) => row[index]);
    const inserted = await tx.query<{ notification_id: string; email_status: string }>(
      `INSERT INTO notifications (tenant_id, notification_id, event_id, event_type, position, appraisal_id,
                                  step_key, timer_key, recipient_employee_id, recipient_role, reason, template,
                                  params, title_en, title_zh, created_at, email_status)
       SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::numeric[], $6::text[], $7::text[],
                                $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::jsonb[],
                                $14::text[], $15::text[], $16::timestamptz[], $17::text[])
       ON CONFLICT (tenant_id, notification_id) DO NOTHING
       RETURNING notification_id, email_status`,
      [tenantId, ...Array.from({ length: 16 }, (_, index) => column(index))],
    );
    return inserted.rows
      .filter((row) => row.email_status === 'pending')
      .map((row) => ({ tenantId, notificationId: row.notification_id }));
  }

  return {
    name: 'timer-notifications',
    eventTypes: [...Object.keys(TEMPLATE_OF), 'StepCompleted', 'StepWithdrawn', ...REPORTING_LINE_EVENTS],
    /** Empties the open steps for a rebuild; the notifications stay (their ids make a replay send nothing). */
    reset: resetOpenSteps,
    async handle(events, tx) {
      const emails: EmailJob[] = [];
      for (const [tenantId, group] of groupByTenant(events)) {
        await tx.query("SELECT set_config('verity.tenant_id', $1, true)", [tenantId]);
        await directories.load(tenantId);
        emails.push(...(await insert(tx, tenantId, group)));
      }
      if (emails.length > 0) await enqueueEmails?.(emails);
    },
  };
}
