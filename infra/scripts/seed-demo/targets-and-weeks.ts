/**
 * The seed's target tree and weekly plans: the cycle's sales-volume targets from the company down to
 * each person (company → East / West branches → sales teams → people), and Chen Jing's weekly plans of
 * the month now under review, annotated and scored by her team lead.
 */
import { isoWeeksOfMonth, datesOfIsoWeek } from '@verity/domain';
import { CAST, DEMO_TENANT } from './data';
import type { Company, DemoApi } from './demo-api';

/** A person's sales-volume target for the half-year: six months at the worked example's target of 1,000. */
export const PERSON_TARGET = 6000;
export const TEAMS = ['sales-east-a', 'sales-east-b', 'sales-west-a', 'sales-west-b'] as const;

/** The behaviour rubric the demo workflow defines for weekly plans (周行为分). */
export const DEMO_WEEKLY_PLANS = {
  rubric: [
    { id: 'reporting', name: 'Plans and reports on time, figures complete', weight: 40 },
    { id: 'execution', name: 'Carries out the planned actions and customer visits', weight: 60 },
  ],
  monthRollUp: 'average',
  weightInMonthlyScore: 20,
};

/** The ratings Chen Jing's team lead gives her four weeks: 82.00, 90.40, 75.00, 88.00 (month: 83.85). */
export const DEMO_WEEK_RATINGS: [number, number][] = [
  [70, 90],
  [100, 84],
  [75, 75],
  [85, 90],
];

export async function seedTargetTree(api: DemoApi, company: Company, hr: string): Promise<void> {
  const { cycleId } = company.calendar;
  const target = (
    targetId: string,
    parentId: string | null,
    level: string,
    ownerId: string,
    amount: number,
  ) =>
    api.post(
      `/cycles/${cycleId}/targets`,
      hr,
      {
        targetId,
        parentId,
        level,
        ownerId,
        indicatorId: 'sales_volume',
        unit: 'units',
        rollUp: 'sum',
        amount,
      },
      `targets/${targetId}`,
    );
  const membersOf = (team: string) => company.people.filter((person) => person.orgUnitId === team);
  const teamAmount = (team: string) => membersOf(team).length * PERSON_TARGET;
  const branches = ['east', 'west'].map((side) => ({
    side,
    teams: TEAMS.filter((team) => team.startsWith(`sales-${side}-`)),
  }));
  const branchAmount = (teams: readonly string[]) => teams.reduce((sum, team) => sum + teamAmount(team), 0);
  await target(
    'company-sales',
    null,
    'company',
    DEMO_TENANT,
    branches.reduce((sum, branch) => sum + branchAmount(branch.teams), 0),
  );
  for (const { side, teams } of branches) {
    await target(`branch-${side}-sales`, 'company-sales', 'org-unit', `branch-${side}`, branchAmount(teams));
    for (const team of teams) {
      await target(`${team}-sales`, `branch-${side}-sales`, 'org-unit', team, teamAmount(team));
      for (const person of membersOf(team))
        await target(
          `${person.employeeId}-sales`,
          `${team}-sales`,
          'person',
          person.employeeId,
          PERSON_TARGET,
        );
    }
  }
}

/** Chen Jing's weekly plans of the month under review: planned, summarized, annotated, scored. */
export async function seedWeeklyPlans(api: DemoApi, company: Company): Promise<void> {
  const { cycleId, current } = company.calendar;
  const employee = await api.as(CAST.employee, company.byId, company.managers);
  const lead = await api.as(CAST.manager, company.byId, company.managers);
  const weeks = isoWeeksOfMonth(current).slice(0, DEMO_WEEK_RATINGS.length);
  for (const [index, week] of weeks.entries()) {
    const planId = `${CAST.employee}.${week}`;
    const post = (action: string, token: string, body: object) =>
      api.post(`/weekly-plans/${planId}/${action}`, token, body, `weekly-plans/${planId}/${action}`);
    await post('submit', employee, {
      employeeId: CAST.employee,
      cycleId,
      week,
      items: [
        {
          itemId: 'sales',
          kind: 'number',
          text: 'Sell 250 units of the core range through the channel partners',
          targetId: `${CAST.employee}-sales`,
          planned: 250,
          externalRecords: [
            { system: 'crm', recordId: `cust-${4100 + index}`, label: 'Huadong Trading Co.' },
          ],
        },
        {
          itemId: 'mix',
          kind: 'number',
          text: 'Place 100 units of the new product mix',
          planned: 100,
        },
        {
          itemId: 'visits',
          kind: 'action',
          text: 'Visit the two largest distributors with the new price list',
        },
      ],
      days: [
        { date: datesOfIsoWeek(week)[1], itemIds: ['visits'], note: 'Distributor in Suzhou' },
        { date: datesOfIsoWeek(week)[3], itemIds: ['visits', 'mix'], note: 'Distributor in Wuxi' },
      ],
    });
    await post('summary', employee, {
      results: [
        { itemId: 'sales', actual: 230 + 10 * index },
        { itemId: 'mix', actual: 80 + 5 * index },
        { itemId: 'visits', done: index !== 2 },
      ],
      summary:
        index === 2
          ? 'Short on both figures: the Wuxi visit moved to next week'
          : 'Core range close to plan; the product mix is still behind',
    });
    await post('annotations', lead, { itemId: 'mix', text: 'Bundle the new mix with the core range orders' });
    const [reporting, execution] = DEMO_WEEK_RATINGS[index];
    await post('score', lead, {
      ratings: [
        { criterionId: 'reporting', score: reporting },
        { criterionId: 'execution', score: execution },
      ],
    });
  }
}
