import { inboxLink } from './inbox-link';

const item = (kind: string, instance: string | null = null) => ({
  appraisalId: 'a-ann',
  kind,
  instance,
  subjectEmployeeId: 'e-ann',
});

describe("inboxLink: where an inbox item's step is done", () => {
  it("opens a colleague's rating without their appraisal", () => {
    expect(inboxLink(item('peer-rating'))).toBe('/app/ratings/a-ann?subject=e-ann');
  });

  it("opens a day's step on the person's days of its week (instance a date or a week)", () => {
    expect(inboxLink(item('daily-plan', '2026-02-04'))).toBe('/app/days?employeeId=e-ann&week=2026-W06');
    expect(inboxLink(item('daily-plan-review', '2026-W06'))).toBe('/app/days?employeeId=e-ann&week=2026-W06');
    expect(inboxLink(item('daily-plan', 'something else'))).toBe('/app/days?employeeId=e-ann');
  });

  it('opens any other kind, known or not yet, on its appraisal', () => {
    expect(inboxLink(item('period-review', '2026-02'))).toBe('/app/appraisals/a-ann');
    expect(inboxLink(item('a-kind-added-later', 'x'))).toBe('/app/appraisals/a-ann');
  });
});
