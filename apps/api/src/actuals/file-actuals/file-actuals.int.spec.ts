import { catchUpProcessManagers } from '../../../../worker/src/process-managers/testing/catch-up';
import { EVENT_STORE } from '../../event-store/event-store.provider';
import { bearer, tokenFor } from '../../testing/api-test-kit';
import { tenantOnTestApi } from '../../testing/tenant-fixture';
import { FiledActualsResponse } from './file-actuals.response';

const TENANT = 'actuals-a';
const INDICATORS = ['sales_volume', 'receivables', 'inventory', 'product_mix'];
const MONTHS = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`);

/**
 * Actuals from other systems (docs/adr/0116): an integrator with `actuals:write` files many people's
 * figures in one request, per-row results, dry run, CSV; a bad row is refused with its reason and
 * writes nothing; the person disputes an imported figure and the manager resolves it.
 */
describe('filing actuals from other systems (POST /actuals/bulk)', () => {
  let integrator: Record<string, string>;
  let appraisals: { employeeId: string; appraisalId: string }[];

  const t = tenantOnTestApi(TENANT);

  beforeAll(async () => {
    integrator = bearer(
      await tokenFor(t.config, {
        role: 'integrator',
        tenant: TENANT,
        sub: 'erp-bridge',
        scope: 'actuals:write',
      }),
    );
    // 21 more sales people and a 2026 cycle over sales: 25 appraisals, 1,200 figures to file.
    const hires = Array.from({ length: 21 }, (_, i) => ({
      command: 'HireEmployee',
      employeeId: `e-s${i}`,
      orgUnitId: 'sales',
      managerId: 'e-mgr',
      position: null,
      name: `Seller ${i}`,
      effectiveFrom: '2025-06-01',
    }));
    await t.importDirectory(hires, 'hire');
    await t.openCycle({ cycleId: 'c2026', name: 'Sales 2026', year: 2026 });
    const cycle = async () => t.ok(await t.http().get('/cycles/c2026').set(t.headers.hr), 'cycle').body;
    await catchUpProcessManagers(
      t.app.get(EVENT_STORE),
      TENANT,
      async () => (await cycle()).opening.done,
      60_000,
    );
    appraisals = (await cycle()).opened.appraisals.map(
      (entry: { appraisalId: string; subject: { employeeId: string } }) => ({
        employeeId: entry.subject.employeeId,
        appraisalId: entry.appraisalId,
      }),
    );
    expect(appraisals).toHaveLength(25);
  }, 180_000);

  /** People the 1,000-row file leaves alone (it covers the first 21 appraisals), not the manager or Bob. */
  const untouched = () =>
    appraisals.slice(21).filter((entry) => !['e-mgr', 'e-bob'].includes(entry.employeeId));
  const appraisalOf = (employeeId: string) =>
    appraisals.find((entry) => entry.employeeId === employeeId)!.appraisalId;
  const period = async (employeeId: string, periodId: string) =>
    t.ok(
      await t
        .http()
        .get(`/appraisals/${appraisalOf(employeeId)}`)
        .set(t.headers.hr),
      'read',
    ).body.state.periods[periodId];

  it('needs the actuals:write scope (integrators) or HR', async () => {
    const noScope = bearer(
      await tokenFor(t.config, { role: 'integrator', tenant: TENANT, scope: 'events:read' }),
    );
    const row = {
      appraisalId: appraisalOf('e-ann'),
      periodId: '2026-01',
      indicatorId: 'sales_volume',
      actual: '1',
      system: 'erp',
    };
    const refused = await t
      .http()
      .post('/actuals/bulk')
      .set(noScope)
      .send({ rows: [row] });
    expect([refused.status, refused.body.code]).toEqual([403, 'scope-missing']);
    const employee = await t
      .http()
      .post('/actuals/bulk')
      .set(t.headers.ann)
      .send({ rows: [row] });
    expect(employee.status).toBe(403);
  });

  it('files 1,000 actuals of 25 people in one request: dry run first, a result per row, and again changes nothing', async () => {
    const rows = appraisals
      .flatMap(({ appraisalId }) =>
        MONTHS.flatMap((periodId) =>
          INDICATORS.map((indicatorId, i) => ({
            appraisalId,
            periodId,
            indicatorId,
            actual: String(900 + i * 10 + Number(periodId.slice(5))),
            system: 'erp',
            reference: `${periodId}/${indicatorId}`,
          })),
        ),
      )
      .slice(0, 1000);
    const dry = t.ok(
      await t.http().post('/actuals/bulk').set(integrator).send({ dryRun: true, rows }),
      'dry run',
    ).body;
    expect(dry).toMatchObject({ dryRun: true, wouldFile: 1000, filed: 0, refused: 0 });
    expect((await period('e-ann', '2026-01')).imported).toBeUndefined();

    const started = process.hrtime.bigint();
    const filed = t.ok(await t.http().post('/actuals/bulk').set(integrator).send({ rows }), 'file').body;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // A figure to read, not a limit: timings belong to benchmarks (this machine is shared).
    console.log(`POST /actuals/bulk: 1,000 actuals of 25 appraisals in ${ms.toFixed(0)} ms`);
    expect(filed).toMatchObject({ dryRun: false, filed: 1000, refused: 0 });
    expect(filed.rows[0]).toMatchObject({ row: 1, status: 'filed', eventId: expect.any(String) });

    const again = t.ok(await t.http().post('/actuals/bulk').set(integrator).send({ rows }), 'again').body;
    expect(again).toMatchObject({ filed: 0, unchanged: 1000, refused: 0 });
    for (const answer of [dry, filed, again])
      expect(FiledActualsResponse.safeParse(answer).error?.issues).toBeUndefined();

    const january = await period(appraisals[0].employeeId, '2026-01');
    expect(january.imported.sales_volume).toEqual({
      actual: '901',
      system: 'erp',
      reference: '2026-01/sales_volume',
      dispute: 'none',
    });
    expect(january.actuals.sales_volume).toBe('901');
  }, 120_000);

  it('refuses each bad row of a CSV with its reason and writes nothing for it; the good rows are filed', async () => {
    const { employeeId: person, appraisalId: bob } = untouched()[0];
    const csv = [
      'appraisalId,periodId,indicatorId,actual,system,reference',
      `${bob},2026-12,sales_volume,1111,erp,SO-1`,
      `${bob},2026-12,receivables,lots,finance,AR-1`,
      `${bob},2026-12,smiles,3,crm,`,
      `${bob},2026-12,inventory,420,erp,`,
    ].join('\n');
    const answer = t.ok(
      await t.http().post('/actuals/bulk').set(integrator).set('Content-Type', 'text/csv').send(csv),
      'csv',
    ).body;
    expect(answer).toMatchObject({ filed: 2, refused: 2 });
    // Refused rows too are what OpenAPI describes (code, detail, the fields at fault).
    expect(FiledActualsResponse.safeParse(answer).error?.issues).toBeUndefined();
    expect(answer.rows[1]).toMatchObject({
      row: 2,
      status: 'refused',
      code: 'invalid-row',
      errors: [expect.objectContaining({ path: 'actual' })],
    });
    expect(answer.rows[2]).toMatchObject({
      row: 3,
      status: 'refused',
      code: 'invalid-actual',
      errors: [expect.objectContaining({ path: 'indicatorId', rule: 'indicator-unknown' })],
    });
    const december = await period(person, '2026-12');
    expect(Object.keys(december.imported).sort()).toEqual(['inventory', 'sales_volume']);
    expect(december.actuals.receivables).toBeUndefined();
  });

  it('finds the appraisal from the cycle and the employee, as another system names it', async () => {
    const { employeeId } = untouched()[0];
    const named = [
      'cycleId,employeeId,periodId,indicatorId,actual,system',
      `c2026,${employeeId},2026-11,product_mix,333,erp`,
      `c2026,e-nobody,2026-11,product_mix,1,erp`,
      `,${employeeId},2026-11,product_mix,1,erp`,
    ].join('\n');
    const answer = t.ok(
      await t.http().post('/actuals/bulk').set(integrator).set('Content-Type', 'text/csv').send(named),
      'csv by employee',
    ).body;
    expect(answer.rows.map((row: { status: string; code?: string }) => [row.status, row.code])).toEqual([
      ['filed', undefined],
      ['refused', 'not-found'],
      ['refused', 'invalid-row'],
    ]);
    expect((await period(employeeId, '2026-11')).imported.product_mix).toMatchObject({ actual: '333' });
  });

  it('lets the person dispute an imported figure and the manager resolve it; meanwhile the figure is not replaced', async () => {
    const { employeeId: person, appraisalId: cai } = untouched()[1];
    const row = {
      appraisalId: cai,
      periodId: '2026-02',
      indicatorId: 'inventory',
      actual: '480',
      system: 'erp',
    };
    t.ok(
      await t
        .http()
        .post('/actuals/bulk')
        .set(t.headers.hr)
        .send({ rows: [row] }),
      'file',
    );
    const cai_ = bearer(await tokenFor(t.config, { role: 'employee', tenant: TENANT, employeeId: person }));
    const stranger = await t
      .http()
      .post(`/appraisals/${cai}/dispute-actual`)
      .set(t.headers.bob)
      .send({ periodId: '2026-02', indicatorId: 'inventory', reason: 'not mine to say' });
    expect(stranger.status).toBe(403);
    t.ok(
      await t.http().post(`/appraisals/${cai}/dispute-actual`).set(cai_).send({
        periodId: '2026-02',
        indicatorId: 'inventory',
        reason: 'Stock moved to the West warehouse on the 27th',
      }),
      'dispute',
    );
    const replaced = t.ok(
      await t
        .http()
        .post('/actuals/bulk')
        .set(integrator)
        .send({ rows: [{ ...row, actual: '490' }] }),
      'replace',
    ).body;
    expect(replaced.rows[0]).toMatchObject({ status: 'refused', code: 'actual-disputed' });
    t.ok(
      await t.http().post(`/appraisals/${cai}/resolve-actual-dispute`).set(t.headers.mgr).send({
        periodId: '2026-02',
        indicatorId: 'inventory',
        outcome: 'corrected',
        actual: '455',
        reason: 'Transfer confirmed by logistics',
      }),
      'resolve',
    );
    const february = await period(person, '2026-02');
    expect(february.imported.inventory).toMatchObject({ actual: '455', system: 'erp', dispute: 'corrected' });
    expect(february.actuals.inventory).toBe('455');
  });
});
