/**
 * The seed's steps: the company set up through the API (tenant, directory, workflow, cycle), then
 * one appraisal's story per person in scope, a few at a time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sales4232Workflow, weeklyPlanSteps } from '@verity/domain';
import { AppraisalStory } from './appraisal-story';
import { CAST, DEMO_WORKFLOW_ID, FROM, UNITS } from './data';
import { PROCESS_MANAGER_WAIT_MS, SeedError, type Company, type DemoApi } from './demo-api';
import { DEMO_WEEKLY_PLANS, seedTargetTree, seedWeeklyPlans } from './targets-and-weeks';

/** Runs `work` over `items` with at most `limit` at a time; the first failure stops the rest. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown = null;
  const lane = async () => {
    while (failed === null && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        failed ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failed !== null) throw failed;
}

export function appraisalOf(
  opened: { appraisals: { appraisalId: string; subject: { employeeId?: string } }[] },
  employeeId: string,
): string | null {
  return opened.appraisals.find((a) => a.subject.employeeId === employeeId)?.appraisalId ?? null;
}

export async function seedTenant(
  api: DemoApi,
  company: Company,
): Promise<{ appraisals: number; featured: string; openingMs: number }> {
  const { people, calendar } = company;
  const admin = await api.token('admin', undefined, `admin-${api.tenant}`);
  const hr = await api.token('hr', CAST.hr);
  const owner = await api.token('process-owner', CAST.processOwner);

  await api.post('/directory/tenant', admin, { name: 'Demo Manufacturing Co.' }, 'tenant');
  const rows = [
    ...UNITS.map((unit) => ({ command: 'CreateOrgUnit', ...unit, effectiveFrom: FROM })),
    ...people.map((p) => ({
      command: 'HireEmployee',
      employeeId: p.employeeId,
      orgUnitId: p.orgUnitId,
      managerId: p.managerId,
      position: p.position,
      name: p.name,
      email: p.email,
      effectiveFrom: p.hiredFrom,
    })),
    {
      command: 'AssignProcessOwner',
      employeeId: CAST.processOwner,
      process: DEMO_WORKFLOW_ID,
      orgUnitId: null,
      effectiveFrom: FROM,
    },
    // The performance office looks after every unit: escalations to HR reach it by name.
    { command: 'AssignHrPartner', employeeId: CAST.hr, orgUnitId: null, effectiveFrom: FROM },
  ];
  await api.post('/directory/import', hr, { rows }, 'directory');
  // The sales workflow of DOMAIN.md on a half-year cycle, so a few months of history fit one cycle.
  await api.post(
    `/workflows/${DEMO_WORKFLOW_ID}/versions`,
    owner,
    {
      definition: {
        ...sales4232Workflow,
        name: 'Sales, 4232 model (half-year cycle, monthly reviews)',
        cadence: { cycle: 'half-year', period: 'month' },
        weeklyPlans: DEMO_WEEKLY_PLANS,
        // The weekly plans timed as steps (ADR 0145), so the demo's inboxes and reminders carry them.
        steps: [...sales4232Workflow.steps, ...weeklyPlanSteps],
      },
    },
    'workflow',
  );
  await api.post(
    '/cycles',
    hr,
    {
      cycleId: calendar.cycleId,
      name: calendar.name,
      year: calendar.year,
      half: calendar.half,
      workflowId: DEMO_WORKFLOW_ID,
      workflowVersion: 1,
      orgUnitIds: ['sales-east', 'sales-west'],
    },
    'cycle',
  );
  // The worker's cycle-opening process manager opens one appraisal per person in scope. Timed from
  // the cycle's answer to the read that shows every appraisal opened (polled every 25 ms): issue 17
  // asks for the demo's 42 under 5 s.
  const openingFrom = Date.now();
  const opened = await cycleOpened(api, hr, calendar.cycleId);
  const openingMs = Date.now() - openingFrom;
  const entries: { appraisalId: string; subject: { employeeId: string } }[] = opened.appraisals;
  await inParallel(entries, company.concurrency ?? 6, async (entry) => {
    await new AppraisalStory(api, company, entry.appraisalId, entry.subject.employeeId).tell();
  });
  await seedTargetTree(api, company, hr);
  await seedWeeklyPlans(api, company);
  return { appraisals: entries.length, featured: appraisalOf(opened, CAST.employee)!, openingMs };
}

/** Waits until the process manager has opened every appraisal of the cycle; the cycle as opened. */
async function cycleOpened(api: DemoApi, token: string, cycleId: string) {
  const deadline = Date.now() + PROCESS_MANAGER_WAIT_MS;
  for (;;) {
    const cycle = await api.get(`/cycles/${cycleId}`, token);
    if (cycle.status !== 200) throw new SeedError(`GET /cycles/${cycleId}: ${cycle.status}`);
    if (cycle.body.opening.done) return cycle.body.opened;
    if (Date.now() > deadline)
      throw new SeedError(
        `cycle ${cycleId}: ${cycle.body.opening.progress} after ${PROCESS_MANAGER_WAIT_MS} ms (is the worker running?)`,
      );
    await sleep(25, undefined, { signal: api.signal });
  }
}
