/**
 * The demo company, its calendar and the deterministic variety of its history: plain data, no I/O
 * (docs/adr/0060-demo-tenant.md).
 */
import { cycleCalendar } from '@verity/domain';

export const DEMO_TENANT = 'demo';
export const DEMO_WORKFLOW_ID = 'sales-4232';
/** The seed's last write; its presence says an earlier seed ran to the end. */
export const DEMO_API_KEY_NAME = 'demo integrator';
export const FROM = '2018-01-01';

// ---------------------------------------------------------------- the company

export interface OrgUnit {
  orgUnitId: string;
  parentId: string | null;
  kind: 'hq' | 'branch' | 'department' | 'team';
  name: string;
}

export interface Person {
  employeeId: string;
  name: string;
  email: string;
  orgUnitId: string;
  managerId: string | null;
  position: string;
  hiredFrom: string;
}

export const UNITS: OrgUnit[] = [
  { orgUnitId: 'hq', parentId: null, kind: 'hq', name: 'Head office' },
  { orgUnitId: 'hq-hr', parentId: 'hq', kind: 'department', name: 'Human resources' },
  ...(['east', 'west'] as const).flatMap((side): OrgUnit[] => {
    const Side = side === 'east' ? 'East' : 'West';
    return [
      { orgUnitId: `branch-${side}`, parentId: 'hq', kind: 'branch', name: `${Side} branch` },
      { orgUnitId: `sales-${side}`, parentId: `branch-${side}`, kind: 'department', name: `Sales, ${Side}` },
      { orgUnitId: `sales-${side}-a`, parentId: `sales-${side}`, kind: 'team', name: `${Side} team A` },
      { orgUnitId: `sales-${side}-b`, parentId: `sales-${side}`, kind: 'team', name: `${Side} team B` },
    ];
  }),
];

const SURNAMES = ['Chen', 'Huang', 'Lin', 'Zhang', 'Wu', 'Xu', 'Guo', 'He', 'Gao', 'Luo', 'Zheng'];
const GIVEN = ['Jing', 'Wei', 'Fang', 'Tao', 'Yan', 'Bo', 'Hong', 'Jun', 'Lan', 'Qiang', 'Rui', 'Xin'];
const person = (
  employeeId: string,
  name: string,
  orgUnitId: string,
  managerId: string | null,
  position: string,
  hiredFrom = FROM,
): Person => ({
  employeeId,
  name,
  email: `${name.toLowerCase().replace(/\s+/g, '.')}@demo.example`,
  orgUnitId,
  managerId,
  position,
  hiredFrom,
});

/** 50 people: 6 in the head office, 22 per branch (head, sales manager, two teams of a lead and 9). */
export function demoPeople(): Person[] {
  const people: Person[] = [
    person('e-1000', 'Zhou Ming', 'hq', null, 'Chief executive'),
    person('e-1001', 'Li Na', 'hq-hr', 'e-1000', 'HR director'),
    person('e-1002', 'Wang Lei', 'hq-hr', 'e-1001', 'HR officer, performance office'),
    person('e-1003', 'Zhao Min', 'hq-hr', 'e-1001', 'Process owner, sales performance'),
    person('e-1004', 'Sun Hui', 'hq', 'e-1000', 'Finance controller'),
    person('e-1005', 'Qian Yu', 'hq', 'e-1000', 'Data and IT manager'),
  ];
  // Surname × given name walked with coprime steps: 44 distinct names, none taken twice.
  const taken = new Set([
    ...people.map((p) => p.name),
    'Chen Jing',
    'Liu Yang',
    'Ma Jun',
    'Tang Li',
    'Feng Rui',
  ]);
  let n = 0;
  const nextName = () => {
    for (; ; n++) {
      const name = `${SURNAMES[n % SURNAMES.length]} ${GIVEN[(n * 7) % GIVEN.length]}`;
      if (!taken.has(name)) {
        taken.add(name);
        return name;
      }
    }
  };
  for (const [side, base, head, manager] of [
    ['east', 1100, 'Liu Yang', 'Ma Jun'],
    ['west', 1200, 'Tang Li', 'Feng Rui'],
  ] as const) {
    const Side = side === 'east' ? 'East' : 'West';
    people.push(person(`e-${base}`, head, `branch-${side}`, 'e-1000', `Head of the ${Side} branch`));
    people.push(person(`e-${base + 10}`, manager, `sales-${side}`, `e-${base}`, 'Sales department manager'));
    for (const [team, lead] of [
      ['a', base + 20],
      ['b', base + 30],
    ] as const) {
      const unit = `sales-${side}-${team}`;
      people.push(person(`e-${lead}`, nextName(), unit, `e-${base + 10}`, 'Sales team lead', '2018-06-01'));
      for (let i = 1; i <= 9; i++) {
        const hired = `${2019 + ((lead + i) % 7)}-${String(1 + ((lead * i) % 12)).padStart(2, '0')}-01`;
        const name = lead + i === 1121 ? 'Chen Jing' : nextName(); // the README tour's sales representative
        people.push(person(`e-${lead + i}`, name, unit, `e-${lead}`, 'Sales representative', hired));
      }
    }
  }
  return people;
}

/** Who the printed tokens act as, and the people the seed gives a particular story. */
export const CAST = {
  employee: 'e-1121', // the worked example of DOMAIN.md in the last month of history
  manager: 'e-1120', // Chen Jing's team lead
  hr: 'e-1002',
  processOwner: 'e-1003',
  planAwaitingApproval: 'e-1139',
  planReturned: 'e-1239',
  late: ['e-1120', 'e-1237'], // last month and the current review not filed: overdue
  redLine: 'e-1226',
  vetoWaived: 'e-1233',
  planChange: 'e-1224',
  returnedInHistory: 'e-1222',
  returnedNow: 'e-1134',
  // East team B's lead: his manager has one other report, so his peer ratings come from nominated
  // raters; his months not reviewed are waived, the worker scores the half, and a red line filed
  // afterwards makes the score stale until the worker scores it again.
  yearScored: 'e-1130',
  nominees: ['e-1131', 'e-1230'],
  // Proposes a peer from the other East team for his 360; his team lead has not decided yet.
  nominationPending: 'e-1122',
  pendingNominee: 'e-1135',
} as const;

// ---------------------------------------------------------------- the calendar

/** The half-year the demo runs in, from the real clock: its history so far and the review now due. */
export function demoCalendar(now: Date) {
  const month = now.getUTCMonth();
  let year = now.getUTCFullYear();
  let half: 1 | 2 = month < 6 ? 1 : 2;
  const cadence = { cycle: 'half-year', period: 'month' } as const;
  let periods = cycleCalendar(cadence, year, half).periods;
  let ended = periods.filter((period) => Date.parse(period.endsAt) <= now.getTime());
  // Early in a half there is too little history to show: take the previous half, all of it past.
  if (ended.length < 2) {
    if (half === 1) [year, half] = [year - 1, 2];
    else half = 1;
    periods = cycleCalendar(cadence, year, half).periods;
    ended = periods;
  }
  const ids = ended.map((period) => period.periodId);
  return {
    cycleId: `demo-${year}-h${half}`,
    name: `Sales ${year} H${half}`,
    year,
    half,
    periods: periods.map((period) => period.periodId),
    /** Reviewed, assessed and scored (with exceptions per person). */
    history: ids.slice(0, -1),
    /** The last month that ended: its review is due now and partly filed. */
    current: ids[ids.length - 1],
  };
}
export type DemoCalendar = ReturnType<typeof demoCalendar>;

/** The cycle ids an earlier seed may have used (this half and the ones before). */
export function recentCycleIds(now: Date): string[] {
  const ids: string[] = [];
  let year = now.getUTCFullYear();
  let half = now.getUTCMonth() < 6 ? 1 : 2;
  for (let i = 0; i < 4; i++) {
    ids.push(`demo-${year}-h${half}`);
    if (half === 1) [year, half] = [year - 1, 2];
    else half = 1;
  }
  return ids;
}

// ---------------------------------------------------------------- deterministic variety

/** A number in [0, 1) fixed by the label: the same demo on every machine, no Math.random. */
export function chance(label: string): number {
  let hash = 2166136261;
  for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 16777619);
  hash = Math.imul(hash ^ (hash >>> 15), 2246822507);
  hash = Math.imul(hash ^ (hash >>> 13), 3266489909);
  return ((hash ^ (hash >>> 16)) >>> 0) / 4294967296;
}

const round = (value: number, step: number) => Math.round(value / step) * step;

export type Actuals = { sales_volume: number; receivables: string; inventory: number; product_mix: number };

/** DOMAIN.md's worked example: 87.30, grade B, product mix at 82.5 % of target vetoes the bonus. */
const WORKED_EXAMPLE: Actuals = { sales_volume: 950, receivables: '2.2', inventory: 450, product_mix: 330 };
const FEATURED_MONTHS: Actuals[] = [
  { sales_volume: 1010, receivables: '2.1', inventory: 520, product_mix: 360 },
  { sales_volume: 940, receivables: '2.4', inventory: 560, product_mix: 350 },
  { sales_volume: 1060, receivables: '1.9', inventory: 480, product_mix: 410 },
  { sales_volume: 990, receivables: '2.3', inventory: 470, product_mix: 380 },
];

/** A month's actuals around the template's levels, by the person's form and the month's luck. */
export function actualsOf(employeeId: string, periodId: string, calendar: DemoCalendar): Actuals {
  if (employeeId === CAST.employee) {
    if (periodId === calendar.history[calendar.history.length - 1]) return WORKED_EXAMPLE;
    if (periodId === calendar.current)
      return { sales_volume: 1040, receivables: '1.9', inventory: 460, product_mix: 390 };
    return FEATURED_MONTHS[calendar.history.indexOf(periodId) % FEATURED_MONTHS.length];
  }
  const form = chance(employeeId);
  const luck = (what: string) => chance(`${employeeId}/${periodId}/${what}`) - 0.5;
  const actuals: Actuals = {
    sales_volume: round(820 + 330 * form + 180 * luck('volume'), 5),
    receivables: (Math.round((2.55 - 0.9 * form + 0.5 * luck('receivables')) * 10) / 10).toFixed(1),
    inventory: round(610 - 190 * form + 90 * luck('inventory'), 5),
    product_mix: round(310 + 170 * form + 100 * luck('mix'), 5),
  };
  // The waiver's story needs a breached veto in the first month.
  if (employeeId === CAST.vetoWaived && periodId === calendar.history[0]) actuals.product_mix = 320;
  return actuals;
}

// ---------------------------------------------------------------- what people write

export const GAP_REASONS = [
  'Two distributor orders slipped into the next month',
  'A key customer postponed its spring order',
  'Price competition in the northern districts',
  'Shipping delays at the regional warehouse',
];
export const IMPROVEMENT_ACTIONS: Record<string, string[]> = {
  sales_volume: ['Weekly pipeline review with the two largest distributors', 'Visit ten new retailers'],
  receivables: ['Call every invoice over 30 days each Monday', 'Agree payment plans with three customers'],
  inventory: ['Return slow-moving stock to the central warehouse', 'Order weekly instead of monthly'],
  product_mix: ['Bundle the new product line with the best sellers', 'Train the team on the new line'],
};
export const ANNOTATIONS = [
  'Discussed in the monthly meeting',
  'Good recovery in the second half of the month',
  'Please bring the distributor forecast to the next review',
];

/** The goal and measures of the demo's key actions, by indicator (a plan change lists them again). */
export const KEY_ACTION_TEXTS = {
  product_mix: {
    goal: 'Grow product-mix sales to the target of 400 units a month',
    measures: 'Present the new product line to every key account; monthly mix review',
  },
  receivables: {
    goal: 'Keep receivables under 2.0 M',
    measures: 'Weekly call list of invoices over 30 days',
  },
} as const;
export type KeyActionIndicator = keyof typeof KEY_ACTION_TEXTS;
