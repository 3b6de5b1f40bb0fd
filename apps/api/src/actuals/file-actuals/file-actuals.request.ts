import { z } from 'zod';
import { Id, appraisalCommandSchemas } from '@verity/domain';
import type { FieldIssue } from '../../errors/problem';
import { invalidRowsBody, isCsv, readCsvRows, rowIssuesOf } from '../../validation/rows-body';

export const MAX_ACTUAL_ROWS = 5000;

const ImportActual = appraisalCommandSchemas.ImportActual;
/**
 * One row: an appraisal's actual for one indicator and period, and where it comes from. The appraisal
 * is named by its id, or by the cycle and the employee (what another system knows).
 */
export const ActualRow = z
  .strictObject({
    appraisalId: ImportActual.shape.appraisalId.optional(),
    cycleId: Id.optional(),
    employeeId: Id.optional(),
    periodId: ImportActual.shape.periodId,
    indicatorId: ImportActual.shape.indicatorId,
    actual: ImportActual.shape.actual,
    /** The system the figure comes from (e.g. `erp`), and its own record id. */
    system: ImportActual.shape.source.shape.system,
    reference: ImportActual.shape.source.shape.reference,
  })
  .refine(
    (row) => (row.appraisalId === undefined) === (row.cycleId !== undefined && row.employeeId !== undefined),
    {
      path: ['appraisalId'],
      message: 'name the appraisal: appraisalId, or cycleId and employeeId',
    },
  );
export type ActualRow = z.output<typeof ActualRow>;

export const FileActualsJson = z.strictObject({
  /** Checks every row and answers what would be filed, writing nothing. */
  dryRun: z.boolean().default(false),
  rows: z.array(z.unknown()).min(1).max(MAX_ACTUAL_ROWS),
});

export const FileActualsQuery = z.strictObject({
  /** For CSV bodies (`text/csv`): `true` checks and answers without writing. */
  dryRun: z.enum(['true', 'false']).default('false'),
});

export const actualsCsvExample = `appraisalId,periodId,indicatorId,actual,system,reference
456dea0d-2573-4991-955d-14a014f2c7a5,2026-11,sales_volume,1020,erp,SO-2026-11-0042
456dea0d-2573-4991-955d-14a014f2c7a5,2026-11,receivables,2.1,finance,AR-11`;

export const actualsJsonExample = {
  dryRun: false,
  rows: [
    {
      appraisalId: '456dea0d-2573-4991-955d-14a014f2c7a5',
      periodId: '2026-11',
      indicatorId: 'sales_volume',
      actual: '1020',
      system: 'erp',
      reference: 'SO-2026-11-0042',
    },
  ],
};

export type ParsedRow = { row: number; value: ActualRow } | { row: number; issues: FieldIssue[] };

/** Rows from a CSV or JSON body, each checked on its own: a bad row is reported, the others go on. */
export function readActualRows(
  contentType: string | undefined,
  body: unknown,
  query: z.output<typeof FileActualsQuery>,
): { dryRun: boolean; rows: ParsedRow[] } {
  let raw: unknown[];
  let dryRun: boolean;
  if (isCsv(contentType)) {
    raw = readCsvRows(body, MAX_ACTUAL_ROWS);
    dryRun = query.dryRun === 'true';
  } else {
    const parsed = FileActualsJson.safeParse(body);
    if (!parsed.success) throw invalidRowsBody(parsed.error);
    raw = parsed.data.rows;
    dryRun = parsed.data.dryRun || query.dryRun === 'true';
  }
  return {
    dryRun,
    rows: raw.map((candidate, index) => {
      const result = ActualRow.safeParse(candidate);
      return result.success
        ? { row: index + 1, value: result.data }
        : { row: index + 1, issues: rowIssuesOf(result.error) };
    }),
  };
}
