import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Pool } from 'pg';
import { PostgresEventStore } from '@verity/event-store';
import { PG_POOL } from '@verity/platform';
import { scoreProjection, scoreReportRows } from '@verity/projections';
import { ConsumerPump } from '@verity/integrations/testing/consumer-pump';
import { tenantOnTestApi, setUpTenant, type TenantFixture } from '../../testing/tenant-fixture';
import { ScoreReportCsvLine } from './export-scores.response';

type Who = keyof TenantFixture['headers'];

/**
 * The score report as CSV and XLSX, from the score read model (pumped here as the worker would):
 * ann scored in January (87.30, the worked example) and February (91.30), bob in January (91.30),
 * cai and their manager not yet; each reader gets the lines the score screens show them, and another tenant none.
 */
describe('GET /reports/scores (CSV and XLSX)', () => {
  let pool: Pool;
  let other: TenantFixture;
  let ann: string;
  let bob: string;
  let cai: string;

  const actuals = (sales: number) => [
    { indicatorId: 'sales_volume', actual: sales },
    { indicatorId: 'receivables', actual: '2.2' },
    { indicatorId: 'inventory', actual: 450 },
    { indicatorId: 'product_mix', actual: 330 },
  ];

  const t = tenantOnTestApi('report-a');

  beforeAll(async () => {
    pool = t.app.get<Pool>(PG_POOL);
    other = await setUpTenant(t.app, t.config, 'report-b');
    [ann, bob, cai] = await Promise.all(['e-ann', 'e-bob', 'e-cai'].map((id) => t.appraisalOf(id)));
    const scoreMonth = async (who: Who, appraisal: string, periodId: string, sales: number) => {
      await t.send(who, appraisal, 'file-period-review', {
        periodId,
        actuals: actuals(sales),
        attachments: [{ indicatorId: 'product_mix', ref: 'doc-17' }],
      });
      await t.send('mgr', appraisal, 'assess-period-review', { periodId, corrections: [] });
      await t.send('mgr', appraisal, 'score-period', { periodId });
    };
    for (const [who, appraisal] of [
      ['ann', ann],
      ['bob', bob],
    ] as const) {
      await t.send(who, appraisal, 'submit-plan', {});
      await t.send('mgr', appraisal, 'approve-plan');
    }
    await scoreMonth('ann', ann, '2025-01', 950);
    await scoreMonth('ann', ann, '2025-02', 1000);
    await scoreMonth('bob', bob, '2025-01', 1000);
    await new ConsumerPump(pool, new PostgresEventStore(pool), scoreProjection, [
      t.tenant,
      other.tenant,
    ]).drain();
  });

  const csvOf = async (who: Who, query: string, fixture: TenantFixture = t) => {
    const response = await fixture.http().get(`/reports/scores?${query}`).set(fixture.headers[who]);
    fixture.ok(response, `report ${query}`);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="scores-c2025(-[^"]+)?\.csv"$/,
    );
    const rows = parse(response.text, { columns: true }) as Record<string, string>[];
    // Each line, read by the header, is what OpenAPI describes.
    for (const row of rows) expect(ScoreReportCsvLine.safeParse(row).error?.issues).toBeUndefined();
    return rows;
  };
  const brief = (rows: Record<string, string>[]) =>
    rows.map((row) => [row.employee, row.period, row.basis, row.score, row.grade].join(' '));

  it('lists each scored period and the annual (running) result by unit, with the exact scores', async () => {
    const rows = await csvOf('hr', 'cycleId=c2025');
    expect(Object.keys(rows[0])).toEqual([
      'cycle',
      'org unit',
      'org unit name',
      'employee',
      'appraisal',
      'period',
      'basis',
      'score',
      'grade',
      'bonus coefficient',
      'vetoed',
      'behaviour score',
      'behaviour weight',
      'status',
    ]);
    // The workflow has no weekly plans: no behaviour part on any line (ADR 0131).
    expect(rows.every((row) => row['behaviour score'] === '' && row['behaviour weight'] === '')).toBe(true);
    // Sorted by unit, then appraisal id: compare as a set of lines.
    expect(brief(rows).sort()).toEqual(
      [
        // 0.4·90 + 0.2·84 + 0.15·110 + 0.25·72 = 87.30; with 1,000 units sold, 0.4·100 + … = 91.30
        'e-ann 2025-01 period 87.30 B',
        'e-ann 2025-02 period 91.30 A',
        // the running annual score: (87.30 + 91.30) / 2
        'e-ann annual running 89.30 B',
        'e-bob 2025-01 period 91.30 A',
        'e-bob annual running 91.30 A',
        'e-cai annual running  ',
        'e-mgr annual running  ',
      ].sort(),
    );
    expect(rows.every((row) => row['org unit'] === 'sales' && row['org unit name'] === 'Sales')).toBe(true);
    expect(rows.find((row) => row.appraisal === ann && row.period === '2025-01')).toMatchObject({
      vetoed: 'true',
      'bonus coefficient': '0',
    });
    // Read a batch of appraisals at a time: batches of one give the same lines.
    const batches = [];
    for await (const batch of scoreReportRows(pool, t.tenant, { cycleId: 'c2025' }, 1)) batches.push(batch);
    expect(batches.length).toBe(4); // ann, bob, cai, mgr
    expect(batches.flat().map((line) => `${line.appraisalId} ${line.periodId}`)).toEqual(
      rows.map((row) => `${row.appraisal} ${row.period}`),
    );
    const february = await csvOf('hr', 'cycleId=c2025&periodId=2025-02');
    expect(brief(february)).toEqual(['e-ann 2025-02 period 91.30 A']);
    const annual = await csvOf('owner', 'cycleId=c2025&periodId=annual&orgUnitId=hq');
    expect(annual.map((row) => row.employee).sort()).toEqual(['e-ann', 'e-bob', 'e-cai', 'e-mgr']);
  });

  it('streams the same lines as an XLSX workbook', async () => {
    const response = await t
      .http()
      .get('/reports/scores?cycleId=c2025&format=xlsx')
      .set(t.headers.hr)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    t.ok(response, 'xlsx');
    expect(response.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(response.headers['content-disposition']).toBe('attachment; filename="scores-c2025.xlsx"');
    const workbook = new ExcelJS.Workbook();
    // exceljs's typings name an older Buffer type: the same bytes.
    await workbook.xlsx.load(response.body as Parameters<typeof workbook.xlsx.load>[0]);
    const sheet = workbook.getWorksheet('scores')!;
    const values = sheet.getSheetValues().slice(1) as unknown[][];
    expect(values[0].slice(1)).toEqual(expect.arrayContaining(['cycle', 'period', 'score', 'grade']));
    const header = values[0] as string[];
    const at = (name: string) => header.indexOf(name);
    const lines = values
      .slice(1)
      .map((row) => [row[at('employee')], row[at('period')], row[at('score')] ?? null].join(' '))
      .sort();
    expect(lines).toEqual(
      [
        'e-ann 2025-01 87.3',
        'e-ann 2025-02 91.3',
        'e-ann annual 89.3',
        'e-bob 2025-01 91.3',
        'e-bob annual 91.3',
        'e-cai annual ',
        'e-mgr annual ',
      ].sort(),
    );
  });

  it('shows each reader what the score screens show them, and another tenant nothing of this one', async () => {
    expect(new Set((await csvOf('mgr', 'cycleId=c2025')).map((row) => row.employee))).toEqual(
      new Set(['e-mgr', 'e-ann', 'e-bob', 'e-cai']),
    );
    expect(brief(await csvOf('ann', 'cycleId=c2025')).sort()).toEqual(
      ['e-ann 2025-01 period 87.30 B', 'e-ann 2025-02 period 91.30 A', 'e-ann annual running 89.30 B'].sort(),
    );
    expect((await csvOf('bob', 'cycleId=c2025')).map((row) => row.appraisal)).toEqual([bob, bob]);
    expect(await csvOf('zed', 'cycleId=c2025')).toEqual([]);
    const elsewhere = await csvOf('hr', 'cycleId=c2025', other);
    expect(elsewhere.length).toBe(4);
    expect(elsewhere.some((row) => [ann, bob, cai].includes(row.appraisal))).toBe(false);
    expect(elsewhere.every((row) => row.score === '')).toBe(true);
  });

  it('refuses bad input before the first byte, as problem+json naming the field', async () => {
    const format = await t.http().get('/reports/scores?cycleId=c2025&format=pdf').set(t.headers.hr);
    expect(format.status).toBe(400);
    expect(format.headers['content-type']).toMatch(/problem\+json/);
    expect(format.body.errors[0]).toMatchObject({ path: 'format' });
    const period = await t.http().get('/reports/scores?cycleId=c2025&periodId=2025-13').set(t.headers.hr);
    expect([period.status, period.body.errors[0].path]).toEqual([400, 'periodId']);
    const noCycle = await t.http().get('/reports/scores').set(t.headers.hr);
    expect([noCycle.status, noCycle.body.errors[0].path]).toEqual([400, 'cycleId']);
    const unit = await t.http().get('/reports/scores?cycleId=c2025&orgUnitId=nowhere').set(t.headers.hr);
    expect(unit.status).toBe(404);
  });
});
