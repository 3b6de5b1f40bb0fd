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

/**
 * Each aggregate's decider, named once: the API binds commands to them, and every reader folds a
 * stream with them (`fold(appraisalDecider, events)`).
 */
export const appraisalDecider = {
  decide: decideAppraisal,
  evolve: evolveAppraisal,
  initialState: initialAppraisalState,
};
export const cycleDecider = { decide: decideCycle, evolve: evolveCycle, initialState: initialCycleState };
export const directoryDecider = {
  decide: decideDirectory,
  evolve: evolveDirectory,
  initialState: initialDirectoryState,
};
export const workflowDecider = {
  decide: decideWorkflow,
  evolve: evolveWorkflow,
  initialState: initialWorkflowState,
};
export const scorecardTemplateDecider = {
  decide: decideScorecardTemplate,
  evolve: evolveScorecardTemplate,
  initialState: initialScorecardTemplateState,
};
export const targetTreeDecider = {
  decide: decideTargetTree,
  evolve: evolveTargetTree,
  initialState: initialTargetTreeState,
};
export const weeklyPlanDecider = {
  decide: decideWeeklyPlan,
  evolve: evolveWeeklyPlan,
  initialState: initialWeeklyPlanState,
};
export const dailyPlanDecider = {
  decide: decideDailyPlan,
  evolve: evolveDailyPlan,
  initialState: initialDailyPlanState,
};
