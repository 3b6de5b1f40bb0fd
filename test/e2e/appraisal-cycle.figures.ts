/**
 * The figures of the whole-cycle end-to-end test (appraisal-cycle.e2e.spec.ts): what each of the
 * five sales people files for the three reviewed months, and the 360 ratings they are given. The
 * test's hand-computed scores are computed from these.
 */

/** The months nobody reviews in the cycle: HR waives them. */
export const unreviewed = ['04', '05', '06', '07', '08', '09', '10', '11', '12'].map(
  (month) => `2025-${month}`,
);

/** A month's review as the appraisee files it, with the product-mix figure's ERP reference. */
export const month = (
  periodId: string,
  sales: number,
  receivables: string,
  inventory: number,
  mix: number,
) => ({
  periodId,
  actuals: [
    { indicatorId: 'sales_volume', actual: sales },
    { indicatorId: 'receivables', actual: receivables },
    { indicatorId: 'inventory', actual: inventory },
    { indicatorId: 'product_mix', actual: mix },
  ],
  attachments: [{ indicatorId: 'product_mix', ref: `erp-${periodId}` }],
});

/** Three months for everyone. Ann's January is DOMAIN.md's worked example (vetoed). */
export const months: Record<string, ReturnType<typeof month>[]> = {
  'e-ann': [
    month('2025-01', 950, '2.2', 450, 330),
    month('2025-02', 1000, '2.0', 500, 400),
    month('2025-03', 1100, '1.8', 480, 420),
  ],
  'e-bob': ['2025-01', '2025-02', '2025-03'].map((p) => month(p, 900, '2.1', 520, 380)),
  'e-cai': ['2025-01', '2025-02', '2025-03'].map((p) => month(p, 1000, '2.0', 500, 400)),
  'e-dan': ['2025-01', '2025-02', '2025-03'].map((p) => month(p, 900, '2.1', 520, 380)),
  'e-eve': ['2025-01', '2025-02', '2025-03'].map((p) => month(p, 900, '2.1', 520, 380)),
};

/** 360 ratings per appraisee: their own, their manager's and two peers' (who rates, how much). */
export const ratings: Record<string, { self: number; manager: number; peers: [string, number][] }> = {
  'e-ann': {
    self: 90,
    manager: 80,
    peers: [
      ['e-bob', 70],
      ['e-cai', 90],
    ],
  },
  'e-bob': {
    self: 80,
    manager: 70,
    peers: [
      ['e-ann', 70],
      ['e-cai', 70],
    ],
  },
  'e-cai': {
    self: 95,
    manager: 95,
    peers: [
      ['e-ann', 95],
      ['e-dan', 95],
    ],
  },
  'e-dan': {
    self: 80,
    manager: 80,
    peers: [
      ['e-eve', 80],
      ['e-ann', 80],
    ],
  },
  'e-eve': {
    self: 80,
    manager: 80,
    peers: [
      ['e-dan', 80],
      ['e-bob', 80],
    ],
  },
};
