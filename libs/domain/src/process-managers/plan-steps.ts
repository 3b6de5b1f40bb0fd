import type { AppraisalCommand } from '../appraisal/appraisal.commands';
import type { DomainEvent } from '../registry';
import { commandIdFor, type ProcessManager, type ReceivedEvent } from './process-manager';

type PlanEventType =
  | 'WeeklyPlanSubmitted'
  | 'WeeklyPlanAnnotated'
  | 'WeekScored'
  | 'DaySummarized'
  | 'DailyPlanAnnotated'
  | 'DayScored';
type TrackPlan = Extract<AppraisalCommand, { type: 'TrackWeeklyPlan' | 'TrackDailyPlan' }>;

/**
 * A manager that moves a week's or a day's steps on the person's appraisal: the first of its event
 * types is the planner's (`byPlanner`), the others the superior's review. The week or day is the plan
 * id's tail (`<employeeId>.<week or date>`); an event that names no appraisal sends nothing.
 */
export function planStepsTracker<Type extends PlanEventType>(
  name: string,
  eventTypes: readonly [byPlanner: Type, ...byReviewer: Type[]],
  track: (appraisalId: string, weekOrDay: string, byPlanner: boolean) => TrackPlan,
): ProcessManager<Type> {
  const react = (event: ReceivedEvent<Extract<DomainEvent, { type: PlanEventType }>>) => {
    const { appraisalId, planId } = event.data;
    if (!appraisalId) return [];
    const weekOrDay = planId.slice(planId.lastIndexOf('.') + 1);
    const command = track(appraisalId, weekOrDay, event.type === eventTypes[0]);
    return [{ commandId: commandIdFor(name, event, command.data.progress), command }];
  };
  return { name, eventTypes, react };
}
