import type { PoolClient } from 'pg';
import type { ConsumerHandler, RecordedEvent } from '@verity/event-store';
import { groupByTenant, jsonLiteral, recordset, runScript, tenantStatement } from '../rls/tenant-batch';
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

const APPRAISAL_COLUMNS = [
  ['tenantId', 'tenant_id', 'text'],
  ['appraisalId', 'appraisal_id', 'text'],
  ['revision', 'revision', 'bigint'],
  ['cycleId', 'cycle_id', 'text'],
  ['employeeId', 'employee_id', 'text'],
  ['orgUnitId', 'org_unit_id', 'text'],
  ['workflowId', 'workflow_id', 'text'],
] as const satisfies readonly (readonly [keyof InboxAppraisalRow, string, string])[];

const PROGRESS = [
  ['completedAt', 'completed_at', 'timestamptz'],
  ['completedBy', 'completed_by', 'text'],
  ['late', 'late', 'boolean'],
  ['deadlineMissed', 'deadline_missed', 'boolean'],
  ['escalationLevel', 'escalation_level', 'integer'],
  ['escalatedTo', 'escalated_to', 'text'],
  ['reminders', 'reminders', 'integer'],
] as const satisfies readonly (readonly [keyof StepPatch, string, string])[];

const STEP_COLUMNS = [
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
  ...PROGRESS,
] as const satisfies readonly (readonly [keyof StepRow, string, string])[];

const PATCH_COLUMNS = [
  ['appraisalId', 'appraisal_id', 'text'],
  ['stepKey', 'step_key', 'text'],
  ['occurrence', 'occurrence', 'integer'],
  ...PROGRESS,
] as const satisfies readonly (readonly [keyof StepPatch, string, string])[];

type Columns = readonly (readonly [string, string, string])[];
const sqlColumns = (columns: Columns) => columns.map(([, c, t]) => [c, t] as const);
const names = (columns: Columns) => columns.map(([, c]) => c).join(', ');
const records = <T extends object>(rows: readonly T[], columns: Columns) =>
  rows.map((row) =>
    Object.fromEntries(columns.map(([key, c]) => [c, (row as Record<string, unknown>)[key]])),
  );

function writeStatements(tenant: string, changes: InboxChanges): string[] {
  const statements = [tenantStatement(tenant)];
  const opened = [...changes.opened.values()];
  if (opened.length > 0)
    statements.push(
      `INSERT INTO inbox_steps (${names(STEP_COLUMNS)}) SELECT ${names(STEP_COLUMNS)}
         FROM ${recordset(records(opened, STEP_COLUMNS), sqlColumns(STEP_COLUMNS))} ON CONFLICT DO NOTHING`,
    );
  const patches = [...changes.patches.values()];
  // Progress on earlier steps, merged as `mergeProgress` merges it in memory.
  if (patches.length > 0)
    statements.push(
      `UPDATE inbox_steps s SET
         completed_at = coalesce(p.completed_at, s.completed_at),
         completed_by = coalesce(p.completed_by, s.completed_by),
         late = coalesce(p.late, s.late),
         deadline_missed = s.deadline_missed OR p.deadline_missed,
         escalated_to = CASE WHEN p.escalation_level > s.escalation_level THEN p.escalated_to ELSE s.escalated_to END,
         escalation_level = greatest(s.escalation_level, p.escalation_level),
         reminders = s.reminders + p.reminders
       FROM ${recordset(records(patches, PATCH_COLUMNS), sqlColumns(PATCH_COLUMNS), 'p')}
       WHERE s.appraisal_id = p.appraisal_id AND s.step_key = p.step_key AND s.occurrence = p.occurrence`,
    );
  const appraisals = [...changes.appraisals.values()];
  if (appraisals.length > 0)
    statements.push(
      `INSERT INTO inbox_appraisals (${names(APPRAISAL_COLUMNS)}) SELECT ${names(APPRAISAL_COLUMNS)}
         FROM ${recordset(records(appraisals, APPRAISAL_COLUMNS), sqlColumns(APPRAISAL_COLUMNS))}
       ON CONFLICT (tenant_id, appraisal_id) DO UPDATE SET revision = EXCLUDED.revision`,
    );
  return statements;
}

/**
 * Inbox: open steps per person with due time, overdue and escalation; SLA and activity per unit.
 * Two round trips per batch, whatever its tenants: load the appraisals it touches, write the rest.
 */
export const inboxProjection: ConsumerHandler & { reset(tx: PoolClient): Promise<void> } = {
  name: 'inbox',
  eventTypes: INBOX_EVENTS,
  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    const groups = [...groupByTenant(events)].map(([tenant, group]) => ({
      tenant,
      group,
      ids: [...new Set(group.map((e) => (e.data as { appraisalId: string }).appraisalId))],
    }));
    const loaded = await runScript(
      tx,
      groups.flatMap(({ tenant, ids }) => [
        tenantStatement(tenant),
        `SELECT ${names(APPRAISAL_COLUMNS)} FROM inbox_appraisals
          WHERE appraisal_id IN (SELECT jsonb_array_elements_text(${jsonLiteral(ids)}))`,
      ]),
    );
    const writes = groups.flatMap(({ tenant, group }, i) => {
      const current = new Map<string, InboxAppraisalRow>(
        loaded[i * 2 + 1].rows.map((r) => [
          r.appraisal_id,
          Object.fromEntries(
            APPRAISAL_COLUMNS.map(([key, c]) => [key, r[c]]),
          ) as unknown as InboxAppraisalRow,
        ]),
      );
      return writeStatements(tenant, projectInboxEvents(current, group));
    });
    await runScript(tx, writes);
  },
  /** Empties every tenant's rows (TRUNCATE is not filtered by row-level security). */
  async reset(tx: PoolClient): Promise<void> {
    await tx.query(`TRUNCATE ${INBOX_TABLES.join(', ')}`);
  },
};
