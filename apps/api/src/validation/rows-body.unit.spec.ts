import { readCsvRows } from './rows-body';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { status: number; code: string; extensions: unknown };
  }
  throw new Error('expected a refusal');
};

/** The one CSV reader of the bulk routes (actuals, directory import). */
describe('readCsvRows', () => {
  it('reads records by header, trims cells, drops empty ones unless told what they mean', () => {
    const csv = '\uFEFFid, name ,parentId\n a ,Alpha,\nb,,x\n\n';
    expect(readCsvRows(csv, 10)).toEqual([
      { id: 'a', name: 'Alpha' },
      { id: 'b', parentId: 'x' },
    ]);
    const nullParent = (_record: Record<string, string>, field: string) =>
      field === 'parentId' ? { value: null } : undefined;
    expect(readCsvRows(csv, 10, nullParent)).toEqual([
      { id: 'a', name: 'Alpha', parentId: null },
      { id: 'b', parentId: 'x' },
    ]);
  });

  it('refuses no rows, too many rows and broken CSV with 400 naming the body', () => {
    expect(refusal(() => readCsvRows('', 10))).toMatchObject({
      status: 400,
      code: 'invalid-request',
      extensions: { errors: [{ path: '(body)', rule: 'too_small' }] },
    });
    expect(refusal(() => readCsvRows('id,name\n', 10))).toMatchObject({
      status: 400,
      code: 'invalid-request',
    });
    expect(refusal(() => readCsvRows('id\n1\n2\n3\n', 2))).toMatchObject({
      status: 400,
      code: 'invalid-request',
    });
    expect(readCsvRows('id\n1\n2\n', 2)).toHaveLength(2);
    expect(refusal(() => readCsvRows('id,name\n"a,b\n', 10))).toMatchObject({
      status: 400,
      code: 'malformed-body',
    });
  });
});
