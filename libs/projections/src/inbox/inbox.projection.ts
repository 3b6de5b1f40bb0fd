import type { PoolClient } from 'pg';
import type { ConsumerHandler, RecordedEvent } from '@verity/event-store';
import { groupByTenant, jsonLiteral, runScript, tenantStatement } from '../rls/tenant-batch';
import {
  INBOX_EVENTS,
  projectInboxEvents,
  type InboxAppraisalRow,
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
const names = (columns: Columns) => columns.map(([, c]) => c).join(', ');
const records = <T extends object>(rows: Iterable<T>, columns: Columns) =>
  [...rows].map((row) =>
    Object.fromEntries(columns.map(([key, c]) => [c, (row as Record<string, unknown>)[key]])),
  );

/**
 * Inbox: open steps per person with due time, overdue and escalation; SLA and activity per unit.
 * Two round trips per batch, whatever its tenants: a script loads the appraisals it touches, one
 * call of `inbox_projection_write` writes the rest.
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
          WHERE appraisal_id = ANY(ARRAY(SELECT jsonb_array_elements_text(${jsonLiteral(ids)})))`,
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
      const changes = projectInboxEvents(current, group);
      return {
        tenant,
        opened: records(changes.opened.values(), STEP_COLUMNS),
        patches: records(changes.patches.values(), PATCH_COLUMNS),
        appraisals: records(changes.appraisals.values(), APPRAISAL_COLUMNS),
      };
    });
    // One call for every tenant's writes (migrations 0320, 0321), each group under its own tenant setting.
    await tx.query('SELECT inbox_projection_write($1::jsonb)', [JSON.stringify(writes)]);
  },
  /** Empties every tenant's rows (TRUNCATE is not filtered by row-level security). */
  async reset(tx: PoolClient): Promise<void> {
    await tx.query(`TRUNCATE ${INBOX_TABLES.join(', ')}`);
  },
};
