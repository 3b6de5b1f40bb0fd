import { tenantOnTestApi } from '../../testing/tenant-fixture';
import {
  ImportDirectoryResponse,
  PreviewDirectoryImportResponse,
} from '../import-directory/import-directory.response';

describe('directory import preview: every row accepted or refused with its reason, nothing written', () => {
  const t = tenantOnTestApi('preview');

  const revision = async () => (await t.http().get('/directory').set(t.headers.hr)).headers.etag;
  const preview = (csv: string, headers = t.headers.hr) =>
    t.postFile('/directory/import/preview', headers, 'text/csv', csv);
  const HEADER = 'command,orgUnitId,parentId,kind,name,employeeId,managerId,effectiveFrom';
  /** A directory file: the header, then `rows`. */
  const csvOf = (...rows: string[]) => [HEADER, ...rows].join('\n');
  /** HR imports the file for real. */
  const importFile = (csv: string) => t.postFile('/directory/import', t.headers.hr, 'text/csv', csv);

  it('names a schema problem and a domain refusal on their rows, and appends nothing', async () => {
    const before = await revision();
    const csv = csvOf(
      'CreateOrgUnit,north,hq,branch,North,,,2025-02-01',
      'HireEmployee,north,,,Dan,e-dan,e-nobody,2025-02-01',
      'HireEmployee,north,,,Eve,e-eve,e-boss,not-a-date',
      'HireEmployee,north,,,Fan,e-fan,e-boss,2025-02-01',
    );
    const response = await preview(csv);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 2, refused: 2, importable: false, events: [] });
    // The answer is the one the OpenAPI document describes (the web client's types come from it).
    expect(PreviewDirectoryImportResponse.safeParse(response.body).error?.issues).toBeUndefined();
    const rows = response.body.rows as { row: number; accepted: boolean; issues: { path: string }[] }[];
    expect(rows.map((row) => [row.row, row.accepted])).toEqual([
      [1, true],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(rows[1]).toMatchObject({ command: 'HireEmployee', id: 'e-dan' });
    expect(rows[1].issues[0]).toEqual(
      expect.objectContaining({ rule: expect.any(String), message: expect.stringContaining('e-nobody') }),
    );
    expect(rows[2]).toMatchObject({
      command: null,
      id: null,
      issues: [expect.objectContaining({ path: 'effectiveFrom' })],
    });
    // The import of the same file refuses the same rows.
    const imported = await importFile(csv);
    expect(imported.status).toBe(400);
    expect(await revision()).toBe(before);
  });

  it('previews a good file as the events the import then writes, and writes nothing itself', async () => {
    const before = await revision();
    const csv = csvOf(
      'CreateOrgUnit,south,hq,branch,South,,,2025-02-01',
      'HireEmployee,south,,,Gus,e-gus,e-boss,2025-02-01',
    );
    const response = await preview(csv);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 2, refused: 0, importable: true });
    expect(await revision()).toBe(before);
    const imported = await importFile(csv);
    expect(imported.status).toBe(200);
    expect(PreviewDirectoryImportResponse.safeParse(response.body).error?.issues).toBeUndefined();
    expect(ImportDirectoryResponse.safeParse(imported.body).error?.issues).toBeUndefined();
    expect(imported.body.events).toBe(
      (response.body.events as { count: number }[]).reduce((sum, entry) => sum + entry.count, 0),
    );
    // Previewed again, the same rows now collide with what was imported.
    const again = await preview(csv);
    expect(again.body).toMatchObject({ accepted: 0, refused: 2, importable: false });
  });

  it('refuses a malformed body (400 naming the rule) and a caller who is not HR (403)', async () => {
    const empty = await preview('');
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0]).toMatchObject({ path: '(body)' });
    expect((await preview(csvOf('CreateOrgUnit,x,hq,branch,X,,,2025-02-01'), t.headers.mgr)).status).toBe(
      403,
    );
  });
});
