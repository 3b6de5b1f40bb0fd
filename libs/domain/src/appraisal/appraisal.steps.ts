import type { DomainContext } from '../shared/context';
import { TIMER_NAMESPACE, uuidV5 } from '../shared/uuid';
import { addDays } from '../cycle/periods';
import { addWorkingDays } from '../calendar/business-calendar';
import { datesOfIsoWeek, IsoWeek } from '../weekly-plan/iso-week';
import { CalendarDate } from '../shared/primitives';
import type { StepDefinition, StepKind, WorkflowDefinition } from '../workflow/workflow-definition.schema';
import type { AppraisalCommandOf } from './appraisal.commands';
import type { AppraisalEvent, AppraisalEventOf } from './appraisal.events';
import { evolveAppraisal } from './appraisal.evolve';
import { initialAppraisalState, type OpenedAppraisal, type StepState } from './appraisal.state';

type Assignee = AppraisalEventOf<'StepOpened'>['data']['assignee'];

/** Who acts on a step when the workflow does not say. */
const DEFAULT_ACTORS: Record<StepKind, Assignee['actor']> = {
  plan: 'self',
  'plan-approval': 'manager',
  'period-review': 'self',
  'period-assessment': 'manager',
  improvement: 'self',
  'improvement-verification': 'manager',
  'self-assessment': 'self',
  'peer-rating': 'peer',
  'nomination-approval': 'manager',
  'manager-rating': 'manager',
  calibration: 'hr',
  acknowledgement: 'self',
  'appeal-resolution': 'hr',
  'weekly-plan': 'self',
  'weekly-plan-review': 'manager',
  'daily-plan': 'self',
  'daily-plan-review': 'manager',
};

/** `plan`, `period-review.2026-03`, `improvement.<id>`: unique per appraisal, no `:` (used in job ids). */
export const stepKeyOf = (kind: StepKind, instance: string | null) =>
  instance === null ? kind : `${kind}.${instance}`;

export function stepDefinitionOf(definition: WorkflowDefinition, kind: StepKind): StepDefinition | undefined {
  return definition.steps.find((step) => step.kind === kind);
}

/** Monday 00:00 UTC of the ISO week a weekly step is for (its instance), else the opening. */
function weekStartOf(week: string, fallback: string): string {
  return IsoWeek.safeParse(week).success ? `${datesOfIsoWeek(week)[0]}T00:00:00.000Z` : fallback;
}

/** 00:00 UTC of the day a daily step is for (its instance), else the opening. */
function dayStartOf(date: string, fallback: string): string {
  return CalendarDate.safeParse(date).success ? `${date}T00:00:00.000Z` : fallback;
}

/** The StepOpened event for a step, with its due time computed from the workflow version. */
export function openStep(
  state: OpenedAppraisal,
  definition: WorkflowDefinition,
  workflowVersion: number,
  kind: StepKind,
  instance: string | null,
  ctx: DomainContext,
): AppraisalEventOf<'StepOpened'> {
  const stepKey = stepKeyOf(kind, instance);
  const step = stepDefinitionOf(definition, kind);
  const actor = step?.actor ?? DEFAULT_ACTORS[kind];
  let dueAt: string | null = null;
  if (step) {
    const anchor =
      step.due.from === 'opened'
        ? ctx.now
        : step.due.from === 'cycle-end'
          ? state.cycleEndsAt
          : step.due.from === 'week-start'
            ? weekStartOf(instance ?? '', ctx.now)
            : step.due.from === 'day-start'
              ? dayStartOf(instance ?? '', ctx.now)
              : (state.periods[instance ?? '']?.endsAt ?? ctx.now);
    // With working-day offsets, "due 5 days after" means five working days of the tenant's
    // calendar, at the same local wall time, like the step's reminders and escalations.
    dueAt =
      step.offsets === 'working-days' && definition.calendar
        ? addWorkingDays(anchor, step.due.days, definition.calendar)
        : addDays(anchor, step.due.days);
    // A response-time SLA is a promise counted from the moment the task lands: the step is due by
    // whichever comes first, its `due` days or its SLA (reminders and escalations count from it).
    // A step counted in working days counts its SLA in whole working days too.
    if (step.slaHours !== undefined) {
      const sla =
        step.offsets === 'working-days' && definition.calendar
          ? addWorkingDays(ctx.now, Math.ceil(step.slaHours / 24), definition.calendar)
          : new Date(new Date(ctx.now).getTime() + step.slaHours * 3_600_000).toISOString();
      if (new Date(sla).getTime() < new Date(dueAt).getTime()) dueAt = sla;
    }
  }
  return {
    type: 'StepOpened',
    data: {
      appraisalId: state.id,
      at: ctx.now,
      stepKey,
      kind,
      instance,
      occurrence: (state.steps[stepKey]?.occurrence ?? 0) + 1,
      assignee: {
        actor,
        employeeId: actor === 'self' && state.subject.kind === 'employee' ? state.subject.employeeId : null,
      },
      dueAt,
      workflowVersion,
    },
  };
}

/** The StepCompleted event, or nothing when the step is not open. */
export function completeStep(
  state: OpenedAppraisal,
  stepKey: string,
  ctx: DomainContext,
): AppraisalEventOf<'StepCompleted'>[] {
  const step = state.steps[stepKey];
  if (!step || !step.open) return [];
  return [
    {
      type: 'StepCompleted',
      data: {
        appraisalId: state.id,
        at: ctx.now,
        stepKey,
        occurrence: step.occurrence,
        by: ctx.actor.id,
        late: step.dueAt !== null && ctx.now > step.dueAt,
      },
    },
  ];
}

// ---- timers ----

export type TimerKind = 'reminder' | 'escalation' | 'deadline';

/** A timer's identity: `<kind>-<appraisalId>-<stepKey>-<occurrence>-<level>` (no `:`, usable as a BullMQ job id). */
export function timerKey(timer: {
  kind: TimerKind;
  appraisalId: string;
  stepKey: string;
  occurrence: number;
  level: number;
}): string {
  return `${timer.kind}-${timer.appraisalId}-${timer.stepKey}-${timer.occurrence}-${timer.level}`;
}

/**
 * The event id of a timer outcome: a UUIDv5 of the tenant and the timer key, so a timer that fires
 * twice (BullMQ is at-least-once) produces the same event id and the store drops the repeat.
 */
export function timerEventId(tenantId: string, key: string): string {
  return uuidV5(TIMER_NAMESPACE, `${tenantId}/${key}`);
}

export interface ScheduledTimer {
  kind: TimerKind;
  /** Reminder index (0-based), escalation level (1-based), 0 for the deadline. */
  level: number;
  fireAt: string;
  timerKey: string;
  /** For escalations: to whom. */
  escalateTo?: string;
  /** What the scheduler sends when the timer fires. */
  command: AppraisalCommandOf<'FireTimer'>;
}

export interface OpenStep extends Omit<StepState, 'open'> {
  appraisalId: string;
  timers: ScheduledTimer[];
}

/**
 * Reminders N days before the due time and on the due day (at 00:00 UTC of the last day it is due),
 * the deadline at the due time, escalations `afterDays` after it.
 */
export function allTimersOf(
  appraisalId: string,
  step: Omit<StepState, 'open'>,
  definition: WorkflowDefinition,
): ScheduledTimer[] {
  const stepDefinition = stepDefinitionOf(definition, step.kind);
  if (!stepDefinition || step.dueAt === null) return [];
  const dueAt = step.dueAt;
  const make = (kind: TimerKind, level: number, fireAt: string, escalateTo?: string): ScheduledTimer => {
    const key = timerKey({ kind, appraisalId, stepKey: step.stepKey, occurrence: step.occurrence, level });
    return {
      kind,
      level,
      fireAt,
      timerKey: key,
      ...(escalateTo ? { escalateTo } : {}),
      command: {
        type: 'FireTimer',
        data: { appraisalId, kind, stepKey: step.stepKey, occurrence: step.occurrence, level, dueAt: fireAt },
      },
    };
  };
  const reminders = stepDefinition.reminders.daysBefore.map((days, i) =>
    make('reminder', i, addDays(dueAt, -days)),
  );
  if (stepDefinition.reminders.onDueDay) {
    const midnight = `${dueAt.slice(0, 10)}T00:00:00.000Z`;
    const dueDay = midnight < dueAt ? midnight : addDays(midnight, -1);
    reminders.push(make('reminder', stepDefinition.reminders.daysBefore.length, dueDay));
  }
  const escalations = (stepDefinition.escalation ?? []).map((level, i) =>
    make('escalation', i + 1, addDays(dueAt, level.afterDays), level.to),
  );
  return [...reminders, make('deadline', 0, dueAt), ...escalations];
}

/** The timers worth scheduling: see `fromOpening`. */
export function timersOf(
  appraisalId: string,
  step: Omit<StepState, 'open'>,
  definition: WorkflowDefinition,
): ScheduledTimer[] {
  return fromOpening(allTimersOf(appraisalId, step, definition), step);
}

/**
 * A step's timers as from its opening (ADR 0144). Those due before it are left out (a reminder 3 days
 * before a 1-day step), except for a step opened after its due time (a month's review opened late, a
 * cycle opened late): its lateness is counted from the due time, as for any other step, so it misses
 * its deadline at the opening and each escalation level keeps its time from the due time. A level
 * whose time has passed fires at once, but never sooner than the workflow's spacing after the level
 * before it: one level fires at the opening and the others follow at the workflow's intervals, so
 * each person up the chain has their interval before the step is escalated past them, and nobody is
 * escalated past twice in the same instant. Its reminders are moot.
 */
export function fromOpening(timers: ScheduledTimer[], step: Pick<StepState, 'openedAt'>): ScheduledTimer[] {
  const deadline = timers.find((timer) => timer.kind === 'deadline');
  if (!deadline || deadline.fireAt >= step.openedAt)
    return timers.filter((timer) => timer.fireAt >= step.openedAt);
  const at = (fireAt: string) => new Date(fireAt).getTime();
  const firing = (timer: ScheduledTimer, fireAt: string): ScheduledTimer => ({
    ...timer,
    fireAt,
    command: { ...timer.command, data: { ...timer.command.data, dueAt: fireAt } },
  });
  // The levels in order. A level fires at its time from the due time, at the opening at the
  // earliest, and no sooner than the workflow's spacing after the level before it (whole days, or
  // working days as `businessTimersOf` placed them).
  const levels = timers.filter((timer) => timer.kind === 'escalation').sort((a, b) => a.level - b.level);
  let previous: { scheduled: number; fires: number } | null = null;
  const escalations = levels.map((timer) => {
    const scheduled = at(timer.fireAt);
    const earliest = previous ? previous.fires + (scheduled - previous.scheduled) : at(step.openedAt);
    const fires = Math.max(scheduled, earliest);
    previous = { scheduled, fires };
    return firing(timer, new Date(fires).toISOString());
  });
  return [firing(deadline, step.openedAt), ...escalations];
}

/**
 * The open steps of one appraisal with their due, reminder and escalation times, for the timers and
 * inbox read models. `definition` is the appraisal's pinned workflow version. Timers already fired
 * are left out.
 */
export function openSteps(events: readonly AppraisalEvent[], definition: WorkflowDefinition): OpenStep[] {
  const state = events.reduce(evolveAppraisal, initialAppraisalState());
  if (state.status === 'empty') return [];
  return Object.values(state.steps)
    .filter((step) => step.open)
    .map(({ open: _open, ...step }) => ({
      ...step,
      appraisalId: state.id,
      timers: timersOf(state.id, step, definition).filter(
        (timer) => !state.firedTimers.includes(timer.timerKey),
      ),
    }));
}
