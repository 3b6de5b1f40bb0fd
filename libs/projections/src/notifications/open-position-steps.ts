import type { PoolClient } from 'pg';
import {
  openStepKey,
  trackPositionStep,
  type AppraisalFacts,
  type OpenPositionSteps,
  type AppraisalEventOf,
  type PositionStep,
} from '@verity/domain';
import { comparePositions } from '@verity/event-store';
import { truncateTables } from '../projection';

const OPEN_STEPS_TABLE = 'notification_open_steps';

interface OpenStepRow {
  appraisal_id: string;
  step_key: string;
  occurrence: number;
  kind: PositionStep['kind'];
  actor: PositionStep['actor'];
  due_at: Date | null;
  workflow_version: number;
  subject_employee_id: string | null;
  subject_org_unit_id: string | null;
  workflow_id: string | null;
  opened_position: string;
}

/**
 * One tenant's open position steps across one batch (in the consumer's transaction): the step
 * events of the batch are tracked in memory, in log order, and written with a few set-based
 * statements at the end. The committed rows are read only for a batch that changes the reporting
 * line, before its first event, so the steps a change sees are exactly those open at its position.
 */
export class TenantOpenSteps {
  private readonly open: OpenPositionSteps = new Map();
  /** Where each step of `open` opened in the log. */
  private readonly openedAt = new Map<string, string>();
  /** Steps that (re)opened in the batch: their row is replaced, or deleted if they are gone. */
  private readonly reopened = new Map<string, { appraisalId: string; stepKey: string; position: string }>();
  /** Occurrences done or withdrawn in the batch: their row goes, if it is still that occurrence. */
  private readonly done: { appraisalId: string; stepKey: string; occurrence: number }[] = [];

  private constructor(private readonly tenantId: string) {}

  static async of(tx: PoolClient, tenantId: string, readCommitted: boolean): Promise<TenantOpenSteps> {
    const steps = new TenantOpenSteps(tenantId);
    if (readCommitted) {
      const rows = await tx.query<OpenStepRow>(
        `SELECT appraisal_id, step_key, occurrence, kind, actor, due_at, workflow_version,
                subject_employee_id, subject_org_unit_id, workflow_id, opened_position
           FROM ${OPEN_STEPS_TABLE} WHERE tenant_id = $1`,
        [tenantId],
      );
      for (const row of rows.rows) {
        steps.openedAt.set(openStepKey(row.appraisal_id, row.step_key), row.opened_position);
        steps.open.set(openStepKey(row.appraisal_id, row.step_key), {
          appraisalId: row.appraisal_id,
          stepKey: row.step_key,
          kind: row.kind,
          occurrence: row.occurrence,
          actor: row.actor,
          dueAt: row.due_at?.toISOString() ?? null,
          workflowVersion: row.workflow_version,
          facts: {
            subjectEmployeeId: row.subject_employee_id,
            subjectOrgUnitId: row.subject_org_unit_id,
            workflowId: row.workflow_id,
          },
        });
      }
    }
    return steps;
  }

  /**
   * The position steps open now that opened before `position` (complete only when the committed
   * rows were read): a row left from further on in the log is no step of that moment.
   */
  *openBefore(position: string): Iterable<PositionStep> {
    for (const [key, step] of this.open)
      if (comparePositions(this.openedAt.get(key)!, position) < 0) yield step;
  }

  /** A step opened (or reopened): kept if it waits on a position, its row replaced either way. */
  opened(event: AppraisalEventOf<'StepOpened'>, position: string, facts: AppraisalFacts): void {
    const { appraisalId, stepKey } = event.data;
    const key = openStepKey(appraisalId, stepKey);
    this.reopened.set(key, { appraisalId, stepKey, position });
    this.openedAt.set(key, position);
    trackPositionStep(this.open, event, () => facts);
  }

  /** A step done or withdrawn: that occurrence is no longer open. */
  closed(event: AppraisalEventOf<'StepCompleted' | 'StepWithdrawn'>): void {
    const { appraisalId, stepKey, occurrence } = event.data;
    this.done.push({ appraisalId, stepKey, occurrence });
    trackPositionStep(this.open, event, () => {
      throw new Error('only an opening step needs its appraisal');
    });
  }

  async write(tx: PoolClient): Promise<void> {
    if (this.done.length > 0)
      await tx.query(
        `DELETE FROM ${OPEN_STEPS_TABLE} s
          USING unnest($2::text[], $3::text[], $4::int[]) AS c(appraisal_id, step_key, occurrence)
          WHERE s.tenant_id = $1 AND s.appraisal_id = c.appraisal_id AND s.step_key = c.step_key
            AND s.occurrence = c.occurrence`,
        [
          this.tenantId,
          this.done.map((step) => step.appraisalId),
          this.done.map((step) => step.stepKey),
          this.done.map((step) => step.occurrence),
        ],
      );
    const gone = [...this.reopened].filter(([key]) => !this.open.has(key)).map(([, step]) => step);
    if (gone.length > 0)
      await tx.query(
        `DELETE FROM ${OPEN_STEPS_TABLE} s USING unnest($2::text[], $3::text[]) AS g(appraisal_id, step_key)
          WHERE s.tenant_id = $1 AND s.appraisal_id = g.appraisal_id AND s.step_key = g.step_key`,
        [this.tenantId, gone.map((step) => step.appraisalId), gone.map((step) => step.stepKey)],
      );
    const kept = [...this.reopened].flatMap(([key, { position }]) => {
      const step = this.open.get(key);
      return step ? [{ ...step, position }] : [];
    });
    if (kept.length === 0) return;
    const column = <T>(value: (step: (typeof kept)[number]) => T) => kept.map(value);
    await tx.query(
      `INSERT INTO ${OPEN_STEPS_TABLE} (tenant_id, appraisal_id, step_key, occurrence, kind, actor, due_at,
                                       workflow_version, subject_employee_id, subject_org_unit_id,
                                       workflow_id, opened_position)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::timestamptz[],
                                $8::int[], $9::text[], $10::text[], $11::text[], $12::numeric[])
       ON CONFLICT (tenant_id, appraisal_id, step_key) DO UPDATE SET
         occurrence = excluded.occurrence, kind = excluded.kind, actor = excluded.actor,
         due_at = excluded.due_at, workflow_version = excluded.workflow_version,
         subject_employee_id = excluded.subject_employee_id,
         subject_org_unit_id = excluded.subject_org_unit_id, workflow_id = excluded.workflow_id,
         opened_position = excluded.opened_position`,
      [
        this.tenantId,
        column((step) => step.appraisalId),
        column((step) => step.stepKey),
        column((step) => step.occurrence),
        column((step) => step.kind),
        column((step) => step.actor),
        column((step) => step.dueAt),
        column((step) => step.workflowVersion),
        column((step) => step.facts.subjectEmployeeId),
        column((step) => step.facts.subjectOrgUnitId ?? null),
        column((step) => step.facts.workflowId),
        column((step) => step.position),
      ],
    );
  }
}

/** Empties every tenant's open steps for a rebuild. */
export async function resetOpenSteps(tx: PoolClient): Promise<void> {
  await truncateTables(tx, [OPEN_STEPS_TABLE]);
}
