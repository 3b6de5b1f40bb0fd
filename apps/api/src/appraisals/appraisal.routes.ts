import type { CommandRoute } from '../commands/command-routes';
import {
  EMPLOYEES_AND_MANAGERS,
  HR_AND_PROCESS_OWNERS,
  MANAGERS_AND_HR,
  PERSON_ROLES,
} from '../auth/role-sets';

const SELF = PERSON_ROLES; // anyone may be an appraisee
const MANAGER = MANAGERS_AND_HR;
const HR = ['hr'] as const;
const ANYONE = PERSON_ROLES;

const route = (
  command: CommandRoute['command'],
  path: string,
  roles: CommandRoute['roles'],
  summary: string,
  example: Record<string, unknown>,
): CommandRoute => ({ command, path: `:appraisalId/${path}`, roles, summary, example });

/**
 * The appraisal lifecycle (DOMAIN.md: plan → period reviews → improvement → annual → closed).
 * Roles here are the coarse gate; the domain checks each actor's role and org relation to the
 * appraisee (e.g. only the appraisee's own manager approves the plan). `FireTimer` and
 * `TrackWeeklyPlan` / `TrackDailyPlan` are the worker's and have no HTTP route; `OpenAppraisal` normally comes from the cycle's process manager.
 */
export const appraisalRoutes: CommandRoute[] = [
  {
    command: 'OpenAppraisal',
    path: '',
    roles: HR,
    summary:
      "HR or admin override: open one appraisal by hand (the cycle's process manager opens each subject's appraisal when the cycle opens); checks the cycle dates and the workflow version, not the cycle or the directory",
    example: {
      appraisalId: 'a-2026-e1001',
      cycleId: 'sales-2026',
      subject: { kind: 'employee', employeeId: 'e-1001', orgUnitId: 'sales' },
      workflowId: 'sales-4232',
      workflowVersion: 1,
      cycleStartsAt: '2026-01-01T00:00:00.000Z',
      cycleEndsAt: '2027-01-01T00:00:00.000Z',
      periods: [
        { periodId: '2026-01', startsAt: '2026-01-01T00:00:00.000Z', endsAt: '2026-02-01T00:00:00.000Z' },
      ],
    },
  },
  route('SubmitPlan', 'submit-plan', SELF, 'Submit the plan: targets per indicator and key actions', {
    targets: [{ indicatorId: 'sales_volume', threshold: 800, target: 1000, stretch: 1200 }],
    actions: [
      {
        indicatorId: 'sales_volume',
        ownerEmployeeId: 'e-1001',
        dueDate: '2026-03-31',
        goal: 'Open two new distributors',
        measures: 'Visit 10 candidates in Q1',
      },
    ],
  }),
  route('ReturnPlan', 'return-plan', MANAGER, 'Return the plan with annotations', {
    annotations: [{ path: 'targets[0].target', text: 'Aim for 1,050 units' }],
  }),
  route('ApprovePlan', 'approve-plan', MANAGER, 'Approve the submitted plan', {}),
  route('RequestPlanChange', 'request-plan-change', SELF, 'Request a change to an approved plan', {
    targets: [{ indicatorId: 'sales_volume', threshold: 700, target: 900, stretch: 1100 }],
    actions: [],
    reason: 'Main distributor closed in March',
  }),
  route('ApprovePlanChange', 'approve-plan-change', MANAGER, 'Approve a requested plan change', {
    changeId: 'c-1',
  }),
  route('RejectPlanChange', 'reject-plan-change', MANAGER, 'Reject a requested plan change', {
    changeId: 'c-1',
    reason: 'The targets stay as agreed',
  }),
  route('FilePeriodReview', 'file-period-review', SELF, "File a period's actuals, gaps and proposals", {
    periodId: '2026-01',
    actuals: [{ indicatorId: 'sales_volume', actual: 950 }],
    attachments: [],
    gapReasons: 'One large order slipped to February',
    improvementProposals: 'Weekly pipeline review',
    supportRequests: 'A second sales engineer',
  }),
  route('ReturnPeriodReview', 'return-period-review', MANAGER, 'Return a period review with annotations', {
    periodId: '2026-01',
    annotations: [{ path: 'actuals.sales_volume', text: 'Attach the ERP export' }],
  }),
  route(
    'AssessPeriodReview',
    'assess-period-review',
    MANAGER,
    'Assess a period review (corrections need reasons)',
    {
      periodId: '2026-01',
      corrections: [{ indicatorId: 'sales_volume', actual: 940, reason: 'Ten units were returned' }],
      comment: 'Good month',
    },
  ),
  route('ScorePeriod', 'score-period', MANAGER, 'Score a period (normally automatic after the assessment)', {
    periodId: '2026-01',
  }),
  route(
    'RescoreBehaviour',
    'rescore-behaviour',
    MANAGER,
    "Score a scored month again with its weekly behaviour scores as they are now (the appraisee's manager chain or HR; normally automatic after a late week). After the annual score, the year is stale until scored again",
    { periodId: '2026-01' },
  ),
  route(
    'FileImprovement',
    'file-improvement',
    SELF,
    'File the improvement action for an indicator below target',
    {
      improvementId: 'i-1',
      action: 'Add a weekly pipeline review with the distributor',
    },
  ),
  route('VerifyImprovement', 'verify-improvement', MANAGER, 'Verify an improvement at the next review', {
    improvementId: 'i-1',
    effective: true,
    goodPractice: true,
    comment: 'Share with the northern branch',
  }),
  route(
    'WaivePeriod',
    'waive-period',
    HR,
    'Waive a period not yet assessed, with a reason: the annual score skips it and says so',
    { periodId: '2026-04', reason: 'Parental leave in April' },
  ),
  route('WaiveVeto', 'waive-veto', HR, "Waive a period's veto with a reason", {
    periodId: '2026-01',
    indicatorId: 'product_mix',
    reason: 'Supply shortage of the new product line',
  }),
  route('FileRedLineBreach', 'file-red-line-breach', HR, 'File a red-line breach with evidence', {
    redLineId: 'safety_incident',
    description: 'Unreported safety incident at the warehouse',
    evidence: 'Incident report 2026-014',
  }),
  route('ContestRedLine', 'contest-red-line', SELF, 'Contest a red-line breach', {
    breachId: 'b-1',
    reason: 'The incident was reported the same day',
  }),
  route('UpholdRedLine', 'uphold-red-line', HR, 'Uphold a contested red-line breach', {
    breachId: 'b-1',
    reason: 'The report was filed a week late',
  }),
  route('WithdrawRedLine', 'withdraw-red-line', HR, 'Withdraw a red-line breach (it stays in the trail)', {
    breachId: 'b-1',
    reason: 'Filed against the wrong person',
  }),
  route('SubmitSelfAssessment', 'submit-self-assessment', SELF, 'Submit the annual self-assessment', {
    rating: 85,
    comment: 'Met most targets',
  }),
  route('SubmitRating', 'submit-rating', ANYONE, 'Submit a rating as manager, skip-level, peer or expert', {
    group: 'manager',
    rating: 88,
    comment: 'Strong second half',
  }),
  route(
    'NominateRater',
    'nominate-rater',
    SELF,
    'Nominate a 360 rater: the appraisee proposes (the manager decides), HR assigns; answers the nominationId',
    { group: 'peer', employeeId: 'e-1002' },
  ),
  route('ApproveNomination', 'approve-nomination', MANAGER, 'Approve a proposed 360 rater', {
    nominationId: 'n-1',
  }),
  route('RejectNomination', 'reject-nomination', MANAGER, 'Reject a proposed 360 rater, with a reason', {
    nominationId: 'n-1',
    reason: 'Works in another region and has not seen this year',
  }),
  route('ScoreAppraisal', 'score-appraisal', HR, 'Compute the annual score and grade', {}),
  route(
    'CalibrateAppraisal',
    'calibrate-appraisal',
    HR,
    'Adjust score or grade at calibration (reason required)',
    {
      grade: 'B',
      reason: 'Forced distribution of the sales department',
    },
  ),
  route('FinalizeAppraisal', 'finalize-appraisal', HR, 'Finalize the appraisal', {}),
  route('AcknowledgeAppraisal', 'acknowledge-appraisal', SELF, 'Acknowledge the final result', {
    comment: 'Agreed',
  }),
  route('FileAppeal', 'file-appeal', SELF, 'Appeal the final result', {
    reason: 'The product-mix veto ignored the supply shortage',
  }),
  route('ResolveAppeal', 'resolve-appeal', HR, 'Resolve an appeal', {
    outcome: 'upheld',
    grade: 'B',
    reason: 'Veto waived retroactively',
  }),
  route(
    'DisputeImportedActual',
    'dispute-actual',
    EMPLOYEES_AND_MANAGERS,
    'Dispute an actual another system filed (the person or their manager); the manager resolves it',
    {
      periodId: '2026-01',
      indicatorId: 'sales_volume',
      reason: 'The ERP export missed the returns of 30 January',
    },
  ),
  route(
    'ResolveActualDispute',
    'resolve-actual-dispute',
    MANAGER,
    'Resolve a dispute of an imported actual: keep the figure or correct it',
    {
      periodId: '2026-01',
      indicatorId: 'sales_volume',
      outcome: 'corrected',
      actual: '940',
      reason: 'Returns netted',
    },
  ),
  route('AddAnnotation', 'annotations', ANYONE, 'Annotate the appraisal (a step, a period or an indicator)', {
    on: { periodId: '2026-01', indicatorId: 'sales_volume' },
    text: 'Discussed in the monthly meeting',
  }),
  route(
    'MigrateWorkflowVersion',
    'migrate-workflow-version',
    // The process owner publishes a version and moves running appraisals to it; HR may too (the domain allows both).
    HR_AND_PROCESS_OWNERS,
    'Move the appraisal to another workflow version',
    {
      toVersion: 2,
      reason: 'Corrected escalation chain',
    },
  ),
];
