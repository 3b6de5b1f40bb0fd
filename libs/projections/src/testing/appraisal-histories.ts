import { randomUUID } from 'node:crypto';
import {
  decideAppraisal,
  evolveAppraisal,
  initialAppraisalState,
  isDomainError,
  openSteps,
  type Appraisal,
  type AppraisalCommand,
  type AppraisalEvent,
  type WorkflowDefinition,
} from '@verity/domain';
import { as, calendar, pinnedV1, salesDefinition } from '@verity/domain/testing/appraisal-scenario';
import type { NewEvent, RecordedEvent } from '@verity/event-store';

/** A source of choices: `pick(n)` is an integer in [0, n). fast-check or a seeded generator drives it. */
export type Pick = (n: number) => number;

/** A seeded generator (mulberry32), so a benchmark's histories are the same on every run. */
export function seededPick(seed: number): Pick {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** Choices from a fixed list (fast-check arrays), cycling; an empty list always picks 0. */
export function listPick(choices: readonly number[]): Pick {
  let i = 0;
  return (n: number) => (choices.length === 0 ? 0 : choices[i++ % choices.length] % n);
}

export interface HistoryEvent {
  event: AppraisalEvent & { eventId?: string };
  at: string;
  actor: { id: string; role: string };
}

export interface HistoryOptions {
  appraisalId: string;
  employeeId: string;
  orgUnitId: string;
  cycleId?: string;
  pick: Pick;
  /** Periods filed and scored at most (1–12); the history may stop earlier at random. */
  maxPeriods?: number;
}

const DAY = 86_400_000;
const plusDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY).toISOString();

/**
 * A realistic appraisal history of the sales workflow, decided by the domain itself (so every
 * event is one the write side can produce): plan (sometimes returned), monthly reviews (sometimes
 * returned, corrected, late, reminded, escalated), period scores with vetoes (sometimes waived),
 * improvements, then the annual part (ratings, score, calibration, appeal). Stops at random stages.
 */
export function appraisalHistory(options: HistoryOptions): HistoryEvent[] {
  const { appraisalId: id, pick } = options;
  const definition: WorkflowDefinition = salesDefinition;
  const out: HistoryEvent[] = [];
  const events: AppraisalEvent[] = [];
  let state: Appraisal = initialAppraisalState();
  let counter = 0;
  let now = '2026-01-02T08:00:00.000Z';
  const run = (who: Parameters<typeof as>[0], command: AppraisalCommand, at = now): boolean => {
    if (at > now) now = at;
    const ctx = as(who, {
      now,
      ids: Array.from({ length: 8 }, () => `${id}-${++counter}`),
      workflow: pinnedV1,
    });
    let produced: AppraisalEvent[];
    try {
      produced = decideAppraisal(command, state, ctx);
    } catch (error) {
      if (isDomainError(error)) return false;
      throw error;
    }
    for (const event of produced) {
      state = evolveAppraisal(state, event);
      events.push(event);
      out.push({ event, at: now, actor: { id: ctx.actor.id, role: ctx.actor.role } });
    }
    now = new Date(Date.parse(now) + 60_000).toISOString();
    return true;
  };
  /** Fires some of a step's timers at their time, as the scheduler would while it stays open. */
  const maybeFireTimers = (stepKey: string) => {
    const step = openSteps(events, definition).find((s) => s.stepKey === stepKey);
    if (!step) return;
    const fired = pick(4) === 0 ? pick(step.timers.length + 1) : 0;
    for (const timer of step.timers.slice(0, fired))
      run('system', timer.command as AppraisalCommand, timer.fireAt);
  };

  run('system', {
    type: 'OpenAppraisal',
    data: {
      appraisalId: id,
      cycleId: options.cycleId ?? 'c2026',
      subject: { kind: 'employee', employeeId: options.employeeId, orgUnitId: options.orgUnitId },
      workflowId: 'sales',
      workflowVersion: 1,
      cycleStartsAt: calendar.startsAt,
      cycleEndsAt: calendar.endsAt,
      periods: calendar.periods,
    },
  });
  const plan = () =>
    run('self', {
      type: 'SubmitPlan',
      data: {
        appraisalId: id,
        targets: [
          { indicatorId: 'sales_volume', threshold: 800, target: 950 + pick(10) * 10, stretch: 1200 },
        ],
        actions: [],
      },
    } as unknown as AppraisalCommand);
  if (pick(5) === 0) return out;
  maybeFireTimers('plan');
  plan();
  if (pick(4) === 0) {
    run('manager', {
      type: 'ReturnPlan',
      data: { appraisalId: id, annotations: [{ text: 'Targets too low' }] },
    });
    plan();
  }
  maybeFireTimers('plan-approval');
  run('manager', { type: 'ApprovePlan', data: { appraisalId: id } });

  const periods = Math.min(options.maxPeriods ?? 12, calendar.periods.length);
  for (const period of calendar.periods.slice(0, periods)) {
    if (pick(12) === 0) return out;
    const stepKey = `period-review.${period.periodId}`;
    maybeFireTimers(stepKey);
    const actuals = [
      { indicatorId: 'sales_volume', actual: 700 + pick(60) * 10 },
      { indicatorId: 'receivables', actual: (14 + pick(14)) / 10 },
      { indicatorId: 'inventory', actual: 380 + pick(28) * 10 },
      { indicatorId: 'product_mix', actual: 250 + pick(28) * 10 },
    ];
    const file = () =>
      run(
        'self',
        {
          type: 'FilePeriodReview',
          data: {
            appraisalId: id,
            periodId: period.periodId,
            actuals,
            attachments: [{ indicatorId: 'product_mix', ref: `doc-${period.periodId}` }],
          },
        } as unknown as AppraisalCommand,
        plusDays(period.endsAt, pick(8)),
      );
    file();
    if (pick(6) === 0) {
      run('manager', {
        type: 'ReturnPeriodReview',
        data: { appraisalId: id, periodId: period.periodId, annotations: [{ text: 'Attach the evidence' }] },
      });
      file();
    }
    maybeFireTimers(`period-assessment.${period.periodId}`);
    const corrections =
      pick(5) === 0 ? [{ indicatorId: 'inventory', actual: 400 + pick(20) * 10, reason: 'Count' }] : [];
    run('manager', {
      type: 'AssessPeriodReview',
      data: { appraisalId: id, periodId: period.periodId, corrections },
    } as unknown as AppraisalCommand);
    run('system', { type: 'ScorePeriod', data: { appraisalId: id, periodId: period.periodId } });
    if (state.status !== 'empty' && state.periods[period.periodId].result?.vetoed && pick(3) === 0)
      run('hr', {
        type: 'WaiveVeto',
        data: {
          appraisalId: id,
          periodId: period.periodId,
          indicatorId: 'product_mix',
          reason: 'Supply shortage',
        },
      });
    if (state.status === 'empty') return out;
    for (const [improvementId, improvement] of Object.entries(state.improvements)) {
      if (improvement.status === 'required' && pick(2) === 0)
        run('self', {
          type: 'FileImprovement',
          data: { appraisalId: id, improvementId, action: 'Weekly follow-up' },
        });
      else if (improvement.status === 'filed' && pick(2) === 0)
        run('manager', {
          type: 'VerifyImprovement',
          data: { appraisalId: id, improvementId, effective: pick(3) > 0, goodPractice: pick(5) === 0 },
        });
    }
  }

  if (pick(4) === 0) return out;
  const annual = '2026-12-28T09:00:00.000Z';
  run('self', { type: 'SubmitSelfAssessment', data: { appraisalId: id, rating: 60 + pick(40) } }, annual);
  run('manager', {
    type: 'SubmitRating',
    data: { appraisalId: id, group: 'manager', rating: 50 + pick(50) },
  });
  run('peer', { type: 'SubmitRating', data: { appraisalId: id, group: 'peer', rating: 50 + pick(50) } });
  run('peer2', { type: 'SubmitRating', data: { appraisalId: id, group: 'peer', rating: 50 + pick(50) } });
  if (pick(20) === 0)
    run('hr', {
      type: 'FileRedLineBreach',
      data: { appraisalId: id, redLineId: 'safety', description: 'Incident' },
    });
  // A year is scored only once every period is scored or waived: the system scores an assessed
  // month, HR waives the rest.
  if (state.status !== 'empty')
    for (const periodId of state.periodOrder) {
      const period = state.periods[periodId];
      if (period.result !== null || period.status === 'waived') continue;
      if (period.status === 'assessed')
        run('system', { type: 'ScorePeriod', data: { appraisalId: id, periodId } });
      else
        run('hr', {
          type: 'WaivePeriod',
          data: { appraisalId: id, periodId, reason: 'Not reviewed in this history' },
        });
    }
  run('hr', { type: 'ScoreAppraisal', data: { appraisalId: id } }, '2027-01-10T09:00:00.000Z');
  if (pick(3) === 0) return out;
  if (pick(3) === 0)
    run('hr', {
      type: 'CalibrateAppraisal',
      data: { appraisalId: id, grade: ['A', 'B', 'C', 'D'][pick(4)], reason: 'Unit calibration' },
    });
  maybeFireTimers('calibration');
  run('hr', { type: 'FinalizeAppraisal', data: { appraisalId: id } }, '2027-01-20T09:00:00.000Z');
  if (pick(3) === 0) return out;
  if (pick(4) === 0) {
    run('self', { type: 'FileAppeal', data: { appraisalId: id, reason: 'Q4 not considered' } });
    run('hr', {
      type: 'ResolveAppeal',
      data: {
        appraisalId: id,
        outcome: pick(2) ? 'upheld' : 'rejected',
        score: 70 + pick(20),
        reason: 'Reviewed',
      },
    } as unknown as AppraisalCommand);
  } else run('self', { type: 'AcknowledgeAppraisal', data: { appraisalId: id } });
  return out;
}

/** The sales workflow's published v1, as its own stream would carry it. */
export function workflowPublished(): { type: string; data: unknown } {
  return {
    type: 'WorkflowVersionPublished',
    data: { workflowId: 'sales', version: 1, definition: salesDefinition, at: '2026-01-01T00:00:00.000Z' },
  };
}

/**
 * History events as the store would be handed them. Fresh ids, timer outcomes included: the
 * scenario's contexts all share one tenant, so their derived ids would collide across tenants.
 */
export function toNewEvents(tenantId: string, history: readonly HistoryEvent[]): NewEvent[] {
  return history.map(({ event, actor }) => ({
    eventId: randomUUID(),
    type: event.type,
    data: event.data,
    metadata: {
      tenantId,
      actor,
      correlationId: randomUUID(),
      causationId: null,
      schemaVersion: 1,
    },
  }));
}

/** A deterministic uuid-shaped id from a string (FNV-1a spread over 128 bits); tests and benchmarks only. */
export function uuidLike(text: string): string {
  const parts: string[] = [];
  for (let k = 0; k < 4; k++) {
    let h = 0x811c9dc5 ^ k;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    parts.push((h >>> 0).toString(16).padStart(8, '0'));
  }
  const hex = parts.join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Histories recorded as a store would record them, interleaved into one global log in time order,
 * positions 1, 2, 3 … (for tests of the pure folds, and the benchmark without a store).
 */
export function recordHistories(
  histories: readonly { tenantId: string; appraisalId: string; history: HistoryEvent[] }[],
  options: { withWorkflow?: boolean } = {},
): RecordedEvent[] {
  const rows: { at: string; streamId: string; revision: number; tenantId: string; h: HistoryEvent | null }[] =
    [];
  if (options.withWorkflow !== false)
    for (const tenantId of new Set(histories.map((h) => h.tenantId)))
      rows.push({
        at: '2026-01-01T00:00:00.000Z',
        streamId: `workflow-${tenantId}.sales`,
        revision: 0,
        tenantId,
        h: null,
      });
  for (const { tenantId, appraisalId, history } of histories)
    history.forEach((h, revision) =>
      rows.push({ at: h.at, streamId: `appraisal-${tenantId}.${appraisalId}`, revision, tenantId, h }),
    );
  // Stable sort by time keeps each stream in revision order (its events' times never decrease).
  rows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return rows.map((row, i) => {
    const published = workflowPublished();
    return {
      eventId: row.h?.event.eventId ?? uuidLike(`${row.streamId}/${row.revision}`),
      type: row.h ? row.h.event.type : published.type,
      data: row.h ? row.h.event.data : published.data,
      metadata: {
        tenantId: row.tenantId,
        actor: row.h?.actor ?? { id: 'u-po', role: 'process-owner' },
        correlationId: `corr-${i}`,
        causationId: null,
        schemaVersion: 1,
      },
      streamId: row.streamId,
      streamRevision: BigInt(row.revision),
      position: String(i + 1),
      recordedAt: new Date(row.at),
    };
  });
}
