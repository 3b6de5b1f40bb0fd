import type { PoolClient } from 'pg';
import { AGGREGATES, DomainError, type AppraisalEventOf, appraisalDecider, fold } from '@verity/domain';
import { streamName, type ConsumerHandler, type EventStore, type RecordedEvent } from '@verity/event-store';
import { truncateTables } from '../projection';
import { Remembered } from '../remembered';
import { groupByTenant } from '../rls/tenant-batch';
import type { WorkflowVersions } from './workflow-versions';
import { TenantChanges, dueTimerOf, projectTimerEvent, type DueTimer, type TimerRow } from './timers.project';

export type { DueTimer } from './timers.project';

/** The read-model tables of timers and notifications (each has tenant_id and FORCE RLS). */
export const TIMER_READ_MODEL_TABLES = [
  'timers',
  'timer_appraisals',
  'notifications',
  'notification_open_steps',
] as const;

/**
 * The alarm clock the read model keeps in line (BullMQ in the worker). Called inside the consumer's
 * transaction: a job set for a row that then rolls back fires a `FireTimer` the domain answers
 * from the event store, and a failed call is repaired by the reconciler, so neither may throw.
 */
export interface TimerAlarm {
  set(timers: DueTimer[]): Promise<void>;
  clear(timers: { tenantId: string; timerKey: string }[]): Promise<void>;
}

export const TIMER_EVENT_TYPES = [
  'AppraisalOpened',
  'StepOpened',
  'StepCompleted',
  'StepWithdrawn',
  'ReminderSent',
  'StepEscalated',
  'DeadlineMissed',
  'AppraisalMigrated',
] as const;

/** Appraisal → workflow id, remembered for the appraisals seen lately. */
const MAX_REMEMBERED_APPRAISALS = 100_000;

/**
 * The timers read model: a step opening with a due time yields its reminder, deadline and
 * escalation times from the pinned workflow version (on its business calendar); completing the
 * step (or re-opening it) cancels them; a timer outcome marks its timer fired. Rows commit with the
 * consumer's checkpoint; the alarm clock is told what to ring and what to forget.
 */
export function timersProjection(options: {
  store: EventStore;
  workflows: WorkflowVersions;
  alarm?: TimerAlarm;
  /** Told about steps left without timers because their workflow version cannot be found. */
  onSkipped?: (why: string) => void;
}): ConsumerHandler {
  const { store, workflows, alarm } = options;
  const workflowOfAppraisal = new Remembered<string>(MAX_REMEMBERED_APPRAISALS);

  async function workflowOf(tx: PoolClient, tenantId: string, appraisalId: string, changes: TenantChanges) {
    const key = `${tenantId}/${appraisalId}`;
    const known = changes.appraisals.get(appraisalId) ?? workflowOfAppraisal.get(key);
    if (known) return known;
    const row = await tx.query<{ workflow_id: string }>(
      'SELECT workflow_id FROM timer_appraisals WHERE tenant_id = $1 AND appraisal_id = $2',
      [tenantId, appraisalId],
    );
    const found =
      row.rows[0]?.workflow_id ??
      (
        (
          await store.readStream(streamName(AGGREGATES.appraisal, tenantId, appraisalId), {
            maxCount: 1,
            tenantId,
          })
        )[0]?.data as { workflowId?: string } | undefined
      )?.workflowId;
    if (!found) throw new NotFound(`appraisal ${appraisalId} has no AppraisalOpened`);
    workflowOfAppraisal.set(key, found);
    return found;
  }

  async function stepOpened(
    tx: PoolClient,
    tenantId: string,
    event: RecordedEvent,
    changes: TenantChanges,
  ): Promise<void> {
    const data = event.data as AppraisalEventOf<'StepOpened'>['data'];
    changes.cancelInBatch(data.appraisalId, data.stepKey, data.occurrence, false, event.position);
    if (data.dueAt === null) return;
    let definition;
    let workflowId: string;
    try {
      workflowId = await workflowOf(tx, tenantId, data.appraisalId, changes);
      ({ definition } = await workflows.version(tenantId, workflowId, data.workflowVersion));
    } catch (error) {
      // A step whose workflow cannot be found would stall every tenant's timers: skip it, say so.
      if (!isMissing(error)) throw error;
      options.onSkipped?.(`${tenantId}/${data.appraisalId}/${data.stepKey}: ${(error as Error).message}`);
      return;
    }
    changes.addStepTimers(
      { ...data, openedAt: data.at },
      {
        tenantId,
        appraisalId: data.appraisalId,
        workflowId,
        workflowVersion: data.workflowVersion,
        position: event.position,
      },
      definition,
    );
  }

  /** A migrated appraisal follows its new version: its open steps' timers are computed again. */
  async function migrated(tx: PoolClient, tenantId: string, event: RecordedEvent): Promise<string[]> {
    const data = event.data as AppraisalEventOf<'AppraisalMigrated'>['data'];
    const recorded = await store.readStream(streamName(AGGREGATES.appraisal, tenantId, data.appraisalId), {
      tenantId,
    });
    const upTo = recorded.filter((candidate) => BigInt(candidate.position) <= BigInt(event.position));
    const state = fold(appraisalDecider, upTo);
    if (state.status === 'empty') return [];
    const { definition } = await workflows.version(tenantId, data.workflowId, data.toVersion);
    const changes = new TenantChanges();
    for (const step of Object.values(state.steps).filter((candidate) => candidate.open)) {
      const { open: _open, ...rest } = step;
      changes.addStepTimers(
        rest,
        {
          tenantId,
          appraisalId: state.id,
          workflowId: data.workflowId,
          workflowVersion: data.toVersion,
          position: event.position,
        },
        definition,
        (timerKey) => state.firedTimers.includes(timerKey),
      );
    }
    const dropped = await tx.query<{ timer_key: string }>(
      `UPDATE timers SET status = 'cancelled', settled_position = $3
        WHERE tenant_id = $1 AND appraisal_id = $2 AND status = 'pending' AND NOT (timer_key = ANY($4))
        RETURNING timer_key`,
      [tenantId, state.id, event.position, [...changes.rows.keys()]],
    );
    // Timers the new version keeps move to their new times; new ones are added.
    await tx.query(
      `UPDATE timers t SET fire_at = u.fire_at, workflow_version = $3, escalate_to = u.escalate_to
         FROM unnest($2::text[], $4::timestamptz[], $5::text[]) AS u(timer_key, fire_at, escalate_to)
        WHERE t.tenant_id = $1 AND t.timer_key = u.timer_key AND t.status = 'pending'`,
      [
        tenantId,
        [...changes.rows.keys()],
        data.toVersion,
        [...changes.rows.values()].map((row) => row.fireAt),
        [...changes.rows.values()].map((row) => row.escalateTo),
      ],
    );
    await insertRows(tx, tenantId, [...changes.rows.values()]);
    // A kept timer may have moved: its job is set again at the new time (same id, so clear first).
    const kept = [...changes.rows.values()];
    await alarm?.clear(kept.map(({ tenantId: tenant, timerKey }) => ({ tenantId: tenant, timerKey })));
    await alarm?.set(kept.map(dueTimerOf));
    return dropped.rows.map((row) => row.timer_key);
  }

  async function apply(tx: PoolClient, tenantId: string, changes: TenantChanges): Promise<string[]> {
    if (changes.empty) return [];
    if (changes.appraisals.size > 0)
      await tx.query(
        `INSERT INTO timer_appraisals (tenant_id, appraisal_id, workflow_id)
         SELECT $1, * FROM unnest($2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
        [tenantId, [...changes.appraisals.keys()], [...changes.appraisals.values()]],
      );
    await insertRows(tx, tenantId, [...changes.rows.values()]);
    if (changes.fired.size > 0)
      await tx.query(
        `UPDATE timers t SET status = 'fired', fired_at = u.at, settled_position = u.position
           FROM unnest($2::text[], $3::timestamptz[], $4::numeric[]) AS u(timer_key, at, position)
          WHERE t.tenant_id = $1 AND t.timer_key = u.timer_key AND t.status = 'pending'`,
        [
          tenantId,
          [...changes.fired.keys()],
          [...changes.fired.values()].map((fire) => fire.at),
          [...changes.fired.values()].map((fire) => fire.position),
        ],
      );
    if (changes.cancelled.length === 0) return [];
    // After the firings: a timer that fired before its step completed stays fired. A timer may meet
    // several cancellations in one batch (its step completed, then opened again): the first one
    // settles it. UPDATE … FROM with several matching rows would pick one of them arbitrarily, so a
    // rebuild in other batches could record another position.
    const cancelled = await tx.query<{ timer_key: string }>(
      `UPDATE timers t SET status = 'cancelled', settled_position = c.position
         FROM (SELECT DISTINCT ON (p.timer_key) p.timer_key, u.position
                 FROM timers p
                 JOIN unnest($2::text[], $3::text[], $4::int[], $5::boolean[], $6::numeric[])
                      AS u(appraisal_id, step_key, occurrence, exact, position)
                   ON p.appraisal_id = u.appraisal_id AND p.step_key = u.step_key
                  AND (CASE WHEN u.exact THEN p.occurrence = u.occurrence
                            ELSE p.occurrence < u.occurrence END)
                WHERE p.tenant_id = $1 AND p.status = 'pending'
                ORDER BY p.timer_key, u.position) AS c
        WHERE t.tenant_id = $1 AND t.timer_key = c.timer_key
        RETURNING t.timer_key`,
      [
        tenantId,
        changes.cancelled.map((cancel) => cancel.appraisalId),
        changes.cancelled.map((cancel) => cancel.stepKey),
        changes.cancelled.map((cancel) => cancel.occurrence),
        changes.cancelled.map((cancel) => cancel.exact),
        changes.cancelled.map((cancel) => cancel.position),
      ],
    );
    return cancelled.rows.map((row) => row.timer_key);
  }

  return {
    name: 'timers',
    eventTypes: TIMER_EVENT_TYPES,
    /**
     * Empties the timers for a rebuild (TRUNCATE is not filtered by row-level security). The
     * notifications stay: they record what was sent, and replaying them would send it again. Jobs in
     * Redis stay too: the replay sets the pending ones again and the reconciler removes the rest.
     */
    async reset(tx) {
      await truncateTables(tx, ['timers', 'timer_appraisals']);
    },
    async handle(events, tx) {
      for (const [tenantId, group] of groupByTenant(events)) {
        await tx.query("SELECT set_config('verity.tenant_id', $1, true)", [tenantId]);
        await tx.query('INSERT INTO timer_tenants (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING', [
          tenantId,
        ]);
        let changes = new TenantChanges();
        const toClear: string[] = [];
        const flush = async () => {
          toClear.push(...(await apply(tx, tenantId, changes)));
          const rows = [...changes.rows.values()];
          toClear.push(...rows.filter((row) => row.status === 'cancelled').map((row) => row.timerKey));
          await alarm?.set(rows.filter((row) => row.status === 'pending').map(dueTimerOf));
          changes = new TenantChanges();
        };
        for (const event of group) {
          if (projectTimerEvent(changes, event)) {
            if (event.type === 'AppraisalOpened') {
              const data = event.data as AppraisalEventOf<'AppraisalOpened'>['data'];
              workflowOfAppraisal.set(`${tenantId}/${data.appraisalId}`, data.workflowId);
            }
          } else if (event.type === 'StepOpened') await stepOpened(tx, tenantId, event, changes);
          else if (event.type === 'AppraisalMigrated') {
            await flush();
            toClear.push(...(await migrated(tx, tenantId, event)));
          }
        }
        await flush();
        if (toClear.length > 0) await alarm?.clear(toClear.map((timerKey) => ({ tenantId, timerKey })));
      }
    },
  };
}

class NotFound extends Error {
  readonly code = 'not-found';
}

const isMissing = (error: unknown) =>
  error instanceof DomainError ||
  ['stream-not-found', 'not-found'].includes(String((error as { code?: unknown } | null)?.code));

async function insertRows(tx: PoolClient, tenantId: string, rows: TimerRow[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <K extends keyof TimerRow>(key: K) => rows.map((row) => row[key]);
  await tx.query(
    `INSERT INTO timers (tenant_id, timer_key, appraisal_id, step_key, occurrence, kind, level, fire_at,
                         escalate_to, workflow_id, workflow_version, status, opened_position,
                         settled_position, fired_at)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::int[],
                              $8::timestamptz[], $9::text[], $10::text[], $11::int[], $12::text[],
                              $13::numeric[], $14::numeric[], $15::timestamptz[])
     ON CONFLICT (tenant_id, timer_key) DO NOTHING`,
    [
      tenantId,
      column('timerKey'),
      column('appraisalId'),
      column('stepKey'),
      column('occurrence'),
      column('kind'),
      column('level'),
      column('fireAt'),
      column('escalateTo'),
      column('workflowId'),
      column('workflowVersion'),
      column('status'),
      column('openedPosition'),
      column('settledPosition'),
      column('firedAt'),
    ],
  );
}
