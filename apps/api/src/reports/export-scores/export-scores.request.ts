import { z } from 'zod';
import { Id } from '@verity/domain';
import { IncludeSubUnits } from '../../directory/unit-scope';

export const REPORT_FORMATS = {
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  xlsx: {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
  },
} as const;

export const ExportScoresQuery = z.strictObject({
  cycleId: Id,
  /** One period (`2025-02`), or `annual` for the annual results only; default every period and the annual line. */
  periodId: z
    .string()
    .regex(/^(\d{4}-(0[1-9]|1[0-2]|Q[1-4]|H[12])|annual)$/, 'a period id such as "2025-02", or "annual"')
    .optional(),
  orgUnitId: Id.optional(),
  includeSubUnits: IncludeSubUnits,
  format: z.enum(Object.keys(REPORT_FORMATS) as ['csv', 'xlsx']).default('csv'),
});

/** The report's columns: key in the row, header in the file. */
export const SCORE_REPORT_COLUMNS = [
  ['cycleId', 'cycle'],
  ['orgUnitId', 'org unit'],
  ['orgUnitName', 'org unit name'],
  ['employeeId', 'employee'],
  ['appraisalId', 'appraisal'],
  ['periodId', 'period'],
  ['basis', 'basis'],
  ['score', 'score'],
  ['grade', 'grade'],
  ['bonusCoefficient', 'bonus coefficient'],
  ['vetoed', 'vetoed'],
  // The month's behaviour score (周行为分) and its percent of the score; empty without weekly plans.
  ['behaviourScore', 'behaviour score'],
  ['behaviourWeight', 'behaviour weight'],
  ['status', 'status'],
] as const;
