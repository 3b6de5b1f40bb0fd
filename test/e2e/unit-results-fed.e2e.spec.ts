import { randomUUID } from 'node:crypto';
import { sales4232Workflow } from '@verity/domain';
import { TestApiClient, type Caller } from '../support/api-client';
import { hire, unit } from '../support/directory-rows';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { openCycle, setUpTenant } from '../support/tenant-setup';

/**
 * A unit's result feeds its head's appraisal by the workflow's rule, without anyone asking (ADR
 * 0125), across the real API and worker: the workflow says the sales department's sales volume (its
 * target rolled up over Ann, Bob and Cai) is the actual of its head Mia's sales volume. HR files the
 * people's January figures; the worker files 300 + 400 + 100 = 800 on Mia's appraisal, sourced from
 * the target tree. Ann's figure corrected to 500 gives 1,000; the same figures again file nothing.
 */
const TENANT = `unitfeed-${randomUUID().slice(0, 8)}`;

type Imported = Record<string, { actual: string; system: string; reference?: string }>;
type AppraisalRead = { state: { periods: Record<string, { imported?: Imported }> } };
type Trail = { items: { type: string; data: { source?: { system: string } }; actor: unknown }[] };

describe("a unit's result fed to its head as its people's actuals change", () => {
  let stack: Stack;
  let client: TestApiClient;
  const hr: Caller = { role: 'hr' };

  beforeAll(async () => {
    stack = await startStack();
    client = new TestApiClient(stack.base, TENANT, () => stack.api.output().slice(-3000));
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('files 800, then 1,000 after a correction, on the head’s appraisal; nothing twice', async () => {
    await setUpTenant(client, {
      company: 'Unit Feed Co',
      directory: [
        unit('hq', null, 'hq', 'HQ'),
        unit('sales', 'hq', 'department', 'Sales'),
        hire('e-boss', 'hq', null),
        // Mia heads Sales: its one member whose manager sits outside it.
        hire('e-mia', 'sales', 'e-boss'),
        hire('e-ann', 'sales', 'e-mia'),
        hire('e-bob', 'sales', 'e-mia'),
        hire('e-cai', 'sales', 'e-mia'),
      ],
      workflow: {
        ...sales4232Workflow,
        unitResults: [{ targetIndicatorId: 'sales_volume', headIndicatorId: 'sales_volume' }],
      },
    });
    const appraisals = (await openCycle(client, { cycleId: 'c2025', year: 2025, orgUnitIds: ['sales'] }))
      .opened.appraisals;
    const appraisalOf = (employeeId: string) =>
      appraisals.find((entry) => entry.subject.employeeId === employeeId)!.appraisalId;
    const target = (
      targetId: string,
      parentId: string | null,
      level: string,
      ownerId: string,
      amount: string,
    ) =>
      client.command('/cycles/c2025/targets', hr, {
        targetId,
        parentId,
        level,
        ownerId,
        indicatorId: 'sales_volume',
        unit: 'units',
        amount,
      });
    await target('company', null, 'company', TENANT, '30000');
    await target('sales', 'company', 'org-unit', 'sales', '27000');
    for (const person of ['e-ann', 'e-bob', 'e-cai']) await target(person, 'sales', 'person', person, '9000');

    /** HR files the people's January figures; a row whose appraisal moved meanwhile is sent again. */
    const file = async (figures: [string, string][]) => {
      type Answer = { rows: { row: number; status: string; code?: string }[] };
      let pending = figures;
      for (let attempt = 1; pending.length > 0; attempt++) {
        const answer = await client.command<Answer>('/actuals/bulk', hr, {
          rows: pending.map(([employeeId, actual]) => ({
            appraisalId: appraisalOf(employeeId),
            periodId: '2025-01',
            indicatorId: 'sales_volume',
            actual,
            system: 'erp',
          })),
        });
        const refused = answer.rows.filter((result) => result.status === 'refused');
        // Only a lost race is sent again; any other refusal, or a fifth lost race, fails the test.
        expect(refused.filter((result) => result.code !== 'wrong-expected-revision')).toEqual([]);
        if (attempt === 5) expect(refused).toEqual([]);
        pending = refused.map((result) => pending[result.row - 1]);
      }
    };
    const mia = appraisalOf('e-mia');
    const fedToMia = async () =>
      (await client.get<AppraisalRead>(`/appraisals/${mia}`, hr)).state.periods['2025-01'].imported
        ?.sales_volume;
    const fedEvents = async () =>
      (await client.get<Trail>(`/appraisals/${mia}/events?limit=500`, hr)).items.filter(
        (event) => event.type === 'ActualImported' && event.data.source?.system === 'target-tree',
      );

    await file([
      ['e-ann', '300'],
      ['e-bob', '400'],
      ['e-cai', '100'],
    ]);
    await eventually(
      async () => (await fedToMia())?.actual === '800',
      60_000,
      'the unit result 800 fed to Mia',
    );
    expect(await fedToMia()).toEqual(
      expect.objectContaining({ actual: '800', system: 'target-tree', reference: 'sales' }),
    );

    // Ann's figure corrected: the unit's result follows.
    await file([['e-ann', '500']]);
    await eventually(
      async () => (await fedToMia())?.actual === '1000',
      60_000,
      'the unit result 1000 fed to Mia',
    );

    // The same figures filed again change no actual: the feed records nothing new. The trail shows
    // each figure once, filed by the worker as the system.
    await file([
      ['e-bob', '400'],
      ['e-cai', '100'],
    ]);
    const hrAgain = await client.command<{ units: { result: { status: string } }[] }>(
      '/cycles/c2025/unit-results',
      hr,
      { periodId: '2025-01' },
    );
    expect(hrAgain.units.map((unit) => unit.result.status)).toEqual(['unchanged']);
    const fed = await fedEvents();
    expect(fed).toHaveLength(2);
    expect(fed.map((event) => event.actor)).toEqual([
      { id: 'unit-results', role: 'system' },
      { id: 'unit-results', role: 'system' },
    ]);
  }, 600_000);
});
