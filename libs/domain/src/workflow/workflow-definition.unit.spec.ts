import {
  parseScorecardTemplate,
  parseWorkflowDefinition,
  sales4232Workflow,
  type WorkflowDefinitionInput,
} from '../index';

type Draft = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function variant(change: (draft: Draft) => void): unknown {
  const draft = structuredClone(sales4232Workflow) as Draft;
  change(draft);
  return draft;
}

describe('parseWorkflowDefinition', () => {
  it('accepts the sales 4232 example and applies defaults', () => {
    const result = parseWorkflowDefinition(sales4232Workflow);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.definition.scorecard.indicators).toHaveLength(4);
    expect(result.definition.scorecard.indicators[0].rule).toEqual({
      type: 'linear',
      thresholdScore: 60,
      targetScore: 100,
      stretchScore: 120,
      floor: 0,
      cap: 120,
    });
    expect(result.definition.rounding).toEqual({ mode: 'half-up', places: 2 });
  });

  it('accepts the same definition as a JSON string', () => {
    expect(parseWorkflowDefinition(JSON.stringify(sales4232Workflow)).ok).toBe(true);
  });

  const indicators = 'scorecard.indicators';
  const invalid: Array<[string, () => unknown, string, string, RegExp]> = [
    ['malformed JSON', () => '{"name": ', '', 'json-syntax', /JSON/],
    ['a missing name', () => variant((d) => delete d.name), 'name', 'invalid_type', /string/],
    [
      'an unknown period',
      () => variant((d) => (d.cadence.period = 'week')),
      'cadence.period',
      'invalid_value',
      /month/,
    ],
    [
      'weights not summing to 100',
      () => variant((d) => (d.scorecard.indicators[0].weight = 30)),
      indicators,
      'weights-sum-100',
      /add up to 90, not 100/,
    ],
    [
      'a zero weight',
      () =>
        variant((d) => {
          d.scorecard.indicators[0].weight = 0;
          d.scorecard.indicators[1].weight = 60;
        }),
      `${indicators}[0].weight`,
      'weight-positive',
      /above 0/,
    ],
    [
      'threshold above target on a higher-is-better KPI',
      () => variant((d) => (d.scorecard.indicators[0].levels.threshold = 1100)),
      `${indicators}[0].levels.threshold`,
      'levels-order',
      /threshold \(1100\) must be below target \(1000\) on a higher-is-better/,
    ],
    [
      'stretch below target on a higher-is-better KPI',
      () => variant((d) => (d.scorecard.indicators[3].levels.stretch = 350)),
      `${indicators}[3].levels.stretch`,
      'levels-order',
      /stretch \(350\) must be above target/,
    ],
    [
      'threshold below target on a lower-is-better KPI',
      () => variant((d) => (d.scorecard.indicators[1].levels.threshold = 1.8)),
      `${indicators}[1].levels.threshold`,
      'levels-order',
      /must be above target \(2\) on a lower-is-better/,
    ],
    [
      'a formula naming an unknown indicator',
      () =>
        variant(
          (d) => (d.scorecard.aggregation = { method: 'formula', formula: 'min(sales_volume, revenue)' }),
        ),
      'scorecard.aggregation.formula',
      'formula-unknown-indicator',
      /"revenue" is not a known indicator/,
    ],
    [
      'a formula that does not parse',
      () => variant((d) => (d.scorecard.aggregation = { method: 'formula', formula: 'sales_volume +' })),
      'scorecard.aggregation.formula',
      'formula-syntax',
      /cannot parse/,
    ],
    [
      'a formula calling an unknown function',
      () => variant((d) => (d.scorecard.aggregation = { method: 'formula', formula: 'exec(sales_volume)' })),
      'scorecard.aggregation.formula',
      'formula-function',
      /unknown function "exec"/,
    ],
    [
      'a formula using member access',
      () =>
        variant(
          (d) => (d.scorecard.aggregation = { method: 'formula', formula: 'sales_volume.constructor' }),
        ),
      'scorecard.aggregation.formula',
      'formula-construct',
      /MemberExpression/,
    ],
    [
      'an annual formula naming an unknown variable',
      () => variant((d) => (d.annual.formula = '0.7 * periods + 0.3 * bonus')),
      'annual.formula',
      'formula-unknown-variable',
      /"bonus" is not a known variable/,
    ],
    [
      'an empty escalation chain',
      () => variant((d) => (d.steps[0].escalation = [])),
      'steps[0].escalation',
      'escalation-chain-empty',
      /at least one level/,
    ],
    [
      'a cyclic escalation chain',
      () => variant((d) => d.steps[0].escalation.push({ afterDays: 9, to: 'manager' })),
      'steps[0].escalation[3].to',
      'escalation-chain-cyclic',
      /back to "manager", already reached at level 1/,
    ],
    [
      'an escalation to the step owner',
      () => variant((d) => (d.steps[1].escalation = [{ afterDays: 1, to: 'manager' }])),
      'steps[1].escalation[0].to',
      'escalation-chain-cyclic',
      /already owns the step/,
    ],
    [
      'escalation delays that do not grow',
      () => variant((d) => (d.steps[0].escalation[1].afterDays = 1)),
      'steps[0].escalation[1].afterDays',
      'escalation-delays-increasing',
      /not later than level 1/,
    ],
    [
      'a step kind defined twice',
      () => variant((d) => d.steps.push(structuredClone(d.steps[0]))),
      'steps[12].kind',
      'step-kind-unique',
      /already defined at steps\[0\]/,
    ],
    [
      'a duplicate reminder',
      () => variant((d) => (d.steps[0].reminders.daysBefore = [2, 2])),
      'steps[0].reminders.daysBefore[1]',
      'reminder-unique',
      /listed twice/,
    ],
    [
      'a period-end due time on the plan',
      () => variant((d) => (d.steps[0].due.from = 'period-end')),
      'steps[0].due.from',
      'due-anchor',
      /period-review/,
    ],
    [
      'overlapping grade bands',
      () => variant((d) => (d.grades[1].min = 90)),
      'grades[1].min',
      'grade-bands-overlap',
      /bands overlap/,
    ],
    [
      'grade bands leaving low scores without a grade',
      () => variant((d) => (d.grades[3].min = 10)),
      'grades',
      'grade-bands-cover-zero',
      /start at 0/,
    ],
    [
      'a negative bonus coefficient',
      () => variant((d) => (d.grades[0].bonusCoefficient = -1)),
      'grades[0].bonusCoefficient',
      'bonus-coefficient-nonnegative',
      /negative/,
    ],
    [
      'a forced distribution on an unknown grade',
      () => variant((d) => d.forcedDistribution.push({ grade: 'E', max: 10 })),
      'forcedDistribution[2].grade',
      'distribution-grade-unknown',
      /"E"/,
    ],
    [
      'a forced distribution with min above max',
      () => variant((d) => (d.forcedDistribution[1].max = 3)),
      'forcedDistribution[1].min',
      'distribution-min-above-max',
      /min 5% is above max 3%/,
    ],
    [
      'a forced distribution rule without bounds',
      () => variant((d) => d.forcedDistribution.push({ grade: 'B' })),
      'forcedDistribution[2]',
      'distribution-rule-empty',
      /minimum or a maximum/,
    ],
    [
      'a percentage above 100',
      () => variant((d) => (d.forcedDistribution[0].max = 120)),
      'forcedDistribution[0].max',
      'percent-range',
      /between 0 and 100/,
    ],
    [
      'rater weights not summing to 100',
      () => variant((d) => (d.raterGroups[0].weight = 50)),
      'raterGroups',
      'weights-sum-100',
      /add up to 90/,
    ],
    [
      'a rater group defined twice',
      () => variant((d) => (d.raterGroups[1].group = 'manager')),
      'raterGroups[1].group',
      'rater-group-unique',
      /twice/,
    ],
    [
      'an indicator id defined twice',
      () => variant((d) => (d.scorecard.indicators[1].id = 'sales_volume')),
      `${indicators}[1].id`,
      'indicator-unique',
      /twice/,
    ],
    [
      'a red line forcing an unknown grade',
      () => variant((d) => (d.redLines[0].effect.forceGrade = 'F')),
      'redLines[0].effect.forceGrade',
      'red-line-grade-unknown',
      /"F"/,
    ],
    [
      'overlapping band-table bands',
      () =>
        variant(
          (d) =>
            (d.scorecard.indicators[2].rule = {
              type: 'bands',
              bands: [
                { to: 500, score: 100 },
                { from: 450, to: 600, score: 60 },
                { from: 600, score: 0 },
              ],
            }),
        ),
      `${indicators}[2].rule.bands[1]`,
      'bands-overlap',
      /overlaps band 0/,
    ],
    [
      'a band ending before it starts',
      () =>
        variant(
          (d) =>
            (d.scorecard.indicators[2].rule = { type: 'bands', bands: [{ from: 500, to: 400, score: 100 }] }),
        ),
      `${indicators}[2].rule.bands[0]`,
      'band-bounds',
      /below its end/,
    ],
    [
      'linear scores that do not rise',
      () => variant((d) => (d.scorecard.indicators[0].rule = { type: 'linear', targetScore: 130 })),
      `${indicators}[0].rule`,
      'linear-scores-order',
      /scores must rise/,
    ],
    [
      'a range indicator with a linear rule',
      () => variant((d) => (d.scorecard.indicators[2].direction = 'range')),
      `${indicators}[2].rule.type`,
      'range-needs-bands',
      /band table/,
    ],
    [
      'a veto capping to an unknown grade',
      () => variant((d) => (d.scorecard.indicators[3].veto.effect = { type: 'cap-grade', grade: 'Z' })),
      `${indicators}[3].veto.effect.grade`,
      'veto-grade-unknown',
      /"Z"/,
    ],
    [
      'a veto at 0 % of target',
      () => variant((d) => (d.scorecard.indicators[3].veto.threshold = { percentOfTarget: 0 })),
      `${indicators}[3].veto.threshold.percentOfTarget`,
      'percent-range',
      /above 0/,
    ],
    [
      'a manual scale repeating a value',
      () =>
        variant(
          (d) =>
            (d.scorecard.indicators[2].rule = {
              type: 'manual',
              scale: [
                { value: 1, label: 'low', score: 0 },
                { value: 1, label: 'high', score: 100 },
              ],
            }),
        ),
      `${indicators}[2].rule.scale[1].value`,
      'scale-value-unique',
      /twice/,
    ],
    [
      'an unknown rule type',
      () => variant((d) => (d.scorecard.indicators[0].rule = { type: 'magic' })),
      `${indicators}[0].rule.type`,
      'invalid_union',
      /./,
    ],
    [
      'a rating scale upside down',
      () => variant((d) => (d.ratingScale = { min: 5, max: 1 })),
      'ratingScale',
      'rating-scale-order',
      /below its maximum/,
    ],
    [
      'a rating formula without rater groups',
      () => variant((d) => (d.raterGroups = [])),
      'annual.formula',
      'rating-without-rater-groups',
      /no rater groups/,
    ],
  ];

  it.each(invalid)('rejects %s', (_title, make, path, rule, message) => {
    const result = parseWorkflowDefinition(make());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const issue = result.issues.find((candidate) => candidate.path === path && candidate.rule === rule);
    expect({ issues: result.issues, found: issue !== undefined }).toMatchObject({ found: true });
    expect(issue!.message).toMatch(message);
  });

  it('reports every issue at once, not only the first', () => {
    const result = parseWorkflowDefinition(
      variant((d) => {
        d.scorecard.indicators[0].weight = 30;
        d.grades[1].min = 90;
        d.steps[0].escalation = [];
      }),
    );
    expect(result.ok ? [] : result.issues.map((issue) => issue.rule).sort()).toEqual([
      'escalation-chain-empty',
      'grade-bands-overlap',
      'weights-sum-100',
    ]);
  });

  it('validates standalone scorecard templates too', () => {
    expect(parseScorecardTemplate(sales4232Workflow.scorecard).ok).toBe(true);
    const bad = parseScorecardTemplate({
      ...sales4232Workflow.scorecard,
      aggregation: { method: 'formula', formula: 'x' },
    });
    expect(bad.ok ? [] : bad.issues).toEqual([
      expect.objectContaining({ path: 'template.aggregation.formula', rule: 'formula-unknown-indicator' }),
    ]);
    expect(parseScorecardTemplate('nope').ok).toBe(false);
    expect(parseScorecardTemplate({ indicators: [] }).ok).toBe(false);
  });

  it('keeps the example typed as an input definition', () => {
    const input: WorkflowDefinitionInput = sales4232Workflow;
    expect(input.name).toContain('4232');
  });
});
