import {
  actionsOn,
  appraisalOfDays,
  dayToOpen,
  daysShown,
  toPlanItems,
  toResults,
  weekToShow,
  type DayActions,
  type DayStatus,
} from './days';

/** 2026-W06 runs from Monday 2 February to Sunday 8 February 2026. */
const WEEK = '2026-W06';
const day = (date: string, status: DayStatus) => ({ date, status });

describe('weekToShow: the week a link names, else this week', () => {
  it('takes a well-formed week that exists', () => {
    expect(weekToShow('2026-W06', '2026-12-05')).toBe('2026-W06');
    expect(weekToShow('2026-W53', '2026-12-05')).toBe('2026-W53');
  });

  it('falls back to the week of today for anything else', () => {
    expect(weekToShow(null, '2026-12-05')).toBe('2026-W49');
    expect(weekToShow('2025-W53', '2026-12-05')).toBe('2026-W49');
    expect(weekToShow('2026-6', '2027-01-01')).toBe('2026-W53');
  });
});

describe('daysShown: Monday to Friday, and a weekend day once planned', () => {
  it('shows the five working days of an empty week, Monday first', () => {
    expect(daysShown(WEEK, [])).toEqual([
      '2026-02-02',
      '2026-02-03',
      '2026-02-04',
      '2026-02-05',
      '2026-02-06',
    ]);
  });

  it('adds Saturday or Sunday only when it is planned', () => {
    const days = [day('2026-02-07', 'not-planned'), day('2026-02-08', 'summarized')];
    expect(daysShown(WEEK, days)).toEqual([
      '2026-02-02',
      '2026-02-03',
      '2026-02-04',
      '2026-02-05',
      '2026-02-06',
      '2026-02-08',
    ]);
  });

  it('crosses a year end as ISO weeks do (2026-W53 ends on Sunday 3 January 2027)', () => {
    expect(daysShown('2026-W53', [day('2027-01-03', 'planned')])).toEqual([
      '2026-12-28',
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-03',
    ]);
  });
});

describe('actionsOn: which forms a day offers to whom', () => {
  const today = '2026-02-04';
  const nothing: DayActions = { plan: false, summarize: false, annotate: false, score: false };
  it.each<[string, string, DayStatus, boolean, Partial<DayActions>]>([
    [
      'the person plans an unplanned day, and nothing else',
      '2026-02-05',
      'not-planned',
      true,
      { ...nothing, plan: true },
    ],
    ['the person plans a planned day again', '2026-02-05', 'planned', true, { plan: true }],
    ['the person plans no summarized day', '2026-02-03', 'summarized', true, { plan: false }],
    ['no one else plans a day', '2026-02-05', 'not-planned', false, { plan: false }],
    ['the person summarizes no day before it comes', '2026-02-05', 'planned', true, { summarize: false }],
    ['the person summarizes the day itself', '2026-02-04', 'planned', true, { summarize: true }],
    ['the person summarizes a summarized day again', '2026-02-03', 'summarized', true, { summarize: true }],
    ['the person summarizes no scored day', '2026-02-03', 'scored', true, { summarize: false }],
    ['the manager does nothing on an unplanned day', '2026-02-03', 'not-planned', false, nothing],
    [
      'the manager annotates a planned day, and nothing else',
      '2026-02-05',
      'planned',
      false,
      { ...nothing, annotate: true },
    ],
    ['the manager scores a summarized day', '2026-02-03', 'summarized', false, { score: true }],
    [
      'the manager scores a scored day again, to replace the score',
      '2026-02-03',
      'scored',
      false,
      { score: true },
    ],
    ['the person scores no day of their own', '2026-02-03', 'scored', true, { score: false }],
  ])('%s (%s, %s, own: %s)', (_case, date, status, own, actions) => {
    const offered = actionsOn(day(date, status), own, today);
    // A case naming every form checks the whole answer (no form more); the others, the forms they name.
    if (Object.keys(actions).length === Object.keys(nothing).length) expect(offered).toEqual(actions);
    else expect(offered).toMatchObject(actions);
  });
});

describe('dayToOpen', () => {
  it("opens today's tab when the week shows it, else the first day", () => {
    const shown = daysShown(WEEK, []);
    expect(dayToOpen(shown, '2026-02-04')).toBe('2026-02-04');
    expect(dayToOpen(shown, '2026-02-07')).toBe('2026-02-02');
  });
});

describe('toPlanItems: the lines as typed, new ones numbered', () => {
  it('keeps the ids of lines planned before and gives new lines the first free ones', () => {
    expect(
      toPlanItems([
        { itemId: 'item-2', kind: 'action', text: 'Call Wang' },
        { kind: 'number', text: 'Orders', planned: 3, weekItemId: 'visit' },
        { kind: 'action', text: 'Report', planned: null, weekItemId: null },
      ]),
    ).toEqual([
      { itemId: 'item-2', kind: 'action', text: 'Call Wang' },
      { itemId: 'item-1', kind: 'number', text: 'Orders', planned: 3, weekItemId: 'visit' },
      { itemId: 'item-3', kind: 'action', text: 'Report' },
    ]);
  });

  it('sends what was typed, even where the API will refuse it (it names the field)', () => {
    expect(toPlanItems([{ kind: 'number' }, { kind: 'action', planned: 5 }])).toEqual([
      { itemId: 'item-1', kind: 'number', text: '' },
      { itemId: 'item-2', kind: 'action', text: '', planned: 5 },
    ]);
  });
});

describe('toResults: one result per item of the plan, in its order', () => {
  const items = [
    { itemId: 'a', kind: 'number' as const },
    { itemId: 'b', kind: 'number' as const },
    { itemId: 'c', kind: 'action' as const },
    { itemId: 'd', kind: 'action' as const },
  ];
  it('reports an actual for a number (none when left empty) and done or not for an action', () => {
    expect(toResults(items, [{ actual: 4 }, { actual: null }, { done: true }, undefined])).toEqual([
      { itemId: 'a', actual: 4 },
      { itemId: 'b' },
      { itemId: 'c', done: true },
      { itemId: 'd', done: false },
    ]);
  });

  it('answers for every item even when nothing was typed', () => {
    expect(toResults(items.slice(2))).toEqual([
      { itemId: 'c', done: false },
      { itemId: 'd', done: false },
    ]);
  });
});

describe('appraisalOfDays: the cycle the days are planned in', () => {
  const appraisals = [
    { employeeId: 'e-mei', cycleId: 'c2026' },
    { employeeId: 'e-ann', cycleId: 'c2025' },
    { employeeId: 'e-ann', cycleId: 'c2026' },
  ];
  it("prefers the cycle the week's plan names", () => {
    expect(appraisalOfDays(appraisals, 'e-ann', 'c2026')).toBe(appraisals[2]);
  });
  it("takes the person's first appraisal when no week says, and none for someone not listed", () => {
    expect(appraisalOfDays(appraisals, 'e-ann', null)).toBe(appraisals[1]);
    expect(appraisalOfDays(appraisals, 'e-bo', 'c2026')).toBeNull();
  });
});
