import type { Pool } from 'pg';
import { inTenantTransaction } from '@verity/platform';
import { camelCaseRows } from '../camel-case';

/** A process owner's remit: a workflow id or a step kind, in some units (null: everywhere). */
export interface ProcessScope {
  ownerEmployeeId: string;
  process: string;
  orgUnitIds: string[] | null;
}

/**
 * Who the caller is for the inbox, resolved from the directory by the caller (the API): the steps
 * that name a role rather than a person are theirs through these relations.
 */
export interface InboxCaller {
  employeeId: string | null;
  /** Appraisees whose manager, skip-level manager or peer the caller is, today. */
  reports: string[];
  skipReports: string[];
  peers: string[];
  /**
   * The org units whose own appraisal the caller acts on (ADR 0120): as its head (`self`), as the
   * parent unit's head (`manager`) or the head above (`skip-level`).
   */
  units: { self: string[]; manager: string[]; skipLevel: string[] };
  /** Whether the caller acts for `hr` steps. */
  hr: boolean;
  processes: ProcessScope[];
}

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** SQL true when the role named in `column` (an actor or an escalation target) is the caller. */
function roleIsCaller(column: string, caller: InboxCaller, p: Params): string {
  const parts = [
    `(${column} = 'manager' AND subject_employee_id = ANY(${p.add(caller.reports)}::text[]))`,
    `(${column} = 'skip-level' AND subject_employee_id = ANY(${p.add(caller.skipReports)}::text[]))`,
    `(${column} = 'peer' AND subject_employee_id = ANY(${p.add(caller.peers)}::text[]))`,
    // A rater nominated and approved for the appraisal's group (migration 1330), peer or not.
    `(EXISTS (SELECT 1 FROM inbox_nominations n
               WHERE n.appraisal_id = inbox_steps.appraisal_id AND n.employee_id = ${p.add(caller.employeeId)}
                 AND n.rater_group = ${column} AND n.status = 'approved'))`,
    // An org unit's appraisal: its steps name a role of the unit's line, held by unit heads.
    ...(
      [
        ['self', caller.units.self],
        ['manager', caller.units.manager],
        ['skip-level', caller.units.skipLevel],
      ] as const
    ).map(
      ([role, units]) =>
        `(${column} = '${role}' AND subject_employee_id IS NULL AND org_unit_id = ANY(${p.add(units)}::text[]))`,
    ),
  ];
  if (caller.hr) parts.push(`${column} = 'hr'`);
  for (const scope of caller.processes) {
    const process = p.add(scope.process);
    const units = scope.orgUnitIds ? ` AND org_unit_id = ANY(${p.add(scope.orgUnitIds)}::text[])` : '';
    parts.push(`(${column} = 'process-owner' AND (workflow_id = ${process} OR kind = ${process})${units})`);
  }
  return parts.join(' OR ');
}

export interface InboxItem {
  appraisalId: string;
  stepKey: string;
  occurrence: number;
  kind: string;
  instance: string | null;
  cycleId: string;
  subjectEmployeeId: string | null;
  orgUnitId: string;
  actor: string;
  openedAt: Date;
  dueAt: Date | null;
  overdue: boolean;
  escalationLevel: number;
  escalatedTo: string | null;
  deadlineMissed: boolean;
  reminders: number;
  /** `assignee`: the step is the caller's to do; `escalation`: it was escalated to the caller. */
  reason: 'assignee' | 'escalation';
}

/** The caller's open steps, soonest due first; overdue is judged at `now`. */
export async function listInbox(
  pool: Pool,
  tenantId: string,
  caller: InboxCaller,
  now: Date,
  limit = 200,
): Promise<InboxItem[]> {
  const p = new Params();
  const at = p.add(now);
  const me = p.add(caller.employeeId);
  const mine = `(assignee_employee_id = ${me} OR (assignee_employee_id IS NULL AND (${roleIsCaller('actor', caller, p)})))`;
  const escalated = `(escalated_to IS NOT NULL AND (${roleIsCaller('escalated_to', caller, p)}))`;
  const max = p.add(Math.min(limit, 1000));
  return inTenantTransaction(pool, tenantId, async (tx) =>
    camelCaseRows<InboxItem>(
      (
        await tx.query(
          `SELECT appraisal_id, step_key, occurrence, kind, instance, cycle_id, subject_employee_id, org_unit_id, actor,
                  opened_at, due_at, coalesce(due_at < ${at}, false) AS overdue, escalation_level, escalated_to,
                  deadline_missed, reminders, CASE WHEN ${mine} THEN 'assignee' ELSE 'escalation' END AS reason
             FROM inbox_steps
            WHERE completed_at IS NULL AND (${mine} OR ${escalated})
            ORDER BY due_at NULLS LAST, appraisal_id, step_key LIMIT ${max}`,
          p.values,
        )
      ).rows,
    ),
  );
}

export type SlaGrouping = 'unit' | 'person' | 'process-owner';

export interface SlaFilter {
  groupBy: SlaGrouping;
  cycleId?: string;
  orgUnitIds?: string[];
  /** For `process-owner`: the owners and their remits (from the directory). */
  owners?: ProcessScope[];
}

export interface SlaRow {
  /** The unit id, the person (who completed) or the process owner's employee id. */
  group: string;
  kind: string;
  opened: number;
  completed: number;
  onTime: number;
  late: number;
  open: number;
  overdue: number;
  deadlinesMissed: number;
  escalated: number;
  reminders: number;
  /** On time ÷ steps whose SLA has come due (completed, or open past due), in %, two places; null if none. */
  compliance: string | null;
}

/** SLA compliance per step kind and activity counts, per unit, per person or per process owner. */
export async function slaReport(
  pool: Pool,
  tenantId: string,
  filter: SlaFilter,
  now: Date,
): Promise<SlaRow[]> {
  const p = new Params();
  const at = p.add(now);
  const clauses: string[] = [];
  if (filter.cycleId) clauses.push(`s.cycle_id = ${p.add(filter.cycleId)}`);
  if (filter.orgUnitIds) clauses.push(`s.org_unit_id = ANY(${p.add(filter.orgUnitIds)}::text[])`);
  let from = 'inbox_steps s';
  let group = 's.org_unit_id';
  if (filter.groupBy === 'person') {
    group = 's.completed_by';
    clauses.push('s.completed_by IS NOT NULL');
  } else if (filter.groupBy === 'process-owner') {
    const owners = p.add(
      JSON.stringify(
        (filter.owners ?? []).map((o) => ({
          owner: o.ownerEmployeeId,
          process: o.process,
          units: o.orgUnitIds,
        })),
      ),
    );
    from = `inbox_steps s JOIN jsonb_to_recordset(${owners}::jsonb) AS o(owner text, process text, units text[])
              ON (s.workflow_id = o.process OR s.kind = o.process) AND (o.units IS NULL OR s.org_unit_id = ANY(o.units))`;
    group = 'o.owner';
  }
  const due = `s.due_at IS NOT NULL AND (s.completed_at IS NOT NULL OR s.due_at < ${at})`;
  const sql = `
    SELECT ${group} AS "group", s.kind,
           count(*)::int AS opened,
           count(s.completed_at)::int AS completed,
           count(*) FILTER (WHERE s.completed_at IS NOT NULL AND s.due_at IS NOT NULL AND NOT s.late)::int AS on_time,
           count(*) FILTER (WHERE s.late)::int AS late,
           count(*) FILTER (WHERE s.completed_at IS NULL)::int AS open,
           count(*) FILTER (WHERE s.completed_at IS NULL AND s.due_at < ${at})::int AS overdue,
           count(*) FILTER (WHERE s.deadline_missed)::int AS deadlines_missed,
           count(*) FILTER (WHERE s.escalation_level > 0)::int AS escalated,
           coalesce(sum(s.reminders), 0)::int AS reminders,
           CASE WHEN count(*) FILTER (WHERE ${due}) = 0 THEN NULL
                ELSE round(100.0 * count(*) FILTER (WHERE s.completed_at IS NOT NULL AND s.due_at IS NOT NULL AND NOT s.late)
                           / count(*) FILTER (WHERE ${due}), 2)::text END AS compliance
      FROM ${from}
     ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}
     GROUP BY 1, 2 ORDER BY 1, 2`;
  return inTenantTransaction(pool, tenantId, async (tx) =>
    camelCaseRows<SlaRow>((await tx.query(sql, p.values)).rows),
  );
}
