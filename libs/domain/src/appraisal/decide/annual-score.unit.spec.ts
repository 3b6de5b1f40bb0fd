import {
  AP,
  as,
  waiveUnscored,
  types,
  jan,
  scoreAppraisal,
  added,
  useCaseSpec,
} from '../../testing/appraisal-scenario';

const { path, spec, stepByStep, otherCommands, refusals } = useCaseSpec();

stepByStep(() => {
  it('scores the year from periods and 360 ratings: 0.7·87.30 + 0.3·82 = 85.71, grade B', () => {
    const events = added(path.yearComplete, path.annual);
    expect(types(events)).toEqual(['AppraisalScored', 'StepOpened']);
    expect(events[0].data).toMatchObject({
      periodAverage: '87.30',
      rating: '82.00',
      score: '85.71',
      grade: 'B',
      bonusCoefficient: '1',
      redLinesApplied: [],
    });
    expect(events[1].data).toMatchObject({ stepKey: 'calibration', dueAt: '2027-01-31T00:00:00.000Z' });
  });

  it('finalizes, then closes on acknowledgement with the bonus coefficient', () => {
    expect(types(added(path.annual, path.finalized))).toEqual([
      'AppraisalFinalized',
      'StepCompleted',
      'StepOpened',
    ]);
    const closing = added(path.finalized, path.closed);
    expect(types(closing)).toEqual(['AppraisalAcknowledged', 'StepCompleted', 'AppraisalClosed']);
    expect(closing[2].data).toEqual({
      appraisalId: AP,
      at: jan,
      score: '85.71',
      grade: 'B',
      bonusCoefficient: '1',
    });
    expect(path.closed.state.status).toBe('closed');
  });
});

otherCommands(() => {
  it('calibrates with a reason, within standing red lines', () => {
    spec
      .given(path.annual.events)
      .when(
        {
          type: 'CalibrateAppraisal',
          data: { appraisalId: AP, grade: 'C', reason: 'Unit forced distribution' },
        },
        as('hr', { now: jan }),
      )
      .then([
        {
          type: 'CalibrationAdjusted',
          data: {
            appraisalId: AP,
            at: jan,
            from: { score: '85.71', grade: 'B', bonusCoefficient: '1' },
            to: { score: '85.71', grade: 'C', bonusCoefficient: '0.6' },
            pii: { reason: 'Unit forced distribution' },
          },
        },
      ]);
    const redLined = path.annual.run(
      { type: 'FileRedLineBreach', data: { appraisalId: AP, redLineId: 'customer_harm', description: 'x' } },
      as('hr', { ids: ['rl-9'] }),
    );
    spec
      .given(redLined.events)
      .when(
        { type: 'CalibrateAppraisal', data: { appraisalId: AP, score: 95, reason: 'Exceptional year' } },
        as('hr', { now: jan }),
      )
      .thenMatches([
        {
          type: 'CalibrationAdjusted',
          data: { to: { score: '95.00', grade: 'A', bonusCoefficient: '0.3' } },
        },
      ]);
  });

  it('rescoring keeps one calibration step open', () => {
    spec
      .given(path.annual.events)
      .when(scoreAppraisal(), as('hr', { now: jan }))
      .thenMatches([{ type: 'AppraisalScored' }]);
  });
});

refusals([
  [
    'scoring a year with periods neither scored nor waived',
    path.rated.events,
    scoreAppraisal(),
    as('hr'),
    'year-incomplete',
    'illegal-state',
  ],
  [
    'scoring the year before any period',
    waiveUnscored(path.approved).events,
    scoreAppraisal(),
    as('hr'),
    'no-period-scored',
    'illegal-state',
  ],
  [
    'scoring the year with too few ratings',
    waiveUnscored(path.scored).events,
    scoreAppraisal(),
    as('hr'),
    'ratings-incomplete',
    'illegal-state',
  ],
  [
    'a manager scoring the year',
    path.rated.events,
    scoreAppraisal(),
    as('manager'),
    'role-not-allowed',
    'forbidden',
  ],
  [
    'calibrating before scoring',
    path.rated.events,
    { type: 'CalibrateAppraisal', data: { appraisalId: AP, grade: 'A', reason: 'r' } },
    as('hr'),
    'appraisal-in-progress',
    'illegal-state',
  ],
  [
    'calibrating to an unknown grade',
    path.annual.events,
    { type: 'CalibrateAppraisal', data: { appraisalId: AP, grade: 'S', reason: 'r' } },
    as('hr'),
    'grade-unknown',
    'validation',
  ],
  [
    'calibrating with neither score nor grade',
    path.annual.events,
    { type: 'CalibrateAppraisal', data: { appraisalId: AP, reason: 'r' } },
    as('hr'),
    'result-required',
    'validation',
  ],
  [
    'a manager calibrating',
    path.annual.events,
    { type: 'CalibrateAppraisal', data: { appraisalId: AP, grade: 'A', reason: 'r' } },
    as('manager'),
    'role-not-allowed',
    'forbidden',
  ],
  [
    'finalizing before scoring',
    path.rated.events,
    { type: 'FinalizeAppraisal', data: { appraisalId: AP } },
    as('hr'),
    'appraisal-in-progress',
    'illegal-state',
  ],
  [
    'finalizing a stale score',
    path.annual.run(
      { type: 'FileRedLineBreach', data: { appraisalId: AP, redLineId: 'fraud', description: 'd' } },
      as('hr'),
    ).events,
    { type: 'FinalizeAppraisal', data: { appraisalId: AP } },
    as('hr'),
    'score-stale',
    'illegal-state',
  ],
]);
