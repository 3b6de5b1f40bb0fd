import { breachesOf } from './breaches-of';
import type { AppraisalEvent } from './queries';

let revision = 0;
const event = (type: string, data: AppraisalEvent['data']): AppraisalEvent => ({
  eventId: `ev-${++revision}`,
  type,
  revision: String(revision),
  position: String(100 + revision),
  recordedAt: `2026-03-0${revision}T10:00:00.000Z`,
  actor: { id: 'hr-1', role: 'hr' },
  correlationId: 'c-1',
  data,
});

describe('breachesOf: the red lines filed on an appraisal, from its events', () => {
  beforeEach(() => {
    revision = 0;
  });

  it('folds each breach with its words, its status and the reasons given, oldest first', () => {
    expect(
      breachesOf([
        event('RedLineBreached', {
          breachId: 'b-1',
          redLineId: 'safety',
          pii: { description: 'Unreported incident', evidence: 'Report 14' },
        }),
        event('PeriodScored', { periodId: '2026-01' }),
        event('RedLineBreached', { breachId: 'b-2', redLineId: 'fraud', pii: { description: 'Invoices' } }),
        event('RedLineContested', { breachId: 'b-2', pii: { reason: 'Dated by the customer' } }),
        event('RedLineUpheld', { breachId: 'b-2', pii: { reason: 'The customer denies it' } }),
        event('RedLineWithdrawn', { breachId: 'b-1', pii: { reason: 'Wrong person' } }),
      ]),
    ).toEqual([
      {
        breachId: 'b-1',
        redLineId: 'safety',
        status: 'withdrawn',
        filedAt: '2026-03-01T10:00:00.000Z',
        description: 'Unreported incident',
        evidence: 'Report 14',
        contestReason: null,
        decisionReason: 'Wrong person',
      },
      {
        breachId: 'b-2',
        redLineId: 'fraud',
        status: 'upheld',
        filedAt: '2026-03-03T10:00:00.000Z',
        description: 'Invoices',
        evidence: null,
        contestReason: 'Dated by the customer',
        decisionReason: 'The customer denies it',
      },
    ]);
  });

  it('keeps the status but not the words when the API withholds them', () => {
    const [breach] = breachesOf([
      event('RedLineBreached', { breachId: 'b-1', redLineId: 'safety', pii: 'redacted' }),
      event('RedLineContested', { breachId: 'b-1', pii: 'redacted' }),
    ]);
    expect(breach).toMatchObject({ status: 'contested', description: null, contestReason: null });
  });
});
