import type { PoolClient } from 'pg';
import {
  AGGREGATES,
  hrPartnersFor,
  processOwnersFor,
  resolveRelative,
  TIMER_NAMESPACE,
  uuidV5,
  type AppraisalEventOf,
  type Directory,
} from '@verity/domain';
import { streamName, type ConsumerHandler, type EventStore, type RecordedEvent } from '@verity/event-store';
import type { DirectoryHistory } from './directory-history';
import { renderNotification, type TemplateName, type TemplateParams } from './notification-templates';

export const NOTIFICATIONS_QUEUE = 'notifications';

/** An e-mail job: which notification to send, nothing about the person. */
export interface EmailJob {
  tenantId: string;
  notificationId: string;
}
export const emailJobId = (job: EmailJob) => `mail-${job.tenantId}-${job.notificationId}`;

export interface Recipient {
  employeeId: string | null;
  role: string | null;
  reason: string;
}

type TimerOutcome = AppraisalEventOf<'ReminderSent' | 'StepEscalated' | 'DeadlineMissed'>;

/** What the recipients depend on, read from the appraisal's first event only when needed. */
export interface AppraisalFacts {
  subjectEmployeeId: string | null;
  workflowId: string | null;
}

/**
 * Who is told of a timer outcome, from the directory as it stood when the timer fired: the step's
 * assignee for reminders and missed deadlines; the escalation level's target (manager, the
 * manager's manager, the HR partners or process owners of the appraisee's unit) for escalations.
 * HR's share (a vacant position, an escalation to HR) goes to the unit's HR partners, or to the HR
 * inbox when the unit has none; a process nobody owns goes to the process-owner inbox. So an
 * escalation never goes nowhere.
 */
export async function recipientsOf(
  event: TimerOutcome,
  directory: Directory,
  appraisalOf: () => Promise<AppraisalFacts>,
): Promise<Recipient[]> {
  const date = event.data.at;
  const people = (employeeIds: string[], inbox: string, reason: string): Recipient[] =>
    employeeIds.length
      ? employeeIds.map((employeeId) => ({ employeeId, role: null, reason }))
      : [{ employeeId: null, role: inbox, reason }];
  const hr = async (reason: string): Promise<Recipient[]> => {
    const { subjectEmployeeId } = await appraisalOf();
    return people(hrPartnersFor(directory, subjectEmployeeId, date), 'hr', reason);
  };
  const person = async (relative: string, reason: string): Promise<Recipient[]> => {
    const { subjectEmployeeId } = await appraisalOf();
    const employeeId =
      subjectEmployeeId === null ? null : resolveRelative(directory, relative, subjectEmployeeId, date);
    return employeeId === null ? hr(`${reason}-vacant`) : [{ employeeId, role: null, reason }];
  };
  const processOwners = async (reason: string): Promise<Recipient[]> => {
    const { subjectEmployeeId, workflowId } = await appraisalOf();
    const processes = [event.data.stepKey.split('.')[0], ...(workflowId === null ? [] : [workflowId])];
    return people(processOwnersFor(directory, processes, subjectEmployeeId, date), 'process-owner', reason);
  };
  if (event.type === 'StepEscalated') {
    const to = event.data.to;
    if (to === 'manager' || to === 'skip-level') return person(to, `escalation-${to}`);
    if (to === 'process-owner') return processOwners('escalation-process-owner');
    return hr('escalation-hr');
  }
  const { actor, employeeId } = event.data.assignee;
  if (employeeId !== null) return [{ employeeId, role: null, reason: 'assignee' }];
  if (actor === 'self' || actor === 'manager' || actor === 'skip-level') return person(actor, 'assignee');
  if (actor === 'process-owner') return processOwners('assignee');
  if (actor === 'hr') return hr('assignee');
  return [{ employeeId: null, role: actor, reason: 'assignee' }];
}

const TEMPLATE_OF: Record<TimerOutcome['type'], TemplateName> = {
  ReminderSent: 'reminder',
  DeadlineMissed: 'deadline-missed',
  StepEscalated: 'escalated',
};

/**
 * The in-app inbox of timer outcomes (one row per recipient, committed with the consumer's
 * checkpoint) and, when e-mail is on, one e-mail job per person. The job carries ids only; the
 * address is looked up when it is sent.
 */
export function timerNotificationsProjection(options: {
  store: EventStore;
  directories: DirectoryHistory;
  /** Queues e-mail jobs (called inside the transaction; a job that runs early retries). */
  enqueueEmails?: (jobs: EmailJob[]) => Promise<void>;
}): ConsumerHandler {
  const { store, directories, enqueueEmails } = options;
  const appraisals = new Map<string, AppraisalFacts>();

  async function appraisalOf(tenantId: string, appraisalId: string): Promise<AppraisalFacts> {
    const key = `${tenantId}/${appraisalId}`;
    const known = appraisals.get(key);
    if (known) return known;
    const [opened] = await store.readStream(streamName(AGGREGATES.appraisal, tenantId, appraisalId), {
      maxCount: 1,
      tenantId,
    });
    const data = opened?.data as AppraisalEventOf<'AppraisalOpened'>['data'] | undefined;
    const facts = {
      subjectEmployeeId: data?.subject.kind === 'employee' ? data.subject.employeeId : null,
      workflowId: data?.workflowId ?? null,
    };
    if (appraisals.size > 100_000) appraisals.clear();
    appraisals.set(key, facts);
    return facts;
  }

  async function insert(tx: PoolClient, tenantId: string, events: RecordedEvent[]): Promise<EmailJob[]> {
    const rows: (string | number | null)[][] = [];
    for (const event of events) {
      const outcome = { type: event.type, data: event.data } as TimerOutcome;
      const directory = await directories.asOf(tenantId, event.position);
      const params: TemplateParams = {
        appraisalId: outcome.data.appraisalId,
        stepKind: outcome.data.stepKey.split('.')[0],
        stepKey: outcome.data.stepKey,
        dueAt: outcome.data.dueAt,
        ...(outcome.type === 'StepEscalated' ? { level: outcome.data.level, to: outcome.data.to } : {}),
      };
      const template = TEMPLATE_OF[outcome.type];
      // The appraisal is read only when a position must be resolved from the directory.
      const facts = () => appraisalOf(tenantId, outcome.data.appraisalId);
      for (const recipient of await recipientsOf(outcome, directory, facts)) {
        const who = recipient.employeeId ?? `role/${recipient.role}`;
        rows.push([
          uuidV5(TIMER_NAMESPACE, `${event.eventId}/notify/${who}`),
          event.eventId,
          event.type,
          event.position,
          outcome.data.appraisalId,
          outcome.data.stepKey,
          outcome.data.timerKey,
          recipient.employeeId,
          recipient.role,
          recipient.reason,
          template,
          JSON.stringify(params),
          renderNotification(template, params, 'en').title,
          renderNotification(template, params, 'zh-CN').title,
          outcome.data.at,
          recipient.employeeId !== null && enqueueEmails ? 'pending' : 'none',
        ]);
      }
    }
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
    eventTypes: ['ReminderSent', 'StepEscalated', 'DeadlineMissed'],
    async handle(events, tx) {
      const tenants = new Map<string, RecordedEvent[]>();
      for (const event of events) {
        const group = tenants.get(event.metadata.tenantId) ?? [];
        group.push(event);
        tenants.set(event.metadata.tenantId, group);
      }
      const emails: EmailJob[] = [];
      for (const [tenantId, group] of tenants) {
        await tx.query("SELECT set_config('verity.tenant_id', $1, true)", [tenantId]);
        await directories.load(tenantId);
        emails.push(...(await insert(tx, tenantId, group)));
      }
      if (emails.length > 0) await enqueueEmails?.(emails);
    },
  };
}
