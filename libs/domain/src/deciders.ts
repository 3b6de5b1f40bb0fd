import { decideAppraisal } from './appraisal/appraisal.decide';
import { evolveAppraisal } from './appraisal/appraisal.evolve';
import { initialAppraisalState } from './appraisal/appraisal.state';
import { decideCycle, evolveCycle, initialCycleState } from './cycle/cycle.decide';
import { decideDirectory } from './directory/directory.decide';
import { evolveDirectory, initialDirectoryState } from './directory/directory.state';
import { decideTargetTree, evolveTargetTree, initialTargetTreeState } from './target-tree/target-tree.decide';
import { decideWeeklyPlan, evolveWeeklyPlan, initialWeeklyPlanState } from './weekly-plan/weekly-plan.decide';
import { decideDailyPlan, evolveDailyPlan, initialDailyPlanState } from './daily-plan/daily-plan.decide';
import {
  decideScorecardTemplate,
  decideWorkflow,
  evolveScorecardTemplate,
  evolveWorkflow,
  initialScorecardTemplateState,
  initialWorkflowState,
} from './workflow/workflow.decide';

/** A decider from its three functions, their types kept. */
const deciderOf = <Decide, Evolve, InitialState>(
  decide: Decide,
  evolve: Evolve,
  initialState: InitialState,
) => ({ decide, evolve, initialState });

/**
 * Each aggregate's decider, named once: the API binds commands to them, and every reader folds a
 * stream with them (`fold(appraisalDecider, events)`).
 */
export const appraisalDecider = deciderOf(decideAppraisal, evolveAppraisal, initialAppraisalState);
export const cycleDecider = deciderOf(decideCycle, evolveCycle, initialCycleState);
export const directoryDecider = deciderOf(decideDirectory, evolveDirectory, initialDirectoryState);
export const workflowDecider = deciderOf(decideWorkflow, evolveWorkflow, initialWorkflowState);
export const scorecardTemplateDecider = deciderOf(
  decideScorecardTemplate,
  evolveScorecardTemplate,
  initialScorecardTemplateState,
);
export const targetTreeDecider = deciderOf(decideTargetTree, evolveTargetTree, initialTargetTreeState);
export const weeklyPlanDecider = deciderOf(decideWeeklyPlan, evolveWeeklyPlan, initialWeeklyPlanState);
export const dailyPlanDecider = deciderOf(decideDailyPlan, evolveDailyPlan, initialDailyPlanState);
