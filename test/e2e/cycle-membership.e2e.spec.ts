import { randomUUID } from 'node:crypto';
import { joinerAppraisalId, sales4232Workflow } from '@verity/domain';
import { TestApiClient, type Caller } from '../support/api-client';
import { hire, unit } from '../support/directory-rows';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { openCycle, setUpTenant } from '../support/tenant-setup';

/**
 * People who join and leave during a cycle (ADR 0146), through the real API and worker processes:
 * HR only records the facts in the directory, and the workflow's membership rule does the rest — a
 * joiner's appraisal with the months before the hire waived, a leaver's appraisal withdrawn, its
 * steps gone from the inbox and every further command refused, naming the rule.
 */
const TENANT = `members-${randomUUID().slice(0, 8)}`;

type Appraisal = {
  state: {
    status: string;
    periods: Record<string, { periodId: string; status: string }>;
    withdrawal?: { cause: string; effectiveFrom: string };
  };
};
type Inbox = { items: { appraisalId: string; stepKey: string }[] };

describe('a cycle whose workflow states who joins and leaves', () => {
  let stack: Stack;
  let client: TestApiClient;
  const hr: Caller = { role: 'hr' };
  const bob: Caller = { role: 'employee', employeeId: 'e-bob' };

  beforeAll(async () => {
    stack = await startStack();
    client = new TestApiClient(stack.base, TENANT, () => stack.api.output().slice(-3000));
    await setUpTenant(client, {
      company: 'Members Co',
      directory: [
        unit('hq', null, 'hq'),
        unit('sales', 'hq', 'department'),
        hire('e-head', 'hq', null),
        hire('e-mgr', 'sales', 'e-head'),
        hire('e-ann', 'sales', 'e-mgr'),
        hire('e-bob', 'sales', 'e-mgr'),
      ],
      workflow: {
        ...sales4232Workflow,
        membership: {
          joiners: { open: 'if-hired-before', cutoffDaysBeforeEnd: 92 },
          leavers: { appraisal: 'withdraw' },
        },
      },
    });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('opens a joiner’s appraisal with the early months waived and withdraws a leaver’s', async () => {
    const cycle = await openCycle(client, { cycleId: 'c2026', year: 2026, orgUnitIds: ['sales'] });
    const bobs = cycle.opened.appraisals.find((entry) => entry.subject.employeeId === 'e-bob')!.appraisalId;
    await eventually(
      async () => (await client.get<Inbox>('/inbox', bob)).items.some((item) => item.appraisalId === bobs),
      120_000,
      "Bob's plan step in his inbox",
    );

    await client.command('/directory/import', hr, {
      rows: [
        { ...hire('e-cy', 'sales', 'e-mgr'), effectiveFrom: '2026-04-14' },
        { command: 'RecordEmployeeLeft', employeeId: 'e-bob', effectiveFrom: '2026-05-31' },
      ],
    });

    const cys = joinerAppraisalId(TENANT, 'c2026', 'e-cy');
    const joined = await eventually(
      async () => {
        const reply = await client.call<Appraisal>('GET', `/appraisals/${cys}`, hr);
        return reply.status === 200 && reply.body;
      },
      120_000,
      "Cy's appraisal opened",
    );
    expect(
      Object.values(joined.state.periods)
        .filter((period) => period.status === 'waived')
        .map((period) => period.periodId),
    ).toEqual(['2026-01', '2026-02', '2026-03']);

    const left = await eventually(
      async () => {
        const read = await client.get<Appraisal>(`/appraisals/${bobs}`, hr);
        return read.state.status === 'withdrawn' && read;
      },
      120_000,
      "Bob's appraisal withdrawn",
    );
    expect(left.state.withdrawal).toEqual({ cause: 'employee-left', effectiveFrom: '2026-05-31' });
    await eventually(
      async () => !(await client.get<Inbox>('/inbox', bob)).items.some((item) => item.appraisalId === bobs),
      120_000,
      "Bob's steps gone from his inbox",
    );
    const refused = await client.call('POST', `/appraisals/${bobs}/submit-plan`, bob, {
      targets: [{ indicatorId: 'sales_volume', threshold: 800, target: 1000, stretch: 1200 }],
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'appraisal-withdrawn' });
    expect(JSON.stringify(refused.body)).toContain('membership.leavers');
  }, 600_000);
});
