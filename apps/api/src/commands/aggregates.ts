import {
  AGGREGATES,
  appraisalDecider,
  commandAggregate,
  cycleDecider,
  directoryDecider,
  scorecardTemplateDecider,
  targetTreeDecider,
  workflowDecider,
  type Appraisal,
  weeklyPlanDecider,
  dailyPlanDecider,
  weeklyPlanIdOf,
  isoWeekOf,
  type DailyPlan,
  behaviourWeeksOf,
  plannedWeeksOf,
  type WeeklyPlan,
  type CommandType,
  type Decider,
  type Evolver,
  type PinnedWorkflow,
  type PlanLoaders,
  employeesInScope,
  joinerAppraisalId,
  membershipOf,
  type MembershipRule,
} from '@verity/domain';
import type { Cycle, CycleEvent, Directory } from '@verity/domain';

type CycleOpenedData = Extract<CycleEvent, { type: 'CycleOpened' }>['data'];
import { streamName } from '@verity/event-store';

type AnyDecider = Decider<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** How the API writes to one aggregate of libs/domain: its stream, its decider, which commands create it. */
export interface AggregateBinding {
  category: string;
  decider: AnyDecider;
  /** The payload field naming the aggregate (null: one stream per tenant). */
  idField: string | null;
  /** Commands that may start the stream; every other command on a missing stream is 404. */
  creates: readonly CommandType[];
  /** Whose appraisal it is, for the org-relation check (appraisals only). */
  subjectEmployeeOf?: (state: unknown) => string | null;
  /** The org unit whose appraisal it is, when a unit is appraised: its head acts for it. */
  subjectUnitOf?: (state: unknown) => string | null;
  /** More context the decider needs beyond DomainContext (e.g. the workflow a cycle pins). */
  contextFor?: (
    sources: ContextSources,
    tenantId: string,
    data: Record<string, unknown>,
    state: unknown,
    type: CommandType,
  ) => Promise<Record<string, unknown>>;
}

/** What a binding may read for its context: another aggregate's state, a pinned workflow version. */
export interface ContextSources {
  /** Another aggregate's state, read on behalf of `tenantId` (a stream of another tenant fails). */
  load<State>(
    tenantId: string,
    streamId: string,
    decider: Pick<Decider<unknown, any, State>, 'evolve' | 'initialState'>, // eslint-disable-line @typescript-eslint/no-explicit-any
  ): Promise<State>;
  pinned(tenantId: string, workflowId: string, version: number): Promise<PinnedWorkflow>;
}

/**
 * The annual grades of the other appraisals of the same cycle and org unit (those with a result),
 * for a forced distribution that blocks finalizing (ADR 0111): the cycle's scope names each
 * appraisal's unit, and each of them is folded from its own stream. Under a membership rule (ADR
 * 0146) the unit is where each appraisal counts now: with `movers.unitAt: cycle-end` every appraisal
 * of the cycle is a candidate, and where joiners open, so is the joiner's appraisal of everyone the
 * directory places in the unit on the cycle's last day; withdrawn appraisals never count.
 */
async function unitGradesOf(
  sources: ContextSources,
  tenantId: string,
  appraisal: Exclude<Appraisal, { status: 'empty' }>,
  rule: MembershipRule,
): Promise<{ orgUnitId: string; grades: string[] }> {
  const orgUnitId = appraisal.subject.orgUnitId;
  const cycle = await sources.load(
    tenantId,
    streamName(AGGREGATES.cycle, tenantId, appraisal.cycleId),
    cycleDecider,
  );
  if (cycle.status === 'empty') return { orgUnitId, grades: [] };
  const candidates = new Set(
    rule.movers.unitAt === 'cycle-end'
      ? cycle.appraisalIds
      : cycle.appraisalIds.filter((id) => cycle.unitOf[id] === orgUnitId),
  );
  if (rule.joiners.open !== 'never') {
    const directory = await sources.load(
      tenantId,
      streamName(AGGREGATES.directory, tenantId, tenantId),
      directoryDecider,
    );
    // Whoever the directory places in the unit on the cycle's last day (a date, not the clock).
    const lastDay = new Date(Date.parse(cycle.endsAt) - 1).toISOString().slice(0, 10);
    for (const subject of employeesInScope(directory, [orgUnitId], lastDay))
      if (subject.kind === 'employee')
        candidates.add(joinerAppraisalId(tenantId, cycle.id, subject.employeeId));
  }
  candidates.delete(appraisal.id);
  const states = await Promise.all(
    [...candidates].map((id) =>
      sources.load(tenantId, streamName(AGGREGATES.appraisal, tenantId, id), appraisalDecider),
    ),
  );
  return {
    orgUnitId,
    grades: states.flatMap((other) =>
      other.status !== 'empty' &&
      other.status !== 'withdrawn' &&
      other.cycleId === cycle.id &&
      other.subject.orgUnitId === orgUnitId &&
      other.result
        ? [other.result.grade]
        : [],
    ),
  };
}

/** Appraisal commands that score a month, and so count its weekly behaviour scores (ADR 0131). */
const SCORES_A_PERIOD: ReadonlySet<CommandType> = new Set<CommandType>([
  'ScorePeriod',
  'WaiveVeto',
  'RescoreBehaviour',
]);

/** Weekly-plan commands whose events name the person's appraisal (ADRs 0131, 0145). */
const WEEKLY_PLAN_COMMANDS_NAMING_THE_APPRAISAL: ReadonlySet<CommandType> = new Set<CommandType>([
  'SubmitWeeklyPlan',
  'AnnotateWeeklyPlan',
  'ScoreWeek',
]);

export type AggregateName = keyof typeof AGGREGATES;

/** The directory is one stream per tenant: `directory-<tenant>.<tenant>`. */
const bindings: Partial<Record<AggregateName, AggregateBinding>> = {
  directory: {
    category: AGGREGATES.directory,
    decider: directoryDecider,
    idField: null,
    creates: ['CreateTenant'],
  },
  cycle: {
    category: AGGREGATES.cycle,
    decider: cycleDecider,
    idField: 'cycleId',
    creates: ['OpenCycle'],
    // Opening a cycle pins a workflow version: the decider checks it against the workflow's stream.
    contextFor: async (sources, tenantId, data) => ({
      workflow: await sources.load(
        tenantId,
        streamName(AGGREGATES.workflow, tenantId, String(data.workflowId)),
        workflowDecider,
      ),
    }),
  },
  appraisal: {
    category: AGGREGATES.appraisal,
    decider: appraisalDecider,
    idField: 'appraisalId',
    creates: ['OpenAppraisal'],
    subjectEmployeeOf: (state) => {
      const appraisal = state as Appraisal;
      return appraisal.status !== 'empty' && appraisal.subject.kind === 'employee'
        ? appraisal.subject.employeeId
        : null;
    },
    subjectUnitOf: (state) => {
      const appraisal = state as Appraisal;
      return appraisal.status !== 'empty' && appraisal.subject.kind === 'org-unit'
        ? appraisal.subject.orgUnitId
        : null;
    },
    // Decisions follow the workflow version the appraisal is pinned to (or the one it is opened with).
    contextFor: async (sources, tenantId, data, state, type) => {
      const appraisal = state as Appraisal;
      const [workflowId, version] =
        appraisal.status === 'empty'
          ? [String(data.workflowId), Number(data.workflowVersion)]
          : [appraisal.workflowId, appraisal.workflowVersion];
      const workflow = await sources.pinned(tenantId, workflowId, version);
      const blocking =
        type === 'FinalizeAppraisal' &&
        appraisal.status !== 'empty' &&
        workflow.definition.forcedDistributionEnforcement === 'block';
      return {
        workflow,
        ...(type === 'OpenAppraisal' ? { opening: await openingFacts(sources, tenantId, data) } : {}),
        ...(typeof data.toVersion === 'number'
          ? { migrationTarget: await sources.pinned(tenantId, workflowId, data.toVersion) }
          : {}),
        ...(blocking
          ? {
              unitGrades: await unitGradesOf(sources, tenantId, appraisal, membershipOf(workflow.definition)),
            }
          : {}),
        ...(SCORES_A_PERIOD.has(type) && workflow.definition.weeklyPlans
          ? {
              behaviourWeeks: await behaviourWeeksOf(
                appraisal,
                String(data.periodId),
                workflow.definition,
                planLoaders(sources, tenantId),
              ),
            }
          : {}),
        // The weeks planned before the approval open no weekly-plan step (ADR 0145).
        ...(type === 'ApprovePlan' &&
        workflow.definition.weeklyPlans &&
        workflow.definition.steps.some((step) => step.kind === 'weekly-plan')
          ? { plannedWeeks: await plannedWeeksOf(appraisal, planLoaders(sources, tenantId).weeks) }
          : {}),
      };
    },
  },
  workflow: {
    category: AGGREGATES.workflow,
    decider: workflowDecider,
    idField: 'workflowId',
    creates: ['PublishWorkflowVersion'],
  },
  targetTree: {
    category: AGGREGATES.targetTree,
    decider: targetTreeDecider,
    idField: 'cycleId',
    creates: ['SetTarget'],
  },
  // The week is planned and scored under the cycle's pinned workflow (its behaviour rubric);
  // a plan's items are checked against the cycle's target tree.
  weeklyPlan: planBinding<WeeklyPlan>(
    AGGREGATES.weeklyPlan,
    weeklyPlanDecider,
    'SubmitWeeklyPlan',
    async ({ plan, cycleId, submitting }, sources, tenantId, data, type) => {
      const targets = submitting ? await targetTreeOf(sources, tenantId, cycleId) : undefined;
      // Submitting, annotating and scoring a week name the person's appraisal: its weekly steps
      // follow the plan (ADR 0145) and a scored month can be rescored (ADR 0131).
      const appraisalId =
        WEEKLY_PLAN_COMMANDS_NAMING_THE_APPRAISAL.has(type) && (plan.status !== 'empty' || submitting)
          ? await appraisalOfPlanner(
              sources,
              tenantId,
              cycleId,
              plan.status === 'empty' ? String(data.employeeId) : plan.employeeId,
            )
          : undefined;
      return {
        ...(targets ? { targets } : {}),
        ...(appraisalId !== undefined ? { appraisalId } : {}),
      };
    },
  ),
  // A person's day (ADR 0154): the weekly plan's context, by the day; the day's week is read on
  // submission, so that an item naming the week's item is checked against the week's plan.
  dailyPlan: planBinding<DailyPlan>(
    AGGREGATES.dailyPlan,
    dailyPlanDecider,
    'SubmitDailyPlan',
    async ({ plan, cycleId, workflow, submitting }, sources, tenantId, data) => {
      if (!submitting)
        // Filing, annotating and scoring a day name the person's appraisal where the workflow asks
        // for days: its daily steps follow the day (ADR 0160), its scored month is rescored (ADR 0161).
        return workflow?.definition.dailyPlans && plan.status !== 'empty'
          ? { appraisalId: await appraisalOfPlanner(sources, tenantId, cycleId, plan.employeeId) }
          : {};
      const weekPlanId = weeklyPlanIdOf(String(data.employeeId), isoWeekOf(String(data.date)));
      const [targets, week] = await Promise.all([
        targetTreeOf(sources, tenantId, cycleId),
        sources.load(tenantId, streamName(AGGREGATES.weeklyPlan, tenantId, weekPlanId), weeklyPlanDecider),
      ]);
      return { targets, week };
    },
  ),
  scorecardTemplate: {
    category: AGGREGATES.scorecardTemplate,
    decider: scorecardTemplateDecider,
    idField: 'templateId',
    creates: ['PublishScorecardTemplateVersion'],
  },
};

/** Whose plan it is, a week's or a day's: the person planning. */
function plannerOf(state: unknown): string | null {
  const plan = state as WeeklyPlan | DailyPlan;
  return plan.status === 'empty' ? null : plan.employeeId;
}

/** The cycle's target tree, which a plan's items are checked against. */
function targetTreeOf(sources: ContextSources, tenantId: string, cycleId: string) {
  return sources.load(tenantId, streamName(AGGREGATES.targetTree, tenantId, cycleId), targetTreeDecider);
}

/** A plan being written, a week's or a day's, in the cycle it counts in. */
interface PlanInCycle<Plan> {
  plan: Plan;
  /** The command is the plan's submission (which names the cycle). */
  submitting: boolean;
  /** The cycle its submission names, else the plan's own. */
  cycleId: string;
  cycle: Cycle;
  /** The workflow version the cycle pins (null while the cycle is not open). */
  workflow: PinnedWorkflow | null;
}

/**
 * How the API writes to a plan, a week's or a day's: one stream per plan, started by its
 * submission, the planner's for the org-relation check. The week and the day are planned and scored
 * under their cycle's pinned workflow (its behaviour rubric, whether it asks for days): the context
 * is that cycle and workflow, and what `more` adds for the command.
 */
function planBinding<Plan extends WeeklyPlan | DailyPlan>(
  category: string,
  decider: AnyDecider,
  submit: CommandType,
  more: (
    plan: PlanInCycle<Plan>,
    sources: ContextSources,
    tenantId: string,
    data: Record<string, unknown>,
    type: CommandType,
  ) => Promise<Record<string, unknown>>,
): AggregateBinding {
  return {
    category,
    decider,
    idField: 'planId',
    creates: [submit],
    subjectEmployeeOf: plannerOf,
    contextFor: async (sources, tenantId, data, state, type) => {
      const plan = state as Plan;
      const submitting = type === submit;
      const cycleId = submitting || plan.status === 'empty' ? String(data.cycleId) : plan.cycleId;
      const cycle = await sources.load(
        tenantId,
        streamName(AGGREGATES.cycle, tenantId, cycleId),
        cycleDecider,
      );
      const workflow =
        cycle.status === 'empty'
          ? null
          : await sources.pinned(tenantId, cycle.workflowId, cycle.workflowVersion);
      const context = { plan, submitting, cycleId, cycle, workflow };
      return { cycle, workflow, ...(await more(context, sources, tenantId, data, type)) };
    },
  };
}

/** The appraisal the cycle opened for a person (null: none), as its `CycleOpened` names it. */
function appraisalOfPlanner(
  sources: ContextSources,
  tenantId: string,
  cycleId: string,
  employeeId: string,
): Promise<string | null> {
  return sources.load(tenantId, streamName(AGGREGATES.cycle, tenantId, cycleId), {
    initialState: (): string | null => null,
    evolve: (found: string | null, event: { type: string; data: unknown }) =>
      event.type === 'CycleOpened'
        ? ((event.data as CycleOpenedData).appraisals.find(
            ({ subject }) => subject.kind === 'employee' && subject.employeeId === employeeId,
          )?.appraisalId ?? null)
        : found,
  });
}

/** The person's weekly and daily plans, each folded from its own stream. */
function planLoaders(sources: ContextSources, tenantId: string): PlanLoaders {
  const loadEach =
    <Event, State>(category: string, decider: Evolver<Event, State>) =>
    (ids: readonly string[]) =>
      Promise.all(ids.map((id) => sources.load(tenantId, streamName(category, tenantId, id), decider)));
  return {
    weeks: loadEach(AGGREGATES.weeklyPlan, weeklyPlanDecider),
    days: loadEach(AGGREGATES.dailyPlan, dailyPlanDecider),
  };
}

export function bindingFor(type: CommandType): AggregateBinding {
  const binding = bindings[commandAggregate[type]];
  if (!binding) throw new Error(`No decider bound for ${type} (aggregate ${commandAggregate[type]})`);
  return binding;
}

export function streamOf(binding: AggregateBinding, tenantId: string, data: Record<string, unknown>): string {
  const id = binding.idField === null ? tenantId : String(data[binding.idField]);
  return streamName(binding.category, tenantId, id);
}

/** What an appraisal opened by hand must agree with: its cycle and the tenant's directory. */
async function openingFacts(
  sources: ContextSources,
  tenantId: string,
  data: Record<string, unknown>,
): Promise<{ cycle: Cycle; directory: Directory }> {
  const [cycle, directory] = await Promise.all([
    sources.load(tenantId, streamName(AGGREGATES.cycle, tenantId, String(data.cycleId)), cycleDecider),
    sources.load(tenantId, streamName(AGGREGATES.directory, tenantId, tenantId), directoryDecider),
  ]);
  return { cycle, directory };
}
