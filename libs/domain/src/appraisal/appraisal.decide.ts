import { assertNever } from '../shared/messages';
import type { AppraisalCommand } from './appraisal.commands';
import type { AppraisalEvent } from './appraisal.events';
import type { Appraisal } from './appraisal.state';
import { decisionOf, type AppraisalContext } from './decide/context';
import { decideOpenAppraisal } from './decide/open-appraisal';
import { decidePlanChange, requestPlanChange, reviewPlan, submitPlan } from './decide/plan';
import {
  assessPeriodReview,
  filePeriodReview,
  rescoreBehaviour,
  scorePeriodCommand,
  waivePeriod,
} from './decide/period-review';
import { fileOrVerifyImprovement } from './decide/improvement';
import { decideRedLine, fileRedLineBreach, waiveVeto } from './decide/red-lines';
import { decideNomination, nominateRater } from './decide/nominations';
import { submitRating, submitSelfAssessment } from './decide/ratings';
import { calibrateAppraisal, finalizeAppraisal, scoreAppraisal } from './decide/annual-score';
import { acknowledgeAppraisal, fileAppeal, resolveAppeal } from './decide/appeal';
import { disputeImportedActual, importActual, resolveActualDispute } from './decide/actuals';
import { openWeeklyPlanSteps, trackWeeklyPlan } from './decide/weekly-plan-steps';
import { trackDailyPlan } from './decide/daily-plan-steps';
import { addAnnotation, fireTimerCommand, migrateWorkflowVersion } from './decide/upkeep';
import {
  moveAppraisalUnit,
  openJoinerAppraisal,
  refuseIfWithdrawn,
  withdrawAppraisal,
} from './decide/membership';

export type { AppraisalContext } from './decide/context';

/** The appraisal's rules: one function per command family in ./decide, picked by the command's type. */
export function decideAppraisal(
  command: AppraisalCommand,
  state: Appraisal,
  ctx: AppraisalContext,
): AppraisalEvent[] {
  if (command.type === 'OpenAppraisal') return decideOpenAppraisal(command, state, ctx);
  if (command.type === 'OpenJoinerAppraisal') return openJoinerAppraisal(command, state, ctx);
  const decision = decisionOf(state, command.data.appraisalId, ctx);
  if (command.type !== 'FireTimer') refuseIfWithdrawn(decision.current);
  switch (command.type) {
    case 'SubmitPlan':
      return submitPlan(command, decision);
    case 'ReturnPlan':
    case 'ApprovePlan':
      return reviewPlan(command, decision);
    case 'RequestPlanChange':
      return requestPlanChange(command, decision);
    case 'ApprovePlanChange':
    case 'RejectPlanChange':
      return decidePlanChange(command, decision);
    case 'FilePeriodReview':
      return filePeriodReview(command, decision);
    case 'ReturnPeriodReview':
    case 'AssessPeriodReview':
      return assessPeriodReview(command, decision);
    case 'ScorePeriod':
      return scorePeriodCommand(command, decision);
    case 'RescoreBehaviour':
      return rescoreBehaviour(command, decision);
    case 'TrackWeeklyPlan':
      return trackWeeklyPlan(command, decision);
    case 'OpenWeeklyPlanSteps':
      return openWeeklyPlanSteps(decision);
    case 'TrackDailyPlan':
      return trackDailyPlan(command, decision);
    case 'FileImprovement':
    case 'VerifyImprovement':
      return fileOrVerifyImprovement(command, decision);
    case 'WaivePeriod':
      return waivePeriod(command, decision);
    case 'WaiveVeto':
      return waiveVeto(command, decision);
    case 'FileRedLineBreach':
      return fileRedLineBreach(command, decision);
    case 'ContestRedLine':
    case 'UpholdRedLine':
    case 'WithdrawRedLine':
      return decideRedLine(command, decision);
    case 'SubmitSelfAssessment':
      return submitSelfAssessment(command, decision);
    case 'SubmitRating':
      return submitRating(command, decision);
    case 'NominateRater':
      return nominateRater(command, decision);
    case 'ApproveNomination':
    case 'RejectNomination':
      return decideNomination(command, decision);
    case 'ScoreAppraisal':
      return scoreAppraisal(command, decision);
    case 'CalibrateAppraisal':
      return calibrateAppraisal(command, decision);
    case 'FinalizeAppraisal':
      return finalizeAppraisal(command, decision);
    case 'AcknowledgeAppraisal':
      return acknowledgeAppraisal(command, decision);
    case 'FileAppeal':
      return fileAppeal(command, decision);
    case 'ResolveAppeal':
      return resolveAppeal(command, decision);
    case 'ImportActual':
      return importActual(command, decision);
    case 'DisputeImportedActual':
      return disputeImportedActual(command, decision);
    case 'ResolveActualDispute':
      return resolveActualDispute(command, decision);
    case 'AddAnnotation':
      return addAnnotation(command, decision);
    case 'FireTimer':
      return fireTimerCommand(command, decision);
    case 'MigrateWorkflowVersion':
      return migrateWorkflowVersion(command, decision);
    case 'WithdrawAppraisal':
      return withdrawAppraisal(command, decision);
    case 'MoveAppraisalUnit':
      return moveAppraisalUnit(command, decision);
    default:
      return assertNever(command);
  }
}
