import { periodToFile } from './period-to-file';

const months = [
  { periodId: '2026-10', status: 'scored' as const, endsAt: '2026-11-01T00:00:00.000Z' },
  { periodId: '2026-11', status: 'filed' as const, endsAt: '2026-12-01T00:00:00.000Z' },
  { periodId: '2026-12', status: 'pending' as const, endsAt: '2027-01-01T00:00:00.000Z' },
];
const at = (iso: string) => Date.parse(iso);

describe('periodToFile: the month a review may be filed for now', () => {
  it('offers no month while the only pending one has not ended (the demo on 5 December)', () => {
    expect(periodToFile(months, at('2026-12-05T10:00:00.000Z'), 0)).toBeUndefined();
  });

  it('offers the pending month once it has ended', () => {
    expect(periodToFile(months, at('2027-01-01T00:00:00.000Z'), 0)).toBe('2026-12');
  });

  it("offers it within the workflow's early-filing days of its end, not before", () => {
    expect(periodToFile(months, at('2026-12-27T00:00:00.000Z'), 5)).toBe('2026-12');
    expect(periodToFile(months, at('2026-12-26T23:59:59.000Z'), 5)).toBeUndefined();
  });

  it('offers a returned month again', () => {
    const returned = months.map((m) =>
      m.periodId === '2026-11' ? { ...m, status: 'returned' as const } : m,
    );
    expect(periodToFile(returned, at('2026-12-05T10:00:00.000Z'), 0)).toBe('2026-11');
  });
});
