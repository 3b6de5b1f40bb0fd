import { z } from 'zod';
import { SCORE_REPORT_COLUMNS } from './export-scores.request';

type Header = (typeof SCORE_REPORT_COLUMNS)[number][1];

/**
 * One line of the CSV report read by its header (`cycle`, `org unit`, …, `status`): every column is
 * there, each a string (empty where a line has no value, such as a behaviour score without weekly plans).
 */
export const ScoreReportCsvLine = z.strictObject(
  Object.fromEntries(SCORE_REPORT_COLUMNS.map(([, header]) => [header, z.string()])) as Record<
    Header,
    z.ZodString
  >,
);
