import { Inject } from '@nestjs/common';
import { z } from 'zod';
import {
  AGGREGATES,
  Id,
  IsoWeek,
  dailyPlanIdOf,
  datesOfIsoWeek,
  type DailyPlanEvent,
  type Viewer,
  type WeeklyPlanEvent,
} from '@verity/domain';
import type { EventStore, RecordedEvent } from '@verity/event-store';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { CLOCK, type Clock } from '../../clock/clock';
import { OrgRelations } from '../../directory/org-relations';
import { EVENT_STORE } from '../../event-store/event-store.provider';
import { ValidQuery } from '../../validation/zod.pipe';
import { evolveWeekView, notPlanned } from '../../weekly-plans/read-weekly-plans/weekly-plan.view';
import { DailyPlansResponse } from './daily-plans.response';
import { ApiController, Route } from '../../openapi/route';
import { planReader, readPlans, seenData } from '../../weekly-plans/read-weekly-plans/plan-reader';
import { PERSON_ROLES_AND_AUDITOR } from '../../auth/role-sets';

export const DailyPlansQuery = z.strictObject({
  employeeId: Id,
  /** The ISO week whose seven days are read. */
  week: IsoWeek,
});

/**
 * A person's daily plans of one ISO week (ADR 0154), replayed from the seven days' streams (known
 * names, one round trip). A day reads as a week does: its events are the week's, by the day, so the
 * weekly plan's view folds them (items with their results and annotations, the summary, the score),
 * and the visibility rule of the screens decides who reads the words.
 */
@ApiController('daily-plans')
export class ReadDailyPlansController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly relations: OrgRelations,
  ) {}

  @Route('GET', '', {
    roles: PERSON_ROLES_AND_AUDITOR,
    summary:
      "A person's daily plans of an ISO week, day by day (items with the week's item each works on, results, annotations, summary, score); the words only for those who may read them",
    answer: DailyPlansResponse,
  })
  async days(
    @CurrentPrincipal() me: Principal,
    @ValidQuery(DailyPlansQuery) query: z.output<typeof DailyPlansQuery>,
  ) {
    const { employeeId, week } = query;
    const viewer = await planReader(this.relations, this.clock, me, employeeId, 'daily plans');
    const dates = datesOfIsoWeek(week);
    const planIds = dates.map((date) => dailyPlanIdOf(employeeId, date));
    const plans = await readPlans(this.store, me.tenantId, AGGREGATES.dailyPlan, planIds);
    return {
      employeeId,
      week,
      days: dates.map((date, index) => {
        const {
          week: _week,
          days: _days,
          ...day
        } = plans[index].reduce(
          (view, event) => evolveWeekView(view, asWeekEvent(viewer, event)),
          notPlanned(week, planIds[index]),
        );
        return { date, ...day };
      }),
    };
  }
}

const AS_WEEK: Record<DailyPlanEvent['type'], WeeklyPlanEvent['type']> = {
  DailyPlanSubmitted: 'WeeklyPlanSubmitted',
  DaySummarized: 'WeekSummarized',
  DailyPlanAnnotated: 'WeeklyPlanAnnotated',
  DayScored: 'WeekScored',
};

/** A day's event as the week's event it mirrors (no days of its own), its `pii` as the viewer may see it. */
function asWeekEvent(viewer: Viewer, event: RecordedEvent): WeeklyPlanEvent {
  const seen = seenData(viewer, event);
  const type = AS_WEEK[event.type as DailyPlanEvent['type']];
  return { type, data: type === 'WeeklyPlanSubmitted' ? { ...seen, days: [] } : seen } as WeeklyPlanEvent;
}
