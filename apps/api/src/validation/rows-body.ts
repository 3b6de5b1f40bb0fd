import { parse as parseCsv } from 'csv-parse/sync';
import type { z } from 'zod';
import { Problem, type FieldIssue } from '../errors/problem';
import { schemaMismatch, zodIssues } from './zod-issues';

/** Whether a body is CSV (`text/csv`) rather than JSON. */
export const isCsv = (contentType: string | undefined) => /csv/i.test(contentType ?? '');

/**
 * The records of a CSV body with a header row, for every bulk route (actuals, the directory import):
 * one parser, one set of limits, one set of refusals. Cells are trimmed; an empty cell is "not given"
 * and dropped, unless `emptyCell` says what it means for that field (e.g. null for a nullable one).
 * Refused with 400: no body or no rows, more than `maxRows` rows, invalid CSV (`csv-syntax`).
 */
export function readCsvRows(
  body: unknown,
  maxRows: number,
  emptyCell?: (record: Record<string, string>, field: string) => { value: unknown } | undefined,
): Record<string, unknown>[] {
  if (typeof body !== 'string' || body.trim() === '') throw noRows();
  let records: Record<string, string>[];
  try {
    records = parseCsv(body, {
      columns: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      max_record_size: 64 * 1024,
      // One more than allowed, to tell "too many" from "exactly the limit" without reading them all.
      to: maxRows + 1,
    }) as Record<string, string>[];
  } catch (error) {
    throw new Problem(400, 'malformed-body', 'The request body is not valid CSV.', {
      errors: [{ path: '(body)', rule: 'csv-syntax', message: (error as Error).message }],
    });
  }
  if (records.length === 0) throw noRows();
  if (records.length > maxRows)
    throw new Problem(400, 'invalid-request', `At most ${maxRows} rows per request.`, {
      errors: [{ path: '(body)', rule: 'too_big', message: `at most ${maxRows} rows` }],
    });
  return records.map((record) => {
    const row: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(record)) {
      if (value !== '') row[field] = value;
      else {
        const given = emptyCell?.(record, field);
        if (given) row[field] = given.value;
      }
    }
    return row;
  });
}

/** A JSON bulk body that does not match its schema: 400 naming each field and rule (the first 50). */
export function invalidRowsBody(error: z.ZodError): Problem {
  return schemaMismatch('body', zodIssues(error));
}

/** A row's schema problems as field issues (`(row)` for the row as a whole). */
export function rowIssuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.join('.') || '(row)',
    rule: issue.code,
    message: issue.message,
  }));
}

// A CSV body is its rows: these refusals name the body.
const noRows = () =>
  new Problem(400, 'invalid-request', 'There are no rows.', {
    errors: [{ path: '(body)', rule: 'too_small', message: 'at least one row' }],
  });
