import { IllegalStateError } from '../../shared/errors';
import { requireRole } from '../../shared/authorize';
import { dec, show } from '../../scoring/decimal';
import { scoreAnnual } from '../../scoring/annual-score';
import { checkForcedDistribution } from '../../scoring/forced-distribution';
import { bandOf, bonusCoefficientOf, gradeFor, worseGrade } from '../../scoring/grade';
import type { WorkflowDefinition } from '../../workflow/workflow-definition.schema';
import type { AppraisalCommandOf } from '../appraisal.commands';
import type { AppraisalEvent } from '../appraisal.events';
import type { OpenedAppraisal, Result } from '../appraisal.state';
import { stepKeyOf } from '../appraisal.steps';
import { withdrawUndecidedNominations } from './nominations';
import { HR, invalid, requireStatus, activeRedLines, type Decision, type AppraisalContext } from './context';

/**
 * Whether the system should score the appraisal now: a score a red line or a rescored month made
 * stale (ADR 0140), or a year with
 * every period scored and every rater group's minimum of responses in.
 */
export function annualScoreDue(state: OpenedAppraisal, definition: WorkflowDefinition): boolean {
  if (state.status === 'scored') return state.scoreStale;
  if (state.status !== 'in-progress') return false;
  // Every period counts once scored or waived by HR.
  if (
    state.periodOrder.some(
      (periodId) => state.periods[periodId].result === null && state.periods[periodId].status !== 'waived',
    )
  )
    return false;
  const responses = (group: string) =>
    group === 'self'
      ? state.selfRating === null
        ? 0
        : 1
      : state.ratings.filter((rating) => rating.group === group).length;
  return definition.raterGroups.every((group) => responses(group.group) >= group.minResponses);
}

/**
 * Under `forcedDistributionEnforcement: block`, finalizing is refused while the unit's annual grades
 * (this appraisal's among them) break a band: calibration must bring the unit within them first.
 */
export function requireUnitWithinBands(
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
export function constrained(
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

export function newResult(
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

/**
 * An annual score needs every period scored or waived (ADR 0133): HR's own score of a year with a
 * month nobody scored nor waived is refused, naming the periods, so a gap is closed by an explicit
 * `WaivePeriod` with a reason instead of hidden in an override. A 422, as the other input rules
 * that depend on the appraisal's state.
 */
function requireYearComplete(current: OpenedAppraisal): void {
  const missing = current.periodOrder.filter(
    (periodId) => current.periods[periodId].result === null && current.periods[periodId].status !== 'waived',
  );
  if (missing.length === 0) return;
  throw new IllegalStateError(
    'year-incomplete',
    `periods: ${missing.join(', ')} are neither scored nor waived; score or waive them first`,
    { path: 'periods', rule: 'every-period-scored-or-waived', periodIds: missing },
  );
}

export function scoreAppraisal(
  command: AppraisalCommandOf<'ScoreAppraisal'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, definition, ctx, id, at, open } = decision;
  requireRole(ctx, ['system', 'hr', 'admin'], 'Scoring the appraisal');
  // The annual-scoring process manager sends this after every event that may make a score due;
  // it scores only a stale score or a complete year, and is otherwise not an error.
  if (ctx.actor.role === 'system' && !annualScoreDue(current, definition)) return [];
  requireStatus(current, ['in-progress', 'scored'], 'Scoring the appraisal');
  requireYearComplete(current);
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
  // A partial year says so: which periods HR waived. `periodsMissing` stays in the schema for the
  // events recorded before a year with missing periods was refused (ADR 0133).
  const waived = current.periodOrder.filter((periodId) => current.periods[periodId].status === 'waived');
  const calibrationOpen = current.steps[stepKeyOf('calibration', null)]?.open === true;
  return [
    {
      type: 'AppraisalScored',
      data: {
        appraisalId: id,
        at,
        ruleVersion: { workflowId: current.workflowId, version: current.workflowVersion },
        ...(waived.length > 0 ? { periodsWaived: waived } : {}),
        ...annual,
      },
    },
    ...(calibrationOpen ? [] : [open('calibration', null)]),
    ...withdrawUndecidedNominations(current, at),
  ];
}

export function calibrateAppraisal(
  command: AppraisalCommandOf<'CalibrateAppraisal'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, definition, ctx, id, at } = decision;
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

export function finalizeAppraisal(
  command: AppraisalCommandOf<'FinalizeAppraisal'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, definition, ctx, id, at, open, complete } = decision;
  requireRole(ctx, HR, 'Finalizing');
  requireStatus(current, ['scored'], 'Finalizing');
  if (current.scoreStale)
    throw new IllegalStateError(
      'score-stale',
      'a red line changed or a month was rescored after scoring: score the appraisal again first',
    );
  requireUnitWithinBands(definition, current, ctx.unitGrades);
  return [
    { type: 'AppraisalFinalized', data: { appraisalId: id, at, ...current.result! } },
    ...complete('calibration'),
    open('acknowledgement', null),
    // Appraisals scored before scoring withdrew them may still hold one.
    ...withdrawUndecidedNominations(current, at),
  ];
}
