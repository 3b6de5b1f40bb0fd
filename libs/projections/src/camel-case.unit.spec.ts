import { camelCaseRow, camelCaseRows } from './camel-case';

describe('camelCaseRow', () => {
  it("renames the row's columns only, in their order, and leaves the values (JSON included) as they are", () => {
    const effect = { type: 'bonus-cap', cap_value: '0.5' };
    const row = { appraisal_id: 'a-1', percent_of_target: '82.5', period2_id: 'p', effect, status: 'x' };
    const renamed = camelCaseRow(row);
    expect(Object.keys(renamed)).toEqual(['appraisalId', 'percentOfTarget', 'period2Id', 'effect', 'status']);
    expect(renamed).toEqual({
      appraisalId: 'a-1',
      percentOfTarget: '82.5',
      period2Id: 'p',
      effect: { type: 'bonus-cap', cap_value: '0.5' },
      status: 'x',
    });
    expect(renamed.effect).toBe(effect);
    expect(camelCaseRows([{ step_key: 'plan' }, { step_key: 'review' }])).toEqual([
      { stepKey: 'plan' },
      { stepKey: 'review' },
    ]);
  });
});
