import { cycleCalendar } from '../cycle/periods';
import type { Relation, Role } from '../shared/context';
import type { PinnedWorkflow } from '../workflow/workflow.decide';
import { parseWorkflowDefinition } from '../workflow/workflow-definition.validate';
import type { WorkflowDefinition } from '../workflow/workflow-definition.schema';
import { sales4232Workflow } from '../examples/sales-4232.workflow';
import { decideAppraisal, type AppraisalContext } from '../appraisal/appraisal.decide';
import { evolveAppraisal } from '../appraisal/appraisal.evolve';
import { initialAppraisalState } from '../appraisal/appraisal.state';
import type { AppraisalCommand, AppraisalCommandOf } from '../appraisal/appraisal.commands';
import type { AppraisalEvent } from '../appraisal/appraisal.events';
import { appraisalDecider } from '../deciders';
import { contextFor, checkedAgainstSchemas, specification } from './specification';

/** Test fixtures for the appraisal decider: the sales workflow pinned as v1, actors, and a happy path. */
export function definitionOf(input: unknown): WorkflowDefinition {
  const parsed = parseWorkflowDefinition(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.definition;
}

export const salesDefinition = definitionOf(sales4232Workflow);
export const pinnedV1: PinnedWorkflow = { workflowId: 'sales', version: 1, definition: salesDefinition };
export const appraisalSpec = specification(appraisalDecider);

export const calendar = cycleCalendar(salesDefinition.cadence, 2026);

type Who =
  'self' | 'manager' | 'skip' | 'peer' | 'peer2' | 'stranger' | 'hr' | 'system' | 'owner' | 'auditor';
const WHO: Record<Who, { role: Role; relation: Relation; actorId: string }> = {
  self: { role: 'employee', relation: 'self', actorId: 'u-ann' },
  manager: { role: 'manager', relation: 'manager', actorId: 'u-mgr' },
  skip: { role: 'manager', relation: 'skip-level', actorId: 'u-boss' },
  peer: { role: 'employee', relation: 'peer', actorId: 'u-bob' },
  peer2: { role: 'employee', relation: 'peer', actorId: 'u-cai' },
  stranger: { role: 'employee', relation: 'none', actorId: 'u-zed' },
  hr: { role: 'hr', relation: 'none', actorId: 'u-hr' },
  system: { role: 'system', relation: 'none', actorId: 'worker' },
  owner: { role: 'process-owner', relation: 'none', actorId: 'u-po' },
  auditor: { role: 'auditor', relation: 'none', actorId: 'u-audit' },
};

export function as(
  who: Who,
  options: {
    now?: string;
    ids?: string[];
    workflow?: PinnedWorkflow;
    migrationTarget?: PinnedWorkflow;
    opening?: AppraisalContext['opening'];
  } = {},
): AppraisalContext {
  const { role, relation, actorId } = WHO[who];
  return {
    ...contextFor(role, {
      relation,
      actorId,
      now: options.now ?? '2026-01-05T09:00:00.000Z',
      ids: options.ids,
    }),
    workflow: options.workflow ?? pinnedV1,
    ...(options.migrationTarget ? { migrationTarget: options.migrationTarget } : {}),
    ...(options.opening ? { opening: options.opening } : {}),
  };
}

export const AP = 'ap-1';
/** The worked example of DOMAIN.md: a month's actuals that score 87.30, with the product mix's evidence. */
export const workedActuals = [
  { indicatorId: 'sales_volume', actual: 950 },
  { indicatorId: 'receivables', actual: '2.2' },
  { indicatorId: 'inventory', actual: 450 },
  { indicatorId: 'product_mix', actual: 330 },
];
export const workedAttachments = [{ indicatorId: 'product_mix', ref: 'doc-17' }];

/** What a command of type T carries besides the appraisal's id. */
type DataOf<T extends AppraisalCommand['type']> = Omit<AppraisalCommandOf<T>['data'], 'appraisalId'>;

/*
 * The scenario's most sent commands, for its appraisal AP, one builder a command: a test names only
 * what it varies (the period, the actuals, the evidence), the rest is the worked example's January.
 */

/** Ann's appraisal opened over the scenario's 2026 cycle (under another id if given, as a cycle opens it). */
export const openAppraisal = (
  data: Partial<AppraisalCommandOf<'OpenAppraisal'>['data']> = {},
): AppraisalCommandOf<'OpenAppraisal'> => ({
  type: 'OpenAppraisal',
  data: {
    appraisalId: AP,
    cycleId: 'c2026',
    subject: { kind: 'employee', employeeId: 'ann', orgUnitId: 'east' },
    workflowId: 'sales',
    workflowVersion: 1,
    cycleStartsAt: calendar.startsAt,
    cycleEndsAt: calendar.endsAt,
    periods: calendar.periods,
    ...data,
  },
});

/** A plan without targets or actions unless given. */
export const submitPlan = (data: Partial<DataOf<'SubmitPlan'>> = {}): AppraisalCommandOf<'SubmitPlan'> => ({
  type: 'SubmitPlan',
  data: { appraisalId: AP, targets: [], actions: [], ...data },
});

export const approvePlan = (): AppraisalCommandOf<'ApprovePlan'> => ({
  type: 'ApprovePlan',
  data: { appraisalId: AP },
});

/** January's review with the worked example's actuals and no evidence unless given. */
export const fileReview = (
  data: Partial<DataOf<'FilePeriodReview'>> = {},
): AppraisalCommandOf<'FilePeriodReview'> => ({
  type: 'FilePeriodReview',
  data: { appraisalId: AP, periodId: '2026-01', actuals: workedActuals, attachments: [], ...data },
});

/** January's review assessed without corrections unless given. */
export const assessReview = (
  data: Partial<DataOf<'AssessPeriodReview'>> = {},
): AppraisalCommandOf<'AssessPeriodReview'> => ({
  type: 'AssessPeriodReview',
  data: { appraisalId: AP, periodId: '2026-01', corrections: [], ...data },
});

export const scorePeriod = (periodId = '2026-01'): AppraisalCommandOf<'ScorePeriod'> => ({
  type: 'ScorePeriod',
  data: { appraisalId: AP, periodId },
});

export const scoreAppraisal = (): AppraisalCommandOf<'ScoreAppraisal'> => ({
  type: 'ScoreAppraisal',
  data: { appraisalId: AP },
});

/** HR waives every period of the scenario's appraisal neither scored nor waived yet (a complete year). */
export function waiveUnscored(scenario: Scenario, now = '2026-12-20T09:00:00.000Z'): Scenario {
  const { state } = scenario;
  if (state.status === 'empty') return scenario;
  return state.periodOrder
    .filter(
      (periodId) => state.periods[periodId].result === null && state.periods[periodId].status !== 'waived',
    )
    .reduce(
      (year, periodId) =>
        year.run(
          {
            type: 'WaivePeriod',
            data: { appraisalId: AP, periodId, reason: 'Not reviewed in the scenario' },
          },
          as('hr', { now }),
        ),
      scenario,
    );
}

/** Runs commands through decide + evolve, keeping the events (checked against their schemas). */
export class Scenario {
  constructor(readonly events: AppraisalEvent[] = []) {}
  run(command: AppraisalCommand, ctx: AppraisalContext): Scenario {
    const state = this.events.reduce(evolveAppraisal, initialAppraisalState());
    return new Scenario([...this.events, ...checkedAgainstSchemas(decideAppraisal(command, state, ctx))]);
  }
  get state() {
    return this.events.reduce(evolveAppraisal, initialAppraisalState());
  }
}

/** The Monday of 2026-W02 on which Ann's manager approves her plan in the plan-only scenarios below. */
export const approvedAt = '2026-01-05T09:00:00.000Z';

/** Ann's appraisal under `workflow`: opened, her plan submitted without targets, not yet approved. */
export function planningUnder(workflow: PinnedWorkflow): Scenario {
  return new Scenario()
    .run(openAppraisal(), as('system', { workflow }))
    .run(submitPlan(), as('self', { workflow }));
}

/** The same plan approved by her manager at `approvedAt`, with `plannedWeeks` planned already if given. */
export function approvedUnder(workflow: PinnedWorkflow, plannedWeeks?: string[]): Scenario {
  return planningUnder(workflow).run(approvePlan(), {
    ...as('manager', { now: approvedAt, workflow }),
    ...(plannedWeeks ? { plannedWeeks } : {}),
  });
}

/** A working day inside the first months of the scenario's cycle. */
export const feb = '2026-02-03T09:00:00.000Z';

/** A day after the scenario's cycle has ended (year-end, sign-off and appeal). */
export const jan = '2027-01-10T09:00:00.000Z';

/** The happy path's one key action, as Ann plans it: the product-mix campaign, due at the end of March. */
export const mixCampaign = {
  indicatorId: 'product_mix',
  ownerEmployeeId: 'ann',
  dueDate: '2026-03-31',
  goal: 'Launch mix campaign',
  measures: 'Weekly promotions',
};

export function happyPath() {
  const opened = new Scenario().run(openAppraisal(), as('system'));
  const submitted = opened.run(
    submitPlan({
      targets: [{ indicatorId: 'sales_volume', threshold: 800, target: 1000, stretch: 1200 }],
      actions: [mixCampaign],
    }),
    as('self', { ids: ['act-1'] }),
  );
  const approved = submitted.run(approvePlan(), as('manager'));
  const filed = approved.run(
    fileReview({ attachments: workedAttachments, gapReasons: 'Slow mix uptake' }),
    as('self', { now: feb }),
  );
  const assessed = filed.run(assessReview(), as('manager', { now: feb }));
  const scored = assessed.run(scorePeriod(), as('system', { now: feb, ids: ['imp-1', 'imp-2', 'imp-3'] }));
  const dec = '2026-12-20T09:00:00.000Z';
  const rated = scored
    .run({ type: 'SubmitSelfAssessment', data: { appraisalId: AP, rating: 90 } }, as('self', { now: dec }))
    .run(
      { type: 'SubmitRating', data: { appraisalId: AP, group: 'manager', rating: 80 } },
      as('manager', { now: dec }),
    )
    .run(
      { type: 'SubmitRating', data: { appraisalId: AP, group: 'peer', rating: 70 } },
      as('peer', { now: dec }),
    )
    .run(
      { type: 'SubmitRating', data: { appraisalId: AP, group: 'peer', rating: 90 } },
      as('peer2', { now: dec }),
    );
  // A year is scored only once every period is scored or waived: HR waives the eleven months the
  // scenario leaves unreviewed, then scores.
  const yearComplete = waiveUnscored(rated);
  const annual = yearComplete.run(scoreAppraisal(), as('hr', { now: jan }));
  const finalized = annual.run(
    { type: 'FinalizeAppraisal', data: { appraisalId: AP } },
    as('hr', { now: jan }),
  );
  const appealed = finalized.run(
    { type: 'FileAppeal', data: { appraisalId: AP, reason: 'Peers did not see Q4' } },
    as('self', { now: jan, ids: ['appeal-1'] }),
  );
  const closed = finalized.run(
    { type: 'AcknowledgeAppraisal', data: { appraisalId: AP } },
    as('self', { now: jan }),
  );
  return {
    opened,
    submitted,
    approved,
    filed,
    assessed,
    scored,
    rated,
    yearComplete,
    annual,
    finalized,
    appealed,
    closed,
  };
}

/** The events `after` added to the history of `before`. */
export const added = (before: Scenario, after: Scenario) => after.events.slice(before.events.length);

/** The types of a run of events, in order: what most step-by-step assertions compare. */
export const types = (events: AppraisalEvent[]) => events.map((event) => event.type);

/** A refused command: its title, the history, the command, who sends it, and the error's code and intent. */
export type Refusal = [string, AppraisalEvent[], AppraisalCommand, AppraisalContext, string, string];

/** One test per refusal: given the history, the command throws the typed error with its code and intent. */
export function refusesEach(cases: Refusal[]): void {
  it.each(cases)('refuses %s', (_title, given, command, ctx, code, intent) => {
    appraisalSpec.given(given).when(command, ctx).thenThrows(code, intent);
  });
}

/**
 * What each use case's decide spec works with: the happy path, decided once for its file, the
 * given/when/then runner, and the spec's three parts under the titles every such spec shares.
 */
export function useCaseSpec() {
  return {
    path: happyPath(),
    spec: appraisalSpec,
    /** The events the happy path's commands decide, step by step. */
    stepByStep: (tests: () => void) => describe('appraisal: the happy path, step by step', tests),
    /** Commands off the happy path that succeed. */
    otherCommands: (tests: () => void) => describe('appraisal: the other commands succeed', tests),
    /** One test per refused command, then any test of how a refusal reads. */
    refusals: (cases: Refusal[], alsoTests?: () => void) =>
      describe('appraisal: every refusal is a typed error', () => {
        refusesEach(cases);
        alsoTests?.();
      }),
  };
}
