import { AP, as, feb, jan, scoreAppraisal, useCaseSpec } from '../../testing/appraisal-scenario';

const { path, spec, otherCommands, refusals } = useCaseSpec();

otherCommands(() => {
  it('waives a veto with a reason and re-scores the period with its bonus restored', () => {
    spec
      .given(path.scored.events)
      .when(
        {
          type: 'WaiveVeto',
          data: {
            appraisalId: AP,
            periodId: '2026-01',
            indicatorId: 'product_mix',
            reason: 'Supplier strike',
          },
        },
        as('hr', { now: feb }),
      )
      .thenMatches([
        {
          type: 'VetoWaived',
          data: { periodId: '2026-01', indicatorId: 'product_mix', pii: { reason: 'Supplier strike' } },
        },
        { type: 'PeriodScored', data: { score: '87.30', grade: 'B', bonusCoefficient: '1', vetoed: false } },
      ]);
  });

  it('files, contests, upholds and withdraws red-line breaches; nothing is deleted', () => {
    const breached = path.scored.run(
      {
        type: 'FileRedLineBreach',
        data: { appraisalId: AP, redLineId: 'fraud', description: 'Invoices backdated', evidence: 'audit-7' },
      },
      as('hr', { ids: ['rl-1'] }),
    );
    expect(breached.events[breached.events.length - 1]).toEqual({
      type: 'RedLineBreached',
      data: {
        appraisalId: AP,
        at: '2026-01-05T09:00:00.000Z',
        breachId: 'rl-1',
        redLineId: 'fraud',
        effect: { forceGrade: 'D', bonusCoefficient: '0' },
        pii: { description: 'Invoices backdated', evidence: 'audit-7' },
      },
    });
    const contested = breached.run(
      { type: 'ContestRedLine', data: { appraisalId: AP, breachId: 'rl-1', reason: 'Approved by finance' } },
      as('self'),
    );
    spec
      .given(contested.events)
      .when({ type: 'UpholdRedLine', data: { appraisalId: AP, breachId: 'rl-1' } }, as('hr'))
      .thenMatches([{ type: 'RedLineUpheld', data: { breachId: 'rl-1' } }]);
    spec
      .given(contested.events)
      .when(
        { type: 'WithdrawRedLine', data: { appraisalId: AP, breachId: 'rl-1', reason: 'Finance confirmed' } },
        as('hr'),
      )
      .thenMatches([{ type: 'RedLineWithdrawn' }]);
  });

  it('applies a standing red line to the annual result (grade D, coefficient 0), and not a withdrawn one', () => {
    const breached = path.yearComplete.run(
      { type: 'FileRedLineBreach', data: { appraisalId: AP, redLineId: 'fraud', description: 'x' } },
      as('hr', { ids: ['rl-1'] }),
    );
    spec
      .given(breached.events)
      .when(scoreAppraisal(), as('hr', { now: jan }))
      .thenMatches([
        {
          type: 'AppraisalScored',
          data: { score: '85.71', grade: 'D', bonusCoefficient: '0', redLinesApplied: ['rl-1'] },
        },
        { type: 'StepOpened' },
      ]);
    const withdrawn = breached.run(
      { type: 'WithdrawRedLine', data: { appraisalId: AP, breachId: 'rl-1', reason: 'cleared' } },
      as('hr'),
    );
    spec
      .given(withdrawn.events)
      .when(scoreAppraisal(), as('hr', { now: jan }))
      .thenMatches([
        { type: 'AppraisalScored', data: { grade: 'B', redLinesApplied: [] } },
        { type: 'StepOpened' },
      ]);
  });
});

refusals([
  [
    'waiving a veto that was not breached',
    path.scored.events,
    {
      type: 'WaiveVeto',
      data: { appraisalId: AP, periodId: '2026-01', indicatorId: 'sales_volume', reason: 'r' },
    },
    as('hr'),
    'veto-not-breached',
    'illegal-state',
  ],
  [
    'a manager waiving a veto',
    path.scored.events,
    {
      type: 'WaiveVeto',
      data: { appraisalId: AP, periodId: '2026-01', indicatorId: 'product_mix', reason: 'r' },
    },
    as('manager'),
    'role-not-allowed',
    'forbidden',
  ],
  [
    'waiving after finalization',
    path.finalized.events,
    {
      type: 'WaiveVeto',
      data: { appraisalId: AP, periodId: '2026-01', indicatorId: 'product_mix', reason: 'r' },
    },
    as('hr'),
    'appraisal-finalized',
    'illegal-state',
  ],
  [
    'an unknown red line',
    path.scored.events,
    { type: 'FileRedLineBreach', data: { appraisalId: AP, redLineId: 'littering', description: 'd' } },
    as('hr'),
    'red-line-not-found',
    'not-found',
  ],
  [
    'a manager filing a red line',
    path.scored.events,
    { type: 'FileRedLineBreach', data: { appraisalId: AP, redLineId: 'fraud', description: 'd' } },
    as('manager'),
    'role-not-allowed',
    'forbidden',
  ],
  [
    'a red line after finalization',
    path.finalized.events,
    { type: 'FileRedLineBreach', data: { appraisalId: AP, redLineId: 'fraud', description: 'd' } },
    as('hr'),
    'appraisal-finalized',
    'illegal-state',
  ],
  [
    'contesting an unknown breach',
    path.scored.events,
    { type: 'ContestRedLine', data: { appraisalId: AP, breachId: 'nope', reason: 'r' } },
    as('self'),
    'red-line-breach-not-found',
    'not-found',
  ],
  [
    'contesting for someone else',
    path.scored.events,
    { type: 'ContestRedLine', data: { appraisalId: AP, breachId: 'nope', reason: 'r' } },
    as('peer'),
    'relation-not-allowed',
    'forbidden',
  ],
  [
    'an employee upholding a breach',
    path.scored.events,
    { type: 'UpholdRedLine', data: { appraisalId: AP, breachId: 'nope' } },
    as('self'),
    'role-not-allowed',
    'forbidden',
  ],
]);
