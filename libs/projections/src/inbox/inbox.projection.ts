import { escapeLiteral, type PoolClient } from 'pg';
import type { RecordedEvent } from '@verity/event-store';
import { truncateTables, type Projection } from '../projection';
import {
  anyOf,
  columnList,
  groupByTenant,
  jsonLiteral,
  rowsByAppraisalId,
  runScript,
  tenantStatement,
  toRecords,
} from '../rls/tenant-batch';
import {
  INBOX_EVENTS,
  projectInboxEvents,
  type InboxAppraisalRow,
  type NominationRow,
  type StepPatch,
  type StepRow,
} from './inbox.project';

/** The inbox tables, children first. */
export const INBOX_TABLES = ['inbox_steps', 'inbox_nominations', 'inbox_appraisals'] as const;

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

/**
 * Inbox: open steps per person with due time, overdue and escalation; SLA and activity per unit.
 * Two round trips per batch, whatever its tenants: a script loads the appraisals it touches, one
 * call of `inbox_projection_write` writes the rest.
 */
export const inboxProjection: Projection = {
  name: 'inbox',
  // Rows derived from the log alone, nothing written elsewhere: batches commit without the WAL wait (ADR 0138).
  derivedOnly: true,
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
        `SELECT ${columnList(APPRAISAL_COLUMNS)} FROM inbox_appraisals WHERE appraisal_id = ${anyOf(ids)}`,
      ]),
    );
    const nominations: NominationRow[] = [];
    const writes = groups.flatMap(({ tenant, group }, i) => {
      const current = rowsByAppraisalId<InboxAppraisalRow>(loaded[i * 2 + 1].rows, APPRAISAL_COLUMNS);
      const changes = projectInboxEvents(current, group);
      nominations.push(...changes.nominations.values());
      return {
        tenant,
        opened: toRecords(changes.opened.values(), STEP_COLUMNS),
        patches: toRecords(changes.patches.values(), PATCH_COLUMNS),
        appraisals: toRecords(changes.appraisals.values(), APPRAISAL_COLUMNS),
      };
    });
    // One call for every tenant's writes (migrations 0320, 0321), each group under its own tenant setting.
    await tx.query('SELECT inbox_projection_write($1::jsonb)', [JSON.stringify(writes)]);
    await writeNominations(tx, nominations);
  },
  reset: (tx) => truncateTables(tx, INBOX_TABLES),
};

/**
 * Nominations (migration 1330), in one round trip: a nomination made is inserted, a decision on an
 * earlier one sets its status. Nominations are few, so they stay out of the batched
 * `inbox_projection_write`; the appraisal's revision guard already dropped redelivered events.
 */
async function writeNominations(tx: PoolClient, rows: readonly NominationRow[]): Promise<void> {
  const byTenant = new Map<string, NominationRow[]>();
  for (const row of rows) byTenant.set(row.tenantId, [...(byTenant.get(row.tenantId) ?? []), row]);
  const recordset = (tenantRows: readonly NominationRow[]) =>
    `jsonb_to_recordset(${jsonLiteral(
      tenantRows.map((row) => ({
        appraisal_id: row.appraisalId,
        nomination_id: row.nominationId,
        employee_id: row.employeeId,
        rater_group: row.raterGroup,
        status: row.status,
      })),
    )}) AS r(appraisal_id text, nomination_id text, employee_id text, rater_group text, status text)`;
  await runScript(
    tx,
    [...byTenant].flatMap(([tenant, tenantRows]) => {
      const made = tenantRows.filter((row) => row.employeeId !== null);
      const decided = tenantRows.filter((row) => row.employeeId === null);
      return [
        tenantStatement(tenant),
        ...(made.length
          ? [
              `INSERT INTO inbox_nominations (tenant_id, appraisal_id, nomination_id, employee_id, rater_group, status)
               SELECT ${escapeLiteral(tenant)}, appraisal_id, nomination_id, employee_id, rater_group, status
                 FROM ${recordset(made)}
               ON CONFLICT (tenant_id, appraisal_id, nomination_id) DO UPDATE SET status = excluded.status`,
            ]
          : []),
        ...(decided.length
          ? [
              `UPDATE inbox_nominations n SET status = r.status FROM ${recordset(decided)}
                WHERE n.appraisal_id = r.appraisal_id AND n.nomination_id = r.nomination_id`,
            ]
          : []),
      ];
    }),
  );
}
