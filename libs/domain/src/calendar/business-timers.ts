import type { StepState } from '../appraisal/appraisal.state';
import {
  allTimersOf,
  fromOpening,
  stepDefinitionOf,
  type ScheduledTimer,
} from '../appraisal/appraisal.steps';
import type { WorkflowDefinition } from '../workflow/workflow-definition.schema';
import { addWorkingDays, startOfDueDay } from './business-calendar';

/**
 * A step's timers on the workflow's business calendar: with `offsets: working-days`, reminders fall
 * N working days before the due time and escalations N working days after it (same local wall time,
 * in the tenant's time zone), and the "on the due day" reminder at the start of the last working day
 * before it. The due time is the step's (in working days too, see `openStep`). Timer keys are unchanged, so `FireTimer` still
 * names the same timer. As from the step's opening, as in `timersOf` (`fromOpening`).
 */
export function businessTimersOf(
  appraisalId: string,
  step: Omit<StepState, 'open'>,
  definition: WorkflowDefinition,
): ScheduledTimer[] {
  const timers = allTimersOf(appraisalId, step, definition);
  const stepDefinition = stepDefinitionOf(definition, step.kind);
  const calendar = definition.calendar;
  const dueAt = step.dueAt;
  const onCalendar =
    stepDefinition?.offsets === 'working-days' && calendar !== undefined && dueAt !== null
      ? timers.map((timer): ScheduledTimer => {
          const fireAt =
            timer.kind === 'reminder'
              ? timer.level < stepDefinition.reminders.daysBefore.length
                ? addWorkingDays(dueAt, -stepDefinition.reminders.daysBefore[timer.level], calendar)
                : startOfDueDay(dueAt, calendar)
              : timer.kind === 'escalation'
                ? addWorkingDays(dueAt, stepDefinition.escalation![timer.level - 1].afterDays, calendar)
                : timer.fireAt;
          return {
            ...timer,
            fireAt,
            command: { ...timer.command, data: { ...timer.command.data, dueAt: fireAt } },
          };
        })
      : timers;
  return fromOpening(onCalendar, step);
}
