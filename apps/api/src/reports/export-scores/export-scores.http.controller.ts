import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Inject, Res } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { readableAppraisees, valueAt } from '@verity/domain';
import { PG_POOL } from '@verity/platform';
import { scoreReportRows, type ScoreReportRow } from '@verity/projections';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { CLOCK, type Clock } from '../../clock/clock';
import { OrgRelations } from '../../directory/org-relations';
import { unitScope } from '../../directory/unit-scope';
import { rawResponse } from '../../integrations/feed/events-feed.http.controller';
import { ApiFileAnswer } from '../../openapi/file-answer';
import { ValidQuery } from '../../validation/zod.pipe';
import { ExportScoresQuery, REPORT_FORMATS, SCORE_REPORT_COLUMNS } from './export-scores.request';
import { ScoreReportCsvLine } from './export-scores.response';
import { ApiController, Route } from '../../openapi/route';
import { PERSON_ROLES_AND_AUDITOR } from '../../auth/role-sets';

type ReportLine = ScoreReportRow & { orgUnitName: string | null };

/**
 * Scores by unit, cycle and period as CSV or XLSX, streamed: lines are read from the score read model
 * a batch at a time and written as they come. The caller sees what the score screens show them
 * (HR, process owners, auditors: everyone; others: themselves and the people they manage).
 */
@ApiController('reports')
export class ExportScoresController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly relations: OrgRelations,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Route('GET', 'scores', {
    roles: PERSON_ROLES_AND_AUDITOR,
    summary:
      'Scores by unit, cycle and period (each scored period, and the annual or running result) as CSV or XLSX, streamed',
  })
  @ApiFileAnswer({
    description: 'The report as a file (`format`: csv, the default, or xlsx)',
    media: [
      {
        type: REPORT_FORMATS.csv.contentType,
        description: `CSV with a header line (${SCORE_REPORT_COLUMNS.map(([, header]) => header).join(', ')}), then one line per scored period or annual result`,
        line: ScoreReportCsvLine,
      },
      {
        type: REPORT_FORMATS.xlsx.contentType,
        description: 'A workbook with one sheet, "scores": the same columns, scores as numbers',
      },
    ],
    headers: {
      'Content-Disposition': 'attachment; filename="scores-<cycleId>[-<periodId>].<csv|xlsx>"',
      'Cache-Control': 'no-store',
    },
  })
  async scores(
    @CurrentPrincipal() me: Principal,
    @ValidQuery(ExportScoresQuery) query: z.output<typeof ExportScoresQuery>,
    @Res() response: unknown,
  ): Promise<void> {
    // Everything that can be refused is checked before the first byte: after it, no problem+json.
    const today = this.clock.now().toISOString();
    const directory = await this.relations.directory(me.tenantId);
    const orgUnitIds = query.orgUnitId
      ? unitScope(directory, query.orgUnitId, query.includeSubUnits, today)
      : undefined;
    const employeeIds = readableAppraisees(me, directory, today);
    const nameOf = (orgUnitId: string) =>
      directory.status === 'empty' || !directory.orgUnits[orgUnitId]
        ? null
        : (valueAt(directory.orgUnits[orgUnitId].name, today.slice(0, 10)) ?? null);
    const batches = scoreReportRows(this.pool, me.tenantId, {
      cycleId: query.cycleId,
      orgUnitIds,
      employeeIds,
      periodId: query.periodId,
    });
    const lines = async function* (): AsyncGenerator<ReportLine> {
      for await (const batch of batches)
        for (const row of batch) yield { ...row, orgUnitName: nameOf(row.orgUnitId) };
    };

    const format = REPORT_FORMATS[query.format];
    const raw = rawResponse(response);
    raw.statusCode = 200;
    raw.setHeader('Content-Type', format.contentType);
    raw.setHeader(
      'Content-Disposition',
      `attachment; filename="scores-${query.cycleId}${query.periodId ? `-${query.periodId}` : ''}.${format.extension}"`,
    );
    raw.setHeader('Cache-Control', 'no-store');
    if (query.format === 'csv') await writeCsv(raw, lines());
    else await writeXlsx(raw, lines());
  }
}

async function writeCsv(raw: ServerResponse, lines: AsyncIterable<ReportLine>): Promise<void> {
  const csv = stringify({
    header: true,
    columns: SCORE_REPORT_COLUMNS.map(([key, header]) => ({ key, header })),
    cast: { boolean: (value) => String(value) },
  });
  csv.pipe(raw);
  for await (const line of lines) {
    // Respect the client's pace: wait for the buffer to drain before the next line.
    if (!csv.write(line)) await once(csv, 'drain');
  }
  csv.end();
  await once(raw, 'finish');
}

async function writeXlsx(raw: ServerResponse, lines: AsyncIterable<ReportLine>): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: raw,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('scores');
  sheet.columns = SCORE_REPORT_COLUMNS.map(([key, header]) => ({ key, header }));
  const numeric = new Set(['score', 'bonusCoefficient', 'behaviourScore', 'behaviourWeight']);
  for await (const line of lines) {
    sheet
      .addRow(
        Object.fromEntries(
          SCORE_REPORT_COLUMNS.map(([key]) => {
            const value = line[key];
            // Scores are exact decimal strings; a spreadsheet sums numbers, so they are written as numbers.
            return [key, numeric.has(key) && typeof value === 'string' ? Number(value) : value];
          }),
        ),
      )
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}
