import { Inject } from '@nestjs/common';
import { z } from 'zod';
import {
  AGGREGATES,
  CalendarMonth,
  Id,
  dec,
  evolveCycle,
  initialCycleState,
  isoWeeksOfMonth,
  monthBehaviourScore,
  monthlyScoreWithBehaviour,
  previousIsoWeek,
  weeklyPlanIdOf,
  dailyPlanDecider,
  dailyPlanIdOf,
  datesOfIsoWeek,
  fold,
  scoredDaysOf,
  weeksWithDays,
  type AppraisalEvent,
  type CycleEvent,
  type WeeklyPlanEvent,
} from '@verity/domain';
import { streamName, type EventStore } from '@verity/event-store';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { CLOCK, type Clock } from '../../clock/clock';
import { OrgRelations } from '../../directory/org-relations';
import { PinnedWorkflows } from '../../workflows/pinned-workflows';
import { EVENT_STORE } from '../../event-store/event-store.provider';
import { ValidQuery } from '../../validation/zod.pipe';
import { evolveWeekView, notPlanned, type WeekView } from './weekly-plan.view';
import { WeeklyPlansResponse } from './weekly-plans.response';
import { ApiController, Route } from '../../openapi/route';
import { planReader, readPlans, seenData } from './plan-reader';
import { PERSON_ROLES_AND_AUDITOR } from '../../auth/role-sets';

type CycleOpened = Extract<CycleEvent, { type: 'CycleOpened' }>['data'];
type PeriodScored = Extract<AppraisalEvent, { type: 'PeriodScored' }>['data'];

export const WeeklyPlansQuery = z.strictObject({
  employeeId: Id,
  /** The month whose weeks are read (a week counts in the month of its Thursday). */
  month: CalendarMonth,
});

/**
 * A person's weekly plans of a month with their scores, each beside last week's summary, and the
 * month's behaviour score by the workflow's rule (and, once the month is scored, the monthly score
 * with the behaviour score at the workflow's weight). Replayed from the weeks' streams (one per
 * person and week, so a month is at most six known streams): no read model to lag behind.
 */
@ApiController('weekly-plans')
export class ReadWeeklyPlansController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly relations: OrgRelations,
    private readonly workflows: PinnedWorkflows,
  ) {}

  @Route('GET', '', {
    roles: PERSON_ROLES_AND_AUDITOR,
    summary:
      "A person's weekly plans of a month (items, annotations, last week's summary, behaviour scores) and the month's behaviour score",
    answer: WeeklyPlansResponse,
  })
  async weeks(
    @CurrentPrincipal() me: Principal,
    @ValidQuery(WeeklyPlansQuery) query: z.output<typeof WeeklyPlansQuery>,
  ) {
    const { employeeId, month } = query;
    const viewer = await planReader(this.relations, this.clock, me, employeeId, 'weekly plans');

    const weeks = isoWeeksOfMonth(month);
    const all = [previousIsoWeek(weeks[0]), ...weeks];
    const planIds = all.map((week) => weeklyPlanIdOf(employeeId, week));
    const plans = await readPlans(this.store, me.tenantId, AGGREGATES.weeklyPlan, planIds);
    const views = new Map<string, WeekView>();
    let cycleId: string | null = null;
    for (const [index, week] of all.entries()) {
      const events = plans[index];
      views.set(
        week,
        events.reduce(
          (view, event) =>
            evolveWeekView(view, { type: event.type, data: seenData(viewer, event) } as WeeklyPlanEvent),
          notPlanned(week, planIds[index]),
        ),
      );
      const submitted = events.find((event) => event.type === 'WeeklyPlanSubmitted');
      if (week !== all[0] && submitted && cycleId === null)
        cycleId = (submitted.data as { cycleId: string }).cycleId;
    }

    const ownScores = weeks.flatMap((week) => {
      const score = views.get(week)!.score;
      return score === null ? [] : [{ week, score }];
    });
    const rules = cycleId ? await this.rulesOf(me.tenantId, cycleId) : null;
    // Where the workflow counts days (ADR 0161), the month weighs the weeks as its scoring does.
    const scoredWeeks =
      rules?.dailyPlans && cycleId
        ? weeksWithDays(
            rules.dailyPlans,
            ownScores,
            await this.scoredDaysOf(me.tenantId, employeeId, cycleId, weeks),
            rules.rounding,
          )
        : ownScores;
    const scores = scoredWeeks.map(({ score }) => score);
    const behaviourScore = rules?.weeklyPlans
      ? monthBehaviourScore(rules.weeklyPlans.monthRollUp, scores, rules.rounding)
      : null;
    const scored = cycleId ? await this.periodScoreOf(me.tenantId, cycleId, employeeId, month) : null;
    // A month scored with its behaviour part (ADR 0131) holds both figures; one scored before that
    // holds the scorecard's score alone, and the behaviour score is weighed in here as before.
    const periodScore = scored?.behaviour ? scored.behaviour.scorecardScore : (scored?.score ?? null);
    return {
      employeeId,
      month,
      cycleId,
      rule: rules?.weeklyPlans
        ? {
            monthRollUp: rules.weeklyPlans.monthRollUp,
            weightInMonthlyScore: String(rules.weeklyPlans.weightInMonthlyScore),
            rubric: rules.weeklyPlans.rubric,
          }
        : null,
      behaviourScore,
      /** The month's score as the appraisal scored it (indicators only). */
      periodScore,
      /**
       * The month was scored with other week scores than the weeks hold now (a week scored after the
       * month): the stored monthly score no longer matches them until the month is rescored (ADR 0131).
       */
      behaviourStale: scored?.behaviour ? !sameWeeks(scored.behaviour.weeks, scoredWeeks) : false,
      /** The period score with the behaviour score counted at the workflow's weight. */
      monthlyScore: scored?.behaviour
        ? scored.score
        : periodScore !== null && rules?.weeklyPlans
          ? monthlyScoreWithBehaviour(
              periodScore,
              behaviourScore,
              rules.weeklyPlans.weightInMonthlyScore,
              rules.rounding,
            )
          : null,
      weeks: weeks.map((week) => ({
        ...views.get(week)!,
        lastWeekSummary: views.get(previousIsoWeek(week))?.summary ?? null,
      })),
    };
  }

  private async rulesOf(tenantId: string, cycleId: string) {
    const events = await this.store.readStreams([streamName(AGGREGATES.cycle, tenantId, cycleId)], {
      tenantId,
    });
    const cycle = [...events.values()][0]?.reduce(
      (state, event) => evolveCycle(state, event as never),
      initialCycleState(),
    );
    if (!cycle || cycle.status === 'empty') return null;
    const { definition } = await this.workflows.pinned(tenantId, cycle.workflowId, cycle.workflowVersion);
    return {
      weeklyPlans: definition.weeklyPlans ?? null,
      dailyPlans: definition.dailyPlans ?? null,
      rounding: definition.rounding,
    };
  }

  /** The person's scored days of the month's weeks in the cycle, replayed from their streams. */
  private async scoredDaysOf(tenantId: string, employeeId: string, cycleId: string, weeks: string[]) {
    const planIds = weeks
      .flatMap((week) => datesOfIsoWeek(week))
      .map((date) => dailyPlanIdOf(employeeId, date));
    const plans = await readPlans(this.store, tenantId, AGGREGATES.dailyPlan, planIds);
    return scoredDaysOf(
      plans.map((events) => fold(dailyPlanDecider, events)),
      cycleId,
    );
  }

  /** The month's period score on the person's appraisal of the cycle, once scored. */
  private async periodScoreOf(
    tenantId: string,
    cycleId: string,
    employeeId: string,
    month: string,
  ): Promise<{ score: string; behaviour?: NonNullable<PeriodScored['behaviour']> } | null> {
    const cycleStream = streamName(AGGREGATES.cycle, tenantId, cycleId);
    const cycleEvents = (await this.store.readStreams([cycleStream], { tenantId })).get(cycleStream) ?? [];
    const opened = cycleEvents.find((event) => event.type === 'CycleOpened')?.data as CycleOpened | undefined;
    const appraisalId = opened?.appraisals.find(
      ({ subject }) => subject.kind === 'employee' && subject.employeeId === employeeId,
    )?.appraisalId;
    if (!appraisalId) return null;
    const appraisalStream = streamName(AGGREGATES.appraisal, tenantId, appraisalId);
    const events = (await this.store.readStreams([appraisalStream], { tenantId })).get(appraisalStream) ?? [];
    // The month's latest scoring (a waiver rescores it).
    const last = events
      .filter((event) => event.type === 'PeriodScored' && (event.data as PeriodScored).periodId === month)
      .at(-1);
    if (!last) return null;
    const { score, behaviour } = last.data as PeriodScored;
    return { score, ...(behaviour ? { behaviour } : {}) };
  }
}

/** Whether the weeks a month was scored with are the weeks' scores now (both in week order). */
function sameWeeks(
  recorded: readonly { week: string; score: string }[],
  now: readonly { week: string; score: string }[],
): boolean {
  return (
    recorded.length === now.length &&
    recorded.every((row, i) => row.week === now[i].week && dec(row.score).equals(dec(now[i].score)))
  );
}
