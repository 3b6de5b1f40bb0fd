import { z } from 'zod';
import { directoryCommandSchemas, type DirectoryCommand } from '@verity/domain';
import type { FieldIssue } from '../../errors/problem';
import { CsvOrJsonRoute, type CsvOrJsonBody } from '../../openapi/csv-or-json-body';
import type { RouteSpec } from '../../openapi/route';
import { invalidRowsBody, isCsv, readCsvRows, rowIssuesOf } from '../../validation/rows-body';

export const MAX_IMPORT_ROWS = 5000;
const IMPORTABLE = Object.keys(directoryCommandSchemas).filter((type) => type !== 'CreateTenant') as [
  string,
  ...string[],
];

/** A JSON import: rows like the CSV's, `command` naming the directory command and the rest its fields. */
const ImportDirectoryJson = z.strictObject({
  rows: z
    .array(z.object({ command: z.enum(IMPORTABLE) }).catchall(z.unknown()))
    .min(1)
    .max(MAX_IMPORT_ROWS),
});

const importJsonExample = {
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

const importCsvExample = `command,orgUnitId,parentId,kind,name,employeeId,managerId,position,email,effectiveFrom
CreateOrgUnit,hq,,hq,Head office,,,,,2026-01-01
HireEmployee,hq,,,Zhang San,e-1000,,CEO,zhang@example.com,2026-01-01`;

const DIRECTORY_IMPORT_BODY: CsvOrJsonBody = {
  json: ImportDirectoryJson,
  example: importJsonExample,
  csvExample: importCsvExample,
};

/** The route of the import and of its preview: HR's alone, taking the same body, documented once. */
export const DirectoryImportRoute = (
  path: string,
  spec: Pick<RouteSpec, 'summary' | 'operationId' | 'answer'>,
) => CsvOrJsonRoute(path, { roles: ['hr'], ...spec }, DIRECTORY_IMPORT_BODY);

/** Per-row problems: `row` counts from 1 (the first data row; in CSV the header is row 0). */
export interface RowIssue extends FieldIssue {
  row: number;
}

// One CSV holds several commands, so most rows leave other commands' columns empty: an empty cell is
// "not given", or null where the row's command has that field and it is nullable.
function emptyCellOf(record: Record<string, string>, field: string): { value: null } | undefined {
  const schema = directoryCommandSchemas[
    record.command as keyof typeof directoryCommandSchemas
  ] as unknown as z.ZodObject | undefined;
  return schema && field in schema.shape && (schema.shape[field] as z.ZodType).safeParse(null).success
    ? { value: null }
    : undefined;
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
  if (isCsv(contentType)) {
    rows = readCsvRows(body, MAX_IMPORT_ROWS, emptyCellOf);
  } else {
    const parsed = ImportDirectoryJson.safeParse(body);
    if (!parsed.success) throw invalidRowsBody(parsed.error);
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
      for (const issue of rowIssuesOf(result.error)) issues.push({ row: index + 1, ...issue });
      return;
    }
    commands.push({ type, data: result.data } as DirectoryCommand);
    rowNumbers.push(index + 1);
  });
  return { commands, rows: rowNumbers, issues, total: rows.length };
}
