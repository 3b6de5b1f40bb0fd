import { Module } from '@nestjs/common';
import { registerRoutes } from '../commands/command-routes';
import { CommandsModule } from '../commands/commands.module';
import { planRoutes } from './plan-routes';
import { RUBRIC_RATINGS } from './weekly-plan.examples';
import { ReadWeeklyPlansController } from './read-weekly-plans/read-weekly-plans.http.controller';

const item = {
  itemId: 'sales',
  kind: 'number',
  text: 'Sell 300 units through the channel partners',
  targetId: 'ann-sales',
  planned: '300',
  externalRecords: [{ system: 'crm', recordId: 'cust-42', label: 'Huadong Trading' }],
};

const WeeklyPlanCommandsController = registerRoutes(
  'weekly-plans',
  'weekly-plans',
  planRoutes({
    submit: {
      command: 'SubmitWeeklyPlan',
      summary:
        "Plan a week (planId `<employeeId>.<ISO week>`): numbers and actions linked to one's targets and external records, days optional",
      example: {
        employeeId: 'ann',
        cycleId: 'c2026',
        week: '2026-W06',
        items: [item, { itemId: 'visit', kind: 'action', text: 'Visit the two largest distributors' }],
        days: [{ date: '2026-02-02', itemIds: ['visit'], note: 'Shanghai' }],
      },
    },
    summarize: {
      command: 'SummarizeWeek',
      summary: "Report the week: each number's actual, whether each action was done, a summary",
      example: {
        results: [
          { itemId: 'sales', actual: '280' },
          { itemId: 'visit', done: true },
        ],
        summary: 'Short by 20 units: one order slipped to next week',
      },
    },
    annotate: {
      command: 'AnnotateWeeklyPlan',
      summary: 'Annotate a weekly plan item (or the week without itemId): the superior or HR',
      example: { itemId: 'sales', text: 'Chase the slipped order first' },
    },
    score: {
      command: 'ScoreWeek',
      summary: "Score the week against the workflow's behaviour rubric (one rating per criterion)",
      example: { ratings: RUBRIC_RATINGS },
    },
  }),
);

/** Weekly plans (seed 004): planned, summarized, annotated and scored by the week (docs/adr/0123). */
@Module({
  imports: [CommandsModule],
  controllers: [WeeklyPlanCommandsController, ReadWeeklyPlansController],
})
export class WeeklyPlansModule {}
