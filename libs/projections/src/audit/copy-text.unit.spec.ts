import { copyRow } from './copy-text';

describe('copyRow', () => {
  it('splits columns by tabs, ends the row with a newline and writes null as \\N', () => {
    expect(copyRow([])).toBe('\n');
    expect(copyRow(['a', null, '', 'NULL'])).toBe('a\t\\N\t\tNULL\n');
  });

  it('escapes backslashes, tabs, line breaks and carriage returns, and nothing else', () => {
    expect(copyRow(['C:\\dir', 'tab\there', 'line\nbreak', 'cr\rhere'])).toBe(
      'C:\\\\dir\ttab\\there\tline\\nbreak\tcr\\rhere\n',
    );
    expect(copyRow(['say "hi"', 'a,b', '{x}', '\\N', '\\.', '匿名'])).toBe(
      'say "hi"\ta,b\t{x}\t\\\\N\t\\\\.\t匿名\n',
    );
  });
});
