import { Module } from '@nestjs/common';
import { registerRoutes } from '../commands/command-routes';
import { CommandsModule } from '../commands/commands.module';
import { planRoutes } from '../weekly-plans/plan-routes';
import { RUBRIC_RATINGS } from '../weekly-plans/weekly-plan.examples';
import { ReadDailyPlansController } from './read-daily-plans/read-daily-plans.http.controller';

const DailyPlanCommandsController = registerRoutes(
  'daily-plans',
  'daily-plans',
  planRoutes({
    submit: {
      command: 'SubmitDailyPlan',
      summary:
        "Plan a day (planId `<employeeId>.<date>`; optional, as the week's days are): numbers and actions as a week's, each optionally naming the item of that week's plan it works on (`weekItemId`); again to revise it until the day is summarized",
      example: {
        employeeId: 'ann',
        cycleId: 'c2026',
        date: '2026-02-03',
        items: [
          { itemId: 'calls', kind: 'number', text: 'Call ten customers', planned: '10' },
          {
            itemId: 'visit-sh',
            kind: 'action',
            text: 'Visit the Shanghai distributor',
            weekItemId: 'visit',
            externalRecords: [{ system: 'crm', recordId: 'cust-42', label: 'Huadong Trading' }],
          },
        ],
      },
    },
    summarize: {
      command: 'SummarizeDay',
      summary: "Report the day: each number's actual, whether each action was done, a summary (the planner)",
      example: {
        results: [
          { itemId: 'calls', actual: '8' },
          { itemId: 'visit-sh', done: true },
        ],
        summary: 'Two calls moved to Wednesday',
      },
    },
    annotate: {
      command: 'AnnotateDailyPlan',
      summary: 'Annotate a daily plan item (or the day without itemId): the superior or HR',
      example: { itemId: 'calls', text: 'Call the two key accounts first' },
    },
    score: {
      command: 'ScoreDay',
      summary:
        "Score a summarized day against the workflow's behaviour rubric, as a week is scored (the superior or HR); a day's score does not count in the month",
      example: { ratings: RUBRIC_RATINGS },
    },
  }),
);

/** Daily plans (seed 004): a person's day planned, summarized, annotated and scored as a week is (ADR 0154). */
@Module({
  imports: [CommandsModule],
  controllers: [DailyPlanCommandsController, ReadDailyPlansController],
})
export class DailyPlansModule {}
