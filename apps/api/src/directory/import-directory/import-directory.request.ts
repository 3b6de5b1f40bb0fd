import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { directoryCommandSchemas, type DirectoryCommand } from '@verity/domain';
import { Problem, type FieldIssue } from '../../errors/problem';

export const MAX_IMPORT_ROWS = 5000;
const IMPORTABLE = Object.keys(directoryCommandSchemas).filter((type) => type !== 'CreateTenant') as [
  string,
  ...string[],
];

/** A JSON import: rows like the CSV's, `command` naming the directory command and the rest its fields. */
export const ImportDirectoryJson = z.strictObject({
  rows: z
    .array(z.object({ command: z.enum(IMPORTABLE) }).catchall(z.unknown()))
    .min(1)
    .max(MAX_IMPORT_ROWS),
});

export const importJsonExample = {
  rows: [
    {
      command: 'CreateOrgUnit',
      orgUnitId: 'hq',
      parentId: null,
      kind: 'hq',
      name: 'Head office',
      effectiveFrom: '2026-01-01',
    },
    {
      command: 'HireEmployee',
      employeeId: 'e-1000',
      orgUnitId: 'hq',
      managerId: null,
      position: 'CEO',
      name: 'Zhang San',
      effectiveFrom: '2026-01-01',
    },
  ],
};

export const importCsvExample = `command,orgUnitId,parentId,kind,name,employeeId,managerId,position,email,effectiveFrom
CreateOrgUnit,hq,,hq,Head office,,,,,2026-01-01
HireEmployee,hq,,,Zhang San,e-1000,,CEO,zhang@example.com,2026-01-01`;

/** Per-row problems: `row` counts from 1 (the first data row; in CSV the header is row 0). */
export interface RowIssue extends FieldIssue {
  row: number;
}

// CSV cells are strings. An empty cell means "not given": dropped, or null where the command's field is nullable
// (one CSV holds several commands, so most rows leave other commands' columns empty).
function fromCsvRow(record: Record<string, string>): Record<string, unknown> {
  const type = record.command ?? '';
  const schema = directoryCommandSchemas[type as keyof typeof directoryCommandSchemas] as unknown as
    z.ZodObject | undefined;
  const row: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(record)) {
    if (value !== '') row[field] = value;
    else if (schema && field in schema.shape && (schema.shape[field] as z.ZodType).safeParse(null).success) {
      row[field] = null;
    }
  }
  return row;
}

/**
 * Rows from a CSV or JSON body, each validated by its command's schema; all problems reported at
 * once. `rows[i]` is the row number of `commands[i]` (rows with problems have no command).
 */
export function readImport(
  contentType: string | undefined,
  body: unknown,
): { commands: DirectoryCommand[]; rows: number[]; issues: RowIssue[]; total: number } {
  let rows: Record<string, unknown>[];
  if (/csv/i.test(contentType ?? '')) {
    if (typeof body !== 'string' || body.trim() === '') throw emptyImport();
    try {
      const records = parseCsv(body, {
        columns: true,
        skip_empty_lines: true,
        trim: true,
        bom: true,
        max_record_size: 64 * 1024,
        to: MAX_IMPORT_ROWS + 1,
      }) as Record<string, string>[];
      rows = records.map(fromCsvRow);
    } catch (error) {
      throw new Problem(400, 'malformed-body', 'The request body is not valid CSV.', {
        errors: [{ path: '(body)', rule: 'csv-syntax', message: (error as Error).message }],
      });
    }
    if (rows.length === 0) throw emptyImport();
    if (rows.length > MAX_IMPORT_ROWS) throw tooManyRows();
  } else {
    const parsed = ImportDirectoryJson.safeParse(body);
    if (!parsed.success) {
      throw new Problem(400, 'invalid-request', 'The request body does not match its schema.', {
        errors: parsed.error.issues.slice(0, 50).map((issue) => ({
          path: issue.path.join('.') || '(body)',
          rule: issue.code,
          message: issue.message,
        })),
      });
    }
    rows = parsed.data.rows;
  }

  const commands: DirectoryCommand[] = [];
  const rowNumbers: number[] = [];
  const issues: RowIssue[] = [];
  rows.forEach((row, index) => {
    const { command: type, ...fields } = row as { command: string };
    const schema = IMPORTABLE.includes(type)
      ? directoryCommandSchemas[type as keyof typeof directoryCommandSchemas]
      : null;
    if (!schema) {
      issues.push({
        row: index + 1,
        path: 'command',
        rule: 'invalid_value',
        message: `unknown command "${type}"; one of ${IMPORTABLE.join(', ')}`,
      });
      return;
    }
    const result = z.strictObject((schema as unknown as z.ZodObject).shape).safeParse(fields);
    if (!result.success) {
      for (const issue of result.error.issues) {
        issues.push({
          row: index + 1,
          path: issue.path.join('.') || '(row)',
          rule: issue.code,
          message: issue.message,
        });
      }
      return;
    }
    commands.push({ type, data: result.data } as DirectoryCommand);
    rowNumbers.push(index + 1);
  });
  return { commands, rows: rowNumbers, issues, total: rows.length };
}

const emptyImport = () =>
  new Problem(400, 'invalid-request', 'The import has no rows.', {
    errors: [{ path: '(body)', rule: 'too_small', message: 'at least one row is required' }],
  });
const tooManyRows = () =>
  new Problem(400, 'invalid-request', `An import holds at most ${MAX_IMPORT_ROWS} rows.`, {
    errors: [{ path: '(body)', rule: 'too_big', message: `at most ${MAX_IMPORT_ROWS} rows` }],
  });
