import type { z } from 'zod';
import type Decimal from 'decimal.js';
import type { Issue } from '../shared/errors';
import { dec, sum } from '../scoring/decimal';
import { ExpressionError, identifiersOf, parseExpression } from '../scoring/expression';
import { checkMembership } from '../cycle/membership';
import { ScorecardTemplate, WorkflowDefinition, type Indicator } from './workflow-definition.schema';

export type DefinitionResult<T> = { ok: true; definition: T } | { ok: false; issues: Issue[] };

/** `scorecard.indicators[2].levels.threshold` */
export function pathString(segments: readonly PropertyKey[]): string {
  return segments
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({
    path: pathString(issue.path),
    rule: issue.code,
    message: issue.message,
  }));
}

function parseInput(input: unknown): { value: unknown } | { issues: Issue[] } {
  if (typeof input !== 'string') return { value: input };
  try {
    return { value: JSON.parse(input) };
  } catch (error) {
    return { issues: [{ path: '', rule: 'json-syntax', message: (error as Error).message }] };
  }
}

/**
 * Parses and validates a workflow definition (an object or a JSON string; the API parses YAML first).
 * Every problem is reported with its path and the rule it breaks, not just the first.
 */
export function parseWorkflowDefinition(input: unknown): DefinitionResult<WorkflowDefinition> {
  const parsed = parseInput(input);
  if ('issues' in parsed) return { ok: false, issues: parsed.issues };
  const result = WorkflowDefinition.safeParse(parsed.value);
  if (!result.success) return { ok: false, issues: zodIssues(result.error) };
  const issues = validateWorkflowDefinition(result.data);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, definition: result.data };
}

/** Parses and validates a standalone scorecard template (grades unknown here, so grade references are not checked). */
export function parseScorecardTemplate(input: unknown): DefinitionResult<ScorecardTemplate> {
  const parsed = parseInput(input);
  if ('issues' in parsed) return { ok: false, issues: parsed.issues };
  const result = ScorecardTemplate.safeParse(parsed.value);
  if (!result.success) return { ok: false, issues: zodIssues(result.error) };
  const issues = validateScorecard(result.data, 'template', null);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, definition: result.data };
}

/** Identifiers the annual formula may read, beside one per rater group (`skip-level` → `skip_level`). */
export const ANNUAL_VARIABLES = ['periods', 'rating'] as const;
export const raterVariable = (group: string) => group.replace('-', '_');

/** The cross-field rules; `definition` has passed the structural schema. */
export function validateWorkflowDefinition(definition: WorkflowDefinition): Issue[] {
  const issues: Issue[] = [];
  const add: Add = (path, rule, message) => issues.push({ path, rule, message });
  const grades = new Set(definition.grades.map((band) => band.grade));
  issues.push(...validateScorecard(definition.scorecard, 'scorecard', grades));
  checkSteps(definition, add);
  // Days are planned against their week (ADR 0154), so asking for days asks for weeks too.
  if (definition.dailyPlans && !definition.weeklyPlans)
    add('dailyPlans', 'weekly-plans-required', 'daily plans need the workflow\'s "weeklyPlans"');
  checkGrades(definition, add);
  checkForcedDistribution(definition, add, grades);
  checkRaterGroups(definition, add);
  checkRedLines(definition, add, grades);
  checkAnnualFormula(definition, issues);
  issues.push(...checkMembership(definition));
  return issues;
}

/** Steps: one definition per kind; escalation chains non-empty, acyclic, with growing delays. */
function checkSteps(definition: WorkflowDefinition, add: Add): void {
  const kinds = new Map<string, number>();
  definition.steps.forEach((step, i) => {
    const at = `steps[${i}]`;
    if (kinds.has(step.kind))
      add(
        `${at}.kind`,
        'step-kind-unique',
        `step kind "${step.kind}" is already defined at steps[${kinds.get(step.kind)}]`,
      );
    kinds.set(step.kind, i);
    checkDueAnchor(step, at, 'period-end', ['period-review', 'period-assessment'], add);
    const weekly = checkDueAnchor(step, at, 'week-start', ['weekly-plan', 'weekly-plan-review'], add);
    if (weekly && !definition.weeklyPlans)
      add(`${at}.kind`, 'weekly-plans-required', `a "${step.kind}" step needs the workflow's "weeklyPlans"`);
    const daily = checkDueAnchor(step, at, 'day-start', ['daily-plan', 'daily-plan-review'], add);
    if (daily && !definition.dailyPlans)
      add(`${at}.kind`, 'daily-plans-required', `a "${step.kind}" step needs the workflow's "dailyPlans"`);
    if (step.offsets === 'working-days' && !definition.calendar)
      add(`${at}.offsets`, 'calendar-required', 'working-day offsets need the workflow\'s "calendar"');
    const reminders = step.reminders.daysBefore;
    reminders.forEach((days, j) => {
      if (reminders.indexOf(days) !== j)
        add(
          `${at}.reminders.daysBefore[${j}]`,
          'reminder-unique',
          `a reminder ${days} day(s) before is listed twice`,
        );
    });
    if (step.escalation === null) return;
    if (step.escalation.length === 0) {
      add(
        `${at}.escalation`,
        'escalation-chain-empty',
        'an escalation chain needs at least one level (use null for none)',
      );
      return;
    }
    const seen = new Map<string, number>();
    if (
      step.actor === 'manager' ||
      step.actor === 'skip-level' ||
      step.actor === 'hr' ||
      step.actor === 'process-owner'
    )
      seen.set(step.actor, 0);
    step.escalation.forEach((level, j) => {
      const previous = seen.get(level.to);
      if (previous !== undefined)
        add(
          `${at}.escalation[${j}].to`,
          'escalation-chain-cyclic',
          previous === 0
            ? `escalates back to "${level.to}", who already owns the step`
            : `escalates back to "${level.to}", already reached at level ${previous}`,
        );
      seen.set(level.to, j + 1);
      if (j > 0 && level.afterDays <= step.escalation![j - 1].afterDays)
        add(
          `${at}.escalation[${j}].afterDays`,
          'escalation-delays-increasing',
          `level ${j + 1} fires after ${level.afterDays} day(s), not later than level ${j} (${step.escalation![j - 1].afterDays})`,
        );
    });
  });
}

type StepDefinition = WorkflowDefinition['steps'][number];

/**
 * Whether the step is of a kind the due anchor is meant for (`kinds`); a step of another kind due
 * from that anchor is an issue.
 */
function checkDueAnchor(
  step: StepDefinition,
  at: string,
  anchor: StepDefinition['due']['from'],
  kinds: readonly [StepDefinition['kind'], StepDefinition['kind']],
  add: Add,
): boolean {
  const meant = kinds.includes(step.kind);
  if (step.due.from === anchor && !meant)
    add(
      `${at}.due.from`,
      'due-anchor',
      `"${anchor}" applies only to ${kinds.join(' and ')}, not "${step.kind}"`,
    );
  return meant;
}

/** Grades: unique, non-overlapping bands from 0 upwards, non-negative coefficients. */
function checkGrades(definition: WorkflowDefinition, add: Add): void {
  const mins = new Map<string, number>();
  definition.grades.forEach((band, i) => {
    const min = dec(band.min);
    if (definition.grades.findIndex((other) => other.grade === band.grade) !== i)
      add(`grades[${i}].grade`, 'grade-unique', `grade "${band.grade}" is defined twice`);
    const key = min.toFixed();
    if (mins.has(key))
      add(
        `grades[${i}].min`,
        'grade-bands-overlap',
        `grade "${band.grade}" starts at ${key} like grades[${mins.get(key)}]; bands overlap`,
      );
    mins.set(key, i);
    if (min.isNegative())
      add(`grades[${i}].min`, 'grade-min-nonnegative', 'a grade band cannot start below 0');
    if (dec(band.bonusCoefficient).isNegative())
      add(
        `grades[${i}].bonusCoefficient`,
        'bonus-coefficient-nonnegative',
        'a bonus coefficient cannot be negative',
      );
  });
  if (!definition.grades.some((band) => dec(band.min).isZero()))
    add(
      'grades',
      'grade-bands-cover-zero',
      'the lowest grade band must start at 0 so every score has a grade',
    );
}

/** Forced distribution: known grades, percentages, min ≤ max, minimums that can all hold. */
function checkForcedDistribution(
  definition: WorkflowDefinition,
  add: Add,
  grades: ReadonlySet<string>,
): void {
  definition.forcedDistribution.forEach((rule, i) => {
    const at = `forcedDistribution[${i}]`;
    if (!grades.has(rule.grade))
      add(`${at}.grade`, 'distribution-grade-unknown', `grade "${rule.grade}" is not among the grade bands`);
    if (rule.min === undefined && rule.max === undefined)
      add(at, 'distribution-rule-empty', 'give a minimum or a maximum percentage');
    for (const bound of ['min', 'max'] as const) {
      const value = rule[bound];
      if (value !== undefined && (dec(value).isNegative() || dec(value).greaterThan(100)))
        add(`${at}.${bound}`, 'percent-range', `${bound} must be a percentage between 0 and 100`);
    }
    if (rule.min !== undefined && rule.max !== undefined && dec(rule.min).greaterThan(dec(rule.max)))
      add(`${at}.min`, 'distribution-min-above-max', `min ${rule.min}% is above max ${rule.max}%`);
  });
  const minimums = sum(definition.forcedDistribution.map((rule) => dec(rule.min ?? 0)));
  if (minimums.greaterThan(100))
    add(
      'forcedDistribution',
      'distribution-minimums-exceed-100',
      `the minimums add up to ${minimums.toFixed()}%, above 100%`,
    );
}

/** Rater groups: unique, weights summing to 100; a rating scale in order. */
function checkRaterGroups(definition: WorkflowDefinition, add: Add): void {
  definition.raterGroups.forEach((group, i) => {
    if (definition.raterGroups.findIndex((other) => other.group === group.group) !== i)
      add(`raterGroups[${i}].group`, 'rater-group-unique', `rater group "${group.group}" is defined twice`);
    if (!dec(group.weight).greaterThan(0))
      add(`raterGroups[${i}].weight`, 'weight-positive', 'a weight must be above 0');
  });
  if (definition.raterGroups.length > 0) {
    const total = sum(definition.raterGroups.map((group) => dec(group.weight)));
    if (!total.equals(100))
      add('raterGroups', 'weights-sum-100', `rater group weights add up to ${total.toFixed()}, not 100`);
  }
  if (!dec(definition.ratingScale.min).lessThan(dec(definition.ratingScale.max)))
    add('ratingScale', 'rating-scale-order', 'the rating scale minimum must be below its maximum');
}

/** Red lines: unique ids, effects naming known grades. */
function checkRedLines(definition: WorkflowDefinition, add: Add, grades: ReadonlySet<string>): void {
  definition.redLines.forEach((line, i) => {
    if (definition.redLines.findIndex((other) => other.id === line.id) !== i)
      add(`redLines[${i}].id`, 'red-line-unique', `red line "${line.id}" is defined twice`);
    if (line.effect.forceGrade !== undefined && !grades.has(line.effect.forceGrade))
      add(
        `redLines[${i}].effect.forceGrade`,
        'red-line-grade-unknown',
        `grade "${line.effect.forceGrade}" is not among the grade bands`,
      );
  });
}

/** The annual formula over known variables, and no `rating` without rater groups. */
function checkAnnualFormula(definition: WorkflowDefinition, issues: Issue[]): void {
  const variables = new Set<string>([
    ...ANNUAL_VARIABLES,
    ...definition.raterGroups.map((g) => raterVariable(g.group)),
  ]);
  issues.push(
    ...checkFormula(
      definition.annual.formula,
      'annual.formula',
      variables,
      'formula-unknown-variable',
      'variable',
    ),
  );
  if (definition.raterGroups.length === 0 && formulaReads(definition.annual.formula, 'rating'))
    issues.push({
      path: 'annual.formula',
      rule: 'rating-without-rater-groups',
      message: 'the formula reads "rating" but no rater groups are defined',
    });
}

function formulaReads(formula: string, name: string): boolean {
  try {
    return identifiersOf(parseExpression(formula)).has(name);
  } catch {
    return false;
  }
}

function checkFormula(
  formula: string,
  path: string,
  known: Set<string>,
  rule: string,
  noun: string,
): Issue[] {
  try {
    const unknown = [...identifiersOf(parseExpression(formula))].filter((name) => !known.has(name));
    return unknown.map((name) => ({
      path,
      rule,
      message: `"${name}" is not a known ${noun} (known: ${[...known].join(', ')})`,
    }));
  } catch (error) {
    if (error instanceof ExpressionError) return [{ path, rule: error.rule, message: error.message }];
    throw error;
  }
}

function validateScorecard(scorecard: ScorecardTemplate, at: string, grades: Set<string> | null): Issue[] {
  const issues: Issue[] = [];
  const add = (path: string, rule: string, message: string) => issues.push({ path, rule, message });
  const ids = new Set<string>();
  scorecard.indicators.forEach((indicator, i) => {
    const path = `${at}.indicators[${i}]`;
    if (ids.has(indicator.id))
      add(`${path}.id`, 'indicator-unique', `indicator "${indicator.id}" is defined twice`);
    ids.add(indicator.id);
    if (!dec(indicator.weight).greaterThan(0))
      add(`${path}.weight`, 'weight-positive', 'a weight must be above 0');
    if (indicator.kind === 'numeric') validateNumeric(indicator, path, grades, add);
    if (indicator.rule.type === 'manual') {
      const values = indicator.rule.scale.map((point) => point.value);
      values.forEach((value, j) => {
        if (values.indexOf(value) !== j)
          add(`${path}.rule.scale[${j}].value`, 'scale-value-unique', `scale value ${value} is listed twice`);
      });
    }
  });
  const total = sum(scorecard.indicators.map((indicator) => dec(indicator.weight)));
  if (!total.equals(100))
    add(`${at}.indicators`, 'weights-sum-100', `indicator weights add up to ${total.toFixed()}, not 100`);
  if (scorecard.aggregation.method === 'formula')
    issues.push(
      ...checkFormula(
        scorecard.aggregation.formula,
        `${at}.aggregation.formula`,
        ids,
        'formula-unknown-indicator',
        'indicator',
      ),
    );
  return issues;
}

type Add = (path: string, rule: string, message: string) => void;

function validateNumeric(
  indicator: Extract<Indicator, { kind: 'numeric' }>,
  path: string,
  grades: Set<string> | null,
  add: Add,
) {
  const threshold = dec(indicator.levels.threshold);
  const target = dec(indicator.levels.target);
  const stretch = dec(indicator.levels.stretch);
  const show = (value: Decimal) => value.toFixed();
  if (indicator.direction === 'higher' || indicator.direction === 'lower') {
    // One rule, mirrored: the levels rise towards better, upwards or downwards.
    const higher = indicator.direction === 'higher';
    const better = (from: Decimal, to: Decimal) => (higher ? from.lessThan(to) : from.greaterThan(to));
    const [worse, beyond] = higher ? ['below', 'above'] : ['above', 'below'];
    const kind = `${indicator.direction}-is-better`;
    if (!better(threshold, target))
      add(
        `${path}.levels.threshold`,
        'levels-order',
        `threshold (${show(threshold)}) must be ${worse} target (${show(target)}) on a ${kind} indicator`,
      );
    if (!better(target, stretch))
      add(
        `${path}.levels.stretch`,
        'levels-order',
        `stretch (${show(stretch)}) must be ${beyond} target (${show(target)}) on a ${kind} indicator`,
      );
  } else if (indicator.rule.type === 'linear') {
    add(
      `${path}.rule.type`,
      'range-needs-bands',
      'a within-a-range indicator is scored by a band table or pass/fail, not a linear rule',
    );
  }
  const rule = indicator.rule;
  if (rule.type === 'linear') {
    const points = [rule.floor, rule.thresholdScore, rule.targetScore, rule.stretchScore, rule.cap].map(dec);
    const ordered =
      points[0].lessThanOrEqualTo(points[1]) &&
      points[1].lessThan(points[2]) &&
      points[2].lessThan(points[3]) &&
      points[3].lessThanOrEqualTo(points[4]);
    if (!ordered)
      add(
        `${path}.rule`,
        'linear-scores-order',
        'scores must rise: floor ≤ thresholdScore < targetScore < stretchScore ≤ cap',
      );
  }
  if (rule.type === 'bands') {
    rule.bands.forEach((band, j) => {
      if (band.from !== undefined && band.to !== undefined && !dec(band.from).lessThan(dec(band.to)))
        add(
          `${path}.rule.bands[${j}]`,
          'band-bounds',
          `band from ${band.from} must be below its end ${band.to}`,
        );
    });
    const sorted = rule.bands
      .map((band, j) => ({
        j,
        from: band.from === undefined ? null : dec(band.from),
        to: band.to === undefined ? null : dec(band.to),
      }))
      .sort((a, b) => (a.from === null ? -1 : b.from === null ? 1 : a.from.comparedTo(b.from)));
    for (let k = 1; k < sorted.length; k++) {
      const previous = sorted[k - 1];
      const current = sorted[k];
      if (
        previous.to === null ||
        (current.from !== null && current.from.lessThan(previous.to)) ||
        current.from === null
      )
        add(
          `${path}.rule.bands[${current.j}]`,
          'bands-overlap',
          `band ${current.j} overlaps band ${previous.j}`,
        );
    }
  }
  if (indicator.veto) {
    const threshold = indicator.veto.threshold;
    if (
      'percentOfTarget' in threshold &&
      (!dec(threshold.percentOfTarget).greaterThan(0) || dec(threshold.percentOfTarget).greaterThan(1000))
    )
      add(
        `${path}.veto.threshold.percentOfTarget`,
        'percent-range',
        'percentOfTarget must be above 0 (and at most 1000)',
      );
    const effect = indicator.veto.effect;
    if (effect.type === 'cap-grade' && grades !== null && !grades.has(effect.grade))
      add(
        `${path}.veto.effect.grade`,
        'veto-grade-unknown',
        `grade "${effect.grade}" is not among the grade bands`,
      );
  }
}
