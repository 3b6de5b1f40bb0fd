import { AP, as, happyPath, workedActuals } from '../testing/appraisal-scenario';

const feb = '2026-02-03T09:00:00.000Z';
const imported = (indicatorId: string, actual: string | number, system = 'erp') =>
  ({
    type: 'ImportActual',
    data: {
      appraisalId: AP,
      periodId: '2026-02',
      indicatorId,
      actual,
      source: { system, reference: 'SO-1' },
    },
  }) as const;

/** Actuals other systems file, and their disputes (docs/adr/0116). */
describe('imported actuals', () => {
  const approved = () => happyPath().approved;

  it('records the figure with its source, and a second identical filing records nothing', () => {
    const once = approved().run(imported('sales_volume', 1020), as('hr', { now: feb }));
    expect(once.events.at(-1)).toEqual({
      type: 'ActualImported',
      data: {
        appraisalId: AP,
        at: feb,
        periodId: '2026-02',
        indicatorId: 'sales_volume',
        actual: '1020',
        source: { system: 'erp', reference: 'SO-1' },
      },
    });
    expect(once.state.status !== 'empty' && once.state.periods['2026-02'].imported).toEqual({
      sales_volume: { actual: '1020', system: 'erp', reference: 'SO-1', dispute: 'none' },
    });
    const twice = once.run(imported('sales_volume', '1020.0'), as('hr', { now: feb }));
    expect(twice.events).toHaveLength(once.events.length);
  });

  it('refuses an unknown indicator, a closed period, and anyone but HR, an integrator or an admin', () => {
    expect(() => approved().run(imported('smiles', 3), as('hr'))).toThrow(
      expect.objectContaining({ code: 'invalid-actual' }),
    );
    expect(() => approved().run(imported('sales_volume', 3), as('manager'))).toThrow(
      expect.objectContaining({ code: 'role-not-allowed' }),
    );
    const scoredJanuary = happyPath().scored;
    expect(() =>
      scoredJanuary.run(
        {
          ...imported('sales_volume', 3),
          data: { ...imported('sales_volume', 3).data, periodId: '2026-01' },
        },
        as('hr'),
      ),
    ).toThrow(expect.objectContaining({ code: 'period-assessed' }));
  });

  it('counts over what the person files, who need not file it again', () => {
    const withImport = approved().run(imported('sales_volume', 1020), as('hr', { now: feb }));
    const filed = withImport.run(
      {
        type: 'FilePeriodReview',
        data: {
          appraisalId: AP,
          periodId: '2026-02',
          actuals: workedActuals.filter((row) => row.indicatorId !== 'sales_volume'),
          attachments: [{ indicatorId: 'product_mix', ref: 'doc-18' }],
        },
      },
      as('self', { now: '2026-03-02T09:00:00.000Z' }),
    );
    expect(filed.state.status !== 'empty' && filed.state.periods['2026-02'].actuals.sales_volume).toBe(
      '1020',
    );
  });

  it('is disputed by the person, kept or corrected by the manager, and not replaced while disputed', () => {
    const withImport = approved().run(imported('inventory', 480), as('hr', { now: feb }));
    const dispute = {
      type: 'DisputeImportedActual',
      data: { appraisalId: AP, periodId: '2026-02', indicatorId: 'inventory', reason: 'Stock moved' },
    } as const;
    expect(() => withImport.run(dispute, as('peer'))).toThrow(
      expect.objectContaining({ code: 'relation-not-allowed' }),
    );
    const disputed = withImport.run(dispute, as('self', { now: feb }));
    expect(disputed.events.at(-1)).toMatchObject({
      type: 'ImportedActualDisputed',
      data: { actual: '480', disputedBy: 'u-ann', pii: { reason: 'Stock moved' } },
    });
    expect(() => disputed.run(imported('inventory', 490), as('hr'))).toThrow(
      expect.objectContaining({ code: 'actual-disputed' }),
    );
    const resolve = (outcome: 'kept' | 'corrected', actual?: number) =>
      ({
        type: 'ResolveActualDispute',
        data: {
          appraisalId: AP,
          periodId: '2026-02',
          indicatorId: 'inventory',
          outcome,
          actual,
          reason: 'Checked',
        },
      }) as const;
    expect(() => disputed.run(resolve('corrected'), as('manager'))).toThrow(
      expect.objectContaining({ code: 'invalid-resolution' }),
    );
    expect(() => disputed.run(resolve('kept'), as('self'))).toThrow(
      expect.objectContaining({ code: 'relation-not-allowed' }),
    );
    const corrected = disputed.run(resolve('corrected', 455), as('manager', { now: feb }));
    const period = corrected.state.status !== 'empty' ? corrected.state.periods['2026-02'] : null;
    expect(period?.actuals.inventory).toBe('455');
    expect(period?.imported?.inventory).toMatchObject({ actual: '455', dispute: 'corrected' });
    expect(() => corrected.run(resolve('kept'), as('manager'))).toThrow(
      expect.objectContaining({ code: 'actual-not-disputed' }),
    );
    const kept = disputed.run(resolve('kept'), as('manager', { now: feb }));
    expect(kept.state.status !== 'empty' && kept.state.periods['2026-02'].actuals.inventory).toBe('480');
  });
});
