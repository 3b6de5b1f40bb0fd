import type { PoolClient } from 'pg';
import type { ConsumerHandler, RecordedEvent } from '@verity/event-store';
import { groupByTenant, setTenant, unnestParams } from '../rls/tenant-batch';
import {
  INBOX_EVENTS,
  projectInboxEvents,
  type InboxAppraisalRow,
  type InboxChanges,
  type StepPatch,
  type StepRow,
} from './inbox.project';

/** The inbox tables, children first. */
export const INBOX_TABLES = ['inbox_steps', 'inbox_appraisals'] as const;

async function loadAppraisals(tx: PoolClient, ids: string[]): Promise<Map<string, InboxAppraisalRow>> {
  const { rows } = await tx.query<{
    tenant_id: string;
    appraisal_id: string;
    revision: string;
    cycle_id: string;
    employee_id: string | null;
    org_unit_id: string;
    workflow_id: string;
  }>(
    `SELECT tenant_id, appraisal_id, revision, cycle_id, employee_id, org_unit_id, workflow_id
       FROM inbox_appraisals WHERE appraisal_id = ANY($1::text[])`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.appraisal_id,
      {
        tenantId: r.tenant_id,
        appraisalId: r.appraisal_id,
        revision: r.revision,
        cycleId: r.cycle_id,
        employeeId: r.employee_id,
        orgUnitId: r.org_unit_id,
        workflowId: r.workflow_id,
      },
    ]),
  );
}

async function saveAppraisals(tx: PoolClient, changes: InboxChanges): Promise<void> {
  const rows = [...changes.appraisals.values()];
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO inbox_appraisals (tenant_id, appraisal_id, revision, cycle_id, employee_id, org_unit_id, workflow_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[])
     ON CONFLICT (tenant_id, appraisal_id) DO UPDATE SET revision = EXCLUDED.revision`,
    unnestParams(rows, [
      (r) => r.tenantId,
      (r) => r.appraisalId,
      (r) => r.revision,
      (r) => r.cycleId,
      (r) => r.employeeId,
      (r) => r.orgUnitId,
      (r) => r.workflowId,
    ]),
  );
}

const PROGRESS: [keyof StepPatch, string, string][] = [
  ['completedAt', 'completed_at', 'timestamptz'],
  ['completedBy', 'completed_by', 'text'],
  ['late', 'late', 'boolean'],
  ['deadlineMissed', 'deadline_missed', 'boolean'],
  ['escalationLevel', 'escalation_level', 'integer'],
  ['escalatedTo', 'escalated_to', 'text'],
  ['reminders', 'reminders', 'integer'],
];

const STEP_COLUMNS: [keyof StepRow, string, string][] = [
  ['tenantId', 'tenant_id', 'text'],
  ['appraisalId', 'appraisal_id', 'text'],
  ['stepKey', 'step_key', 'text'],
  ['occurrence', 'occurrence', 'integer'],
  ['kind', 'kind', 'text'],
  ['instance', 'instance', 'text'],
  ['workflowId', 'workflow_id', 'text'],
  ['workflowVersion', 'workflow_version', 'integer'],
  ['cycleId', 'cycle_id', 'text'],
  ['subjectEmployeeId', 'subject_employee_id', 'text'],
  ['orgUnitId', 'org_unit_id', 'text'],
  ['actor', 'actor', 'text'],
  ['assigneeEmployeeId', 'assignee_employee_id', 'text'],
  ['openedAt', 'opened_at', 'timestamptz'],
  ['dueAt', 'due_at', 'timestamptz'],
  ...(PROGRESS as [keyof StepRow, string, string][]),
];

async function saveOpened(tx: PoolClient, changes: InboxChanges): Promise<void> {
  const rows = [...changes.opened.values()];
  if (rows.length === 0) return;
  const params = STEP_COLUMNS.map(([, , t], i) => `$${i + 1}::${t}[]`).join(', ');
  await tx.query(
    `INSERT INTO inbox_steps (${STEP_COLUMNS.map(([, c]) => c).join(', ')}) SELECT * FROM unnest(${params})
     ON CONFLICT DO NOTHING`,
    unnestParams(
      rows,
      STEP_COLUMNS.map(
        ([key]) =>
          (row: StepRow) =>
            row[key],
      ),
    ),
  );
}

/** Progress on earlier steps, merged as `mergeProgress` merges it in memory. */
async function savePatches(tx: PoolClient, changes: InboxChanges): Promise<void> {
  const patches = [...changes.patches.values()];
  if (patches.length === 0) return;
  const keys: [keyof StepPatch, string, string][] = [
    ['appraisalId', 'appraisal_id', 'text'],
    ['stepKey', 'step_key', 'text'],
    ['occurrence', 'occurrence', 'integer'],
  ];
  const columns = [...keys, ...PROGRESS];
  await tx.query(
    `UPDATE inbox_steps s SET
       completed_at = coalesce(p.completed_at, s.completed_at),
       completed_by = coalesce(p.completed_by, s.completed_by),
       late = coalesce(p.late, s.late),
       deadline_missed = s.deadline_missed OR p.deadline_missed,
       escalated_to = CASE WHEN p.escalation_level > s.escalation_level THEN p.escalated_to ELSE s.escalated_to END,
       escalation_level = greatest(s.escalation_level, p.escalation_level),
       reminders = s.reminders + p.reminders
     FROM unnest(${columns.map(([, , t], i) => `$${i + 1}::${t}[]`).join(', ')})
          AS p(${columns.map(([, c]) => c).join(', ')})
     WHERE s.appraisal_id = p.appraisal_id AND s.step_key = p.step_key AND s.occurrence = p.occurrence`,
    unnestParams(
      patches,
      columns.map(
        ([key]) =>
          (patch: StepPatch) =>
            patch[key],
      ),
    ),
  );
}

/** Inbox: open steps per person with due time, overdue and escalation; SLA and activity per unit. */
export const inboxProjection: ConsumerHandler & { reset(tx: PoolClient): Promise<void> } = {
  name: 'inbox',
  eventTypes: INBOX_EVENTS,
  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    for (const [tenant, group] of groupByTenant(events)) {
      await setTenant(tx, tenant);
      const ids = [...new Set(group.map((e) => (e.data as { appraisalId: string }).appraisalId))];
      const changes = projectInboxEvents(await loadAppraisals(tx, ids), group);
      await saveOpened(tx, changes);
      await savePatches(tx, changes);
      await saveAppraisals(tx, changes);
    }
  },
  /** Empties every tenant's rows (TRUNCATE is not filtered by row-level security). */
  async reset(tx: PoolClient): Promise<void> {
    await tx.query(`TRUNCATE ${INBOX_TABLES.join(', ')}`);
  },
};
