import { cycleCalendar } from '../cycle/periods';
import type { CycleEvent, Subject } from '../cycle/cycle.events';
import type { PinnedWorkflow } from '../workflow/workflow.decide';

/** A cycle's opening event, as the cycle's decider records it when HR opens the cycle. */
export type CycleOpenedEvent = Extract<CycleEvent, { type: 'CycleOpened' }>;

/**
 * Cycle `c2026` ("Sales 2026") opened at `at` under the pinned `workflow`, with the calendar of its
 * cadence for `year` and one appraisal per entry of `appraisals`: a test names only what it varies
 * (the ids and the clock stay the test's, as the domain reads neither).
 */
export const cycleOpened = (opening: {
  workflow: PinnedWorkflow;
  appraisals: { appraisalId: string; subject: Subject }[];
  at: string;
  cycleId?: string;
  year?: number;
}): CycleOpenedEvent => {
  const { workflow, appraisals, at, cycleId = 'c2026', year = 2026 } = opening;
  const calendar = cycleCalendar(workflow.definition.cadence, year);
  return {
    type: 'CycleOpened',
    data: {
      cycleId,
      name: `Sales ${year}`,
      year,
      workflowId: workflow.workflowId,
      workflowVersion: workflow.version,
      scorecardTemplate: null,
      startsAt: calendar.startsAt,
      endsAt: calendar.endsAt,
      periods: calendar.periods,
      appraisals,
      at,
    },
  };
};
