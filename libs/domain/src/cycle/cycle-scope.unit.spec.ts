import { cycleScopeDate } from './cycle-scope';

describe("a cycle's scope date", () => {
  it('is the first day of the year, or of the second half-year', () => {
    expect(cycleScopeDate({ year: 2026 })).toBe('2026-01-01');
    expect(cycleScopeDate({ year: 2026, half: 1 })).toBe('2026-01-01');
    expect(cycleScopeDate({ year: 2026, half: 2 })).toBe('2026-07-01');
  });
});
