import type Decimal from 'decimal.js';
import {
  ConflictError,
  ForbiddenError,
  IllegalStateError,
  NotFoundError,
  ValidationError,
  type Issue,
} from '../shared/errors';
import type { DomainContext, Role } from '../shared/context';
import { requireRelation, requireRole } from '../shared/authorize';
import { assertNever } from '../shared/messages';
import { dec, show } from '../scoring/decimal';
import { scorePeriod, levelsOf, type TargetLevels } from '../scoring/period-score';
import { scoreAnnual } from '../scoring/annual-score';
import { checkForcedDistribution } from '../scoring/forced-distribution';
import { bandOf, bonusCoefficientOf, gradeFor, worseGrade } from '../scoring/grade';
import type { PinnedWorkflow } from '../workflow/workflow.decide';
import type { Cycle } from '../cycle/cycle.decide';
import { orgUnitOf, type Directory } from '../directory/directory.decide';
import type { StepKind, WorkflowDefinition } from '../workflow/workflow-definition.schema';
import type { AppraisalCommand, AppraisalCommandOf } from './appraisal.commands';
import type { AppraisalEvent, AppraisalEventOf } from './appraisal.events';
import {
  evolveAppraisal,
  vetoKey,
  type Appraisal,
  type OpenedAppraisal,
  type Result,
} from './appraisal.state';
import {
  completeStep,
  openStep,
  stepDefinitionOf,
  stepKeyOf,
  timerEventId,
  timerKey,
  allTimersOf,
} from './appraisal.steps';

/**
 * What an appraisal decision needs beside the state: the pinned workflow version the handler loaded
 * (`workflow.version` must equal the appraisal's pinned version), and for `MigrateWorkflowVersion`
 * the version to migrate to.
 */
export interface AppraisalContext extends DomainContext {
  workflow: PinnedWorkflow;
  migrationTarget?: PinnedWorkflow;
  /**
   * For `FinalizeAppraisal` under a blocking forced distribution: the annual grades of the other
   * appraisals of the same cycle and org unit that hold a result (this one's grade is added here).
   */
  unitGrades?: { orgUnitId: string; grades: readonly string[] };
  /**
   * For `OpenAppraisal` by a person (HR's override; the cycle's process manager opens from the cycle
   * itself): the cycle named and the tenant's directory, which the command must agree with.
   */
  opening?: { cycle: Cycle; directory: Directory };
}

const SELF = { roles: ['employee', 'manager'] as Role[], relations: ['self' as const] };
const MANAGER = { roles: ['manager'] as Role[], relations: ['manager' as const, 'skip-level' as const] };
const HR: Role[] = ['hr', 'admin'];
const NOBODY_ELSE: Role[] = [];

type Step = AppraisalEventOf<'StepOpened'>;

function invalid(code: string, issues: Issue[]): never {
  throw new ValidationError(
    code,
    issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '),
    issues,
  );
}

function opened(state: Appraisal, appraisalId: string): OpenedAppraisal {
  if (state.status === 'empty')
    throw new NotFoundError('appraisal-not-found', `appraisal "${appraisalId}" has not been opened`);
  return state;
}

function requireStatus(state: OpenedAppraisal, allowed: OpenedAppraisal['status'][], action: string): void {
  if (!allowed.includes(state.status))
    throw new IllegalStateError(
      `appraisal-${state.status}`,
      `${action} is not possible while the appraisal is ${state.status}`,
      {
        status: state.status,
        allowed,
      },
    );
}

/**
 * The dates an appraisal is opened with (copied from its cycle by the process manager, typed by HR
 * in an override) must make a cycle: years as a cycle may have, the end after the start, every
 * period inside it; otherwise they skew unit distributions and calibration.
 */
function checkCycleDates(data: AppraisalCommandOf<'OpenAppraisal'>['data']): void {
  const issues: Issue[] = [];
  // Instants may carry an offset: compare them as times, never as text.
  const time = (at: string) => new Date(at).getTime();
  for (const path of ['cycleStartsAt', 'cycleEndsAt'] as const) {
    const year = new Date(data[path]).getUTCFullYear();
    if (year < 2000 || year > 2101)
      issues.push({ path, rule: 'year-range', message: 'a cycle lies between the years 2000 and 2100' });
  }
  const [starts, ends] = [time(data.cycleStartsAt), time(data.cycleEndsAt)];
  if (ends <= starts)
    issues.push({
      path: 'cycleEndsAt',
      rule: 'end-after-start',
      message: 'the cycle must end after it starts',
    });
  data.periods.forEach((period, i) => {
    if (time(period.endsAt) <= time(period.startsAt))
      issues.push({
        path: `periods[${i}].endsAt`,
        rule: 'end-after-start',
        message: 'a period must end after it starts',
      });
    else if (time(period.startsAt) < starts || time(period.endsAt) > ends)
      issues.push({
        path: `periods[${i}]`,
        rule: 'period-in-cycle',
        message: 'a period lies inside its cycle',
      });
  });
  if (issues.length > 0) invalid('invalid-cycle-dates', issues);
}

/**
 * An appraisal HR opens by hand must belong to an open cycle, follow its workflow version and
 * dates, and concern someone the directory knows, in the unit the directory gives them today:
 * otherwise it skews the unit's distribution and calibration.
 */
function checkOpeningAgainstCycle(
  data: AppraisalCommandOf<'OpenAppraisal'>['data'],
  opening: NonNullable<AppraisalContext['opening']>,
  today: string,
): void {
  const { cycle, directory } = opening;
  const issues: Issue[] = [];
  if (cycle.status === 'empty')
    issues.push({ path: 'cycleId', rule: 'known-cycle', message: `there is no cycle "${data.cycleId}"` });
  else {
    if (cycle.status === 'closed')
      issues.push({ path: 'cycleId', rule: 'cycle-open', message: `cycle "${data.cycleId}" is closed` });
    if (cycle.workflowId !== data.workflowId)
      issues.push({
        path: 'workflowId',
        rule: 'matches-cycle',
        message: `the cycle follows "${cycle.workflowId}"`,
      });
    else if (cycle.workflowVersion !== data.workflowVersion)
      issues.push({
        path: 'workflowVersion',
        rule: 'matches-cycle',
        message: `the cycle follows version ${cycle.workflowVersion}`,
      });
    for (const [path, expected] of [
      ['cycleStartsAt', cycle.startsAt],
      ['cycleEndsAt', cycle.endsAt],
    ] as const)
      if (new Date(data[path]).getTime() !== new Date(expected).getTime())
        issues.push({ path, rule: 'matches-cycle', message: `the cycle gives ${expected}` });
  }
  const subject = data.subject;
  if (subject.kind === 'employee') {
    const unit = orgUnitOf(directory, subject.employeeId, today);
    if (unit === null)
      issues.push({
        path: 'subject.employeeId',
        rule: 'known-employee',
        message: `the directory has no employee "${subject.employeeId}" today`,
      });
    else if (unit !== subject.orgUnitId)
      issues.push({
        path: 'subject.orgUnitId',
        rule: 'employee-unit',
        message: `the directory places "${subject.employeeId}" in "${unit}" today`,
      });
  } else if (directory.status === 'empty' || !directory.orgUnits[subject.orgUnitId])
    issues.push({
      path: 'subject.orgUnitId',
      rule: 'known-org-unit',
      message: `the directory has no org unit "${subject.orgUnitId}"`,
    });
  if (issues.length > 0) invalid('opening-disagrees-with-cycle', issues);
}

/**
 * Whether the system should score the appraisal now: a score a red line made stale, or a year with
 * every period scored and every rater group's minimum of responses in.
 */
function annualScoreDue(state: OpenedAppraisal, definition: WorkflowDefinition): boolean {
  if (state.status === 'scored') return state.scoreStale;
  if (state.status !== 'in-progress') return false;
  if (state.periodOrder.some((periodId) => state.periods[periodId].result === null)) return false;
  const responses = (group: string) =>
    group === 'self'
      ? state.selfRating === null
        ? 0
        : 1
      : state.ratings.filter((rating) => rating.group === group).length;
  return definition.raterGroups.every((group) => responses(group.group) >= group.minResponses);
}

/** Targets for every numeric indicator: the plan's own levels where given, the template's otherwise. */
function planTargets(
  state: OpenedAppraisal,
  definition: WorkflowDefinition,
  input: AppraisalCommandOf<'SubmitPlan'>['data']['targets'],
): AppraisalEventOf<'PlanSubmitted'>['data']['targets'] {
  const issues: Issue[] = [];
  const key = (row: { indicatorId: string; periodId?: string }) => `${row.indicatorId}@${row.periodId ?? ''}`;
  const rows = input.map((row, i) => ({ row, i }));
  const checked = rows.flatMap(({ row, i }) => {
    const indicator = definition.scorecard.indicators.find((candidate) => candidate.id === row.indicatorId);
    if (!indicator || indicator.kind !== 'numeric') {
      issues.push({
        path: `targets[${i}].indicatorId`,
        rule: 'indicator-unknown',
        message: `"${row.indicatorId}" is not a numeric indicator of the scorecard`,
      });
      return [];
    }
    if (row.periodId !== undefined && !state.periods[row.periodId])
      issues.push({
        path: `targets[${i}].periodId`,
        rule: 'period-unknown',
        message: `the cycle has no period "${row.periodId}"`,
      });
    if (rows.findIndex((other) => key(other.row) === key(row)) !== i)
      issues.push({
        path: `targets[${i}]`,
        rule: 'target-duplicate',
        message: `"${key(row)}" is given twice`,
      });
    const levels = { threshold: dec(row.threshold), target: dec(row.target), stretch: dec(row.stretch) };
    const sign = indicator.direction === 'lower' ? -1 : 1;
    const [th, tg, st] = [levels.threshold, levels.target, levels.stretch].map((value) => value.times(sign));
    const ordered =
      indicator.direction === 'range' ? th.lessThanOrEqualTo(st) : th.lessThan(tg) && tg.lessThan(st);
    if (!ordered)
      issues.push({
        path: `targets[${i}]`,
        rule: 'levels-order',
        message: `levels must run threshold → target → stretch in the ${indicator.direction}-is-better direction`,
      });
    return [{ row, levels }];
  });
  if (issues.length > 0) invalid('invalid-plan', issues);
  const render = (
    indicatorId: string,
    levels: { threshold: Decimal; target: Decimal; stretch: Decimal },
    extra: { periodId?: string; parent?: { appraisalId: string; indicatorId: string } },
  ) => ({
    indicatorId,
    ...(extra.periodId !== undefined ? { periodId: extra.periodId } : {}),
    threshold: show(levels.threshold),
    target: show(levels.target),
    stretch: show(levels.stretch),
    ...(extra.parent ? { parent: extra.parent } : {}),
  });
  // Every numeric indicator gets its annual levels (the plan's own, else the template's), then period overrides.
  const annual = definition.scorecard.indicators.flatMap((indicator) => {
    if (indicator.kind !== 'numeric') return [];
    const given = checked.find(({ row }) => row.indicatorId === indicator.id && row.periodId === undefined);
    return [
      render(
        indicator.id,
        given ? given.levels : levelsOf(indicator),
        given ? { parent: given.row.parent } : {},
      ),
    ];
  });
  const perPeriod = checked
    .filter(({ row }) => row.periodId !== undefined)
    .map(({ row, levels }) =>
      render(row.indicatorId, levels, { periodId: row.periodId, parent: row.parent }),
    );
  return [...annual, ...perPeriod];
}

function planActions(
  definition: WorkflowDefinition,
  input: AppraisalCommandOf<'SubmitPlan'>['data']['actions'],
  ctx: DomainContext,
): {
  actions: AppraisalEventOf<'PlanSubmitted'>['data']['actions'];
  texts: AppraisalEventOf<'PlanSubmitted'>['data']['pii']['actions'];
} {
  const issues: Issue[] = [];
  input.forEach((action, i) => {
    if (
      action.indicatorId !== null &&
      !definition.scorecard.indicators.some((indicator) => indicator.id === action.indicatorId)
    )
      issues.push({
        path: `actions[${i}].indicatorId`,
        rule: 'indicator-unknown',
        message: `"${action.indicatorId}" is not an indicator of the scorecard`,
      });
  });
  if (issues.length > 0) invalid('invalid-plan', issues);
  const withIds = input.map((action) => ({ ...action, actionId: action.actionId ?? ctx.newId() }));
  return {
    actions: withIds.map(({ actionId, indicatorId, ownerEmployeeId, dueDate }) => ({
      actionId,
      indicatorId,
      ownerEmployeeId,
      dueDate,
    })),
    texts: withIds.map(({ actionId, goal, measures }) => ({ actionId, goal, measures })),
  };
}

/** The levels in force for a period: the annual row of each indicator, overridden by that period's row. */
function targetMap(targets: OpenedAppraisal['plan']['targets'], periodId: string): TargetLevels {
  const annual = targets.filter((target) => target.periodId === undefined);
  const period = targets.filter((target) => target.periodId === periodId);
  return Object.fromEntries([...annual, ...period].map((target) => [target.indicatorId, target]));
}

function activeRedLines(state: OpenedAppraisal) {
  return Object.entries(state.redLines)
    .filter(([, line]) => line.status !== 'withdrawn')
    .map(([breachId, line]) => ({ breachId, effect: line.effect }));
}

/**
 * A plan change keeps every approved key action unless it removes it explicitly, with a reason: an
 * action silently left out of `actions` would vanish from the plan with nobody having decided so.
 */
function requireRemovalsExplicit(
  state: OpenedAppraisal,
  kept: AppraisalCommandOf<'RequestPlanChange'>['data']['actions'],
  removed: AppraisalCommandOf<'RequestPlanChange'>['data']['removedActions'],
): void {
  const approved = state.plan.actions.map((action) => action.actionId);
  const keptIds = new Set(kept.flatMap((action) => (action.actionId ? [action.actionId] : [])));
  const removedIds = new Set(removed.map((removal) => removal.actionId));
  const dropped = approved.filter((actionId) => !keptIds.has(actionId) && !removedIds.has(actionId));
  if (dropped.length > 0)
    throw new IllegalStateError(
      'approved-action-dropped',
      `actions: approved key action${dropped.length > 1 ? 's' : ''} ${dropped.join(', ')} missing; keep ${
        dropped.length > 1 ? 'them' : 'it'
      } in \`actions\` or remove ${dropped.length > 1 ? 'them' : 'it'} in \`removedActions\` with a reason`,
      { path: 'actions', rule: 'approved-action-kept-or-removed', actionIds: dropped },
    );
  const unknown = removed.findIndex(
    (removal) => !approved.includes(removal.actionId) || keptIds.has(removal.actionId),
  );
  if (unknown >= 0)
    throw new IllegalStateError(
      'removed-action-unknown',
      `removedActions[${unknown}].actionId: "${removed[unknown].actionId}" is not an approved key action left out of \`actions\``,
      { path: `removedActions[${unknown}].actionId`, rule: 'approved-action' },
    );
}

/**
 * Under `forcedDistributionEnforcement: block`, finalizing is refused while the unit's annual grades
 * (this appraisal's among them) break a band: calibration must bring the unit within them first.
 */
function requireUnitWithinBands(
  definition: WorkflowDefinition,
  state: OpenedAppraisal,
  unit: AppraisalContext['unitGrades'],
): void {
  if (definition.forcedDistributionEnforcement !== 'block' || definition.forcedDistribution.length === 0)
    return;
  const orgUnitId = state.subject.orgUnitId;
  // The handler supplies the unit's grades; a block cannot be checked without them.
  if (!unit || unit.orgUnitId !== orgUnitId)
    throw new Error(
      `FinalizeAppraisal under a blocking forced distribution needs unit ${orgUnitId}'s grades`,
    );
  const violations = checkForcedDistribution(definition.forcedDistribution, [
    ...unit.grades,
    state.result!.grade,
  ]);
  if (violations.length > 0)
    throw new IllegalStateError(
      'forced-distribution-violated',
      `unit ${orgUnitId} is outside its forced distribution: ${violations
        .map((violation) => violation.message)
        .join('; ')}; calibrate the unit first`,
      { orgUnitId, violations },
    );
}

/** Applies standing red lines to a calibrated or appealed result, so a forced grade cannot be undone by hand. */
function constrained(
  definition: WorkflowDefinition,
  state: OpenedAppraisal,
  score: string,
  grade: string,
): Result {
  let finalGrade = grade;
  let coefficient = bonusCoefficientOf(definition.grades, grade);
  for (const line of activeRedLines(state)) {
    if (line.effect.forceGrade)
      finalGrade = worseGrade(definition.grades, finalGrade, line.effect.forceGrade);
  }
  coefficient = bonusCoefficientOf(definition.grades, finalGrade);
  for (const line of activeRedLines(state))
    if (line.effect.bonusCoefficient !== undefined && dec(line.effect.bonusCoefficient).lessThan(coefficient))
      coefficient = dec(line.effect.bonusCoefficient);
  return { score, grade: finalGrade, bonusCoefficient: show(coefficient) };
}

function newResult(
  definition: WorkflowDefinition,
  state: OpenedAppraisal,
  input: { score?: string | number; grade?: string },
  path: string,
): Result {
  if (input.score === undefined && input.grade === undefined)
    invalid('result-required', [
      { path, rule: 'score-or-grade', message: 'give a new score, a new grade, or both' },
    ]);
  if (input.grade !== undefined && !bandOf(definition.grades, input.grade))
    invalid('grade-unknown', [
      {
        path: `${path}.grade`,
        rule: 'grade-unknown',
        message: `grade "${input.grade}" is not among the grade bands`,
      },
    ]);
  const score =
    input.score !== undefined ? dec(input.score).toFixed(definition.rounding.places) : state.result!.score;
  const grade = input.grade ?? gradeFor(definition.grades, dec(score)).grade;
  return constrained(definition, state, score, grade);
}

function isBelowTarget(
  definition: WorkflowDefinition,
  indicatorId: string,
  actual: string,
  targets: TargetLevels,
): boolean {
  const indicator = definition.scorecard.indicators.find((candidate) => candidate.id === indicatorId)!;
  const value = dec(actual);
  if (indicator.kind === 'action') return value.isZero();
  const levels = levelsOf(indicator, targets);
  if (indicator.direction === 'higher') return value.lessThan(levels.target);
  if (indicator.direction === 'lower') return value.greaterThan(levels.target);
  return value.lessThan(levels.threshold) || value.greaterThan(levels.stretch);
}

export function decideAppraisal(
  command: AppraisalCommand,
  state: Appraisal,
  ctx: AppraisalContext,
): AppraisalEvent[] {
  const { workflow } = ctx;
  const definition = workflow.definition;
  const at = ctx.now;

  if (command.type === 'OpenAppraisal') {
    requireRole(ctx, ['system', 'hr', 'admin'], 'Opening an appraisal');
    if (state.status !== 'empty')
      throw new ConflictError('appraisal-exists', `appraisal "${state.id}" is already open`);
    const data = command.data;
    checkCycleDates(data);
    if (ctx.actor.role !== 'system') {
      // A person's opening always comes with its facts (the API's binding loads them).
      if (!ctx.opening)
        throw new Error('OpenAppraisal by a person needs the cycle and directory in its context');
      checkOpeningAgainstCycle(data, ctx.opening, ctx.now);
    }
    if (workflow.workflowId !== data.workflowId || workflow.version !== data.workflowVersion)
      throw new ConflictError(
        'workflow-version-mismatch',
        `the context carries ${workflow.workflowId} v${workflow.version}, the command ${data.workflowId} v${data.workflowVersion}`,
      );
    const openedEvent: AppraisalEventOf<'AppraisalOpened'> = {
      type: 'AppraisalOpened',
      data: { ...data, at },
    };
    const fresh = evolveAppraisal(state, openedEvent) as OpenedAppraisal;
    return [openedEvent, openStep(fresh, definition, workflow.version, 'plan', null, ctx)];
  }

  const current = opened(state, command.data.appraisalId);
  if (workflow.workflowId !== current.workflowId || workflow.version !== current.workflowVersion)
    throw new ConflictError(
      'workflow-version-mismatch',
      `appraisal "${current.id}" is pinned to ${current.workflowId} v${current.workflowVersion}; the context carries v${workflow.version}`,
    );
  const id = current.id;
  const open = (kind: StepKind, instance: string | null, base: OpenedAppraisal = current): Step =>
    openStep(base, definition, current.workflowVersion, kind, instance, ctx);
  const complete = (kind: StepKind, instance: string | null = null) =>
    completeStep(current, stepKeyOf(kind, instance), ctx);

  switch (command.type) {
    // ---- plan ----
    case 'SubmitPlan': {
      requireRelation(ctx, SELF, NOBODY_ELSE, 'Submitting the plan');
      requireStatus(current, ['planning'], 'Submitting the plan');
      if (current.plan.status === 'submitted')
        throw new IllegalStateError('plan-submitted', 'the plan is already submitted and awaits approval');
      const targets = planTargets(current, definition, command.data.targets);
      const { actions, texts } = planActions(definition, command.data.actions, ctx);
      return [
        {
          type: 'PlanSubmitted',
          data: {
            appraisalId: id,
            at,
            planVersion: current.plan.version + 1,
            targets,
            actions,
            pii: { actions: texts },
          },
        },
        ...complete('plan'),
        open('plan-approval', null),
      ];
    }
    case 'ReturnPlan':
    case 'ApprovePlan': {
      requireRelation(
        ctx,
        MANAGER,
        NOBODY_ELSE,
        command.type === 'ApprovePlan' ? 'Approving the plan' : 'Returning the plan',
      );
      requireStatus(current, ['planning'], command.type);
      if (current.plan.status !== 'submitted')
        throw new IllegalStateError('plan-not-submitted', 'the plan has not been submitted');
      if (command.type === 'ReturnPlan')
        return [
          {
            type: 'PlanReturned',
            data: {
              appraisalId: id,
              at,
              planVersion: current.plan.version,
              pii: { annotations: command.data.annotations },
            },
          },
          ...complete('plan-approval'),
          open('plan', null),
        ];
      return [
        { type: 'PlanApproved', data: { appraisalId: id, at, planVersion: current.plan.version } },
        ...complete('plan-approval'),
        ...current.periodOrder.map((periodId) => open('period-review', periodId)),
        open('self-assessment', null),
        ...(definition.raterGroups.some((group) => group.group === 'peer')
          ? [open('peer-rating', null)]
          : []),
        open('manager-rating', null),
      ];
    }
    case 'RequestPlanChange': {
      requireRelation(
        ctx,
        { roles: ['employee', 'manager'], relations: ['self', 'manager'] },
        NOBODY_ELSE,
        'Requesting a plan change',
      );
      requireStatus(current, ['in-progress'], 'Requesting a plan change');
      if (current.plan.pendingChange)
        throw new IllegalStateError(
          'plan-change-pending',
          `change "${current.plan.pendingChange.changeId}" awaits a decision`,
        );
      const targets = planTargets(current, definition, command.data.targets);
      requireRemovalsExplicit(current, command.data.actions, command.data.removedActions);
      const { actions, texts } = planActions(definition, command.data.actions, ctx);
      const changeId = ctx.newId();
      return [
        {
          type: 'PlanChangeRequested',
          data: {
            appraisalId: id,
            at,
            changeId,
            targets,
            actions,
            pii: {
              reason: command.data.reason,
              actions: texts,
              ...(command.data.removedActions.length > 0
                ? { removedActions: command.data.removedActions }
                : {}),
            },
          },
        },
        open('plan-approval', changeId),
      ];
    }
    case 'ApprovePlanChange':
    case 'RejectPlanChange': {
      requireRelation(ctx, MANAGER, NOBODY_ELSE, 'Deciding a plan change');
      requireStatus(current, ['in-progress'], 'Deciding a plan change');
      const pending = current.plan.pendingChange;
      if (!pending || pending.changeId !== command.data.changeId)
        throw new NotFoundError('plan-change-not-found', `no pending plan change "${command.data.changeId}"`);
      const decided: AppraisalEvent =
        command.type === 'ApprovePlanChange'
          ? {
              type: 'PlanChangeApproved',
              data: {
                appraisalId: id,
                at,
                changeId: pending.changeId,
                planVersion: current.plan.version + 1,
              },
            }
          : {
              type: 'PlanChangeRejected',
              data: { appraisalId: id, at, changeId: pending.changeId, pii: { reason: command.data.reason } },
            };
      return [decided, ...complete('plan-approval', pending.changeId)];
    }

    // ---- period review ----
    case 'FilePeriodReview': {
      requireRelation(ctx, SELF, NOBODY_ELSE, 'Filing a period review');
      requireStatus(current, ['in-progress'], 'Filing a period review');
      const period = periodOf(current, command.data.periodId);
      if (at < period.startsAt)
        throw new IllegalStateError(
          'period-not-started',
          `period ${period.periodId} starts at ${period.startsAt}`,
        );
      // A month is reviewed once it is over; a workflow may open the window a few days earlier.
      const opensAt = new Date(
        new Date(period.endsAt).getTime() - (definition.earlyFilingDays ?? 0) * 86_400_000,
      ).toISOString();
      if (at < opensAt)
        throw new IllegalStateError(
          'period-not-ended',
          `periodId: the review of ${period.periodId} can be filed from ${opensAt} (the period ends at ${period.endsAt})`,
          { path: 'periodId', periodId: period.periodId, endsAt: period.endsAt, opensAt },
        );
      if (period.status !== 'pending' && period.status !== 'returned')
        throw new IllegalStateError(
          'period-review-filed',
          `the review of ${period.periodId} is already ${period.status}`,
        );
      const issues: Issue[] = [];
      const indicators = definition.scorecard.indicators;
      command.data.actuals.forEach((row, i) => {
        if (!indicators.some((indicator) => indicator.id === row.indicatorId))
          issues.push({
            path: `actuals[${i}].indicatorId`,
            rule: 'indicator-unknown',
            message: `"${row.indicatorId}" is not an indicator of the scorecard`,
          });
        else if (command.data.actuals.findIndex((other) => other.indicatorId === row.indicatorId) !== i)
          issues.push({
            path: `actuals[${i}].indicatorId`,
            rule: 'actual-duplicate',
            message: `"${row.indicatorId}" is given twice`,
          });
      });
      for (const indicator of indicators) {
        // An actual another system filed counts without the person repeating it.
        if (
          !command.data.actuals.some((row) => row.indicatorId === indicator.id) &&
          !period.imported?.[indicator.id]
        )
          issues.push({
            path: 'actuals',
            rule: 'actual-missing',
            message: `no actual for "${indicator.id}"`,
          });
        else if (
          indicator.evidenceRequired &&
          !command.data.attachments.some((row) => row.indicatorId === indicator.id)
        )
          issues.push({
            path: 'attachments',
            rule: 'evidence-required',
            message: `"${indicator.id}" needs evidence attached`,
          });
      }
      if (issues.length > 0) invalid('invalid-period-review', issues);
      const { gapReasons, improvementProposals, supportRequests } = command.data;
      return [
        {
          type: 'PeriodReviewFiled',
          data: {
            appraisalId: id,
            at,
            periodId: period.periodId,
            actuals: command.data.actuals.map((row) => ({
              indicatorId: row.indicatorId,
              actual: show(dec(row.actual)),
            })),
            attachments: command.data.attachments,
            pii: { gapReasons, improvementProposals, supportRequests },
          },
        },
        ...complete('period-review', period.periodId),
        open('period-assessment', period.periodId),
      ];
    }
    case 'ReturnPeriodReview':
    case 'AssessPeriodReview': {
      requireRelation(ctx, MANAGER, NOBODY_ELSE, 'Assessing a period review');
      requireStatus(current, ['in-progress'], 'Assessing a period review');
      const period = periodOf(current, command.data.periodId);
      if (period.status !== 'filed')
        throw new IllegalStateError(
          'period-review-not-filed',
          `the review of ${period.periodId} is ${period.status}, not filed`,
        );
      if (command.type === 'ReturnPeriodReview')
        return [
          {
            type: 'PeriodReviewReturned',
            data: {
              appraisalId: id,
              at,
              periodId: period.periodId,
              pii: { annotations: command.data.annotations },
            },
          },
          ...complete('period-assessment', period.periodId),
          open('period-review', period.periodId),
        ];
      const issues: Issue[] = [];
      command.data.corrections.forEach((correction, i) => {
        if (period.actuals[correction.indicatorId] === undefined)
          issues.push({
            path: `corrections[${i}].indicatorId`,
            rule: 'indicator-unknown',
            message: `"${correction.indicatorId}" has no filed actual`,
          });
        if (correction.reason.trim() === '')
          issues.push({
            path: `corrections[${i}].reason`,
            rule: 'reason-required',
            message: 'a correction needs a reason',
          });
      });
      if (issues.length > 0) invalid('invalid-assessment', issues);
      return [
        {
          type: 'PeriodReviewAssessed',
          data: {
            appraisalId: id,
            at,
            periodId: period.periodId,
            corrections: command.data.corrections.map((c) => ({
              indicatorId: c.indicatorId,
              from: period.actuals[c.indicatorId] ?? null,
              to: show(dec(c.actual)),
            })),
            pii: {
              comment: command.data.comment,
              correctionReasons: command.data.corrections.map((c) => ({
                indicatorId: c.indicatorId,
                reason: c.reason,
              })),
            },
          },
        },
        ...complete('period-assessment', period.periodId),
      ];
    }
    case 'ScorePeriod': {
      requireRelation(
        ctx,
        { roles: ['manager'], relations: ['manager'] },
        ['system', 'hr', 'admin'],
        'Scoring a period',
      );
      requireStatus(current, ['in-progress'], 'Scoring a period');
      // The period-scoring process manager sends this as `system` after every assessment; a workflow
      // that keeps scoring a person's step gets nothing from it (stored definitions may lack the field).
      if (ctx.actor.role === 'system' && definition.periodScoring === 'manual') return [];
      const period = periodOf(current, command.data.periodId);
      if (period.status !== 'assessed')
        throw new IllegalStateError(
          'period-not-assessed',
          `the review of ${period.periodId} is ${period.status}, not assessed`,
        );
      return scorePeriodEvents(current, definition, period.periodId, [], ctx, open);
    }

    // ---- improvement ----
    case 'FileImprovement':
    case 'VerifyImprovement': {
      const improvement = current.improvements[command.data.improvementId];
      if (command.type === 'FileImprovement')
        requireRelation(ctx, SELF, NOBODY_ELSE, 'Filing an improvement');
      else requireRelation(ctx, MANAGER, NOBODY_ELSE, 'Verifying an improvement');
      requireStatus(current, ['in-progress', 'scored'], command.type);
      if (!improvement)
        throw new NotFoundError('improvement-not-found', `no improvement "${command.data.improvementId}"`);
      const improvementId = command.data.improvementId;
      if (command.type === 'FileImprovement') {
        if (improvement.status !== 'required')
          throw new IllegalStateError(
            'improvement-filed',
            `improvement "${improvementId}" is already ${improvement.status}`,
          );
        return [
          {
            type: 'ImprovementFiled',
            data: { appraisalId: id, at, improvementId, pii: { action: command.data.action } },
          },
          ...complete('improvement', improvementId),
          open('improvement-verification', improvementId),
        ];
      }
      if (improvement.status !== 'filed')
        throw new IllegalStateError(
          'improvement-not-filed',
          `improvement "${improvementId}" is ${improvement.status}, not filed`,
        );
      return [
        {
          type: 'ImprovementVerified',
          data: {
            appraisalId: id,
            at,
            improvementId,
            effective: command.data.effective,
            goodPractice: command.data.goodPractice,
            pii: { comment: command.data.comment },
          },
        },
        ...complete('improvement-verification', improvementId),
      ];
    }

    // ---- vetoes and red lines ----
    case 'WaiveVeto': {
      requireRole(ctx, HR, 'Waiving a veto');
      requireStatus(current, ['planning', 'in-progress', 'scored'], 'Waiving a veto');
      const key = vetoKey(command.data.periodId, command.data.indicatorId);
      if (current.vetoes[key] !== 'breached')
        throw new IllegalStateError(
          'veto-not-breached',
          `no standing veto for ${command.data.indicatorId} in ${command.data.periodId}`,
        );
      const waived = Object.entries(current.vetoes)
        .filter(
          ([k, status]) => k.startsWith(`${command.data.periodId}/`) && (status === 'waived' || k === key),
        )
        .map(([k]) => k.slice(command.data.periodId.length + 1));
      const rescored = scorePeriodEvents(current, definition, command.data.periodId, waived, ctx, open, true);
      return [
        {
          type: 'VetoWaived',
          data: {
            appraisalId: id,
            at,
            periodId: command.data.periodId,
            indicatorId: command.data.indicatorId,
            pii: { reason: command.data.reason },
          },
        },
        ...rescored,
      ];
    }
    case 'FileRedLineBreach': {
      requireRole(ctx, HR, 'Filing a red-line breach');
      requireStatus(current, ['planning', 'in-progress', 'scored'], 'Filing a red-line breach');
      const line = definition.redLines.find((candidate) => candidate.id === command.data.redLineId);
      if (!line)
        throw new NotFoundError(
          'red-line-not-found',
          `red line "${command.data.redLineId}" is not in the workflow's catalogue`,
        );
      const effect = {
        ...(line.effect.forceGrade !== undefined ? { forceGrade: line.effect.forceGrade } : {}),
        ...(line.effect.bonusCoefficient !== undefined
          ? { bonusCoefficient: show(dec(line.effect.bonusCoefficient)) }
          : {}),
        ...(line.effect.capScore !== undefined ? { capScore: show(dec(line.effect.capScore)) } : {}),
      };
      return [
        {
          type: 'RedLineBreached',
          data: {
            appraisalId: id,
            at,
            breachId: ctx.newId(),
            redLineId: line.id,
            effect,
            pii: { description: command.data.description, evidence: command.data.evidence },
          },
        },
      ];
    }
    case 'ContestRedLine':
    case 'UpholdRedLine':
    case 'WithdrawRedLine': {
      if (command.type === 'ContestRedLine')
        requireRelation(ctx, SELF, NOBODY_ELSE, 'Contesting a red-line breach');
      else
        requireRole(
          ctx,
          HR,
          command.type === 'UpholdRedLine' ? 'Upholding a red-line breach' : 'Withdrawing a red-line breach',
        );
      requireStatus(current, ['planning', 'in-progress', 'scored'], command.type);
      const breach = current.redLines[command.data.breachId];
      if (!breach)
        throw new NotFoundError('red-line-breach-not-found', `no red-line breach "${command.data.breachId}"`);
      const breachId = command.data.breachId;
      if (command.type === 'ContestRedLine') {
        if (breach.status !== 'breached')
          throw new IllegalStateError('red-line-not-contestable', `breach "${breachId}" is ${breach.status}`);
        return [
          {
            type: 'RedLineContested',
            data: { appraisalId: id, at, breachId, pii: { reason: command.data.reason } },
          },
        ];
      }
      if (breach.status !== 'breached' && breach.status !== 'contested')
        throw new IllegalStateError('red-line-decided', `breach "${breachId}" is already ${breach.status}`);
      return command.type === 'UpholdRedLine'
        ? [
            {
              type: 'RedLineUpheld',
              data: { appraisalId: id, at, breachId, pii: { reason: command.data.reason } },
            },
          ]
        : [
            {
              type: 'RedLineWithdrawn',
              data: { appraisalId: id, at, breachId, pii: { reason: command.data.reason } },
            },
          ];
    }

    // ---- ratings and the annual score ----
    case 'SubmitSelfAssessment': {
      requireRelation(ctx, SELF, NOBODY_ELSE, 'Submitting the self-assessment');
      requireStatus(current, ['in-progress'], 'Submitting the self-assessment');
      if (current.selfRating !== null)
        throw new ConflictError('self-assessment-submitted', 'the self-assessment is already submitted');
      const rating = ratingOf(definition, command.data.rating);
      return [
        {
          type: 'SelfAssessmentSubmitted',
          data: { appraisalId: id, at, rating, pii: { comment: command.data.comment } },
        },
        ...complete('self-assessment'),
      ];
    }
    case 'SubmitRating': {
      const group = command.data.group;
      if (group === 'expert') requireRole(ctx, ['hr', 'process-owner'], 'Rating as an expert');
      else
        requireRelation(
          ctx,
          { roles: group === 'peer' ? ['employee', 'manager'] : ['manager'], relations: [group] },
          NOBODY_ELSE,
          `Rating as ${group}`,
        );
      requireStatus(current, ['in-progress'], 'Rating');
      const groupDefinition = definition.raterGroups.find((candidate) => candidate.group === group);
      if (!groupDefinition)
        throw new ForbiddenError('rater-group-not-defined', `the workflow has no "${group}" rater group`);
      if (current.ratings.some((rating) => rating.raterId === ctx.actor.id && rating.group === group))
        throw new ConflictError('already-rated', `this rater has already rated as ${group}`);
      const rating = ratingOf(definition, command.data.rating);
      const responses = current.ratings.filter((existing) => existing.group === group).length + 1;
      const stepKind: StepKind | null =
        group === 'peer' ? 'peer-rating' : group === 'manager' ? 'manager-rating' : null;
      return [
        {
          type: 'RatingSubmitted',
          data: {
            appraisalId: id,
            at,
            raterId: ctx.actor.id,
            group,
            rating,
            anonymous: groupDefinition.anonymous,
            pii: { comment: command.data.comment },
          },
        },
        ...(stepKind && responses >= groupDefinition.minResponses ? complete(stepKind) : []),
      ];
    }
    case 'ScoreAppraisal': {
      requireRole(ctx, ['system', 'hr', 'admin'], 'Scoring the appraisal');
      // The annual-scoring process manager sends this after every event that may make a score due;
      // it scores only a stale score or a complete year, and is otherwise not an error.
      if (ctx.actor.role === 'system' && !annualScoreDue(current, definition)) return [];
      requireStatus(current, ['in-progress', 'scored'], 'Scoring the appraisal');
      const periodScores = current.periodOrder.flatMap((periodId) => {
        const result = current.periods[periodId].result;
        return result ? [result.score] : [];
      });
      if (periodScores.length === 0)
        throw new IllegalStateError('no-period-scored', 'no period has been scored yet');
      const ratings = [
        ...current.ratings.map(({ group, rating }) => ({ group, rating })),
        ...(current.selfRating !== null ? [{ group: 'self' as const, rating: current.selfRating }] : []),
      ];
      const short = definition.raterGroups
        .map((group) => ({
          group: group.group,
          needed: group.minResponses,
          got: ratings.filter((rating) => rating.group === group.group).length,
        }))
        .filter((row) => row.got < row.needed);
      if (short.length > 0)
        throw new IllegalStateError(
          'ratings-incomplete',
          `missing ratings: ${short.map((row) => `${row.group} ${row.got}/${row.needed}`).join(', ')}`,
          { groups: short },
        );
      const annual = scoreAnnual(definition, { periodScores, ratings, redLines: activeRedLines(current) });
      const calibrationOpen = current.steps[stepKeyOf('calibration', null)]?.open === true;
      return [
        {
          type: 'AppraisalScored',
          data: {
            appraisalId: id,
            at,
            ruleVersion: { workflowId: current.workflowId, version: current.workflowVersion },
            ...annual,
          },
        },
        ...(calibrationOpen ? [] : [open('calibration', null)]),
      ];
    }
    case 'CalibrateAppraisal': {
      requireRole(ctx, HR, 'Calibrating');
      requireStatus(current, ['scored'], 'Calibrating');
      const to = newResult(definition, current, command.data, 'calibration');
      return [
        {
          type: 'CalibrationAdjusted',
          data: { appraisalId: id, at, from: current.result!, to, pii: { reason: command.data.reason } },
        },
      ];
    }
    case 'FinalizeAppraisal': {
      requireRole(ctx, HR, 'Finalizing');
      requireStatus(current, ['scored'], 'Finalizing');
      if (current.scoreStale)
        throw new IllegalStateError(
          'score-stale',
          'a red line changed after scoring: score the appraisal again first',
        );
      requireUnitWithinBands(definition, current, ctx.unitGrades);
      return [
        { type: 'AppraisalFinalized', data: { appraisalId: id, at, ...current.result! } },
        ...complete('calibration'),
        open('acknowledgement', null),
      ];
    }
    case 'AcknowledgeAppraisal':
      requireRelation(ctx, SELF, NOBODY_ELSE, 'Acknowledging');
      requireStatus(current, ['finalized'], 'Acknowledging');
      return [
        {
          type: 'AppraisalAcknowledged',
          data: { appraisalId: id, at, pii: { comment: command.data.comment } },
        },
        ...complete('acknowledgement'),
        { type: 'AppraisalClosed', data: { appraisalId: id, at, ...current.result! } },
      ];
    case 'FileAppeal': {
      requireRelation(ctx, SELF, NOBODY_ELSE, 'Appealing');
      requireStatus(current, ['finalized'], 'Appealing');
      const appealId = ctx.newId();
      return [
        {
          type: 'AppealFiled',
          data: { appraisalId: id, at, appealId, pii: { reason: command.data.reason } },
        },
        ...complete('acknowledgement'),
        open('appeal-resolution', null),
      ];
    }
    case 'ResolveAppeal': {
      requireRole(ctx, HR, 'Resolving an appeal');
      requireStatus(current, ['appealed'], 'Resolving an appeal');
      const to =
        command.data.outcome === 'upheld' ? newResult(definition, current, command.data, 'appeal') : null;
      return [
        {
          type: 'AppealResolved',
          data: {
            appraisalId: id,
            at,
            appealId: current.appealId!,
            outcome: command.data.outcome,
            to,
            pii: { reason: command.data.reason },
          },
        },
        ...complete('appeal-resolution'),
        { type: 'AppraisalClosed', data: { appraisalId: id, at, ...(to ?? current.result!) } },
      ];
    }

    // ---- actuals from other systems ----
    case 'ImportActual': {
      requireRole(ctx, ['integrator', 'hr', 'admin'], 'Importing an actual');
      // Figures arrive from other systems whether or not the plan is approved yet.
      requireStatus(current, ['planning', 'in-progress'], 'Importing an actual');
      const period = importablePeriod(current, command.data.periodId);
      const { indicatorId, source } = command.data;
      if (!definition.scorecard.indicators.some((indicator) => indicator.id === indicatorId))
        invalid('invalid-actual', [
          {
            path: 'indicatorId',
            rule: 'indicator-unknown',
            message: `"${indicatorId}" is not an indicator of the scorecard`,
          },
        ]);
      const actual = show(dec(command.data.actual));
      const known = period.imported?.[indicatorId];
      // The same figure from the same source again (a retried file): nothing new to record.
      if (
        known &&
        known.actual === actual &&
        known.system === source.system &&
        known.reference === source.reference
      )
        return [];
      if (known?.dispute === 'open')
        throw new ConflictError(
          'actual-disputed',
          `the actual of "${indicatorId}" for ${period.periodId} is disputed`,
        );
      return [
        {
          type: 'ActualImported',
          data: { appraisalId: id, at, periodId: period.periodId, indicatorId, actual, source },
        },
      ];
    }
    case 'DisputeImportedActual': {
      requireRelation(
        ctx,
        { roles: ['employee', 'manager'], relations: ['self', 'manager', 'skip-level'] },
        NOBODY_ELSE,
        'Disputing an imported actual',
      );
      requireStatus(current, ['planning', 'in-progress'], 'Disputing an imported actual');
      const period = importablePeriod(current, command.data.periodId);
      const row = importedRow(period, command.data.indicatorId);
      if (row.dispute === 'open')
        throw new ConflictError(
          'actual-disputed',
          `the actual of "${command.data.indicatorId}" is disputed already`,
        );
      return [
        {
          type: 'ImportedActualDisputed',
          data: {
            appraisalId: id,
            at,
            periodId: period.periodId,
            indicatorId: command.data.indicatorId,
            actual: row.actual,
            disputedBy: ctx.actor.id,
            pii: { reason: command.data.reason },
          },
        },
      ];
    }
    case 'ResolveActualDispute': {
      requireRelation(ctx, MANAGER, ['hr'], 'Resolving a dispute of an actual');
      requireStatus(current, ['planning', 'in-progress'], 'Resolving a dispute of an actual');
      const period = importablePeriod(current, command.data.periodId);
      const row = importedRow(period, command.data.indicatorId);
      if (row.dispute !== 'open')
        throw new IllegalStateError(
          'actual-not-disputed',
          `the actual of "${command.data.indicatorId}" is not disputed`,
        );
      const { outcome } = command.data;
      if (outcome === 'corrected' && command.data.actual === undefined)
        invalid('invalid-resolution', [
          { path: 'actual', rule: 'required', message: 'a correction gives the figure' },
        ]);
      const actual = outcome === 'corrected' ? show(dec(command.data.actual!)) : row.actual;
      return [
        {
          type: 'ActualDisputeResolved',
          data: {
            appraisalId: id,
            at,
            periodId: period.periodId,
            indicatorId: command.data.indicatorId,
            outcome,
            actual,
            pii: { reason: command.data.reason },
          },
        },
      ];
    }

    // ---- annotations, timers, migration ----
    case 'AddAnnotation':
      requireRelation(
        ctx,
        { roles: ['employee', 'manager'], relations: ['self', 'manager', 'skip-level'] },
        ['hr', 'process-owner', 'admin'],
        'Annotating',
      );
      if (command.data.on.periodId !== undefined) periodOf(current, command.data.on.periodId);
      return [
        {
          type: 'AnnotationAdded',
          data: {
            appraisalId: id,
            at,
            annotationId: ctx.newId(),
            on: command.data.on,
            authorId: ctx.actor.id,
            pii: { text: command.data.text },
          },
        },
      ];
    case 'FireTimer':
      requireRole(ctx, ['system'], 'Firing a timer');
      return fireTimer(current, definition, command, ctx);
    case 'MigrateWorkflowVersion': {
      requireRole(ctx, ['hr', 'process-owner', 'admin'], 'Migrating an appraisal');
      requireStatus(current, ['planning', 'in-progress', 'scored'], 'Migrating');
      const target = ctx.migrationTarget;
      if (!target || target.workflowId !== current.workflowId || target.version !== command.data.toVersion)
        throw new ConflictError(
          'migration-target-mismatch',
          `the context must carry ${current.workflowId} v${command.data.toVersion}`,
        );
      if (target.version <= current.workflowVersion)
        throw new IllegalStateError(
          'migration-not-forward',
          `v${target.version} is not newer than the pinned v${current.workflowVersion}`,
        );
      const known = new Set(target.definition.scorecard.indicators.map((indicator) => indicator.id));
      const orphaned = current.plan.targets
        .map((row) => row.indicatorId)
        .filter((indicatorId) => !known.has(indicatorId));
      if (orphaned.length > 0)
        throw new IllegalStateError(
          'migration-incompatible',
          `v${target.version} drops indicators the plan uses: ${orphaned.join(', ')}`,
          { indicators: orphaned },
        );
      return [
        {
          type: 'AppraisalMigrated',
          data: {
            appraisalId: id,
            at,
            workflowId: current.workflowId,
            fromVersion: current.workflowVersion,
            toVersion: target.version,
            pii: { reason: command.data.reason },
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

/** A period whose actuals may still change: not yet assessed or scored. */
function importablePeriod(state: OpenedAppraisal, periodId: string) {
  const period = periodOf(state, periodId);
  if (period.status === 'assessed' || period.status === 'scored')
    throw new IllegalStateError(
      'period-assessed',
      `the review of ${periodId} is ${period.status}; its actuals are final`,
    );
  return period;
}

function importedRow(period: ReturnType<typeof periodOf>, indicatorId: string) {
  const row = period.imported?.[indicatorId];
  if (!row)
    throw new NotFoundError(
      'imported-actual-not-found',
      `no imported actual of "${indicatorId}" for ${period.periodId}`,
      {
        indicatorId,
      },
    );
  return row;
}

function periodOf(state: OpenedAppraisal, periodId: string) {
  const period = state.periods[periodId];
  if (!period)
    throw new NotFoundError('period-not-found', `the cycle has no period "${periodId}"`, { periodId });
  return period;
}

function ratingOf(definition: WorkflowDefinition, rating: string | number): string {
  const value = dec(rating);
  if (value.lessThan(dec(definition.ratingScale.min)) || value.greaterThan(dec(definition.ratingScale.max)))
    invalid('rating-out-of-scale', [
      {
        path: 'rating',
        rule: 'rating-scale',
        message: `a rating must lie between ${definition.ratingScale.min} and ${definition.ratingScale.max}`,
      },
    ]);
  return show(value);
}

function scorePeriodEvents(
  state: OpenedAppraisal,
  definition: WorkflowDefinition,
  periodId: string,
  waived: string[],
  ctx: DomainContext,
  open: (kind: StepKind, instance: string | null) => Step,
  rescore = false,
): AppraisalEvent[] {
  const period = state.periods[periodId];
  const targets = targetMap(state.plan.targets, periodId);
  const result = scorePeriod(definition, period.actuals, targets, waived);
  const at = ctx.now;
  const events: AppraisalEvent[] = [
    {
      type: 'PeriodScored',
      data: {
        appraisalId: state.id,
        at,
        periodId,
        ruleVersion: { workflowId: state.workflowId, version: state.workflowVersion },
        aggregation: result.aggregation,
        indicators: result.indicators,
        raw: result.raw,
        score: result.score,
        grade: result.grade,
        bonusCoefficient: result.bonusCoefficient,
        vetoed: result.vetoed,
      },
    },
  ];
  // A re-score after a waiver only restates the period's result; breaches and improvements stand.
  if (rescore) return events;
  for (const veto of result.vetoes.filter(
    (candidate) => candidate.breached && !waived.includes(candidate.indicatorId),
  )) {
    const { breached: _breached, ...numbers } = veto;
    events.push({ type: 'VetoBreached', data: { appraisalId: state.id, at, periodId, ...numbers } });
  }
  for (const row of result.indicators) {
    if (row.actual === null || !isBelowTarget(definition, row.indicatorId, row.actual, targets)) continue;
    const improvementId = ctx.newId();
    const step = open('improvement', improvementId);
    events.push(
      {
        type: 'ImprovementRequired',
        data: {
          appraisalId: state.id,
          at,
          improvementId,
          periodId,
          indicatorId: row.indicatorId,
          score: row.score,
          dueAt: step.data.dueAt,
        },
      },
      step,
    );
  }
  return events;
}

function fireTimer(
  state: OpenedAppraisal,
  definition: WorkflowDefinition,
  command: AppraisalCommandOf<'FireTimer'>,
  ctx: DomainContext,
): AppraisalEvent[] {
  const { kind, stepKey, occurrence, level } = command.data;
  const step = state.steps[stepKey];
  // A timer for a step that is done, re-opened since, or already fired is a no-op, not an error.
  if (!step || !step.open || step.occurrence !== occurrence || step.dueAt === null) return [];
  const key = timerKey({ kind, appraisalId: state.id, stepKey, occurrence, level });
  if (state.firedTimers.includes(key)) return [];
  const timer = allTimersOf(state.id, step, definition).find((candidate) => candidate.timerKey === key);
  if (!timer)
    invalid('timer-unknown', [
      {
        path: 'level',
        rule: 'timer-unknown',
        message: `step "${step.kind}" has no ${kind} ${level} in workflow v${state.workflowVersion}`,
      },
    ]);
  const eventId = timerEventId(ctx.tenantId, key);
  const common = {
    appraisalId: state.id,
    at: ctx.now,
    timerKey: key,
    stepKey,
    occurrence,
    dueAt: step.dueAt,
  };
  if (kind === 'reminder')
    return [{ type: 'ReminderSent', eventId, data: { ...common, reminder: level, assignee: step.assignee } }];
  if (kind === 'deadline')
    return [{ type: 'DeadlineMissed', eventId, data: { ...common, assignee: step.assignee } }];
  const to = stepDefinitionOf(definition, step.kind)!.escalation![level - 1].to;
  return [{ type: 'StepEscalated', eventId, data: { ...common, level, to, assignee: step.assignee } }];
}
